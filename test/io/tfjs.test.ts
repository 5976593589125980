// Models move between kerasm and TF.js 4 (cpu backend) in one process, through in-memory IO
// handlers: the same artifacts, the same predictions within 1e-6.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { tfReady, captureSave } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

function inputs(n: number, f: number, seed = 7): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * f }, () => rng.uniform(-2, 2));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('kerasm → TF.js', () => {
  test('TF.js loadLayersModel reads kerasm artifacts (L1/L2 as L1L2, InputLayer, Flatten, Activation, Dropout) and predicts within 1e-6', async () => {
    km.setSeed(11);
    const m = km.sequential({ layers: [
      km.layers.inputLayer({ inputShape: [2, 3] }),
      km.layers.flatten(),
      km.layers.dense({ units: 8, activation: 'relu', kernelRegularizer: km.regularizers.l1(0.01), biasRegularizer: km.regularizers.l2(0.02) }),
      km.layers.dropout({ rate: 0.25 }),
      km.layers.dense({ units: 5, useBias: false, activation: 'tanh', kernelRegularizer: km.regularizers.l1l2({ l1: 0.003, l2: 0.004 }) }),
      km.layers.activation({ activation: 'sigmoid' }),
      km.layers.dense({ units: 4, activation: 'softmax' }),
    ] });
    m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const x = inputs(16, 6);
    const y = km.oneHot(Array.from({ length: 16 }, (_, i) => i % 4), 4);
    await m.fit(km.tensor(x, [16, 2, 3]), y, { epochs: 2, batchSize: 4, verbose: 0 });
    const artifacts = await captureSave((h) => m.save(h, { includeOptimizer: true }));
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as TF.io.ModelArtifacts));
    const want = m.predict(km.tensor(x, [16, 2, 3])).data;
    const got = (tm.predict(tf.tensor(x, [16, 2, 3])) as TF.Tensor).dataSync();
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
    const layers = (tm.getConfig() as unknown as { layers: { className: string; config: Record<string, unknown> }[] }).layers;
    const dense0 = layers.find((l) => l.className === 'Dense')!;
    expect(dense0.config.kernelRegularizer).toEqual({ className: 'L1L2', config: { l1: 0.01, l2: 0 } });
    expect(tm.getWeights().length).toBe(m.getWeights().length);
    tm.dispose();
    m.dispose();
  });

  test('a kerasm model.json written to disk is what TF.js reads (weightsManifest → fromMemory)', async () => {
    km.setSeed(2);
    const m = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [4], activation: 'elu' }), km.layers.dense({ units: 2 })] });
    const artifacts = await captureSave((h) => m.save(h));
    const tm = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: artifacts.modelTopology as object, weightSpecs: artifacts.weightSpecs as TF.io.WeightsManifestEntry[], weightData: artifacts.weightData }));
    const x = inputs(5, 4);
    expect(maxAbsDiff((tm.predict(tf.tensor(x, [5, 4])) as TF.Tensor).dataSync(), m.predict(km.tensor(x, [5, 4])).data)).toBeLessThan(1e-6);
    tm.dispose();
    m.dispose();
  });
});

describe('TF.js → kerasm', () => {
  test('kerasm loads TF.js artifacts (dense_Dense1/kernel names, L1L2, dropout) and predicts within 1e-6', async () => {
    const tm = tf.sequential({ layers: [
      tf.layers.dense({ units: 9, inputShape: [6], activation: 'relu', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }),
      tf.layers.dropout({ rate: 0.4 }),
      tf.layers.dense({ units: 4, activation: 'softmax', useBias: true }),
    ] });
    const artifacts = await captureSave((h) => tm.save(h));
    expect(artifacts.weightSpecs![0]!.name).toMatch(/^dense_Dense\d+\/kernel$/);
    const m = await km.loadModel(km.io.fromMemory(artifacts));
    const x = inputs(12, 6);
    const got = (m.predict(km.tensor(x, [12, 6])) as km.Tensor).data;
    const want = (tm.predict(tf.tensor(x, [12, 6])) as TF.Tensor).dataSync();
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-6);
    const reg = (m.layers[0] as km.layers.Dense).kernelRegularizer!;
    expect([reg.className, reg.l1, reg.l2]).toEqual(['L1L2', 0.01, 0.02]);
    expect((m.layers[1] as km.layers.Dropout).rate).toBe(0.4);
    expect(m.compiled).toBeNull();
    tm.dispose();
    m.dispose();
  });

  test('a TF.js model saved with its optimizer comes back compiled (TF.js optimizer state is not kerasm state and is skipped)', async () => {
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], activation: 'softmax' })] });
    tm.compile({ optimizer: tf.train.rmsprop(0.005, 0.8), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await tm.fit(tf.ones([4, 2]), tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3).toFloat(), { epochs: 1, verbose: 0 });
    const artifacts = await captureSave((h) => tm.save(h, { includeOptimizer: true }));
    expect(artifacts.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
    const m = await km.loadModel(artifacts);
    expect(m.compiled!.optimizer.className).toBe('RMSprop');
    const opt = m.compiled!.optimizer as km.optimizers.RMSprop;
    expect([opt.learningRate, opt.rho]).toEqual([0.005, 0.8]);
    expect(m.compiled!.loss.kind).toBe('categoricalCrossentropy');
    expect(m.compiled!.metricIds).toEqual(['accuracy']);
    const x = inputs(3, 2);
    expect(maxAbsDiff((m.predict(km.tensor(x, [3, 2])) as km.Tensor).data, (tm.predict(tf.tensor(x, [3, 2])) as TF.Tensor).dataSync())).toBeLessThan(1e-6);
    tm.dispose();
    m.dispose();
  });

  test('kerasm → TF.js → kerasm keeps predictions; the kerasm record TF.js carried along is ignored once TF.js re-saved the file', async () => {
    km.setSeed(5);
    const m = km.sequential({ layers: [km.layers.dense({ units: 4, inputShape: [3], activation: 'sigmoid' }), km.layers.dense({ units: 2, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const x = inputs(4, 3);
    await m.fit(km.tensor(x, [4, 3]), km.oneHot([0, 1, 1, 0], 2), { epochs: 1, verbose: 0 });
    const first = await captureSave((h) => m.save(h, { includeOptimizer: true }));
    // 1. TF.js loads and re-saves as is: predictions survive, kerasm's stale record does not apply.
    const tm = await tf.loadLayersModel(tf.io.fromMemory(first as TF.io.ModelArtifacts));
    const second = await captureSave((h) => tm.save(h));
    expect((second as { userDefinedMetadata?: unknown }).userDefinedMetadata).toBeDefined();
    const back = await km.loadModel(second);
    expect(maxAbsDiff((back.predict(km.tensor(x, [4, 3])) as km.Tensor).data, (m.predict(km.tensor(x, [4, 3])) as km.Tensor).data)).toBeLessThan(1e-6);
    expect(back.compiled).toBeNull();
    // 2. TF.js recompiles and trains with its optimizer state: kerasm compiles from TF.js's
    //    trainingConfig, not from the old record, and starts a fresh optimizer.
    tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await tm.fit(tf.tensor2d(x, [4, 3]), tf.tensor2d([1, 0, 0, 1, 0, 1, 1, 0], [4, 2]), { epochs: 1, verbose: 0 });
    const third = await captureSave((h) => tm.save(h, { includeOptimizer: true }));
    const again = await km.loadModel(third);
    expect(again.compiled!.optimizer.className).toBe('SGD');
    expect(again.compiled!.loss.kind).toBe('meanSquaredError');
    expect(again.compiled!.optimizer.iterations).toBe(0);
    const h = await again.fit(km.tensor(x, [4, 3]), km.tensor(new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]), [4, 2]), { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss![0])).toBe(true);
    for (const model of [m, back, again]) model.dispose();
    tm.dispose();
  });
});

describe('loading warnings', () => {
  test('an unsupported training config loads the model uncompiled with a warning', async () => {
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
    tm.compile({ optimizer: tf.train.adadelta(), loss: 'meanSquaredError' });
    const artifacts = await captureSave((h) => tm.save(h, { includeOptimizer: true }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = await km.loadModel(artifacts);
    expect(m.compiled).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("the optimizer 'Adadelta' is not one of"));
    warn.mockRestore();
    tm.dispose();
    m.dispose();
  });
});

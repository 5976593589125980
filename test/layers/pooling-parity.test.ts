// The pooling and reshaping layers against TF.js 4.22 (cpu) on identical weights and inputs,
// through Sequential models: predictions within 1e-5, and the weights after 20 SGD steps of
// Dense → Reshape → layer → Flatten → Dense within 1e-3 (relative), for every layer and option
// TF.js has. Where TF.js differs from Keras, the test says so and compares what agrees:
// - AveragePooling 'same' with partial border windows: TF.js's forward averages the real cells,
//   as Keras, but its AvgPoolGrad divides by the full window (tfjs-backend-cpu AvgPoolGrad.js), so
//   those cases compare predictions only (the layer harness checks kerasm's gradient by differences);
// - UpSampling2D bilinear: TF.js's layer resizes without half-pixel centres, Keras with them, so
//   kerasm is compared with tf.image.resizeBilinear(x, size, false, true), forward only (TF.js's
//   cpu ResizeBilinearGrad ignores halfPixelCenters);
// - UpSampling2D nearest: TF.js's cpu ResizeNearestNeighborGrad reads dy at the image's batch
//   offset instead of dy's (tfjs-backend-cpu ResizeNearestNeighborGrad.js, `batchOffset + dyR *
//   dyStrides[1]`), so its gradient is wrong for every sample but the first: those models train
//   with batches of 1 (20 steps all the same);
// - Reshape with -1 leaves TF.js's output shape unknown (its computeOutputShape sees the null batch
//   dimension as unknown), which its Flatten refuses: the pair uses a full target shape.
// Files pass both ways: a TF.js model of these layers loads in kerasm, a kerasm one in TF.js.
// And the SpatialDropout2D → BatchNormalization stack on [b, h, w, c] is gradient-checked in a model.
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { modelGradCheck } from '../helpers/gradcheck.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady, captureSave } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

const L = km.layers;

/** One layer under test: kerasm's and TF.js's, the sample shape it takes, and whether the training steps are compared. */
interface Pair {
  name: string;
  km: () => km.layers.Layer;
  tf: () => TF.layers.Layer;
  shape: number[];
  train?: boolean;
  /** Batch size of the 20 training steps (default 4). */
  batchSize?: number;
}

const PAIRS: Pair[] = [
  { name: 'MaxPooling2D default, odd sizes', km: () => L.maxPooling2d(), tf: () => tf.layers.maxPooling2d({}), shape: [5, 4, 3] },
  { name: 'MaxPooling2D 3, strides 1, same', km: () => L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }), tf: () => tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }), shape: [4, 5, 2] },
  { name: 'MaxPooling2D [2, 3], strides [1, 2], same', km: () => L.maxPooling2d({ poolSize: [2, 3], strides: [1, 2], padding: 'same' }), tf: () => tf.layers.maxPooling2d({ poolSize: [2, 3], strides: [1, 2], padding: 'same' }), shape: [5, 5, 2] },
  { name: 'AveragePooling2D 3, strides 2, valid', km: () => L.averagePooling2d({ poolSize: 3, strides: 2 }), tf: () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2 }), shape: [5, 5, 2] },
  { name: 'AveragePooling2D same, whole windows', km: () => L.averagePooling2d({ padding: 'same' }), tf: () => tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }), shape: [4, 4, 3] },
  { name: 'AveragePooling2D same, partial border windows (forward only)', km: () => L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), tf: () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), shape: [5, 4, 2], train: false },
  { name: 'MaxPooling1D default, odd steps', km: () => L.maxPooling1d(), tf: () => tf.layers.maxPooling1d({}), shape: [7, 3] },
  { name: 'MaxPooling1D 3, strides 1, same', km: () => L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), tf: () => tf.layers.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), shape: [6, 2] },
  { name: 'AveragePooling1D 3, strides 2, valid', km: () => L.averagePooling1d({ poolSize: 3, strides: 2 }), tf: () => tf.layers.averagePooling1d({ poolSize: 3, strides: 2 }), shape: [7, 2] },
  { name: 'AveragePooling1D same, partial windows (forward only)', km: () => L.averagePooling1d({ poolSize: 3, padding: 'same' }), tf: () => tf.layers.averagePooling1d({ poolSize: 3, padding: 'same' }), shape: [7, 2], train: false },
  { name: 'GlobalAveragePooling2D', km: () => L.globalAveragePooling2d(), tf: () => tf.layers.globalAveragePooling2d({}), shape: [3, 4, 2] },
  { name: 'GlobalMaxPooling2D', km: () => L.globalMaxPooling2d(), tf: () => tf.layers.globalMaxPooling2d({}), shape: [3, 4, 2] },
  { name: 'GlobalAveragePooling1D', km: () => L.globalAveragePooling1d(), tf: () => tf.layers.globalAveragePooling1d(), shape: [5, 3] },
  { name: 'GlobalMaxPooling1D', km: () => L.globalMaxPooling1d(), tf: () => tf.layers.globalMaxPooling1d(), shape: [5, 3] },
  { name: 'ZeroPadding2D default', km: () => L.zeroPadding2d(), tf: () => tf.layers.zeroPadding2d(), shape: [3, 3, 2] },
  { name: 'ZeroPadding2D [[1, 0], [2, 1]]', km: () => L.zeroPadding2d({ padding: [[1, 0], [2, 1]] }), tf: () => tf.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] }), shape: [2, 3, 2] },
  { name: 'UpSampling2D nearest 2 (batches of 1)', km: () => L.upSampling2d(), tf: () => tf.layers.upSampling2d({}), shape: [2, 3, 2], batchSize: 1 },
  { name: 'UpSampling2D nearest [3, 2] (batches of 1)', km: () => L.upSampling2d({ size: [3, 2] }), tf: () => tf.layers.upSampling2d({ size: [3, 2] }), shape: [2, 2, 2], batchSize: 1 },
  { name: 'Reshape [4, 3]', km: () => L.reshape({ targetShape: [4, 3] }), tf: () => tf.layers.reshape({ targetShape: [4, 3] }), shape: [3, 2, 2] },
];

/** Dense(prod(shape)) → Reshape(shape) → layer → [Flatten] → Dense(3): the layer sees a trained input and sends a gradient back. */
function models(p: Pair): { m: km.Sequential; tm: TF.Sequential } {
  const units = p.shape.reduce((a, c) => a * c, 1);
  const m = km.sequential({ layers: [L.dense({ units, inputShape: [5], activation: 'tanh' }), L.reshape({ targetShape: p.shape }), p.km()] });
  const tm = tf.sequential({ layers: [tf.layers.dense({ units, inputShape: [5], activation: 'tanh' }), tf.layers.reshape({ targetShape: p.shape }), p.tf()] });
  // TF.js's Flatten takes rank ≥ 3 only; a global pool's [batch, c] goes straight to the Dense.
  if (m.outputShape.length > 1) {
    m.add(L.flatten());
    tm.add(tf.layers.flatten());
  }
  m.add(L.dense({ units: 3 }));
  tm.add(tf.layers.dense({ units: 3 }));
  m.setWeights(tm.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape.slice() })));
  return { m, tm };
}

describe('parity with TF.js through Sequential models on identical weights', () => {
  test.each(PAIRS)('$name: the layer alone (≤ 1e-5), in a model (≤ 1e-5), 20 SGD steps (≤ 1e-3)', async (p) => {
    const rng = new Rng(p.name.length);
    // The layer alone, as the first layer of a model.
    const size = p.shape.reduce((a, c) => a * c, 1);
    const xs = Float32Array.from({ length: 3 * size }, () => rng.uniform(-2, 2));
    const alone = km.sequential({ layers: [L.inputLayer({ inputShape: p.shape }), p.km()] });
    alone.add(L.flatten());
    const first = p.tf();
    const tAlone = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: p.shape }), first] });
    const got = (alone.predict(km.tensor(xs, [3, ...p.shape])) as km.Tensor).data;
    const want = (tAlone.predict(tf.tensor(xs, [3, ...p.shape])) as TF.Tensor).dataSync();
    expect(relDiff(got, want), 'the layer alone').toBeLessThan(1e-5);
    alone.dispose();
    tAlone.dispose();
    // In a model.
    const n = p.batchSize === 1 ? 20 : 16;
    const { m, tm } = models(p);
    const x = Float32Array.from({ length: n * 5 }, () => rng.uniform(-1.5, 1.5));
    const y = Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1));
    expect(relDiff((m.predict(km.tensor(x, [n, 5])) as km.Tensor).data, (tm.predict(tf.tensor2d(x, [n, 5])) as TF.Tensor).dataSync()), 'predictions').toBeLessThan(1e-5);
    if (p.train !== false) {
      m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const batchSize = p.batchSize ?? 4;
      const fit = { epochs: (20 * batchSize) / n, batchSize, shuffle: false, verbose: 0 as const };
      await m.fit(km.tensor(x, [n, 5]), km.tensor(y, [n, 3]), fit);
      await tm.fit(tf.tensor2d(x, [n, 5]), tf.tensor2d(y, [n, 3]), fit);
      const tw = tm.getWeights();
      m.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i} after 20 steps`).toBeLessThan(1e-3));
      expect(relDiff((m.predict(km.tensor(x, [n, 5])) as km.Tensor).data, (tm.predict(tf.tensor2d(x, [n, 5])) as TF.Tensor).dataSync()), 'predictions after training').toBeLessThan(1e-3);
    }
    m.dispose();
    tm.dispose();
  });

  test('UpSampling2D bilinear is Keras\'s resize (half-pixel centres): TF.js resizeBilinear(x, size, false, true) within 1e-5', () => {
    const rng = new Rng(5);
    for (const [shape, size] of [[[3, 2, 3], [3, 2]], [[4, 5, 2], [2, 2]], [[1, 3, 1], [4, 3]]] as [number[], [number, number]][]) {
      const x = Float32Array.from({ length: 2 * shape.reduce((a, c) => a * c, 1) }, () => rng.uniform(-2, 2));
      const m = km.sequential({ layers: [L.upSampling2d({ size, interpolation: 'bilinear', inputShape: shape })] });
      const got = (m.predict(km.tensor(x, [2, ...shape])) as km.Tensor).data;
      const want = tf.image.resizeBilinear(tf.tensor4d(x, [2, shape[0]!, shape[1]!, shape[2]!]), [shape[0]! * size[0], shape[1]! * size[1]], false, true).dataSync();
      expect(relDiff(got, want), `bilinear ${shape} × ${size}`).toBeLessThan(1e-5);
      // TF.js's own layer does not use half-pixel centres: a different function, which kerasm does not follow.
      const tfLayer = tf.sequential({ layers: [tf.layers.upSampling2d({ size, interpolation: 'bilinear', inputShape: shape })] });
      expect(relDiff(got, (tfLayer.predict(tf.tensor(x, [2, ...shape])) as TF.Tensor).dataSync())).toBeGreaterThan(1e-3);
      tfLayer.dispose();
      m.dispose();
    }
  });

  test('a small model of these layers in a row: Dense → Reshape → ZeroPadding2D → MaxPooling2D → UpSampling2D → AveragePooling2D → Flatten → Dense, 20 steps (batches of 1: UpSampling2D)', async () => {
    const rng = new Rng(3);
    const m = km.sequential({ layers: [
      L.dense({ units: 18, inputShape: [6], activation: 'relu' }), L.reshape({ targetShape: [3, 3, 2] }), L.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
      L.maxPooling2d({ poolSize: 2, strides: 1 }), L.upSampling2d({ size: 2 }), L.averagePooling2d({ poolSize: 3, strides: 2 }), L.flatten(), L.dense({ units: 4, activation: 'softmax' }),
    ] });
    const tm = tf.sequential({ layers: [
      tf.layers.dense({ units: 18, inputShape: [6], activation: 'relu' }), tf.layers.reshape({ targetShape: [3, 3, 2] }), tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 1 }), tf.layers.upSampling2d({ size: [2, 2] }), tf.layers.averagePooling2d({ poolSize: 3, strides: 2 }), tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ] });
    expect(m.outputShape).toEqual(tm.outputShape.slice(1));
    m.setWeights(tm.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape.slice() })));
    const n = 20;
    const x = Float32Array.from({ length: n * 6 }, () => rng.uniform(-1, 1));
    const labels = Array.from({ length: n }, () => rng.int(4));
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    tm.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    await m.fit(km.tensor(x, [n, 6]), km.oneHot(labels, 4), { epochs: 1, batchSize: 1, shuffle: false, verbose: 0 });
    await tm.fit(tf.tensor2d(x, [n, 6]), tf.oneHot(tf.tensor1d(labels, 'int32'), 4).toFloat(), { epochs: 1, batchSize: 1, shuffle: false, verbose: 0 });
    const tw = tm.getWeights();
    m.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i}`).toBeLessThan(1e-3));
    m.dispose();
    tm.dispose();
  });
});

// ---------------------------------------------------------------------------------------------

describe('files, both ways with TF.js', () => {
  const tfModel = () => tf.sequential({ layers: [
    tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 1]], inputShape: [4, 3, 2] }), tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }),
    tf.layers.upSampling2d({ size: [1, 2] }), tf.layers.averagePooling2d({ poolSize: 2 }), tf.layers.reshape({ targetShape: [-1, 2] }),
    tf.layers.maxPooling1d({ poolSize: 2, strides: 1 }), tf.layers.averagePooling1d({ poolSize: 3, padding: 'same' }), tf.layers.globalMaxPooling1d(),
    tf.layers.dense({ units: 3 }),
  ] });
  const kmModel = () => km.sequential({ layers: [
    L.zeroPadding2d({ padding: [[1, 2], [0, 1]], inputShape: [4, 3, 2] }), L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }),
    L.upSampling2d({ size: [1, 2] }), L.averagePooling2d({ poolSize: 2 }), L.reshape({ targetShape: [-1, 2] }),
    L.maxPooling1d({ poolSize: 2, strides: 1 }), L.averagePooling1d({ poolSize: 3, padding: 'same' }), L.globalMaxPooling1d(), L.dense({ units: 3 }),
  ] });

  test('a TF.js model of these layers loads in kerasm and predicts as TF.js (≤ 1e-6)', async () => {
    const tm = tfModel();
    const artifacts = await captureSave((h) => tm.save(h));
    const m = await km.loadModel(km.io.fromMemory(artifacts));
    expect(m.layers.map((l) => l.className)).toEqual(['ZeroPadding2D', 'MaxPooling2D', 'UpSampling2D', 'AveragePooling2D', 'Reshape', 'MaxPooling1D', 'AveragePooling1D', 'GlobalMaxPooling1D', 'Dense']);
    const x = Float32Array.from({ length: 5 * 24 }, (_, i) => Math.sin(i * 1.7));
    const got = (m.predict(km.tensor(x, [5, 4, 3, 2])) as km.Tensor).data;
    const want = (tm.predict(tf.tensor(x, [5, 4, 3, 2])) as TF.Tensor).dataSync();
    expect(relDiff(got, want)).toBeLessThan(1e-6);
    m.dispose();
    tm.dispose();
  });

  test('a kerasm model of these layers loads in TF.js (loadLayersModel) and predicts the same (≤ 1e-6)', async () => {
    km.setSeed(4);
    const m = kmModel();
    const artifacts = await captureSave((h) => m.save(h));
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as TF.io.ModelArtifacts));
    expect(tm.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.className));
    const x = Float32Array.from({ length: 5 * 24 }, (_, i) => Math.cos(i * 0.9));
    const got = (m.predict(km.tensor(x, [5, 4, 3, 2])) as km.Tensor).data;
    const want = (tm.predict(tf.tensor(x, [5, 4, 3, 2])) as TF.Tensor).dataSync();
    expect(relDiff(got, want)).toBeLessThan(1e-6);
    m.dispose();
    tm.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
describe('SpatialDropout2D → BatchNormalization on [b, h, w, c] in a model', () => {
  const stack = () => km.sequential({ layers: [
    L.dense({ units: 24, inputShape: [5], activation: 'tanh' }), L.reshape({ targetShape: [3, 4, 2] }), L.spatialDropout2d({ rate: 0.3, seed: 2 }),
    L.batchNormalization({ betaInitializer: 'ones', gammaRegularizer: km.regularizers.l2(0.01) }), L.maxPooling2d({ poolSize: 2, padding: 'same' }), L.reLU(),
    L.flatten(), L.dense({ units: 3, activation: 'softmax' }),
  ] });

  test('gradients by central differences (modelGradCheck)', () => {
    km.setSeed(9);
    modelGradCheck(stack(), 'categoricalCrossentropy', [5], 3);
  });

  test('trains: feature maps dropped whole, batch statistics over b·h·w rows, the loss falls and stays finite', async () => {
    km.setSeed(10);
    const m = stack();
    m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    const rng = new Rng(12);
    const n = 64;
    const x = Float32Array.from({ length: n * 5 }, () => rng.uniform(-1, 1));
    // A learnable rule: the class of the largest of the first three features.
    const labels = Array.from({ length: n }, (_, i) => [0, 1, 2].reduce((a, c) => (x[i * 5 + c]! > x[i * 5 + a]! ? c : a), 0));
    const h = await m.fit(km.tensor(x, [n, 5]), km.oneHot(labels, 3), { epochs: 30, batchSize: 16, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(0.7 * loss[0]!);
    // Weights: dense kernel, bias; gamma, beta, moving_mean, moving_variance (one per channel); dense kernel, bias.
    const movingMean = m.getWeights()[4]!;
    expect(movingMean.shape).toEqual([2]);
    expect(Array.from(movingMean.data).every((v) => v !== 0 && Number.isFinite(v))).toBe(true);
    m.dispose();
  });
});

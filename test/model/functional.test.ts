// The functional API: graphs of layers with several inputs and outputs, fan-out, shared layers,
// nested models — trained against TF.js on identical weights, and gradient-checked by central
// differences of `evaluate` (penalties included).
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

const L = km.layers;

function data(rng: Rng, n: number, cols: number, lo = -1, hi = 1): km.Tensor {
  return km.tensor(Float32Array.from({ length: n * cols }, () => rng.uniform(lo, hi)), [n, cols]);
}

/**
 * Every trainable weight's gradient (`lossAndGradients`) against central differences of
 * `evaluate` at up to 10 coordinates each.
 */
function gradCheck(model: km.Model, x: unknown, y: unknown, seed = 1): void {
  const rng = new Rng(seed);
  const { grads } = model.engine.lossAndGradients(x, y);
  const weights = model.getWeights();
  const trainable = new Set(model.trainableWeights);
  const h = 2e-3;
  let checked = 0;
  weights.forEach((w, wi) => {
    if (!trainable.has(model.weights[wi]!)) return;
    const picks = w.size <= 10 ? [...Array(w.size).keys()] : Array.from({ length: 10 }, () => rng.int(w.size));
    for (const i of picks) {
      const at = (v: number): number => {
        const ws = weights.map((t) => ({ data: t.data.slice(), shape: t.shape }));
        ws[wi]!.data[i] = v;
        model.setWeights(ws);
        return model.evaluate(x, y, { batchSize: 1000 }).loss!;
      };
      const orig = w.data[i]!;
      const numeric = (at(orig + h) - at(orig - h)) / (2 * h);
      model.setWeights(weights);
      expect(Math.abs(numeric - grads[wi]!.data[i]!), `${model.weights[wi]!.name}[${i}]`).toBeLessThan(5e-4 + 2e-3 * Math.abs(numeric));
      checked++;
    }
  });
  expect(checked).toBeGreaterThan(0);
}

describe('the DESIGN example: two inputs, concatenate, two outputs', () => {
  const N = 24;
  const rng = new Rng(3);
  const xPixels = data(rng, N, 12);
  const xMeta = data(rng, N, 4);
  const labels = Array.from({ length: N }, (_, i) => (i * 5) % 10);
  const yDigit = km.oneHot(labels, 10);
  const yOdd = km.tensor(Float32Array.from(labels, (l) => l % 2), [N, 1]);

  function build(): km.Model {
    km.setSeed(9);
    const a = km.input({ shape: [12], name: 'pixels' });
    const b = km.input({ shape: [4], name: 'meta' });
    const h = L.dense({ units: 16, activation: 'relu', name: 'hidden' }).apply(a);
    const j = L.concatenate({ name: 'join' }).apply([h, b]);
    const out = L.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(j);
    const aux = L.dense({ units: 1, activation: 'sigmoid', name: 'odd' }).apply(h);
    return km.model({ inputs: [a, b], outputs: [out, aux] });
  }

  function buildTf(weights: km.Tensor[]): TF.LayersModel {
    const a = tf.input({ shape: [12], name: 'pixels' });
    const b = tf.input({ shape: [4], name: 'meta' });
    const h = tf.layers.dense({ units: 16, activation: 'relu', name: 'hidden' }).apply(a) as TF.SymbolicTensor;
    const j = tf.layers.concatenate({ name: 'join' }).apply([h, b]) as TF.SymbolicTensor;
    const out = tf.layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(j) as TF.SymbolicTensor;
    const aux = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'odd' }).apply(h) as TF.SymbolicTensor;
    const m = tf.model({ inputs: [a, b], outputs: [out, aux] });
    expect(m.getWeights().map((w) => w.shape)).toEqual(weights.map((w) => w.shape));
    m.setWeights(weights.map((w) => tf.tensor(w.data, w.shape)));
    return m;
  }

  test('names, shapes, layers in Keras order, weights in TF.js order', () => {
    const m = build();
    expect(m.inputNames).toEqual(['pixels', 'meta']);
    expect(m.outputNames).toEqual(['digit', 'odd']);
    const t = buildTf(m.getWeights());
    expect(m.layers.map((l) => l.name)).toEqual(t.layers.map((l) => l.name));
    expect(m.weights.map((w) => w.shape)).toEqual(t.weights.map((w) => w.shape));
    t.dispose();
    expect(m.getLayer('join').outputShape).toEqual([20]);
    m.dispose();
  });

  test('20 SGD steps give TF.js\'s per-output losses and weights (loss list, lossWeights)', async () => {
    const m = build();
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: ['categoricalCrossentropy', 'binaryCrossentropy'], lossWeights: [1, 0.5], metrics: ['accuracy'] });
    const t = buildTf(m.getWeights());
    // TF.js 4.22 ignores lossWeights ("TODO(cais): Add lossWeights" in its training.js): the
    // second output's loss is scaled by 0.5 in the loss function instead, which trains the same.
    const halfBce = (yt: TF.Tensor, yp: TF.Tensor): TF.Tensor => tf.mul(0.5, tf.metrics.binaryCrossentropy(yt, yp));
    t.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', halfBce] as unknown as string[] });
    const history = await m.fit([xPixels, xMeta], [yDigit, yOdd], { epochs: 20, batchSize: N, shuffle: false, verbose: 0 });
    const txs = [tf.tensor(xPixels.data, xPixels.shape), tf.tensor(xMeta.data, xMeta.shape)];
    const tys = [tf.tensor(yDigit.data, yDigit.shape), tf.tensor(yOdd.data, yOdd.shape)];
    const th = await t.fit(txs, tys, { epochs: 20, batchSize: N, shuffle: false, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'odd_accuracy', 'odd_loss']);
    // Keras 3 reports each output's loss before its weight; TF.js here reports the scaled one.
    for (const [ours, theirs, scale] of [['loss', 'loss', 1], ['digit_loss', 'digit_loss', 1], ['odd_loss', 'odd_loss', 0.5]] as const) {
      const a = history.history[ours]!;
      const b = th.history[theirs] as number[];
      for (let e = 0; e < 20; e++) expect(Math.abs(scale * a[e]! - b[e]!) / Math.abs(b[e]!), `${ours} epoch ${e}`).toBeLessThan(1e-3);
    }
    const tw = t.getWeights();
    m.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync() as Float32Array), `weight ${i}`).toBeLessThan(1e-3));
    // Inputs and targets keyed by name, as Keras and TF.js take them.
    const byName = m.evaluate({ pixels: xPixels, meta: xMeta }, { digit: yDigit, odd: yOdd });
    const byList = m.evaluate([xPixels, xMeta], [yDigit, yOdd]);
    expect(byName).toEqual(byList);
    expect(Object.keys(byList).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'odd_accuracy', 'odd_loss']);
    expect(byList.loss).toBeCloseTo(byList.digit_loss! + 0.5 * byList.odd_loss!, 5);
    const [digit, odd] = m.predict([xPixels, xMeta]) as km.Tensor[];
    const [td, to] = t.predict(txs) as TF.Tensor[];
    expect(relDiff(digit!.data, td!.dataSync() as Float32Array)).toBeLessThan(1e-5);
    expect(relDiff(odd!.data, to!.dataSync() as Float32Array)).toBeLessThan(1e-5);
    m.dispose();
    t.dispose();
  });

  test('losses as an object by output name; an output with loss null is not trained', async () => {
    const m = build();
    m.compile({ optimizer: 'sgd', loss: { digit: 'categoricalCrossentropy', odd: null } });
    const oddBefore = m.getWeights().slice(4).map((w) => Array.from(w.data));
    await m.fit([xPixels, xMeta], { digit: yDigit }, { epochs: 2, verbose: 0 });
    expect(m.getWeights().slice(4).map((w) => Array.from(w.data))).toEqual(oddBefore);
    expect(() => m.compile({ optimizer: 'sgd', loss: { digit: 'mse', nope: 'mse' } })).toThrow(/output names digit, odd/);
    m.dispose();
  });
});

test('one output: lossWeights, losses and metrics as one-element lists or keyed by its name, as Keras takes them', async () => {
  const rng = new Rng(2);
  const x = data(rng, 6, 3);
  const y = data(rng, 6, 2);
  const i = km.input({ shape: [3] });
  const m = km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'out' }).apply(i) });
  m.compile({ optimizer: 'sgd', loss: ['mse'], lossWeights: [2], metrics: ['mae'] });
  const twice = m.evaluate(x, y);
  m.compile({ optimizer: 'sgd', loss: { out: 'mse' }, lossWeights: { out: 1 }, metrics: { out: ['mae'] } });
  const once = m.evaluate(x, y);
  expect(twice.loss).toBeCloseTo(2 * once.loss!, 6);
  expect(Object.keys(once)).toEqual(['loss', 'mae']);
  m.dispose();
});

test('one input: data keyed by its name, as Keras takes `{ pixels: x }`, in fit, evaluate and predict', async () => {
  const rng = new Rng(3);
  const x = data(rng, 6, 3);
  const y = data(rng, 6, 2);
  const i = km.input({ shape: [3], name: 'pixels' });
  const m = km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'out' }).apply(i) });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  expect(m.evaluate({ pixels: x }, { out: y })).toEqual(m.evaluate(x, y));
  expect(Array.from((m.predict({ pixels: x }) as km.Tensor).data)).toEqual(Array.from((m.predict(x) as km.Tensor).data));
  const h = await m.fit({ pixels: x }, y, { epochs: 1, batchSize: 3, verbose: 0 });
  expect(h.history.loss).toHaveLength(1);
  expect(() => m.evaluate({ images: x }, y)).toThrow(/argument `x`/);
  m.dispose();
});

describe('graphs that are not chains', () => {
  const rng = new Rng(5);
  const x = data(rng, 7, 5);
  const x2 = data(rng, 7, 5);
  const y = data(rng, 7, 3);

  test('a residual block trains and its gradients are right', async () => {
    km.setSeed(1);
    const inp = km.input({ shape: [5] });
    const h = L.dense({ units: 5, activation: 'tanh' }).apply(inp);
    const r = L.add().apply([inp, h]);
    const out = L.dense({ units: 3, kernelRegularizer: km.regularizers.l2(0.01) }).apply(r);
    const m = km.model({ inputs: inp, outputs: out });
    m.compile({ optimizer: 'adam', loss: 'mse' });
    gradCheck(m, x, y);
    const before = m.evaluate(x, y).loss!;
    await m.fit(x, y, { epochs: 30, verbose: 0 });
    expect(m.evaluate(x, y).loss!).toBeLessThan(before);
    m.dispose();
  });

  test('fan-out: one tensor read by two layers and also an output', () => {
    km.setSeed(2);
    const inp = km.input({ shape: [5] });
    const h = L.dense({ units: 4, activation: 'sigmoid', name: 'h' }).apply(inp);
    const a = L.dense({ units: 3, name: 'a' }).apply(h);
    const b = L.dense({ units: 3, activation: 'relu', name: 'b' }).apply(h);
    const m = km.model({ inputs: inp, outputs: [a, b, h] });
    m.compile({ optimizer: 'sgd', loss: ['mse', 'mae', 'mse'], lossWeights: [1, 2, 0.5] });
    gradCheck(m, x, [y, y, data(new Rng(8), 7, 4)]);
    m.dispose();
  });

  test('a shared layer: one set of weights, gradients summed over its calls', () => {
    km.setSeed(3);
    const p = km.input({ shape: [5], name: 'p' });
    const q = km.input({ shape: [5], name: 'q' });
    const shared = L.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const m = km.model({ inputs: [p, q], outputs: L.dense({ units: 3 }).apply(L.concatenate().apply([shared.apply(p), shared.apply(q)])) });
    expect(m.weights).toHaveLength(4);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    gradCheck(m, [x, x2], y);
    m.dispose();
  });

  test('a model used as a layer: nested weights, gradients through it', async () => {
    km.setSeed(4);
    const ii = km.input({ shape: [5] });
    const inner = km.model({ inputs: ii, outputs: L.dense({ units: 4, activation: 'relu' }).apply(L.dense({ units: 6, activation: 'tanh' }).apply(ii)), name: 'inner' });
    const oi = km.input({ shape: [5] });
    const outer = km.model({ inputs: oi, outputs: L.dense({ units: 3 }).apply(inner.apply(oi)) });
    expect(outer.layers.map((l) => l.name)).toContain('inner');
    expect(outer.weights).toHaveLength(6);
    expect(outer.getLayer('inner')).toBe(inner);
    outer.compile({ optimizer: 'sgd', loss: 'mse' });
    gradCheck(outer, x, y);
    // Frozen inner model: its weights stay, the head trains.
    inner.trainable = false;
    outer.compile({ optimizer: 'sgd', loss: 'mse' });
    const innerBefore = inner.getWeights().map((w) => Array.from(w.data));
    await outer.fit(x, y, { epochs: 2, verbose: 0 });
    expect(inner.getWeights().map((w) => Array.from(w.data))).toEqual(innerBefore);
    outer.dispose();
    // The inner model's weights were also its own: still there after the outer model is gone.
    expect((inner.predict(x) as km.Tensor).shape).toEqual([7, 4]);
    inner.dispose();
  });
});

test('a model as a layer of a Sequential', async () => {
  km.setSeed(6);
  const rng = new Rng(6);
  const x = data(rng, 7, 5);
  const y = data(rng, 7, 3);
  const i = km.input({ shape: [5] });
  const block = km.model({ inputs: i, outputs: L.add().apply([i, L.dense({ units: 5, activation: 'tanh' }).apply(i)]), name: 'block' });
  const m = km.sequential([block, L.dense({ units: 3 })]);
  expect(m.layers.map((l) => l.name)).toEqual(['block', m.layers[1]!.name]);
  expect(m.outputShape).toEqual([3]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  gradCheck(m, x, y);
  m.dispose();
  block.dispose();
});

describe('Keras\'s errors for graphs it cannot run', () => {
  test('a disconnected graph', () => {
    const a = km.input({ shape: [3], name: 'a' });
    const b = km.input({ shape: [3], name: 'b' });
    const s = L.add().apply([a, b]);
    expect(() => km.model({ inputs: a, outputs: s })).toThrow(/Graph disconnected: cannot obtain value for tensor b\/0\/0 .*The following previous layers were accessed without issue: \['a'\]/);
  });

  test('two layers of one name', () => {
    const a = km.input({ shape: [3] });
    const h = L.dense({ units: 2, name: 'twin' }).apply(a);
    expect(() => km.model({ inputs: a, outputs: L.dense({ units: 2, name: 'twin' }).apply(h) })).toThrow(/The name "twin" is used 2 times in the model/);
  });

  test('apply on data, and a shape the built layer cannot take', () => {
    const d = L.dense({ units: 2 });
    expect(() => d.apply(km.tensor([[1, 2]]) as never)).toThrow(/to compute on data, build a model and call model.predict/);
    d.apply(km.input({ shape: [3] }));
    expect(() => d.apply(km.input({ shape: [4] }))).toThrow(/Input 0 of layer "dense.*" is incompatible with the layer: expected shape=\(None, 3\), found shape=\(None, 4\)/);
  });
});

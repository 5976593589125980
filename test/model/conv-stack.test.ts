// Convolutions inside models, kerasm only (what TF.js cannot check): the conv → BatchNormalization
// → ReLU → SpatialDropout2D stack trains and passes the model gradient check; depthwise and
// separable stacks with regularizers are gradient-checked; a Conv2D(ReLU) → Dropout fusion gives
// the same bits as the unfused path; constraints act after each update (Keras: TF.js does not);
// activity penalties equal Dense's on the same numbers; a shared convolution adds the gradients of
// its calls.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { convGeometry } from '../../src/backend/conv.js';
import { Conv2D } from '../../src/layers/conv.js';
import { Dropout } from '../../src/layers/dropout.js';
import { fusion } from '../../src/model/training.js';
import { testBackend } from '../helpers/backend.js';
import { modelGradCheck } from '../helpers/gradcheck.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';
import { conv2dRef } from '../reference/conv.js';

beforeAll(async () => {
  await testBackend();
});
afterEach(() => {
  fusion.dropoutActivationGrad = true;
});

const L = km.layers;

/** Images [n, 6, 6, 2] whose class is the quadrant (of three: top-left, top-right, bottom) with the brightest first channel. */
function quadrants(n: number, seed: number): { x: km.Tensor; y: number[] } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 72);
  const y: number[] = [];
  for (let s = 0; s < n; s++) {
    const cls = rng.int(3);
    y.push(cls);
    for (let h = 0; h < 6; h++) {
      for (let w = 0; w < 6; w++) {
        const region = h >= 3 ? 2 : w < 3 ? 0 : 1;
        const base = (s * 36 + h * 6 + w) * 2;
        x[base] = rng.uniform(-0.5, 0.5) + (region === cls ? 1 : 0);
        x[base + 1] = rng.uniform(-0.5, 0.5);
      }
    }
  }
  return { x: km.tensor(x, [n, 6, 6, 2]), y };
}

function bnStack(): km.Sequential {
  return km.sequential({ layers: [
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 2], kernelRegularizer: km.regularizers.l2(1e-3) }),
    L.batchNormalization(),
    L.reLU(),
    L.spatialDropout2d({ rate: 0.25 }),
    L.flatten(),
    L.dense({ units: 3, activation: 'softmax' }),
  ] });
}

/** BN(conv(x)) in float64 from the stack's weights [kernel, bias, γ, β, mean, variance, ...]: the ReLU's input. */
function preActivations(ws: readonly km.Tensor[], x: Float32Array, n: number): Float64Array {
  const g = convGeometry({ batch: n, inH: 6, inW: 6, cin: 2, kh: 3, kw: 3, cout: 4, padding: 'same' });
  const z = conv2dRef(g, x, ws[0]!.data, ws[1]!.data).value;
  const [gamma, beta, mean, variance] = [ws[2]!.data, ws[3]!.data, ws[4]!.data, ws[5]!.data];
  return z.map((v, i) => (gamma[i % 4]! * (v - mean[i % 4]!)) / Math.sqrt(variance[i % 4]! + 1e-3) + beta[i % 4]!);
}

/**
 * modelGradCheck (test/helpers/gradcheck.ts) for bnStack, leaving out the coordinates whose ±h
 * step moves a ReLU input across 0. Returns how many coordinates it checked and left out.
 */
function stackGradCheck(model: km.Sequential, seed: number): { checked: number; skipped: number } {
  const n = 6;
  const h = 2e-3;
  const rng = new Rng(seed);
  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const xs = Float32Array.from({ length: n * 72 }, () => rng.uniform(-1.5, 1.5));
  const x = km.tensor(xs, [n, 6, 6, 2]);
  const y = km.oneHot(Array.from({ length: n }, () => rng.int(3)), 3);
  const { grads } = model.engine.lossAndGradients(x, y);
  const weights = model.getWeights();
  let checked = 0;
  let skipped = 0;
  weights.forEach((w, wi) => {
    if (!model.weights[wi]!.trainable) return;
    const picks = w.size <= 12 ? [...Array(w.size).keys()] : Array.from({ length: 12 }, () => rng.int(w.size));
    for (const i of picks) {
      const at = (v: number) => weights.map((t, j) => (j === wi ? km.tensor(Float32Array.from(t.data, (e, k) => (k === i ? v : e)), t.shape) : t));
      const [plus, minus] = [at(w.data[i]! + h), at(w.data[i]! - h)];
      const [zp, zm] = [preActivations(plus, xs, n), preActivations(minus, xs, n)];
      if (zp.some((v, k) => Math.sign(v) !== Math.sign(zm[k]!))) {
        skipped++;
        continue;
      }
      const loss = (ws: km.Tensor[]) => {
        model.setWeights(ws);
        return model.evaluate(x, y, { batchSize: n }).loss!;
      };
      const fd = (loss(plus) - loss(minus)) / (Math.fround(w.data[i]! + h) - Math.fround(w.data[i]! - h));
      const g = grads[wi]!.data[i]!;
      expect(Math.abs(fd - g), `weight ${wi}[${i}]: analytic ${g}, numeric ${fd}`).toBeLessThan(5e-4 * Math.max(1, Math.abs(g)));
      checked++;
    }
  });
  model.dispose();
  return { checked, skipped };
}

describe('conv → BatchNormalization → ReLU → SpatialDropout2D', () => {
  test('trains: the loss falls to a third and the training set is learnt', async () => {
    km.setSeed(4);
    const { x, y } = quadrants(96, 1);
    const model = bnStack();
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    const loss = h.history.loss!;
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 3);
    expect(model.evaluate(x, y).accuracy).toBeGreaterThan(0.95);
    model.dispose();
  });

  // modelGradCheck differentiates across the ReLU's kink: 864 pre-activations, each moved by
  // h·x ≈ 2e-3 when a kernel weight moves, so some cross 0 for most seeds (5 of 6 failed by 1–4%
  // while the same stack with tanh passed all 6). This check is modelGradCheck's (the same h,
  // tolerance and loss through evaluate) but leaves out a coordinate whose ± step moves a
  // pre-activation (BN's output, computed in float64) across 0; every coordinate it checks passes,
  // on every seed tried, and it checks most of them.
  test.each([1, 2, 3, 4, 5, 6])('the model gradient check, off the ReLU kinks (seed %i)', (seed) => {
    km.setSeed(seed);
    const { checked, skipped } = stackGradCheck(bnStack(), seed);
    expect(checked).toBeGreaterThan(Math.max(20, skipped));
  });
  test('the same stack with tanh for ReLU: modelGradCheck on every weight', () => {
    km.setSeed(5);
    const model = bnStack();
    const layers = model.layers.map((l) => (l.className === 'ReLU' ? L.activation({ activation: 'tanh' }) : null));
    const tanh = km.sequential({ layers: model.layers.map((l, i) => layers[i] ?? l) });
    modelGradCheck(tanh, 'categoricalCrossentropy', [6, 6, 2]);
  });

  test('Conv1D (causal) and a depthwise → separable stack with every kind of regularizer pass the gradient check', () => {
    km.setSeed(6);
    modelGradCheck(km.sequential({ layers: [
      L.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'tanh', inputShape: [7, 2], biasRegularizer: km.regularizers.l1(0.01) }),
      L.conv1d({ filters: 2, kernelSize: 2, strides: 2, activityRegularizer: km.regularizers.l2(0.01) }),
      L.flatten(),
      L.dense({ units: 2 }),
    ] }), 'meanSquaredError', [7, 2]);
    km.setSeed(7);
    modelGradCheck(km.sequential({ layers: [
      L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'elu', inputShape: [5, 5, 2], depthwiseRegularizer: km.regularizers.l2(0.01) }),
      L.separableConv2d({ filters: 3, kernelSize: 2, strides: 2, activation: 'sigmoid', depthwiseRegularizer: km.regularizers.l1(0.01), pointwiseRegularizer: km.regularizers.l2(0.02) }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax' }),
    ] }), 'categoricalCrossentropy', [5, 5, 2]);
  });
});

describe('fusions and shared calls', () => {
  async function train(fused: boolean): Promise<number[][]> {
    fusion.dropoutActivationGrad = fused;
    km.setSeed(9);
    const { x, y } = quadrants(48, 2);
    const model = km.sequential({ layers: [
      L.conv2d({ filters: 5, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
      L.dropout({ rate: 0.3 }),
      L.conv2d({ filters: 3, kernelSize: 2, activation: 'relu6' }),
      L.dropout({ rate: 0.2 }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(model.layers.filter((l): l is Conv2D => l instanceof Conv2D).map((l) => l.activationGradFused)).toEqual([fused, fused]);
    expect(model.layers.filter((l): l is Dropout => l instanceof Dropout).map((l) => l.fusedActivation?.name ?? null)).toEqual(fused ? ['relu', 'relu6'] : [null, null]);
    const w = model.getWeights().map((t) => Array.from(t.data));
    model.dispose();
    return w;
  }

  test('Conv2D(ReLU/ReLU6) → Dropout: the fused backward gives bit-identical weights', async () => {
    expectSameNumbers(await train(true), await train(false), 'weights');
  });

  test('a convolution shared by two calls adds the gradients of both (against two separate layers that start equal)', () => {
    km.setSeed(10);
    const a = km.input({ shape: [5, 5, 2] });
    const b = km.input({ shape: [5, 5, 2] });
    const shared = L.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh' });
    const merged = L.add().apply([L.flatten().apply(shared.apply(a)), L.flatten().apply(shared.apply(b))]);
    const model = km.model({ inputs: [a, b], outputs: L.dense({ units: 1 }).apply(merged) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const rng = new Rng(3);
    const xa = km.tensor(Float32Array.from({ length: 4 * 50 }, () => rng.uniform(-1, 1)), [4, 5, 5, 2]);
    const xb = km.tensor(Float32Array.from({ length: 4 * 50 }, () => rng.uniform(-1, 1)), [4, 5, 5, 2]);
    const y = km.tensor(Float32Array.from({ length: 4 }, () => rng.uniform(-1, 1)), [4, 1]);
    const { grads } = model.engine.lossAndGradients([xa, xb], y);
    // The same network with two layers holding the same weights: their gradients sum to the shared one.
    const c = km.input({ shape: [5, 5, 2] });
    const d = km.input({ shape: [5, 5, 2] });
    const [one, two] = [L.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh' }), L.conv2d({ filters: 2, kernelSize: 3, activation: 'tanh' })];
    const split = km.model({ inputs: [c, d], outputs: L.dense({ units: 1 }).apply(L.add().apply([L.flatten().apply(one.apply(c)), L.flatten().apply(two.apply(d))])) });
    split.compile({ optimizer: 'sgd', loss: 'mse' });
    const [k, bias, dk, db] = model.getWeights();
    split.setWeights([k!, bias!, k!, bias!, dk!, db!]);
    const g2 = split.engine.lossAndGradients([xa, xb], y).grads;
    for (const [i, [p, q]] of [[0, [0, 2]], [1, [1, 3]]] as const) {
      const sum = g2[p]!.data.map((v, j) => v + g2[q]!.data[j]!);
      sum.forEach((v, j) => expect(grads[i]!.data[j]!).toBeCloseTo(v, 5));
    }
    model.dispose();
    split.dispose();
  });
});

describe('constraints and activity penalties', () => {
  test('a per-filter maxNorm holds after every update (Keras applies it after each step; TF.js only on writes)', async () => {
    km.setSeed(11);
    const { x, y } = quadrants(32, 3);
    const model = km.sequential({ layers: [
      L.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2], kernelConstraint: km.constraints.maxNorm({ maxValue: 0.3, axis: [0, 1, 2] }) }),
      L.flatten(),
      L.dense({ units: 3, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const kernel = model.getWeights()[0]!.data;
    const norms = [0, 1, 2].map((f) => Math.sqrt(kernel.filter((_, i) => i % 3 === f).reduce((s, v) => s + v * v, 0)));
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.3 + 1e-5);
    expect(Math.max(...norms)).toBeGreaterThan(0.299);
    model.dispose();
  });

  test('an activity penalty on a convolution equals Dense\'s on the same numbers (a kernel covering the whole input is a Dense)', async () => {
    const act = () => km.regularizers.l1l2({ l1: 0.02, l2: 0.03 });
    km.setSeed(12);
    const conv = km.sequential({ layers: [L.conv2d({ filters: 3, kernelSize: [2, 3], activation: 'tanh', activityRegularizer: act(), inputShape: [2, 3, 2] }), L.flatten()] });
    const dense = km.sequential({ layers: [L.flatten({ inputShape: [2, 3, 2] }), L.dense({ units: 3, activation: 'tanh', activityRegularizer: act() })] });
    dense.setWeights(conv.getWeights().map((w, i) => (i === 0 ? { data: w.data, shape: [12, 3] } : w)));
    const rng = new Rng(4);
    const x = km.tensor(Float32Array.from({ length: 8 * 12 }, () => rng.uniform(-1, 1)), [8, 2, 3, 2]);
    const y = km.tensor(Float32Array.from({ length: 8 * 3 }, () => rng.uniform(-1, 1)), [8, 3]);
    for (const m of [conv, dense]) m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    expect(conv.evaluate(x, y).loss).toBeCloseTo(dense.evaluate(x, y).loss!, 6);
    const [hc, hd] = [await conv.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 }), await dense.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 })];
    hc.history.loss!.forEach((l, e) => expect(l).toBeCloseTo(hd.history.loss![e]!, 5));
    conv.getWeights().forEach((w, i) => Array.from(w.data).forEach((v, j) => expect(v).toBeCloseTo(dense.getWeights()[i]!.data[j]!, 5)));
    conv.dispose();
    dense.dispose();
  });
});

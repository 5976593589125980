// The regularization and normalization layers of issue 4 against the formulas they implement:
// Keras 3 keras/src/layers/regularization/{gaussian_noise,gaussian_dropout,alpha_dropout,
// spatial_dropout,activity_regularization}.py and keras/src/layers/normalization/
// {batch_normalization,layer_normalization}.py. Gradients are checked by central differences,
// both driving a layer directly in training mode (the noise held fixed, BatchNormalization
// through its batch statistics) and through a model's `lossAndGradients` (inference mode);
// BatchNormalization and LayerNormalization are compared with TF.js on identical weights.
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { Backend } from '../../src/backend/loader.js';
import * as km from '../../src/index.js';
import type { Sequential } from '../../src/index.js';
import type { Layer, StepContext } from '../../src/layers/layer.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { modelGradCheck } from '../helpers/gradcheck.js';
import { relDiff, tfReady } from '../helpers/tfjs.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
let tf: typeof TF;
beforeAll(async () => {
  b = await testBackend();
  tf = await tfReady();
});

const L = km.layers;
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

function randn(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Index of the first element where a and b differ (as numbers), or -1; faster than a deep toEqual on big arrays. */
function firstDiff(a: ArrayLike<number>, c: ArrayLike<number>): number {
  if (a.length !== c.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== c[i]) return i;
  return -1;
}

function tensorOf(n: number, shape: number[], f: (i: number) => number): km.Tensor {
  return km.tensor(Float32Array.from({ length: n * shape.reduce((a, c) => a * c, 1) }, (_, i) => f(i)), [n, ...shape]);
}

// ---------------------------------------------------------------------------------------------
// A layer driven directly: its weights and buffers in wasm memory, one StepContext, any mode.

class Rig {
  readonly layer: Layer;
  readonly rows: number;
  readonly nIn: number;
  readonly nOut: number;
  private readonly x: GuardedBuffer;
  private readonly y: GuardedBuffer;
  private readonly dy: GuardedBuffer;
  private readonly dx: GuardedBuffer;
  readonly ctx: StepContext;

  constructor(layer: Layer, inShape: number[], rows: number) {
    this.layer = layer;
    this.rows = rows;
    layer.build(inShape);
    this.nIn = rows * inShape.reduce((a, c) => a * c, 1);
    this.nOut = rows * layer.outputShape!.reduce((a, c) => a * c, 1);
    for (const w of layer.weights) {
      w.region = b.arena.alloc(w.size * 4);
      w.initializer.fill(w.shape, b.arena.view(w.region, w.size));
      w.grad = b.arena.alloc(w.size * 4);
    }
    layer.plan(b.arena, rows);
    this.x = new GuardedBuffer(b, this.nIn);
    this.y = layer.aliasesInput ? this.x : new GuardedBuffer(b, this.nOut);
    this.dy = new GuardedBuffer(b, this.nOut);
    this.dx = layer.aliasesInput ? this.dy : new GuardedBuffer(b, this.nIn);
    this.ctx = {
      k: b.k, arena: b.arena, rows, training: false, updateStatistics: false, x: this.x.ptr, y: this.y.ptr, dy: this.dy.ptr,
      dx: this.dx.ptr, xs: [], dxs: [], ys: [this.y.ptr], dys: [this.dy.ptr], mask: 0, maskOut: 0, accumulate: false, ws: 0, lossFused: false, trackPenalty: true, penalty: 0,
    };
  }

  weight(i: number): Float32Array {
    const w = this.layer.weights[i]!;
    return b.arena.view(w.region!, w.size);
  }

  grad(i: number): Float32Array {
    const w = this.layer.weights[i]!;
    return b.arena.view(w.grad!, w.size).slice();
  }

  /** y (a copy) and the activity penalty of one forward pass. */
  forward(x: ArrayLike<number>, training: boolean, updateStatistics = training): { y: Float32Array; penalty: number } {
    this.x.set(x);
    this.ctx.training = training;
    this.ctx.updateStatistics = updateStatistics;
    this.ctx.penalty = 0;
    this.layer.forward(this.ctx);
    return { y: this.y.data.slice(), penalty: this.ctx.penalty };
  }

  /** dx (a copy) after the last forward, for dy. */
  backward(dy: ArrayLike<number>): Float32Array {
    this.dy.set(dy);
    this.layer.backward(this.ctx);
    for (const buf of [this.x, this.y, this.dy, this.dx]) buf.checkGuards();
    return this.dx.data.slice();
  }

  free(): void {
    this.layer.unplan(b.arena);
    for (const w of this.layer.weights) {
      b.arena.release(w.region!);
      b.arena.release(w.grad!);
      w.region = null;
      w.grad = null;
    }
    for (const buf of new Set([this.x, this.y, this.dy, this.dx])) buf.free();
  }
}

/**
 * Central differences of L = Σ r·y + activity penalty + weight penalty, in a fixed mode, against
 * the backward pass: every input coordinate and every trainable weight coordinate.
 */
function rigGradCheck(make: () => Layer, inShape: number[], rows: number, mode: { training: boolean; updateStatistics?: boolean },
  opts: { seed?: number; awayFromZero?: boolean; h?: number } = {}): void {
  const rng = new Rng(opts.seed ?? 1);
  const rig = new Rig(make(), inShape, rows);
  const layer = rig.layer;
  const counter = (layer as { counter?: number }).counter;
  const x = Float64Array.from({ length: rig.nIn }, () => {
    const v = rng.uniform(-1.5, 1.5);
    return opts.awayFromZero === true ? Math.sign(v) * (0.2 + Math.abs(v)) : v;
  });
  const r = Float64Array.from({ length: rig.nOut }, () => rng.uniform(-1, 1));
  layer.weights.forEach((w, i) => {
    if (w.trainable) rig.weight(i).set(Float32Array.from({ length: w.size }, () => rng.uniform(0.5, 1.5) * (rng.next() < 0.5 ? -1 : 1)));
  });
  const upd = mode.updateStatistics ?? mode.training;
  const loss = (xs: ArrayLike<number>): number => {
    if (counter !== undefined) (layer as unknown as { counter: number }).counter = counter; // the same noise every evaluation
    const { y, penalty } = rig.forward(xs, mode.training, upd);
    let s = penalty + layer.weightPenalty(b.k);
    for (let i = 0; i < y.length; i++) s += r[i]! * y[i]!;
    return s;
  };
  loss(x);
  const dx = rig.backward(r);
  const grads = layer.weights.map((_, i) => rig.grad(i));
  const h = opts.h ?? 5e-3;
  for (let i = 0; i < rig.nIn; i++) {
    const xp = Float32Array.from(x);
    const xm = Float32Array.from(x);
    xp[i] = x[i]! + h;
    xm[i] = x[i]! - h;
    const fd = (loss(xp) - loss(xm)) / (xp[i]! - xm[i]!);
    expect(Math.abs(fd - dx[i]!), `${layer.className} dx[${i}]: analytic ${dx[i]}, numeric ${fd}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(dx[i]!)));
  }
  layer.weights.forEach((w, wi) => {
    if (!w.trainable || !layer.trainable) return;
    const view = () => rig.weight(wi);
    for (let i = 0; i < w.size; i++) {
      const orig = view()[i]!;
      view()[i] = orig + h;
      const lp = loss(x);
      const hp = view()[i]! - orig;
      view()[i] = orig - h;
      const lm = loss(x);
      const hm = orig - view()[i]!;
      view()[i] = orig;
      const fd = (lp - lm) / (hp + hm);
      const g = grads[wi]![i]!;
      expect(Math.abs(fd - g), `${layer.className} ${w.name}[${i}]: analytic ${g}, numeric ${fd}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(g)));
    }
  });
  rig.free();
}

// The helper of test/layers/gradcheck.test.ts (copied): every trainable weight's gradient from
// ---------------------------------------------------------------------------------------------
describe('gradients by central differences, each layer driven in training mode', () => {
  test('gaussianNoise (dx = dy with the noise fixed)', () => rigGradCheck(() => L.gaussianNoise({ stddev: 0.3, seed: 1 }), [5], 4, { training: true }));
  test('gaussianDropout (dx = dy·noise)', () => rigGradCheck(() => L.gaussianDropout({ rate: 0.3, seed: 2 }), [7], 3, { training: true }));
  test('dropout in training (dx = dy·mask), full mask and noiseShape [1, features] / [null, 1]', () => {
    rigGradCheck(() => L.dropout({ rate: 0.4, seed: 8 }), [7], 5, { training: true });
    rigGradCheck(() => L.dropout({ rate: 0.4, seed: 9, noiseShape: [1, 6] }), [6], 4, { training: true });
    rigGradCheck(() => L.dropout({ rate: 0.4, seed: 10, noiseShape: [null, 1] }), [6], 4, { training: true });
  });
  test('alphaDropout, per unit and with noiseShape [null, 1, null]', () => {
    rigGradCheck(() => L.alphaDropout({ rate: 0.4, seed: 3 }), [6], 4, { training: true });
    rigGradCheck(() => L.alphaDropout({ rate: 0.4, seed: 4, noiseShape: [null, 1, null] }), [3, 5], 3, { training: true });
  });
  test('spatialDropout1d and spatialDropout2d (both data formats)', () => {
    rigGradCheck(() => L.spatialDropout1d({ rate: 0.5, seed: 5 }), [4, 3], 3, { training: true });
    rigGradCheck(() => L.spatialDropout2d({ rate: 0.5, seed: 6 }), [2, 3, 5], 2, { training: true });
    rigGradCheck(() => L.spatialDropout2d({ rate: 0.5, seed: 7, dataFormat: 'channelsFirst' }), [5, 2, 3], 2, { training: true });
  });
  test('activityRegularization (the penalty term included)', () => {
    rigGradCheck(() => L.activityRegularization({ l1: 0.03, l2: 0.05 }), [6], 3, { training: true }, { awayFromZero: true });
  });
  test('batchNormalization through the batch statistics, rank 2 and rank 3, with γ/β regularized', () => {
    rigGradCheck(() => L.batchNormalization(), [5], 6, { training: true }, { seed: 11 });
    rigGradCheck(() => L.batchNormalization({ epsilon: 0.01 }), [3, 4], 4, { training: true }, { seed: 12 });
    rigGradCheck(() => L.batchNormalization({ gammaRegularizer: km.regularizers.l2(0.1), betaRegularizer: km.regularizers.l2(0.2) }), [3], 5, { training: true }, { seed: 13 });
    rigGradCheck(() => L.batchNormalization({ center: false, scale: false }), [4], 5, { training: true }, { seed: 14 });
  });
  test('batchNormalization on moving statistics (MC inference and a frozen layer)', () => {
    rigGradCheck(() => L.batchNormalization(), [5], 4, { training: true, updateStatistics: false }, { seed: 15 });
    rigGradCheck(() => L.batchNormalization({ trainable: false }), [5], 4, { training: true }, { seed: 16 });
  });
  test('layerNormalization, rank 2 and rank 3, with and without γ, β', () => {
    rigGradCheck(() => L.layerNormalization(), [7], 3, { training: true }, { seed: 21 });
    rigGradCheck(() => L.layerNormalization({ epsilon: 1e-2 }), [2, 5], 3, { training: true }, { seed: 22 });
    rigGradCheck(() => L.layerNormalization({ center: false }), [6], 2, { training: false }, { seed: 23 });
    rigGradCheck(() => L.layerNormalization({ scale: false, gammaRegularizer: km.regularizers.l2(0.1) }), [6], 2, { training: false }, { seed: 24 });
  });
});

describe('gradients through a model (lossAndGradients vs evaluate)', () => {
  test('dense → batchNormalization → dense (inference mode: moving statistics)', () => {
    km.setSeed(3);
    const bn = L.batchNormalization({ movingMeanInitializer: km.initializers.constant({ value: 0.2 }), movingVarianceInitializer: km.initializers.constant({ value: 1.7 }) });
    const model = km.sequential({ layers: [L.dense({ units: 5, inputShape: [4] }), bn, L.dense({ units: 2, activation: 'tanh' })] });
    modelGradCheck(model, 'meanSquaredError', [4]);
  });
  test('dense → layerNormalization → activityRegularization → dense', () => {
    km.setSeed(4);
    const model = km.sequential({ layers: [
      L.dense({ units: 6, inputShape: [4], activation: 'tanh' }),
      L.layerNormalization({ gammaRegularizer: km.regularizers.l2(0.05) }),
      L.activityRegularization({ l1: 0.01, l2: 0.02 }),
      L.dense({ units: 3 }),
    ] });
    modelGradCheck(model, 'meanSquaredError', [4]);
  });
  test('the noise layers are the identity outside training', () => {
    km.setSeed(5);
    const model = km.sequential({ layers: [
      L.dense({ units: 6, inputShape: [2, 3] }),
      L.gaussianNoise({ stddev: 0.5 }),
      L.gaussianDropout({ rate: 0.3 }),
      L.alphaDropout({ rate: 0.2 }),
      L.spatialDropout1d({ rate: 0.5 }),
      km.layers.flatten(),
      L.dense({ units: 2 }),
    ] });
    modelGradCheck(model, 'meanSquaredError', [2, 3]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('noise layers: statistics in training, identity in inference', () => {
  const n = 4000;
  const f = 50;
  function model(layer: Layer, inShape: number[] = [f]): Sequential {
    return km.sequential({ layers: [L.inputLayer({ inputShape: inShape }), layer] });
  }
  test('gaussianNoise: y − x has mean 0 and standard deviation stddev; new noise every call; identity in inference', () => {
    const rng = new Rng(1);
    const x = tensorOf(n, [f], () => rng.uniform(-2, 2));
    const m = model(L.gaussianNoise({ stddev: 0.4, seed: 9 }));
    expect(firstDiff(m.predict(x).data, x.data)).toBe(-1);
    const y1 = m.predict(x, { training: true });
    const y2 = m.predict(x, { training: true });
    let s = 0;
    let q = 0;
    let same = 0;
    for (let i = 0; i < x.data.length; i++) {
      const e = y1.data[i]! - x.data[i]!;
      s += e;
      q += e * e;
      if (y1.data[i] === y2.data[i]) same++;
    }
    const N2 = x.data.length;
    expect(Math.abs(s / N2)).toBeLessThan(4 * 0.4 / Math.sqrt(N2));
    expect(Math.abs(Math.sqrt(q / N2) - 0.4)).toBeLessThan(0.005);
    expect(same).toBeLessThan(N2 / 100);
    m.dispose();
  });
  test('gaussianDropout: y/x has mean 1 and variance rate/(1 − rate)', () => {
    const x = tensorOf(n, [f], (i) => 0.5 + (i % 7));
    const m = model(L.gaussianDropout({ rate: 0.2, seed: 10 }));
    expect(firstDiff(m.predict(x).data, x.data)).toBe(-1);
    const y = m.predict(x, { training: true });
    let s = 0;
    let q = 0;
    for (let i = 0; i < x.data.length; i++) {
      const e = y.data[i]! / x.data[i]!;
      s += e;
      q += e * e;
    }
    const N2 = x.data.length;
    const mean = s / N2;
    expect(Math.abs(mean - 1)).toBeLessThan(4 * 0.5 / Math.sqrt(N2));
    expect(Math.abs(q / N2 - mean * mean - 0.25)).toBeLessThan(0.005);
    m.dispose();
  });
  test('alphaDropout: outputs are a·x + b or a·α\' + b, 1 − rate kept, and N(0, 1) inputs keep mean 0 and variance 1', () => {
    const rate = 0.2;
    const rng = new Rng(2);
    const x = tensorOf(n, [f], () => randn(rng));
    const m = model(L.alphaDropout({ rate, seed: 11 }));
    expect(firstDiff(m.predict(x).data, x.data)).toBe(-1);
    const y = m.predict(x, { training: true });
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const bb = -a * alphaP * rate;
    const dropped = Math.fround(a * alphaP + bb);
    let kept = 0;
    let s = 0;
    let q = 0;
    let err = 0;
    for (let i = 0; i < x.data.length; i++) {
      const v = y.data[i]!;
      if (v === dropped) continue;
      kept++;
      err = Math.max(err, Math.abs(v - (a * x.data[i]! + bb)) / (1 + Math.abs(v)));
    }
    expect(err).toBeLessThan(1e-6);
    for (const v of y.data) {
      s += v;
      q += v * v;
    }
    const N2 = x.data.length;
    expect(Math.abs(kept / N2 - (1 - rate))).toBeLessThan(0.01);
    expect(Math.abs(s / N2)).toBeLessThan(0.02);
    expect(Math.abs(q / N2 - (s / N2) ** 2 - 1)).toBeLessThan(0.02);
    m.dispose();
  });
  test('alphaDropout with noiseShape [null, 1, null]: the same units dropped at every step of a sample', () => {
    const x = tensorOf(200, [4, 6], (i) => 1 + (i % 5));
    const m = model(L.alphaDropout({ rate: 0.5, seed: 12, noiseShape: [null, 1, null] }), [4, 6]);
    const y = m.predict(x, { training: true });
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = (0.5 * (1 + 0.5 * alphaP ** 2)) ** -0.5;
    const dropped = Math.fround(a * alphaP - a * alphaP * 0.5);
    let drops = 0;
    for (let s = 0; s < 200; s++) {
      for (let c = 0; c < 6; c++) {
        const d = y.data[s * 24 + c] === dropped;
        if (d) drops++;
        for (let t = 1; t < 4; t++) expect(y.data[s * 24 + t * 6 + c] === dropped).toBe(d);
      }
    }
    expect(Math.abs(drops / 1200 - 0.5)).toBeLessThan(0.05);
    m.dispose();
  });
  test.each([
    ['spatialDropout1d', () => L.spatialDropout1d({ rate: 0.3, seed: 13 }), [5, 8], (s: number, t: number, c: number) => s * 40 + t * 8 + c, 5, 8],
    ['spatialDropout2d channelsLast', () => L.spatialDropout2d({ rate: 0.3, seed: 14 }), [3, 4, 8], (s: number, t: number, c: number) => s * 96 + t * 8 + c, 12, 8],
    ['spatialDropout2d channelsFirst', () => L.spatialDropout2d({ rate: 0.3, seed: 15, dataFormat: 'channelsFirst' }), [8, 3, 4], (s: number, t: number, c: number) => s * 96 + c * 12 + t, 12, 8],
  ] as const)('%s: whole feature maps dropped per sample and channel, kept ones scaled by 1/(1 − rate)', (_name, make, shape, at, steps, channels) => {
    const samples = 300;
    const x = tensorOf(samples, [...shape], (i) => 1 + (i % 3));
    const m = model(make(), [...shape]);
    expect(firstDiff(m.predict(x).data, x.data)).toBe(-1);
    const y = m.predict(x, { training: true });
    const scale = Math.fround(1 / Math.fround(1 - Math.fround(0.3)));
    let drops = 0;
    for (let s = 0; s < samples; s++) {
      for (let c = 0; c < channels; c++) {
        const dropped = y.data[at(s, 0, c)] === 0;
        if (dropped) drops++;
        for (let t = 0; t < steps; t++) {
          const i = at(s, t, c);
          if (y.data[i] !== (dropped ? 0 : Math.fround(x.data[i]! * scale))) throw new Error(`sample ${s}, step ${t}, channel ${c}: ${y.data[i]}`);
        }
      }
    }
    expect(Math.abs(drops / (samples * channels) - 0.3)).toBeLessThan(0.04);
    m.dispose();
  });
  test('a seed gives the same noise sequence in two models; fit draws new noise every step', async () => {
    const x = tensorOf(8, [5], (i) => i / 10);
    const run = () => {
      const m = model(L.gaussianNoise({ stddev: 1, seed: 42 }), [5]);
      const out = [m.predict(x, { training: true }).data, m.predict(x, { training: true }).data];
      m.dispose();
      return out;
    };
    const [a1, a2] = run();
    const [b1, b2] = run();
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1);
    const m = km.sequential({ layers: [L.gaussianDropout({ rate: 0.3, seed: 1, inputShape: [5] }), L.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const layer = m.layers[0] as km.layers.GaussianDropout;
    await m.fit(x, tensorOf(8, [1], () => 1), { epochs: 3, batchSize: 4, verbose: 0 });
    expect(layer.counter).toBe(6);
    m.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
describe('activityRegularization', () => {
  test('evaluate adds l1·Σ|x| + l2·Σx² of the layer input (summed over the batch, Keras 3) to the loss', () => {
    const rng = new Rng(3);
    const x = tensorOf(5, [4], () => rng.uniform(-2, 2));
    const y = tensorOf(5, [1], () => rng.uniform(-1, 1));
    const m = km.sequential({ layers: [L.activityRegularization({ l1: 0.01, l2: 0.03, inputShape: [4] }), L.dense({ units: 1, kernelInitializer: 'ones' })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const p = m.predict(x).data;
    let mse = 0;
    for (let i = 0; i < 5; i++) mse += (p[i]! - y.data[i]!) ** 2;
    let pen = 0;
    for (const v of x.data) pen += 0.01 * Math.abs(v) + 0.03 * v * v;
    expect(m.evaluate(x, y, { batchSize: 5 }).loss).toBeCloseTo(mse / 5 + pen, 5);
    expect(m.predict(x).data).toEqual(m.predict(x, { training: true }).data);
    m.dispose();
  });
  test('defaults l1 = l2 = 0 (Keras); negative factors are rejected in Keras wording', () => {
    const a = L.activityRegularization();
    expect([a.l1, a.l2]).toEqual([0, 0]);
    expect(() => L.activityRegularization({ l1: -1 })).toThrow('Invalid value received for argument `l1`: expected a non-negative finite number. Received: l1=-1');
  });
});

// ---------------------------------------------------------------------------------------------
describe('batchNormalization', () => {
  /** (x − mm)/√(mv + ε)·γ + β per channel (the last axis), float64. */
  function bnRef(x: ArrayLike<number>, c: number, mean: ArrayLike<number>, variance: ArrayLike<number>, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps: number): Float64Array {
    return Float64Array.from({ length: x.length }, (_, i) => ((x[i]! - mean[i % c]!) / Math.sqrt(variance[i % c]! + eps)) * gamma[i % c]! + beta[i % c]!);
  }
  function moments(x: ArrayLike<number>, c: number): { mean: Float64Array; variance: Float64Array } {
    const m = x.length / c;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    for (let i = 0; i < x.length; i++) mean[i % c]! += x[i]! / m;
    for (let i = 0; i < x.length; i++) variance[i % c]! += (x[i]! - mean[i % c]!) ** 2 / m;
    return { mean, variance };
  }
  function maxRel(a: ArrayLike<number>, want: ArrayLike<number>): number {
    let e = 0;
    for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs(a[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
    return e;
  }

  test('weights in Keras order: gamma, beta (trainable), moving_mean, moving_variance (not); center/scale drop theirs', () => {
    const m = km.sequential({ layers: [L.batchNormalization({ inputShape: [3] })] });
    const bn = m.layers[0]!;
    expect(bn.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['gamma', [3], true], ['beta', [3], true], ['moving_mean', [3], false], ['moving_variance', [3], false],
    ]);
    expect(m.trainableWeights.length).toBe(2);
    expect(m.getWeights().map((t) => Array.from(t.data))).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    expect(lines.join('\n')).toContain('Non-trainable params: 6');
    m.dispose();
    const bare = km.sequential({ layers: [L.batchNormalization({ inputShape: [3], center: false, scale: false })] });
    expect(bare.layers[0]!.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    bare.dispose();
  });

  test('inference output is (x − moving_mean)/√(moving_variance + ε)·γ + β, rank 2 and rank 3', () => {
    for (const shape of [[5], [3, 5]]) {
      const rng = new Rng(shape.length);
      const m = km.sequential({ layers: [L.batchNormalization({ inputShape: shape, epsilon: 0.01 })] });
      const ws = [5, 5, 5, 5].map((c, i) => ({ data: Float32Array.from({ length: c }, () => (i === 3 ? rng.uniform(0.2, 3) : rng.uniform(-2, 2))), shape: [c] }));
      m.setWeights(ws);
      const x = tensorOf(7, shape, () => rng.uniform(-3, 3));
      const want = bnRef(x.data, 5, ws[2]!.data, ws[3]!.data, ws[0]!.data, ws[1]!.data, 0.01);
      expect(maxRel(m.predict(x).data, want)).toBeLessThan(1e-6);
      // MC inference (training: true in predict) keeps the moving statistics and leaves them unchanged
      expect(maxRel(m.predict(x, { training: true }).data, want)).toBeLessThan(1e-6);
      expect(Array.from(m.getWeights()[2]!.data)).toEqual(Array.from(ws[2]!.data));
      m.dispose();
    }
  });

  test('training steps use the batch statistics and move the moving ones by the Keras rule (4 steps, rank 3)', () => {
    const rng = new Rng(5);
    const c = 4;
    const momentum = 0.9;
    const m = km.sequential({ layers: [L.batchNormalization({ inputShape: [3, c], momentum })] });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    let mm: number[] = new Array<number>(c).fill(0);
    let mv: number[] = new Array<number>(c).fill(1);
    for (let step = 0; step < 4; step++) {
      const x = tensorOf(6, [3, c], (i) => (i % c) + rng.uniform(-1, 1) * (1 + (i % c)));
      const y = tensorOf(6, [3, c], () => rng.uniform(-1, 1));
      const [gamma, beta] = m.getWeights();
      const { mean, variance } = moments(x.data, c);
      // the loss trainOnBatch reports is computed on the batch-normalized output, before the update
      const out = bnRef(x.data, c, mean, variance, gamma!.data, beta!.data, 1e-3);
      let mse = 0;
      for (let i = 0; i < out.length; i++) mse += (out[i]! - y.data[i]!) ** 2 / out.length;
      expect(m.trainOnBatch(x, y) as number).toBeCloseTo(mse, 5);
      mm = mm.map((v, j) => v * momentum + mean[j]! * (1 - momentum));
      mv = mv.map((v, j) => v * momentum + variance[j]! * (1 - momentum));
      const w = m.getWeights();
      expect(maxRel(w[2]!.data, mm)).toBeLessThan(1e-6);
      expect(maxRel(w[3]!.data, mv)).toBeLessThan(1e-6);
    }
    m.dispose();
  });

  test('a frozen layer (trainable: false) normalizes with its moving statistics and keeps them', () => {
    const rng = new Rng(6);
    const m = km.sequential({ layers: [L.dense({ units: 3, inputShape: [3] }), L.batchNormalization({ trainable: false })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = m.getWeights().slice(2);
    const x = tensorOf(8, [3], () => rng.uniform(-1, 1));
    m.trainOnBatch(x, tensorOf(8, [3], () => 0));
    const after = m.getWeights().slice(2);
    after.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(before[i]!.data)));
    m.dispose();
  });

  test('fit trains a model with batchNormalization, dropout-family and noise layers (the loss falls)', async () => {
    km.setSeed(8);
    const rng = new Rng(8);
    const x = tensorOf(256, [6], () => rng.uniform(-3, 3) + 5);
    const y = km.tensor(Float32Array.from({ length: 256 }, (_, i) => Math.sin(x.data[i * 6]!) + 0.5 * x.data[i * 6 + 1]!), [256, 1]);
    const m = km.sequential({ layers: [
      L.gaussianNoise({ stddev: 0.05, inputShape: [6] }),
      L.batchNormalization(),
      L.dense({ units: 16, activation: 'selu' }),
      L.alphaDropout({ rate: 0.05 }),
      L.layerNormalization(),
      L.gaussianDropout({ rate: 0.05 }),
      L.dense({ units: 1 }),
    ] });
    m.compile({ optimizer: 'adam', loss: 'mse' });
    const h = await m.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0 });
    const loss = h.history.loss!;
    expect(loss.every(Number.isFinite)).toBe(true);
    expect(loss[loss.length - 1]!).toBeLessThan(0.3 * loss[0]!);
    // the moving mean has followed the inputs' mean (5 on every feature)
    const mm = m.getWeights()[2]!.data;
    for (const v of mm) expect(Math.abs(v - 5)).toBeLessThan(0.5);
    m.dispose();
  });

  test('errors in Keras wording', () => {
    expect(() => km.sequential({ layers: [L.batchNormalization({ inputShape: [3, 4], axis: 1 })] })).toThrow(
      'Invalid value received for argument `axis`: expected -1 or 2 (kerasm normalizes the last axis of an input of rank 3). Received: axis=1');
    expect(() => L.batchNormalization({ momentum: 2 })).toThrow('Invalid value received for argument `momentum`: expected a number in [0, 1]. Received: momentum=2');
    expect(() => L.batchNormalization({ epsilon: 0 })).toThrow('Invalid value received for argument `epsilon`: expected a positive finite number. Received: epsilon=0');
    expect(() => L.layerNormalization({ center: 1 as never })).toThrow('Invalid value received for argument `center`: expected a boolean. Received: center=1');
    // axis 2 of a rank-3 input is its last axis: accepted
    km.sequential({ layers: [L.batchNormalization({ inputShape: [3, 4], axis: 2 })] }).dispose();
  });

  test('parity with TF.js BatchNormalization: inference on identical weights, and training steps (output and moving statistics)', () => {
    const rng = new Rng(9);
    const c = 5;
    const ws = [0, 1, 2, 3].map((i) => Float32Array.from({ length: c }, () => (i === 3 ? rng.uniform(0.5, 2) : rng.uniform(-1, 1))));
    const x = tensorOf(9, [2, c], () => rng.uniform(-2, 2) + 1);
    const tm = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [2, c], momentum: 0.8 })] });
    tm.setWeights(ws.map((w) => tf.tensor1d(w)));
    const m = km.sequential({ layers: [L.batchNormalization({ inputShape: [2, c], momentum: 0.8 })] });
    m.setWeights(ws.map((w) => ({ data: w, shape: [c] })));
    const tfOut = (tm.predict(tf.tensor(x.data, x.shape)) as TF.Tensor).dataSync();
    expect(relDiff(m.predict(x).data, tfOut)).toBeLessThan(1e-6);
    // training mode: TF.js normalizes with the batch statistics and updates the moving ones at once
    const tl = tm.layers[0]!;
    const rig = new Rig(L.batchNormalization({ momentum: 0.8 }), [2, c], 9);
    rig.layer.weights.forEach((w, i) => rig.weight(i).set(ws[i]!));
    m.compile({ optimizer: 'sgd', loss: 'mse' }); // the moving statistics of a first layer depend on the data alone
    for (let step = 0; step < 3; step++) {
      const xs = tensorOf(9, [2, c], () => rng.uniform(-2, 2) + step);
      const tfTrain = (tl.apply(tf.tensor(xs.data, xs.shape), { training: true }) as TF.Tensor).dataSync();
      expect(relDiff(rig.forward(xs.data, true).y, tfTrain)).toBeLessThan(1e-6);
      rig.backward(new Float32Array(rig.nOut));
      m.trainOnBatch(xs, tensorOf(9, [2, c], () => 0));
    }
    const tfW = tl.getWeights().map((t) => t.dataSync());
    const kmW = m.getWeights();
    for (const i of [2, 3]) {
      expect(relDiff(kmW[i]!.data, tfW[i]!)).toBeLessThan(1e-6);
      expect(relDiff(rig.weight(i), tfW[i]!)).toBeLessThan(1e-6);
    }
    rig.free();
    m.dispose();
    tm.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
describe('layerNormalization', () => {
  test('output is (x − μ)/√(σ² + ε)·γ + β per sample over the last axis (biased σ²), the same in training', () => {
    const rng = new Rng(10);
    const c = 6;
    const m = km.sequential({ layers: [L.layerNormalization({ inputShape: [2, c], epsilon: 0.01 })] });
    const gamma = Float32Array.from({ length: c }, () => rng.uniform(-2, 2));
    const beta = Float32Array.from({ length: c }, () => rng.uniform(-2, 2));
    m.setWeights([{ data: gamma, shape: [c] }, { data: beta, shape: [c] }]);
    const x = tensorOf(5, [2, c], () => rng.uniform(-3, 3) + 10);
    const y = m.predict(x).data;
    for (let r = 0; r < 10; r++) {
      const row = x.data.subarray(r * c, r * c + c);
      const mu = row.reduce((a, v) => a + v, 0) / c;
      const v = row.reduce((a, u) => a + (u - mu) ** 2, 0) / c;
      for (let j = 0; j < c; j++) {
        expect(Math.abs(y[r * c + j]! - ((row[j]! - mu) / Math.sqrt(v + 0.01)) * gamma[j]! - beta[j]!)).toBeLessThan(1e-5);
      }
    }
    expect(m.predict(x, { training: true }).data).toEqual(y);
    m.dispose();
  });

  test('parity with TF.js LayerNormalization on identical weights, rank 2 and rank 3', () => {
    for (const shape of [[7], [3, 7]]) {
      const rng = new Rng(shape.length + 20);
      const gamma = Float32Array.from({ length: 7 }, () => rng.uniform(-2, 2));
      const beta = Float32Array.from({ length: 7 }, () => rng.uniform(-2, 2));
      const tm = tf.sequential({ layers: [tf.layers.layerNormalization({ inputShape: shape })] });
      tm.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta)]);
      const m = km.sequential({ layers: [L.layerNormalization({ inputShape: shape })] });
      m.setWeights([{ data: gamma, shape: [7] }, { data: beta, shape: [7] }]);
      const x = tensorOf(11, shape, () => rng.uniform(-3, 3));
      const want = (tm.predict(tf.tensor(x.data, x.shape)) as TF.Tensor).dataSync();
      expect(relDiff(m.predict(x).data, want)).toBeLessThan(1e-5);
      m.dispose();
      tm.dispose();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('configs and argument errors', () => {
  const classes = [
    [km.layers.GaussianNoise, () => L.gaussianNoise({ stddev: 0.2, seed: 3, name: 'gn' }), [4]],
    [km.layers.GaussianDropout, () => L.gaussianDropout({ rate: 0.2, name: 'gd' }), [4]],
    [km.layers.AlphaDropout, () => L.alphaDropout({ rate: 0.1, noiseShape: [null, 1, 4], seed: 7, name: 'ad' }), [3, 4]],
    [km.layers.SpatialDropout1D, () => L.spatialDropout1d({ rate: 0.3, seed: 1, name: 'sd1' }), [3, 4]],
    [km.layers.SpatialDropout2D, () => L.spatialDropout2d({ rate: 0.3, dataFormat: 'channelsFirst', name: 'sd2' }), [2, 3, 4]],
    [km.layers.ActivityRegularization, () => L.activityRegularization({ l1: 0.1, l2: 0.2, name: 'ar' }), [4]],
    [km.layers.BatchNormalization, () => L.batchNormalization({ momentum: 0.9, epsilon: 0.01, center: false, gammaRegularizer: km.regularizers.l2(0.1), name: 'bn' }), [4]],
    [km.layers.LayerNormalization, () => L.layerNormalization({ epsilon: 1e-5, betaRegularizer: km.regularizers.l1(0.1), name: 'ln' }), [4]],
  ] as const;
  test.each(classes)('%o: fromConfig(getConfig()) round-trips and JSON is stable', (cls, make) => {
    const layer = make();
    const config = layer.getConfig();
    const again = (cls as unknown as { fromConfig(c: Record<string, unknown>): Layer }).fromConfig(JSON.parse(JSON.stringify(config)) as Record<string, unknown>);
    expect(again.getConfig()).toEqual(config);
    expect(JSON.stringify(again.getConfig())).toBe(JSON.stringify(config));
    expect(again.className).toBe(layer.className);
  });
  test('Keras keys in the configs', () => {
    expect(L.spatialDropout2d({ rate: 0.3, name: 'x1' }).getConfig()).toMatchObject({ rate: 0.3, seed: null, data_format: 'channels_last' });
    expect(L.alphaDropout({ rate: 0.3, name: 'x2' }).getConfig()).toMatchObject({ rate: 0.3, seed: null, noise_shape: null });
    expect(L.batchNormalization({ name: 'x3' }).getConfig()).toMatchObject({
      axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true,
      beta_initializer: { class_name: 'Zeros' }, gamma_initializer: { class_name: 'Ones' },
      moving_mean_initializer: { class_name: 'Zeros' }, moving_variance_initializer: { class_name: 'Ones' },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });
    expect(L.layerNormalization({ name: 'x4' }).getConfig()).toMatchObject({ axis: -1, epsilon: 0.001, center: true, scale: true, rms_scaling: false });
  });
  test('bad arguments are ValueErrors in Keras wording', () => {
    expect(() => L.gaussianNoise({ stddev: -0.1 })).toThrow('Invalid value received for argument `stddev`: expected a non-negative finite number. Received: stddev=-0.1');
    expect(() => L.gaussianDropout({ rate: 1 })).toThrow('Invalid value received for argument `rate`: expected a number in [0, 1). Received: rate=1');
    expect(() => L.alphaDropout({ rate: 0.5, seed: 1.5 })).toThrow('Invalid value received for argument `seed`: expected an integer or null. Received: seed=1.5');
    expect(() => L.spatialDropout2d({ rate: 0.5, dataFormat: 'nhwc' as never })).toThrow("Invalid value received for argument `dataFormat`: expected 'channelsLast' or 'channelsFirst'. Received: dataFormat='nhwc'");
    expect(() => km.sequential({ layers: [L.spatialDropout1d({ rate: 0.5, inputShape: [4], name: 'sd' })] })).toThrow(
      'Input 0 of layer "sd" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: (None, 4)');
    expect(() => km.sequential({ layers: [L.alphaDropout({ rate: 0.5, inputShape: [3, 4], noiseShape: [null, 1, 2] })] })).toThrow(
      "Invalid value received for argument `noiseShape`: expected null, 1 or the input's size on every axis (input shape [null, 3, 4]). Received: noiseShape=[null, 1, 2]");
    expect(() => km.sequential({ layers: [L.alphaDropout({ rate: 0.5, inputShape: [3, 4, 5], noiseShape: [null, 1, null, 1] })] })).toThrow(
      'Invalid value received for argument `noiseShape`: expected the axes of size 1 to be adjacent (one broadcast run, e.g. [null, 1, 1, channels]). Received: noiseShape=[null, 1, null, 1]');
    for (const f of [() => L.gaussianNoise({ stddev: -1 }), () => L.batchNormalization({ momentum: -1 })]) {
      expect(f).toThrow(km.ValueError);
    }
  });
});

// The activation layers (src/layers/activations.ts, prelu.ts): forward and backward against
// float64 references (PReLU's broadcast by multi-index, independently of the kernel's collapsed
// pattern), argument checks, configs as Keras 3, Keras 2 and TF.js write them, a Dense
// `activation` given as a layer config (Keras 2.7 files, and the real one in
// shared/fixtures/realmodels/divorce_keras27), and parity with TF.js (cpu) through Sequential
// models on identical weights. Gradients by central differences are the layer harness's.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { Layer, Shape, StepContext } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import type { Dense } from '../../src/layers/dense.js';
import { shapeSize } from '../../src/tensor.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady } from '../helpers/tfjs.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
let tf: typeof TF;
beforeAll(async () => {
  b = await testBackend();
  tf = await tfReady();
});

const L = km.layers;

/** One forward and backward of `layer` built for `shape` on `rows` rows (weights given in order); y, dx and weight gradients. */
function drive(layer: Layer, shape: Shape, rows: number, x: Float32Array, dy: Float32Array, weights: Float32Array[] = []) {
  layer.build(shape);
  const n = rows * shapeSize(shape);
  const bufs: GuardedBuffer[] = [];
  const buf = (len: number, data?: ArrayLike<number>) => {
    const g = new GuardedBuffer(b, len);
    g.data.fill(NaN);
    if (data !== undefined) g.set(data);
    bufs.push(g);
    return g;
  };
  layer.weights.forEach((w, i) => {
    w.region = buf(w.size, weights[i]).region;
    w.grad = buf(w.size).region;
  });
  const [X, Y, DY, DX] = [buf(n, x), buf(n), buf(n, dy), buf(n)];
  layer.plan(b.arena, rows);
  const ctx: StepContext = {
    k: b.k, arena: b.arena, rows, training: true, updateStatistics: true, x: X!.ptr, y: Y!.ptr, dy: DY!.ptr, dx: DX!.ptr,
    xs: [X!.ptr], dxs: [DX!.ptr], ys: [Y!.ptr], dys: [DY!.ptr], mask: 0, maskOut: 0, accumulate: false, ws: 0, lossFused: false, trackPenalty: true, penalty: 0,
  };
  try {
    layer.forward(ctx);
    const y = Y!.data.slice();
    layer.backward(ctx);
    for (const g of bufs) g.checkGuards(layer.className);
    return { y, dx: DX!.data.slice(), grads: layer.weights.map((w) => b.arena.view(w.grad!, w.size).slice()) };
  } finally {
    layer.unplan(b.arena);
    for (const w of layer.weights) w.region = w.grad = null;
    for (const g of bufs) g.free();
  }
}

/** Inputs in [-3, 3] with exact kinks among them (0, 0.5, 1, and their neighbours). */
function inputs(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() < 0.15 ? [0, 0.5, 1, -0.5][rng.int(4)]! : rng.uniform(-3, 3)));
}

// ---------------------------------------------------------------------------------------------
describe('forward and backward against float64 references', () => {
  type Fd = [f: (x: number) => number, df: (x: number) => number];
  /** Keras 3 relu(x, negative_slope, max_value, threshold); the derivative as the kernels take it at kinks. */
  const relu = (max: number, slope: number, thr: number): Fd => [
    (x) => (x > thr ? Math.min(x, max) : slope * (x - thr)),
    (x) => (x > thr ? (x < max ? 1 : 0) : slope),
  ];
  const f32 = Math.fround;
  const CASES: [string, () => Layer, Fd][] = [
    ['ReLU()', () => L.reLU(), relu(Infinity, 0, 0)],
    ['ReLU({ maxValue: 6 })', () => L.reLU({ maxValue: 6 }), relu(6, 0, 0)],
    ['ReLU({ maxValue: 1 })', () => L.reLU({ maxValue: 1 }), relu(1, 0, 0)],
    ['ReLU({ negativeSlope: 0.1 })', () => L.reLU({ negativeSlope: 0.1 }), relu(Infinity, f32(0.1), 0)],
    ['ReLU({ maxValue: 1, negativeSlope: 0.2, threshold: 0.5 })', () => L.reLU({ maxValue: 1, negativeSlope: 0.2, threshold: 0.5 }), relu(1, f32(0.2), 0.5)],
    ['ReLU({ threshold: 0.5 })', () => L.reLU({ threshold: 0.5 }), relu(Infinity, 0, 0.5)],
    ['LeakyReLU() (alpha 0.3)', () => L.leakyReLU(), relu(Infinity, f32(0.3), 0)],
    ['LeakyReLU({ negativeSlope: 0.05 })', () => L.leakyReLU({ negativeSlope: 0.05 }), relu(Infinity, f32(0.05), 0)],
    ['ELU()', () => L.elu(), [(x) => (x > 0 ? x : Math.expm1(x)), (x) => (x > 0 ? 1 : Math.exp(x))]],
    ['ELU({ alpha: 0.5 })', () => L.elu({ alpha: 0.5 }), [(x) => (x > 0 ? x : 0.5 * Math.expm1(x)), (x) => (x > 0 ? 1 : 0.5 * Math.exp(x))]],
    ['ThresholdedReLU() (theta 1)', () => L.thresholdedReLU(), relu(Infinity, 0, 1)],
    ['ThresholdedReLU({ theta: 0.5 })', () => L.thresholdedReLU({ theta: 0.5 }), relu(Infinity, 0, 0.5)],
  ];

  test.each(CASES)('%s', (_name, make, [f, df]) => {
    for (const [shape, rows] of [[[5], 3], [[2, 17], 2], [[1], 1]] as [Shape, number][]) {
      const rng = new Rng(rows * 7 + shape.length);
      const n = rows * shapeSize(shape);
      const x = inputs(rng, n);
      const dy = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
      const { y, dx } = drive(make(), shape, rows, x, dy);
      // ELU goes through exp: a few ulps; the others are exact up to one rounding
      const tol = _name.startsWith('ELU') ? 4 : 1;
      for (let i = 0; i < n; i++) {
        const [fy, fdx] = [f(x[i]!), dy[i]! * df(x[i]!)];
        expect(Math.abs(y[i]! - fy), `y[${i}] at x=${x[i]}`).toBeLessThanOrEqual(tol * 1.2e-7 * Math.abs(fy) + 1e-30);
        expect(Math.abs(dx[i]! - fdx), `dx[${i}] at x=${x[i]}`).toBeLessThanOrEqual(tol * 1.2e-7 * Math.abs(fdx) + 1e-30);
      }
    }
  });

  test('Softmax: per row of the last axis; dx = y·(dy − Σ dy·y)', () => {
    const rng = new Rng(5);
    const [rows, shape] = [3, [2, 7]];
    const n = rows * 14;
    const x = Float32Array.from({ length: n }, () => rng.uniform(-4, 4));
    const dy = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const { y, dx } = drive(L.softmax(), shape, rows, x, dy);
    const wantY: number[] = [];
    const wantDx: number[] = [];
    for (let r = 0; r < rows * 2; r++) {
      const row = Array.from(x.subarray(r * 7, r * 7 + 7));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((a, c) => a + c, 0);
      const p = e.map((v) => v / s);
      const dot = p.reduce((a, v, j) => a + v * dy[r * 7 + j]!, 0);
      wantY.push(...p);
      wantDx.push(...p.map((v, j) => v * (dy[r * 7 + j]! - dot)));
    }
    for (let i = 0; i < n; i++) {
      expect(Math.abs(y[i]! - wantY[i]!)).toBeLessThan(1e-6 * wantY[i]! + 1e-9);
      expect(Math.abs(dx[i]! - wantDx[i]!)).toBeLessThan(1e-6);
    }
  });

  test.each([
    [null, [5]], [[1], [3, 4]], [[2], [3, 4]], [[1, 2], [2, 3, 4]], [[2], [2, 3, 4]], [[1, 3], [2, 3, 4]], [[1, 2, 3], [2, 3, 4]], [3, [2, 3, 4]],
  ] as [number[] | number | null, Shape][])('PReLU sharedAxes %j on [null, %j]: y, dx and the alpha gradient summed over the shared axes', (shared, shape) => {
    const rows = 3;
    const layer = L.pReLU({ sharedAxes: shared });
    const rng = new Rng(shapeSize(shape));
    const n = rows * shapeSize(shape);
    const x = inputs(rng, n);
    const dy = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const axes = shared === null ? [] : Array.isArray(shared) ? shared : [shared];
    const pshape = shape.map((d, i) => (axes.includes(i + 1) ? 1 : d));
    const alpha = Float32Array.from({ length: shapeSize(pshape) }, () => rng.uniform(-0.5, 1));
    const { y, dx, grads } = drive(layer, shape, rows, x, dy, [alpha]);
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['alpha', pshape]]);
    // alpha's index for element i, by multi-index with the shared axes at 0
    const alphaAt = (i: number): number => {
      let rest = i % shapeSize(shape);
      let idx = 0;
      shape.forEach((d, ax) => {
        const stride = shapeSize(shape.slice(ax + 1));
        const coord = Math.floor(rest / stride);
        rest %= stride;
        idx = idx * pshape[ax]! + (pshape[ax] === 1 ? 0 : coord);
      });
      return idx;
    };
    const da = new Float64Array(alpha.length);
    for (let i = 0; i < n; i++) {
      const a = alpha[alphaAt(i)]!;
      expect(y[i], `y[${i}]`).toBe(Math.fround(x[i]! > 0 ? x[i]! : a * x[i]!));
      expect(dx[i], `dx[${i}]`).toBe(Math.fround(dy[i]! * (x[i]! > 0 ? 1 : a)));
      da[alphaAt(i)] = da[alphaAt(i)]! + dy[i]! * Math.min(x[i]!, 0);
    }
    // float32 sums of up to 3·24 terms |dy·x| ≤ 3 against float64 ones
    for (let j = 0; j < da.length; j++) expect(Math.abs(grads[0]![j]! - da[j]!), `dalpha[${j}]`).toBeLessThan(1e-5);
  });
});

// ---------------------------------------------------------------------------------------------
describe('arguments', () => {
  test('Keras\'s ranges: ReLU maxValue, negativeSlope, threshold ≥ 0; LeakyReLU slope ≥ 0; ThresholdedReLU theta ≥ 0', () => {
    expect(() => L.reLU({ maxValue: -1 })).toThrow('Invalid value received for argument `maxValue`: expected a non-negative finite number. Received: maxValue=-1');
    expect(() => L.reLU({ negativeSlope: -0.1 })).toThrow(/argument `negativeSlope`/);
    expect(() => L.reLU({ threshold: -1 })).toThrow(/argument `threshold`/);
    expect(() => L.leakyReLU({ alpha: -0.1 })).toThrow(/argument `alpha`/);
    expect(() => L.leakyReLU({ alpha: 0.1, negativeSlope: 0.2 })).toThrow(/`alpha` \(TF.js\) or `negativeSlope` \(Keras 3\).*give one/);
    expect(() => L.thresholdedReLU({ theta: -1 })).toThrow(/argument `theta`/);
    expect(() => L.elu({ alpha: NaN })).toThrow(/argument `alpha`: expected a finite number/);
    expect(L.leakyReLU().alpha).toBe(0.3);
    expect(L.reLU({ maxValue: null }).maxValue).toBeNull();
  });

  test('Softmax: the last axis only', () => {
    expect(() => L.softmax({ axis: 0 })).toThrow(/argument `axis`: expected the last axis/);
    expect(() => L.softmax({ axis: -2 })).toThrow(/kerasm's Softmax normalizes over the last axis only/);
    expect(() => L.softmax({ axis: 1 }).build([2, 4])).toThrow('Softmax layer softmax');
    expect(() => L.softmax({ axis: 1 }).build([2, 4])).toThrow(/axis=1 is not the last axis of its input of shape \[null, 2, 4\]/);
    for (const axis of [-1, 2, [-1], [2]]) expect(() => L.softmax({ axis }).build([2, 4])).not.toThrow();
  });

  test('PReLU: shared axes are axes of the input (≥ 1), in a pattern the kernel follows', () => {
    expect(() => L.pReLU({ sharedAxes: 0 })).toThrow(/argument `sharedAxes`: expected axes ≥ 1/);
    expect(() => L.pReLU({ sharedAxes: [1.5] })).toThrow(/argument `sharedAxes`/);
    expect(() => L.pReLU({ sharedAxes: [3] }).build([4, 2])).toThrow(/shared axis 3 is not an axis of its input of shape \[null, 4, 2\]/);
    // unshared, shared, unshared, shared: one alternation more than the kernel's [p, a, q, c]
    expect(() => L.pReLU({ sharedAxes: [2, 4] }).build([2, 3, 4, 5])).toThrow(/alternate shared and unshared axes more than kerasm's kernel follows/);
    expect(() => L.pReLU({ sharedAxes: [1, 3] }).build([2, 3, 4, 5])).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------
describe('configs from files', () => {
  test('LeakyReLU reads Keras 3\'s negative_slope and TF.js/Keras 2\'s alpha, and writes alpha (which all three read)', () => {
    const k3 = layerFromConfig('LeakyReLU', { name: 'l', trainable: true, dtype: 'float32', negative_slope: 0.1 });
    expect(k3.getConfig()).toMatchObject({ name: 'l', alpha: 0.1 });
    expect(k3.getConfig()).not.toHaveProperty('negative_slope');
    expect(layerFromConfig('LeakyReLU', { name: 'm', alpha: 0.25 }).getConfig()).toMatchObject({ alpha: 0.25 });
    expect(layerFromConfig('LeakyReLU', { name: 'n' }).getConfig()).toMatchObject({ alpha: 0.3 });
  });

  test('ReLU, ELU, Softmax, ThresholdedReLU and PReLU as Keras writes them, read without a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(layerFromConfig('ReLU', { name: 're_lu', trainable: true, dtype: 'float32', max_value: null, negative_slope: 0.0, threshold: 0.0 }).getConfig())
        .toEqual({ name: 're_lu', trainable: true, dtype: 'float32', max_value: null, negative_slope: 0, threshold: 0 });
      expect(layerFromConfig('ELU', { name: 'e', alpha: 0.7 }).getConfig()).toMatchObject({ alpha: 0.7 });
      expect(layerFromConfig('Softmax', { name: 's', axis: -1 }).getConfig()).toMatchObject({ axis: -1 });
      expect(layerFromConfig('ThresholdedReLU', { name: 't', theta: 0.2 }).getConfig()).toMatchObject({ theta: 0.2 });
      const p = layerFromConfig('PReLU', {
        name: 'p', alpha_initializer: { class_name: 'Constant', config: { value: 0.25 } }, alpha_regularizer: { class_name: 'L2', config: { l2: 0.01 } },
        alpha_constraint: { class_name: 'NonNeg', config: {} }, shared_axes: [1, 2],
      });
      expect(p.getConfig()).toMatchObject({
        shared_axes: [1, 2], alpha_initializer: { class_name: 'Constant', config: { value: 0.25 } },
        alpha_regularizer: km.regularizers.serialize(km.regularizers.l2(0.01)), alpha_constraint: { class_name: 'NonNeg' },
      });
      p.build([4, 4, 3]);
      expect(p.weights.map((w) => [w.name, w.shape])).toEqual([['alpha', [1, 1, 3]]]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('a Dense activation given as an activation layer\'s config (Keras 2 files)', () => {
  const dense = (activation: unknown) => layerFromConfig('Dense', { name: 'd', units: 3, activation }) as Dense;

  test('folds into the plain activation, written back as its name where the name says everything', () => {
    const cases: [unknown, string, number][] = [
      [{ class_name: 'ReLU', config: { name: 're_lu', trainable: true, dtype: 'float32', max_value: null, negative_slope: 0.0, threshold: 0.0 } }, 'relu', 0],
      [{ class_name: 'ReLU', config: { max_value: 6.0 } }, 'relu6', 0],
      [{ class_name: 'LeakyReLU', config: { alpha: 0.2 } }, 'leaky_relu', 0.2],
      [{ class_name: 'ELU', config: { alpha: 1.0 } }, 'elu', 1],
      [{ class_name: 'Softmax', config: { axis: -1 } }, 'softmax', 0],
      [{ class_name: 'ThresholdedReLU', config: { theta: 0.0 } }, 'relu', 0],
      [{ class_name: 'Activation', config: { activation: 'tanh' } }, 'tanh', 0],
    ];
    for (const [config, name, alpha] of cases) {
      const d = dense(config);
      expect([d.activation.name, d.activation.alpha], JSON.stringify(config)).toEqual([name, alpha]);
      expect(d.getConfig().activation).toBe(name);
    }
  });

  test('an argument the name would lose (LeakyReLU 0.3, ELU 0.5, ReLU with a slope) is kept, and the config written back as read', () => {
    for (const [config, name, alpha] of [
      [{ class_name: 'LeakyReLU', config: { name: 'leaky_re_lu', alpha: 0.3 } }, 'leaky_relu', 0.3],
      [{ class_name: 'LeakyReLU', config: { negative_slope: 0.05 } }, 'leaky_relu', 0.05],
      [{ class_name: 'LeakyReLU', config: {} }, 'leaky_relu', 0.3],
      [{ class_name: 'ELU', config: { alpha: 0.5 } }, 'elu', 0.5],
      [{ class_name: 'ReLU', config: { max_value: null, negative_slope: 0.1, threshold: 0 } }, 'leaky_relu', 0.1],
    ] as const) {
      const d = dense(config);
      expect([d.activation.name, d.activation.alpha]).toEqual([name, alpha]);
      expect(d.getConfig().activation).toEqual({ class_name: config.class_name, config: config.config });
      expect((layerFromConfig('Dense', JSON.parse(JSON.stringify(d.getConfig())) as Record<string, unknown>) as Dense).activation.alpha).toBe(alpha);
    }
  });

  test('the rest is refused, saying what kerasm folds and what to do instead', () => {
    const refused: [unknown, RegExp][] = [
      [{ class_name: 'ReLU', config: { threshold: 0.5 } }, /ReLU with max_value=null, negative_slope=0, threshold=0.5 is not/],
      [{ class_name: 'ReLU', config: { max_value: 4 } }, /ReLU with max_value=4/],
      [{ class_name: 'Softmax', config: { axis: 1 } }, /Softmax over axis 1 is not/],
      [{ class_name: 'PReLU', config: {} }, /PReLU \(it has a weight, alpha\) is not/],
      [{ class_name: 'ThresholdedReLU', config: { theta: 1 } }, /ThresholdedReLU with theta=1 is not/],
      [{ class_name: 'Swoosh', config: {} }, /an unknown activation layer 'Swoosh' is not/],
    ];
    for (const [config, why] of refused) {
      let error: unknown = null;
      try {
        dense(config);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(config)).toBeInstanceOf(km.ValueError);
      expect((error as Error).message).toMatch(why);
      expect((error as Error).message).toMatch(/Invalid value received for argument `activation`: expected an activation name, or the config of an activation layer that is one \(ReLU with threshold 0/);
      expect((error as Error).message).toContain('give the layer no activation and put the activation layer after it');
    }
  });

  test('the Dense computes the folded activation with its alpha (LeakyReLU 0.3 from a file = Dense then LeakyReLU)', () => {
    const rng = new Rng(8);
    const x = km.tensor(Float32Array.from({ length: 20 }, () => rng.uniform(-2, 2)), [4, 5]);
    const folded = km.sequential({ layers: [layerFromConfig('Dense', { name: 'a', units: 3, batch_input_shape: [null, 5], activation: { class_name: 'LeakyReLU', config: { alpha: 0.3 } } })] });
    const split = km.sequential({ layers: [L.dense({ units: 3, inputShape: [5] }), L.leakyReLU({ alpha: 0.3 })] });
    split.setWeights(folded.getWeights());
    expect(Array.from((folded.predict(x) as km.Tensor).data)).toEqual(Array.from((split.predict(x) as km.Tensor).data));
    folded.dispose();
    split.dispose();
  });

  test('the real Keras 2.7 file (divorce_keras27: Dense with activation {"class_name": "ReLU"}, then Softmax) loads and predicts softmax(relu(x·W + b))', async () => {
    const dir = new URL('../../../shared/fixtures/realmodels/divorce_keras27/', import.meta.url);
    const topology = JSON.parse(readFileSync(new URL('model.json', dir), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(topology)).toContain('"activation":{"class_name":"ReLU"');
    const model = await km.loadModel(new URL('model.json', dir).href);
    const [kernel, bias] = model.getWeights();
    expect(kernel!.shape).toEqual([54, 2]);
    const rng = new Rng(2);
    const x = Float32Array.from({ length: 3 * 54 }, () => rng.int(5));
    const p = model.predict(km.tensor(x, [3, 54])) as km.Tensor;
    for (let r = 0; r < 3; r++) {
      const z = [0, 1].map((j) => Math.max(0, bias!.data[j]! + Array.from({ length: 54 }, (_, i) => x[r * 54 + i]! * kernel!.data[i * 2 + j]!).reduce((a, c) => a + c, 0)));
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      const want = e.map((v) => v / (e[0]! + e[1]!));
      expect(Math.abs(p.data[r * 2]! - want[0]!) + Math.abs(p.data[r * 2 + 1]! - want[1]!), `sample ${r}`).toBeLessThan(1e-5);
    }
    model.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
describe('parity with TF.js through a Sequential model on identical weights', () => {
  /** `train`: false where TF.js cannot take the gradient (ThresholdedReLU: none registered for Greater). */
  type Pair = [name: string, km: () => km.layers.Layer, tf: () => TF.layers.Layer, train?: boolean];
  const PAIRS: Pair[] = [
    ['ReLU({ maxValue: 0.6 })', () => L.reLU({ maxValue: 0.6 }), () => tf.layers.reLU({ maxValue: 0.6 })],
    ['ReLU()', () => L.reLU(), () => tf.layers.reLU()],
    ['LeakyReLU({ alpha: 0.15 })', () => L.leakyReLU({ alpha: 0.15 }), () => tf.layers.leakyReLU({ alpha: 0.15 })],
    ['LeakyReLU() (0.3)', () => L.leakyReLU(), () => tf.layers.leakyReLU()],
    ['PReLU()', () => L.pReLU(), () => tf.layers.prelu()],
    ['ELU()', () => L.elu(), () => tf.layers.elu()],
    ['Softmax()', () => L.softmax(), () => tf.layers.softmax()],
    ['ThresholdedReLU({ theta: 0.2 })', () => L.thresholdedReLU({ theta: 0.2 }), () => tf.layers.thresholdedReLU({ theta: 0.2 }), false],
  ];

  test.each(PAIRS)('%s: predictions (≤ 1e-5) and weights after 4 SGD steps (≤ 1e-5)', async (_name, kmLayer, tfLayer, train = true) => {
    const rng = new Rng(_name.length);
    const n = 16;
    const tm = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [5] }), tfLayer(), tf.layers.dense({ units: 3 })] });
    const model = km.sequential({ layers: [L.dense({ units: 6, inputShape: [5] }), kmLayer(), L.dense({ units: 3 })] });
    // PReLU starts at alpha 0 (a ReLU): give it a random slope, in both
    if (_name.startsWith('PReLU')) {
      const ws = tm.getWeights();
      ws[2] = tf.tensor1d(Float32Array.from({ length: 6 }, () => rng.uniform(0.05, 0.5)));
      tm.setWeights(ws);
    }
    model.setWeights(tm.getWeights().map((w) => ({ data: w.dataSync() as Float32Array, shape: w.shape.slice() })));
    const x = Float32Array.from({ length: n * 5 }, () => rng.uniform(-1.5, 1.5));
    const y = Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1));
    const kp = model.predict(km.tensor(x, [n, 5])) as km.Tensor;
    const tp = (tm.predict(tf.tensor2d(x, [n, 5])) as TF.Tensor).dataSync();
    expect(relDiff(kp.data, tp), 'predictions').toBeLessThan(1e-5);
    if (train) {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
      tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      await model.fit(km.tensor(x, [n, 5]), km.tensor(y, [n, 3]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      await tm.fit(tf.tensor2d(x, [n, 5]), tf.tensor2d(y, [n, 3]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
      const tw = tm.getWeights();
      model.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i}`).toBeLessThan(1e-5));
    }
    model.dispose();
    tm.dispose();
  });
});

// Weight constraints (Keras 3 keras/src/constraints/constraints.py), applied in wasm after each
// optimizer update (Keras BaseOptimizer.apply): checked against update-then-constrain in float64,
// plus the Keras configs and their round trip. Max-norm with dropout: Srivastava et al. 2014 §5.1.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { sgdRef } from '../reference/optimizers.js';
import { minMaxNormRef, nonNegRef } from '../reference/prox.js';
import { linearMseGrads } from '../reference/linear-mse.js';

beforeAll(async () => {
  await testBackend();
});

const N = 10;
const IN = 7;
const OUT = 5;
const LR = 0.5;

function data(seed: number) {
  const rng = new Rng(seed);
  return {
    x: Float32Array.from({ length: N * IN }, () => rng.uniform(-1, 1)),
    y: Float32Array.from({ length: N * OUT }, () => rng.uniform(-3, 3)),
    w: Float32Array.from({ length: IN * OUT }, () => rng.uniform(-0.6, 0.6)),
    b: Float32Array.from({ length: OUT }, () => rng.uniform(-0.5, 0.5)),
  };
}

/** MSE gradients of the linear layer in float64 (test/reference/linear-mse.ts). */
function grads(x: Float32Array, y: Float32Array, w: Float64Array, b: Float64Array): [Float64Array, Float64Array] {
  return linearMseGrads(x, y, w, b, N, IN, OUT);
}

type Apply = (w: Float64Array) => Float64Array;

function run(kernelConstraint: km.constraints.Constraint | null, biasConstraint: km.constraints.Constraint | null,
  refKernel: Apply, refBias: Apply, steps = 4) {
  const d = data(4);
  const m = km.sequential({ layers: [km.layers.dense({ units: OUT, inputShape: [IN], kernelConstraint, biasConstraint })] });
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss: 'mse' });
  m.setWeights([km.tensor(d.w, [IN, OUT]), km.tensor(d.b, [OUT])]);
  let w: Float64Array = Float64Array.from(d.w);
  let b: Float64Array = Float64Array.from(d.b);
  for (let s = 0; s < steps; s++) {
    m.trainOnBatch(km.tensor(d.x, [N, IN]), km.tensor(d.y, [N, OUT]));
    const [gw, gb] = grads(d.x, d.y, w, b);
    sgdRef(w, gw, {}, { learningRate: LR });
    sgdRef(b, gb, {}, { learningRate: LR });
    w = refKernel(w);
    b = refBias(b);
  }
  const [kw, kb] = m.getWeights();
  m.dispose();
  return { got: [kw!.data, kb!.data], want: [w, b] };
}

function close(got: Float32Array[], want: Float64Array[], tol = 1e-5): void {
  got.forEach((g, t) => {
    const scale = Math.max(...Array.from(want[t]!, Math.abs), 1e-6);
    g.forEach((v, i) => {
      if (!(Math.abs(v - want[t]![i]!) <= tol * scale)) throw new Error(`tensor ${t}[${i}]: got ${v}, want ${want[t]![i]}`);
    });
  });
}

const id: Apply = (w) => w;
const colNorms = (w: ArrayLike<number>, rows: number, cols: number) =>
  Array.from({ length: cols }, (_, j) => Math.sqrt(Array.from({ length: rows }, (_, i) => w[i * cols + j]! ** 2).reduce((s, v) => s + v, 0)));

describe('after each SGD step, against float64 update-then-constrain', () => {
  test('maxNorm({ maxValue: 0.8 }) on the kernel: per-unit (axis 0) norms capped', () => {
    const { got, want } = run(km.constraints.maxNorm({ maxValue: 0.8 }), null, (w) => minMaxNormRef(w, 1, IN, OUT, 0, 0.8, 1), id);
    close(got, want);
    const norms = colNorms(got[0]!, IN, OUT);
    expect(Math.max(...norms)).toBeLessThanOrEqual(0.8 * (1 + 1e-6));
    expect(norms.filter((n) => n > 0.79).length).toBeGreaterThan(0);
  });
  test('maxNorm with axis 1: one norm per input row instead', () => {
    const { got, want } = run(km.constraints.maxNorm({ maxValue: 0.5, axis: 1 }), null, (w) => minMaxNormRef(w, IN, OUT, 1, 0, 0.5, 1), id);
    close(got, want);
    // Against the axis-0 reference it fails: the axis matters.
    expect(() => close(got, [minMaxNormRef(want[0]!, 1, IN, OUT, 0, 0.5, 1), want[1]!])).toThrow(/got/);
  });
  test('unitNorm: every unit\'s incoming weights end with norm 1', () => {
    const { got, want } = run(km.constraints.unitNorm(), null, (w) => minMaxNormRef(w, 1, IN, OUT, 1, 1, 1), id);
    close(got, want);
    for (const n of colNorms(got[0]!, IN, OUT)) expect(n).toBeCloseTo(1, 5);
  });
  test('minMaxNorm({ minValue: 0.9, maxValue: 1.2, rate: 0.5 }) moves norms half-way into range', () => {
    const { got, want } = run(km.constraints.minMaxNorm({ minValue: 0.9, maxValue: 1.2, rate: 0.5 }), null, (w) => minMaxNormRef(w, 1, IN, OUT, 0.9, 1.2, 0.5), id);
    close(got, want);
  });
  test('nonNeg on the bias, maxNorm over the whole bias vector (axis 0 of [units])', () => {
    const nn = run(null, km.constraints.nonNeg(), id, (b) => nonNegRef(b));
    close(nn.got, nn.want);
    expect(nn.got[1]!.every((v) => v >= 0)).toBe(true);
    expect(nn.got[1]!.some((v) => v === 0)).toBe(true);
    const mx = run(null, km.constraints.maxNorm({ maxValue: 0.1 }), id, (b) => minMaxNormRef(b, 1, OUT, 1, 0, 0.1, 1));
    close(mx.got, mx.want);
  });
  test('the check can fail: a constraint skipped in the reference is told apart', () => {
    const { got, want } = run(km.constraints.maxNorm({ maxValue: 0.3 }), null, id, id);
    expect(() => close(got, want)).toThrow(/got/);
  });
});

describe('in fit with dropout (the dropout paper\'s pairing)', () => {
  test('per-unit norms stay ≤ maxValue at every epoch end', async () => {
    const rng = new Rng(1);
    const x = km.tensor(Float32Array.from({ length: 200 * 8 }, () => rng.uniform(-1, 1)), [200, 8]);
    const y = km.oneHot(Array.from({ length: 200 }, () => rng.int(3)), 3);
    km.setSeed(3);
    const m = km.sequential({ layers: [
      km.layers.dense({ units: 32, activation: 'relu', inputShape: [8], kernelConstraint: km.constraints.maxNorm({ maxValue: 1 }) }),
      km.layers.dropout({ rate: 0.5 }),
      km.layers.dense({ units: 3, activation: 'softmax', kernelConstraint: 'maxNorm' }),
    ] });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
    const worst: number[] = [];
    await m.fit(x, y, { epochs: 5, verbose: 0, callbacks: { onEpochEnd: () => {
      const ws = m.getWeights();
      worst.push(Math.max(...colNorms(ws[0]!.data, 8, 32)), Math.max(...colNorms(ws[2]!.data, 32, 3)) / 2);
    } } });
    expect(Math.max(...worst)).toBeLessThanOrEqual(1 + 1e-6);
    m.dispose();
  });
});

describe('configs (Keras class names and keys)', () => {
  test('getConfig, get() by name in every spelling, and the Dense round trip', () => {
    expect(km.constraints.serialize(km.constraints.maxNorm({ maxValue: 3 }))).toEqual({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } });
    expect(km.constraints.serialize(km.constraints.minMaxNorm())).toEqual({ class_name: 'MinMaxNorm', config: { min_value: 0, max_value: 1, rate: 1, axis: 0 } });
    expect(km.constraints.serialize(km.constraints.unitNorm({ axis: [0] }))).toEqual({ class_name: 'UnitNorm', config: { axis: [0] } });
    expect(km.constraints.serialize(km.constraints.nonNeg())).toEqual({ class_name: 'NonNeg', config: {} });
    for (const name of ['MaxNorm', 'max_norm', 'maxNorm']) expect(km.constraints.get(name)).toBeInstanceOf(km.constraints.MaxNorm);
    for (const name of ['NonNeg', 'non_neg', 'nonNeg']) expect(km.constraints.get(name)).toBeInstanceOf(km.constraints.NonNeg);
    expect((km.constraints.get({ class_name: 'MaxNorm', config: { maxValue: 4, axis: 1 } }) as km.constraints.MaxNorm).maxValue).toBe(4); // TF.js keys
    const layer = km.layers.dense({ units: 3, inputShape: [2], kernelConstraint: km.constraints.maxNorm({ maxValue: 2.5 }), biasConstraint: 'nonNeg' });
    const c = layer.getConfig();
    expect(c.kernel_constraint).toEqual({ class_name: 'MaxNorm', config: { max_value: 2.5, axis: 0 } });
    expect(c.bias_constraint).toEqual({ class_name: 'NonNeg', config: {} });
    const again = km.layers.Dense.fromConfig(JSON.parse(JSON.stringify(c)));
    expect(again.getConfig()).toEqual(c);
  });
  test('bad arguments are ValueErrors in Keras wording', () => {
    expect(() => km.constraints.get('maxnorm')).toThrow(/argument `constraint`: expected one of MaxNorm, NonNeg, UnitNorm, MinMaxNorm/);
    expect(() => km.constraints.maxNorm({ maxValue: -1 })).toThrow(new km.ValueError('Invalid value received for argument `maxValue`: expected a non-negative finite number. Received: maxValue=-1'));
    expect(() => km.constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(/argument `maxValue`: expected a number ≥ minValue \(2\)/);
    expect(() => km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [2], kernelConstraint: km.constraints.maxNorm({ axis: 2 }) })] }))
      .toThrow('Invalid value received for argument `axis`: expected consecutive axes of a weight of shape [2, 3]. Received: axis=2');
  });
});

// The base-optimizer options of Keras 3 (keras/src/optimizers/base_optimizer.py: `_clip_gradients`
// with `_clip_by_norm` and `clip_by_global_norm`, `_apply_weight_decay` with the current learning
// rate, then `update_step`), and FTRL (keras/src/optimizers/ftrl.py), checked end to end: a
// linear Dense layer trained with trainOnBatch against a float64 trainer of the same formulas.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { adagradRef, adamRef, rmspropRef, sgdRef } from '../reference/optimizers.js';
import { ftrlRef } from '../reference/prox.js';
import { linearMseGrads } from '../reference/linear-mse.js';

beforeAll(async () => {
  await testBackend();
});

const N = 12;
const IN = 5;
const OUT = 3;

function data(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: N * IN }, () => rng.uniform(-1, 1));
  const y = Float32Array.from({ length: N * OUT }, () => rng.uniform(-2, 2));
  const w = Float32Array.from({ length: IN * OUT }, () => rng.uniform(-1, 1));
  const bias = Float32Array.from({ length: OUT }, () => rng.uniform(-0.5, 0.5));
  return { x, y, w, bias };
}

/** MSE gradients of the linear layer in float64 (test/reference/linear-mse.ts). */
function grads(x: Float32Array, y: Float32Array, w: Float64Array, b: Float64Array): [Float64Array, Float64Array] {
  return linearMseGrads(x, y, w, b, N, IN, OUT);
}

const norm = (g: Float64Array) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));

type Clip = { clipnorm?: number; clipvalue?: number; globalClipnorm?: number };

/** Keras `_clip_gradients`: per-tensor g·c/max(‖g‖, c), global g·c·min(1/‖G‖, 1/c), or by value. */
function clip(gs: Float64Array[], c: Clip): Float64Array[] {
  if (c.clipnorm !== undefined) return gs.map((g) => g.map((v) => (v * c.clipnorm!) / Math.max(norm(g), c.clipnorm!)));
  if (c.globalClipnorm !== undefined) {
    const total = Math.sqrt(gs.reduce((s, g) => s + norm(g) ** 2, 0));
    const scale = c.globalClipnorm * Math.min(1 / total, 1 / c.globalClipnorm);
    return gs.map((g) => g.map((v) => v * scale));
  }
  if (c.clipvalue !== undefined) return gs.map((g) => g.map((v) => Math.min(Math.max(v, -c.clipvalue!), c.clipvalue!)));
  return gs;
}

interface Case {
  name: string;
  optimizer: () => km.optimizers.Optimizer;
  clip: Clip;
  /** One reference step of weight `i` (0 kernel, 1 bias), state per weight, at learning rate `lr`. */
  step(w: Float64Array, g: Float64Array, state: Record<string, Float64Array>, lr: number, iteration: number): void;
  init(size: number): Record<string, Float64Array>;
  lr(iteration: number): number;
}

const exp = km.schedules.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 });
const cases: Case[] = [
  {
    name: 'SGD, weightDecay 0.1 (w −= w·0.1·lr first)',
    optimizer: () => km.optimizers.sgd({ learningRate: 0.1, weightDecay: 0.1 }),
    clip: {}, init: () => ({}), lr: () => 0.1,
    step: (w, g, _s, lr) => sgdRef(w, g, {}, { learningRate: lr, weightDecay: 0.1 }),
  },
  {
    name: 'SGD momentum 0.9, globalClipnorm 0.05 (one norm over kernel and bias)',
    optimizer: () => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, globalClipnorm: 0.05 }),
    clip: { globalClipnorm: 0.05 }, init: (n) => ({ m: new Float64Array(n) }), lr: () => 0.1,
    step: (w, g, s, lr) => sgdRef(w, g, { m: s.m! }, { learningRate: lr, momentum: 0.9 }),
  },
  {
    name: 'Adam, clipnorm 0.05 (each tensor to norm ≤ 0.05)',
    optimizer: () => km.optimizers.adam({ learningRate: 0.01, clipnorm: 0.05 }),
    clip: { clipnorm: 0.05 }, init: (n) => ({ m: new Float64Array(n), v: new Float64Array(n) }), lr: () => 0.01,
    step: (w, g, s, lr, it) => adamRef(w, g, { m: s.m!, v: s.v! }, { learningRate: lr, iteration: it }),
  },
  {
    name: 'AdamW (weightDecay 0.004 by default) under an exponential-decay schedule',
    optimizer: () => km.optimizers.adamw({ learningRate: exp }),
    clip: {}, init: (n) => ({ m: new Float64Array(n), v: new Float64Array(n) }), lr: (it) => exp.call(it),
    step: (w, g, s, lr, it) => adamRef(w, g, { m: s.m!, v: s.v! }, { learningRate: lr, iteration: it, weightDecay: 0.004 }),
  },
  {
    name: 'RMSprop centered, clipvalue 0.02',
    optimizer: () => km.optimizers.rmsprop({ learningRate: 0.01, centered: true, clipvalue: 0.02 }),
    clip: { clipvalue: 0.02 }, init: (n) => ({ v: new Float64Array(n), mg: new Float64Array(n) }), lr: () => 0.01,
    step: (w, g, s, lr) => rmspropRef(w, g, { v: s.v!, mg: s.mg! }, { learningRate: lr, centered: true }),
  },
  {
    name: 'Adagrad, weightDecay 0.5 with the schedule\'s current rate',
    optimizer: () => km.optimizers.adagrad({ learningRate: exp, weightDecay: 0.5 }),
    clip: {}, init: (n) => ({ acc: new Float64Array(n).fill(0.1) }), lr: (it) => exp.call(it),
    step: (w, g, s, lr) => adagradRef(w, g, { acc: s.acc! }, { learningRate: lr, weightDecay: 0.5 }),
  },
  {
    name: 'FTRL: l1, l2, l2 shrinkage, beta, power −0.6',
    optimizer: () => km.optimizers.ftrl({ learningRate: 0.1, learningRatePower: -0.6, l1RegularizationStrength: 0.001,
      l2RegularizationStrength: 0.01, l2ShrinkageRegularizationStrength: 0.02, beta: 0.3 }),
    clip: {}, init: (n) => ({ acc: new Float64Array(n).fill(0.1), lin: new Float64Array(n) }), lr: () => 0.1,
    step: (w, g, s, lr) => void ftrlRef(w, g, { acc: s.acc!, lin: s.lin! }, { learningRate: lr, learningRatePower: -0.6, l1: 0.001, l2: 0.01, l2Shrinkage: 0.02, beta: 0.3 }),
  },
  {
    name: 'FTRL defaults, clipnorm 0.1',
    optimizer: () => km.optimizers.ftrl({ learningRate: 0.5, clipnorm: 0.1 }),
    clip: { clipnorm: 0.1 }, init: (n) => ({ acc: new Float64Array(n).fill(0.1), lin: new Float64Array(n) }), lr: () => 0.5,
    step: (w, g, s, lr) => void ftrlRef(w, g, { acc: s.acc!, lin: s.lin! }, { learningRate: lr }),
  },
];

/** kerasm's weights after `steps` trainOnBatch calls, and the float64 trainer's. */
function train(c: Case, steps: number, seed: number, refStep = c.step) {
  const d = data(seed);
  const m = km.sequential({ layers: [km.layers.dense({ units: OUT, inputShape: [IN] })] });
  m.compile({ optimizer: c.optimizer(), loss: 'mse' });
  m.setWeights([km.tensor(d.w, [IN, OUT]), km.tensor(d.bias, [OUT])]);
  const x = km.tensor(d.x, [N, IN]);
  const y = km.tensor(d.y, [N, OUT]);
  const w = Float64Array.from(d.w);
  const b = Float64Array.from(d.bias);
  const sw = c.init(w.length);
  const sb = c.init(b.length);
  for (let it = 0; it < steps; it++) {
    m.trainOnBatch(x, y);
    const [gw, gb] = clip(grads(d.x, d.y, w, b), c.clip);
    refStep(w, gw!, sw, c.lr(it), it);
    refStep(b, gb!, sb, c.lr(it), it);
  }
  const got = m.getWeights();
  m.dispose();
  return { got: [got[0]!.data, got[1]!.data], want: [w, b] };
}

/** Largest |got − want| relative to the tensor's largest |want| (f32 rounding scales with it). */
function maxRelErr(got: Float32Array[], want: Float64Array[]): number {
  let e = 0;
  got.forEach((g, t) => {
    const scale = Math.max(...Array.from(want[t]!, Math.abs), 1e-6);
    g.forEach((v, i) => (e = Math.max(e, Math.abs(v - want[t]![i]!) / scale)));
  });
  return e;
}

describe.each(cases.map((c) => ({ name: c.name, c })))('$name', ({ c }) => {
  test('five steps match the float64 Keras formula', () => {
    const { got, want } = train(c, 5, 11);
    expect(maxRelErr(got, want)).toBeLessThan(1e-5);
  });
});

describe('the checks can fail', () => {
  test('clipping each tensor instead of the global norm is told apart', () => {
    const c = cases[1]!;
    const perTensor = { ...c, clip: { clipnorm: 0.05 } };
    const a = train(c, 5, 11);
    const wrong = train(perTensor, 5, 11, c.step);
    expect(maxRelErr(a.got, wrong.want)).toBeGreaterThan(1e-3);
  });
  test('weight decay with the initial rate instead of the schedule\'s is told apart', () => {
    const c = cases[5]!;
    const { got } = train(c, 5, 11);
    const stale = train({ ...c, lr: () => 0.2 }, 5, 11);
    expect(maxRelErr(got, stale.want)).toBeGreaterThan(1e-3);
  });
  test('FTRL without beta in the reference is told apart', () => {
    const c = cases[6]!;
    const { got } = train(c, 5, 11);
    const noBeta = train(c, 5, 11, (w, g, s, lr) => void ftrlRef(w, g, { acc: s.acc!, lin: s.lin! }, { learningRate: lr, learningRatePower: -0.6, l1: 0.001, l2: 0.01, l2Shrinkage: 0.02 }));
    expect(maxRelErr(got, noBeta.want)).toBeGreaterThan(1e-3);
  });
});

describe('ftrl options', () => {
  test('Keras defaults and config keys; \'ftrl\' by name', () => {
    const f = km.optimizers.ftrl();
    expect(f.getConfig()).toMatchObject({ name: 'ftrl', learning_rate: 0.001, learning_rate_power: -0.5, initial_accumulator_value: 0.1,
      l1_regularization_strength: 0, l2_regularization_strength: 0, l2_shrinkage_regularization_strength: 0, beta: 0 });
    expect(km.optimizers.get('ftrl')).toBeInstanceOf(km.optimizers.Ftrl);
  });
  test('bad values are ValueErrors in Keras wording', () => {
    expect(() => km.optimizers.ftrl({ learningRatePower: 0.5 })).toThrow(new km.ValueError('Invalid value received for argument `learningRatePower`: expected a number ≤ 0. Received: learningRatePower=0.5'));
    expect(() => km.optimizers.ftrl({ l1RegularizationStrength: -1 })).toThrow(/argument `l1RegularizationStrength`: expected a non-negative finite number/);
    expect(() => km.optimizers.ftrl({ initialAccumulatorValue: -0.1 })).toThrow(/argument `initialAccumulatorValue`/);
  });
  test('a large l1RegularizationStrength makes FTRL weights exactly 0', () => {
    const d = data(3);
    const m = km.sequential({ layers: [km.layers.dense({ units: OUT, inputShape: [IN] })] });
    m.compile({ optimizer: km.optimizers.ftrl({ learningRate: 0.1, l1RegularizationStrength: 10 }), loss: 'mse' });
    m.trainOnBatch(km.tensor(d.x, [N, IN]), km.tensor(d.y, [N, OUT]));
    expect(m.getWeights()[0]!.data.every((v) => v === 0)).toBe(true);
    m.dispose();
  });
});

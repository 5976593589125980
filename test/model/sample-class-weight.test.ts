// sampleWeight and classWeight in fit/evaluate against a float64 computation. Keras 3: the loss
// reduction "sum_over_batch_size" is Σ wᵢ·lossᵢ / N (keras/src/losses/loss.py), class weights map
// through the class of each sample — argmax of a one-hot row, the rounded label otherwise —
// with missing classes weighing 1 (keras/src/trainers/data_adapters/data_adapter_utils.py
// `class_weight_to_sample_weights`); combined with sampleWeight by multiplication (tf.keras 2).
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

const N = 24;
const IN = 4;
const C = 3;
const LR = 0.5;

function problem(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: N * IN }, () => rng.uniform(-1, 1));
  const labels = Array.from({ length: N }, () => rng.int(C));
  const w = Float32Array.from({ length: IN * C }, () => rng.uniform(-0.5, 0.5));
  const b = Float32Array.from({ length: C }, () => rng.uniform(-0.2, 0.2));
  const sw = Array.from({ length: N }, () => Math.fround(rng.uniform(0, 2)));
  return { x, labels, w, b, sw };
}

/** Softmax cross-entropy of a linear layer in float64: the weighted loss Σwᵢ·CEᵢ/N and its gradients. */
function reference(x: Float32Array, labels: number[], w: Float32Array, b: Float32Array, weights: number[]) {
  let loss = 0;
  const gw = new Float64Array(IN * C);
  const gb = new Float64Array(C);
  for (let r = 0; r < N; r++) {
    const z = Array.from({ length: C }, (_, j) => {
      let s = b[j]!;
      for (let i = 0; i < IN; i++) s += x[r * IN + i]! * w[i * C + j]!;
      return s;
    });
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    const p = e.map((v) => v / sum);
    loss += (weights[r]! * -Math.log(p[labels[r]!]!)) / N;
    for (let j = 0; j < C; j++) {
      const d = (weights[r]! * (p[j]! - (j === labels[r] ? 1 : 0))) / N;
      gb[j] = gb[j]! + d;
      for (let i = 0; i < IN; i++) gw[i * C + j] = gw[i * C + j]! + x[r * IN + i]! * d;
    }
  }
  return { loss, w: Float64Array.from(w, (v, i) => v - LR * gw[i]!), b: Float64Array.from(b, (v, j) => v - LR * gb[j]!) };
}

function model(p: ReturnType<typeof problem>, loss = 'categoricalCrossentropy') {
  const m = km.sequential({ layers: [km.layers.dense({ units: C, activation: 'softmax', inputShape: [IN] })] });
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss });
  m.setWeights([km.tensor(p.w, [IN, C]), km.tensor(p.b, [C])]);
  return m;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 2e-6): void {
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `[${i}] got ${got[i]} want ${want[i]}`).toBeLessThan(tol);
}

const CW = { 0: 0.5, 2: 4 }; // class 1 missing: weight 1

describe('evaluate', () => {
  test('sampleWeight: Σ wᵢ·lossᵢ / N (not / Σw)', () => {
    const p = problem(1);
    const m = model(p);
    const y = km.oneHot(p.labels, C);
    const want = reference(p.x, p.labels, p.w, p.b, p.sw).loss;
    expect(m.evaluate(km.tensor(p.x, [N, IN]), y, { sampleWeight: p.sw }).loss).toBeCloseTo(want, 6);
    const sumW = p.sw.reduce((s, v) => s + v, 0);
    expect(Math.abs(m.evaluate(km.tensor(p.x, [N, IN]), y, { sampleWeight: p.sw }).loss! - (want * N) / sumW)).toBeGreaterThan(1e-3);
    m.dispose();
  });
  test('classWeight (one-hot targets: argmax) times sampleWeight', () => {
    const p = problem(2);
    const m = model(p);
    const weights = p.labels.map((l, i) => (l === 0 ? 0.5 : l === 2 ? 4 : 1) * p.sw[i]!);
    const want = reference(p.x, p.labels, p.w, p.b, weights).loss;
    expect(m.evaluate(km.tensor(p.x, [N, IN]), km.oneHot(p.labels, C), { classWeight: CW, sampleWeight: p.sw }).loss).toBeCloseTo(want, 6);
    m.dispose();
  });
});

describe('fit', () => {
  test('classWeight with one-hot targets: the step and the logged loss match float64', async () => {
    const p = problem(3);
    const m = model(p);
    const weights = p.labels.map((l) => (l === 0 ? 0.5 : l === 2 ? 4 : 1));
    const ref = reference(p.x, p.labels, p.w, p.b, weights);
    const h = await m.fit(km.tensor(p.x, [N, IN]), km.oneHot(p.labels, C), { epochs: 1, batchSize: N, shuffle: false, verbose: 0, classWeight: CW });
    expect(h.history.loss![0]).toBeCloseTo(ref.loss, 6);
    const [w, b] = m.getWeights();
    expectClose(w!.data, ref.w);
    expectClose(b!.data, ref.b);
    m.dispose();
  });
  test('classWeight × sampleWeight with sparse labels (the label is the class), as a Map', async () => {
    const p = problem(4);
    const m = model(p, 'sparseCategoricalCrossentropy');
    const weights = p.labels.map((l, i) => (l === 0 ? 0.5 : l === 2 ? 4 : 1) * p.sw[i]!);
    const ref = reference(p.x, p.labels, p.w, p.b, weights);
    const h = await m.fit(km.tensor(p.x, [N, IN]), p.labels, { epochs: 1, batchSize: N, shuffle: false, verbose: 0,
      classWeight: new Map([[0, 0.5], [2, 4]]), sampleWeight: p.sw });
    expect(h.history.loss![0]).toBeCloseTo(ref.loss, 6);
    expectClose(m.getWeights()[0]!.data, ref.w);
    m.dispose();
  });
  test('sampleWeight alone: the step matches float64; without weights it differs', async () => {
    const p = problem(5);
    const m = model(p);
    const ref = reference(p.x, p.labels, p.w, p.b, p.sw);
    await m.fit(km.tensor(p.x, [N, IN]), km.oneHot(p.labels, C), { epochs: 1, batchSize: N, shuffle: false, verbose: 0, sampleWeight: p.sw });
    expectClose(m.getWeights()[0]!.data, ref.w);
    const unweighted = reference(p.x, p.labels, p.w, p.b, p.labels.map(() => 1));
    expect(Math.max(...Array.from(m.getWeights()[0]!.data, (v, i) => Math.abs(v - unweighted.w[i]!)))).toBeGreaterThan(1e-3);
    m.dispose();
  });
  test('binary targets with one column: the rounded target is the class; validation data is not class-weighted', async () => {
    const rng = new Rng(6);
    const x = km.tensor(Float32Array.from({ length: 40 * 3 }, () => rng.uniform(-1, 1)), [40, 3]);
    const y = km.tensor(Float32Array.from({ length: 40 }, () => (rng.next() < 0.3 ? 1 : 0)), [40, 1]);
    const make = () => {
      km.setSeed(1);
      const m = km.sequential({ layers: [km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })] });
      m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
      return m;
    };
    const a = make();
    const sw = Array.from(y.data, (t) => (t === 1 ? 3 : 1));
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, classWeight: { 1: 3 }, validationSplit: 0.25 });
    const bm = make();
    const hb = await bm.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, sampleWeight: sw, validationSplit: 0.25 });
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(Array.from(a.getWeights()[0]!.data)).toEqual(Array.from(bm.getWeights()[0]!.data));
    // Validation: classWeight leaves it unweighted, while sampleWeight's tail (the held-out part) weighs it.
    const val = { x: km.tensor(x.data.subarray(30 * 3), [10, 3]), y: km.tensor(y.data.subarray(30), [10, 1]) };
    expect(ha.history.val_loss![1]).toBeCloseTo(a.evaluate(val.x, val.y).loss!, 6);
    a.dispose();
    bm.dispose();
  });
  test('bad class weights: Keras\'s message for a non-integer key; negative weights and non-objects refused', async () => {
    const p = problem(7);
    const m = model(p);
    const x = km.tensor(p.x, [N, IN]);
    const y = km.oneHot(p.labels, C);
    await expect(m.fit(x, y, { verbose: 0, classWeight: { a: 1 } as unknown as Record<number, number> }))
      .rejects.toThrow('`classWeight` must be a dictionary with integer keys representing class indices. Received an invalid key: a');
    await expect(m.fit(x, y, { verbose: 0, classWeight: { 0: -1 } })).rejects.toThrow('Invalid value received for argument `classWeight`: expected non-negative finite weights. Received: classWeight=-1 for class 0');
    await expect(m.fit(x, y, { verbose: 0, classWeight: [1, 2] as unknown as Record<number, number> })).rejects.toThrow(/argument `classWeight`: expected an object mapping class indices to weights/);
    m.dispose();
  });
});

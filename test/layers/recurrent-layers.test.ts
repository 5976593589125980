// The recurrent layers against float64 references of Keras 3's formulas (test/reference/recurrent.ts)
// where TF.js cannot be the oracle: GRU with resetAfter (Keras 3's default; TF.js 4.22 lacks it),
// masks (Keras's loop: masked steps keep the states, the output repeats the last one), initial
// states through apply and returnState; dropout and recurrent dropout statistically (rates, one
// mask per sample reused at every step, identity in inference); Keras's defaults and errors.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { CODES, seqForward } from '../reference/recurrent.js';
import type { SeqSpec } from '../reference/recurrent.js';

beforeAll(async () => {
  await testBackend();
});

const L = km.layers;

function rand(n: number, rng: Rng, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** max |got − want| / max(1, |want|) */
function maxRel(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return m;
}

/** Random weights of the layer's own shapes; returns them by name. */
function randomWeights(model: km.Model, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const ws = model.getWeights().map((w) => rand(w.data.length, rng, -0.7, 0.7));
  model.setWeights(ws.map((data, i) => ({ data, shape: model.getWeights()[i]!.shape })));
  return ws;
}

describe('GRU with resetAfter (Keras 3) against a float64 reference', () => {
  const variants: [string, Partial<SeqSpec>, object][] = [
    ['last output', {}, {}],
    ['returnSequences, goBackwards, relu', { returnSequences: true, goBackwards: true, act: CODES.relu }, { returnSequences: true, goBackwards: true, activation: 'relu' }],
    ['hard_sigmoid (Keras 3) gates, no bias', { ract: CODES.hard_sigmoid }, { recurrentActivation: 'hard_sigmoid', useBias: false }],
  ];
  test.each(variants)('%s', (_, spec, args) => {
    const [batch, steps, d, units] = [5, 9, 3, 4];
    const m = km.sequential({ layers: [L.gru({ units, inputShape: [steps, d], ...args })] });
    const [kernel, recurrent, bias] = randomWeights(m, 3);
    const full: SeqSpec = { kind: 'gru', units, act: CODES.tanh, ract: CODES.sigmoid, resetAfter: true, returnSequences: false, goBackwards: false, ...spec };
    const x = rand(batch * steps * d, new Rng(4));
    const want = seqForward(full, { kernel: kernel!, recurrent: recurrent!, bias: bias ?? null }, x, batch, steps, d).y;
    expect(maxRel(m.predict(km.tensor(x, [batch, steps, d])).data, want)).toBeLessThan(1e-5);
    if ('useBias' in args) expect(m.getWeights()).toHaveLength(2);
    else expect(m.getWeights()[2]!.shape).toEqual([2, 3 * units]);
    m.dispose();
  });
});

describe('masks (Masking in front): Keras\'s loop', () => {
  const kinds: [string, SeqSpec['kind'], object][] = [['LSTM', 'lstm', {}], ['GRU', 'gru', {}], ['GRU reset before', 'gru', { resetAfter: false }], ['SimpleRNN', 'simple', {}]];
  test.each(kinds)('%s: masked steps keep the states, outputs repeat the last one; the last output is the last real step\'s', (_, kind, extra) => {
    const [batch, steps, d, units] = [5, 6, 3, 3];
    const make = kind === 'lstm' ? L.lstm : kind === 'gru' ? L.gru : L.simpleRNN;
    const rng = new Rng(7);
    const x = rand(batch * steps * d, rng);
    const mask = Float32Array.from({ length: batch * steps }, (_, i) => (i % steps === 2 || (i * 7) % 5 === 1 ? 0 : 1));
    mask.forEach((v, i) => v === 0 && x.fill(0, i * d, i * d + d));
    for (const returnSequences of [true, false]) {
      const m = km.sequential({ layers: [L.masking({ maskValue: 0, inputShape: [steps, d] }), make({ units, returnSequences, ...extra } as never)] });
      const [kernel, recurrent, bias] = randomWeights(m, 8);
      const spec: SeqSpec = { kind, units, act: CODES.tanh, ract: CODES.sigmoid, resetAfter: !('resetAfter' in extra), returnSequences, goBackwards: false };
      const want = seqForward(spec, { kernel: kernel!, recurrent: recurrent!, bias: bias! }, x, batch, steps, d, { mask }).y;
      expect(maxRel(m.predict(km.tensor(x, [batch, steps, d])).data, want), `returnSequences ${returnSequences}`).toBeLessThan(1e-5);
      m.dispose();
    }
  });
});

describe('initial states and returnState (functional API)', () => {
  test('LSTM apply(x, { initialState: [h, c] }) with returnState returns [output, h, c] as the reference', () => {
    const [batch, steps, d, units] = [3, 4, 2, 5];
    const x = km.input({ shape: [steps, d] });
    const h0 = km.input({ shape: [units] });
    const c0 = km.input({ shape: [units] });
    const lstm = L.lstm({ units, returnSequences: true, returnState: true });
    const outs = lstm.applyMany(x, { initialState: [h0, c0] });
    expect(outs.map((o) => o.shape)).toEqual([[steps, units], [units], [units]]);
    const m = km.model({ inputs: [x, h0, c0], outputs: outs });
    const [kernel, recurrent, bias] = randomWeights(m, 11);
    const rng = new Rng(12);
    const xs = rand(batch * steps * d, rng);
    const hs = rand(batch * units, rng);
    const cs = rand(batch * units, rng);
    const got = m.predict([km.tensor(xs, [batch, steps, d]), km.tensor(hs, [batch, units]), km.tensor(cs, [batch, units])]) as km.Tensor[];
    const spec: SeqSpec = { kind: 'lstm', units, act: CODES.tanh, ract: CODES.sigmoid, resetAfter: true, returnSequences: true, goBackwards: false };
    const want = seqForward(spec, { kernel: kernel!, recurrent: recurrent!, bias: bias! }, xs, batch, steps, d, { h0: hs, c0: cs });
    expect(maxRel(got[0]!.data, want.y)).toBeLessThan(1e-5);
    expect(maxRel(got[1]!.data, want.h)).toBeLessThan(1e-5);
    expect(maxRel(got[2]!.data, want.c)).toBeLessThan(1e-5);
    m.dispose();
  });

  test('GRU initial state trains: its gradient reaches the state input\'s Dense', async () => {
    const x = km.input({ shape: [3, 2] });
    const meta = km.input({ shape: [4] });
    const h0 = L.dense({ units: 3, activation: 'tanh' }).apply(meta);
    const y = L.dense({ units: 1 }).apply(L.gru({ units: 3 }).apply(x, { initialState: h0 }));
    const m = km.model({ inputs: [x, meta], outputs: y });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const before = m.getWeights()[0]!.data.slice();
    const rng = new Rng(2);
    await m.fit([km.tensor(rand(8 * 6, rng), [8, 3, 2]), km.tensor(rand(8 * 4, rng), [8, 4])], km.tensor(rand(8, rng), [8, 1]), { epochs: 1, batchSize: 8, verbose: 0 });
    const after = m.getWeights()[0]!.data;
    expect(after.some((v, i) => v !== before[i])).toBe(true);
    m.dispose();
  });
});

describe('dropout and recurrentDropout (Keras 3: one mask per sample and call, every step)', () => {
  /** SimpleRNN(linear), kernel I, recurrent I, no bias: h_t = x_t·m + h_{t−1}·r, so masks show through. */
  function probe(args: object, d: number): km.Sequential {
    const m = km.sequential({ layers: [L.simpleRNN({ units: d, activation: 'linear', useBias: false, returnSequences: true, inputShape: [3, d], seed: 5, ...args })] });
    const eye = Float32Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
    m.setWeights([{ data: eye, shape: [d, d] }, { data: eye, shape: [d, d] }]);
    return m;
  }

  test('input mask: rate, values 0 or 1/(1 − rate), the same at every step, new each call, identity in inference', () => {
    const [n, d, rate] = [400, 8, 0.3];
    const m = probe({ dropout: rate }, d);
    // recurrent I adds the previous state: step 1 = m, step 2 = 2m, step 3 = 3m when the mask is reused
    const x = km.tensor(new Float32Array(n * 3 * d).fill(1), [n, 3, d]);
    const y = m.predict(x, { training: true }).data;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const m1 = y[(i * 3) * d + j]!;
        expect([0, 1 / (1 - rate)].some((v) => Math.abs(m1 - v) < 1e-6)).toBe(true);
        expect(y[(i * 3 + 1) * d + j]).toBeCloseTo(2 * m1, 5);
        expect(y[(i * 3 + 2) * d + j]).toBeCloseTo(3 * m1, 5);
        if (m1 === 0) zeros++;
      }
    }
    const p = zeros / (n * d);
    expect(Math.abs(p - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / (n * d)));
    const again = m.predict(x, { training: true }).data;
    expect(Array.from(again)).not.toEqual(Array.from(y));
    expect(Array.from(m.predict(x).data)).toEqual(Array.from({ length: n * 3 * d }, (_, k) => (Math.floor(k / d) % 3) + 1));
    m.dispose();
  });

  test('recurrent mask: rate, the same at every step, independent of the input mask', () => {
    const [n, d, rate] = [400, 8, 0.4];
    const m = probe({ recurrentDropout: rate, dropout: 0.2 }, d);
    const x = km.tensor(new Float32Array(n * 3 * d).fill(1), [n, 3, d]);
    const y = m.predict(x, { training: true }).data;
    let zeros = 0;
    let both = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const a = y[(i * 3) * d + j]!; // h1 = p (input mask)
        if (a === 0) continue;
        const r = (y[(i * 3 + 1) * d + j]! - a) / a; // h2 = p + h1·r
        expect([0, 1 / (1 - rate)].some((v) => Math.abs(r - v) < 1e-5)).toBe(true);
        expect(y[(i * 3 + 2) * d + j]).toBeCloseTo(a + (a + a * r) * r, 4); // the same r at step 3
        both++;
        if (r === 0) zeros++;
      }
    }
    expect(Math.abs(zeros / both - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / both));
    m.dispose();
  });
});

describe('Keras defaults, configs and errors', () => {
  test('defaults: tanh, sigmoid gates, glorotUniform / orthogonal, unitForgetBias, GRU resetAfter', () => {
    const lstm = L.lstm({ units: 3 });
    const c = lstm.getConfig();
    expect(c).toMatchObject({ activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, unit_forget_bias: true, return_sequences: false, return_state: false, go_backwards: false,
      kernel_initializer: { class_name: 'GlorotUniform' }, recurrent_initializer: { class_name: 'Orthogonal' }, bias_initializer: { class_name: 'Zeros' } });
    expect(L.gru({ units: 2 }).getConfig()).toMatchObject({ reset_after: true, recurrent_activation: 'sigmoid' });
    const m = km.sequential({ layers: [L.lstm({ units: 3, inputShape: [2, 2] })] });
    expect(Array.from(m.getWeights()[2]!.data)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const rk = m.getWeights()[1]!.data; // orthogonal [3, 12]: rows orthonormal
    for (let a = 0; a < 3; a++) {
      for (let b2 = 0; b2 < 3; b2++) {
        let dot = 0;
        for (let j = 0; j < 12; j++) dot += rk[a * 12 + j]! * rk[b2 * 12 + j]!;
        expect(dot).toBeCloseTo(a === b2 ? 1 : 0, 5);
      }
    }
    m.dispose();
  });

  test('errors name the argument before any wasm call', () => {
    expect(() => L.lstm({ units: 0 })).toThrow(/`units`/);
    expect(() => L.gru({ units: 2, dropout: 1 })).toThrow(/`dropout`/);
    expect(() => L.simpleRNN({ units: 2, stateful: true })).toThrow(/`stateful`.*initialState/);
    expect(() => L.lstm({ units: 2, recurrentActivation: 'gelu' })).toThrow(/`recurrentActivation`/);
    expect(() => L.lstm({ units: 2, return_sequences: true } as never)).toThrow(/returnSequences/);
    expect(() => km.sequential({ layers: [L.lstm({ units: 2, inputShape: [4] })] })).toThrow(/expected ndim=3, found ndim=2\. Full shape received: \(None, 4\) \(a recurrent layer reads/);
    const x = km.input({ shape: [3, 2] });
    expect(() => L.lstm({ units: 2 }).apply(x, { initialState: km.input({ shape: [2] }) })).toThrow(/2 initial state/);
    expect(() => L.gru({ units: 2 }).apply(x, { initialState: km.input({ shape: [3] }) })).toThrow(/initial state 0 must have shape \[batch, 2\]/);
  });
});

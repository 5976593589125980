// Masks and several outputs through the engine (src/model/program.ts, plan.ts, step.ts) against
// float64 references of Keras's formulas: Embedding(maskZero) and Masking into
// GlobalAveragePooling1D (the mean over the real steps; TF.js's layer ignores masks, so Keras's
// formula is the reference), a mask dropped by a layer that neither reads nor passes it (as
// Keras), the padding row's gradient, ids out of range refused before training, ids as
// Int32Array / number[][], and an LSTM with returnState in a functional model against TF.js.
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { ValueError } from '../../src/errors.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady, tfWeights } from '../helpers/tfjs.js';
import type { Plan } from '../../src/model/plan.js';

beforeAll(async () => {
  await testBackend();
});

const L = km.layers;
const STEPS = 6;
const VOCAB = 8;
const DIM = 3;

/** ids [n, STEPS] with trailing zeros (sample r has r % 4 padding steps; sample 3 is all padding but one). */
function ids(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, r) => Array.from({ length: STEPS }, (_, t) => (t >= STEPS - (r % 4) ? 0 : 1 + rng.int(VOCAB - 1))));
}

/** Keras's masked mean of the embedded rows: Σ mask·e / Σ mask per feature. */
function maskedMeanRef(table: Float32Array, x: number[][], mask: (id: number) => boolean): Float64Array {
  const out = new Float64Array(x.length * DIM);
  x.forEach((row, r) => {
    let count = 0;
    for (const id of row) {
      if (!mask(id)) continue;
      count++;
      for (let j = 0; j < DIM; j++) out[r * DIM + j]! += table[id * DIM + j]!;
    }
    for (let j = 0; j < DIM; j++) out[r * DIM + j]! /= count;
  });
  return out;
}

function embedPool(maskZero: boolean, between: km.layers.Layer[] = []): km.Sequential {
  return km.sequential({ layers: [L.embedding({ inputDim: VOCAB, outputDim: DIM, maskZero, inputShape: [STEPS] }), ...between, L.globalAveragePooling1d()] });
}

describe('masks through the graph', () => {
  test('Embedding(maskZero) → GlobalAveragePooling1D: the mean over the non-padding steps (float64 reference)', () => {
    const model = embedPool(true);
    const x = ids(5, 1);
    const table = model.getWeights()[0]!.data;
    const got = model.predict(x).data;
    expect(relDiff(got, maskedMeanRef(table, x, (id) => id !== 0))).toBeLessThan(1e-6);
    // Without maskZero the padding rows count: a different result, the plain mean.
    const plain = embedPool(false);
    plain.setWeights(model.getWeights());
    expect(relDiff(plain.predict(x).data, maskedMeanRef(table, x, () => true))).toBeLessThan(1e-6);
    expect(relDiff(plain.predict(x).data, got)).toBeGreaterThan(1e-3);
    model.dispose();
    plain.dispose();
  });

  test('Dropout, Activation and Dense pass the mask on (Keras supports_masking): still the mean over the real steps', () => {
    const model = embedPool(true, [L.dropout({ rate: 0.5 }), L.activation({ activation: 'linear' }),
      L.dense({ units: DIM, useBias: false })]);
    const eye = Float32Array.from({ length: DIM * DIM }, (_, i) => (i % (DIM + 1) === 0 ? 1 : 0));
    model.setWeights([model.getWeights()[0]!, km.tensor(eye, [DIM, DIM])]);
    const x = ids(4, 6);
    const table = model.getWeights()[0]!.data;
    expect(relDiff(model.predict(x).data, maskedMeanRef(table, x, (id) => id !== 0))).toBeLessThan(1e-6);
    model.dispose();
  });

  test('a layer that neither reads nor passes masks drops it (Flatten → Reshape: the plain mean, as Keras)', () => {
    const model = embedPool(true, [L.flatten(), L.reshape({ targetShape: [STEPS, DIM] })]);
    const x = ids(4, 2);
    const table = model.getWeights()[0]!.data;
    expect(relDiff(model.predict(x).data, maskedMeanRef(table, x, () => true))).toBeLessThan(1e-6);
    model.dispose();
  });

  test('Masking → GlobalAveragePooling1D: steps whose features all equal maskValue leave the mean', () => {
    const model = km.sequential({ layers: [L.masking({ maskValue: -1, inputShape: [4, 2] }), L.globalAveragePooling1d()] });
    const x = [[[1, 2], [-1, -1], [3, -1], [-1, -1]], [[-1, -1], [0.5, 0.5], [-1, -1], [-1, -1]]];
    expect(Array.from(model.predict(x).data)).toEqual([2, 0.5, 0.5, 0.5]);
    model.dispose();
  });

  test('training: the padding row (id 0) gets no gradient through a masked mean; the others move', async () => {
    const model = km.sequential({ layers: [L.embedding({ inputDim: VOCAB, outputDim: DIM, maskZero: true, inputShape: [STEPS] }), L.globalAveragePooling1d(), L.dense({ units: 1 })] });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    const before = model.getWeights()[0]!.data.slice();
    const x = ids(8, 3);
    await model.fit(x, Array.from({ length: 8 }, (_, i) => [i % 2]), { epochs: 2, batchSize: 4, verbose: 0 });
    const after = model.getWeights()[0]!.data;
    expect(Array.from(after.subarray(0, DIM))).toEqual(Array.from(before.subarray(0, DIM)));
    expect(relDiff(after.subarray(DIM), before.subarray(DIM))).toBeGreaterThan(1e-3);
    model.dispose();
  });
});

describe('ids', () => {
  test('an id out of range is a ValueError naming the sample and position, before any step (predict and fit)', async () => {
    const model = embedPool(false);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = ids(4, 4);
    x[2]![3] = VOCAB;
    const before = model.getWeights()[0]!.data.slice();
    expect(() => model.predict(x)).toThrow(ValueError);
    expect(() => model.predict(x)).toThrow(/integers in \[0, 8\).*Received: 8 at sample 2, position 3.*raise inputDim to 9/);
    x[2]![3] = 1.5;
    await expect(model.fit(x, Array.from({ length: 4 }, () => [0, 0, 0]), { epochs: 1, verbose: 0 })).rejects.toThrow(/Received: 1.5 at sample 2, position 3/);
    expect(model.getWeights()[0]!.data).toEqual(before);
    model.dispose();
  });

  test("a Keras 2 / TF.js file's input_length is the input shape", () => {
    const e = km.layers.Embedding.fromConfig({ name: 'e', input_dim: 5, output_dim: 2, input_length: 7, mask_zero: true });
    expect(e.batchInputShape).toEqual([null, 7]);
    expect(e.getConfig()).toMatchObject({ input_dim: 5, output_dim: 2, mask_zero: true, batch_input_shape: [null, 7] });
  });

  test('ids as Int32Array rows, { data: Int32Array, shape } and number[][] give the same output', () => {
    const model = embedPool(true);
    const x = ids(3, 5);
    const flat = Int32Array.from(x.flat());
    const a = model.predict(x).data;
    expect(model.predict(x.map((r) => Int32Array.from(r))).data).toEqual(a);
    expect(model.predict({ data: flat, shape: [3, STEPS] }).data).toEqual(a);
    model.dispose();
  });
});

describe('several outputs per layer (returnState)', () => {
  let tf: typeof TF;
  beforeAll(async () => {
    tf = await tfReady();
  });

  /** x → LSTM(returnState) → [dense(output), dense(c)], and the raw [output, h, c]. */
  function graphs(lib: typeof km | typeof tf) {
    const l = lib.layers as unknown as typeof km.layers;
    const input = (lib as typeof km).input({ shape: [5, 2] });
    const lstm = l.lstm({ units: 3, returnState: true, recurrentActivation: 'sigmoid' }); // TF.js's default is hardSigmoid
    const [out, h, c] = lstm.applyMany ? lstm.applyMany(input) : (lstm.apply(input) as unknown as km.SymbolicTensor[]);
    const heads = [l.dense({ units: 2, activation: 'softmax' }).apply(out!), l.dense({ units: 1 }).apply(c!)];
    const make = (lib as typeof km).model;
    return { raw: make({ inputs: input, outputs: [out!, h!, c!] }), trained: make({ inputs: input, outputs: heads }) };
  }

  test('LSTM returnState: apply gives [output, h, c]; predict and 20 training steps with a loss on c match TF.js', async () => {
    const kmG = graphs(km);
    const tfG = graphs(tf as unknown as typeof km) as unknown as { raw: TF.LayersModel; trained: TF.LayersModel };
    const rng = new Rng(9);
    tfG.trained.setWeights(tfG.trained.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.5, 0.5)), w.shape)));
    kmG.trained.setWeights(tfWeights(tfG.trained));
    const n = 8;
    const x = Float32Array.from({ length: n * 10 }, () => rng.uniform(-1, 1));
    const tx = tf.tensor(x, [n, 5, 2]);
    // The state outputs: output === h for an LSTM without returnSequences.
    kmG.raw.setWeights(kmG.trained.getWeights().slice(0, 3));
    const [o, h, c] = kmG.raw.predict(km.tensor(x, [n, 5, 2])) as km.Tensor[];
    expect(Array.from(o!.data)).toEqual(Array.from(h!.data));
    tfG.raw.setWeights(tfG.trained.getWeights().slice(0, 3));
    const tc = (tfG.raw.predict(tx) as TF.Tensor[])[2]!.dataSync();
    expect(relDiff(c!.data, tc), 'c').toBeLessThan(1e-5);
    // Training through both heads: the gradient reaches the LSTM through output and through c.
    const y1 = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === (Math.floor(i / 2) % 2) ? 1 : 0));
    const y2 = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    tfG.trained.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    kmG.trained.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    const th = await tfG.trained.fit(tx, [tf.tensor(y1, [n, 2]), tf.tensor(y2, [n, 1])], { epochs: 5, batchSize: 2, shuffle: false, verbose: 0 });
    const kh = await kmG.trained.fit(km.tensor(x, [n, 5, 2]), [km.tensor(y1, [n, 2]), km.tensor(y2, [n, 1])], { epochs: 5, batchSize: 2, shuffle: false, verbose: 0 });
    (th.history.loss as number[]).forEach((l, e) => expect(Math.abs(kh.history.loss![e]! - l) / l, `epoch ${e} loss`).toBeLessThan(1e-3));
    const tw = tfG.trained.getWeights();
    kmG.trained.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i}`).toBeLessThan(1e-3));
  }, 60_000);

  test('initialState through apply (kerasm and TF.js kwargs) and TF.js apply([x, h, c]): predict and training match TF.js', async () => {
    const build = (lib: typeof km, kwargs: boolean) => {
      const l = lib.layers;
      const x = lib.input({ shape: [4, 2] });
      const s = lib.input({ shape: [3] });
      const h0 = l.dense({ units: 2, activation: 'tanh' }).apply(s);
      const c0 = l.dense({ units: 2 }).apply(s);
      const lstm = l.lstm({ units: 2, recurrentActivation: 'sigmoid' });
      const out = kwargs ? lstm.apply(x, { initialState: [h0, c0] }) : lstm.apply([x, h0, c0]);
      return lib.model({ inputs: [x, s], outputs: l.dense({ units: 1 }).apply(out) });
    };
    const tm = build(tf as unknown as typeof km, true) as unknown as TF.LayersModel;
    const rng = new Rng(12);
    tm.setWeights(tm.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.6, 0.6)), w.shape)));
    const n = 6;
    const x = Float32Array.from({ length: n * 8 }, () => rng.uniform(-1, 1));
    const s0 = Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1));
    const y = Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
    const txs = [tf.tensor(x, [n, 4, 2]), tf.tensor(s0, [n, 3])];
    const want = (tm.predict(txs) as TF.Tensor).dataSync();
    tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const th = await tm.fit(txs, tf.tensor(y, [n, 1]), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    for (const kwargs of [true, false]) {
      const model = build(km, kwargs);
      // tm is trained by now: the weights it started from, drawn again in its (Keras) order.
      const rng2 = new Rng(12);
      model.setWeights(model.getWeights().map((w) => km.tensor(Float32Array.from({ length: w.size }, () => rng2.uniform(-0.6, 0.6)), w.shape)));
      const kxs = [km.tensor(x, [n, 4, 2]), km.tensor(s0, [n, 3])];
      expect(relDiff((model.predict(kxs) as km.Tensor).data, want), `predict (${kwargs ? 'initialState' : 'list'})`).toBeLessThan(1e-5);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
      const kh = await model.fit(kxs, km.tensor(y, [n, 1]), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      (th.history.loss as number[]).forEach((l, e) => expect(Math.abs(kh.history.loss![e]! - l) / l, `epoch ${e} loss`).toBeLessThan(1e-3));
      const tw = tm.getWeights();
      model.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i}`).toBeLessThan(1e-3));
    }
  }, 60_000);

  test('Bidirectional(LSTM, returnState): [merged, forward h, c, backward h, c] as TF.js, and training through a backward state', async () => {
    const build = (lib: typeof km) => {
      const x = lib.input({ shape: [4, 2] });
      const bi = lib.layers.bidirectional({ layer: lib.layers.lstm({ units: 2, returnState: true, recurrentActivation: 'sigmoid' }), mergeMode: 'sum' });
      const outs = (bi.apply(x) as unknown as km.SymbolicTensor[]);
      const raw = lib.model({ inputs: x, outputs: outs });
      const trained = lib.model({ inputs: x, outputs: [lib.layers.dense({ units: 1 }).apply(outs[0]!), lib.layers.dense({ units: 1 }).apply(outs[4]!)] });
      return { raw, trained, outs };
    };
    const t = build(tf as unknown as typeof km) as unknown as { raw: TF.LayersModel; trained: TF.LayersModel };
    const k = build(km);
    expect(k.outs.map((o) => o.shape)).toEqual([[2], [2], [2], [2], [2]]);
    const rng = new Rng(21);
    t.trained.setWeights(t.trained.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.6, 0.6)), w.shape)));
    k.trained.setWeights(tfWeights(t.trained));
    const n = 5;
    const x = Float32Array.from({ length: n * 8 }, () => rng.uniform(-1, 1));
    const tx = tf.tensor(x, [n, 4, 2]);
    const kx = km.tensor(x, [n, 4, 2]);
    const want = t.raw.predict(tx) as TF.Tensor[];
    (k.raw.predict(kx) as km.Tensor[]).forEach((o, i) => expect(relDiff(o.data, want[i]!.dataSync()), `output ${i}`).toBeLessThan(1e-5));
    const y = [tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(-1, 1)), [n, 1]), tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(-1, 1)), [n, 1])];
    t.trained.compile({ optimizer: tf.train.sgd(0.2), loss: ['meanSquaredError', 'meanSquaredError'] });
    k.trained.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: ['meanSquaredError', 'meanSquaredError'] });
    await t.trained.fit(tx, y, { epochs: 4, batchSize: 5, shuffle: false, verbose: 0 });
    await k.trained.fit(kx, y.map((v) => km.tensor(v.dataSync() as Float32Array, [n, 1])), { epochs: 4, batchSize: 5, shuffle: false, verbose: 0 });
    const tw = t.trained.getWeights();
    k.trained.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.dataSync()), `weight ${i} (${k.trained.weights[i]!.name})`).toBeLessThan(1e-3));
  }, 60_000);

  test('a state nobody reads gets a zero gradient, refilled before every backward (NaN written into it is gone): training as without returnState', async () => {
    const make = (returnState: boolean) => {
      const input = km.input({ shape: [4, 2] });
      const outs = L.gru({ units: 2, returnState, name: 'g' }).applyMany(input);
      return km.model({ inputs: input, outputs: L.dense({ units: 1, name: 'd' }).apply(outs[0]!) });
    };
    const a = make(true);
    const b = make(false);
    b.setWeights(a.getWeights());
    const rng = new Rng(4);
    const x = km.tensor(Float32Array.from({ length: 24 }, () => rng.uniform(-1, 1)), [3, 4, 2]);
    const y = km.tensor([0.5, -0.5, 1], [3, 1]);
    for (const m of [a, b]) m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    await a.fit(x, y, { epochs: 1, verbose: 0 });
    // The plan lists the unread state's gradient once; poison it between steps.
    const plan = (a as unknown as { engine_: { exec: { current: Plan } } }).engine_.exec.current;
    const zero = plan.zero.flat();
    expect(zero.length).toBe(1);
    const [ptr, floats] = zero[0]!;
    const backend = await testBackend();
    backend.arena.refresh();
    backend.arena.f32.fill(NaN, ptr >> 2, (ptr >> 2) + plan.rows * floats);
    await a.fit(x, y, { epochs: 2, verbose: 0 });
    await b.fit(x, y, { epochs: 3, verbose: 0 });
    // Equal to rounding: the GRU's returnState path may sum in another order.
    a.getWeights().forEach((w, i) => {
      expect(w.data.every(Number.isFinite), `weight ${i} finite`).toBe(true);
      expect(relDiff(w.data, b.getWeights()[i]!.data), `weight ${i}`).toBeLessThan(1e-5);
    });
  });
});

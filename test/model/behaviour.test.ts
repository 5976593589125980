import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import type { Backend } from '../../src/backend/loader.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

function randomData(n: number, f: number, classes: number, seed = 1) {
  const rng = new Rng(seed);
  const x = km.tensor(Float32Array.from({ length: n * f }, () => rng.uniform(-1, 1)), [n, f]);
  const labels = Array.from({ length: n }, () => rng.int(classes));
  return { x, y: km.oneHot(labels, classes), labels };
}

describe('regularizer semantics (Keras: the penalty is part of the loss)', () => {
  test('evaluate with l2(λ) minus evaluate without equals λ·Σw²', () => {
    const { x, y } = randomData(20, 6, 3);
    km.setSeed(4);
    const plain = km.sequential({ layers: [km.layers.dense({ units: 5, activation: 'relu', inputShape: [6] }), km.layers.dense({ units: 3, activation: 'softmax' })] });
    const withL2 = km.sequential({ layers: [km.layers.dense({ units: 5, activation: 'relu', inputShape: [6], kernelRegularizer: km.regularizers.l2(0.03) }), km.layers.dense({ units: 3, activation: 'softmax' })] });
    plain.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    withL2.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    withL2.setWeights(plain.getWeights());
    const kernel = plain.getWeights()[0]!.data;
    let sq = 0;
    for (const w of kernel) sq += w * w;
    const diff = withL2.evaluate(x, y).loss! - plain.evaluate(x, y).loss!;
    expect(Math.abs(diff - 0.03 * sq) / (0.03 * sq)).toBeLessThan(1e-5);
    plain.dispose();
    withL2.dispose();
  });
  test('l1 adds λ·Σ|w| and l1l2 both; l1l2() defaults to 0.01/0.01 as TF.js', () => {
    expect(km.regularizers.l1l2().getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(km.regularizers.l1l2({ l1: 0.5 }).getConfig()).toEqual({ l1: 0.5, l2: 0.01 });
    expect(km.regularizers.l2({ l2: 0.2 }).l2).toBe(0.2);
    expect(km.regularizers.l1(0.3).l1).toBe(0.3);
    const { x, y } = randomData(10, 4, 2);
    km.setSeed(8);
    const m = km.sequential({ layers: [km.layers.dense({ units: 2, activation: 'softmax', inputShape: [4], kernelRegularizer: km.regularizers.l1l2({ l1: 0.1, l2: 0.2 }) })] });
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const base = km.sequential({ layers: [km.layers.dense({ units: 2, activation: 'softmax', inputShape: [4] })] });
    base.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    base.setWeights(m.getWeights());
    const w = m.getWeights()[0]!.data;
    const want = w.reduce((s, v) => s + 0.1 * Math.abs(v) + 0.2 * v * v, 0);
    expect(m.evaluate(x, y).loss! - base.evaluate(x, y).loss!).toBeCloseTo(want, 5);
    m.dispose();
    base.dispose();
  });
});

describe('dropout (inverted, seeded, a new mask every step)', () => {
  const ones = (n: number, f: number) => km.tensor(new Float32Array(n * f).fill(1), [n, f]);
  test('zero fraction ≈ rate and kept values are scaled by 1/(1 − rate)', () => {
    km.setSeed(1);
    const m = km.sequential({ layers: [km.layers.dropout({ rate: 0.3, inputShape: [100] })] });
    const out = m.predict(ones(200, 100), { training: true, batchSize: 200 }).data;
    const zeros = out.filter((v) => v === 0).length / out.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.01);
    const kept = Math.fround(1 / Math.fround(1 - 0.3));
    expect(out.every((v) => v === 0 || v === kept)).toBe(true);
    m.dispose();
  });
  test('identity in predict without training', () => {
    const m = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, inputShape: [7] })] });
    const x = randomData(9, 7, 2).x;
    expect(Array.from(m.predict(x).data)).toEqual(Array.from(x.data));
    m.dispose();
  });
  test('a new mask every step; the same seed gives the same masks', () => {
    const masks = (seed: number) => {
      km.setSeed(seed);
      const m = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, inputShape: [64] })] });
      const a = m.predict(ones(4, 64), { training: true }).data;
      const c = m.predict(ones(4, 64), { training: true }).data;
      m.dispose();
      return [a, c];
    };
    const [a1, b1] = masks(123);
    const [a2, b2] = masks(123);
    expect(Array.from(a1!)).not.toEqual(Array.from(b1!));
    expect(Array.from(a1!)).toEqual(Array.from(a2!));
    expect(Array.from(b1!)).toEqual(Array.from(b2!));
  });
  test('noiseShape [1, features] shares one mask across the batch', () => {
    km.setSeed(9);
    const m = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, noiseShape: [1, 32], inputShape: [32] })] });
    const out = m.predict(ones(6, 32), { training: true }).data;
    for (let r = 1; r < 6; r++) expect(Array.from(out.subarray(r * 32, r * 32 + 32))).toEqual(Array.from(out.subarray(0, 32)));
    m.dispose();
  });
  test('training with dropout is deterministic under one seed', async () => {
    const { x, y } = randomData(64, 8, 3);
    const run = async () => {
      km.setSeed(77);
      const m = km.sequential({ layers: [km.layers.dense({ units: 16, activation: 'relu', inputShape: [8] }), km.layers.dropout({ rate: 0.4 }), km.layers.dense({ units: 3, activation: 'softmax' })] });
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
      const w = m.getWeights().map((t) => Array.from(t.data));
      m.dispose();
      return w;
    };
    expect(await run()).toEqual(await run());
  });
});

describe('training API', () => {
  test('History has loss, val_loss and one key per metric as named; validationSplit takes the end', async () => {
    const { x, y } = randomData(50, 5, 3);
    km.setSeed(3);
    const m = km.sequential({ layers: [km.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }), km.layers.dense({ units: 3, activation: 'softmax' })] });
    m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy', 'mse'] });
    const seen: number[] = [];
    const h = await m.fit(x, y, { epochs: 4, batchSize: 8, validationSplit: 0.2, verbose: 0, callbacks: [{ onBatchEnd: (_b, logs) => { seen.push(logs!.size!); } }] });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'mse', 'val_accuracy', 'val_loss', 'val_mse']);
    expect(h.history.loss!.length).toBe(4);
    expect(h.history.loss![3]!).toBeLessThan(h.history.loss![0]!);
    expect(seen.slice(0, 5)).toEqual([8, 8, 8, 8, 8]);
    const val = m.evaluate({ data: x.data.subarray(40 * 5), shape: [10, 5] }, { data: y.data.subarray(40 * 3), shape: [10, 3] });
    expect(val.loss).toBeCloseTo(h.history.val_loss![3]!, 5);
    m.dispose();
  });
  test('stopTraining from a callback ends fit; initialEpoch resumes numbering', async () => {
    const { x, y } = randomData(20, 3, 2);
    const m = km.sequential({ layers: [km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const epochs: number[] = [];
    const h = await m.fit(x, y, { epochs: 10, initialEpoch: 2, verbose: 0, callbacks: { onEpochEnd: (e) => { epochs.push(e); if (e === 4) m.stopTraining = true; } } });
    expect(epochs).toEqual([2, 3, 4]);
    expect(h.epoch).toEqual([2, 3, 4]);
    m.dispose();
  });
  test('frozen layers keep their weights', async () => {
    const { x, y } = randomData(20, 3, 2);
    const first = km.layers.dense({ units: 4, inputShape: [3] });
    const m = km.sequential({ layers: [first, km.layers.dense({ units: 2, activation: 'softmax' })] });
    first.trainable = false;
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const before = m.getWeights();
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    const after = m.getWeights();
    expect(Array.from(after[0]!.data)).toEqual(Array.from(before[0]!.data));
    expect(Array.from(after[2]!.data)).not.toEqual(Array.from(before[2]!.data));
    m.dispose();
  });
  test('trainOnBatch returns [loss, ...metrics]; predict accepts number[][]', () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['acc'] });
    const r = m.trainOnBatch([[1, 2], [3, 4]], [0, 1]) as number[];
    expect(r.length).toBe(2);
    expect(Number.isFinite(r[0])).toBe(true);
    const p = m.predict([[1, 2], [3, 4], [5, 6]]);
    expect(p.shape).toEqual([3, 2]);
    expect(p.data[0]! + p.data[1]!).toBeCloseTo(1, 6);
    m.dispose();
  });
  test('summary lists layers, shapes and parameter counts', () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 64, inputShape: [784], name: 'hidden' }), km.layers.dense({ units: 10, name: 'out' })] });
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toContain('hidden (Dense)');
    expect(text).toContain('(None, 64)');
    expect(text).toContain('50,240');
    expect(text).toContain('Total params: 50,890');
    m.dispose();
  });
});

describe('memory', () => {
  test('300 fit and predict calls and 300 build/dispose cycles keep wasm memory and the arena flat', async () => {
    const { x, y } = randomData(100, 20, 4);
    const m = km.sequential({ layers: [km.layers.dense({ units: 32, activation: 'relu', inputShape: [20] }), km.layers.dropout({ rate: 0.2 }), km.layers.dense({ units: 4, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    const bytes = b.arena.memoryBytes;
    const high = b.arena.highWater;
    const used = b.arena.usedBytes;
    for (let i = 0; i < 300; i++) {
      await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      m.predict(x, { batchSize: 16 });
    }
    expect(b.arena.memoryBytes).toBe(bytes);
    expect(b.arena.highWater).toBe(high);
    expect(b.arena.usedBytes).toBe(used);
    m.dispose();
    const afterDispose = b.arena.usedBytes;
    for (let i = 0; i < 300; i++) {
      const t = km.sequential({ layers: [km.layers.dense({ units: 32, inputShape: [20] }), km.layers.dense({ units: 4, activation: 'softmax' })] });
      t.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
      t.trainOnBatch(x, y);
      t.dispose();
    }
    expect(b.arena.usedBytes).toBe(afterDispose);
    expect(b.arena.highWater).toBe(high);
  });
  test('a disposed model refuses use with a clear error', () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1] })] });
    m.dispose();
    expect(() => m.predict([[1]])).toThrow(/has been disposed/);
  });
});

// Habits from Keras and TF.js: they work, or they fail with an error that names the fix.
// Each case here was a silent surprise or an error pointing elsewhere before (issue 13).
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const rng = new Rng(7);
const X = km.tensor(Float32Array.from({ length: 64 * 6 }, () => rng.uniform(-1, 1)), [64, 6]);
const LABELS = Array.from({ length: 64 }, (_, i) => (i * 7) % 3);
const Y = km.oneHot(LABELS, 3);

function layers(): km.layers.Layer[] {
  return [km.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }), km.layers.dropout({ rate: 0.25 }), km.layers.dense({ units: 3, activation: 'softmax' })];
}

function model(loss = 'categoricalCrossentropy'): km.Sequential {
  km.setSeed(11);
  const m = km.sequential({ layers: layers() });
  m.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  return m;
}

const weightsOf = (m: km.Sequential): number[][] => m.getWeights().map((w) => Array.from(w.data));

describe('km.sequential', () => {
  test('takes a list of layers, as Keras Sequential([...])', () => {
    km.setSeed(11);
    const m = km.sequential(layers());
    expect(m.layers.map((l) => l instanceof km.layers.Dense)).toEqual([true, false, true]);
    expect(m.outputShape).toEqual([3]);
    m.dispose();
  });

  test('a misspelt option is refused at once, with the right name', () => {
    expect(() => km.sequential({ layer: layers() } as never)).toThrow(/Unrecognized options passed to sequential: layer\. Use `layers` instead of `layer`/);
    expect(() => km.sequential({ layers: layers(), nme: 'x' } as never)).toThrow(km.ValueError);
  });
});

describe('one call at a time per model', () => {
  test('a second fit, evaluate, trainOnBatch, setWeights, … while fit runs are refused; the running fit is unharmed', async () => {
    const reference = model();
    await reference.fit(X, Y, { epochs: 3, batchSize: 16, verbose: 0 });
    const expected = weightsOf(reference);
    reference.dispose();

    const m = model();
    const running = m.fit(X, Y, { epochs: 3, batchSize: 16, verbose: 0 }); // the missing await
    const busy = /a previous fit\(\) call is still running \(a missing `await`\?\)/;
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(busy);
    await expect(m.fitDataset([{ xs: X, ys: Y }], { verbose: 0 })).rejects.toThrow(busy);
    await expect(km.mcPredict(m, X, { samples: 2 })).rejects.toThrow(busy);
    await expect(m.loadWeights(km.io.fromMemory({ weightSpecs: [], weightData: new ArrayBuffer(0) }))).rejects.toThrow(busy);
    for (const call of [
      () => m.evaluate(X, Y),
      () => m.trainOnBatch(X, Y),
      () => m.setWeights(expected.map((w, i) => ({ data: w, shape: m.weights[i]!.shape }))),
      () => m.compile({ optimizer: 'sgd', loss: 'mse' }),
      () => m.dispose(),
    ]) {
      expect(call).toThrow(km.StateError);
      expect(call).toThrow(busy);
    }
    await running;
    expect(weightsOf(m)).toEqual(expected);
    // Idle again: everything works.
    expect(m.evaluate(X, Y).loss).toBeGreaterThan(0);
    m.dispose();
  });

  test('calls from the running fit\'s own callbacks (predict, save, getWeights, stopTraining) stay allowed and harmless', async () => {
    const reference = model();
    await reference.fit(X, Y, { epochs: 3, batchSize: 8, verbose: 0 });
    const expected = weightsOf(reference);
    reference.dispose();

    const m = model();
    const big = km.tensor(new Float32Array(2000 * 6).fill(0.5), [2000, 6]);
    const saved: unknown[] = [];
    const seen: number[] = [];
    const others: km.Sequential[] = [];
    await m.fit(X, Y, {
      epochs: 3, batchSize: 8, verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch) => {
          // A predict with a larger batch than fit's plan must not free the running step's
          // buffers: other models' buffers would then take that memory (it did before).
          seen.push(m.predict(big, { batchSize: 1000 }).shape[0]!);
          for (let i = 0; i < 20; i++) {
            const o = km.sequential([km.layers.dense({ units: 1 + 3 * i, inputShape: [6], kernelInitializer: km.initializers.ones() })]);
            o.predict(km.tensor(new Float32Array(7 * 6).fill(1), [7, 6]));
            others.push(o);
          }
          m.getWeights();
          await m.save(km.io.withSaveHandler(async (a) => {
            saved.push(a);
            return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
          }));
          if (epoch === 5) m.stopTraining = true;
        },
      },
    });
    expect(seen).toEqual([2000, 2000, 2000]);
    for (const o of others) o.dispose();
    expect(saved).toHaveLength(3);
    expect(weightsOf(m)).toEqual(expected);
    m.dispose();
  });

  test('mcPredict holds the model too; the model is free once it resolves', async () => {
    const m = model();
    const running = km.mcPredict(m, X, { samples: 3 });
    expect(() => m.trainOnBatch(X, Y)).toThrow(/a previous mcPredict\(\) call is still running/);
    const { mean } = await running;
    expect(mean.shape).toEqual([64, 3]);
    expect(typeof m.trainOnBatch(X, Y)).not.toBe('undefined');
    m.dispose();
  });

  test('a fit that rejects releases the model', async () => {
    const m = model();
    await expect(m.fit(X, km.oneHot(LABELS.slice(0, 10), 3), { verbose: 0 })).rejects.toThrow(km.ValueError);
    expect(() => m.evaluate(X, Y)).not.toThrow();
    m.dispose();
  });
});

describe('TF.js tensor habits', () => {
  test('arraySync, array, dataSync read a km.Tensor', async () => {
    const t = km.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(await t.array()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(t.dataSync()).toBe(t.data);
    expect(t.argMax()).toBeInstanceOf(Int32Array);
  });

  test('km.tensor1d and km.tensor2d', () => {
    expect(km.tensor1d([1, 2, 3]).shape).toEqual([3]);
    expect(km.tensor2d([[1, 2], [3, 4], [5, 6]]).shape).toEqual([3, 2]);
    const flat = km.tensor2d(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(flat.shape).toEqual([2, 3]);
    expect(flat.arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => km.tensor2d([1, 2, 3])).toThrow(/rank 2/);
    expect(() => km.tensor1d([[1, 2]] as never)).toThrow(km.ValueError);
  });
});

describe('errors that say what to do', () => {
  test('one-hot labels given to sparseCategoricalCrossentropy', async () => {
    const m = model('sparseCategoricalCrossentropy');
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(/look like one-hot labels\. Use the loss 'categoricalCrossentropy'.*or pass class ids/);
    m.dispose();
  });

  test('class ids given to categoricalCrossentropy', async () => {
    const m = model();
    await expect(m.fit(X, LABELS, { verbose: 0 })).rejects.toThrow(/if these are class ids, pass one-hot targets \(km\.oneHot\(labels, 3\)\) or use the loss 'sparseCategoricalCrossentropy'/);
    m.dispose();
  });

  test('a flat array for one sample', () => {
    const m = model();
    expect(() => m.predict(Array.from({ length: 6 }, () => 0.1))).toThrow(/A flat array of 6 numbers is read as 6 samples of one value each; for one sample pass \[\[\.\.\.values\]\] or km\.tensor\(values, \[1, 6\]\)/);
    m.dispose();
  });

  test('a bare Float32Array has no shape', () => {
    const m = model();
    expect(() => m.predict(new Float32Array(12))).toThrow(/A typed array has no shape: pass \{ data, shape: \[samples, \.\.\.features\] \}/);
    m.dispose();
  });

  test('flat one-hot targets', async () => {
    const m = model();
    await expect(m.fit(X, Y.data, { verbose: 0 })).rejects.toThrow(/if these are 3 values per sample given flat, pass them with their shape: km\.tensor\(values, \[64, 3\]\)/);
    m.dispose();
    const s = model('sparseCategoricalCrossentropy');
    await expect(s.fit(X, Y.data, { verbose: 0 })).rejects.toThrow(/3 values per sample given flat \(one-hot labels\?\): pass them with their shape, km\.tensor\(values, \[64, 3\]\), with the loss 'categoricalCrossentropy'/);
    s.dispose();
  });

  test('a callback hook spelt the Keras way is refused; a callback\'s own fields are not', async () => {
    const m = model();
    await expect(m.fit(X, Y, { verbose: 0, callbacks: [{ on_epoch_end: () => {} } as never] })).rejects.toThrow(/Unrecognized callback hook `on_epoch_end` in callbacks\[0\]: use `onEpochEnd`/);
    await expect(m.fit(X, Y, { verbose: 0, callbacks: { on_train_batch_end: () => {} } as never })).rejects.toThrow(/use `onBatchEnd`/);
    let epochs = 0;
    const own = { count: 0, label: 'mine', onEpochEnd() { epochs++; } };
    await m.fit(X, Y, { epochs: 2, verbose: 0, callbacks: own });
    expect(epochs).toBe(2);
    m.dispose();
  });
});

test('fitDataset prints each epoch\'s header once', async () => {
  const m = model();
  const out: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out.push(String(s)); return true; });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  await m.fitDataset([{ xs: X, ys: Y }], { epochs: 2, verbose: 1 });
  vi.restoreAllMocks();
  const text = out.join('\n');
  expect(text.match(/Epoch 1\/2/g)).toHaveLength(1);
  expect(text.match(/Epoch 2\/2/g)).toHaveLength(1);
  m.dispose();
});

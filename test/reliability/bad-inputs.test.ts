// Every bad input gets a clear KerasmError (mostly ValueError, Keras wording) before any wasm
// call, and the model is left as it was: same weights, same optimizer state, still trains.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

const rng = new Rng(1);
const X = km.tensor(Float32Array.from({ length: 40 * 4 }, () => rng.uniform(-1, 1)), [40, 4]);
const LABELS = Array.from({ length: 40 }, (_, i) => i % 3);
const Y = km.oneHot(LABELS, 3);

function model(loss = 'categoricalCrossentropy'): km.Sequential {
  km.setSeed(1);
  const m = km.sequential({ layers: [km.layers.dense({ units: 5, activation: 'relu', inputShape: [4] }), km.layers.dropout({ rate: 0.2 }), km.layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss, metrics: ['accuracy'] });
  return m;
}

/**
 * Runs `bad` on a trained model, expects the error, then checks the model is intact (weights,
 * optimizer iterations, dropout streams, compiled state, evaluate results) and still trains.
 */
async function expectRejected(bad: (m: km.Sequential) => unknown, message: RegExp, type: typeof km.KerasmError = km.ValueError, loss?: string) {
  const m = model(loss);
  const y = loss?.startsWith('sparse') ? LABELS : Y;
  await m.fit(X, y, { epochs: 1, verbose: 0 });
  const before = m.getWeights().map((w) => Array.from(w.data));
  const evalBefore = m.evaluate(X, y);
  const state = () => ({
    iterations: m.compiled!.optimizer.iterations,
    streams: m.layers.map((l) => (l as { streamState?: number[] }).streamState?.slice() ?? null),
    compiled: [m.compiled!.loss.kind, m.compiled!.optimizer.className, m.compiled!.metricIds.join()],
  });
  const stateBefore = state();
  let caught: unknown = null;
  try {
    await bad(m);
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an error').toBeInstanceOf(type);
  expect((caught as Error).message).toMatch(message);
  expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  expect(state()).toEqual(stateBefore);
  expect(m.evaluate(X, y)).toEqual(evalBefore);
  const h = await m.fit(X, y, { epochs: 1, verbose: 0 });
  expect(Number.isFinite(h.history.loss![0])).toBe(true);
  m.dispose();
}

const nanX = () => {
  const d = X.data.slice();
  d[4 * 17 + 2] = NaN;
  return km.tensor(d, [40, 4]);
};

describe('bad data', () => {
  const cases: [string, (m: km.Sequential) => unknown, RegExp][] = [
    ['x with the wrong feature count', (m) => m.fit(km.tensor(new Float32Array(40 * 5), [40, 5]), Y, { verbose: 0 }), /argument `x`: expected samples of shape \[4\].*Received: samples of shape \[5\]/],
    ['y with the wrong width', (m) => m.fit(X, km.tensor(new Float32Array(40 * 4), [40, 4]), { verbose: 0 }), /argument `y`: expected targets of shape \[n, 3\]/],
    ['x and y with different sample counts', (m) => m.fit(X, km.oneHot(LABELS.slice(0, 30), 3), { verbose: 0 }), /expected 40 samples to match x. Received: 30 samples/],
    ['NaN in x (fit)', (m) => m.fit(nanX(), Y, { verbose: 0, shuffle: false }), /argument `x`: expected finite numbers. Received: x=NaN at sample 17, feature 2/],
    ['Infinity in y (fit)', (m) => { const d = Y.data.slice(); d[5] = Infinity; return m.fit(X, km.tensor(d, [40, 3]), { verbose: 0 }); }, /argument `y`: expected finite numbers. Received: y=Infinity at sample 1/],
    ['NaN in x (evaluate)', (m) => m.evaluate(nanX(), Y), /Received: x=NaN at sample 17/],
    ['NaN in x (predict)', (m) => m.predict(nanX()), /Received: x=NaN at sample 17/],
    ['-Infinity in validation data', (m) => { const d = X.data.slice(); d[0] = -Infinity; return m.fit(X, Y, { verbose: 0, validationData: [km.tensor(d, [40, 4]), Y] }); }, /argument `x`: expected finite numbers. Received: x=-Infinity at sample 0/],
    ['ragged nested arrays', (m) => m.predict([[1, 2, 3, 4], [1, 2]]), /argument `x`: expected nested arrays of shape \[2, 4\]/],
    ['strings in x', (m) => m.predict([[1, 2, 'a', 4]]), /argument `x`: expected numbers. Received: x='a' at x\[0\]\[2\]/],
    ['x that is not data', (m) => m.predict('hello'), /argument `x`: expected a km.Tensor, \{ data, shape \} or nested number arrays/],
    ['{ data, shape } whose sizes disagree', (m) => m.predict({ data: new Float32Array(7), shape: [2, 4] }), /expected data of length 8 for shape \[2, 4\]. Received: data of length 7/],
    ['an empty dataset', (m) => m.fit(km.tensor(new Float32Array(0), [0, 4]), km.tensor(new Float32Array(0), [0, 3]), { verbose: 0 }), /expected at least one sample/],
    ['sampleWeight of the wrong length', (m) => m.fit(X, Y, { verbose: 0, sampleWeight: [1, 2] }), /argument `sampleWeight`: expected 40 weights/],
    ['negative sampleWeight', (m) => m.fit(X, Y, { verbose: 0, sampleWeight: new Array(40).fill(-1) }), /non-negative finite numbers/],
    ['a model input of the wrong rank in evaluate', (m) => m.evaluate(km.tensor(new Float32Array(40 * 8), [40, 2, 4]), Y), /expected samples of shape \[4\]/],
  ];
  test.each(cases)('%s', async (_n, bad, msg) => expectRejected(bad, msg));
});

describe('bad sparse labels', () => {
  const cases: [string, (m: km.Sequential) => unknown, RegExp][] = [
    ['a label out of range', (m) => m.fit(X, LABELS.map((l, i) => (i === 7 ? 3 : l)), { verbose: 0 }), /argument `y`: expected integer class labels in \[0, 3\). Received: y=3 at sample 7/],
    ['a negative label', (m) => m.fit(X, LABELS.map((l, i) => (i === 2 ? -1 : l)), { verbose: 0 }), /Received: y=-1 at sample 2/],
    ['a non-integer label', (m) => m.fit(X, LABELS.map((l, i) => (i === 0 ? 0.5 : l)), { verbose: 0 }), /Received: y=0.5 at sample 0/],
    ['a NaN label', (m) => m.evaluate(X, LABELS.map((l, i) => (i === 9 ? NaN : l))), /Received: y=NaN at sample 9/],
    ['labels of shape [n, 2]', (m) => m.fit(X, km.tensor(new Float32Array(80), [40, 2]), { verbose: 0 }), /expected sparse labels of shape \[n\] or \[n, 1\]/],
  ];
  test.each(cases)('%s', async (_n, bad, msg) => expectRejected(bad, msg, km.ValueError, 'sparseCategoricalCrossentropy'));
});

describe('bad options', () => {
  const cases: [string, (m: km.Sequential) => unknown, RegExp][] = [
    ['batchSize 0', (m) => m.fit(X, Y, { batchSize: 0, verbose: 0 }), /argument `batchSize`: expected a positive integer. Received: batchSize=0/],
    ['batchSize 2.5', (m) => m.fit(X, Y, { batchSize: 2.5, verbose: 0 }), /Received: batchSize=2.5/],
    ['epochs -1', (m) => m.fit(X, Y, { epochs: -1, verbose: 0 }), /argument `epochs`: expected a positive integer. Received: epochs=-1/],
    ['epochs NaN', (m) => m.fit(X, Y, { epochs: NaN, verbose: 0 }), /Received: epochs=NaN/],
    ['validationSplit 1', (m) => m.fit(X, Y, { validationSplit: 1, verbose: 0 }), /argument `validationSplit`: expected a number in \[0, 1\). Received: validationSplit=1/],
    ['validationSplit leaving no training sample', (m) => m.fit(X, Y, { validationSplit: 0.99, verbose: 0 }), /leaves an empty training or validation set/],
    ['verbose 3', (m) => m.fit(X, Y, { verbose: 3 as 0 }), /argument `verbose`: expected 0, 1 or 2/],
    ['shuffle "yes"', (m) => m.fit(X, Y, { shuffle: 'yes' as unknown as boolean, verbose: 0 }), /argument `shuffle`: expected a boolean/],
    ['predict batchSize -4', (m) => m.predict(X, { batchSize: -4 }), /argument `batchSize`: expected a positive integer/],
    ['predict training "on"', (m) => m.predict(X, { training: 'on' as unknown as boolean }), /argument `training`: expected a boolean/],
    ['initialEpoch -2', (m) => m.fit(X, Y, { initialEpoch: -2, verbose: 0 }), /argument `initialEpoch`/],
    ['a misspelled fit option', (m) => m.fit(X, Y, { epoch: 3, verbose: 0 } as never), /Unrecognized options passed to fit: epoch. Known options: epochs, batchSize/],
    ['a misspelled evaluate option', (m) => m.evaluate(X, Y, { batch_size: 4 } as never), /Unrecognized options passed to evaluate: batch_size/],
    ['a misspelled predict option', (m) => m.predict(X, { trainig: true } as never), /Unrecognized options passed to predict: trainig/],
    ['a misspelled compile option (compile changes nothing)', (m) => m.compile({ optimizer: 'sgd', loss: 'mse', metric: ['mae'] } as never), /Unrecognized options passed to compile: metric/],
    ['a function as a callback', (m) => m.fit(X, Y, { verbose: 0, callbacks: [() => undefined] as never }), /argument `callbacks\[0\]`: expected a callback object with hooks such as onEpochEnd \(wrap a function as \{ onEpochEnd: fn \}\). Received: callbacks\[0\]=a function/],
    ['a hook that is not a function', (m) => m.fit(X, Y, { verbose: 0, callbacks: { onEpochEnd: 5 } as never }), /argument `callbacks.onEpochEnd`: expected a function. Received: callbacks.onEpochEnd=5/],
    ['a null callback', (m) => m.fit(X, Y, { verbose: 0, callbacks: [null] as never }), /argument `callbacks\[0\]`: expected a callback object/],
    ['NaN in a later batch of an MC-dropout predict (the dropout stream does not move)', (m) => { const d = X.data.slice(); d[4 * 38] = NaN; return m.predict(km.tensor(d, [40, 4]), { training: true, batchSize: 8 }); }, /argument `x`: expected finite numbers. Received: x=NaN at sample 38/],
  ];
  test.each(cases)('%s', async (_n, bad, msg) => expectRejected(bad, msg));
});

describe('bad weights', () => {
  const cases: [string, (m: km.Sequential) => unknown, RegExp][] = [
    ['setWeights with too few tensors', (m) => m.setWeights(m.getWeights().slice(1)), /argument `weights`: expected an array of 4 tensors/],
    ['setWeights with a wrong shape', (m) => { const w = m.getWeights(); w[0] = km.tensor(new Float32Array(20), [5, 4]); m.setWeights(w); }, /argument `weights\[0\]`: expected shape \[4, 5\] for dense_?\d*\/kernel. Received: shape \[5, 4\]/],
    ['setWeights with NaN (nothing is written, not even the earlier tensors)', (m) => { const w = m.getWeights(); w[0]!.data.fill(0); w[3] = km.tensor(new Float32Array(3).fill(NaN), [3]); m.setWeights(w); }, /argument `weights\[3\]`: expected finite numbers/],
  ];
  test.each(cases)('%s', async (_n, bad, msg) => expectRejected(bad, msg));
});

describe('bad construction', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['units 0', () => km.layers.dense({ units: 0 }), /argument `units`: expected a positive integer. Received: units=0/],
    ['units "64"', () => km.layers.dense({ units: '64' as unknown as number }), /Received: units='64'/],
    ['dropout rate 1.5', () => km.layers.dropout({ rate: 1.5 }), /Invalid value received for argument `rate`: expected a number in \[0, 1\). Received: rate=1.5/],
    ['dropout rate 1', () => km.layers.dropout({ rate: 1 }), /Received: rate=1/],
    ['an unknown activation', () => km.layers.dense({ units: 2, activation: 'relu7' }), /argument `activation`: expected one of linear, relu, relu6.*Received: activation='relu7'/],
    ['an unknown kernel initializer', () => km.layers.dense({ units: 2, kernelInitializer: 'glorot' }), /argument `kernelInitializer`: expected a known initializer/],
    ['an unknown regularizer', () => km.layers.dense({ units: 2, kernelRegularizer: 'l3' }), /argument `kernelRegularizer`: expected one of L1, L2, L1L2/],
    ['a negative l2', () => km.regularizers.l2(-0.1), /argument `l2`: expected a non-negative finite number. Received: l2=-0.1/],
    ['a NaN l1', () => km.regularizers.l1({ l1: NaN }), /Received: l1=NaN/],
    ['a negative learning rate', () => km.optimizers.adam({ learningRate: -1 }), /argument `learningRate`: expected a positive finite number. Received: learningRate=-1/],
    ['momentum 1.2', () => km.optimizers.sgd({ momentum: 1.2 }), /argument `momentum`: expected a number in \[0, 1\)/],
    ['an unknown optimizer', () => { const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1] })] }); m.compile({ optimizer: 'adamax', loss: 'mse' }); }, /argument `optimizer`: expected an optimizer instance or one of sgd, adam, adamw, rmsprop, adagrad, ftrl. Received: optimizer='adamax'/],
    ['an unknown loss', () => { const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1] })] }); m.compile({ optimizer: 'sgd', loss: 'hinge' }); }, /argument `loss`: expected one of categoricalCrossentropy.*Received: loss='hinge'/],
    ['an unknown metric', () => { const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1] })] }); m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1'] }); }, /argument `metrics`: expected names among accuracy.*Received: metrics='f1'/],
    ['a first layer without an input shape', () => km.sequential({ layers: [km.layers.dense({ units: 1 })] }), /The first layer of a Sequential model needs an input shape/],
    ['a negative inputShape', () => km.layers.dense({ units: 1, inputShape: [-3] }), /argument `inputShape`: expected an array of positive integers/],
    ['two layers with one name', () => km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [1], name: 'a' }), km.layers.dense({ units: 1, name: 'a' })] }), /unique names/],
    ['labelSmoothing 2', () => km.losses.categoricalCrossentropy({ labelSmoothing: 2 }), /argument `labelSmoothing`: expected a number in \[0, 1\)/],
    ['dtype int32', () => km.layers.dense({ units: 1, dtype: 'int32' }), /argument `dtype`: expected 'float32'. Received: dtype='int32'/],
    ['a misspelled Dense option', () => km.layers.dense({ units: 3, activaton: 'relu' } as never), /Unrecognized options passed to Dense: activaton. Known options: name, trainable/],
    ['proximal on l2 (only the L1 term has a proximal step)', () => km.regularizers.l2({ l2: 0.01, proximal: true } as never), /argument `proximal`: expected no such option on l2/],
    ['a misspelled Dropout option', () => km.layers.dropout({ rate: 0.5, sed: 3 } as never), /Unrecognized options passed to Dropout: sed/],
    ['a non-integer seed', () => km.setSeed(1.5), /argument `seed`: expected an integer. Received: seed=1.5/],
    ['oneHot with a label out of range', () => km.oneHot([0, 4], 3), /argument `labels`: expected integers in \[0, 3\). Received: labels=4 at index 1/],
    ['a tensor whose data does not fit its shape', () => km.tensor([1, 2, 3], [2, 2]), /Tensor data has 3 elements but shape \[2, 2\] needs 4/],
  ];
  test.each(cases)('%s', (_n, bad, msg) => {
    expect(bad).toThrow(km.ValueError);
    expect(bad).toThrow(msg);
  });
});

describe('call order and state', () => {
  test('fit before compile', async () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [4] })] });
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(/You must call compile\(\) before fit\(\)/);
    expect(() => m.evaluate(X, Y)).toThrow(km.StateError);
    m.dispose();
  });
  test('use after dispose', async () => {
    const m = model();
    m.dispose();
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(/has been disposed/);
    expect(() => m.getWeights()).toThrow(km.StateError);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(/has been disposed/);
  });
  test('a model too large for wasm32 memory names the size asked', () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 40000, inputShape: [30000] })] });
    expect(() => m.getWeights()).toThrow(/Out of wasm memory: a region needs \d+ more bytes \(\d+ in all\)/);
    m.dispose();
  });
  test('a diverging loss stops fit with the epoch and batch, keeping the last good weights', async () => {
    km.setSeed(3);
    const m = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [4] })] });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 1e12 }), loss: 'mse' });
    const big = km.tensor(X.data.map((v) => v * 1e10), [40, 4]);
    const err = await m.fit(big, km.tensor(new Float32Array(120).fill(1e10), [40, 3]), { verbose: 0, batchSize: 8, shuffle: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(km.KerasmError);
    expect((err as Error).message).toMatch(/Training stopped: the loss became (NaN|Infinity) at epoch 1, batch \d+/);
    for (const w of m.getWeights()) expect(w.data.every((v) => Number.isFinite(v))).toBe(true);
    m.dispose();
  });
});

describe('fitDataset', () => {
  test('trains from an async generator of batches and matches fit on the same batches without shuffling', async () => {
    const batches = () => (async function* () {
      for (let s = 0; s < 40; s += 10) yield { xs: { data: X.data.subarray(s * 4, s * 4 + 40), shape: [10, 4] }, ys: { data: Y.data.subarray(s * 3, s * 3 + 30), shape: [10, 3] } };
    })();
    const a = model();
    const b = model();
    b.setWeights(a.getWeights());
    // Unseeded dropout layers draw their keys from the global stream at their first step: the
    // same seed before each run gives both the same masks.
    km.setSeed(2);
    const ha = await a.fitDataset(batches, { epochs: 2, verbose: 0 });
    km.setSeed(2);
    const hb = await b.fit(X, Y, { epochs: 2, batchSize: 10, shuffle: false, verbose: 0 });
    expect(ha.history.loss!.length).toBe(2);
    // Dropout masks are drawn per step in the same order, so the two runs agree exactly.
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(a.getWeights().map((w) => Array.from(w.data))).toEqual(b.getWeights().map((w) => Array.from(w.data)));
    a.dispose();
    b.dispose();
  });
  test('a bad batch is rejected with its position', async () => {
    const m = model();
    await expect(m.fitDataset([{ xs: X, ys: Y }, { xs: km.tensor(new Float32Array(10), [2, 5]), ys: km.oneHot([0, 1], 3) }], { verbose: 0 })).rejects.toThrow(/argument `xs`: expected samples of shape \[4\]/);
    await expect(m.fitDataset(42 as never, { verbose: 0 })).rejects.toThrow(/argument `source`: expected an iterable/);
    m.dispose();
  });
});

describe('data changed in place after a fit', () => {
  test('a NaN written into an array that an earlier fit scanned is still caught before its step', async () => {
    const m = model();
    const x = km.tensor(X.data.slice(), [40, 4]);
    await m.fit(x, Y, { epochs: 1, verbose: 0 });
    x.data[4 * 39] = NaN;
    await expect(m.fit(x, Y, { epochs: 1, verbose: 0, shuffle: false, batchSize: 8 })).rejects.toThrow(/argument `x`: expected finite numbers. Received: x=NaN at sample 39, feature 0/);
    for (const w of m.getWeights()) expect(w.data.every((v) => Number.isFinite(v))).toBe(true);
    m.dispose();
  });
});

describe('batch sizes larger than the data', () => {
  test('fit and evaluate with batchSize 1e9 on 40 samples train one batch of 40 without growing memory', async () => {
    const m = model();
    await m.fit(X, Y, { epochs: 1, verbose: 0 });
    const bytes = km.backendInfo().memoryBytes;
    const h = await m.fit(X, Y, { epochs: 2, batchSize: 1e9, verbose: 0 });
    expect(h.history.loss!.length).toBe(2);
    expect(Number.isFinite(m.evaluate(X, Y, { batchSize: 1e9 }).loss)).toBe(true);
    expect(km.backendInfo().memoryBytes).toBe(bytes);
    m.dispose();
  });
});

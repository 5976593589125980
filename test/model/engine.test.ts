// The engine's shared pieces: one epoch loop for fit and fitDataset (batch hooks in both), and
// buffer planning over the graph (a buffer reused once its last reader has run).
import { beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

const rng = new Rng(12);
const X = km.tensor(Float32Array.from({ length: 32 * 4 }, () => rng.uniform(-1, 1)), [32, 4]);
const Y = km.tensor(Float32Array.from({ length: 32 * 2 }, () => rng.uniform(-1, 1)), [32, 2]);

function chain(units: number[], lr = 0.01): km.Sequential {
  km.setSeed(3);
  const m = km.sequential([km.layers.inputLayer({ inputShape: [4] }), ...units.map((u, i) => km.layers.dense({ units: u, activation: i < units.length - 1 ? 'tanh' : undefined }))]);
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: lr }), loss: 'mse' });
  return m;
}

const batches = [{ xs: X, ys: Y }, { xs: X, ys: Y }, { xs: X, ys: Y }];

test('fitDataset runs the batch hooks, as fit does', async () => {
  const m = chain([8, 2]);
  const seen: string[] = [];
  await m.fitDataset(batches, { epochs: 2, verbose: 0, callbacks: {
    onBatchBegin: (b, logs) => { seen.push(`begin ${b} ${logs?.size}`); },
    onBatchEnd: (b, logs) => { seen.push(`end ${b} ${typeof logs?.loss}`); },
  } });
  expect(seen).toEqual(['begin 0 32', 'end 0 number', 'begin 1 32', 'end 1 number', 'begin 2 32', 'end 2 number',
    'begin 0 32', 'end 0 number', 'begin 1 32', 'end 1 number', 'begin 2 32', 'end 2 number']);
  m.dispose();
});

test('terminateOnNaN ends fitDataset when the loss diverges (it rejected before, the hooks never ran)', async () => {
  const diverging = () => chain([8, 2], 1e6);
  const m = diverging();
  const history = await m.fitDataset(batches, { epochs: 5, verbose: 0, callbacks: [km.callbacks.terminateOnNaN()] });
  const losses = history.history.loss!;
  expect(losses.length).toBeLessThan(5);
  expect(Number.isFinite(losses.at(-1)!)).toBe(false);
  m.dispose();
  const n = diverging();
  await expect(n.fitDataset(batches, { epochs: 5, verbose: 0 })).rejects.toThrow(/Training stopped: the loss became/);
  n.dispose();
});

test('an inference plan hands a buffer on once its last reader has run; a training plan keeps every value', () => {
  const m = chain([16, 16, 16, 16, 16, 2]);
  const b = m.ensureAllocated();
  const values = m.program.shapes.length;
  const inference = new Set(m.engine.exec.plan(b, 8, false).act).size;
  expect(values).toBe(7);
  // The input, then two buffers taking turns (and the output, which is never handed on).
  expect(inference).toBeLessThanOrEqual(4);
  const expected = m.predict(X);
  const training = new Set(m.engine.exec.plan(b, 8, true).act).size;
  expect(training).toBe(values);
  // The same numbers from either layout.
  expect(Array.from(m.predict(X).data)).toEqual(Array.from(expected.data));
  m.dispose();
});

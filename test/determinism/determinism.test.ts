// DESIGN.md "Determinism": the same seed and build give bit-identical weights after training with
// dropout and shuffling. This file runs once per build: simd, relaxed, and the threads build in
// both arithmetic flavours (threads and threads-relaxed projects, two threads by default);
// test/threads checks that 1 and 2 threads give the same bits.
import { beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

async function train(seed: number): Promise<number[][]> {
  const rng = new Rng(4);
  const x = km.tensor(Float32Array.from({ length: 200 * 12 }, () => rng.uniform(-1, 1)), [200, 12]);
  const y = Array.from({ length: 200 }, () => rng.int(4));
  km.setSeed(seed);
  const m = km.sequential({ layers: [
    km.layers.dense({ units: 24, activation: 'relu', inputShape: [12], kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 16, activation: 'tanh' }),
    km.layers.dropout({ rate: 0.3 }),
    km.layers.dense({ units: 4, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 4, batchSize: 16, shuffle: true, validationSplit: 0.1, verbose: 0 });
  const w = m.getWeights().map((t) => Array.from(t.data));
  m.dispose();
  return w;
}

test('the same seed gives bit-identical weights after training with dropout and shuffling', async () => {
  const a = await train(2024);
  const b = await train(2024);
  expect(a).toEqual(b);
  const c = await train(2025);
  expect(c).not.toEqual(a);
});

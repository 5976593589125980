// A model trained and run on a given number of threads, for the threads projects' same-bits tests.
import * as km from '../../src/index.js';

/**
 * Train `make()` (seed 6, Adam, sparse categorical cross-entropy, 2 epochs of `batchSize`) on
 * (x, y) with `threads` threads; its weights and its predictions at `predictBatch`.
 */
export async function trained(threads: number, make: () => km.Sequential, x: km.Tensor, y: number[],
  batchSize: number, predictBatch: number): Promise<{ w: number[][]; p: number[] }> {
  await km.setThreads(threads);
  km.setSeed(6);
  const m = make();
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 2, batchSize, verbose: 0 });
  const w = m.getWeights().map((t) => Array.from(t.data));
  const p = Array.from(m.predict(x, { batchSize: predictBatch }).data);
  m.dispose();
  return { w, p };
}

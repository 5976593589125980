// The pooling and reshaping layers on the threads builds: models that train through every one of
// them (their forward and backward kernels split by the pool above its thresholds at batch 64)
// give bit-identical weights and losses with 1 and 2 threads.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
});
afterAll(async () => {
  await km.shutdown();
});

const L = km.layers;

test.each([
  ['2-D: ZeroPadding2D, MaxPooling2D same, UpSampling2D bilinear, AveragePooling2D same, UpSampling2D nearest, GlobalMaxPooling2D', () => [
    L.dense({ units: 300, activation: 'relu', inputShape: [16] }), L.reshape({ targetShape: [10, 10, 3] }), L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
    L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), L.upSampling2d({ size: 2, interpolation: 'bilinear' }), L.averagePooling2d({ padding: 'same' }),
    L.upSampling2d({ size: [1, 2] }), L.globalMaxPooling2d(), L.dense({ units: 4, activation: 'softmax' }),
  ]],
  ['2-D: MaxPooling2D valid, AveragePooling2D 3 strides 2, GlobalAveragePooling2D', () => [
    L.dense({ units: 243, activation: 'tanh', inputShape: [16] }), L.reshape({ targetShape: [9, 9, 3] }), L.maxPooling2d({ poolSize: 2, strides: 1 }),
    L.averagePooling2d({ poolSize: 3, strides: 2 }), L.globalAveragePooling2d({ keepdims: true }), L.flatten(), L.dense({ units: 4, activation: 'softmax' }),
  ]],
  ['1-D: MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D and GlobalMaxPooling1D', () => [
    L.dense({ units: 120, activation: 'relu', inputShape: [16] }), L.reshape({ targetShape: [20, 6] }), L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
    L.averagePooling1d({ poolSize: 2 }), L.reshape({ targetShape: [5, 12] }), L.globalMaxPooling1d(), L.reshape({ targetShape: [3, 4] }), L.globalAveragePooling1d(),
    L.dense({ units: 4, activation: 'softmax' }),
  ]],
] as const)('%s: the same weights and losses with 1 and 2 threads', async (_name, layers) => {
  const rng = new Rng(4);
  const n = 160;
  const x = km.tensor(Float32Array.from({ length: n * 16 }, () => rng.uniform(-1, 1)), [n, 16]);
  const y = Array.from({ length: n }, () => rng.int(4));
  const run = async (threads: number) => {
    await km.setThreads(threads);
    km.setSeed(3);
    const m = km.sequential({ layers: layers() });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0 });
    const w = [...m.getWeights().map((t) => Array.from(t.data)), h.history.loss!];
    m.dispose();
    return w;
  };
  expectSameNumbers(await run(2), await run(1), 'weights and losses');
});

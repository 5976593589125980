// The `threads` build: GEMMs split by rows across a worker pool. Results must be bit-identical
// whatever the thread count (fixed partition in multiples of the tile, fixed summation order).
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { hasRelaxedSimd } from '../../src/backend/loader.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
});
afterAll(async () => {
  await km.shutdown();
});

test('threaded GEMMs (split by rows or by columns) equal single-thread GEMMs bit for bit (nn, tn, nt, odd shapes)', async () => {
  const rng = new Rng(5);
  for (const [m, n, k] of [[133, 70, 300], [64, 512, 784], [9, 17, 600], [257, 33, 129], [2, 300, 784], [1, 1000, 700], [20, 517, 333]] as const) {
    for (const variant of ['nn', 'tn', 'nt'] as const) {
      const A = new GuardedBuffer(b, m * k);
      const B = new GuardedBuffer(b, k * n);
      const bias = new GuardedBuffer(b, n);
      const C1 = new GuardedBuffer(b, m * n);
      const C2 = new GuardedBuffer(b, m * n);
      rng.fill(A.data);
      rng.fill(B.data);
      rng.fill(bias.data);
      rng.fill(C1.data);
      C2.set(C1.data);
      const ws = b.arena.alloc(b.k.f32_gemm_workspace_bytes(m, n, k));
      b.pool!.reserve(b.k.f32_gemm_workspace_bytes(m, n, k));
      const lda = variant === 'tn' ? m : k;
      const ldb = variant === 'nt' ? k : n;
      const call = () => {
        const fn = variant === 'nn' ? b.k.f32_gemm_nn_minmax : variant === 'tn' ? b.k.f32_gemm_tn_minmax : b.k.f32_gemm_nt_minmax;
        return fn;
      };
      await km.setThreads(1);
      call()(m, n, k, A.ptr, lda, B.ptr, ldb, bias.ptr, 1, C1.ptr, n, 0, Infinity, ws.ptr);
      await km.setThreads(2);
      expect(km.backendInfo().threadCount).toBe(2);
      call()(m, n, k, A.ptr, lda, B.ptr, ldb, bias.ptr, 1, C2.ptr, n, 0, Infinity, ws.ptr);
      expectSameNumbers(C2.data, C1.data, `${variant} ${m}x${n}x${k}`);
      for (const buf of [A, B, bias, C1, C2]) {
        buf.checkGuards();
        buf.free();
      }
      b.arena.release(ws);
    }
  }
});

test.each([
  ['adam', () => km.optimizers.adam()],
  ['adam amsgrad + weight decay', () => km.optimizers.adam({ amsgrad: true, weightDecay: 0.01 })],
  ['sgd nesterov', () => km.optimizers.sgd({ momentum: 0.9, nesterov: true })],
  ['rmsprop centered with momentum', () => km.optimizers.rmsprop({ centered: true, momentum: 0.5 })],
  ['adagrad', () => km.optimizers.adagrad()],
] as const)('training gives bit-identical weights with 1 and 2 threads (GEMMs and %s updates split)', async (_name, optimizer) => {
  const rng = new Rng(2);
  const n = 256;
  const x = km.tensor(Float32Array.from({ length: n * 96 }, () => rng.uniform(-1, 1)), [n, 96]);
  const y = Array.from({ length: n }, () => rng.int(5));
  const run = async (threads: number) => {
    await km.setThreads(threads);
    km.setSeed(9);
    const m = km.sequential({ layers: [km.layers.dense({ units: 384, activation: 'relu', inputShape: [96] }), km.layers.dropout({ rate: 0.3 }), km.layers.dense({ units: 64, activation: 'tanh' }), km.layers.dense({ units: 5, activation: 'softmax' })] });
    m.compile({ optimizer: optimizer(), loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0 });
    const w = m.getWeights().map((t) => Array.from(t.data));
    m.dispose();
    return w;
  };
  const one = await run(1);
  const two = await run(2);
  expectSameNumbers(two, one, 'weights');
});

test('prefetching the next batch during a split GEMM changes nothing: 1 vs 2 threads, with and without batch hooks, partial last batch, sample weights', async () => {
  const rng = new Rng(12);
  const n = 301;
  const x = km.tensor(Float32Array.from({ length: n * 200 }, () => rng.uniform(-1, 1)), [n, 200]);
  const y = Array.from({ length: n }, () => rng.int(4));
  const sampleWeight = Float32Array.from({ length: n }, () => rng.uniform(0.5, 2));
  const run = async (threads: number, hooks: boolean) => {
    await km.setThreads(threads);
    km.setSeed(21);
    const m = km.sequential({ layers: [km.layers.dense({ units: 256, activation: 'relu', inputShape: [200] }), km.layers.dropout({ rate: 0.2 }),
      km.layers.dense({ units: 4, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    let batches = 0;
    const callbacks = hooks ? [{ onBatchEnd: () => { batches++; } }] : [];
    const h = await m.fit(x, y, { epochs: 3, batchSize: 48, verbose: 0, sampleWeight, validationSplit: 0.1, callbacks });
    if (hooks) expect(batches).toBe(3 * Math.ceil(271 / 48));
    const w = [...m.getWeights().map((t) => Array.from(t.data)), h.history.loss!, h.history.val_loss!];
    m.dispose();
    return w;
  };
  const one = await run(1, false);
  expectSameNumbers(await run(2, false), one, '2 threads');
  expectSameNumbers(await run(2, true), one, '2 threads, batch hooks');
});

test.each([
  ['InputLayer + Dropout', () => [km.layers.inputLayer({ inputShape: [12, 16] }), km.layers.flatten(), km.layers.dropout({ rate: 0.2 })]],
  ['Flatten', () => [km.layers.flatten({ inputShape: [12, 16] })]],
])('prefetching swaps the input of layers that alias it (%s first): same weights with 1 and 2 threads', async (_name, head) => {
  const rng = new Rng(13);
  const n = 200;
  const x = km.tensor(Float32Array.from({ length: n * 192 }, () => rng.uniform(-1, 1)), [n, 12, 16]);
  const y = Array.from({ length: n }, () => rng.int(3));
  const run = async (threads: number) => {
    await km.setThreads(threads);
    km.setSeed(8);
    const m = km.sequential({ layers: [...head(), km.layers.dense({ units: 320, activation: 'relu' }), km.layers.dense({ units: 3, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const h = await m.fit(x, y, { epochs: 2, batchSize: 40, verbose: 0 });
    const w = [...m.getWeights().map((t) => Array.from(t.data)), h.history.loss!];
    m.dispose();
    return w;
  };
  expectSameNumbers(await run(2), await run(1), 'weights and losses');
});

test('dropout masks split across threads draw the same numbers as one thread (odd sizes above the split threshold)', async () => {
  const rng = new Rng(8);
  for (const n of [4096, 4099, 20_001, 65_537]) {
    const X = new GuardedBuffer(b, n);
    rng.fill(X.data);
    const out = async (threads: number) => {
      await km.setThreads(threads);
      const Y = new GuardedBuffer(b, n);
      const M = new GuardedBuffer(b, n);
      b.k.f32_dropout(n, X.ptr, Y.ptr, M.ptr, 0.35, 21, -22, 23, 0);
      const U = new GuardedBuffer(b, n);
      b.k.f32_uniform(n, U.ptr, 21, -22, 23, 0);
      const r = [Array.from(Y.data), Array.from(M.data), Array.from(U.data)];
      for (const buf of [Y, M, U]) {
        buf.checkGuards();
        buf.free();
      }
      return r;
    };
    const one = await out(1);
    const two = await out(2);
    expectSameNumbers(two, one, `n=${n}`);
    X.free();
  }
});

test('the threads build takes the FMA flavour exactly where relaxed SIMD validates (threads-relaxed project)', () => {
  expect(b.relaxedSimd).toBe(hasRelaxedSimd());
  expect(km.backendInfo().relaxedSimd).toBe(hasRelaxedSimd());
});

test('the GEMM tile picked at start-up is reported (both give the same bits: test/kernels/f32-gemm)', () => {
  expect(['4x8', '6x8']).toContain(km.backendInfo().gemmTile);
});

test('setThreads validates its argument', async () => {
  await expect(km.setThreads(0)).rejects.toThrow(/argument `n`: expected a positive integer/);
});

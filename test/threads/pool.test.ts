// The worker pool's protocol, whatever starts the workers (Node's worker_threads here; web Workers
// in Chromium: test/runtimes/run.mjs): a calling thread that cannot block (a browser's main thread)
// spins instead of waiting, a dead worker is reported within a deadline instead of hanging, a
// worker's failure reaches the calling thread through shared memory, and job numbering stays
// consistent when workers are kept across setThreads or the counter rewinds.
// setThreads with an unchanged count right after a job used to reset a shared job counter under a
// worker still spinning on the old number: its wake-up was lost and the next job stalled (the
// failure test below, run after the dead-worker tests, caught it about one run in three).
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { ThreadPool, threadCanBlock } from '../../src/backend/threads.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

interface PoolInternals {
  workers: { terminate(): Promise<void> }[];
  jobs: Int32Array;
}

let b: Backend;
let pool: ThreadPool;
const internals = (): PoolInternals => pool as unknown as PoolInternals;

beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
  pool = b.pool!;
});
afterAll(async () => {
  await km.shutdown();
});

/** A GEMM big enough to split (m = 64, n = 96, k = 700: 8.6 MFLOP), on fresh random buffers. */
function gemmCase(seed: number) {
  const [m, n, k] = [64, 96, 700];
  const rng = new Rng(seed);
  const A = new GuardedBuffer(b, m * k);
  const B = new GuardedBuffer(b, k * n);
  rng.fill(A.data);
  rng.fill(B.data);
  const wsBytes = b.k.f32_gemm_workspace_bytes(m, n, k);
  const ws = b.arena.alloc(wsBytes);
  /** C = A·B into a new buffer first filled with NaN (a block no thread computed stays NaN). */
  const run = (): number[] => {
    pool.reserve(wsBytes);
    const C = new GuardedBuffer(b, m * n);
    C.data.fill(Number.NaN);
    b.k.f32_gemm_nn_minmax(m, n, k, A.ptr, k, B.ptr, n, 0, 0, C.ptr, n, -Infinity, Infinity, ws.ptr);
    const out = Array.from(C.data);
    C.checkGuards();
    C.free();
    return out;
  };
  const free = () => {
    A.free();
    B.free();
    b.arena.release(ws);
  };
  return { run, free, m, n, k, A, B, ws };
}

test('Node threads may block; the calling thread of the pool was detected as such', () => {
  expect(threadCanBlock()).toBe(true);
  expect(pool.canBlock).toBe(true);
});

describe('a calling thread that cannot block (a browser main thread) spins', () => {
  test('threaded GEMMs still equal one thread bit for bit, and Atomics.wait is never called', async () => {
    const g = gemmCase(3);
    await km.setThreads(1);
    const one = g.run();
    await km.setThreads(2);
    pool.canBlock = false;
    const wait = vi.spyOn(Atomics, 'wait');
    try {
      for (let r = 0; r < 5; r++) expect(g.run()).toEqual(one);
      expect(wait).not.toHaveBeenCalled();
    } finally {
      wait.mockRestore();
      pool.canBlock = true;
      g.free();
    }
    expect(one.some((v) => Number.isNaN(v))).toBe(false);
  });

  test.each([false, true])('a dead worker is reported within the deadline, naming it (canBlock %s), then setThreads restarts the pool', async (canBlock) => {
    const g = gemmCase(4);
    await km.setThreads(1);
    const one = g.run();
    await km.setThreads(2);
    await internals().workers[0]!.terminate();   // the worker dies behind the pool's back
    pool.canBlock = canBlock;
    pool.stallMs = 300;
    const wait = vi.spyOn(Atomics, 'wait');
    try {
      const t0 = performance.now();
      expect(() => g.run()).toThrow(/A kerasm worker failed: worker 1 of 1 made no progress for \d+\.\d s/);
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThan(5000);
      // Blocking threads sleep in Atomics.wait between checks; the others never call it.
      if (canBlock) expect(wait).toHaveBeenCalled();
      else expect(wait).not.toHaveBeenCalled();
      // The pool fails fast from now on, until setThreads replaces its workers.
      const t1 = performance.now();
      expect(() => g.run()).toThrow(/made no progress/);
      expect(performance.now() - t1).toBeLessThan(250);
    } finally {
      wait.mockRestore();
      pool.canBlock = true;
      pool.stallMs = 10_000;
    }
    await km.setThreads(2);
    expect(km.backendInfo().threadCount).toBe(2);
    expect(g.run()).toEqual(one);
    g.free();
  });
});

test("a worker's failure reaches the calling thread through the control block, with its message", async () => {
  await km.setThreads(2);
  const [m, n, k] = [64, 64, 1024];
  // A's last rows (the worker's share of a row split) lie past the end of memory: the worker traps,
  // the calling thread's rows are in bounds.
  const a = b.arena.memoryBytes - (m / 2) * k * 4;
  const B = new GuardedBuffer(b, k * n);
  const C = new GuardedBuffer(b, m * n);
  const wsBytes = b.k.f32_gemm_workspace_bytes(m, n, k);
  const ws = b.arena.alloc(wsBytes);
  pool.reserve(wsBytes);
  const addr = b.arena.memoryBytes - (m / 2) * k * 4;
  expect(addr).toBe(a);
  expect(() => b.k.f32_gemm_nn_minmax(m, n, k, a, k, B.ptr, n, 0, 0, C.ptr, n, -Infinity, Infinity, ws.ptr))
    .toThrow(/^kerasm worker 1 failed: RuntimeError: memory access out of bounds/);
  B.free();
  C.free();
  b.arena.release(ws);
  // A failed job does not break the pool.
  const g = gemmCase(5);
  const two = g.run();
  await km.setThreads(1);
  expect(g.run()).toEqual(two);
  g.free();
});

test('workers kept across setThreads are never handed a job number they already finished (2 → 3 threads)', async () => {
  const g = gemmCase(6);
  await km.setThreads(1);
  const one = g.run();
  await km.setThreads(2);
  expect(g.run()).toEqual(one);            // worker 1 has finished job 1
  await km.setThreads(3);                  // keeps worker 1, starts worker 2
  expect(km.backendInfo().threadCount).toBe(3);
  expect(g.run()).toEqual(one);
  await km.setThreads(2);                  // stops worker 2, keeps worker 1
  expect(g.run()).toEqual(one);
  g.free();
});

test('the job counter rewinds well before Int32 overflow without losing a job', async () => {
  const g = gemmCase(7);
  await km.setThreads(1);
  const one = g.run();
  await km.setThreads(2);
  internals().jobs[0] = (1 << 30) - 3;
  for (let r = 0; r < 6; r++) expect(g.run(), `run ${r}`).toEqual(one);
  expect(internals().jobs[0]).toBeGreaterThan(0);
  expect(internals().jobs[0]).toBeLessThan(10);
  g.free();
});

test('setThreads accepts at most 64 threads, in Keras wording', async () => {
  await expect(km.setThreads(65)).rejects.toThrow('Invalid value received for argument `n`: expected a positive integer of at most 64. Received: n=65');
});

test('a worker that cannot instantiate the build fails setThreads with its error, and starts no worker', async () => {
  // The simd build imports an unshared memory: instantiating it on the shared one is a LinkError.
  const { readFileSync } = await import('node:fs');
  const simd = await WebAssembly.compile(readFileSync(new URL('../../build/kerasm.simd.wasm', import.meta.url)));
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 1024, shared: true });
  const broken = new ThreadPool(simd, memory, b.k, b.arena);
  await expect(broken.setThreads(2)).rejects.toThrow(/^kerasm worker 1 failed to start: LinkError/);
  expect(broken.threads).toBe(1);
});

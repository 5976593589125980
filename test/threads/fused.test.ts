// The fused optimizer pass on the threads builds: update kernels split by ranges across the
// pool read one fused-options block (its pointer is not offset per thread), so 1 and 2 threads
// give the same bits, and those of the separate passes; so do Optimizer.apply and fit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { Ptr } from '../../src/backend/kernels.js';
import type { Region } from '../../src/backend/memory.js';
import { testBackend } from '../helpers/backend.js';
import { KERNEL_VARIANTS, OPTIMIZERS, allocBlock, bits, compareRuns, describeOptions, expectSameBits, oldConstraintPass, oldGradientPasses, writeBlock } from '../helpers/fused.js';
import type { FusedOptions, StateName } from '../helpers/fused.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
let block: Region;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
  block = allocBlock(b);
});
afterAll(async () => {
  b.arena.release(block);
  await km.shutdown();
});

/** Above the pool's split threshold (64k elements), odd so the global tail is not empty. */
const N = 200_003;
const OPTIONS: FusedOptions[] = [
  {},
  { penalty: [0.05, 0.2], scale: 0.37, clamp: [0, Infinity] },
  { penalty: [0.05, 0], clip: 0.05, clamp: [-0.25, 0.5] },
  { penalty: [0, 0.2] },
];

describe.each(KERNEL_VARIANTS.map((v) => ({ name: v.name, v })))('$name', ({ v }) => {
  test('fused block: 1 and 2 threads and the separate passes give the same bits (n = 200,003, 3 steps)', async () => {
    for (const o of OPTIONS) {
      const rng = new Rng(5 + OPTIONS.indexOf(o));
      const w0 = Float32Array.from({ length: N }, () => rng.awkward(1));
      const s0 = new Map(v.states.map((s) => [s, new Float32Array(N)] as const));
      for (let i = 0; i < N; i++) {
        const init = v.init(() => rng.next());
        for (const s of v.states) s0.get(s)![i] = init[s]!;
      }
      const gs = Array.from({ length: 3 }, () => Float32Array.from({ length: N }, () => rng.awkward(1)));
      const results: Uint32Array[][] = [];
      for (const mode of ['separate', 'fused 1 thread', 'fused 2 threads'] as const) {
        await km.setThreads(mode === 'fused 2 threads' ? 2 : 1);
        const w = new GuardedBuffer(b, N).set(w0);
        const g = new GuardedBuffer(b, N);
        const states = v.states.map((s) => new GuardedBuffer(b, N).set(s0.get(s)!));
        const ptrs: Partial<Record<StateName, Ptr>> = {};
        v.states.forEach((s, i) => (ptrs[s] = states[i]!.ptr));
        const flags = writeBlock(b, block.ptr, o);
        for (let step = 0; step < gs.length; step++) {
          g.set(gs[step]!);
          if (mode === 'separate') {
            oldGradientPasses(b.k, N, w.ptr, g.ptr, o);
            v.call(b.k, N, w.ptr, g.ptr, ptrs, Math.fround(0.001), 0, step);
            oldConstraintPass(b, N, w.ptr, o);
          } else {
            v.call(b.k, N, w.ptr, g.ptr, ptrs, Math.fround(0.001), flags === 0 ? 0 : block.ptr, step);
          }
        }
        results.push([bits(w.data), ...states.map((s) => bits(s.data))]);
        for (const buf of [w, g, ...states]) {
          buf.checkGuards();
          buf.free();
        }
      }
      expectSameBits(results[1]!, results[0]!, `${describeOptions(o)}: fused vs separate`);
      expectSameBits(results[2]!, results[1]!, `${describeOptions(o)}: 2 threads vs 1`);
    }
  });
});

test.each(OPTIMIZERS.map(([name, make]) => [name, make] as const))(
  '%s: Optimizer.apply with penalties, clipping and NonNeg on 2 threads equals the multi-pass step and 1 thread',
  async (_name, make) => {
    const sizes = [1, 70_001, 131_075];
    const runs: Uint32Array[][] = [];
    for (const threads of [1, 2]) {
      await km.setThreads(threads);
      for (const o of [{ clipnorm: 0.5, weightDecay: 0.01 }, { globalClipnorm: 1 }, { clipvalue: 0.05 }]) {
        const r = compareRuns(b, () => make(o), 2, 2, 31, sizes);
        r.fused.forEach((s, step) => expectSameBits(s, r.multi[step]!, `${JSON.stringify(o)}, ${threads} threads, step ${step}`));
        runs.push(r.fused.flat());
      }
    }
    runs.slice(3).forEach((r, i) => expectSameBits(r, runs[i]!, `option set ${i}: 2 threads vs 1`));
  },
);

test('fit with L1L2 and proximal L1 penalties, NonNeg, MaxNorm and clipnorm gives the same weights on 1 and 2 threads', async () => {
  const rng = new Rng(12);
  const n = 128;
  const x = km.tensor(Float32Array.from({ length: n * 96 }, () => rng.uniform(-1, 1)), [n, 96]);
  const y = Array.from({ length: n }, () => rng.int(4));
  const run = async (threads: number) => {
    await km.setThreads(threads);
    km.setSeed(4);
    const m = km.sequential({ layers: [
      km.layers.dense({ units: 1024, activation: 'relu', inputShape: [96], kernelRegularizer: km.regularizers.l1l2({ l1: 1e-4, l2: 1e-3 }),
        kernelConstraint: km.constraints.nonNeg(), biasRegularizer: km.regularizers.l2(0.01) }),
      km.layers.dense({ units: 96, activation: 'tanh', kernelRegularizer: km.regularizers.l1({ l1: 1e-4, proximal: true }),
        kernelConstraint: km.constraints.maxNorm({ maxValue: 2 }) }),
      km.layers.dense({ units: 4, activation: 'softmax', kernelConstraint: km.constraints.nonNeg() }),
    ] });
    m.compile({ optimizer: km.optimizers.adam({ clipnorm: 1, weightDecay: 0.01 }), loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    const w = m.getWeights().map((t) => bits(t.data));
    m.dispose();
    return w;
  };
  const one = await run(1);
  const two = await run(2);
  expectSameBits(two, one, 'weights after fit, 2 threads vs 1');
});

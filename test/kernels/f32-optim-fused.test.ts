// The optimizer kernels' fused-options block (assembly/f32-optim/common.ts): penalty gradient,
// clipnorm scale, clipvalue and an elementwise constraint inside the update pass must give the
// bits of the separate passes (f32_l1l2_grad, f32_vscale / f32_clip_by_value, the kernel without
// a block, f32_nonneg), on every build; and f32_l1l2_grad_sumsq the bits of f32_sumsq after
// f32_l1l2_grad.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import type { Ptr } from '../../src/backend/kernels.js';
import type { Region } from '../../src/backend/memory.js';
import { testBackend } from '../helpers/backend.js';
import { KERNEL_VARIANTS, allocBlock, bits, describeOptions, expectSameBits, firstDifference, oldConstraintPass, oldGradientPasses, writeBlock } from '../helpers/fused.js';
import type { FusedOptions, KernelVariant, StateName } from '../helpers/fused.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
let block: Region;
beforeAll(async () => {
  b = await testBackend();
  block = allocBlock(b);
});
afterAll(() => {
  b.arena.release(block);
});

const SIZES = [1, 3, 5, 17, 1031];
const STEPS = 3;
const PENALTIES: (readonly [number, number] | undefined)[] = [undefined, [0.05, 0], [0, 0.2], [0.05, 0.2], [0, 0]];
const GRADIENT_OPS: FusedOptions[] = [{}, { scale: 0.37 }, { clip: 0.05 }];
const CLAMPS: (readonly [number, number] | undefined)[] = [undefined, [0, Infinity], [-0.25, 0.5]];
const OPTIONS: FusedOptions[] = PENALTIES.flatMap((penalty) => GRADIENT_OPS.flatMap((op) => CLAMPS.map((clamp) => ({
  ...op, ...(penalty ? { penalty } : {}), ...(clamp ? { clamp } : {}),
}))));

interface Buffers {
  w: GuardedBuffer;
  g: GuardedBuffer;
  states: Map<StateName, GuardedBuffer>;
  ptrs: Partial<Record<StateName, Ptr>>;
}

function buffers(v: KernelVariant, n: number, w0: Float32Array, s0: Map<StateName, Float32Array>): Buffers {
  const w = new GuardedBuffer(b, n).set(w0);
  const g = new GuardedBuffer(b, n);
  const states = new Map(v.states.map((s) => [s, new GuardedBuffer(b, n).set(s0.get(s)!)] as const));
  const ptrs: Partial<Record<StateName, Ptr>> = {};
  for (const [s, buf] of states) ptrs[s] = buf.ptr;
  return { w, g, states, ptrs };
}

function free(x: Buffers): void {
  for (const buf of [x.w, x.g, ...x.states.values()]) {
    buf.checkGuards();
    buf.free();
  }
}

/**
 * `steps` updates on n elements, separate passes and fused pass side by side from the same start
 * and gradients; returns the bits of w and every state of both, and checks that the fused pass
 * leaves g unchanged. `old` may replace the separate passes (to show a wrong order is caught).
 */
function run(v: KernelVariant, n: number, o: FusedOptions, wd: number, seed: number,
  old: (n: number, w: Ptr, g: Ptr) => void = (nn, w, g) => oldGradientPasses(b.k, nn, w, g, o)): { sep: Uint32Array[]; fused: Uint32Array[] } {
  const rng = new Rng(seed);
  const w0 = new Float32Array(n);
  for (let i = 0; i < n; i++) w0[i] = rng.awkward(1);
  const s0 = new Map(v.states.map((s) => [s, new Float32Array(n)] as const));
  for (let i = 0; i < n; i++) {
    const init = v.init(() => rng.next());
    for (const s of v.states) s0.get(s)![i] = init[s]!;
  }
  const sep = buffers(v, n, w0, s0);
  const fused = buffers(v, n, w0, s0);
  const flags = writeBlock(b, block.ptr, o);
  for (let step = 0; step < STEPS; step++) {
    const gv = new Float32Array(n);
    for (let i = 0; i < n; i++) gv[i] = rng.awkward(1);
    sep.g.set(gv);
    fused.g.set(gv);
    old(n, sep.w.ptr, sep.g.ptr);
    v.call(b.k, n, sep.w.ptr, sep.g.ptr, sep.ptrs, wd, 0, step);
    oldConstraintPass(b, n, sep.w.ptr, o);
    v.call(b.k, n, fused.w.ptr, fused.g.ptr, fused.ptrs, wd, flags === 0 ? 0 : block.ptr, step);
    expectSameBits([bits(fused.g.data)], [bits(gv)], 'the fused pass reads g only');
  }
  const out = (x: Buffers) => [bits(x.w.data), ...[...x.states.values()].map((s) => bits(s.data))];
  const r = { sep: out(sep), fused: out(fused) };
  free(sep);
  free(fused);
  return r;
}

describe.each(KERNEL_VARIANTS.map((v) => ({ name: v.name, v })))('$name with a fused-options block', ({ v }) => {
  test.each([0, Math.fround(0.01 * 0.1)])('bit-identical to the separate passes, every option combination, n = 1, 3, 5, 17, 1031, 3 steps (wd %s)', (wd) => {
    for (const o of OPTIONS) {
      for (const n of SIZES) {
        const r = run(v, n, o, wd, 1000 * n + OPTIONS.indexOf(o));
        expectSameBits(r.fused, r.sep, `${describeOptions(o)}, n=${n}`);
      }
    }
  });
  test('the options change the result, and the order penalty → scale → clip matters', () => {
    // The comparison above can fail: the fused pass differs from the plain kernel, and from
    // passes that scale before adding the penalty.
    const o: FusedOptions = { penalty: [0.05, 0.2], scale: 0.37 };
    const plain = run(v, 1031, o, 0, 7, () => {});
    expect(firstDifference(plain.fused, plain.sep)).not.toBeNull();
    const wrongOrder = run(v, 1031, o, 0, 7, (n, w, g) => {
      b.k.f32_vscale(n, g, g, 0.37);
      b.k.f32_l1l2_grad(n, w, g, 0.05, 0.2);
    });
    expect(firstDifference(wrongOrder.fused, wrongOrder.sep)).not.toBeNull();
    const clampMissing = run(v, 1031, { clamp: [0, Infinity] }, 0, 8);
    const unclamped = run(v, 1031, {}, 0, 8);
    expect(firstDifference(clampMissing.fused, unclamped.fused)).not.toBeNull();
  });
  test('flags 0 in a non-null block is the plain kernel', () => {
    const r = run(v, 17, {}, 0, 3);
    expectSameBits(r.fused, r.sep, 'flags 0');
  });
});

describe('f32_l1l2_grad_sumsq', () => {
  test('equals f32_sumsq after f32_l1l2_grad, bit for bit, n = 0..40, 1031, 4099', () => {
    const rng = new Rng(21);
    for (const n of [...Array.from({ length: 41 }, (_, i) => i), 1031, 4099]) {
      for (const [l1, l2] of [[0.05, 0], [0, 0.2], [0.05, 0.2], [0, 0], [3, 7]] as const) {
        const w = new GuardedBuffer(b, n);
        const g = new GuardedBuffer(b, n);
        rng.fill(w.data, 2);
        rng.fill(g.data, 2);
        const w0 = bits(w.data);
        const g0 = bits(g.data);
        const fused = b.k.f32_l1l2_grad_sumsq(n, w.ptr, g.ptr, l1, l2);
        expectSameBits([bits(w.data), bits(g.data)], [w0, g0], 'w and g are read only');
        b.k.f32_l1l2_grad(n, w.ptr, g.ptr, l1, l2);
        const want = b.k.f32_sumsq(n, g.ptr);
        expect(Object.is(fused, want), `n=${n} l1=${l1} l2=${l2}: ${fused} vs ${want}`).toBe(true);
        w.checkGuards('w');
        g.checkGuards('g');
        w.free();
        g.free();
      }
    }
  });
  test('is not f32_sumsq of g alone when the penalty is non-zero', () => {
    const w = new GuardedBuffer(b, 33).set(Array.from({ length: 33 }, (_, i) => i - 16));
    const g = new GuardedBuffer(b, 33).set(Array.from({ length: 33 }, (_, i) => 0.01 * i));
    expect(b.k.f32_l1l2_grad_sumsq(33, w.ptr, g.ptr, 0.1, 0.01)).not.toBe(b.k.f32_sumsq(33, g.ptr));
    expect(b.k.f32_l1l2_grad_sumsq(33, w.ptr, g.ptr, 0, 0)).toBe(b.k.f32_sumsq(33, g.ptr));
    w.free();
    g.free();
  });
});

// The FTRL update of the f32-optim family (assembly/f32-optim/ftrl.ts) against the float64
// reference in test/reference/prox.ts: Keras 3 FTRL (keras/src/optimizers/ftrl.py; McMahan et
// al. 2013). The other optimizers are in f32-optim.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { ftrlRef } from '../reference/prox.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const f = Math.fround;
const EPS32 = 2 ** -24;
const ABS_FLOOR = 1e-38;
const SIZES = [0, 1, 3, 5, 17, 33, 1000];

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.slice().buffer);
}

// ---------------------------------------------------------------- FTRL

describe('f32_ftrl (Keras 3 ftrl.py)', () => {
  interface FtrlCase {
    name: string;
    lr: number;
    power: number;
    l1: number;
    l2: number;
    l2s: number;
    beta: number;
    wd: number;
  }
  const CASES: FtrlCase[] = [
    { name: 'defaults (power −0.5, no regularization)', lr: f(0.1), power: -0.5, l1: 0, l2: 0, l2s: 0, beta: 0, wd: 0 },
    { name: 'l1, l2, shrinkage, beta', lr: f(0.1), power: -0.5, l1: f(0.01), l2: f(0.02), l2s: f(0.03), beta: f(0.5), wd: 0 },
    { name: 'power −0.7 (Mathf.pow path) and weight decay', lr: f(0.05), power: f(-0.7), l1: f(0.005), l2: f(0.01), l2s: 0, beta: 0, wd: f(0.1) },
    { name: 'power 0 (constant step)', lr: f(0.05), power: 0, l1: f(0.001), l2: 0, l2s: 0, beta: f(0.1), wd: 0 },
  ];
  /** Kernel run with `c`; the float64 reference with `r` (the same unless a test breaks it on purpose). */
  function runFtrl(c: FtrlCase, n: number, steps: number, seed: number, r: FtrlCase = c) {
    const rng = new Rng(seed);
    const w0 = new Float32Array(n);
    const acc0 = new Float32Array(n);
    const lin0 = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // Interleaved, so a run on n elements starts like the first n of a longer run.
      w0[i] = rng.awkward(1);
      acc0[i] = f(0.1 + Math.abs(rng.awkward(0.5)));
      lin0[i] = rng.awkward(0.1);
    }
    const w = new GuardedBuffer(b, n).set(w0);
    const g = new GuardedBuffer(b, n);
    const acc = new GuardedBuffer(b, n).set(acc0);
    const lin = new GuardedBuffer(b, n).set(lin0);
    const wantW = Float64Array.from(w0);
    const st = { acc: Float64Array.from(acc0), lin: Float64Array.from(lin0) };
    let q: Float64Array = new Float64Array(n);
    for (let s = 0; s < steps; s++) {
      const grng = new Rng(seed * 31 + s);
      const gv = Float32Array.from({ length: n }, () => grng.awkward(1));
      g.set(gv);
      b.k.f32_ftrl(n, w.ptr, g.ptr, acc.ptr, lin.ptr, c.lr, -c.power, c.l1, f(2 * c.l2 + c.beta / c.lr), f(2 * c.l2s), f(c.wd * c.lr), 0);
      q = ftrlRef(wantW, gv, st, { learningRate: r.lr, learningRatePower: r.power, l1: r.l1, l2: r.l2, l2Shrinkage: r.l2s, beta: r.beta, weightDecay: r.wd });
      expect(bits(g.data)).toEqual(bits(gv));
    }
    for (const [name, buf] of [['w', w], ['g', g], ['acc', acc], ['lin', lin]] as const) buf.checkGuards(`${c.name} ${name}`);
    const got = { w: w.data.slice(), acc: acc.data.slice(), lin: lin.data.slice() };
    for (const buf of [w, g, acc, lin]) buf.free();
    return { got, want: { w: wantW, ...st }, q };
  }
  function checkFtrl(c: FtrlCase, n: number, steps: number, seed: number, r: FtrlCase = c): void {
    const { got, want, q } = runFtrl(c, n, steps, seed, r);
    const tol = 32 * steps * EPS32;
    for (let i = 0; i < n; i++) {
      const label = `${c.name} n=${n} steps=${steps} [${i}]`;
      const accErr = Math.abs(got.acc[i]! - want.acc[i]!);
      if (!(accErr <= tol * want.acc[i]!)) throw new Error(`${label}: acc got ${got.acc[i]}, want ${want.acc[i]}`);
      const linScale = Math.abs(want.lin[i]!) + c.l1 + 1;
      if (!(Math.abs(got.lin[i]! - want.lin[i]!) <= tol * linScale)) throw new Error(`${label}: lin got ${got.lin[i]}, want ${want.lin[i]}`);
      // w = (clip(lin) − lin)/q: its error follows lin's, divided by q.
      const wBound = tol * (Math.abs(want.w[i]!) + linScale / q[i]!) + ABS_FLOOR;
      if (!(Math.abs(got.w[i]! - want.w[i]!) <= wBound)) throw new Error(`${label}: w got ${got.w[i]}, want ${want.w[i]} (bound ${wBound})`);
    }
  }
  test.each(CASES.map((c) => [c.name, c] as const))('%s: one step and five steps, odd sizes', (_n, c) => {
    for (const n of SIZES) {
      checkFtrl(c, n, 1, 500 + n);
      checkFtrl(c, n, 5, 600 + n);
    }
    for (let n = 1; n <= 12; n++) checkFtrl(c, n, 2, 700 + n);
  });
  test('l1 makes weights exactly 0 where |lin| ≤ l1', () => {
    const c = CASES[1]!;
    const { got, want } = runFtrl(c, 1000, 3, 9);
    let zeros = 0;
    for (let i = 0; i < 1000; i++) {
      if (Math.abs(want.lin[i]!) < c.l1 * (1 - 1e-3)) {
        expect(got.w[i]).toBe(0);
        zeros++;
      }
    }
    expect(zeros).toBeGreaterThan(0);
  });
  test('body and tail give identical bits (n = 1, 2, 3, 17, 18, 19 vs 20)', () => {
    for (const c of CASES) {
      const full = runFtrl(c, 20, 3, 11);
      for (const n of [1, 2, 3, 17, 18, 19]) {
        const part = runFtrl(c, n, 3, 11);
        expect(bits(part.got.w), `${c.name} n=${n}`).toEqual(bits(full.got.w.slice(0, n)));
        expect(bits(part.got.lin)).toEqual(bits(full.got.lin.slice(0, n)));
      }
    }
  });
  test('the checks can fail: l2 shrinkage, beta or the power ignored in the reference', () => {
    const c = CASES[1]!;
    expect(() => checkFtrl(c, 33, 1, 3, { ...c, l2s: 0 })).toThrow(/got/);
    expect(() => checkFtrl(c, 33, 1, 3, { ...c, beta: 0 })).toThrow(/got/);
    expect(() => checkFtrl(CASES[2]!, 33, 1, 3, { ...CASES[2]!, power: -0.5 })).toThrow(/got/);
  });
});

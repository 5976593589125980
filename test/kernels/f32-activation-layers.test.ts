// Kernel tests of the activation layers' kernels in the f32-vunary family: the ReLU with all of
// Keras's arguments (f32_vrelu_ext/_grad, assembly/f32-vunary/relu-ext.ts) and PReLU
// (f32_prelu/_grad, prelu.ts), against the float64 references in test/reference/merge.ts, on odd
// sizes and broadcast patterns, with guard words after every buffer.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { preluAlphaIndex, preluDerivRef, preluRef, reluExtDerivRef, reluExtRef } from '../reference/merge.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 100, 1000];
const EPS = 2 ** -24;

/** The float32 ulp at |v| (2^-149 for zero and subnormals). */
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** got within `ulps` float32 ulps of want (float64), inf equal to inf, NaN to NaN, ±0 equal. */
function near(what: string, got: number, want: number, ulps = 2): void {
  if (Number.isNaN(want) ? Number.isNaN(got) : got === Math.fround(want) || Math.abs(got - want) <= ulps * ulp32(want)) return;
  throw new Error(`${what}: got ${got}, want ${want}`);
}

/** Values around the kinks (0, the threshold, the maximum), awkward ones, NaN and ±inf. */
function sample(n: number, rng: Rng, kinks: readonly number[]): Float32Array {
  return Float32Array.from({ length: n }, () => {
    const u = rng.next();
    if (u < 0.2) return Math.fround(kinks[rng.int(kinks.length)]! + (rng.int(3) - 1) * 1e-6);
    if (u < 0.23) return NaN;
    if (u < 0.27) return rng.next() < 0.5 ? Infinity : -Infinity;
    return rng.awkward(4);
  });
}

function buffer(data: ArrayLike<number>): GuardedBuffer {
  return new GuardedBuffer(b, data.length).set(data);
}

function freeAll(...bufs: GuardedBuffer[]): void {
  for (const buf of new Set(bufs)) buf.free();
}

// ---------------------------------------------------------------------------------------------
describe('f32_vrelu_ext, f32_vrelu_ext_grad', () => {
  /** [max_value (Infinity: none), negative_slope, threshold]: Keras's ReLU arguments and ThresholdedReLU's. */
  const ARGS: readonly (readonly [number, number, number])[] = [
    [Infinity, 0, 0], [6, 0, 0], [Infinity, 0.3, 0], [1, 0.1, 0.5], [Infinity, 0, 1], [2.5, 0, 0.7], [0, 0.2, 0], [0.5, 1.5, 2],
  ];

  test('forward: odd sizes, every argument combination, out of place and in place', () => {
    for (const [max, slope, thr] of ARGS) {
      for (const n of SIZES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(n + Math.round(slope * 100) + (inplace ? 1 : 0));
          const x0 = sample(n, rng, [0, thr, Math.min(max, 1e30)]);
          const X = buffer(x0);
          const Y = inplace ? X : buffer(sample(n, rng, [0]));
          b.k.f32_vrelu_ext(n, X.ptr, Y.ptr, max, slope, thr);
          const f32slope = Math.fround(slope);
          for (let i = 0; i < n; i++) near(`relu_ext(${max}, ${slope}, ${thr}) x=${x0[i]}`, Y.data[i]!, reluExtRef(x0[i]!, max, f32slope, Math.fround(thr)));
          if (!inplace) expect(Array.from(X.data)).toEqual(Array.from(x0));
          for (const buf of [X, Y]) buf.checkGuards('relu_ext');
          freeAll(X, Y);
        }
      }
    }
  });

  test('forward: negative_slope 0 gives +0 below the threshold, also at −inf (not 0·inf)', () => {
    const X = buffer([-Infinity, -3, -0, 0.25]);
    b.k.f32_vrelu_ext(4, X.ptr, X.ptr, Infinity, 0, 0.5);
    expect(Array.from(X.data).map((v) => Object.is(v, 0))).toEqual([true, true, true, true]);
    X.free();
  });

  test('backward: dx = dy·f\'(x), odd sizes, dx aliasing dy or not', () => {
    for (const [max, slope, thr] of ARGS) {
      for (const n of SIZES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(n * 3 + Math.round(thr * 10) + (inplace ? 1 : 0));
          const x0 = sample(n, rng, [0, thr, Math.min(max, 1e30)]);
          const dy0 = Float32Array.from({ length: n }, () => (rng.next() < 0.03 ? Infinity : rng.awkward(3)));
          const X = buffer(x0);
          const DY = buffer(dy0);
          const DX = inplace ? DY : buffer(sample(n, rng, [0]));
          b.k.f32_vrelu_ext_grad(n, X.ptr, DY.ptr, DX.ptr, max, slope, thr);
          const s = Math.fround(slope);
          for (let i = 0; i < n; i++) {
            const d = reluExtDerivRef(x0[i]!, max, s, Math.fround(thr));
            near(`relu_ext_grad(${max}, ${slope}, ${thr}) x=${x0[i]} dy=${dy0[i]}`, DX.data[i]!, dy0[i]! * d, 1);
          }
          expect(Array.from(X.data)).toEqual(Array.from(x0));
          for (const buf of [X, DY, DX]) buf.checkGuards('relu_ext_grad');
          freeAll(X, DY, DX);
        }
      }
    }
  });

  test('backward at the kinks: the threshold takes the slope, the maximum 0', () => {
    const X = buffer([0.5, 1, 0.75, 0.4999999, 1.0000001]);
    const DY = buffer([2, 2, 2, 2, 2]);
    const DX = new GuardedBuffer(b, 5);
    b.k.f32_vrelu_ext_grad(5, X.ptr, DY.ptr, DX.ptr, 1, 0.25, 0.5);
    expect(Array.from(DX.data)).toEqual([0.5, 0, 2, 0.5, 0]);
    freeAll(X, DY, DX);
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_prelu, f32_prelu_grad', () => {
  /** [p, a, q, c]: one alpha per element, per channel, trailing and middle shared runs, one alpha for all. */
  const PATTERNS: readonly (readonly [number, number, number, number])[] = [
    [3, 1, 1, 17], [5, 1, 1, 1], [4, 1, 1, 5], [2, 3, 5, 1], [3, 2, 3, 7], [1, 3, 17, 1], [6, 1, 33, 1], [2, 5, 1, 4], [0, 2, 3, 4], [3, 1, 1, 100],
  ];

  function alphaOf(rng: Rng, n: number): Float32Array {
    return Float32Array.from({ length: n }, () => (rng.next() < 0.1 ? 0 : rng.uniform(-0.5, 1.5)));
  }

  test('forward: y = x > 0 ? x : alpha·x with alpha broadcast as [a, c]; in place too', () => {
    for (const [p, a, q, c] of PATTERNS) {
      for (const inplace of [false, true]) {
        const n = p * a * q * c;
        const rng = new Rng(p * 1000 + a * 100 + q * 10 + c);
        const x0 = sample(n, rng, [0]);
        const al0 = alphaOf(rng, a * c);
        const X = buffer(x0);
        const AL = buffer(al0);
        const Y = inplace ? X : buffer(sample(n, rng, [0]));
        b.k.f32_prelu(p, a, q, c, X.ptr, AL.ptr, Y.ptr);
        for (let i = 0; i < n; i++) near(`prelu [${p},${a},${q},${c}] x=${x0[i]}`, Y.data[i]!, preluRef(x0[i]!, al0[preluAlphaIndex(i, a, q, c)]!), 0);
        expect(Array.from(AL.data)).toEqual(Array.from(al0));
        for (const buf of [X, AL, Y]) buf.checkGuards('prelu');
        freeAll(X, AL, Y);
      }
    }
  });

  /** The reference gradients: dx per element, dalpha per alpha (float64 sums, and Σ|terms|). */
  function gradRef(p: number, a: number, q: number, c: number, x: Float32Array, al: Float32Array, dy: Float32Array, da0: Float32Array, beta: number) {
    const n = p * a * q * c;
    const dx = new Float64Array(n);
    const da = Float64Array.from(da0, (v) => (beta ? v : 0));
    const mag = Float64Array.from(da, Math.abs);
    for (let i = 0; i < n; i++) {
      const j = preluAlphaIndex(i, a, q, c);
      const d = preluDerivRef(x[i]!, al[j]!);
      dx[i] = dy[i]! * d.dx;
      da[j] = da[j]! + dy[i]! * d.dalpha;
      mag[j] = mag[j]! + Math.abs(dy[i]! * d.dalpha);
    }
    return { dx, da, mag };
  }

  test('backward: dx and dalpha (β = 0 and 1), dx aliasing dy, dx = 0, dalpha = 0', () => {
    for (const [p, a, q, c] of PATTERNS) {
      for (const [beta, inplace, noDx, noDa] of [[0, false, false, false], [1, false, false, false], [0, true, false, false], [1, false, true, false], [0, false, false, true]] as const) {
        const n = p * a * q * c;
        const rng = new Rng(p * 977 + a * 101 + q * 11 + c + beta * 3 + (inplace ? 5 : 0));
        // finite x here: NaN in one x makes its whole alpha's gradient NaN (checked below)
        const x0 = Float32Array.from({ length: n }, () => rng.awkward(3));
        const al0 = alphaOf(rng, a * c);
        const dy0 = Float32Array.from({ length: n }, () => rng.awkward(2));
        const da0 = Float32Array.from({ length: a * c }, () => rng.uniform(-1, 1));
        const X = buffer(x0);
        const AL = buffer(al0);
        const DY = buffer(dy0);
        const DX = inplace ? DY : buffer(sample(n, rng, [0]));
        const DA = buffer(da0);
        const dxBefore = DX.data.slice();
        b.k.f32_prelu_grad(p, a, q, c, X.ptr, AL.ptr, DY.ptr, noDx ? 0 : DX.ptr, noDa ? 0 : DA.ptr, beta);
        const want = gradRef(p, a, q, c, x0, al0, dy0, da0, beta);
        const where = `prelu_grad [${p},${a},${q},${c}] beta=${beta} inplace=${inplace}`;
        if (!noDx) for (let i = 0; i < n; i++) near(`${where} dx[${i}]`, DX.data[i]!, want.dx[i]!, 1);
        else expect(Array.from(DX.data), `${where}: dx = 0 writes no dx`).toEqual(Array.from(dxBefore));
        if (noDa) expect(Array.from(DA.data), `${where}: dalpha = 0 leaves it`).toEqual(Array.from(da0));
        else {
          for (let j = 0; j < a * c; j++) {
            // a sum of p·q float32 products in float32: each addition rounds (≤ (terms + 1)·EPS·Σ|terms|)
            const bound = (p * q + 2) * EPS * want.mag[j]! + 2 ** -149;
            const err = Math.abs(DA.data[j]! - want.da[j]!);
            if (!(err <= bound)) throw new Error(`${where} dalpha[${j}]: got ${DA.data[j]}, want ${want.da[j]} (err ${err} > ${bound})`);
          }
        }
        expect(Array.from(X.data)).toEqual(Array.from(x0));
        for (const buf of [X, AL, DY, DX, DA]) buf.checkGuards(where);
        freeAll(X, AL, DY, DX, DA);
      }
    }
  });

  test('backward: NaN in x gives NaN in its dx and its alpha\'s gradient only', () => {
    // [p, a, q, c] = [2, 2, 1, 2]: alpha index = element % 4 (c = 2 per row of 2, a = 2 rows)
    const X = buffer([NaN, -1, 2, -2, 1, 1, 1, 1]);
    const AL = buffer([0.5, 0.5, 0.5, 0.5]);
    const DY = buffer([1, 1, 1, 1, 1, 1, 1, 1]);
    const DX = new GuardedBuffer(b, 8);
    const DA = new GuardedBuffer(b, 4);
    b.k.f32_prelu_grad(2, 2, 1, 2, X.ptr, AL.ptr, DY.ptr, DX.ptr, DA.ptr, 0);
    expect(Array.from(DX.data)).toEqual([NaN, 0.5, 1, 0.5, 1, 1, 1, 1]);
    expect(Array.from(DA.data)).toEqual([NaN, -1, 0, -2]);
    freeAll(X, AL, DY, DX, DA);
  });
});

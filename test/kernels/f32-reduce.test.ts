// Kernel tests of the f32-reduce family: reductions, the L1L2 regularizer and elementwise
// helpers, each against the float64 references in test/reference/reduce.ts.
// Source: Keras 3 keras/src/regularizers/regularizers.py (L1L2).
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { colsumRef, findNonfiniteRef, l1l2GradRef, l1l2PenaltyRef, sumsqRef } from '../reference/reduce.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 100, 1000];
const SHAPES = [1, 3, 5, 17, 33];
const EPS = 2 ** -24; // half an ulp of 1 in f32
const TINY = 2 ** -149; // the smallest subnormal

/** A guarded buffer filled from the Rng with awkward values (zeros, -0, subnormals). */
function filled(n: number, rng: Rng, range = 1): GuardedBuffer {
  const buf = new GuardedBuffer(b, n);
  rng.fill(buf.data, range);
  return buf;
}

/** |got − want| ≤ tol·mag + slack, or both NaN. */
function near(what: string, got: number, want: number, mag: number, tol: number, slack = TINY): void {
  if (Number.isNaN(got) && Number.isNaN(want)) return;
  const err = Math.abs(got - want);
  if (!(err <= tol * mag + slack)) {
    throw new Error(`${what}: got ${got}, want ${want} (err ${err}, bound ${tol * mag + slack})`);
  }
}

/** Bit-for-bit equality of two float arrays (NaN payloads and the sign of zero included). */
function sameBits(what: string, got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Int32Array(Float32Array.from(got).buffer);
  const w = new Int32Array(Float32Array.from(want).buffer);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
describe('f32_colsum', () => {
  function check(m: number, n: number, ldx: number, beta: number, seed: number): void {
    const rng = new Rng(seed);
    const X = new GuardedBuffer(b, Math.max(1, m * ldx));
    const Y = filled(n, rng);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < ldx; j++) X.data[i * ldx + j] = j < n ? rng.awkward() : NaN; // padding: NaN, must not be read
    }
    const x0 = X.data.slice();
    const y0 = Y.data.slice();
    b.k.f32_colsum(m, n, X.ptr, ldx, Y.ptr, beta);
    const ref = colsumRef(m, n, x0, ldx, y0, beta);
    const got = Y.data;
    const tol = 2 * EPS * (m + 2);
    for (let j = 0; j < n; j++) near(`colsum m=${m} n=${n} ldx=${ldx} beta=${beta} y[${j}]`, got[j]!, ref.y[j]!, ref.mag[j]!, tol);
    sameBits('x unchanged', X.data, x0);
    X.checkGuards('x');
    Y.checkGuards('y');
    X.free();
    Y.free();
  }
  test('odd shapes m×n in {1,3,5,17,33}², packed and with ldx > n, beta 0 and 1', () => {
    for (const m of SHAPES) {
      for (const n of SHAPES) {
        for (const beta of [0, 1]) {
          check(m, n, n, beta, m * 100 + n + beta);
          check(m, n, n + 3, beta, m * 100 + n + beta + 7);
        }
      }
    }
  });
  test('n over 16-column blocks (16, 20, 31, 64, 100, 1000)', () => {
    for (const n of [16, 20, 31, 64, 100, 1000]) {
      check(7, n, n, 1, n);
      check(9, n, n + 5, 0, n + 1);
    }
  });
  test('m = 0 gives beta·y, n = 0 writes nothing', () => {
    check(0, 17, 17, 1, 3);
    check(0, 17, 17, 0, 4);
    check(5, 0, 3, 1, 5);
  });
  test('large m (1000 rows)', () => check(1000, 37, 40, 1, 9));
  test('the column sum order is fixed: a column gives the same bits wherever it sits', () => {
    const m = 50;
    const rng = new Rng(21);
    const col = Float32Array.from({ length: m }, () => rng.awkward(100));
    // The same column at position 0 (vector block) and at position 18 (scalar tail) of a 19-wide matrix.
    const X = new GuardedBuffer(b, m * 19);
    const Y = new GuardedBuffer(b, 19);
    for (let i = 0; i < m; i++) {
      X.data[i * 19] = col[i]!;
      X.data[i * 19 + 18] = col[i]!;
    }
    b.k.f32_colsum(m, 19, X.ptr, 19, Y.ptr, 0);
    let s = Math.fround(0); // Σ in increasing i, rounded to f32 at each step
    for (let i = 0; i < m; i++) s = Math.fround(s + col[i]!);
    expect(Y.data[0]).toBe(s);
    expect(Y.data[18]).toBe(s);
    Y.checkGuards('y');
    X.free();
    Y.free();
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_sumsq', () => {
  test('against the reference on every size (tolerance (n + 4)·2^-23 of Σ|terms|)', () => {
    for (const n of SIZES) {
      for (const range of [1, 1000]) {
        const rng = new Rng(n * 7 + range);
        const X = filled(n, rng, range);
        const x0 = X.data.slice();
        const tol = 2 * EPS * (n + 4);
        const sq = sumsqRef(x0);
        near(`sumsq n=${n}`, b.k.f32_sumsq(n, X.ptr), sq, sq, tol, n * TINY);
        sameBits('x unchanged', X.data, x0);
        X.checkGuards('x');
        X.free();
      }
    }
  });
  test('n = 0 gives 0 (the NaN guard words after the buffer are not read)', () => {
    const X = new GuardedBuffer(b, 0);
    expect(b.k.f32_sumsq(0, X.ptr)).toBe(0);
    X.free();
  });
  test('sums are exact on small integers, and the tail is included', () => {
    for (const n of [1, 3, 5, 17, 33, 100, 1000]) {
      const X = new GuardedBuffer(b, n);
      X.set(Array.from({ length: n }, (_, i) => ((i % 7) - 3)));
      const want = Array.from(X.data);
      expect(b.k.f32_sumsq(n, X.ptr)).toBe(want.reduce((s, v) => s + v * v, 0));
      X.free();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_find_nonfinite', () => {
  /** Finite data with large values (±3e38) and subnormals. */
  function finite(n: number, seed: number): GuardedBuffer {
    const rng = new Rng(seed);
    const X = filled(n, rng);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      if (u < 0.1) X.data[i] = 3e38;
      else if (u < 0.2) X.data[i] = -3e38;
      else if (u < 0.25) X.data[i] = 3.4028234663852886e38; // f32 max
      else if (u < 0.3) X.data[i] = -1e-45;
    }
    return X;
  }
  test('finite data (±3e38, f32 max, subnormals) gives -1 on every size', () => {
    for (const n of SIZES) {
      const X = finite(n, n);
      expect(b.k.f32_find_nonfinite(n, X.ptr)).toBe(-1);
      X.free();
    }
  });
  test('NaN, +Inf, -Inf at the first, last, block-edge and tail positions', () => {
    for (const n of SIZES.filter((s) => s > 0)) {
      const positions = new Set([0, n - 1, n - 2, n - 3, 3, 4, 15, 16, 17, n >> 1].filter((p) => p >= 0 && p < n));
      for (const pos of positions) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const X = finite(n, n + pos);
          X.data[pos] = bad;
          const x0 = X.data.slice();
          expect(b.k.f32_find_nonfinite(n, X.ptr)).toBe(findNonfiniteRef(x0));
          expect(findNonfiniteRef(x0)).toBe(pos);
          if (pos + 1 < n) {
            X.data[n - 1] = -Infinity;                       // a later one does not matter
            expect(b.k.f32_find_nonfinite(n, X.ptr)).toBe(pos);
          }
          X.checkGuards('x');
          X.free();
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_l1l2_penalty / f32_l1l2_grad (Keras 3 regularizers.py L1L2)', () => {
  const COEFS: readonly [number, number][] = [[0.01, 0.01], [0.01, 0], [0, 0.001], [0, 0], [1.5, -0.25]];
  test('penalty against the reference on every size and coefficient pair', () => {
    for (const n of SIZES) {
      for (const [l1, l2] of COEFS) {
        const rng = new Rng(n + 31);
        const W = filled(n, rng, 3);
        const w0 = W.data.slice();
        const ref = l1l2PenaltyRef(w0, Math.fround(l1), Math.fround(l2));
        near(`penalty n=${n} l1=${l1} l2=${l2}`, b.k.f32_l1l2_penalty(n, W.ptr, l1, l2), ref.s, ref.mag, 2 * EPS * (n + 6), n * TINY);
        W.checkGuards('w');
        W.free();
      }
    }
  });
  test('a zero coefficient skips its sum (Σw² overflowing to Inf does not make 0·Inf = NaN)', () => {
    const W = new GuardedBuffer(b, 5).set([1e30, -2, 3, 0, 1e30]);
    expect(b.k.f32_l1l2_penalty(5, W.ptr, 0.5, 0)).toBe(Math.fround(0.5 * Math.fround(2e30 + 5)));
    expect(b.k.f32_l1l2_penalty(5, W.ptr, 0, 0.5)).toBe(Infinity);
    expect(b.k.f32_l1l2_penalty(5, W.ptr, 0, 0)).toBe(0);
    W.free();
  });
  test('grad against the reference on every size and coefficient pair', () => {
    for (const n of SIZES) {
      for (const [l1, l2] of COEFS) {
        const rng = new Rng(n + 57);
        const W = filled(n, rng, 3);
        const G = filled(n, rng);
        const w0 = W.data.slice();
        const g0 = G.data.slice();
        b.k.f32_l1l2_grad(n, W.ptr, G.ptr, l1, l2);
        const ref = l1l2GradRef(w0, g0, Math.fround(l1), Math.fround(l2));
        const got = G.data;
        for (let i = 0; i < n; i++) near(`grad n=${n} l1=${l1} l2=${l2} g[${i}] (w ${w0[i]}, g ${g0[i]})`, got[i]!, ref.g[i]!, ref.mag[i]!, 3 * EPS);
        sameBits('w unchanged', W.data, w0);
        W.checkGuards('w');
        G.checkGuards('g');
        W.free();
        G.free();
      }
    }
  });
  test('sign(±0) = 0: g is unchanged where w is ±0; sign is ±1 elsewhere', () => {
    const n = 19;
    const W = new GuardedBuffer(b, n);
    const G = new GuardedBuffer(b, n);
    W.set(Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : i % 3 === 1 ? -0 : (i % 2 ? 1e-40 : -1e-40))));
    G.set(Array.from({ length: n }, (_, i) => i + 0.5));
    b.k.f32_l1l2_grad(n, W.ptr, G.ptr, 0.25, 0);
    for (let i = 0; i < n; i++) expect(G.data[i]).toBe(i % 3 === 2 ? i + 0.5 + (i % 2 ? 0.25 : -0.25) : i + 0.5);
    G.checkGuards('g');
    W.free();
    G.free();
  });
});

// ---------------------------------------------------------------------------------------------
describe('elementwise helpers', () => {
  type Bin = 'f32_vmul' | 'f32_vadd';
  const binRef: Record<Bin, (a: number, b: number) => number> = {
    f32_vmul: (x, y) => Math.fround(x * y),
    f32_vadd: (x, y) => Math.fround(x + y),
  };
  describe.each(['f32_vmul', 'f32_vadd'] as const)('%s', (name) => {
    function check(n: number, alias: 'none' | 'a' | 'b'): void {
      const rng = new Rng(n + alias.length);
      const A = filled(n, rng, 10);
      const B = filled(n, rng, 10);
      const Y = alias === 'none' ? filled(n, rng) : alias === 'a' ? A : B;
      const a0 = A.data.slice();
      const b0 = B.data.slice();
      b.k[name](n, A.ptr, B.ptr, Y.ptr);
      const want = Float32Array.from({ length: n }, (_, i) => binRef[name](a0[i]!, b0[i]!));
      sameBits(`${name} n=${n} alias=${alias}`, Y.data, want);
      if (alias !== 'a') sameBits('a unchanged', A.data, a0);
      if (alias !== 'b') sameBits('b unchanged', B.data, b0);
      for (const buf of [A, B, Y]) buf.checkGuards(name);
      for (const buf of new Set([A, B, Y])) buf.free();
    }
    test('every size', () => { for (const n of SIZES) check(n, 'none'); });
    test('in place: y = a and y = b', () => { for (const n of SIZES) { check(n, 'a'); check(n, 'b'); } });
  });

  test('f32_vscale: every size, out of place and in place', () => {
    for (const n of SIZES) {
      for (const inplace of [false, true]) {
        const rng = new Rng(n + 3);
        const X = filled(n, rng, 10);
        const Y = inplace ? X : filled(n, rng);
        const x0 = X.data.slice();
        const s = Math.fround(-1.7);
        b.k.f32_vscale(n, X.ptr, Y.ptr, s);
        sameBits(`vscale n=${n}`, Y.data, Float32Array.from(x0, (v) => Math.fround(s * v)));
        X.checkGuards('x');
        Y.checkGuards('y');
        X.free();
        if (!inplace) Y.free();
      }
    }
  });

  test('f32_vcopy: a bit copy (NaN payloads, -0) on every size', () => {
    for (const n of SIZES) {
      const rng = new Rng(n + 4);
      const X = filled(n, rng);
      const Y = filled(n, rng);
      b.arena.refresh();
      if (n > 2) b.arena.i32[(X.ptr >> 2) + n - 1] = 0x7fa12345; // a signalling-style NaN payload
      const x0 = X.data.slice();
      b.k.f32_vcopy(n, X.ptr, Y.ptr);
      sameBits(`vcopy n=${n}`, Y.data, x0);
      Y.checkGuards('y');
      X.free();
      Y.free();
    }
  });

  test('f32_vfill: every size', () => {
    for (const n of SIZES) {
      const Y = filled(n, new Rng(n));
      b.k.f32_vfill(n, Y.ptr, -2.5);
      sameBits(`vfill n=${n}`, Y.data, new Float32Array(n).fill(-2.5));
      Y.checkGuards('y');
      Y.free();
    }
  });

  test('f32_vaxpy: every size (within 2 half-ulps: one rounding when fused, two otherwise)', () => {
    for (const n of SIZES) {
      const rng = new Rng(n + 5);
      const X = filled(n, rng, 10);
      const Y = filled(n, rng, 10);
      const x0 = X.data.slice();
      const y0 = Y.data.slice();
      const a = Math.fround(0.3);
      b.k.f32_vaxpy(n, X.ptr, Y.ptr, a);
      for (let i = 0; i < n; i++) {
        near(`vaxpy n=${n} y[${i}]`, Y.data[i]!, y0[i]! + a * x0[i]!, Math.abs(y0[i]!) + Math.abs(a * x0[i]!), 2 * EPS);
      }
      sameBits('x unchanged', X.data, x0);
      Y.checkGuards('y');
      X.free();
      Y.free();
    }
  });

  test('f32_vmul_cols: rows×cols in {1,3,5,17,33}², out of place and in place', () => {
    for (const rows of SHAPES) {
      for (const cols of SHAPES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(rows * 100 + cols);
          const X = filled(rows * cols, rng, 4);
          const M = filled(cols, rng, 2);
          const Y = inplace ? X : filled(rows * cols, rng);
          const x0 = X.data.slice();
          const m0 = M.data.slice();
          b.k.f32_vmul_cols(rows, cols, X.ptr, M.ptr, Y.ptr);
          const want = Float32Array.from(x0, (v, i) => Math.fround(v * m0[i % cols]!));
          sameBits(`vmul_cols ${rows}×${cols} inplace=${inplace}`, Y.data, want);
          sameBits('m unchanged', M.data, m0);
          for (const buf of [X, M, Y]) buf.checkGuards('vmul_cols');
          for (const buf of new Set([X, M, Y])) buf.free();
        }
      }
    }
  });
  test('f32_vmul_cols: wide rows (cols 64, 100, 1000)', () => {
    for (const cols of [64, 100, 1000]) {
      const rng = new Rng(cols);
      const X = filled(3 * cols, rng);
      const M = filled(cols, rng);
      const Y = filled(3 * cols, rng);
      const x0 = X.data.slice();
      const m0 = M.data.slice();
      b.k.f32_vmul_cols(3, cols, X.ptr, M.ptr, Y.ptr);
      sameBits(`vmul_cols 3×${cols}`, Y.data, Float32Array.from(x0, (v, i) => Math.fround(v * m0[i % cols]!)));
      Y.checkGuards('y');
      for (const buf of [X, M, Y]) buf.free();
    }
  });
});

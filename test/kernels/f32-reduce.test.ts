// Kernel tests of the f32-reduce family: reductions, the L1L2 regularizer, elementwise helpers
// and Philox dropout, each against the float64 references in test/reference/reduce.ts.
// Sources: Keras 3 keras/src/regularizers/regularizers.py (L1L2), keras/src/layers/regularization/
// dropout.py (inverted dropout, kept units scaled by 1/(1 − rate)); Salmon et al., SC'11, and
// Random123's tests/kat_vectors (Philox4x32-10).
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import {
  argmaxRowsRef, colsumRef, dropoutMaskRef, dropoutScale, findNonfiniteRef, l1l2GradRef, l1l2PenaltyRef,
  maxabsRef, philox4x32_10, sumabsRef, sumsqRef, uniformRef,
} from '../reference/reduce.js';

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

function i32At(buf: GuardedBuffer): Int32Array {
  b.arena.refresh();
  return b.arena.i32.slice(buf.ptr >> 2, (buf.ptr >> 2) + buf.length);
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
describe('f32_sumsq / f32_sumabs / f32_maxabs', () => {
  test('against the reference on every size (tolerance (n + 4)·2^-23 of Σ|terms|)', () => {
    for (const n of SIZES) {
      for (const range of [1, 1000]) {
        const rng = new Rng(n * 7 + range);
        const X = filled(n, rng, range);
        const x0 = X.data.slice();
        const tol = 2 * EPS * (n + 4);
        const sq = sumsqRef(x0);
        near(`sumsq n=${n}`, b.k.f32_sumsq(n, X.ptr), sq, sq, tol, n * TINY);
        const sa = sumabsRef(x0);
        near(`sumabs n=${n}`, b.k.f32_sumabs(n, X.ptr), sa, sa, tol, n * TINY);
        expect(b.k.f32_maxabs(n, X.ptr)).toBe(maxabsRef(x0));
        sameBits('x unchanged', X.data, x0);
        X.checkGuards('x');
        X.free();
      }
    }
  });
  test('n = 0 gives 0 (the NaN guard words after the buffer are not read)', () => {
    const X = new GuardedBuffer(b, 0);
    expect(b.k.f32_sumsq(0, X.ptr)).toBe(0);
    expect(b.k.f32_sumabs(0, X.ptr)).toBe(0);
    expect(b.k.f32_maxabs(0, X.ptr)).toBe(0);
    X.free();
  });
  test('sums are exact on small integers, and the tail is included', () => {
    for (const n of [1, 3, 5, 17, 33, 100, 1000]) {
      const X = new GuardedBuffer(b, n);
      X.set(Array.from({ length: n }, (_, i) => ((i % 7) - 3)));
      const want = Array.from(X.data);
      expect(b.k.f32_sumsq(n, X.ptr)).toBe(want.reduce((s, v) => s + v * v, 0));
      expect(b.k.f32_sumabs(n, X.ptr)).toBe(want.reduce((s, v) => s + Math.abs(v), 0));
      X.free();
    }
  });
  test('maxabs: the maximum in any position, NaN anywhere gives NaN, -Inf gives Inf', () => {
    for (const n of [1, 3, 5, 17, 33, 100]) {
      for (let pos = 0; pos < n; pos += Math.max(1, Math.floor(n / 7))) {
        const rng = new Rng(n + pos);
        const X = filled(n, rng);
        X.data[pos] = -5;
        expect(b.k.f32_maxabs(n, X.ptr)).toBe(5);
        X.data[pos] = NaN;
        expect(b.k.f32_maxabs(n, X.ptr)).toBeNaN();
        X.data[pos] = -Infinity;
        expect(b.k.f32_maxabs(n, X.ptr)).toBe(Infinity);
        X.free();
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_argmax_rows', () => {
  function check(rows: number, cols: number, fill: (r: Rng, i: number) => number, seed: number): void {
    const rng = new Rng(seed);
    const X = new GuardedBuffer(b, Math.max(1, rows * cols));
    const Out = new GuardedBuffer(b, rows);
    for (let i = 0; i < rows * cols; i++) X.data[i] = fill(rng, i);
    const x0 = X.data.slice();
    b.k.f32_argmax_rows(rows, cols, X.ptr, Out.ptr);
    const got = i32At(Out);
    const want = argmaxRowsRef(rows, cols, x0);
    for (let r = 0; r < rows; r++) {
      if (got[r] !== want[r]) {
        throw new Error(`argmax rows=${rows} cols=${cols} row ${r}: got ${got[r]}, want ${want[r]} (${Array.from(x0.subarray(r * cols, r * cols + cols)).join(', ')})`);
      }
    }
    sameBits('x unchanged', X.data, x0);
    Out.checkGuards('out');
    X.checkGuards('x');
    X.free();
    Out.free();
  }
  test('random rows, every shape and size', () => {
    for (const rows of SHAPES) for (const cols of SIZES.filter((c) => c > 0)) check(rows, cols, (r) => r.awkward(), rows * 1000 + cols);
  });
  test('ties go to the first maximum (small integer values), -0 and +0 tie', () => {
    for (const cols of [1, 3, 4, 5, 16, 17, 33, 100]) {
      check(9, cols, (r) => r.int(3) - 2, cols);                            // max 0 often repeated
      check(9, cols, (r) => (r.next() < 0.5 ? -0 : 0), cols + 1);
      check(9, cols, (r) => r.int(2), cols + 2);
    }
  });
  test('a NaN anywhere gives the index of the first NaN', () => {
    for (const cols of [1, 3, 4, 5, 16, 17, 33, 100]) {
      check(13, cols, (r) => (r.next() < 0.05 ? NaN : r.awkward()), cols * 3);
      check(6, cols, (r, i) => (i % cols === cols - 1 ? NaN : r.awkward()), cols * 5); // NaN in the last column
    }
  });
  test('rows of -Inf, rows with +Inf, cols = 0', () => {
    check(5, 17, () => -Infinity, 1);
    check(5, 33, (r) => (r.next() < 0.1 ? Infinity : r.awkward()), 2);
    check(4, 0, () => 0, 3);
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

// ---------------------------------------------------------------------------------------------
describe('Philox4x32-10 uniforms and dropout', () => {
  const N = 100_000;

  function uniforms(n: number, key0: number, key1: number, counter: number): Float32Array {
    const Y = new GuardedBuffer(b, n);
    b.k.f32_uniform(n, Y.ptr, key0, key1, counter, 0);
    Y.checkGuards('y');
    const out = Y.data.slice();
    Y.free();
    return out;
  }
  function mask(n: number, rate: number, key0: number, key1: number, counter: number): Float32Array {
    const M = new GuardedBuffer(b, n);
    b.k.f32_dropout_mask(n, M.ptr, rate, key0, key1, counter, 0);
    M.checkGuards('mask');
    const out = M.data.slice();
    M.free();
    return out;
  }

  test('the TypeScript reference reproduces Random123 known answers (kat_vectors)', () => {
    expect(philox4x32_10([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philox4x32_10([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))
      .toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(philox4x32_10([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))
      .toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });
  test('the kernel reproduces the all-zero known answer (key 0, counter 0, block 0)', () => {
    const want = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8].map((w) => (w >>> 8) * 2 ** -24);
    expect(Array.from(uniforms(4, 0, 0, 0))).toEqual(want);
  });
  test('f32_uniform equals the reference bit for bit on every size and several keys/counters', () => {
    const keys: [number, number, number][] = [[0, 0, 0], [1, 2, 3], [-1, 0x7fffffff, 12345], [0x2545f491, -0x21524111, -7]];
    for (const [k0, k1, c] of keys) {
      for (const n of SIZES) {
        const got = uniforms(n, k0, k1, c);
        sameBits(`uniform n=${n} key=(${k0}, ${k1}) counter=${c}`, got, Float32Array.from(uniformRef(n, k0, k1, c)));
      }
    }
  });
  test('u_i depends on i only, not on n: every prefix agrees', () => {
    const all = uniforms(1000, 9, 8, 7);
    for (const n of [1, 3, 4, 5, 17, 33, 100]) sameBits(`prefix ${n}`, uniforms(n, 9, 8, 7), all.subarray(0, n));
  });
  test(`uniforms over ${N}: in [0, 1), mean 0.5 ± 0.005, 16-bin chi-square p > 0.001`, () => {
    const u = uniforms(N, 0x1234, 0x5678, 42);
    let sum = 0;
    const bins = new Array<number>(16).fill(0);
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
      bins[Math.floor(v * 16)]!++;
    }
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(0.005);
    const e = N / 16;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(37.697); // χ²(15) at p = 0.001
  });
  test('dropout mask equals the reference bit for bit on every size', () => {
    for (const rate of [0.1, 0.3, 0.5, 0.9]) {
      for (const n of SIZES) sameBits(`mask n=${n} rate=${rate}`, mask(n, rate, 77, -5, 3), dropoutMaskRef(n, rate, 77, -5, 3));
    }
  });
  test(`rate 0.3 over ${N}: zero fraction 0.3 ± 0.01, kept values exactly 1/(1 − 0.3) in f32`, () => {
    const m = mask(N, 0.3, 2024, 11, 0);
    const keep = dropoutScale(0.3);
    expect(keep).toBe(Math.fround(1 / Math.fround(1 - Math.fround(0.3))));
    let zeros = 0;
    for (const v of m) {
      if (v === 0) zeros++;
      else expect(v).toBe(keep);
    }
    expect(Math.abs(zeros / N - 0.3)).toBeLessThan(0.01);
  });
  test('rate 0 gives all ones', () => {
    for (const n of [1, 5, 17, 1000]) expect(Array.from(mask(n, 0, 3, 4, 5)).every((v) => v === 1)).toBe(true);
  });
  test('same key and counter → identical masks; other counters and keys → independent masks', () => {
    const a = mask(N, 0.3, 5, 6, 100);
    sameBits('same key/counter', mask(N, 0.3, 5, 6, 100), a);
    const agree = (p: Float32Array, q: Float32Array) => p.reduce((s, v, i) => s + ((v === 0) === (q[i] === 0) ? 1 : 0), 0) / p.length;
    const expected = 0.7 ** 2 + 0.3 ** 2;
    for (const other of [mask(N, 0.3, 5, 6, 101), mask(N, 0.3, 5, 6, -100), mask(N, 0.3, 6, 6, 100), mask(N, 0.3, 5, 7, 100)]) {
      expect(Math.abs(agree(a, other) - expected)).toBeLessThan(0.01);
    }
  });
  test('f32_dropout: mask as f32_dropout_mask, y = x·mask exactly, on every size, out of place and in place', () => {
    for (const n of SIZES) {
      for (const inplace of [false, true]) {
        const rng = new Rng(n + 99);
        const X = filled(n, rng, 5);
        const Y = inplace ? X : filled(n, rng);
        const M = filled(n, rng);
        const x0 = X.data.slice();
        b.k.f32_dropout(n, X.ptr, Y.ptr, M.ptr, 0.3, 31, 41, 59, 0);
        const want = dropoutMaskRef(n, 0.3, 31, 41, 59);
        sameBits(`dropout mask n=${n}`, M.data, want);
        sameBits(`dropout y n=${n} inplace=${inplace}`, Y.data, Float32Array.from(x0, (v, i) => Math.fround(v * want[i]!)));
        for (const buf of [X, Y, M]) buf.checkGuards('dropout');
        for (const buf of new Set([X, Y, M])) buf.free();
      }
    }
  });
  test('a range starting at element `first` draws exactly that slice of the whole tensor (uniform, mask, dropout)', () => {
    const total = 1037;
    const all = uniforms(total, 12, -34, 56);
    const allMask = mask(total, 0.4, 12, -34, 56);
    for (const first of [0, 4, 8, 12, 16, 20, 64, 100, 516, 1032]) {
      for (const n of [1, 3, 5, 16, 17, 63, 333]) {
        if (first + n > total) continue;
        const Y = new GuardedBuffer(b, n);
        b.k.f32_uniform(n, Y.ptr, 12, -34, 56, first);
        sameBits(`uniform first=${first} n=${n}`, Y.data, all.subarray(first, first + n));
        b.k.f32_dropout_mask(n, Y.ptr, 0.4, 12, -34, 56, first);
        sameBits(`mask first=${first} n=${n}`, Y.data, allMask.subarray(first, first + n));
        const rng = new Rng(first * 7 + n);
        const X = filled(n, rng, 3);
        const M = filled(n, rng);
        const x0 = X.data.slice();
        b.k.f32_dropout(n, X.ptr, X.ptr, M.ptr, 0.4, 12, -34, 56, first);
        sameBits(`dropout mask first=${first} n=${n}`, M.data, allMask.subarray(first, first + n));
        sameBits(`dropout y first=${first} n=${n}`, X.data, Float32Array.from(x0, (v, i) => Math.fround(v * allMask[first + i]!)));
        for (const buf of [Y, X, M]) buf.checkGuards(`first=${first} n=${n}`);
        for (const buf of [Y, X, M]) buf.free();
      }
    }
  });
  test('f32_dropout_clamp_grad equals f32_vmul then the ReLU / ReLU6 gradient kernel, bit for bit, on odd sizes and special values', () => {
    const special = [0, -0, 6, -6, 5.999999, 6.000001, 1e-30, -1e-30, Infinity, -Infinity, NaN, 3];
    for (const [name, lo, hi] of [['relu', 0, Infinity], ['relu6', 0, 6]] as const) {
      for (const n of SIZES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(n * 3 + (inplace ? 1 : 0));
          const X = filled(n, rng, 8);
          for (let i = 0; i < n; i += 3) X.data[i] = special[(i / 3) % special.length]!;
          const dY = filled(n, rng, 2);
          if (n > 2) dY.data[1] = NaN;
          const M = new GuardedBuffer(b, n);
          b.k.f32_dropout_mask(n, M.ptr, 0.5, 9, 9, n, 0);
          const dy0 = dY.data.slice();
          // The unfused path: dropout backward, then the activation's gradient in place.
          const W = filled(n, rng);
          b.k.f32_vmul(n, dY.ptr, M.ptr, W.ptr);
          (b.k as unknown as Record<string, (...a: number[]) => void>)[`f32_v${name}_grad`]!(n, X.ptr, X.ptr, W.ptr, W.ptr, 0);
          const want = W.data.slice();
          dY.data.set(dy0);
          const dX = inplace ? dY : filled(n, rng);
          b.k.f32_dropout_clamp_grad(n, dY.ptr, M.ptr, X.ptr, dX.ptr, lo, hi);
          sameBits(`${name} n=${n} inplace=${inplace}`, dX.data, want);
          for (const buf of new Set([X, dY, M, W, dX])) buf.checkGuards(`${name} n=${n}`);
          for (const buf of new Set([X, dY, M, W, dX])) buf.free();
        }
      }
    }
  });
  test('backward: f32_vmul(n, dy, mask, dx) gives dy·mask', () => {
    const n = 1001;
    const rng = new Rng(5);
    const M = new GuardedBuffer(b, n);
    const dY = filled(n, rng);
    const dX = filled(n, rng);
    b.k.f32_dropout_mask(n, M.ptr, 0.5, 1, 2, 3, 0);
    const m0 = M.data.slice();
    const dy0 = dY.data.slice();
    b.k.f32_vmul(n, dY.ptr, M.ptr, dX.ptr);
    sameBits('dx', dX.data, Float32Array.from(dy0, (v, i) => Math.fround(v * m0[i]!)));
    dX.checkGuards('dx');
    for (const buf of [M, dY, dX]) buf.free();
  });
});

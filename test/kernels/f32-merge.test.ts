// Kernel tests of the f32-merge family (assembly/f32-merge/): elementwise max/min and the routing
// of their gradient, column blocks, row dot products and row scaling, against the float64
// references in test/reference/merge.ts, on odd sizes, with guard words after every buffer.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { copyBlockRef, maxRef, minRef, routeRef, rowdotRef } from '../reference/merge.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 100, 1000];
const SHAPES = [1, 3, 5, 17, 33];
const EPS = 2 ** -24;

/** Awkward values, NaN and ±inf among them; `ties` of the elements copied from `like` (ties for max/min). */
function values(n: number, rng: Rng, like?: Float32Array, ties = 0.2): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const u = rng.next();
    if (like !== undefined && u < ties) return like[i]!;
    if (u < ties + 0.02) return NaN;
    if (u < ties + 0.04) return rng.next() < 0.5 ? Infinity : -Infinity;
    return rng.awkward(3);
  });
}

function buffer(data: ArrayLike<number>): GuardedBuffer {
  return new GuardedBuffer(b, data.length).set(data);
}

/** Bit-for-bit equality, any NaN matching any NaN. */
function sameValues(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !Object.is(g, Math.fround(w))) throw new Error(`${what}[${i}]: got ${g}, want ${w}`);
  }
}

function freeAll(...bufs: GuardedBuffer[]): void {
  for (const buf of new Set(bufs)) buf.free();
}

// ---------------------------------------------------------------------------------------------
describe('f32_vmax, f32_vmin', () => {
  for (const [name, ref] of [['f32_vmax', maxRef], ['f32_vmin', minRef]] as const) {
    test(`${name}: odd sizes, NaN/inf/±0/ties, out of place and in place (y = a, y = b)`, () => {
      for (const n of SIZES) {
        for (const where of ['out', 'a', 'b'] as const) {
          const rng = new Rng(n * 7 + where.length);
          const a0 = values(n, rng);
          const b0 = values(n, rng, a0);
          const A = buffer(a0);
          const B = buffer(b0);
          const Y = where === 'a' ? A : where === 'b' ? B : buffer(values(n, rng));
          b.k[name](n, A.ptr, B.ptr, Y.ptr);
          sameValues(`${name} n=${n} y=${where}`, Y.data, Array.from(a0, (v, i) => ref(v, b0[i]!)));
          if (where !== 'a') sameValues('a unchanged', A.data, a0);
          if (where !== 'b') sameValues('b unchanged', B.data, b0);
          for (const buf of [A, B, Y]) buf.checkGuards(name);
          freeAll(A, B, Y);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
describe('f32_vroute_grad', () => {
  /** Fold `name` over k inputs, then route dy through them; compare with routeRef. */
  function check(name: 'f32_vmax' | 'f32_vmin', n: number, k: number, skip: number, seed: number): void {
    const rng = new Rng(seed);
    const xs0: Float32Array[] = [];
    for (let j = 0; j < k; j++) xs0.push(values(n, rng, xs0[rng.int(Math.max(1, j))], j === 0 ? 0 : 0.3));
    const dy0 = Float32Array.from({ length: n }, () => rng.awkward(2));
    const X = xs0.map(buffer);
    const Y = new GuardedBuffer(b, n);
    b.k[name](n, X[0]!.ptr, X[1]!.ptr, Y.ptr);
    for (let j = 2; j < k; j++) b.k[name](n, Y.ptr, X[j]!.ptr, Y.ptr);
    const y0 = Y.data.slice();
    const R = buffer(dy0);
    const D = xs0.map(() => buffer(values(n, rng))); // garbage: every element must be written
    for (let j = 0; j < k; j++) b.k.f32_vroute_grad(n, X[j]!.ptr, Y.ptr, R.ptr, j === skip ? 0 : D[j]!.ptr);
    const want = routeRef(xs0, y0, dy0);
    for (let j = 0; j < k; j++) {
      if (j !== skip) sameValues(`${name} route n=${n} k=${k} dx${j}`, D[j]!.data, want[j]!);
    }
    // what no input took: dy where y is NaN (no input equals it), 0 elsewhere
    sameValues(`${name} route n=${n} k=${k}: remaining`, R.data, Array.from(dy0, (g, i) => (xs0.some((x) => x[i] === y0[i]) ? 0 : g)));
    xs0.forEach((x, j) => sameValues(`x${j} unchanged`, X[j]!.data, x));
    for (const buf of [...X, Y, R, ...D]) buf.checkGuards('vroute_grad');
    freeAll(...X, Y, R, ...D);
  }

  test('two and three inputs: ties go to the first input equal to the output, odd sizes', () => {
    for (const n of SIZES) {
      for (const k of [2, 3]) {
        check('f32_vmax', n, k, -1, n * 10 + k);
        check('f32_vmin', n, k, -1, n * 10 + k + 5);
      }
    }
  });

  test('dx = 0 (an input whose gradient no one needs) still takes its share from r', () => {
    for (const n of [1, 5, 17, 100]) for (const skip of [0, 1]) check('f32_vmax', n, 3, skip, n + skip);
  });

  test('TensorFlow\'s rule on ties: max(1, 1) and min(−0, +0) send the gradient to the first input', () => {
    const X0 = buffer([1, 2, -0, 5]);
    const X1 = buffer([1, 3, 0, 5]);
    const Y = new GuardedBuffer(b, 4);
    const R = buffer([10, 20, 30, 40]);
    const D0 = buffer([9, 9, 9, 9]);
    const D1 = buffer([9, 9, 9, 9]);
    b.k.f32_vmax(4, X0.ptr, X1.ptr, Y.ptr);
    b.k.f32_vroute_grad(4, X0.ptr, Y.ptr, R.ptr, D0.ptr);
    b.k.f32_vroute_grad(4, X1.ptr, Y.ptr, R.ptr, D1.ptr);
    expect(Array.from(D0.data)).toEqual([10, 0, 30, 40]);
    expect(Array.from(D1.data)).toEqual([0, 20, 0, 0]);
    freeAll(X0, X1, Y, R, D0, D1);
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_copy_block', () => {
  test('blocks of odd widths between strides, the rest of the destination untouched', () => {
    for (const rows of [0, 1, 3, 5]) {
      for (const cols of [0, ...SHAPES]) {
        for (const [padX, padY] of [[0, 0], [3, 0], [0, 5], [2, 7]] as const) {
          const rng = new Rng(rows * 1000 + cols * 10 + padX + padY);
          const ldx = cols + padX;
          const ldy = cols + padY;
          const x0 = values(Math.max(1, rows * ldx), rng);
          const y0 = values(Math.max(1, rows * ldy), rng);
          const X = buffer(x0);
          const Y = buffer(y0);
          b.k.f32_copy_block(rows, cols, X.ptr, ldx, Y.ptr, ldy);
          const want = copyBlockRef(rows, cols, x0, ldx, y0, ldy);
          const gotBits = new Int32Array(Float32Array.from(Y.data).buffer);
          const wantBits = new Int32Array(want.buffer);
          expect(gotBits, `copy_block ${rows}×${cols} ldx=${ldx} ldy=${ldy} (bits, NaN payloads included)`).toEqual(wantBits);
          sameValues('x unchanged', X.data, x0);
          X.checkGuards('x');
          Y.checkGuards('y');
          freeAll(X, Y);
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_rowdot, f32_scale_rows', () => {
  test('f32_rowdot: each row within one rounding of the float64 sum', () => {
    for (const rows of [0, 1, 3, 5]) {
      for (const cols of [...SHAPES, 64, 100, 1000]) {
        const rng = new Rng(rows * 100 + cols);
        const a0 = Float32Array.from({ length: rows * cols }, () => rng.awkward(3));
        const b0 = Float32Array.from({ length: rows * cols }, () => rng.awkward(3));
        const A = buffer(a0);
        const B = buffer(b0);
        const Y = buffer(values(Math.max(1, rows), rng));
        b.k.f32_rowdot(rows, cols, A.ptr, B.ptr, Y.ptr);
        const { y, mag } = rowdotRef(rows, cols, a0, b0);
        for (let i = 0; i < rows; i++) {
          const err = Math.abs(Y.data[i]! - y[i]!);
          // one f32 rounding of the result; the f64 sum's own error is ~1e-16·Σ|terms|
          expect(err, `rowdot ${rows}×${cols} row ${i}: got ${Y.data[i]}, want ${y[i]}`).toBeLessThanOrEqual(EPS * Math.abs(y[i]!) + 1e-12 * mag[i]! + 2 ** -149);
        }
        for (const buf of [A, B, Y]) buf.checkGuards('rowdot');
        freeAll(A, B, Y);
      }
    }
  });

  test('f32_rowdot: NaN and inf in a row give NaN or inf there only', () => {
    const A = buffer([1, NaN, 3, 1, 2, 3, Infinity, 1, 1]);
    const B = buffer([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const Y = new GuardedBuffer(b, 3);
    b.k.f32_rowdot(3, 3, A.ptr, B.ptr, Y.ptr);
    expect(Array.from(Y.data)).toEqual([NaN, 6, Infinity]);
    Y.checkGuards('y');
    freeAll(A, B, Y);
  });

  test('f32_scale_rows: y = x·s[row], bit for bit, out of place and in place', () => {
    for (const rows of [0, 1, 3, 5]) {
      for (const cols of SHAPES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(rows * 100 + cols + (inplace ? 7 : 0));
          const x0 = values(rows * cols, rng);
          const s0 = values(Math.max(1, rows), rng);
          const X = buffer(x0);
          const S = buffer(s0);
          const Y = inplace ? X : buffer(values(rows * cols, rng));
          b.k.f32_scale_rows(rows, cols, X.ptr, S.ptr, Y.ptr);
          sameValues(`scale_rows ${rows}×${cols} inplace=${inplace}`, Y.data, Array.from(x0, (v, i) => v * s0[Math.floor(i / cols)]!));
          sameValues('s unchanged', S.data, s0);
          for (const buf of [X, S, Y]) buf.checkGuards('scale_rows');
          freeAll(X, S, Y);
        }
      }
    }
  });
});

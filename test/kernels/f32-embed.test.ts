// Kernel tests of the f32-embed family (assembly/f32-embed/): Embedding's gather and scatter-add,
// the id and step masks, and the masked mean over steps, against float64 references written here
// (each a few lines), on odd sizes (dims 1, 3, 4, 5, 17), with guard words after every buffer.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const DIMS = [1, 3, 4, 5, 17];
const COUNTS = [0, 1, 2, 7, 33];

function buffer(data: ArrayLike<number>): GuardedBuffer {
  return new GuardedBuffer(b, data.length).set(data);
}

function values(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.awkward(2));
}

function expectBits(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !Object.is(g, Math.fround(w))) throw new Error(`${what}[${i}]: got ${g}, want ${w}`);
  }
}

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, rel = 2 ** -22): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= rel * Math.max(1, Math.abs(w)))) throw new Error(`${what}[${i}]: got ${g}, want ${w}`);
  }
}

function freeAll(...bufs: GuardedBuffer[]): void {
  for (const buf of new Set(bufs)) {
    buf.checkGuards();
    buf.free();
  }
}

describe('f32_embed_gather', () => {
  test('copies the rows the ids name (odd dims, repeated ids, first and last row)', () => {
    for (const dim of DIMS) {
      for (const n of COUNTS) {
        const rng = new Rng(dim * 31 + n);
        const rows = 11;
        const table = values(rows * dim, rng);
        const ids = Float32Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? rows - 1 : rng.int(rows)));
        const T = buffer(table);
        const I = buffer(ids);
        const Y = buffer(new Float32Array(n * dim).fill(NaN));
        expect(b.k.f32_embed_gather(n, dim, I.ptr, T.ptr, rows, Y.ptr)).toBe(-1);
        const want = new Float64Array(n * dim);
        for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) want[i * dim + j] = table[ids[i]! * dim + j]!;
        expectBits(`gather dim ${dim} n ${n}`, Y.data, want);
        freeAll(T, I, Y);
      }
    }
  });

  test('returns the index of the first id out of range or not an integer, and reads nothing past the table', () => {
    const rows = 4;
    const dim = 3;
    for (const bad of [4, -1, 1.5, NaN, Infinity, 1e9]) {
      const T = buffer(new Float32Array(rows * dim).fill(1));
      const I = buffer([0, 3, bad, 2]);
      const Y = buffer(new Float32Array(4 * dim).fill(-7));
      expect(b.k.f32_embed_gather(4, dim, I.ptr, T.ptr, rows, Y.ptr), `id ${bad}`).toBe(2);
      expect(Array.from(Y.data.subarray(2 * dim)).every((v) => v === -7), 'rows from the bad id on untouched').toBe(true);
      freeAll(T, I, Y);
    }
  });
});

describe('f32_embed_scatter_add', () => {
  test('adds each output row into the row of its id, in sample order; other rows keep their values', () => {
    for (const dim of DIMS) {
      for (const n of COUNTS) {
        const rng = new Rng(dim * 17 + n + 1);
        const rows = 7;
        const ids = Float32Array.from({ length: n }, () => rng.int(rows - 1));
        const dy = values(n * dim, rng);
        const start = values(rows * dim, rng);
        const I = buffer(ids);
        const DY = buffer(dy);
        const DT = buffer(start);
        b.k.f32_embed_scatter_add(n, dim, I.ptr, DY.ptr, rows, DT.ptr);
        // Float32 sums in sample order: the kernel's order, so the bits match.
        const want = Float32Array.from(start);
        for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) want[ids[i]! * dim + j] = Math.fround(want[ids[i]! * dim + j]! + dy[i * dim + j]!);
        expectBits(`scatter dim ${dim} n ${n}`, DT.data, want);
        expectBits('row never named keeps its values', DT.data.subarray((rows - 1) * dim), start.subarray((rows - 1) * dim));
        freeAll(I, DY, DT);
      }
    }
  });

  test('the f32 sums stay within float64 rounding of the exact sum', () => {
    const rng = new Rng(5);
    const n = 200;
    const dim = 5;
    const ids = Float32Array.from({ length: n }, () => rng.int(3));
    const dy = values(n * dim, rng);
    const I = buffer(ids);
    const DY = buffer(dy);
    const DT = buffer(new Float32Array(3 * dim));
    b.k.f32_embed_scatter_add(n, dim, I.ptr, DY.ptr, 3, DT.ptr);
    const want = new Float64Array(3 * dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) want[ids[i]! * dim + j]! += dy[i * dim + j]!;
    expectClose('scatter vs f64', DT.data, want, 1e-5);
    freeAll(I, DY, DT);
  });

  test('skips ids out of range instead of writing outside the table', () => {
    const I = buffer([0, 5, -1, 1]);
    const DY = buffer([1, 2, 3, 4]);
    const DT = buffer([10, 20]);
    b.k.f32_embed_scatter_add(4, 1, I.ptr, DY.ptr, 2, DT.ptr);
    expectBits('table', DT.data, [11, 24]);
    freeAll(I, DY, DT);
  });
});

describe('masks', () => {
  test('f32_ids_nonzero: 1 where the id is not 0', () => {
    for (const n of COUNTS) {
      const rng = new Rng(n + 3);
      const ids = Float32Array.from({ length: n }, () => rng.int(3));
      const I = buffer(ids);
      const M = buffer(new Float32Array(n).fill(NaN));
      b.k.f32_ids_nonzero(n, I.ptr, M.ptr);
      expectBits(`mask n ${n}`, M.data, Array.from(ids, (v) => (v !== 0 ? 1 : 0)));
      freeAll(I, M);
    }
  });

  test('f32_mask_steps(_grad): a step is masked when every feature equals the value; out of place and in place', () => {
    for (const features of DIMS) {
      for (const value of [0, -1.5]) {
        for (const inPlace of [false, true]) {
          const n = 9;
          const rng = new Rng(features * 13 + (inPlace ? 1 : 0));
          const x = values(n * features, rng);
          // Steps 0, 4, 8 all mask value; step 2 only partly (kept).
          for (const s of [0, 4, 8]) x.fill(value, s * features, (s + 1) * features);
          x[2 * features] = value;
          const keep = Array.from({ length: n }, (_, s) => (x.subarray(s * features, (s + 1) * features).some((v) => v !== value) ? 1 : 0));
          const X = buffer(x);
          const Y = inPlace ? X : buffer(new Float32Array(n * features).fill(NaN));
          const M = buffer(new Float32Array(n).fill(NaN));
          b.k.f32_mask_steps(n, features, X.ptr, value, Y.ptr, M.ptr);
          expectBits('mask', M.data, keep);
          const want = Array.from(x, (v, i) => (keep[Math.floor(i / features)] ? v : 0));
          expectBits(`y features ${features}`, Y.data, want);
          const dy = values(n * features, rng);
          const Xg = buffer(x);
          const DY = buffer(dy);
          const DX = inPlace ? DY : buffer(new Float32Array(n * features).fill(NaN));
          b.k.f32_mask_steps_grad(n, features, Xg.ptr, value, DY.ptr, DX.ptr);
          expectBits('dx', DX.data, Array.from(dy, (v, i) => (keep[Math.floor(i / features)] ? v : 0)));
          freeAll(X, Y, M, Xg, DY, DX);
        }
      }
    }
  });

  test('f32_mask_steps without a mask pointer writes only y', () => {
    const X = buffer([0, 0, 1, 2]);
    const Y = buffer([9, 9, 9, 9]);
    b.k.f32_mask_steps(2, 2, X.ptr, 0, Y.ptr, 0);
    expectBits('y', Y.data, [0, 0, 1, 2]);
    freeAll(X, Y);
  });
});

describe('f32_masked_mean_steps(_grad)', () => {
  test('the mean over the real steps and its gradient, against float64 (steps 1, 2, 9; a fully masked sample gives NaN as Keras)', () => {
    for (const steps of [1, 2, 9]) {
      for (const features of DIMS) {
        const rows = 5;
        const rng = new Rng(steps * 100 + features);
        const x = values(rows * steps * features, rng);
        const mask = Float32Array.from({ length: rows * steps }, (_, i) => (i % steps === 0 || rng.next() < 0.6 ? 1 : 0));
        mask.fill(0, (rows - 1) * steps); // the last sample: every step masked
        const X = buffer(x);
        const M = buffer(mask);
        const Y = buffer(new Float32Array(rows * features).fill(-3));
        b.k.f32_masked_mean_steps(rows, steps, features, X.ptr, M.ptr, Y.ptr);
        const want = new Float64Array(rows * features);
        const count = (r: number): number => mask.subarray(r * steps, (r + 1) * steps).reduce((a, v) => a + v, 0);
        for (let r = 0; r < rows; r++) {
          for (let f = 0; f < features; f++) {
            let s = 0;
            for (let t = 0; t < steps; t++) s += mask[r * steps + t]! * x[(r * steps + t) * features + f]!;
            want[r * features + f] = s / count(r);
          }
        }
        expectClose(`mean steps ${steps} features ${features}`, Y.data, want);
        const dy = values(rows * features, rng);
        const DY = buffer(dy);
        const DX = buffer(new Float32Array(rows * steps * features).fill(-3));
        b.k.f32_masked_mean_steps_grad(rows, steps, features, DY.ptr, M.ptr, DX.ptr);
        const wantDx = new Float64Array(rows * steps * features);
        for (let r = 0; r < rows; r++) {
          for (let t = 0; t < steps; t++) for (let f = 0; f < features; f++) wantDx[(r * steps + t) * features + f] = (mask[r * steps + t]! * dy[r * features + f]!) / count(r);
        }
        expectClose(`mean grad steps ${steps} features ${features}`, DX.data, wantDx, 2 ** -21);
        freeAll(X, M, Y, DY, DX);
      }
    }
  });
});

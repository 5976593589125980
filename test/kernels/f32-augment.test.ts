// Kernel tests of the f32-augment family (assembly/f32-augment/): affine resampling (all four
// fill modes, bilinear and nearest), flips, crops, contrast, brightness and rescaling, forward
// and backward, against the float64 references of test/reference/augment.ts on odd shapes
// (height or width 1, channels 1, 3, 5, 6), fixed and random per-sample transforms (translations
// past several periods of the image, rotations, zooms in and out), with guard words after every
// buffer, outputs pre-filled with garbage, and every range kernel called in two ranges (what the
// thread pool does) giving the same bits as one call.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { Image, Mode, Transform } from '../reference/augment.js';
import {
  MODES, affineGradRef, affineRef, brightnessRef, contrastGradRef, contrastRef, cropRef, flipRef, rotationMatrix, translationMatrix, zoomMatrix,
} from '../reference/augment.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const GARBAGE = 1234.5;
const live: GuardedBuffer[] = [];

function buffer(data: ArrayLike<number>): GuardedBuffer {
  const buf = new GuardedBuffer(b, Math.max(1, data.length)).set(data);
  live.push(buf);
  return buf;
}

function garbage(n: number): GuardedBuffer {
  const buf = new GuardedBuffer(b, Math.max(1, n));
  buf.data.fill(GARBAGE);
  live.push(buf);
  return buf;
}

function release(what: string): void {
  for (const buf of live) buf.checkGuards(what);
  for (const buf of live) buf.free();
  live.length = 0;
}

/** max |got − want| / max(1, |want|), with the first index over tol. */
function expectClose(what: string, got: Float32Array, want: Float64Array, tol: number): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    if (!(err <= tol)) expect.fail(`${what}: element ${i}: got ${got[i]}, want ${want[i]} (relative error ${err})`);
  }
}

/** One call over `units`, then two ranges split near the middle: the same bits. */
function inTwoRanges(what: string, units: number, size: number, call: (n: number, first: number, out: GuardedBuffer) => void): Float32Array {
  const one = garbage(size);
  call(units, 0, one);
  const two = garbage(size);
  const cut = Math.max(1, units >> 1);
  call(cut, 0, two);
  if (units > cut) call(units - cut, cut, two);
  const a = new Int32Array(one.data.slice().buffer);
  const c = new Int32Array(two.data.slice().buffer);
  expect(a.findIndex((v, i) => v !== c[i]), `${what}: first element that differs between one call and two ranges`).toBe(-1);
  return one.data.slice();
}

const SHAPES: Image[] = [
  { batch: 2, h: 5, w: 7, c: 1 },
  { batch: 3, h: 6, w: 5, c: 3 },
  { batch: 2, h: 4, w: 9, c: 5 },
  { batch: 2, h: 1, w: 6, c: 2 },
  { batch: 2, h: 7, w: 1, c: 6 },
];

/** Fixed transforms that reach every branch of the fill modes, then random ones per sample. */
function transforms(g: Image, rng: Rng): Transform[][] {
  const { h, w, batch } = g;
  const each = (t: Transform): Transform[] => Array.from({ length: batch }, () => t);
  const random = (): Transform[] => Array.from({ length: batch }, () => {
    const z = zoomMatrix(rng.uniform(0.5, 1.8), rng.uniform(0.5, 1.8), h, w);
    const r = rotationMatrix(rng.uniform(-180, 180), h, w);
    const t = rng.uniform(-1, 1);
    return rng.next() < 0.5 ? z : [r[0], r[1], r[2] + t * w, r[3], r[4], r[5] - t * h];
  });
  return [
    each([1, 0, 0, 0, 1, 0]),
    each(translationMatrix(1.25, -2.5)),
    each(translationMatrix(-2.5 * w - 0.3, 3.25 * h + 0.6)),
    each(rotationMatrix(30, h, w)),
    each(rotationMatrix(90, h, w)),
    each(zoomMatrix(0.6, 0.6, h, w)),
    each(zoomMatrix(1.7, 1.3, h, w)),
    random(),
  ];
}

describe('f32_affine_nhwc and its adjoint (TensorFlow ImageProjectiveTransformV3)', () => {
  for (const g of SHAPES) {
    const { batch, h, w, c } = g;
    test(`${batch}×${h}×${w}×${c}: every fill mode, bilinear and nearest, fixed and random transforms`, () => {
      const rng = new Rng(h * 31 + w * 7 + c);
      const n = batch * h * w * c;
      const x = Array.from({ length: n }, () => Math.fround(rng.uniform(-2, 2)));
      const dy = Array.from({ length: n }, () => Math.fround(rng.uniform(-1, 1)));
      for (const ts of transforms(g, rng)) {
        for (const mode of MODES) {
          for (const bilinear of [true, false]) {
            const what = `${mode} ${bilinear ? 'bilinear' : 'nearest'} t=[${ts[0]!.map((v) => v.toFixed(2)).join(', ')}]`;
            const X = buffer(x);
            const T = buffer(ts.flat());
            const fill = mode === 'constant' ? 0.5 : 0;
            const y = inTwoRanges(`${what} forward`, batch * h, n, (k, first, out) =>
              b.k.f32_affine_nhwc(k, X.ptr, out.ptr, T.ptr, first, h, w, c, MODES.indexOf(mode as Mode), bilinear ? 1 : 0, fill));
            expectClose(`${what} forward`, y, affineRef(x, g, ts, mode, bilinear, fill), 1e-6);
            const DY = buffer(dy);
            const dx = inTwoRanges(`${what} backward`, batch, n, (k, first, out) =>
              b.k.f32_affine_nhwc_grad(k, DY.ptr, out.ptr, T.ptr, first, h, w, c, MODES.indexOf(mode as Mode), bilinear ? 1 : 0));
            expectClose(`${what} backward`, dx, affineGradRef(dy, g, ts, mode, bilinear), 1e-5);
            release(what);
          }
        }
      }
    });
  }

  test('the identity transform copies bit for bit; a whole-image shift with wrap is a roll', () => {
    const g = { batch: 1, h: 4, w: 5, c: 2 };
    const x = Array.from({ length: 40 }, (_, i) => i + 0.25);
    const X = buffer(x);
    const Y = garbage(40);
    b.k.f32_affine_nhwc(4, X.ptr, Y.ptr, buffer([1, 0, 0, 0, 1, 0]).ptr, 0, 4, 5, 2, 0, 1, 0);
    expect(Array.from(Y.data)).toEqual(x);
    // Shift right by 2 with wrap: output column j reads input column (j − 2) mod 5.
    b.k.f32_affine_nhwc(4, X.ptr, Y.ptr, buffer(translationMatrix(2, 0)).ptr, 0, 4, 5, 2, 1, 0, 0);
    const want: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 2; k++) want.push(x[(i * 5 + ((j + 3) % 5)) * 2 + k]!);
    expect(Array.from(Y.data)).toEqual(want);
    release(`identity and roll ${JSON.stringify(g)}`);
  });
});

describe('f32_flip_nhwc and f32_crop_nhwc', () => {
  test('flips per sample (none, horizontal, vertical, both) on odd shapes; the backward is the same flip', () => {
    for (const g of SHAPES) {
      const { h, w, c } = g;
      const batch = 4;
      const n = batch * h * w * c;
      const rng = new Rng(n);
      const x = Array.from({ length: n }, () => rng.awkward(3));
      const flags = [0, 1, 2, 3];
      const X = buffer(x);
      const F = buffer(flags);
      const y = inTwoRanges('flip', batch, n, (k, first, out) => b.k.f32_flip_nhwc(k, X.ptr, out.ptr, F.ptr, first, h, w, c));
      expect(Array.from(y)).toEqual(Array.from(flipRef(x, { batch, h, w, c }, flags)).map(Math.fround));
      release(`flip ${h}×${w}×${c}`);
    }
  });

  test('crops a window per sample, and puts dy back into a zeroed dx', () => {
    const g = { batch: 3, h: 7, w: 6, c: 3 };
    const [ch, cw] = [4, 3];
    const offsets: [number, number][] = [[0, 0], [3, 3], [1, 2]];
    const n = 3 * 7 * 6 * 3;
    const rng = new Rng(5);
    const x = Array.from({ length: n }, () => rng.awkward(2));
    const X = buffer(x);
    const O = buffer(offsets.flat());
    const m = 3 * ch * cw * 3;
    const y = inTwoRanges('crop', 3, m, (k, first, out) => b.k.f32_crop_nhwc(k, X.ptr, out.ptr, O.ptr, first, 7, 6, 3, ch, cw));
    expect(Array.from(y)).toEqual(Array.from(cropRef(x, g, offsets, ch, cw)));
    const dy = Array.from({ length: m }, () => rng.awkward(2));
    const DY = buffer(dy);
    const dx = inTwoRanges('crop grad', 3, n, (k, first, out) => b.k.f32_crop_nhwc_grad(k, DY.ptr, out.ptr, O.ptr, first, 7, 6, 3, ch, cw));
    // The adjoint: <crop(x), dy> = <x, crop'(dy)>, and dx is zero outside the windows.
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < m; i++) lhs += y[i]! * dy[i]!;
    for (let i = 0; i < n; i++) rhs += x[i]! * dx[i]!;
    expect(rhs).toBeCloseTo(lhs, 4);
    expect(Array.from(dx).filter((v) => v !== 0).length).toBeLessThanOrEqual(m);
    release('crop');
  });
});

describe('colour kernels: contrast, brightness, rescale', () => {
  test('contrast per image and channel, clipped, and its gradient through the mean and the clip', () => {
    for (const g of [{ batch: 3, h: 5, w: 3, c: 1 }, { batch: 2, h: 3, w: 7, c: 3 }, { batch: 2, h: 1, w: 5, c: 5 }]) {
      const { batch, h, w, c } = g;
      const n = batch * h * w * c;
      const rng = new Rng(n + 1);
      const x = Array.from({ length: n }, () => Math.fround(rng.uniform(0, 10)));
      const factors = Array.from({ length: batch }, (_, i) => [0.3, 1.7, 1][i % 3]!);
      const [lo, hi] = [1, 9];
      const X = buffer(x);
      const F = buffer(factors);
      const M = garbage(batch * c);
      const y = inTwoRanges('contrast', batch, n, (k, first, out) => b.k.f32_contrast_nhwc(k, X.ptr, out.ptr, F.ptr, M.ptr, first, h * w, c, lo, hi));
      expectClose(`contrast ${JSON.stringify(g)}`, y, contrastRef(x, g, factors, lo, hi), 2e-6);
      const dy = Array.from({ length: n }, () => Math.fround(rng.uniform(-1, 1)));
      const DY = buffer(dy);
      const dx = inTwoRanges('contrast grad', batch, n, (k, first, out) =>
        b.k.f32_contrast_nhwc_grad(k, X.ptr, DY.ptr, out.ptr, F.ptr, M.ptr, first, h * w, c, lo, hi));
      expectClose(`contrast grad ${JSON.stringify(g)}`, dx, contrastGradRef(x, dy, g, factors, lo, hi), 2e-6);
      release(`contrast ${JSON.stringify(g)}`);
    }
  });

  test('brightness per image, clipped, gradient zero where clipped; rescale x·scale + offset', () => {
    const batch = 3;
    const size = 17;
    const rng = new Rng(9);
    const x = Array.from({ length: batch * size }, () => Math.fround(rng.uniform(0, 1)));
    const deltas = [-0.4, 0.25, 0];
    const X = buffer(x);
    const D = buffer(deltas);
    const y = inTwoRanges('brightness', batch, batch * size, (k, first, out) => b.k.f32_brightness_nhwc(k, X.ptr, out.ptr, D.ptr, first, size, 0, 1));
    expectClose('brightness', y, brightnessRef(x, size, deltas, 0, 1), 1e-7);
    const dy = Array.from({ length: batch * size }, () => rng.uniform(-1, 1));
    const DY = buffer(dy);
    const dx = inTwoRanges('brightness grad', batch, batch * size, (k, first, out) => b.k.f32_brightness_nhwc_grad(k, X.ptr, DY.ptr, out.ptr, D.ptr, first, size, 0, 1));
    const want = Float64Array.from(dy, (v, i) => {
      const s = x[i]! + deltas[Math.floor(i / size)]!;
      return s >= 0 && s <= 1 ? Math.fround(v) : 0;
    });
    expectClose('brightness grad', dx, want, 1e-6);
    expect(Array.from(dx).some((v) => v === 0) && Array.from(dx).some((v) => v !== 0)).toBe(true);
    const R = garbage(batch * size);
    b.k.f32_rescale(batch * size, X.ptr, R.ptr, 1 / 255, -0.5);
    expectClose('rescale', R.data.slice(), Float64Array.from(x, (v) => v / 255 - 0.5), 1e-6);
    release('brightness');
  });
});

// Kernel tests of the f32-pool family (assembly/f32-pool/): max and average pooling, global
// pooling, zero padding and upsampling, forward and backward, against the float64 references of
// test/reference/pool.ts on odd shapes (pool 1, 2, 3; strides 1, 2, 3; valid and same; channels 1,
// 3, 5, 17; batch 1 and 7; inputs smaller than the pool where 'same' allows it; 1-D as height 1),
// with guard words after every buffer, outputs pre-filled with garbage, ties and NaN/±0/inf in the
// inputs, and every range kernel called in two ranges (what the thread pool does) giving the same
// bits as one call. TF.js (cpu) checks the window and resize semantics independently.
import type { Tensor4D } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { tfReady } from '../helpers/tfjs.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { PoolArgs, PoolGeometry, Ref } from '../reference/pool.js';
import {
  avgPoolGradRef, avgPoolRef, cropRef, globalAvgGradRef, globalAvgRef, globalMaxGradRef, globalMaxRef, maxPoolGradRef, maxPoolRef,
  poolGeometry, upBilinearGradRef, upBilinearRef, upNearestGradRef, upNearestRef, zeroPadRef,
} from '../reference/pool.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const TOL = 1e-6;
const GARBAGE = 1234.5;

// ---------------------------------------------------------------------------------------------
// Buffers and comparisons

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

/** Check the guards of every buffer made since the last call, then free them. */
function release(what: string): void {
  for (const buf of live) buf.checkGuards(what);
  for (const buf of live) buf.free();
  live.length = 0;
}

/** The f32-conv geometry block (assembly/f32-conv/geometry.ts) of a pool: dilation 1, cout = cin. */
function geometryBlock(g: PoolGeometry): GuardedBuffer {
  const words = [g.inH, g.inW, g.cin, g.kh, g.kw, g.strideH, g.strideW, 1, 1, g.padTop, g.padLeft, g.outH, g.outW, g.cin, g.batch, 0];
  const buf = garbage(16);
  b.arena.refresh();
  b.arena.i32.set(words, buf.ptr >> 2);
  return buf;
}

/** Bit-for-bit equality (any NaN matches any NaN). */
function sameValues(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !Object.is(g, Math.fround(w))) throw new Error(`${what}[${i}]: got ${g}, want ${w}`);
  }
}

function bits(a: ArrayLike<number>): Uint32Array {
  return new Uint32Array(Float32Array.from(a).buffer);
}

/** got within TOL·Σ|terms| of the float64 reference, element by element. */
function close(what: string, got: Float32Array, want: Ref): void {
  expect(got.length, `${what}: length`).toBe(want.value.length);
  for (let i = 0; i < got.length; i++) {
    const w = want.value[i]!;
    if (!(Math.abs(got[i]! - w) <= TOL * want.mag[i]! + 1e-37)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${w} (Σ|terms| ${want.mag[i]})`);
  }
}

/**
 * Runs a range kernel as one call over `units` and again as two ranges split at `cut` (into a
 * second garbage-filled output): both must give the same bits, as the pool's ranges must.
 */
function inTwoRanges(what: string, units: number, out: GuardedBuffer, call: (n: number, first: number, out: GuardedBuffer) => void): void {
  call(units, 0, out);
  const again = garbage(out.length);
  const cut = Math.floor(units / 3);
  call(cut, 0, again);
  // The first range wrote its units' share of the output and nothing past it.
  const per = out.length / units;
  if (Number.isInteger(per)) {
    const data = again.data;
    expect(data.subarray(0, cut * per).indexOf(GARBAGE), `${what}: an element the first range left unwritten`).toBe(-1);
    expect(data.subarray(cut * per).every((v) => v === GARBAGE), `${what}: the first range wrote past its units`).toBe(true);
  }
  call(units - cut, cut, again);
  const two = bits(again.data);
  const at = bits(out.data).findIndex((v, i) => v !== two[i]);
  expect(at, `${what}: first element that differs between one call and two ranges`).toBe(-1);
}

// ---------------------------------------------------------------------------------------------
// Inputs

type Values = 'awkward' | 'ties' | 'constant';

/** Awkward values (±0, subnormals, NaN, ±inf), values from {−1, 0, 1} (ties), or one constant. */
function values(n: number, rng: Rng, kind: Values): Float32Array {
  return Float32Array.from({ length: n }, () => {
    if (kind === 'constant') return 0.75;
    if (kind === 'ties') return rng.int(3) - 1;
    const u = rng.next();
    if (u < 0.02) return NaN;
    if (u < 0.04) return rng.next() < 0.5 ? Infinity : -Infinity;
    return rng.awkward(3);
  });
}

/** Finite values, for gradients summed in a reference. */
function finite(n: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: n }, () => rng.awkward(2));
}

/** Pools 1, 2, 3 (and 2×3), strides 1, 2, 3 (and 1×2), both paddings, channels 1, 3, 5, 17, batch 1 and 7, odd inputs. */
function windowCases(): PoolArgs[] {
  const out: PoolArgs[] = [];
  const sizes = [[5, 7], [4, 4], [1, 2], [2, 1]] as const;
  const windows = [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [2, 2, 1, 1], [3, 3, 2, 2], [3, 3, 1, 1], [2, 2, 3, 3], [2, 3, 1, 2], [1, 3, 1, 1]] as const;
  let i = 0;
  for (const [inH, inW] of sizes) {
    for (const [kh, kw, strideH, strideW] of windows) {
      for (const padding of ['valid', 'same'] as const) {
        if (padding === 'valid' && (inH < kh || inW < kw)) continue; // Keras refuses these
        const cin = [1, 3, 5, 17][i % 4]!;
        const batch = [1, 7][(i >> 2) % 2]!;
        out.push({ batch, inH, inW, cin, kh, kw, strideH, strideW, padding });
        i++;
      }
    }
  }
  // Every channel count on one shape, 1-D pools (height 1), and a 'same' input smaller than the pool.
  for (const cin of [1, 3, 5, 17]) out.push({ batch: 7, inH: 6, inW: 5, cin, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'same' });
  for (const padding of ['valid', 'same'] as const) {
    out.push({ batch: 7, inH: 1, inW: 11, cin: 5, kh: 1, kw: 3, strideH: 1, strideW: 2, padding });
    out.push({ batch: 1, inH: 1, inW: 9, cin: 17, kh: 1, kw: 2, strideH: 1, strideW: 2, padding });
  }
  out.push({ batch: 7, inH: 2, inW: 2, cin: 3, kh: 3, kw: 3, strideH: 3, strideW: 3, padding: 'same' });
  out.push({ batch: 1, inH: 1, inW: 1, cin: 17, kh: 3, kw: 2, strideH: 1, strideW: 1, padding: 'same' });
  return out;
}

function label(a: PoolArgs): string {
  return `${a.inH}×${a.inW} pool ${a.kh}×${a.kw} strides ${a.strideH}×${a.strideW} ${a.padding} c ${a.cin} batch ${a.batch}`;
}

// ---------------------------------------------------------------------------------------------
describe('f32_maxpool2d_nhwc and its grad', () => {
  function check(a: PoolArgs, kind: Values, seed: number): void {
    const what = `max ${label(a)} ${kind}`;
    const g = poolGeometry(a);
    const rng = new Rng(seed);
    const xN = g.batch * g.inH * g.inW * g.cin;
    const yN = g.batch * g.outH * g.outW * g.cin;
    const x0 = values(xN, rng, kind);
    const dy0 = finite(yN, rng);
    const G = geometryBlock(g);
    const X = buffer(x0);
    const Y = garbage(yN);
    inTwoRanges(`${what} forward`, g.batch * g.outH, Y, (n, first, out) => b.k.f32_maxpool2d_nhwc(n, X.ptr, out.ptr, G.ptr, first));
    sameValues(`${what} y`, Y.data, maxPoolRef(g, x0).y);
    const DY = buffer(dy0);
    const DX = garbage(xN);
    inTwoRanges(`${what} backward`, g.batch, DX, (n, first, out) => b.k.f32_maxpool2d_nhwc_grad(n, X.ptr, Y.ptr, DY.ptr, out.ptr, G.ptr, first));
    close(`${what} dx`, DX.data, maxPoolGradRef(g, x0, dy0));
    sameValues(`${what} x unchanged`, X.data, x0);
    release(what);
  }

  test('odd shapes, awkward values (NaN, ±inf, ±0, subnormals): y exact, dx to the first maximum', () => {
    windowCases().forEach((a, i) => check(a, 'awkward', 100 + i));
  });

  test('ties from {−1, 0, 1} and constant inputs go to the first maximum of each window', () => {
    windowCases().forEach((a, i) => {
      check(a, 'ties', 500 + i);
      check(a, 'constant', 900 + i);
    });
  });

  test('a constant input: each window\'s dy goes to its first real cell, overlapping windows sum there', () => {
    // 3×3 'same' windows, stride 1, over a 3×3 input: the first real cell of window (i, j) is
    // (max(i − 1, 0), max(j − 1, 0)); cell (0, 0) is first in four windows.
    const g = poolGeometry({ batch: 1, inH: 3, inW: 3, cin: 1, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: 'same' });
    const G = geometryBlock(g);
    const X = buffer(new Float32Array(9).fill(2));
    const Y = garbage(9);
    b.k.f32_maxpool2d_nhwc(3, X.ptr, Y.ptr, G.ptr, 0);
    expect(Array.from(Y.data)).toEqual(new Array(9).fill(2));
    const DY = buffer([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    const DX = garbage(9);
    b.k.f32_maxpool2d_nhwc_grad(1, X.ptr, Y.ptr, DY.ptr, DX.ptr, G.ptr, 0);
    expect(Array.from(DX.data)).toEqual([1 + 2 + 8 + 16, 4 + 32, 0, 64 + 128, 256, 0, 0, 0, 0]);
    release('constant 3×3');
  });

  test('NaN: as a window\'s first cell it is the maximum and takes the gradient (TensorFlow\'s loop); later it is skipped', () => {
    const g = poolGeometry({ batch: 1, inH: 1, inW: 6, cin: 1, kh: 1, kw: 3, strideH: 1, strideW: 3, padding: 'valid' });
    const G = geometryBlock(g);
    const X = buffer([NaN, 5, NaN, 1, NaN, 3]);
    const Y = garbage(2);
    b.k.f32_maxpool2d_nhwc(1, X.ptr, Y.ptr, G.ptr, 0);
    expect(Array.from(Y.data)).toEqual([NaN, 3]);
    const DY = buffer([10, 20]);
    const DX = garbage(6);
    b.k.f32_maxpool2d_nhwc_grad(1, X.ptr, Y.ptr, DY.ptr, DX.ptr, G.ptr, 0);
    expect(Array.from(DX.data)).toEqual([10, 0, 0, 0, 0, 20]);
    release('NaN');
  });

  test('windows that tile the input, sit apart or overlap (the three write paths) agree with the reference', () => {
    // 2×2 stride 2 on 4×6 and 'same' on 5×5 tile; 2×2 stride 3 and 2×2 stride 2 'valid' on 5×5 leave
    // cells uncovered; 3×3 stride 2 overlaps. Channels 16 + 4 + 1 cover every channel block.
    const cases: PoolArgs[] = [
      { batch: 3, inH: 4, inW: 6, cin: 21, kh: 2, kw: 2, strideH: 2, strideW: 2, padding: 'valid' },
      { batch: 3, inH: 5, inW: 5, cin: 21, kh: 2, kw: 2, strideH: 2, strideW: 2, padding: 'same' },
      { batch: 3, inH: 5, inW: 5, cin: 21, kh: 2, kw: 2, strideH: 2, strideW: 2, padding: 'valid' },
      { batch: 3, inH: 7, inW: 8, cin: 21, kh: 2, kw: 2, strideH: 3, strideW: 3, padding: 'valid' },
      { batch: 3, inH: 7, inW: 8, cin: 21, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'same' },
    ];
    cases.forEach((a, i) => {
      check(a, 'ties', 1300 + i);
      check(a, 'awkward', 1400 + i);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_avgpool2d_nhwc and its grad', () => {
  test('odd shapes: the mean of each window\'s real cells (Keras \'same\'), dx = Σ dy/count', () => {
    windowCases().forEach((a, i) => {
      const what = `avg ${label(a)}`;
      const g = poolGeometry(a);
      const rng = new Rng(2000 + i);
      const xN = g.batch * g.inH * g.inW * g.cin;
      const yN = g.batch * g.outH * g.outW * g.cin;
      const x0 = finite(xN, rng);
      const dy0 = finite(yN, rng);
      const G = geometryBlock(g);
      const X = buffer(x0);
      const Y = garbage(yN);
      inTwoRanges(`${what} forward`, g.batch * g.outH, Y, (n, first, out) => b.k.f32_avgpool2d_nhwc(n, X.ptr, out.ptr, G.ptr, first));
      close(`${what} y`, Y.data, avgPoolRef(g, x0));
      const DY = buffer(dy0);
      const DX = garbage(xN);
      inTwoRanges(`${what} backward`, g.batch * g.inH, DX, (n, first, out) => b.k.f32_avgpool2d_nhwc_grad(n, DY.ptr, out.ptr, G.ptr, first));
      close(`${what} dx`, DX.data, avgPoolGradRef(g, dy0));
      release(what);
    });
  });

  test('\'same\' divides by the real cells: each 3×3 window over a 3×3 input holds 4 of them', () => {
    const g = poolGeometry({ batch: 1, inH: 3, inW: 3, cin: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'same' });
    expect([g.outH, g.outW, g.padTop, g.padLeft]).toEqual([2, 2, 1, 1]);
    const G = geometryBlock(g);
    const X = buffer([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const Y = garbage(4);
    b.k.f32_avgpool2d_nhwc(2, X.ptr, Y.ptr, G.ptr, 0);
    expect(Array.from(Y.data)).toEqual([3, 4, 6, 7]); // (1+2+4+5)/4, (2+3+5+6)/4, (4+5+7+8)/4, (5+6+8+9)/4
    release('avg same border');
  });
});

// ---------------------------------------------------------------------------------------------
describe('global pooling', () => {
  const shapes = [[1, 1, 1], [7, 1, 3], [1, 2, 5], [7, 5, 17], [1, 49, 4], [7, 200, 3], [3, 13, 16]] as const;

  test('global average: f64 sum rounded once; gradient dy/hw exact', () => {
    shapes.forEach(([batch, hw, c], i) => {
      const what = `global avg batch ${batch} hw ${hw} c ${c}`;
      const rng = new Rng(3000 + i);
      const x0 = finite(batch * hw * c, rng);
      const dy0 = finite(batch * c, rng);
      const X = buffer(x0);
      const Y = garbage(batch * c);
      inTwoRanges(`${what} forward`, batch, Y, (n, first, out) => b.k.f32_global_avgpool_nhwc(n, X.ptr, out.ptr, first, hw, c));
      const want = globalAvgRef(batch, hw, c, x0);
      // One rounding of an f64 sum: within half an ulp plus the f64 sum's own error.
      for (let j = 0; j < batch * c; j++) expect(Math.abs(Y.data[j]! - want.value[j]!)).toBeLessThanOrEqual(2 ** -24 * Math.abs(want.value[j]!) + 1e-12 * want.mag[j]! + 1e-45);
      const DY = buffer(dy0);
      const DX = garbage(batch * hw * c);
      inTwoRanges(`${what} backward`, batch, DX, (n, first, out) => b.k.f32_global_avgpool_nhwc_grad(n, DY.ptr, out.ptr, first, hw, c));
      sameValues(`${what} dx`, DX.data, globalAvgGradRef(batch, hw, c, dy0));
      release(what);
    });
  });

  test('global max: NaN propagates; the gradient is split evenly among tied maxima (Keras\'s reduce_max gradient)', () => {
    for (const kind of ['awkward', 'ties', 'constant'] as const) {
      shapes.forEach(([batch, hw, c], i) => {
        const what = `global max batch ${batch} hw ${hw} c ${c} ${kind}`;
        const rng = new Rng(4000 + i);
        const x0 = values(batch * hw * c, rng, kind);
        const dy0 = finite(batch * c, rng);
        const X = buffer(x0);
        const Y = garbage(batch * c);
        inTwoRanges(`${what} forward`, batch, Y, (n, first, out) => b.k.f32_global_maxpool_nhwc(n, X.ptr, out.ptr, first, hw, c));
        sameValues(`${what} y`, Y.data, globalMaxRef(batch, hw, c, x0));
        const DY = buffer(dy0);
        const DX = garbage(batch * hw * c);
        inTwoRanges(`${what} backward`, batch, DX, (n, first, out) => b.k.f32_global_maxpool_nhwc_grad(n, X.ptr, Y.ptr, DY.ptr, out.ptr, first, hw, c));
        sameValues(`${what} dx`, DX.data, globalMaxGradRef(batch, hw, c, x0, dy0));
        release(what);
      });
    }
  });

  test('three tied maxima get a third of dy each', () => {
    const X = buffer([5, 1, 5, 5, -2]);
    const Y = garbage(1);
    const DY = buffer([3]);
    const DX = garbage(5);
    b.k.f32_global_maxpool_nhwc(1, X.ptr, Y.ptr, 0, 5, 1);
    b.k.f32_global_maxpool_nhwc_grad(1, X.ptr, Y.ptr, DY.ptr, DX.ptr, 0, 5, 1);
    const third = Math.fround(Math.fround(1 / 3) * 3);
    expect(Array.from(DX.data)).toEqual([third, 0, third, third, 0]);
    release('three ties');
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_zeropad2d_nhwc and its grad (the crop)', () => {
  test('odd shapes and pads: every element written, bits copied (NaN payloads, −0)', () => {
    const shapes = [[1, 1, 1, 1], [7, 3, 5, 3], [1, 4, 2, 17], [7, 1, 6, 5], [2, 0, 3, 2]] as const;
    const pads = [[0, 0, 0, 0], [1, 1, 1, 1], [2, 0, 0, 3], [0, 1, 2, 0], [3, 2, 1, 2]] as const;
    let i = 0;
    for (const [batch, h, w, c] of shapes) {
      for (const p of pads) {
        const what = `pad batch ${batch} ${h}×${w}×${c} pads ${p.join(',')}`;
        const rng = new Rng(5000 + i++);
        const outN = batch * (h + p[0] + p[1]) * (w + p[2] + p[3]) * c;
        const x0 = values(batch * h * w * c, rng, 'awkward');
        const X = buffer(x0);
        const Y = garbage(outN);
        inTwoRanges(`${what} forward`, batch, Y, (n, first, out) => b.k.f32_zeropad2d_nhwc(n, X.ptr, out.ptr, first, h, w, c, p[0], p[1], p[2], p[3]));
        // (An empty output still has one element, left as it was.)
        expect(bits(Y.data.subarray(0, Math.max(outN, 1))), what).toEqual(bits(outN === 0 ? [GARBAGE] : zeroPadRef(batch, h, w, c, p, x0)));
        const dy0 = values(outN, rng, 'awkward');
        const DY = buffer(dy0);
        const DX = garbage(batch * h * w * c);
        inTwoRanges(`${what} backward`, batch, DX, (n, first, out) => b.k.f32_zeropad2d_nhwc_grad(n, DY.ptr, out.ptr, first, h, w, c, p[0], p[1], p[2], p[3]));
        expect(bits(DX.data.subarray(0, batch * h * w * c)), `${what} crop`).toEqual(bits(cropRef(batch, h, w, c, p, dy0)));
        release(what);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('upsampling', () => {
  const shapes = [[1, 1, 1, 1], [7, 2, 3, 3], [1, 3, 2, 5], [7, 5, 4, 17], [1, 1, 6, 4]] as const;
  const factors = [[1, 1], [2, 2], [3, 3], [2, 3], [1, 2], [3, 1]] as const;

  test('nearest: each pixel repeated (bits), its gradient the sum of each block', () => {
    let i = 0;
    for (const [batch, h, w, c] of shapes) {
      for (const [sh, sw] of factors) {
        const what = `nearest batch ${batch} ${h}×${w}×${c} size ${sh}×${sw}`;
        const rng = new Rng(6000 + i++);
        const outN = batch * h * sh * w * sw * c;
        const x0 = values(batch * h * w * c, rng, 'awkward');
        const X = buffer(x0);
        const Y = garbage(outN);
        inTwoRanges(`${what} forward`, batch * h, Y, (n, first, out) => b.k.f32_upsample2d_nearest_nhwc(n, X.ptr, out.ptr, first, h, w, c, sh, sw));
        expect(bits(Y.data), what).toEqual(bits(upNearestRef(batch, h, w, c, sh, sw, x0)));
        const dy0 = finite(outN, rng);
        const DY = buffer(dy0);
        const DX = garbage(batch * h * w * c);
        inTwoRanges(`${what} backward`, batch * h, DX, (n, first, out) => b.k.f32_upsample2d_nearest_nhwc_grad(n, DY.ptr, out.ptr, first, h, w, c, sh, sw));
        close(`${what} dx`, DX.data, upNearestGradRef(batch, h, w, c, sh, sw, dy0));
        release(what);
      }
    }
  });

  for (const halfPixel of [true, false]) {
    test(`bilinear, ${halfPixel ? 'half-pixel centres (Keras)' : 'no half-pixel centres (TF.js)'}: TensorFlow's coordinates and weights`, () => {
      let i = 0;
      for (const [batch, h, w, c] of shapes) {
        for (const [sh, sw] of factors) {
          const what = `bilinear ${halfPixel} batch ${batch} ${h}×${w}×${c} size ${sh}×${sw}`;
          const rng = new Rng(7000 + i++);
          const oh = h * sh;
          const outN = batch * oh * w * sw * c;
          const x0 = finite(batch * h * w * c, rng);
          const X = buffer(x0);
          const Y = garbage(outN);
          inTwoRanges(`${what} forward`, batch * oh, Y, (n, first, out) => b.k.f32_upsample2d_bilinear_nhwc(n, X.ptr, out.ptr, first, h, w, c, sh, sw, +halfPixel));
          close(`${what} y`, Y.data, upBilinearRef(batch, h, w, c, sh, sw, halfPixel, x0));
          const dy0 = finite(outN, rng);
          const DY = buffer(dy0);
          const DX = garbage(batch * h * w * c);
          inTwoRanges(`${what} backward`, batch, DX, (n, first, out) => b.k.f32_upsample2d_bilinear_nhwc_grad(n, DY.ptr, out.ptr, first, h, w, c, sh, sw, +halfPixel));
          close(`${what} dx`, DX.data, upBilinearGradRef(batch, h, w, c, sh, sw, halfPixel, dy0));
          release(what);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
describe('the semantics against TF.js (cpu)', () => {
  /** got within 1e-5 of want relative to want's largest magnitude. */
  function near(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
    let scale = 1e-30;
    for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i]! - want[i]!) <= 1e-5 * scale)) throw new Error(`${what}[${i}]: got ${got[i]}, TF.js ${want[i]}`);
    }
  }

  test('maxPool and avgPool forward, maxPool gradient (distinct values): TensorFlow\'s \'same\' windows', async () => {
    const tf = await tfReady();
    const cases: PoolArgs[] = [
      { batch: 2, inH: 5, inW: 7, cin: 3, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'same' },
      { batch: 1, inH: 6, inW: 4, cin: 5, kh: 2, kw: 3, strideH: 1, strideW: 3, padding: 'same' },
      { batch: 2, inH: 7, inW: 7, cin: 2, kh: 3, kw: 2, strideH: 3, strideW: 2, padding: 'valid' },
      { batch: 1, inH: 2, inW: 1, cin: 4, kh: 3, kw: 3, strideH: 1, strideW: 1, padding: 'same' },
    ];
    cases.forEach((a, i) => {
      const g = poolGeometry(a);
      const rng = new Rng(8000 + i);
      const xN = g.batch * g.inH * g.inW * g.cin;
      const yN = g.batch * g.outH * g.outW * g.cin;
      const x0 = Float32Array.from({ length: xN }, (_, j) => Math.fround(rng.uniform(-1, 1) + j * 1e-3)); // distinct
      const dy0 = finite(yN, rng);
      const G = geometryBlock(g);
      const X = buffer(x0);
      const Y = garbage(yN);
      const AV = garbage(yN);
      const DY = buffer(dy0);
      const DX = garbage(xN);
      b.k.f32_maxpool2d_nhwc(g.batch * g.outH, X.ptr, Y.ptr, G.ptr, 0);
      b.k.f32_avgpool2d_nhwc(g.batch * g.outH, X.ptr, AV.ptr, G.ptr, 0);
      b.k.f32_maxpool2d_nhwc_grad(g.batch, X.ptr, Y.ptr, DY.ptr, DX.ptr, G.ptr, 0);
      const tx = tf.tensor4d(x0, [g.batch, g.inH, g.inW, g.cin]);
      const pool: [number, number] = [a.kh, a.kw];
      const strides: [number, number] = [a.strideH, a.strideW];
      near(`${label(a)} maxPool`, Y.data, tf.maxPool(tx, pool, strides, a.padding).dataSync());
      near(`${label(a)} avgPool`, AV.data, tf.avgPool(tx, pool, strides, a.padding).dataSync());
      const grad = tf.grad((t) => tf.sum(tf.mul(tf.maxPool(t as Tensor4D, pool, strides, a.padding), tf.tensor4d(dy0, [g.batch, g.outH, g.outW, g.cin]))));
      near(`${label(a)} maxPool gradient`, DX.data, grad(tx).dataSync());
      release(label(a));
    });
  });

  test('resizeBilinear: halfPixel 1 is halfPixelCenters (Keras), 0 is TF.js\'s default, forward and (0) gradient', async () => {
    const tf = await tfReady();
    for (const [batch, h, w, c, sh, sw] of [[2, 3, 3, 3, 2, 2], [1, 4, 4, 5, 3, 3], [2, 2, 5, 2, 2, 3]] as const) {
      const what = `${h}×${w}×${c} size ${sh}×${sw}`;
      const rng = new Rng(h * 100 + sw);
      const oh = h * sh;
      const ow = w * sw;
      const x0 = finite(batch * h * w * c, rng);
      const dy0 = finite(batch * oh * ow * c, rng);
      const X = buffer(x0);
      const tx = tf.tensor4d(x0, [batch, h, w, c]);
      for (const halfPixel of [0, 1]) {
        const Y = garbage(batch * oh * ow * c);
        b.k.f32_upsample2d_bilinear_nhwc(batch * oh, X.ptr, Y.ptr, 0, h, w, c, sh, sw, halfPixel);
        near(`${what} half ${halfPixel}`, Y.data, tf.image.resizeBilinear(tx, [oh, ow], false, halfPixel === 1).dataSync());
      }
      // TF.js's ResizeBilinearGrad knows no half-pixel centres (and swaps height and width in its
      // result's shape), so only square inputs without them are compared.
      if (h === w) {
        const DY = buffer(dy0);
        const DX = garbage(batch * h * w * c);
        b.k.f32_upsample2d_bilinear_nhwc_grad(batch, DY.ptr, DX.ptr, 0, h, w, c, sh, sw, 0);
        const grad = tf.grad((t) => tf.sum(tf.mul(tf.image.resizeBilinear(t as Tensor4D, [oh, ow]), tf.tensor4d(dy0, [batch, oh, ow, c]))));
        near(`${what} gradient`, DX.data, grad(tx).dataSync());
      }
      release(what);
    }
  });
});

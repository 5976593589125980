// Direct 2-D convolution on NHWC tensors for few input taps (kh·kw·cin small: the first
// convolution of an image model, cin = 1 or 3). No patch matrix: the patch GEMM would run a
// k-loop of 9 or 27 between packing and stores; here the inputs under the kernel are splatted
// straight from x and multiplied into vectors across output channels, the forward as tiles of
// 6 output pixels × 8 output channels (12 accumulators, as the GEMM's 6×8 microkernel), the filter
// gradient as tiles of 4 kernel taps × 8 output channels. Pixels away from the padding take
// the tiles; pixels where the kernel overhangs the input take a per-pixel loop over the taps
// inside it. Both sum each element in the same order (below), so which path computes an element,
// and which range a thread gets, never changes its bits. Geometry in the block at `geom`.

import { vfma } from '../shared/simd';
import { BATCH, CIN, COUT, DIL_H, DIL_W, IN_H, IN_W, KH, KW, OUT_H, OUT_W, PAD_LEFT, PAD_TOP, STRIDE_H, STRIDE_W, field } from './geometry';
import { endTap, firstTap } from './runs';

/** Splat of the f32 at p + off (bytes). */
// @ts-ignore: decorator
@inline function xs(p: usize, off: i32): v128 {
  return v128.load32_splat(p + <usize>off);
}

/** The output columns [lo, hi) whose every kernel column is inside the input (lo > hi: none). */
// @ts-ignore: decorator
@inline function interiorLo(sW: i32, padLeft: i32): i32 {
  return (padLeft + sW - 1) / sW;
}
// @ts-ignore: decorator
@inline function interiorHi(inW: i32, kw: i32, sW: i32, dW: i32, padLeft: i32, outW: i32): i32 {
  const last = inW - 1 - (kw - 1) * dW + padLeft; // ow·sW ≤ last
  return last < 0 ? 0 : min(outW, last / sW + 1);
}

/**
 * y[b, oh, ow, o] = clamp(Σ x[b, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW, c]·w[i, j, c, o]
 * + bias[o], min, max), the taps (i, j, c) inside the input only, summed in increasing (i, j, c)
 * from 0, for the n output rows b·outH + oh = first … first + n − 1. Needs cout ≥ 8; bias 0: none.
 * y may not overlap x.
 */
export function f32_conv2d_nhwc_direct(n: i32, x: usize, w: usize, bias: usize, y: usize, geom: usize, first: i32, vmin: f32, vmax: f32): void {
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sW = field(geom, STRIDE_W);
  const dW = field(geom, DIL_W);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const co = field(geom, COUT);
  const lo = interiorLo(sW, padLeft);
  const hi = interiorHi(inW, kw, sW, dW, padLeft, outW);
  const tileEnd = hi - lo >= 6 ? hi : lo; // interior columns in tiles of 6 (the last one overlapping)
  const pixStep = sW * cin << 2; // bytes between the inputs of neighbouring output pixels
  const tapBytes = <usize>co << 2;
  const lo4 = f32x4.splat(vmin);
  const hi4 = f32x4.splat(vmax);
  const sH = field(geom, STRIDE_H);
  const padTop = field(geom, PAD_TOP);
  const dH = field(geom, DIL_H);
  const imgBytes = <usize>(inH * inW * cin) << 2;
  // Image and output row walked without division (V8 would recompute one inside the loops below).
  let oh = first % outH;
  let xImg = x + <usize>(first / outH) * imgBytes;
  let yRow = y + <usize>first * <usize>outW * tapBytes;
  for (let q = 0; q < n; q++) {
    const ih0 = oh * sH - padTop;
    const i0 = firstTap(ih0, dH, kh);
    const i1 = endTap(ih0, dH, inH, kh, i0);
    let ow = 0;
    while (ow < outW) {
      if (ow >= lo && ow < tileEnd) {
        const o6 = min(ow, tileEnd - 6);
        // x of pixel o6 at kernel tap (0, 0, 0), relative to row ih0.
        const xp = xImg + (<usize>((ih0 * inW + o6 * sW - padLeft) * cin) << 2);
        tile6x8(xp, w, bias, yRow + <usize>o6 * tapBytes, co, cin, kw, inW, dH, dW, i0, i1, pixStep, lo4, hi4);
        ow = o6 + 6;
      } else {
        pixel(xImg, w, bias, yRow + <usize>ow * tapBytes, co, cin, kw, inW, dH, dW, i0, i1, ih0, ow * sW - padLeft, lo4, hi4);
        ow++;
      }
    }
    yRow += <usize>outW * tapBytes;
    if (++oh == outH) {
      oh = 0;
      xImg += imgBytes;
    }
  }
}

/** Six output pixels, every kernel column inside the input, kernel rows i0 … i1 − 1. */
function tile6x8(xp: usize, w: usize, bias: usize, yp: usize, co: i32, cin: i32, kw: i32, inW: i32, dH: i32, dW: i32,
  i0: i32, i1: i32, pixStep: i32, lo4: v128, hi4: v128): void {
  // dW = 1: a kernel row's taps are one run of kw·cin floats of x; otherwise kw runs of cin.
  const runs = dW == 1 ? 1 : kw;
  const runLen = dW == 1 ? kw * cin : cin;
  const runStep = dW * cin << 2;
  const tapBytes = <usize>co << 2;
  for (let o = 0; o < co; o += 8) {
    const oo = min(o, co - 8); // the last block overlaps the one before: same values again
    let a00 = f32x4.splat(0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00;
    let a30 = a00, a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
    let wp = w + (<usize>(i0 * kw * cin) * tapBytes) + (<usize>oo << 2);
    for (let i = i0; i < i1; i++) {
      let rp = xp + (<usize>(i * dH * inW * cin) << 2);
      for (let r = 0; r < runs; r++) {
        let off = 0;
        for (let t = 0; t < runLen; t++) {
          const w0 = v128.load(wp);
          const w1 = v128.load(wp, 16);
          const q0 = rp + <usize>off;
          const q1 = q0 + <usize>pixStep;
          const q2 = q1 + <usize>pixStep;
          let s = v128.load32_splat(q0);
          a00 = vfma(s, w0, a00); a01 = vfma(s, w1, a01);
          s = v128.load32_splat(q1);
          a10 = vfma(s, w0, a10); a11 = vfma(s, w1, a11);
          s = v128.load32_splat(q2);
          a20 = vfma(s, w0, a20); a21 = vfma(s, w1, a21);
          const q3 = q2 + <usize>pixStep;
          const q4 = q3 + <usize>pixStep;
          s = v128.load32_splat(q3);
          a30 = vfma(s, w0, a30); a31 = vfma(s, w1, a31);
          s = v128.load32_splat(q4);
          a40 = vfma(s, w0, a40); a41 = vfma(s, w1, a41);
          s = v128.load32_splat(q4 + <usize>pixStep);
          a50 = vfma(s, w0, a50); a51 = vfma(s, w1, a51);
          off += 4;
          wp += tapBytes;
        }
        rp += <usize>runStep;
      }
    }
    let b0 = f32x4.splat(0), b1 = b0;
    if (bias != 0) {
      b0 = v128.load(bias + (<usize>oo << 2));
      b1 = v128.load(bias + (<usize>oo << 2), 16);
    }
    let p = yp + (<usize>oo << 2);
    finish(p, a00, a01, b0, b1, lo4, hi4); p += tapBytes;
    finish(p, a10, a11, b0, b1, lo4, hi4); p += tapBytes;
    finish(p, a20, a21, b0, b1, lo4, hi4); p += tapBytes;
    finish(p, a30, a31, b0, b1, lo4, hi4); p += tapBytes;
    finish(p, a40, a41, b0, b1, lo4, hi4); p += tapBytes;
    finish(p, a50, a51, b0, b1, lo4, hi4);
  }
}

/**
 * min(max(v, lo), hi) by pmax/pmin (one instruction each on x86; f32x4.max/min take several for
 * their NaN and signed-zero rules, which a 9-tap sum cannot hide): a NaN stays NaN, as with max/min;
 * only the sign of a zero at a bound may differ (−0 kept where max(−0, 0) gives +0).
 */
// @ts-ignore: decorator
@inline function clamp4(v: v128, lo4: v128, hi4: v128): v128 {
  return f32x4.pmin(f32x4.pmax(v, lo4), hi4);
}

/** Stores clamp(a + b) for 8 channels at p. */
// @ts-ignore: decorator
@inline function finish(p: usize, a0: v128, a1: v128, b0: v128, b1: v128, lo4: v128, hi4: v128): void {
  v128.store(p, clamp4(f32x4.add(a0, b0), lo4, hi4));
  v128.store(p, clamp4(f32x4.add(a1, b1), lo4, hi4), 16);
}

/** One output pixel: the taps inside the input, 4 channels at a time (the last vector overlapping). */
function pixel(xImg: usize, w: usize, bias: usize, yp: usize, co: i32, cin: i32, kw: i32, inW: i32, dH: i32, dW: i32,
  i0: i32, i1: i32, ih0: i32, iw0: i32, lo4: v128, hi4: v128): void {
  const j0 = firstTap(iw0, dW, kw);
  const j1 = endTap(iw0, dW, inW, kw, j0);
  const tapBytes = <usize>co << 2;
  for (let o = 0; o < co; o += 4) {
    const oo = min(o, co - 4);
    let acc = f32x4.splat(0);
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) {
        const xp = xImg + (<usize>(((ih0 + i * dH) * inW + iw0 + j * dW) * cin) << 2);
        let wp = w + <usize>((i * kw + j) * cin) * tapBytes + (<usize>oo << 2);
        for (let c = 0; c < cin; c++) {
          acc = vfma(xs(xp, c << 2), v128.load(wp), acc);
          wp += tapBytes;
        }
      }
    }
    if (bias != 0) acc = f32x4.add(acc, v128.load(bias + (<usize>oo << 2)));
    v128.store(yp + (<usize>oo << 2), clamp4(acc, lo4, hi4));
  }
}

/**
 * dw[i, j, c, o] = β·dw[i, j, c, o] + Σ x[b, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW, c]·dy[b, oh, ow, o]
 * over the output pixels in increasing (b, oh, ow) whose tap (i, j) is inside the input, for the
 * n output channels o = first … first + n − 1 (first a multiple of 4). beta is 0 (dw overwritten)
 * or 1 (added to). Each element is rounded after every term, in registers or in dw alike.
 */
export function f32_conv2d_nhwc_direct_filter_grad(n: i32, x: usize, dy: usize, dw: usize, geom: usize, first: i32, beta: i32): void {
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const co = field(geom, COUT);
  const rows = field(geom, BATCH) * outH;
  const K = kh * kw * cin;
  const tapBytes = <usize>co << 2;
  const lo = interiorLo(sW, padLeft);
  const hi = max(lo, interiorHi(inW, kw, sW, dW, padLeft, outW));
  const pixStep = sW * cin << 2;
  const c0 = first;
  const c1 = first + n;
  const jStep = ((dW - 1) * cin) << 2; // x offset from tap (i, j, cin) to (i, j + 1, 0)
  const iStep = ((dH * inW - kw * dW) * cin) << 2; // from (i, kw, 0) to (i + 1, 0, 0)
  if (beta == 0) {
    for (let t = 0; t < K; t++) {
      for (let o = c0; o < c1; o++) store<f32>(dw + <usize>t * tapBytes + (<usize>o << 2), 0);
    }
  }
  const sH = field(geom, STRIDE_H);
  const padTop = field(geom, PAD_TOP);
  const imgBytes = <usize>(inH * inW * cin) << 2;
  let oh = 0;
  let xImg = x;
  let dyRow = dy;
  for (let row = 0; row < rows; row++) {
    const ih0 = oh * sH - padTop;
    const i0 = firstTap(ih0, dH, kh);
    const i1 = endTap(ih0, dH, inH, kh, i0);
    // Increasing ow for every element: left border, interior in tiles, right border.
    for (let ow = 0; ow < min(lo, outW); ow++) {
      pixelGrad(xImg, dyRow + <usize>ow * tapBytes, dw, co, cin, kw, inW, dH, dW, i0, i1, ih0, ow * sW - padLeft, c0, c1);
    }
    if (hi > lo && i1 > i0) {
      const xp = xImg + (<usize>((ih0 * inW + lo * sW - padLeft) * cin) << 2);
      const dyp = dyRow + <usize>lo * tapBytes;
      // Taps i0·kw·cin … i1·kw·cin − 1, four at a time, their x offsets walked without division
      // (a division here would be recomputed in the pixel loop by V8's scheduler).
      const t1 = i1 * kw * cin;
      let t = i0 * kw * cin;
      let fo = (i0 * dH * inW * cin) << 2;
      let tc = 0;
      let tj = 0;
      while (t < t1) {
        const take = t + 4 <= t1 ? 4 : 1;
        let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
        for (let k = 0; k < take; k++) {
          if (k == 0) f0 = fo;
          else if (k == 1) f1 = fo;
          else if (k == 2) f2 = fo;
          else f3 = fo;
          fo += 4;
          if (++tc == cin) {
            tc = 0;
            fo += jStep;
            if (++tj == kw) {
              tj = 0;
              fo += iStep;
            }
          }
        }
        if (take == 4) taps4(xp, dyp, dw, t, hi - lo, co, f0, f1, f2, f3, pixStep, c0, c1);
        else tapRest(xp, dyp, dw, t, hi - lo, co, f0, pixStep, c0, c1, 8);
        t += take;
      }
    }
    for (let ow = hi; ow < outW; ow++) {
      pixelGrad(xImg, dyRow + <usize>ow * tapBytes, dw, co, cin, kw, inW, dH, dW, i0, i1, ih0, ow * sW - padLeft, c0, c1);
    }
    dyRow += <usize>outW * tapBytes;
    if (++oh == outH) {
      oh = 0;
      xImg += imgBytes;
    }
  }
}

/**
 * Taps t … t + 3 (x at byte offsets f0 … f3 from a pixel's tap 0) for `count` interior pixels from
 * xp/dyp: 8 channels a tile, then tapRest.
 */
function taps4(xp: usize, dyp: usize, dw: usize, t: i32, count: i32, co: i32, f0: i32, f1: i32, f2: i32, f3: i32,
  pixStep: i32, c0: i32, c1: i32): void {
  const tapBytes = <usize>co << 2;
  let o = c0;
  for (; o + 8 <= c1; o += 8) {
    const d = dw + <usize>t * tapBytes + (<usize>o << 2);
    let a00 = v128.load(d), a01 = v128.load(d, 16);
    let a10 = v128.load(d + tapBytes), a11 = v128.load(d + tapBytes, 16);
    let a20 = v128.load(d + 2 * tapBytes), a21 = v128.load(d + 2 * tapBytes, 16);
    let a30 = v128.load(d + 3 * tapBytes), a31 = v128.load(d + 3 * tapBytes, 16);
    let px = xp;
    let pd = dyp + (<usize>o << 2);
    for (let p = 0; p < count; p++) {
      const g0 = v128.load(pd);
      const g1 = v128.load(pd, 16);
      let s = xs(px, f0);
      a00 = vfma(s, g0, a00); a01 = vfma(s, g1, a01);
      s = xs(px, f1);
      a10 = vfma(s, g0, a10); a11 = vfma(s, g1, a11);
      s = xs(px, f2);
      a20 = vfma(s, g0, a20); a21 = vfma(s, g1, a21);
      s = xs(px, f3);
      a30 = vfma(s, g0, a30); a31 = vfma(s, g1, a31);
      px += <usize>pixStep;
      pd += tapBytes;
    }
    v128.store(d, a00); v128.store(d, a01, 16);
    v128.store(d + tapBytes, a10); v128.store(d + tapBytes, a11, 16);
    v128.store(d + 2 * tapBytes, a20); v128.store(d + 2 * tapBytes, a21, 16);
    v128.store(d + 3 * tapBytes, a30); v128.store(d + 3 * tapBytes, a31, 16);
  }
  if (o < c1) {
    tapRest(xp, dyp, dw, t, count, co, f0, pixStep, o, c1, 4);
    tapRest(xp, dyp, dw, t + 1, count, co, f1, pixStep, o, c1, 4);
    tapRest(xp, dyp, dw, t + 2, count, co, f2, pixStep, o, c1, 4);
    tapRest(xp, dyp, dw, t + 3, count, co, f3, pixStep, o, c1, 4);
  }
}

/**
 * Tap t (x at byte offset f from a pixel's tap 0) for `count` interior pixels, channels c0 … c1 − 1:
 * 8 at a time while `width` is 8, then a vector of 4, then single channels (no lane twice).
 */
function tapRest(xp: usize, dyp: usize, dw: usize, t: i32, count: i32, co: i32, f: i32, pixStep: i32, c0: i32, c1: i32, width: i32): void {
  const tapBytes = <usize>co << 2;
  let o8 = c0;
  if (width == 8) {
    for (; o8 + 8 <= c1; o8 += 8) {
      const d = dw + <usize>t * tapBytes + (<usize>o8 << 2);
      let a0 = v128.load(d), a1 = v128.load(d, 16);
      let px = xp;
      let pd = dyp + (<usize>o8 << 2);
      for (let p = 0; p < count; p++) {
        const s = xs(px, f);
        a0 = vfma(s, v128.load(pd), a0);
        a1 = vfma(s, v128.load(pd, 16), a1);
        px += <usize>pixStep;
        pd += tapBytes;
      }
      v128.store(d, a0);
      v128.store(d, a1, 16);
    }
  }
  for (let o = o8; o < c1; o += 4) {
    const d = dw + <usize>t * tapBytes + (<usize>o << 2);
    let px = xp;
    let pd = dyp + (<usize>o << 2);
    if (o + 4 <= c1) {
      let a = v128.load(d);
      for (let p = 0; p < count; p++) {
        a = vfma(xs(px, f), v128.load(pd), a);
        px += <usize>pixStep;
        pd += tapBytes;
      }
      v128.store(d, a);
    } else {
      for (let l = 0; l < c1 - o; l++) {
        let a = f32x4.splat(load<f32>(d + (<usize>l << 2)));
        px = xp;
        pd = dyp + (<usize>(o + l) << 2);
        for (let p = 0; p < count; p++) {
          a = vfma(xs(px, f), v128.load32_splat(pd), a);
          px += <usize>pixStep;
          pd += tapBytes;
        }
        store<f32>(d + (<usize>l << 2), f32x4.extract_lane(a, 0));
      }
    }
  }
}

/** One border pixel's terms, the taps inside the input, added into dw for channels c0 … c1 − 1. */
function pixelGrad(xImg: usize, dyp: usize, dw: usize, co: i32, cin: i32, kw: i32, inW: i32, dH: i32, dW: i32,
  i0: i32, i1: i32, ih0: i32, iw0: i32, c0: i32, c1: i32): void {
  const j0 = firstTap(iw0, dW, kw);
  const j1 = endTap(iw0, dW, inW, kw, j0);
  const tapBytes = <usize>co << 2;
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      const xp = xImg + (<usize>(((ih0 + i * dH) * inW + iw0 + j * dW) * cin) << 2);
      for (let c = 0; c < cin; c++) {
        const s = xs(xp, c << 2);
        const d = dw + <usize>((i * kw + j) * cin + c) * tapBytes;
        let o = c0;
        for (; o + 4 <= c1; o += 4) {
          const at = d + (<usize>o << 2);
          v128.store(at, vfma(s, v128.load(dyp + (<usize>o << 2)), v128.load(at)));
        }
        for (; o < c1; o++) {
          const at = d + (<usize>o << 2);
          const v = vfma(s, v128.load32_splat(dyp + (<usize>o << 2)), f32x4.splat(load<f32>(at)));
          store<f32>(at, f32x4.extract_lane(v, 0));
        }
      }
    }
  }
}

// Depthwise 2-D convolution on NHWC tensors, direct (no patch matrix: each output channel reads
// one input channel, so a GEMM would be a batch of 1-column products). Channel multiplier m:
// output channel o = c·m + j reads input channel c = o / m; the kernel [kh, kw, cin, m] is, flat,
// [kh, kw, cout] with cout = cin·m (Keras's depthwise layout). SIMD over channels. Geometry in the
// block at `geom` (geometry.ts). Every kernel works on a range given by its first index (rows of
// its output, or channels for the filter gradient), so the pool splits it by range; the order in
// which each element is summed never depends on the range.

import { vfma, sfma } from '../shared/simd';
import { BATCH, CIN, COUT, DIL_H, DIL_W, IN_H, IN_W, KH, KW, OUT_H, OUT_W, PAD_LEFT, PAD_TOP, STRIDE_H, STRIDE_W, field } from './geometry';
import { endTap, firstTap } from './runs';

/** Lanes p[e], p[e + s], p[e + 2s], p[e + 3s] (s elements apart; one load when s = 1). */
// @ts-ignore: decorator
@inline function lanes(p: usize, e: i32, s: i32): v128 {
  if (s == 1) return v128.load(p + (<usize>e << 2));
  let v = f32x4.splat(load<f32>(p + (<usize>e << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(p + (<usize>(e + s) << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(p + (<usize>(e + 2 * s) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(p + (<usize>(e + 3 * s) << 2)));
}

/** Input channels (o + l) / m of the pixel at xp for output channels o … o + 3. */
// @ts-ignore: decorator
@inline function inputLanes(xp: usize, o: i32, m: i32): v128 {
  if (m == 1) return v128.load(xp + (<usize>o << 2));
  let v = f32x4.splat(load<f32>(xp + (<usize>(o / m) << 2)));
  v = f32x4.replace_lane(v, 1, load<f32>(xp + (<usize>((o + 1) / m) << 2)));
  v = f32x4.replace_lane(v, 2, load<f32>(xp + (<usize>((o + 2) / m) << 2)));
  return f32x4.replace_lane(v, 3, load<f32>(xp + (<usize>((o + 3) / m) << 2)));
}

/**
 * y[b, oh, ow, o] = clamp(Σ_(i, j) x[b, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW, o / m]·w[i, j, o]
 * + bias[o], min, max), taps in the input only, summed in increasing (i, j) from 0, for the n
 * output rows b·outH + oh = first … first + n − 1. bias = 0: none. y may not overlap x.
 */
export function f32_dwconv2d_nhwc(n: i32, x: usize, w: usize, bias: usize, y: usize, geom: usize, first: i32, vmin: f32, vmax: f32): void {
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sH = field(geom, STRIDE_H);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padTop = field(geom, PAD_TOP);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const co = field(geom, COUT);
  const m = co / cin;
  const lo = f32x4.splat(vmin);
  const hi = f32x4.splat(vmax);
  const pixBytes = <usize>cin << 2;
  const tapBytes = <usize>co << 2;
  for (let q = 0; q < n; q++) {
    const row = first + q;
    const img = row / outH;
    const ih0 = (row % outH) * sH - padTop;
    const i0 = firstTap(ih0, dH, kh);
    const i1 = endTap(ih0, dH, inH, kh, i0);
    const xImg = x + <usize>(img * inH) * <usize>inW * pixBytes;
    let yp = y + <usize>row * <usize>outW * tapBytes;
    for (let ow = 0; ow < outW; ow++) {
      const iw0 = ow * sW - padLeft;
      const j0 = firstTap(iw0, dW, kw);
      const j1 = endTap(iw0, dW, inW, kw, j0);
      if (co >= 4) {
        for (let o = 0; o < co; o += 4) {
          const oo = min(o, co - 4); // the last vector overlaps the one before: same values again
          let acc = f32x4.splat(0);
          for (let i = i0; i < i1; i++) {
            const xRow = xImg + <usize>((ih0 + i * dH) * inW) * pixBytes;
            for (let j = j0; j < j1; j++) {
              const xp = xRow + <usize>(iw0 + j * dW) * pixBytes;
              const wp = w + <usize>(i * kw + j) * tapBytes;
              acc = vfma(inputLanes(xp, oo, m), v128.load(wp + (<usize>oo << 2)), acc);
            }
          }
          if (bias != 0) acc = f32x4.add(acc, v128.load(bias + (<usize>oo << 2)));
          v128.store(yp + (<usize>oo << 2), f32x4.min(f32x4.max(acc, lo), hi));
        }
      } else {
        for (let o = 0; o < co; o++) {
          let acc: f32 = 0;
          for (let i = i0; i < i1; i++) {
            const xRow = xImg + <usize>((ih0 + i * dH) * inW) * pixBytes;
            for (let j = j0; j < j1; j++) {
              const xv = load<f32>(xRow + <usize>(iw0 + j * dW) * pixBytes + (<usize>(o / m) << 2));
              acc = sfma(xv, load<f32>(w + <usize>(i * kw + j) * tapBytes + (<usize>o << 2)), acc);
            }
          }
          if (bias != 0) acc += load<f32>(bias + (<usize>o << 2));
          store<f32>(yp + (<usize>o << 2), min<f32>(max<f32>(acc, vmin), vmax));
        }
      }
      yp += tapBytes;
    }
  }
}

/**
 * dx[b, ih, iw, c] = Σ dy[b, oh, ow, c·m + j]·w[i, kj, c·m + j] over the taps (i, kj) and output
 * pixels with ih = oh·sH − padTop + i·dH, iw = ow·sW − padLeft + kj·dW, summed in increasing
 * (oh, ow), then j, from 0, for the n rows of dx b·inH + ih = first … first + n − 1 (written, not
 * added). dx may not overlap dy or w.
 */
export function f32_dwconv2d_nhwc_input_grad(n: i32, dy: usize, w: usize, dx: usize, geom: usize, first: i32): void {
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sH = field(geom, STRIDE_H);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padTop = field(geom, PAD_TOP);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const co = field(geom, COUT);
  const m = co / cin;
  const pixBytes = <usize>cin << 2;
  const tapBytes = <usize>co << 2;
  for (let q = 0; q < n; q++) {
    const row = first + q;
    const img = row / inH;
    const ih = row % inH;
    let dp = dx + <usize>row * <usize>inW * pixBytes;
    for (let iw = 0; iw < inW; iw++) {
      for (let c = 0; c < cin; c += 4) {
        const vec = cin >= 4;
        const cc = vec ? min(c, cin - 4) : c; // scalar channels when cin < 4
        let acc = f32x4.splat(0);
        let s: f32 = 0;
        // Decreasing taps meet increasing output pixels.
        for (let i = kh - 1; i >= 0; i--) {
          const th = ih + padTop - i * dH;
          if (th < 0 || th % sH != 0) continue;
          const oh = th / sH;
          if (oh >= outH) break;
          const dyRow = dy + <usize>((img * outH + oh) * outW) * tapBytes;
          for (let kj = kw - 1; kj >= 0; kj--) {
            const tw = iw + padLeft - kj * dW;
            if (tw < 0 || tw % sW != 0) continue;
            const ow = tw / sW;
            if (ow >= outW) break;
            const dyp = dyRow + <usize>ow * tapBytes;
            const wp = w + <usize>(i * kw + kj) * tapBytes;
            for (let j = 0; j < m; j++) {
              const e = cc * m + j;
              if (vec) acc = vfma(lanes(dyp, e, m), lanes(wp, e, m), acc);
              else s = sfma(load<f32>(dyp + (<usize>e << 2)), load<f32>(wp + (<usize>e << 2)), s);
            }
          }
        }
        if (vec) {
          v128.store(dp + (<usize>cc << 2), acc);
        } else {
          store<f32>(dp + (<usize>cc << 2), s);
          c -= 3; // one channel at a time
        }
      }
      dp += pixBytes;
    }
  }
}

/**
 * dw[i, j, o] = β·dw[i, j, o] + Σ x[b, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW, o / m]·dy[b, oh, ow, o]
 * over the output pixels in increasing (b, oh, ow), taps in the input only, for the output
 * channels of the n input channels first … first + n − 1 (o from first·m to (first + n)·m).
 * beta is 0 (dw overwritten) or 1 (added to). Accumulated in dw itself: each element is
 * rounded after every term, as a register sum would be, so any channel range gives the same bits.
 */
export function f32_dwconv2d_nhwc_filter_grad(n: i32, x: usize, dy: usize, dw: usize, geom: usize, first: i32, beta: i32): void {
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sH = field(geom, STRIDE_H);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padTop = field(geom, PAD_TOP);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const co = field(geom, COUT);
  const batch = field(geom, BATCH);
  const m = co / cin;
  const o0 = first * m;
  const o1 = (first + n) * m;
  const pixBytes = <usize>cin << 2;
  const tapBytes = <usize>co << 2;
  if (beta == 0) {
    for (let t = 0; t < kh * kw; t++) {
      for (let o = o0; o < o1; o++) store<f32>(dw + <usize>t * tapBytes + (<usize>o << 2), 0);
    }
  }
  let dyp = dy;
  for (let img = 0; img < batch; img++) {
    const xImg = x + <usize>(img * inH) * <usize>inW * pixBytes;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * sH - padTop;
      const i0 = firstTap(ih0, dH, kh);
      const i1 = endTap(ih0, dH, inH, kh, i0);
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * sW - padLeft;
        const j0 = firstTap(iw0, dW, kw);
        const j1 = endTap(iw0, dW, inW, kw, j0);
        for (let i = i0; i < i1; i++) {
          const xRow = xImg + <usize>((ih0 + i * dH) * inW) * pixBytes;
          for (let j = j0; j < j1; j++) {
            const xp = xRow + <usize>(iw0 + j * dW) * pixBytes;
            const wp = dw + <usize>(i * kw + j) * tapBytes;
            let o = o0;
            for (; o + 4 <= o1; o += 4) {
              const at = wp + (<usize>o << 2);
              v128.store(at, vfma(inputLanes(xp, o, m), v128.load(dyp + (<usize>o << 2)), v128.load(at)));
            }
            for (; o < o1; o++) {
              const at = wp + (<usize>o << 2);
              store<f32>(at, sfma(load<f32>(xp + (<usize>(o / m) << 2)), load<f32>(dyp + (<usize>o << 2)), load<f32>(at)));
            }
          }
        }
        dyp += tapBytes;
      }
    }
  }
}

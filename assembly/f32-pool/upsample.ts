// UpSampling2D of NHWC images by integer factors sh × sw (Keras 3 UpSampling2D, UpSampling1D
// being height 1). Output [b, h·sh, w·sw, c].
//
// nearest: Keras 3 repeats rows then columns (ops.repeat); the backward sums each sh × sw block,
//   over the columns of each repeated row first, then over those rows (the gradient of the two
//   repeats, innermost first).
// bilinear: TensorFlow's ResizeBilinear, in its f32 arithmetic: scale = h / (h·sh) in f32, source
//   row (i + 0.5)·scale − 0.5 with half-pixel centres (Keras 3 and Keras 2 call tf.image.resize,
//   which sets them) or i·scale without (TF.js's resizeBilinear, which its UpSampling2D calls);
//   top = max(floor, 0), bottom = min(ceil, h − 1), lerp = source − floor; value
//   top + (bottom − top)·ylerp of the two column interpolations. The backward is
//   ResizeBilinearGrad's scatter: per output pixel in order, dy·(1 − ylerp)·(1 − xlerp) into the
//   top-left cell, then top-right, bottom-left, bottom-right.
// Plain multiplies and adds (no fused multiply-add): both arithmetic builds give the same bits.

import { f32_copy_block } from '../f32-merge/block';

/**
 * y[b, i·sh + a, j·sw + e] = x[b, i, j] (all c channels), a < sh, e < sw, for input rows
 * r = b·h + i, first ≤ r < first + n. y must not overlap x.
 */
export function f32_upsample2d_nearest_nhwc(n: i32, x: usize, y: usize, first: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  const pixel = <usize>c << 2;
  const ocols = w * sw * c;
  const orow = <usize>ocols << 2;
  for (let r = first, end = first + n; r < end; r++) {
    const xr = x + <usize>r * <usize>w * pixel;
    const yr = y + <usize>r * <usize>sh * orow;
    // The first output row repeats each pixel sw times (a block copy with source stride 0); the
    // other sh − 1 rows repeat that row.
    for (let j = 0; j < w; j++) f32_copy_block(sw, c, xr + <usize>j * pixel, 0, yr + <usize>(j * sw) * pixel, c);
    f32_copy_block(sh - 1, ocols, yr, 0, yr + orow, ocols);
  }
}

/**
 * dx[b, i, j] = Σ_a (Σ_e dy[b, i·sh + a, j·sw + e]) (each sum in order from +0) for input rows
 * r = b·h + i, first ≤ r < first + n. dx must not alias dy.
 */
export function f32_upsample2d_nearest_nhwc_grad(n: i32, dy: usize, dx: usize, first: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32): void {
  const pixel = <usize>c << 2;
  const orow = <usize>(w * sw) * pixel;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let r = first, last = first + n; r < last; r++) {
    const gr = dy + <usize>r * <usize>sh * orow;
    let d = dx + <usize>r * <usize>w * pixel;
    for (let j = 0; j < w; j++) {
      const block = gr + <usize>(j * sw) * pixel;
      let o: usize = 0;
      for (; o < end4; o += 16) {
        let s = f32x4.splat(0);
        let p = block + o;
        for (let a = 0; a < sh; a++) {
          let t = f32x4.splat(0);
          let q = p;
          for (let e = 0; e < sw; e++) {
            t = f32x4.add(t, v128.load(q));
            q += pixel;
          }
          s = f32x4.add(s, t);
          p += orow;
        }
        v128.store(d + o, s);
      }
      for (; o < end; o += 4) {
        let s: f32 = 0;
        let p = block + o;
        for (let a = 0; a < sh; a++) {
          let t: f32 = 0;
          let q = p;
          for (let e = 0; e < sw; e++) {
            t += load<f32>(q);
            q += pixel;
          }
          s += t;
          p += orow;
        }
        store<f32>(d + o, s);
      }
      d += pixel;
    }
  }
}

/** TensorFlow's source coordinate of output index i (f32, as its scalers compute it). */
// @ts-ignore: decorator
@inline function source(i: i32, scale: f32, halfPixel: i32): f32 {
  return halfPixel != 0 ? (<f32>i + <f32>0.5) * scale - <f32>0.5 : <f32>i * scale;
}

/**
 * Bilinear upsampling (see the file comment; halfPixel ≠ 0: Keras's half-pixel centres, 0:
 * TF.js's) for output rows R = b·h·sh + oi, first ≤ R < first + n. y must not overlap x.
 */
export function f32_upsample2d_bilinear_nhwc(n: i32, x: usize, y: usize, first: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32,
  halfPixel: i32): void {
  const oh = h * sh;
  const ow = w * sw;
  const scaleY = <f32>h / <f32>oh;
  const scaleX = <f32>w / <f32>ow;
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let r = first, last = first + n; r < last; r++) {
    const b = r / oh;
    const fy = source(r - b * oh, scaleY, halfPixel);
    const floorY = Mathf.floor(fy);
    const yl = fy - floorY;
    const vyl = f32x4.splat(yl);
    const xs = x + <usize>b * <usize>h * row;
    const top = xs + <usize>max(<i32>floorY, 0) * row;
    const bottom = xs + <usize>min(<i32>Mathf.ceil(fy), h - 1) * row;
    let o = y + <usize>r * <usize>ow * pixel;
    for (let j = 0; j < ow; j++) {
      const fx = source(j, scaleX, halfPixel);
      const floorX = Mathf.floor(fx);
      const xl = fx - floorX;
      const vxl = f32x4.splat(xl);
      const left = <usize>max(<i32>floorX, 0) * pixel;
      const right = <usize>min(<i32>Mathf.ceil(fx), w - 1) * pixel;
      let k: usize = 0;
      for (; k < end4; k += 16) {
        const tl = v128.load(top + left + k);
        const tr = v128.load(top + right + k);
        const bl = v128.load(bottom + left + k);
        const br = v128.load(bottom + right + k);
        const t = f32x4.add(tl, f32x4.mul(f32x4.sub(tr, tl), vxl));
        const u = f32x4.add(bl, f32x4.mul(f32x4.sub(br, bl), vxl));
        v128.store(o + k, f32x4.add(t, f32x4.mul(f32x4.sub(u, t), vyl)));
      }
      for (; k < end; k += 4) {
        const tl = load<f32>(top + left + k);
        const bl = load<f32>(bottom + left + k);
        const t = tl + (load<f32>(top + right + k) - tl) * xl;
        const u = bl + (load<f32>(bottom + right + k) - bl) * xl;
        store<f32>(o + k, t + (u - t) * yl);
      }
      o += pixel;
    }
  }
}

/**
 * The backward of f32_upsample2d_bilinear_nhwc for samples first ≤ b < first + n: dx[b] is zeroed,
 * then each output pixel in order adds dy·(1 − yl)·(1 − xl) to its top-left source cell, then
 * dy·(1 − yl)·xl top-right, dy·yl·(1 − xl) bottom-left, dy·yl·xl bottom-right. dx must not alias dy.
 */
export function f32_upsample2d_bilinear_nhwc_grad(n: i32, dy: usize, dx: usize, first: i32, h: i32, w: i32, c: i32, sh: i32, sw: i32,
  halfPixel: i32): void {
  const oh = h * sh;
  const ow = w * sw;
  const scaleY = <f32>h / <f32>oh;
  const scaleX = <f32>w / <f32>ow;
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const sample = <usize>h * row;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const ds = dx + <usize>b * sample;
    memory.fill(ds, 0, sample);
    let g = dy + <usize>b * <usize>oh * <usize>ow * pixel;
    for (let i = 0; i < oh; i++) {
      const fy = source(i, scaleY, halfPixel);
      const floorY = Mathf.floor(fy);
      const yl = fy - floorY;
      const iyl = <f32>1 - yl;
      const top = ds + <usize>max(<i32>floorY, 0) * row;
      const bottom = ds + <usize>min(<i32>Mathf.ceil(fy), h - 1) * row;
      for (let j = 0; j < ow; j++) {
        const fx = source(j, scaleX, halfPixel);
        const floorX = Mathf.floor(fx);
        const xl = fx - floorX;
        const ixl = <f32>1 - xl;
        const left = <usize>max(<i32>floorX, 0) * pixel;
        const right = <usize>min(<i32>Mathf.ceil(fx), w - 1) * pixel;
        spread4(g, top + left, top + right, bottom + left, bottom + right, iyl, yl, ixl, xl, end4, end);
        g += pixel;
      }
    }
  }
}

/** The four weighted adds of one output pixel's gradient, in TensorFlow's order. */
// @ts-ignore: decorator
@inline function spread4(g: usize, tl: usize, tr: usize, bl: usize, br: usize, iyl: f32, yl: f32, ixl: f32, xl: f32,
  end4: usize, end: usize): void {
  const viyl = f32x4.splat(iyl);
  const vyl = f32x4.splat(yl);
  const vixl = f32x4.splat(ixl);
  const vxl = f32x4.splat(xl);
  let k: usize = 0;
  for (; k < end4; k += 16) {
    const v = v128.load(g + k);
    const up = f32x4.mul(v, viyl);
    const down = f32x4.mul(v, vyl);
    v128.store(tl + k, f32x4.add(v128.load(tl + k), f32x4.mul(up, vixl)));
    v128.store(tr + k, f32x4.add(v128.load(tr + k), f32x4.mul(up, vxl)));
    v128.store(bl + k, f32x4.add(v128.load(bl + k), f32x4.mul(down, vixl)));
    v128.store(br + k, f32x4.add(v128.load(br + k), f32x4.mul(down, vxl)));
  }
  for (; k < end; k += 4) {
    const v = load<f32>(g + k);
    const up = v * iyl;
    const down = v * yl;
    store<f32>(tl + k, load<f32>(tl + k) + up * ixl);
    store<f32>(tr + k, load<f32>(tr + k) + up * xl);
    store<f32>(bl + k, load<f32>(bl + k) + down * ixl);
    store<f32>(br + k, load<f32>(br + k) + down * xl);
  }
}

// Average pooling over NHWC windows (Keras 3 AveragePooling2D/1D). A window's sum runs over its
// REAL cells in row-major order from +0 and is divided by their count: the window size for
// 'valid', fewer cells at the borders for 'same' (TensorFlow's AvgPool, which Keras calls). The
// backward gathers, per input cell, dy·(1/count) of every window covering it in increasing output
// order, the products and order of TensorFlow's AvgPoolGrad, so each dx element is written once.

import { CIN, IN_H, IN_W, KH, KW, OUT_H, OUT_W, PAD_LEFT, PAD_TOP, STRIDE_H, STRIDE_W, field, firstCovering, lastCovering } from './window';

/**
 * y[b, i, j, ch] = Σ x over the real cells of window (i·sh − pt + dh, j·sw − pl + dw) / their count.
 * Output rows r = b·oh + i for first ≤ r < first + n; geometry block `geom` (window.ts). Every window
 * must hold a real cell. y must not alias x.
 */
export function f32_avgpool2d_nhwc(n: i32, x: usize, y: usize, geom: usize, first: i32): void {
  const h = field(geom, IN_H);
  const w = field(geom, IN_W);
  const c = field(geom, CIN);
  const oh = field(geom, OUT_H);
  const ow = field(geom, OUT_W);
  const ph = field(geom, KH);
  const pw = field(geom, KW);
  const sh = field(geom, STRIDE_H);
  const sw = field(geom, STRIDE_W);
  const pt = field(geom, PAD_TOP);
  const pl = field(geom, PAD_LEFT);
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  for (let r = first, end = first + n; r < end; r++) {
    const b = r / oh;
    const top = (r - b * oh) * sh - pt;
    const h0 = max(top, 0);
    const rows = min(top + ph, h) - h0;
    const xr = x + <usize>(b * h + h0) * row;
    let o = y + <usize>r * <usize>ow * pixel;
    for (let j = 0; j < ow; j++) {
      const left = j * sw - pl;
      const w0 = max(left, 0);
      const cols = min(left + pw, w) - w0;
      sumWindow(xr + <usize>w0 * pixel, rows, cols, row, pixel, c, o);
      o += pixel;
    }
  }
}

/** y[ch] = Σ over rows × cols cells from `cell` (next column +pixel, next row +row) / (rows·cols). */
// @ts-ignore: decorator
@inline function sumWindow(cell: usize, rows: i32, cols: i32, row: usize, pixel: usize, c: i32, y: usize): void {
  const count = <f32>(rows * cols);
  const vcount = f32x4.splat(count);
  const end16 = <usize>(c & ~15) << 2;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        s0 = f32x4.add(s0, v128.load(p));
        s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32));
        s3 = f32x4.add(s3, v128.load(p, 48));
        p += pixel;
      }
      rp += row;
    }
    v128.store(y + o, f32x4.div(s0, vcount));
    v128.store(y + o, f32x4.div(s1, vcount), 16);
    v128.store(y + o, f32x4.div(s2, vcount), 32);
    v128.store(y + o, f32x4.div(s3, vcount), 48);
  }
  for (; o < end4; o += 16) {
    let s = f32x4.splat(0);
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        s = f32x4.add(s, v128.load(p));
        p += pixel;
      }
      rp += row;
    }
    v128.store(y + o, f32x4.div(s, vcount));
  }
  for (; o < end; o += 4) {
    let s: f32 = 0;
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        s += load<f32>(p);
        p += pixel;
      }
      rp += row;
    }
    store<f32>(y + o, s / count);
  }
}

/**
 * dx[b, hi, wi, ch] = Σ dy[b, i, j, ch]·(1/count(i, j)) over the windows (i, j) covering (hi, wi),
 * in increasing (i, j) order from +0 (count: the window's real cells; 1/count rounded to f32).
 * Input rows r = b·h + hi for first ≤ r < first + n: every dx element of them is written.
 * dx must not alias dy.
 */
export function f32_avgpool2d_nhwc_grad(n: i32, dy: usize, dx: usize, geom: usize, first: i32): void {
  const h = field(geom, IN_H);
  const w = field(geom, IN_W);
  const c = field(geom, CIN);
  const oh = field(geom, OUT_H);
  const ow = field(geom, OUT_W);
  const ph = field(geom, KH);
  const pw = field(geom, KW);
  const sh = field(geom, STRIDE_H);
  const sw = field(geom, STRIDE_W);
  const pt = field(geom, PAD_TOP);
  const pl = field(geom, PAD_LEFT);
  const pixel = <usize>c << 2;
  const orow = <usize>ow * pixel;
  for (let r = first, end = first + n; r < end; r++) {
    const b = r / h;
    const hi = r - b * h;
    const i0 = firstCovering(hi, pt, ph, sh);
    const i1 = lastCovering(hi, pt, sh, oh);
    const dyr = dy + <usize>(b * oh + i0) * orow;
    let d = dx + <usize>r * <usize>w * pixel;
    let j0 = 0;
    let j1 = -1;
    for (let wi = 0; wi < w; wi++) {
      // The windows j0 … j1 covering column wi (none if j1 < j0), moved along without divisions.
      while (j0 < ow && j0 * sw - pl + pw <= wi) j0++;
      while (j1 + 1 < ow && (j1 + 1) * sw - pl <= wi) j1++;
      spreadCell(dyr + <usize>j0 * pixel, i0, i1, j0, j1, orow, pixel, c, d, h, w, ph, pw, sh, sw, pt, pl);
      d += pixel;
    }
  }
}

/** The real cells of the window starting at `start` (size p) within [0, size). */
// @ts-ignore: decorator
@inline function realCells(start: i32, p: i32, size: i32): i32 {
  return min(start + p, size) - max(start, 0);
}

/** One input pixel's gradient: Σ dy·(1/count) over windows i0..i1 × j0..j1 (dy from q). */
// @ts-ignore: decorator
@inline function spreadCell(q: usize, i0: i32, i1: i32, j0: i32, j1: i32, orow: usize, pixel: usize, c: i32, d: usize,
  h: i32, w: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32, pl: i32): void {
  const end16 = <usize>(c & ~15) << 2;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    let qr = q + o;
    for (let i = i0; i <= i1; i++) {
      const rc = realCells(i * sh - pt, ph, h);
      let qq = qr;
      for (let j = j0; j <= j1; j++) {
        const k = f32x4.splat(<f32>1 / <f32>(rc * realCells(j * sw - pl, pw, w)));
        s0 = f32x4.add(s0, f32x4.mul(v128.load(qq), k));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(qq, 16), k));
        s2 = f32x4.add(s2, f32x4.mul(v128.load(qq, 32), k));
        s3 = f32x4.add(s3, f32x4.mul(v128.load(qq, 48), k));
        qq += pixel;
      }
      qr += orow;
    }
    v128.store(d + o, s0);
    v128.store(d + o, s1, 16);
    v128.store(d + o, s2, 32);
    v128.store(d + o, s3, 48);
  }
  for (; o < end4; o += 16) {
    let s = f32x4.splat(0);
    let qr = q + o;
    for (let i = i0; i <= i1; i++) {
      const rc = realCells(i * sh - pt, ph, h);
      let qq = qr;
      for (let j = j0; j <= j1; j++) {
        s = f32x4.add(s, f32x4.mul(v128.load(qq), f32x4.splat(<f32>1 / <f32>(rc * realCells(j * sw - pl, pw, w)))));
        qq += pixel;
      }
      qr += orow;
    }
    v128.store(d + o, s);
  }
  for (; o < end; o += 4) {
    let s: f32 = 0;
    let qr = q + o;
    for (let i = i0; i <= i1; i++) {
      const rc = realCells(i * sh - pt, ph, h);
      let qq = qr;
      for (let j = j0; j <= j1; j++) {
        s += load<f32>(qq) * (<f32>1 / <f32>(rc * realCells(j * sw - pl, pw, w)));
        qq += pixel;
      }
      qr += orow;
    }
    store<f32>(d + o, s);
  }
}

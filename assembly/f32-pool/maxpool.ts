// Max pooling over NHWC windows (Keras 3 MaxPooling2D/1D; a 1-D pool is a 2-D one of height 1).
// The forward keeps, per channel, the FIRST maximum of the window's real cells in row-major
// order (a later cell replaces it only if strictly greater), as TensorFlow's CPU MaxPoolGrad
// computes its argmax; padded cells are skipped, not -inf. A NaN cell is the maximum only as its
// window's first cell (no comparison with NaN is true), also as TensorFlow's argmax loop.
//
// The backward finds that cell again from x and y: the first cell of the window whose BITS equal
// y's (y is a copy of it; every earlier cell is smaller, or a NaN that is not the first cell, so
// none has those bits — NaN and ±0 included), and sends it dy. So the gradient goes to the first
// maximum on ties and overlapping windows sum in TensorFlow's order (outputs in increasing index).
// No argmax buffer: measured on the MNIST convnet's pools (docs/design.md, "Pooling kernels"),
// recomputing was faster than writing and reading one, except for stride-1 overlapping windows.

import { CIN, IN_H, IN_W, KH, KW, OUT_H, OUT_W, PAD_LEFT, PAD_TOP, STRIDE_H, STRIDE_W, field } from './window';

/**
 * y[b, i, j, ch] = the first maximum over the real cells of window (i·sh − pt + dh, j·sw − pl + dw),
 * dh < kh, dw < kw, for output rows r = b·outH + i, first ≤ r < first + n; geometry block `geom`
 * (window.ts). Every window must hold a real cell ('valid' and TensorFlow's 'same' do). y must not
 * alias x.
 */
export function f32_maxpool2d_nhwc(n: i32, x: usize, y: usize, geom: usize, first: i32): void {
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
    const out = <usize>r * <usize>ow * pixel;
    for (let j = 0; j < ow; j++) {
      const left = j * sw - pl;
      const w0 = max(left, 0);
      const cols = min(left + pw, w) - w0;
      maxWindow(xr + <usize>w0 * pixel, rows, cols, row, pixel, c, y + out + <usize>j * pixel);
    }
  }
}

/** The first maximum per channel of one output pixel's window: rows × cols real cells from `cell`. */
// @ts-ignore: decorator
@inline function maxWindow(cell: usize, rows: i32, cols: i32, row: usize, pixel: usize, c: i32, y: usize): void {
  const end16 = <usize>(c & ~15) << 2;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    let m0 = v128.load(cell + o);
    let m1 = v128.load(cell + o, 16);
    let m2 = v128.load(cell + o, 32);
    let m3 = v128.load(cell + o, 48);
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        // bitselect on a strict > keeps the first of equal values (f32x4.max would not say which).
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const v2 = v128.load(p, 32);
        const v3 = v128.load(p, 48);
        m0 = v128.bitselect(v0, m0, f32x4.gt(v0, m0));
        m1 = v128.bitselect(v1, m1, f32x4.gt(v1, m1));
        m2 = v128.bitselect(v2, m2, f32x4.gt(v2, m2));
        m3 = v128.bitselect(v3, m3, f32x4.gt(v3, m3));
        p += pixel;
      }
      rp += row;
    }
    v128.store(y + o, m0);
    v128.store(y + o, m1, 16);
    v128.store(y + o, m2, 32);
    v128.store(y + o, m3, 48);
  }
  for (; o < end4; o += 16) {
    let m = v128.load(cell + o);
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        const v = v128.load(p);
        m = v128.bitselect(v, m, f32x4.gt(v, m));
        p += pixel;
      }
      rp += row;
    }
    v128.store(y + o, m);
  }
  for (; o < end; o += 4) {
    let m = load<f32>(cell + o);
    let rp = cell + o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        const v = load<f32>(p);
        if (v > m) m = v;
        p += pixel;
      }
      rp += row;
    }
    store<f32>(y + o, m);
  }
}

/**
 * dx = the gradient of f32_maxpool2d_nhwc for samples first ≤ b < first + n (x, y its input and
 * output): dy[b, i, j, ch] goes to the first cell of window (i, j) with y[b, i, j, ch]'s bits, summed
 * over windows in increasing (i, j) order from +0; every dx element of those samples is written.
 * dx must not alias x, y or dy.
 */
export function f32_maxpool2d_nhwc_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, geom: usize, first: i32): void {
  const h = field(geom, IN_H);
  const w = field(geom, IN_W);
  const ph = field(geom, KH);
  const pw = field(geom, KW);
  const sh = field(geom, STRIDE_H);
  const sw = field(geom, STRIDE_W);
  const oh = field(geom, OUT_H);
  const ow = field(geom, OUT_W);
  // Windows that neither overlap nor leave a cell uncovered (2×2 pools, stride 2, on even sizes or
  // 'same') write each dx element once: stores, no zeroing. Otherwise dx is zeroed first; windows
  // that overlap add into it, others still store.
  const apart = sh >= ph && sw >= pw;
  const tiled = sh == ph && sw == pw && (oh - 1) * sh - field(geom, PAD_TOP) + ph >= h && (ow - 1) * sw - field(geom, PAD_LEFT) + pw >= w;
  if (apart) routeWindows(n, x, y, dy, dx, geom, first, !tiled, false);
  else routeWindows(n, x, y, dy, dx, geom, first, true, true);
}

/** Each window's dy to its first cell with y's bits: dx zeroed first (zero), added into (add) or stored. */
// @ts-ignore: decorator
@inline function routeWindows(n: i32, x: usize, y: usize, dy: usize, dx: usize, geom: usize, first: i32, zero: bool, add: bool): void {
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
  const sample = <usize>h * row;
  for (let b = first, end = first + n; b < end; b++) {
    const xs = <usize>b * sample;
    if (zero) memory.fill(dx + xs, 0, sample);
    let o = <usize>b * <usize>oh * <usize>ow * pixel;
    for (let i = 0; i < oh; i++) {
      const top = i * sh - pt;
      const h0 = max(top, 0);
      const rows = min(top + ph, h) - h0;
      const xr = xs + <usize>h0 * row;
      for (let j = 0; j < ow; j++) {
        const left = j * sw - pl;
        const w0 = max(left, 0);
        const at = xr + <usize>w0 * pixel;
        routeWindow(x + at, dx + at, y + o, dy + o, rows, min(left + pw, w) - w0, row, pixel, c, add);
        o += pixel;
      }
    }
  }
}

/**
 * One window, all channels: taken marks the channels whose maximum was already found; the first
 * cell with y's bits takes dy (stored or added), the others get +0 (stored) or nothing (added).
 */
// @ts-ignore: decorator
@inline function routeWindow(x: usize, dx: usize, y: usize, dy: usize, rows: i32, cols: i32, row: usize, pixel: usize, c: i32, add: bool): void {
  const end16 = <usize>(c & ~15) << 2;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const y0 = v128.load(y + o);
    const y1 = v128.load(y + o, 16);
    const y2 = v128.load(y + o, 32);
    const y3 = v128.load(y + o, 48);
    const g0 = v128.load(dy + o);
    const g1 = v128.load(dy + o, 16);
    const g2 = v128.load(dy + o, 32);
    const g3 = v128.load(dy + o, 48);
    let t0 = i32x4.splat(0);
    let t1 = t0;
    let t2 = t0;
    let t3 = t0;
    let rp = o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        const m0 = v128.andnot(i32x4.eq(v128.load(x + p), y0), t0);
        const m1 = v128.andnot(i32x4.eq(v128.load(x + p, 16), y1), t1);
        const m2 = v128.andnot(i32x4.eq(v128.load(x + p, 32), y2), t2);
        const m3 = v128.andnot(i32x4.eq(v128.load(x + p, 48), y3), t3);
        if (add) {
          v128.store(dx + p, f32x4.add(v128.load(dx + p), v128.and(g0, m0)));
          v128.store(dx + p, f32x4.add(v128.load(dx + p, 16), v128.and(g1, m1)), 16);
          v128.store(dx + p, f32x4.add(v128.load(dx + p, 32), v128.and(g2, m2)), 32);
          v128.store(dx + p, f32x4.add(v128.load(dx + p, 48), v128.and(g3, m3)), 48);
        } else {
          v128.store(dx + p, v128.and(g0, m0));
          v128.store(dx + p, v128.and(g1, m1), 16);
          v128.store(dx + p, v128.and(g2, m2), 32);
          v128.store(dx + p, v128.and(g3, m3), 48);
        }
        t0 = v128.or(t0, m0);
        t1 = v128.or(t1, m1);
        t2 = v128.or(t2, m2);
        t3 = v128.or(t3, m3);
        p += pixel;
      }
      rp += row;
    }
  }
  for (; o < end4; o += 16) {
    const yv = v128.load(y + o);
    const g = v128.load(dy + o);
    let t = i32x4.splat(0);
    let rp = o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        const m = v128.andnot(i32x4.eq(v128.load(x + p), yv), t);
        if (add) v128.store(dx + p, f32x4.add(v128.load(dx + p), v128.and(g, m)));
        else v128.store(dx + p, v128.and(g, m));
        t = v128.or(t, m);
        p += pixel;
      }
      rp += row;
    }
  }
  for (; o < end; o += 4) {
    const yv = load<i32>(y + o);
    const g = load<f32>(dy + o);
    let taken = false;
    let rp = o;
    for (let dh = 0; dh < rows; dh++) {
      let p = rp;
      for (let dw = 0; dw < cols; dw++) {
        const hit = !taken && load<i32>(x + p) == yv;
        if (add) {
          if (hit) store<f32>(dx + p, load<f32>(dx + p) + g);
        } else {
          store<f32>(dx + p, hit ? g : 0);
        }
        taken = taken || hit;
        p += pixel;
      }
      rp += row;
    }
  }
}

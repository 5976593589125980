// Row-wise softmax and log-softmax (Keras 3 `softmax`, `log_softmax` over the last axis).
// Layout: `rows` contiguous rows of `cols` floats each. Every row sum (Σ e^(x − max), Σ dy·y,
// Σ dy) is accumulated in f64 lanes, so the sums add no error that grows with `cols`.
// Log-softmax takes log Σ = log1p(Σ over x < max + (ties at max − 1)), keeping relative
// accuracy for a dominant entry whose log-probability is tiny (e.g. −1.8e-13).
// A row holding +inf, or only −inf, gives NaN; any NaN in a row makes the row NaN; finite
// inputs of any size give finite results (the max is subtracted first).

import { vexp } from './exp';
import { hmax } from '../shared/simd';
import { loadTail, storeTail, tailMask, f64Lo, f64Hi } from './tail';

/**
 * The largest value of a row (NaN if any is NaN). f32x4.pmax is one instruction where
 * f32x4.max is a NaN-aware sequence in V8 (softmax measured 1.5× slower with it), so NaN is
 * tracked on the side.
 */
// @ts-ignore: decorator
@inline function rowMax(p: usize, bytes: usize): f32 {
  const vend = bytes & ~15;
  let m = f32x4.splat(-Infinity);
  let nan = i32x4.splat(0);
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const v = v128.load(p + o);
    m = f32x4.pmax(v, m);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  if (o < bytes) {
    const b = bytes - o;
    const v = v128.bitselect(loadTail(p + o, b), f32x4.splat(-Infinity), tailMask(b));
    m = f32x4.pmax(v, m);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  return v128.any_true(nan) ? NaN : hmax(m);
}

/** Σ e^(x − m) over a row, in f64; stores e^(x − m) to q. */
// @ts-ignore: decorator
@inline function rowSumExp(p: usize, q: usize, bytes: usize, m: v128): f64 {
  const vend = bytes & ~15;
  let s0 = f64x2.splat(0.0);
  let s1 = f64x2.splat(0.0);
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const e = vexp(f32x4.sub(v128.load(p + o), m));
    v128.store(q + o, e);
    s0 = f64x2.add(s0, f64Lo(e));
    s1 = f64x2.add(s1, f64Hi(e));
  }
  if (o < bytes) {
    const b = bytes - o;
    const e = v128.and(vexp(f32x4.sub(loadTail(p + o, b), m)), tailMask(b));
    storeTail(q + o, e, b);
    s0 = f64x2.add(s0, f64Lo(e));
    s1 = f64x2.add(s1, f64Hi(e));
  }
  const s = f64x2.add(s0, s1);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/**
 * log Σ e^(x − m) over a row, as log1p(t) with t = Σ_{x < m} e^(x − m) + (number of x = m) − 1
 * summed in f64, so that a row dominated by one entry keeps the digits of its tiny t.
 */
// @ts-ignore: decorator
@inline function rowLogSumExp(p: usize, bytes: usize, m: v128): f64 {
  const vend = bytes & ~15;
  let s0 = f64x2.splat(0.0);
  let s1 = f64x2.splat(0.0);
  let ties = i32x4.splat(0);
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const xv = v128.load(p + o);
    const top = f32x4.eq(xv, m);
    const e = v128.andnot(vexp(f32x4.sub(xv, m)), top);
    ties = i32x4.sub(ties, top);
    s0 = f64x2.add(s0, f64Lo(e));
    s1 = f64x2.add(s1, f64Hi(e));
  }
  if (o < bytes) {
    const b = bytes - o;
    const xv = loadTail(p + o, b);
    const valid = tailMask(b);
    const top = v128.and(f32x4.eq(xv, m), valid);
    const e = v128.and(v128.andnot(vexp(f32x4.sub(xv, m)), top), valid);
    ties = i32x4.sub(ties, top);
    s0 = f64x2.add(s0, f64Lo(e));
    s1 = f64x2.add(s1, f64Hi(e));
  }
  const s = f64x2.add(s0, s1);
  const n = i32x4.extract_lane(ties, 0) + i32x4.extract_lane(ties, 1) + i32x4.extract_lane(ties, 2) + i32x4.extract_lane(ties, 3);
  return Math.log1p(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1) + <f64>(n - 1));
}

/** Softmax over each row: y = e^(x − max)/Σ e^(x − max). Rows are contiguous, `cols` floats each. y may alias x. */
export function f32_softmax(rows: i32, cols: i32, x: usize, y: usize): void {
  if (rows <= 0 || cols <= 0) return;
  const bytes = <usize>cols << 2;
  const vend = bytes & ~15;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * bytes;
    const yr = y + <usize>r * bytes;
    const m = f32x4.splat(rowMax(xr, bytes));
    const s = f32x4.splat(<f32>rowSumExp(xr, yr, bytes, m));
    let o: usize = 0;
    for (; o < vend; o += 16) v128.store(yr + o, f32x4.div(v128.load(yr + o), s));
    if (o < bytes) storeTail(yr + o, f32x4.div(loadTail(yr + o, bytes - o), s), bytes - o);
  }
}

/** Softmax backward from its output: dx = y·(dy − Σ_j dy_j·y_j) per row. dx may alias dy. */
export function f32_softmax_grad(rows: i32, cols: i32, y: usize, dy: usize, dx: usize): void {
  if (rows <= 0 || cols <= 0) return;
  const bytes = <usize>cols << 2;
  const vend = bytes & ~15;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * bytes;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    let o: usize = 0;
    for (; o < vend; o += 16) {
      const yv = v128.load(yr + o);
      const g = v128.load(dyr + o);
      s0 = f64x2.add(s0, f64x2.mul(f64Lo(yv), f64Lo(g)));
      s1 = f64x2.add(s1, f64x2.mul(f64Hi(yv), f64Hi(g)));
    }
    if (o < bytes) {
      const yv = loadTail(yr + o, bytes - o); // padding lanes are 0·0
      const g = loadTail(dyr + o, bytes - o);
      s0 = f64x2.add(s0, f64x2.mul(f64Lo(yv), f64Lo(g)));
      s1 = f64x2.add(s1, f64x2.mul(f64Hi(yv), f64Hi(g)));
    }
    const sv = f64x2.add(s0, s1);
    const s = f32x4.splat(<f32>(f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1)));
    for (o = 0; o < vend; o += 16) {
      v128.store(dxr + o, f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), s)));
    }
    if (o < bytes) {
      const b = bytes - o;
      storeTail(dxr + o, f32x4.mul(loadTail(yr + o, b), f32x4.sub(loadTail(dyr + o, b), s)), b);
    }
  }
}

/** Log-softmax over each row: y = x − max − log Σ e^(x − max). y may alias x. */
export function f32_log_softmax(rows: i32, cols: i32, x: usize, y: usize): void {
  if (rows <= 0 || cols <= 0) return;
  const bytes = <usize>cols << 2;
  const vend = bytes & ~15;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * bytes;
    const yr = y + <usize>r * bytes;
    const m = f32x4.splat(rowMax(xr, bytes));
    const l = f32x4.splat(<f32>rowLogSumExp(xr, bytes, m));
    let o: usize = 0;
    for (; o < vend; o += 16) v128.store(yr + o, f32x4.sub(f32x4.sub(v128.load(xr + o), m), l));
    if (o < bytes) {
      const b = bytes - o;
      storeTail(yr + o, f32x4.sub(f32x4.sub(loadTail(xr + o, b), m), l), b);
    }
  }
}

/** Log-softmax backward from its output: dx = dy − e^y·Σ_j dy_j per row. dx may alias dy. */
export function f32_log_softmax_grad(rows: i32, cols: i32, y: usize, dy: usize, dx: usize): void {
  if (rows <= 0 || cols <= 0) return;
  const bytes = <usize>cols << 2;
  const vend = bytes & ~15;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * bytes;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    let o: usize = 0;
    for (; o < vend; o += 16) {
      const g = v128.load(dyr + o);
      s0 = f64x2.add(s0, f64Lo(g));
      s1 = f64x2.add(s1, f64Hi(g));
    }
    if (o < bytes) {
      const g = loadTail(dyr + o, bytes - o);
      s0 = f64x2.add(s0, f64Lo(g));
      s1 = f64x2.add(s1, f64Hi(g));
    }
    const sv = f64x2.add(s0, s1);
    const s = f32x4.splat(<f32>(f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1)));
    for (o = 0; o < vend; o += 16) {
      const p = f32x4.mul(vexp(v128.load(yr + o)), s);
      v128.store(dxr + o, f32x4.sub(v128.load(dyr + o), p));
    }
    if (o < bytes) {
      const b = bytes - o;
      const p = f32x4.mul(vexp(loadTail(yr + o, b)), s);
      storeTail(dxr + o, f32x4.sub(loadTail(dyr + o, b), p), b);
    }
  }
}

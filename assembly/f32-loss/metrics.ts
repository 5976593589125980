// Metric kernels: match counts and sums of differences; the TS side divides by the count.
//
// Semantics follow Keras 3 keras/src/metrics/accuracy_metrics.py (categorical_accuracy:
// argmax(y) == argmax(p); sparse_categorical_accuracy: y == argmax(p); binary_accuracy:
// y == cast(p > threshold)) and keras/src/losses/losses.py for |p − y| and (p − y)².
// argmax returns the first maximum (as numpy/TF do on ties; the first NaN if the row has one).

import { rowMax } from './math';

/** Index of the first maximum of a row of n > 0 floats (first NaN if any). */
// @ts-ignore: decorator
@inline function rowArgmax(x: usize, n: i32): i32 {
  const m = rowMax(x, n);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const vm = f32x4.splat(m);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    const bits = i32x4.bitmask(f32x4.eq(v128.load(x + o), vm));
    if (bits != 0) return <i32>(o >> 2) + ctz<i32>(bits);
  }
  for (; o < end; o += 4) {
    if (load<f32>(x + o) == m) return <i32>(o >> 2);
  }
  for (o = 0; o < end; o += 4) {
    const v = load<f32>(x + o);
    if (v != v) return <i32>(o >> 2);
  }
  return 0;
}

/** Rows r < rows where argmax(p[r, :]) == argmax(y[r, :]), first maximum on ties (categorical_accuracy). rows × cols. */
export function f32_count_argmax_match(rows: i32, cols: i32, p: usize, y: usize): i32 {
  if (rows <= 0 || cols <= 0) return 0;
  const rowBytes = <usize>cols << 2;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    if (rowArgmax(p + off, cols) == rowArgmax(y + off, cols)) count++;
  }
  return count;
}

/** Rows r < rows where f32(argmax(p[r, :])) == labels[r] (sparse_categorical_accuracy). p is rows × cols. */
export function f32_count_sparse_match(rows: i32, cols: i32, p: usize, labels: usize): i32 {
  if (rows <= 0 || cols <= 0) return 0;
  const rowBytes = <usize>cols << 2;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    if (<f32>rowArgmax(p + <usize>r * rowBytes, cols) == load<f32>(labels + (<usize>r << 2))) count++;
  }
  return count;
}

/** Elements i < n where y[i] == (p[i] > threshold ? 1 : 0) (binary_accuracy; y is 0/1). */
export function f32_count_binary_match(n: i32, p: usize, y: usize, threshold: f32): i32 {
  if (n <= 0) return 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const vt = f32x4.splat(threshold);
  const one = f32x4.splat(1.0);
  let acc = i32x4.splat(0);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    const pred = v128.and(f32x4.gt(v128.load(p + o), vt), one);
    acc = i32x4.sub(acc, f32x4.eq(v128.load(y + o), pred)); // true lanes are -1
  }
  let count = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; o < end; o += 4) {
    const pred: f32 = load<f32>(p + o) > threshold ? 1 : 0;
    if (load<f32>(y + o) == pred) count++;
  }
  return count;
}

/** Σ_{i<n} |p[i] − y[i]|: f32 differences, summed in f64 (2×f64x2 lanes, then the tail). */
export function f32_sum_abs_diff(n: i32, p: usize, y: usize): f64 {
  if (n <= 0) return 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    const d = f32x4.abs(f32x4.sub(v128.load(p + o), v128.load(y + o)));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(d));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1)));
  }
  const t = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; o < end; o += 4) s += <f64>abs<f32>(load<f32>(p + o) - load<f32>(y + o));
  return s;
}

/** Σ_{i<n} (p[i] − y[i])²: f32 squares, summed in f64 (2×f64x2 lanes, then the tail). */
export function f32_sum_sq_diff(n: i32, p: usize, y: usize): f64 {
  if (n <= 0) return 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    const e = f32x4.sub(v128.load(p + o), v128.load(y + o));
    const d = f32x4.mul(e, e);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(d));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1)));
  }
  const t = f64x2.add(lo, hi);
  let s = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; o < end; o += 4) {
    const e = load<f32>(p + o) - load<f32>(y + o);
    s += <f64>(e * e);
  }
  return s;
}

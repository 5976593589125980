// The ReLU of Keras 3's `ReLU` layer with all its arguments (keras/src/activations/activations.py
// `relu(x, negative_slope, max_value, threshold)`), also ThresholdedReLU (negative_slope 0,
// no max_value, threshold theta):
//   f(x) = min(x, max_value)                 for x > threshold
//   f(x) = negative_slope·(x − threshold)    otherwise (0 when negative_slope is 0, also at −inf)
// max_value = +inf means none. The layers call f32_vrelu / f32_vrelu6 / f32_vleaky_relu where
// the arguments reduce to them. Backward: dx = dy·f'(x) with f' = 1 on (threshold, max_value),
// 0 at and above max_value, negative_slope at and below the threshold (at a kink, the side the
// plain kernels take: relu'(0) = 0, leaky'(0) = alpha, relu6'(6) = 0). NaN in x gives NaN.

import { loadTail, storeTail } from './tail';

/** d with every lane where x is NaN replaced by NaN (all-ones bits). */
// @ts-ignore: decorator
@inline function nanFrom(d: v128, x: v128): v128 {
  return v128.or(d, f32x4.ne(x, x));
}

/** f(x); `keep` is all-ones when negative_slope ≠ 0 (else the negative side is 0, not 0·(−inf)). */
// @ts-ignore: decorator
@inline function reluExt4(x: v128, hi: v128, slope: v128, thr: v128, keep: v128): v128 {
  const pos = f32x4.pmin(x, hi); // hi < x ? hi : x; NaN x stays NaN
  const neg = nanFrom(v128.and(f32x4.mul(slope, f32x4.sub(x, thr)), keep), x);
  return v128.bitselect(pos, neg, f32x4.gt(x, thr));
}

// @ts-ignore: decorator
@inline function reluExtDeriv4(x: v128, hi: v128, slope: v128, thr: v128): v128 {
  const inside = v128.and(f32x4.lt(x, hi), f32x4.splat(1.0));
  return nanFrom(v128.bitselect(inside, slope, f32x4.gt(x, thr)), x);
}

/**
 * y[i] = f(x[i]) (see above), i < n. y may alias x. max_value ≥ 0 (+inf: none), negative_slope
 * ≥ 0, threshold ≥ 0, as the layers check.
 */
export function f32_vrelu_ext(n: i32, x: usize, y: usize, max_value: f32, negative_slope: f32, threshold: f32): void {
  if (n <= 0) return;
  const hi = f32x4.splat(max_value);
  const slope = f32x4.splat(negative_slope);
  const thr = f32x4.splat(threshold);
  const keep = negative_slope != 0 ? i32x4.splat(-1) : i32x4.splat(0);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, reluExt4(v128.load(x + o), hi, slope, thr, keep));
  if (o < end) storeTail(y + o, reluExt4(loadTail(x + o, end - o), hi, slope, thr, keep), end - o);
}

/** dx[i] = dy[i]·f'(x[i]) (see above), i < n. dx may alias dy. */
export function f32_vrelu_ext_grad(n: i32, x: usize, dy: usize, dx: usize, max_value: f32, negative_slope: f32, threshold: f32): void {
  if (n <= 0) return;
  const hi = f32x4.splat(max_value);
  const slope = f32x4.splat(negative_slope);
  const thr = f32x4.splat(threshold);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), reluExtDeriv4(v128.load(x + o), hi, slope, thr)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), reluExtDeriv4(loadTail(x + o, b), hi, slope, thr)), b);
  }
}

// tanh and softsign (Keras 3, keras/src/activations/activations.py).
// tanh(|x|) = −m/(m + 2) with m = e^(−2|x|) − 1 ∈ (−1, 0] from vexpm1 (no cancellation: m + 2
// ∈ (1, 2]), sign restored from x: relative accuracy holds down to subnormal x (m = −2|x|
// exactly there) and the result reaches ±1 for large |x| by itself. The derivative is formed
// from x as 4e/(1 + e)², e = e^(−2|x|) (1 − y² loses every digit once y rounds to ±1), with the
// rational part in f64x2 and one final rounding; softsign's derivative likewise.
// Forward: y may alias x. Backward: dx may alias dy.

import { vexpm1, expNegShifted4, shiftScale2 } from './exp';
import { loadTail, storeTail, f64Lo, f64Hi, f32From } from './tail';

const FLT_MAX: f32 = 3.4028234663852886e38;

// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const a = v128.andnot(x, f32x4.splat(-0.0)); // |x|
  const m = vexpm1(f32x4.mul(a, f32x4.splat(-2.0)));
  const t = f32x4.div(m, f32x4.add(m, f32x4.splat(2.0))); // −tanh|x| (or ±0)
  const sign = f32x4.splat(-0.0);
  return v128.or(v128.andnot(t, sign), v128.and(x, sign));
}

/** dy·4e/(1 + e)² for one f64x2 half. */
// @ts-ignore: decorator
@inline function tanhGrad2(e: v128, dy: v128): v128 {
  const d = f64x2.add(e, f64x2.splat(1.0));
  return f64x2.div(f64x2.mul(dy, f64x2.mul(e, f64x2.splat(4.0))), f64x2.mul(d, d));
}

// @ts-ignore: decorator
@inline function tanhGrad4(x: v128, dy: v128): v128 {
  const a2 = v128.andnot(f32x4.add(x, x), f32x4.splat(-0.0)); // 2|x|
  const e = expNegShifted4(a2); // e^(−2|x|), kept normal (with shiftScale2) where 4e·dy must keep its digits
  const lo = tanhGrad2(f64x2.mul(f64Lo(e), shiftScale2(f64Lo(a2))), f64Lo(dy));
  const hi = tanhGrad2(f64x2.mul(f64Hi(e), shiftScale2(f64Hi(a2))), f64Hi(dy));
  return f32From(lo, hi);
}

/** tanh (Keras `tanh`): y[i] = tanh(x[i]), i < n. y may alias x; `alpha` unused. */
export function f32_vtanh(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, tanh4(v128.load(x + o)));
  if (o < end) storeTail(y + o, tanh4(loadTail(x + o, end - o)), end - o);
}

/** tanh backward: dx[i] = dy[i]·(1 − tanh²(x[i])), formed from x. dx may alias dy; `y`, `alpha` unused. */
export function f32_vtanh_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, tanhGrad4(v128.load(x + o), v128.load(dy + o)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, tanhGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

/** |x| clamped to FLT_MAX (so softsign(±inf) = ±1, not NaN), plus 1. NaN stays NaN. */
// @ts-ignore: decorator
@inline function softsignDen4(x: v128): v128 {
  const a = f32x4.pmin(v128.andnot(x, f32x4.splat(-0.0)), f32x4.splat(FLT_MAX));
  return f32x4.add(a, f32x4.splat(1.0));
}

// @ts-ignore: decorator
@inline function softsign4(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(FLT_MAX)), f32x4.splat(-FLT_MAX));
  return f32x4.div(xc, softsignDen4(x));
}

/** Softsign (Keras `softsign`): y[i] = x[i]/(1 + |x[i]|). y may alias x; `alpha` unused. */
export function f32_vsoftsign(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, softsign4(v128.load(x + o)));
  if (o < end) storeTail(y + o, softsign4(loadTail(x + o, end - o)), end - o);
}

/** dy/(1 + |x|)² for one f64x2 half (1 + |x| and its square are exact or nearly so in f64). */
// @ts-ignore: decorator
@inline function softsignGrad2(x: v128, dy: v128): v128 {
  const d = f64x2.add(f64x2.abs(x), f64x2.splat(1.0));
  return f64x2.div(dy, f64x2.mul(d, d));
}

// @ts-ignore: decorator
@inline function softsignGrad4(x: v128, dy: v128): v128 {
  return f32From(softsignGrad2(f64Lo(x), f64Lo(dy)), softsignGrad2(f64Hi(x), f64Hi(dy)));
}

/** Softsign backward: dx[i] = dy[i]/(1 + |x[i]|)². dx may alias dy; `y`, `alpha` unused. */
export function f32_vsoftsign_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(dx + o, softsignGrad4(v128.load(x + o), v128.load(dy + o)));
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, softsignGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

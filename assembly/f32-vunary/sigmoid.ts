// Logistic-family activations (Keras 3, keras/src/activations/activations.py): sigmoid,
// swish (= silu), softplus, exponential. All are built on e = e^−|x| ∈ [0, 1], so nothing
// overflows and both σ(x) = 1/(1+e) or e/(1+e) and 1 − σ(x) (the other one) keep relative
// accuracy; derivatives are formed from x for the same reason (y·(1 − y) loses all digits
// of σ'(x) once y rounds to 1). e comes from the f32x4 vexp; where several roundings would
// stack up (the derivatives, swish, softplus) the rational part runs in f64x2 and the result
// is rounded once, leaving the error of e (≤ 1 ulp) plus half an ulp.
// Forward: y may alias x. Backward: dx may alias dy.

import { vexp, expNegShifted4, shiftScale2 } from './exp';
import { loadTail, storeTail, f64Lo, f64Hi, f32From } from './tail';

const FLT_MAX: f32 = 3.4028234663852886e38;

/** e^−|x| lane-wise. */
// @ts-ignore: decorator
@inline function expNegAbs4(x: v128): v128 {
  return vexp(v128.or(x, f32x4.splat(-0.0)));
}

/** σ(x) = 1/(1 + e^−x), computed as (x < 0 ? e : 1)/(1 + e) with e = e^−|x|. */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const e = expNegAbs4(x);
  const num = v128.bitselect(e, f32x4.splat(1.0), f32x4.lt(x, f32x4.splat(0.0)));
  return f32x4.div(num, f32x4.add(e, f32x4.splat(1.0)));
}

/** dy·σ'(x) = dy·e/(1 + e)² for one f64x2 half, e = e^−|x|. */
// @ts-ignore: decorator
@inline function sigmoidGrad2(e: v128, dy: v128): v128 {
  const d = f64x2.add(e, f64x2.splat(1.0));
  return f64x2.div(f64x2.mul(dy, e), f64x2.mul(d, d));
}

// @ts-ignore: decorator
@inline function sigmoidGrad4(x: v128, dy: v128): v128 {
  const e = expNegAbs4(x);
  return f32From(sigmoidGrad2(f64Lo(e), f64Lo(dy)), sigmoidGrad2(f64Hi(e), f64Hi(dy)));
}

/** Sigmoid (Keras `sigmoid`): y[i] = 1/(1 + e^−x[i]), i < n. y may alias x; `alpha` unused. */
export function f32_vsigmoid(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, sigmoid4(v128.load(x + o)));
  if (o < end) storeTail(y + o, sigmoid4(loadTail(x + o, end - o)), end - o);
}

/** Sigmoid backward: dx[i] = dy[i]·σ(x)·(1 − σ(x)), from x (= y·(1 − y)). dx may alias dy; `y`, `alpha` unused. */
export function f32_vsigmoid_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, sigmoidGrad4(v128.load(x + o), v128.load(dy + o)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, sigmoidGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

/** x·σ(x) = x·(x < 0 ? e : 1)/(1 + e) for one f64x2 half. */
// @ts-ignore: decorator
@inline function swish2(x: v128, e: v128): v128 {
  const num = v128.bitselect(e, f64x2.splat(1.0), f64x2.lt(x, f64x2.splat(0.0)));
  return f64x2.div(f64x2.mul(x, num), f64x2.add(e, f64x2.splat(1.0)));
}

// @ts-ignore: decorator
@inline function swish4(x: v128): v128 {
  const xc = f32x4.pmax(x, f32x4.splat(-FLT_MAX)); // −inf·σ(−inf) would be NaN; the limit is −0
  const a = v128.andnot(xc, f32x4.splat(-0.0));
  const e = expNegShifted4(a);
  const lo = swish2(f64Lo(xc), f64x2.mul(f64Lo(e), shiftScale2(f64Lo(a))));
  const hi = swish2(f64Hi(xc), f64x2.mul(f64Hi(e), shiftScale2(f64Hi(a))));
  return f32From(lo, hi);
}

/** dy·swish'(x) = dy·s·(1 + x·(1 − s)) for one f64x2 half, with s and 1 − s formed directly from e. */
// @ts-ignore: decorator
@inline function swishGrad2(x: v128, e: v128, dy: v128): v128 {
  const inv = f64x2.div(f64x2.splat(1.0), f64x2.add(e, f64x2.splat(1.0)));
  const es = f64x2.mul(e, inv);
  const neg = f64x2.lt(x, f64x2.splat(0.0));
  const s = v128.bitselect(es, inv, neg);
  const sm = v128.bitselect(inv, es, neg);
  return f64x2.mul(dy, f64x2.add(s, f64x2.mul(f64x2.mul(s, x), sm)));
}

// @ts-ignore: decorator
@inline function swishGrad4(x: v128, dy: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(FLT_MAX)), f32x4.splat(-FLT_MAX));
  const a = v128.andnot(xc, f32x4.splat(-0.0));
  const e = expNegShifted4(a);
  const lo = swishGrad2(f64Lo(xc), f64x2.mul(f64Lo(e), shiftScale2(f64Lo(a))), f64Lo(dy));
  const hi = swishGrad2(f64Hi(xc), f64x2.mul(f64Hi(e), shiftScale2(f64Hi(a))), f64Hi(dy));
  return f32From(lo, hi);
}

/** Swish / SiLU (Keras `swish`, alias `silu`): y[i] = x[i]·σ(x[i]). y may alias x; `alpha` unused. */
export function f32_vswish(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, swish4(v128.load(x + o)));
  if (o < end) storeTail(y + o, swish4(loadTail(x + o, end - o)), end - o);
}

/** Swish backward: dx[i] = dy[i]·(s + x·s·(1 − s)), s = σ(x[i]). dx may alias dy; `y`, `alpha` unused. */
export function f32_vswish_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, swishGrad4(v128.load(x + o), v128.load(dy + o)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, swishGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

// log1p(e) = 2·atanh(s) = 2s·L(s²) with s = e/(2 + e) ∈ [0, 1/3]; L(w) ≈ atanh(√w)/√w on
// [0, 1/9], degree 4, fitted (relative least squares): error 7.6e-9 relative.
const L1: f64 = 0.3333316147327423;
const L2: f64 = 0.20012325048446655;
const L3: f64 = 0.13982172310352325;
const L4: f64 = 0.14080727100372314;

/** max(x, 0) + log1p(e) for one f64x2 half. */
// @ts-ignore: decorator
@inline function softplus2(x: v128, e: v128): v128 {
  const s = f64x2.div(e, f64x2.add(e, f64x2.splat(2.0)));
  const w = f64x2.mul(s, s);
  let l = f64x2.add(f64x2.mul(f64x2.splat(L4), w), f64x2.splat(L3));
  l = f64x2.add(f64x2.mul(l, w), f64x2.splat(L2));
  l = f64x2.add(f64x2.mul(l, w), f64x2.splat(L1));
  l = f64x2.add(f64x2.mul(l, w), f64x2.splat(1.0));
  return f64x2.add(f64x2.pmax(x, f64x2.splat(0.0)), f64x2.mul(f64x2.add(s, s), l)); // pmax keeps NaN
}

// @ts-ignore: decorator
@inline function softplus4(x: v128): v128 {
  const e = expNegAbs4(x);
  return f32From(softplus2(f64Lo(x), f64Lo(e)), softplus2(f64Hi(x), f64Hi(e)));
}

/** dy·σ(x) = dy·(x < 0 ? e : 1)/(1 + e) for one f64x2 half. */
// @ts-ignore: decorator
@inline function sigmoidTimes2(x: v128, e: v128, dy: v128): v128 {
  const num = v128.bitselect(e, f64x2.splat(1.0), f64x2.lt(x, f64x2.splat(0.0)));
  return f64x2.div(f64x2.mul(dy, num), f64x2.add(e, f64x2.splat(1.0)));
}

// @ts-ignore: decorator
@inline function softplusGrad4(x: v128, dy: v128): v128 {
  const e = expNegAbs4(x);
  return f32From(sigmoidTimes2(f64Lo(x), f64Lo(e), f64Lo(dy)), sigmoidTimes2(f64Hi(x), f64Hi(e), f64Hi(dy)));
}

/** Softplus (Keras `softplus`): y[i] = log(1 + e^x[i]) = max(x, 0) + log1p(e^−|x|). y may alias x; `alpha` unused. */
export function f32_vsoftplus(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, softplus4(v128.load(x + o)));
  if (o < end) storeTail(y + o, softplus4(loadTail(x + o, end - o)), end - o);
}

/** Softplus backward: dx[i] = dy[i]·σ(x[i]). dx may alias dy; `y`, `alpha` unused. */
export function f32_vsoftplus_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, softplusGrad4(v128.load(x + o), v128.load(dy + o)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, softplusGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

/** Exponential (Keras `exponential`): y[i] = e^x[i] (vexp, ≤ 1 ulp). y may alias x; `alpha` unused. */
export function f32_vexponential(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, vexp(v128.load(x + o)));
  if (o < end) storeTail(y + o, vexp(loadTail(x + o, end - o)), end - o);
}

/** Exponential backward: dx[i] = dy[i]·y[i] (y = e^x is its own derivative). dx may alias dy; `x`, `alpha` unused. */
export function f32_vexponential_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(dx + o, f32x4.mul(v128.load(dy + o), v128.load(y + o)));
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), loadTail(y + o, b)), b);
  }
}

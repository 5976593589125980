// Exponential linear units (Keras 3, keras/src/activations/activations.py): elu, selu.
// The negative branch uses vexpm1, so it keeps relative accuracy next to 0; the backward
// pass rebuilds alpha·e^x from x rather than y + alpha, which cancels for x ≪ 0.
// Forward: y may alias x. Backward: dx may alias dy; NaN in x or dy gives NaN.

import { vexp, vexpm1 } from './exp';
import { loadTail, storeTail } from './tail';

/** Keras `selu` constants (Klambauer et al. 2017, "Self-Normalizing Neural Networks"). */
const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;
const SELU_SCALE: f64 = 1.0507009873554804934193349852946;
const SELU_SCALE32: f32 = <f32>SELU_SCALE;
const SELU_SA32: f32 = <f32>(SELU_SCALE * SELU_ALPHA); // scale·alpha, rounded once

// @ts-ignore: decorator
@inline function elu4(x: v128, a: v128): v128 {
  return v128.bitselect(x, f32x4.mul(a, vexpm1(x)), f32x4.gt(x, f32x4.splat(0.0)));
}

// @ts-ignore: decorator
@inline function eluDeriv4(x: v128, a: v128): v128 {
  return v128.bitselect(f32x4.splat(1.0), f32x4.mul(a, vexp(x)), f32x4.gt(x, f32x4.splat(0.0)));
}

/** ELU (Keras `elu`): y[i] = x[i] > 0 ? x[i] : alpha·(e^x[i] − 1), i < n. y may alias x. */
export function f32_velu(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const a = f32x4.splat(alpha);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, elu4(v128.load(x + o), a));
  if (o < end) storeTail(y + o, elu4(loadTail(x + o, end - o), a), end - o);
}

/** ELU backward: dx[i] = dy[i]·(x[i] > 0 ? 1 : alpha·e^x[i]) (= y + alpha). dx may alias dy; `y` unused. */
export function f32_velu_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const a = f32x4.splat(alpha);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), eluDeriv4(v128.load(x + o), a)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), eluDeriv4(loadTail(x + o, b), a)), b);
  }
}

// @ts-ignore: decorator
@inline function selu4(x: v128): v128 {
  const pos = f32x4.mul(f32x4.splat(SELU_SCALE32), x);
  const neg = f32x4.mul(f32x4.splat(SELU_SA32), vexpm1(x));
  return v128.bitselect(pos, neg, f32x4.gt(x, f32x4.splat(0.0)));
}

// @ts-ignore: decorator
@inline function seluDeriv4(x: v128): v128 {
  const neg = f32x4.mul(f32x4.splat(SELU_SA32), vexp(x));
  return v128.bitselect(f32x4.splat(SELU_SCALE32), neg, f32x4.gt(x, f32x4.splat(0.0)));
}

/** SELU (Keras `selu`): y[i] = scale·elu(x[i], alpha0), alpha0 ≈ 1.6733, scale ≈ 1.0507. y may alias x; `alpha` unused. */
export function f32_vselu(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, selu4(v128.load(x + o)));
  if (o < end) storeTail(y + o, selu4(loadTail(x + o, end - o)), end - o);
}

/** SELU backward: dx[i] = dy[i]·(x[i] > 0 ? scale : scale·alpha0·e^x[i]). dx may alias dy; `y`, `alpha` unused. */
export function f32_vselu_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), seluDeriv4(v128.load(x + o))));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), seluDeriv4(loadTail(x + o, b))), b);
  }
}

// Proximal L1 step (soft-thresholding) after an optimizer update, for
// `km.regularizers.l1({ l1, proximal: true })`: the L1 term leaves the gradient and each update
// is followed by w ← sign(w)·max(|w| − τ, 0), the proximal operator of τ·|w| (lasso:
// Tibshirani 1996; proximal gradient / ISTA: Daubechies, Defrise & De Mol 2004). τ = λ × the
// step size the optimizer applied to that coordinate, so adaptive optimizers threshold per
// coordinate (proximal Adagrad: Duchi, Hazan & Singer 2011, JMLR 12, §5).
//
// One kernel per way an optimizer scales its step; each reads the state the update just wrote:
//   SGD, momentum SGD:  τ = λ·lr                       f32_prox_l1
//   Adam (AMSGrad: v̂):  τ = λ·lrT/(√v + ε)             f32_prox_l1_adam
//   RMSprop, Adagrad:   τ = λ·lr/√(v [− mg²] + ε)      f32_prox_l1_rms
//   FTRL:               τ = λ·lr/(acc^(−p) + 2·l2·lr)  f32_prox_l1_ftrl
//
// |w| ≤ τ gives +0 exactly (never −0); NaN in w stays NaN. The tail runs the body's operations
// on one broadcast element (f32-optim/common.ts), so body and tail agree bit for bit.

import { ld, st } from '../f32-optim/common';

// @ts-ignore: decorator
@inline function shrink(w: v128, tau: v128): v128 {
  const a = f32x4.abs(w);
  const keep = v128.not(f32x4.le(a, tau));                       // |w| > τ, or w NaN
  const signed = v128.or(f32x4.sub(a, tau), v128.and(w, i32x4.splat(0x80000000))); // copysign(|w| − τ, w)
  return v128.and(signed, keep);
}

/** w[i] ← sign(w[i])·max(|w[i]| − τ, 0), i < n, τ ≥ 0 one scalar (SGD: τ = λ·lr). In place. */
export function f32_prox_l1(n: i32, w: usize, tau: f32): void {
  if (n <= 0) return;
  const vt = f32x4.splat(tau);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) st(w + o, shrink(ld(w + o, false), vt), false);
  for (; o < end; o += 4) st(w + o, shrink(ld(w + o, true), vt), true);
}

/** Adam: τ_i = c/(√v[i] + ε) with c = λ·lrT (lrT the bias-corrected step size); v is v̂ for AMSGrad. w in place; v read only. */
export function f32_prox_l1_adam(n: i32, w: usize, v: usize, c: f32, eps: f32): void {
  if (n <= 0) return;
  const vc = f32x4.splat(c);
  const ve = f32x4.splat(eps);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) adamAt(w + o, v + o, vc, ve, false);
  for (; o < end; o += 4) adamAt(w + o, v + o, vc, ve, true);
}

// @ts-ignore: decorator
@inline function adamAt(w: usize, v: usize, vc: v128, ve: v128, one: bool): void {
  const tau = f32x4.div(vc, f32x4.add(f32x4.sqrt(ld(v, one)), ve));
  st(w, shrink(ld(w, one), tau), one);
}

/**
 * RMSprop and Adagrad: τ_i = c/√d_i with c = λ·lr, d = (v[i] − mg[i]²) + ε when mg ≠ 0 (centered
 * RMSprop), else v[i] + ε (v: RMSprop's v or Adagrad's accumulator). w in place; v, mg read only.
 */
export function f32_prox_l1_rms(n: i32, w: usize, v: usize, mg: usize, c: f32, eps: f32): void {
  if (n <= 0) return;
  const vc = f32x4.splat(c);
  const ve = f32x4.splat(eps);
  const centered = mg != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) rmsAt(w + o, v + o, mg + o, vc, ve, centered, false);
  for (; o < end; o += 4) rmsAt(w + o, v + o, mg + o, vc, ve, centered, true);
}

// @ts-ignore: decorator
@inline function rmsAt(w: usize, v: usize, mg: usize, vc: v128, ve: v128, centered: bool, one: bool): void {
  let d = ld(v, one);
  if (centered) {
    const m = ld(mg, one);
    d = f32x4.sub(d, f32x4.mul(m, m));
  }
  const tau = f32x4.div(vc, f32x4.sqrt(f32x4.add(d, ve)));
  st(w, shrink(ld(w, one), tau), one);
}

/**
 * FTRL: τ_i = c/(acc[i]^e + d) with c = λ·lr, e = −learning_rate_power, d = 2·l2_reg·lr (the
 * reciprocal of FTRL's `quadratic`, times λ). e = 0.5 uses √; other powers call Mathf.pow per
 * lane. w in place; acc read only.
 */
export function f32_prox_l1_ftrl(n: i32, w: usize, acc: usize, c: f32, d: f32, e: f32): void {
  if (n <= 0) return;
  const vc = f32x4.splat(c);
  const vd = f32x4.splat(d);
  const sq = e == 0.5;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) ftrlProxAt(w + o, acc + o, vc, vd, e, sq, false);
  for (; o < end; o += 4) ftrlProxAt(w + o, acc + o, vc, vd, e, sq, true);
}

// @ts-ignore: decorator
@inline function ftrlProxAt(w: usize, acc: usize, vc: v128, vd: v128, e: f32, sq: bool, one: bool): void {
  const tau = f32x4.div(vc, f32x4.add(powv(ld(acc, one), e, sq), vd));
  st(w, shrink(ld(w, one), tau), one);
}

/** x^e lane-wise: f32x4.sqrt when sq (e = 0.5), else Mathf.pow per lane. */
// @ts-ignore: decorator
@inline export function powv(x: v128, e: f32, sq: bool): v128 {
  if (sq) return f32x4.sqrt(x);
  let r = f32x4.splat(Mathf.pow(f32x4.extract_lane(x, 0), e));
  r = f32x4.replace_lane(r, 1, Mathf.pow(f32x4.extract_lane(x, 1), e));
  r = f32x4.replace_lane(r, 2, Mathf.pow(f32x4.extract_lane(x, 2), e));
  r = f32x4.replace_lane(r, 3, Mathf.pow(f32x4.extract_lane(x, 3), e));
  return r;
}

/** Number of i < n with x[i] == 0 (+0 or −0), for `km.sparsity`. */
export function f32_count_zeros(n: i32, x: usize): i32 {
  if (n <= 0) return 0;
  const zero = f32x4.splat(0);
  let acc = i32x4.splat(0);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) acc = i32x4.sub(acc, f32x4.eq(v128.load(x + o), zero)); // lanes of −1 where zero
  let c = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  for (; o < end; o += 4) if (load<f32>(x + o) == 0) c++;
  return c;
}

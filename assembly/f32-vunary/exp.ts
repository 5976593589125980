// Vectorized exponentials, shared by the kernel families (`import { vexp } from '../f32-vunary/exp'`).
//
// vexp:    f32x4 e^x, ≤ 1 ulp measured (see test/kernels/f32-vunary.test.ts, `exponential`).
// vexpm1:  f32x4 e^x − 1, relative accuracy kept near 0 (ELU, SELU, tanh).
// vexp_f64x2: f64x2 e^x on [−200, 200] with ~1e-13 relative error, for kernels that compute
//          in f64 and round once to f32 (GELU).
// expNegShifted4/shiftScale2: e^−a split so the f32 part stays normal (swish, tanh').
//
// Method (Cody–Waite, as in Cephes/XNNPACK "rr2"): x = k·ln2 + r with k = round(x·log2 e)
// and |r| ≤ ln2/2 + tiny, r = (x − k·LN2_HI) − k·LN2_LO where LN2_HI has 9 significant
// bits so k·LN2_HI and the first subtraction are exact. e^r = 1 + r + r²·q(r), q a degree-5
// polynomial fitted (relative least squares on Chebyshev nodes) to (e^r − 1 − r)/r² on
// [−0.35, 0.35]: fit error 1.1e-8 relative to q, i.e. < 0.01 ulp of e^r. The result is
// scaled by 2^k through the exponent bits in two halves, 2^⌊k/2⌋·2^(k−⌊k/2⌋), so that
// k = 128 (x up to ln FLT_MAX) and subnormal results (x down to −103.97) round once.

import { vfma } from '../shared/simd';

const LOG2E: f32 = 1.4426950408889634; // log2(e), rounds to 0x3fb8aa3b
const LN2_HI: f32 = 0.693359375;       // 0x3f318000: 9 significant bits
const LN2_LO: f32 = -2.1219444005469058e-4; // ln 2 − LN2_HI
const MAGIC: f32 = 12582912.0;         // 1.5·2^23: t = x·log2e + MAGIC holds round(x·log2e) in its low bits
const MAGIC_BITS: i32 = 0x4b400000;
const X_MAX: f32 = 89.0;               // e^89 = +inf; clamping keeps k ≤ 128
const X_MIN: f32 = -104.0;             // e^-104 < 2^-150 rounds to 0; clamping keeps k ≥ −150
const XM1_MIN: f32 = -86.0;            // e^-86 − 1 = −1 in f32; keeps 2^(k−1) normal in vexpm1

// q(r) ≈ (e^r − 1 − r)/r², r ∈ [−0.35, 0.35]
const Q0: f32 = 0.5;
const Q1: f32 = 0.1666666716337204;
const Q2: f32 = 0.041666459292173386;
const Q3: f32 = 0.008333374746143818;
const Q4: f32 = 0.0013934469316154718;
const Q5: f32 = 0.00019849682576023042;

/** e^r − 1 = r + r²·q(r) for |r| ≤ 0.35 (the shared polynomial core). */
// @ts-ignore: decorator
@inline function expm1Core(r: v128): v128 {
  let q = vfma(f32x4.splat(Q5), r, f32x4.splat(Q4));
  q = vfma(q, r, f32x4.splat(Q3));
  q = vfma(q, r, f32x4.splat(Q2));
  q = vfma(q, r, f32x4.splat(Q1));
  q = vfma(q, r, f32x4.splat(Q0));
  return vfma(f32x4.mul(r, r), q, r);
}

/** Lane-wise e^x (f32x4). exp(−inf) = 0, exp(+inf) = exp(x ≥ 88.73) = +inf, NaN → NaN; subnormal results round once. */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  // pmin/pmax with x first keep a NaN lane NaN
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_MAX)), f32x4.splat(X_MIN));
  const t = vfma(xc, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  const kf = f32x4.sub(t, f32x4.splat(MAGIC));
  const k = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  let r = vfma(kf, f32x4.splat(-LN2_HI), xc);
  r = vfma(kf, f32x4.splat(-LN2_LO), r);
  const p = f32x4.add(expm1Core(r), f32x4.splat(1.0));
  const k1 = i32x4.shr_s(k, 1);
  const k2 = i32x4.sub(k, k1);
  const s1 = i32x4.shl(i32x4.add(k1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(k2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/**
 * Lane-wise e^x − 1 (f32x4), accurate relative to the result near 0 (no cancellation):
 * with s = 2^(k−1), e^x − 1 = 2·(s·u + (s − 1/2)) where u = e^r − 1; k = 0 returns u itself
 * (so subnormal x give x exactly).
 * expm1(−inf) = −1, expm1(+inf) = +inf, NaN → NaN.
 */
// @ts-ignore: decorator
@inline export function vexpm1(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_MAX)), f32x4.splat(XM1_MIN));
  const t = vfma(xc, f32x4.splat(LOG2E), f32x4.splat(MAGIC));
  const kf = f32x4.sub(t, f32x4.splat(MAGIC));
  const k = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  let r = vfma(kf, f32x4.splat(-LN2_HI), xc);
  r = vfma(kf, f32x4.splat(-LN2_LO), r);
  const u = expm1Core(r);
  const s = i32x4.shl(i32x4.add(k, i32x4.splat(126)), 23); // 2^(k−1), k ∈ [−124, 128]
  const v = vfma(s, u, f32x4.sub(s, f32x4.splat(0.5)));
  // k = 0 lanes return u itself: s·u would lose bits of a subnormal u
  return v128.bitselect(u, f32x4.add(v, v), i32x4.eq(k, i32x4.splat(0)));
}

const SHIFT_FROM: f32 = 64.0;
const SHIFT: f32 = 32.0;
const E_MINUS_SHIFT: f64 = 1.2664165549094176e-14; // e^−32

/**
 * e^−a as an f32 factor of e^−(a − 32)·e^−32 when a ≥ 64 (a − 32 is exact there), so that it
 * stays normal down to e^−119 for callers that scale it up afterwards (swish: x·e^−|x|);
 * the caller finishes in f64, multiplying by `shiftScale2`.
 */
// @ts-ignore: decorator
@inline export function expNegShifted4(a: v128): v128 {
  const sh = v128.and(f32x4.ge(a, f32x4.splat(SHIFT_FROM)), f32x4.splat(SHIFT));
  return vexp(f32x4.sub(sh, a));
}

/** The f64 factor that completes expNegShifted4 for one half: e^−32 where a ≥ 64, else 1. */
// @ts-ignore: decorator
@inline export function shiftScale2(a: v128): v128 {
  return v128.bitselect(f64x2.splat(E_MINUS_SHIFT), f64x2.splat(1.0), f64x2.ge(a, f64x2.splat(<f64>SHIFT_FROM)));
}

const LOG2E_64: f64 = 1.4426950408889634;
const LN2_64: f64 = 0.6931471805599453;
const MAGIC_64: f64 = 6755399441055744.0; // 1.5·2^52

/**
 * Lane-wise e^x (f64x2) for x clamped to [−200, 200] (NaN stays NaN): far outside the f32
 * range, so callers that round to f32 lose nothing. Taylor polynomial to r^10/10! on
 * |r| ≤ ln2/2 + tiny: truncation < 3e-13 relative.
 */
// @ts-ignore: decorator
@inline export function vexp_f64x2(x: v128): v128 {
  const xc = f64x2.pmax(f64x2.pmin(x, f64x2.splat(200.0)), f64x2.splat(-200.0));
  const t = f64x2.add(f64x2.mul(xc, f64x2.splat(LOG2E_64)), f64x2.splat(MAGIC_64));
  const kf = f64x2.sub(t, f64x2.splat(MAGIC_64));
  const k = i64x2.sub(t, i64x2.splat(0x4338000000000000)); // bits of MAGIC_64
  const r = f64x2.sub(xc, f64x2.mul(kf, f64x2.splat(LN2_64)));
  let p = f64x2.splat(1.0 / 3628800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const scale = i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
  return f64x2.mul(p, scale);
}

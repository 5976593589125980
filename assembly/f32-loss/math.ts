// Helpers of the loss kernels: f32x4 log and log1p, row max/sum, sample weights, the clip bounds;
// exp is the shared `vexp` of assembly/f32-vunary/exp.ts. None leaves this family
// (assembly/f32-loss/index.ts re-exports kernels only).
// vlog follows Cephes logf (S. L. Moshier, Cephes Math Library, logf.c): m·2^e reduction with
// m ∈ [√½, √2), a degree-9 polynomial and Cody–Waite ln 2, about 1–2 ulp. Scalar tails call the
// same vector code on a splat, so every lane rounds alike.

import { vfma, hsum, hmax } from '../shared/simd';
import { vexp } from '../f32-vunary/exp';

export { vexp };

const LN2_HI: f32 = 0.693359375; // 355/512: n·LN2_HI is exact for |n| ≤ 2^15
const LN2_LO: f32 = -2.12194440e-4;
const SQRT_HALF: f32 = 0.707106781186547524;

/** log(x), lane-wise, for positive normal x (the kernels clip to [1e-7, 1] or pass 1 + e ∈ [1, 2]); NaN stays NaN. */
// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  // x = m·2^e with m ∈ [0.5, 1); then m < √½ moves to 2m − 1 and e − 1, so t ∈ [√½ − 1, √2 − 1).
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126));
  const m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(SQRT_HALF));
  e = i32x4.add(e, small); // small lanes are -1
  const t = f32x4.sub(f32x4.add(m, v128.and(m, small)), f32x4.splat(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(t, t);
  let y = vfma(f32x4.splat(7.0376836292e-2), t, f32x4.splat(-1.1514610310e-1));
  y = vfma(y, t, f32x4.splat(1.1676998740e-1));
  y = vfma(y, t, f32x4.splat(-1.2420140846e-1));
  y = vfma(y, t, f32x4.splat(1.4249322787e-1));
  y = vfma(y, t, f32x4.splat(-1.6668057665e-1));
  y = vfma(y, t, f32x4.splat(2.0000714765e-1));
  y = vfma(y, t, f32x4.splat(-2.4999993993e-1));
  y = vfma(y, t, f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, t), z);
  y = vfma(fe, f32x4.splat(LN2_LO), y);
  y = vfma(z, f32x4.splat(-0.5), y);
  let res = f32x4.add(t, y);
  res = vfma(fe, f32x4.splat(LN2_HI), res);
  return v128.bitselect(res, x, f32x4.eq(x, x));
}

/** log(1 + x), lane-wise, for x > -1 with 1 + x normal: log(u)·x/(u − 1), u = fl(1 + x) (Goldberg 1991, "What every computer scientist should know about floating-point arithmetic", Thm. 4), x where u = 1. */
// @ts-ignore: decorator
@inline export function vlog1p(x: v128): v128 {
  const u = f32x4.add(f32x4.splat(1.0), x);
  const d = f32x4.sub(u, f32x4.splat(1.0));
  const t = f32x4.mul(vlog(u), f32x4.div(x, d));
  return v128.bitselect(x, t, f32x4.eq(d, f32x4.splat(0)));
}

/** Scalar exp, exactly one lane of `vexp`. */
// @ts-ignore: decorator
@inline export function sexp(x: f32): f32 {
  return f32x4.extract_lane(vexp(f32x4.splat(x)), 0);
}

/** Per-row sample weight: sw[r], or 1 when sw = 0. */
// @ts-ignore: decorator
@inline export function rowWeight(sw: usize, r: i32): f32 {
  return sw != 0 ? load<f32>(sw + (<usize>r << 2)) : 1;
}

/** Clip bounds of Keras `backend.epsilon()` = 1e-7, in float32: [ε, 1 − ε]. */
export const EPS: f32 = 1e-7;
export const ONE_MINUS_EPS: f32 = 1.0 - EPS;

/** Scalar log, exactly one lane of `vlog`. */
// @ts-ignore: decorator
@inline export function slog(x: f32): f32 {
  return f32x4.extract_lane(vlog(f32x4.splat(x)), 0);
}

/** Largest element of a row of n > 0 floats (NaN if any is NaN). */
// @ts-ignore: decorator
@inline export function rowMax(x: usize, n: i32): f32 {
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  let m: f32 = -Infinity;
  if (vecEnd != 0) {
    let vm = v128.load(x);
    for (o = 16; o < vecEnd; o += 16) vm = f32x4.max(vm, v128.load(x + o));
    m = hmax(vm);
  }
  for (; o < end; o += 4) m = max<f32>(m, load<f32>(x + o));
  return m;
}

/** Row sum of n floats: 4 lanes, then hsum, then the tail. */
// @ts-ignore: decorator
@inline export function rowSum(x: usize, n: i32): f32 {
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) acc = f32x4.add(acc, v128.load(x + o));
  let s = hsum(acc);
  for (; o < end; o += 4) s += load<f32>(x + o);
  return s;
}

// Weight constraints, applied in place after each optimizer update: Keras 3
// keras/src/constraints/constraints.py (MaxNorm, NonNeg, UnitNorm, MinMaxNorm). The norm
// constraints share one kernel; max-norm is the pairing of Srivastava et al. 2014 (JMLR 15,
// "Dropout", §5.1).
//
// A weight is seen as [outer, len, inner] (row-major): the norm is taken over the middle axis
// for each (outer, inner) pair. A Dense kernel [in, units] with axis 0 is outer = 1, len = in,
// inner = units: one norm per unit (column). Norms are summed in f32 with plain mul + add
// (no fused multiply-add), so both builds give the same bits.

import { hsum } from '../shared/simd';
import { ld, st } from '../f32-optim/common';

/** y[i] = max(x[i], 0), i < n (Keras NonNeg; NaN stays NaN, −0 becomes +0). y may alias x. */
export function f32_nonneg(n: i32, x: usize, y: usize): void {
  if (n <= 0) return;
  const zero = f32x4.splat(0);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) st(y + o, f32x4.max(ld(x + o, false), zero), false);
  for (; o < end; o += 4) st(y + o, f32x4.max(ld(x + o, true), zero), true);
}

/** desired/(ε + norm), desired = rate·clip(norm, lo, hi) + (1 − rate)·norm (Keras MinMaxNorm). */
// @ts-ignore: decorator
@inline function scaleV(norm: v128, lo: v128, hi: v128, rate: v128, omr: v128, eps: v128): v128 {
  const clipped = f32x4.min(f32x4.max(norm, lo), hi);
  const desired = f32x4.add(f32x4.mul(rate, clipped), f32x4.mul(omr, norm));
  return f32x4.div(desired, f32x4.add(eps, norm));
}

/**
 * Norm constraint, in place: for each o < outer, j < inner, with
 * norm = √(Σ_{a<len} w[(o·len + a)·inner + j]²): w[…] ← w[…]·desired/(ε + norm),
 * desired = rate·clip(norm, minValue, maxValue) + (1 − rate)·norm.
 * MaxNorm: (0, maxValue, 1); UnitNorm: (1, 1, 1); MinMaxNorm: (minValue, maxValue, rate). ε = 1e-7 (Keras backend.epsilon()).
 */
export function f32_minmax_norm(outer: i32, len: i32, inner: i32, w: usize, minValue: f32, maxValue: f32, rate: f32, eps: f32): void {
  if (outer <= 0 || len <= 0 || inner <= 0) return;
  const lo = f32x4.splat(minValue);
  const hi = f32x4.splat(maxValue);
  const vr = f32x4.splat(rate);
  const omr = f32x4.splat(1 - rate);
  const ve = f32x4.splat(eps);
  const block = (<usize>len * <usize>inner) << 2;
  for (let o = 0; o < outer; o++) {
    const base = w + <usize>o * block;
    if (inner == 1) normContiguous(len, base, lo, hi, vr, omr, ve);
    else normColumns(len, inner, base, lo, hi, vr, omr, ve);
  }
}

/** One norm over len contiguous floats: four f32x4 accumulators, then the scalar tail. */
// @ts-ignore: decorator
@inline function normContiguous(len: i32, p: usize, lo: v128, hi: v128, vr: v128, omr: v128, ve: v128): void {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  const end16 = <usize>(len & ~15) << 2;
  const end4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const v0 = v128.load(p + o);
    const v1 = v128.load(p + o, 16);
    const v2 = v128.load(p + o, 32);
    const v3 = v128.load(p + o, 48);
    a0 = f32x4.add(a0, f32x4.mul(v0, v0));
    a1 = f32x4.add(a1, f32x4.mul(v1, v1));
    a2 = f32x4.add(a2, f32x4.mul(v2, v2));
    a3 = f32x4.add(a3, f32x4.mul(v3, v3));
  }
  for (; o < end4; o += 16) {
    const v = v128.load(p + o);
    a0 = f32x4.add(a0, f32x4.mul(v, v));
  }
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; o < end; o += 4) {
    const v = load<f32>(p + o);
    s += v * v;
  }
  const scale = scaleV(f32x4.splat(Mathf.sqrt(s)), lo, hi, vr, omr, ve);
  o = 0;
  for (; o < end4; o += 16) v128.store(p + o, f32x4.mul(v128.load(p + o), scale));
  const s0 = f32x4.extract_lane(scale, 0);
  for (; o < end; o += 4) store<f32>(p + o, load<f32>(p + o) * s0);
}

/**
 * One norm per column of a len × inner row-major block: four columns at a time down the rows,
 * then the n % 4 leftover columns one at a time with the same operations (lane-broadcast).
 */
// @ts-ignore: decorator
@inline function normColumns(len: i32, inner: i32, p: usize, lo: v128, hi: v128, vr: v128, omr: v128, ve: v128): void {
  const rs = <usize>inner << 2;
  let j = 0;
  for (; j + 4 <= inner; j += 4) columnsAt(len, rs, p + (<usize>j << 2), lo, hi, vr, omr, ve, false);
  for (; j < inner; j++) columnsAt(len, rs, p + (<usize>j << 2), lo, hi, vr, omr, ve, true);
}

// @ts-ignore: decorator
@inline function columnsAt(len: i32, rs: usize, p: usize, lo: v128, hi: v128, vr: v128, omr: v128, ve: v128, one: bool): void {
  let acc = f32x4.splat(0);
  let q = p;
  for (let a = 0; a < len; a++) {
    const v = ld(q, one);
    acc = f32x4.add(acc, f32x4.mul(v, v));
    q += rs;
  }
  const scale = scaleV(f32x4.sqrt(acc), lo, hi, vr, omr, ve);
  q = p;
  for (let a = 0; a < len; a++) {
    st(q, f32x4.mul(ld(q, one), scale), one);
    q += rs;
  }
}

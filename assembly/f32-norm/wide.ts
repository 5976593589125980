// f32x4 ↔ two f64x2 halves: the normalization kernels accumulate their statistics in f64 (no
// relaxed f64 arithmetic is used, so both builds give the same statistics bit for bit).

/** Lanes 0, 1 of v as f64x2. */
// @ts-ignore: decorator
@inline export function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 of v as f64x2. */
// @ts-ignore: decorator
@inline export function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two f64x2 back to one f32x4 (each lane rounded once). */
// @ts-ignore: decorator
@inline export function narrow(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** Sum of the lanes of two f64x2 accumulators, in the fixed order (l0 + l1) + (h0 + h1). */
// @ts-ignore: decorator
@inline export function hsum64(lo: v128, hi: v128): f64 {
  return (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
}

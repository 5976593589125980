// @inline helpers for the f32-vunary kernels: partial vectors at the end of a buffer, and
// f32x4 ↔ 2×f64x2 conversions. A tail is run through the same vector code as the body, so
// element i gets the same bits whether it falls in the body or in the tail.

/** The first `bytes` (4, 8 or 12) bytes at p as the low lanes of a vector; other lanes 0. Reads nothing past p + bytes. */
// @ts-ignore: decorator
@inline export function loadTail(p: usize, bytes: usize): v128 {
  if (bytes == 4) return v128.load32_zero(p);
  const lo = v128.load64_zero(p);
  if (bytes == 8) return lo;
  return v128.load32_lane(p, lo, 2, 8);
}

/** Stores the low `bytes` (4, 8 or 12) bytes of v at p; writes nothing past p + bytes. */
// @ts-ignore: decorator
@inline export function storeTail(p: usize, v: v128, bytes: usize): void {
  if (bytes == 4) {
    v128.store32_lane(p, v, 0);
  } else {
    v128.store64_lane(p, v, 0);
    if (bytes == 12) v128.store32_lane(p, v, 2, 8);
  }
}

/** All-ones in the lanes below `bytes / 4`, zero above: masks the padding lanes of a tail. */
// @ts-ignore: decorator
@inline export function tailMask(bytes: usize): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(<i32>(bytes >> 2)));
}

/** Lanes 0, 1 of an f32x4 as f64x2. */
// @ts-ignore: decorator
@inline export function f64Lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2, 3 of an f32x4 as f64x2. */
// @ts-ignore: decorator
@inline export function f64Hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two f64x2 rounded (to nearest) into one f32x4: [lo0, lo1, hi0, hi1]. */
// @ts-ignore: decorator
@inline export function f32From(lo: v128, hi: v128): v128 {
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// Shared @inline helpers. Relaxed SIMD is a build, not a name: `vfma` is one fused
// multiply-add in the `relaxed` build and a mul followed by an add in the `simd` build.

/** a·b + c, lane-wise. Fused (one rounding) where the build has relaxed SIMD. */
// @ts-ignore: decorator
@inline export function vfma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}

/** The scalar twin of `vfma`, rounded exactly as one lane of it. */
// @ts-ignore: decorator
@inline export function sfma(a: f32, b: f32, c: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
  } else {
    return a * b + c;
  }
}

/** Horizontal sum of the 4 lanes, in the fixed order ((l0 + l2) + (l1 + l3)). */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** Horizontal max of the 4 lanes. */
// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  const s = f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return max<f32>(f32x4.extract_lane(s, 0), f32x4.extract_lane(s, 1));
}

// Shared @inline helpers of the f32-optim family.
//
// Every kernel of the family writes its per-element update once, as an @inline function of
// f32x4 values, and runs it twice: on whole vectors in the main loop and, for the n % 4 tail,
// on one element broadcast to all lanes (`ld(p, true)`) whose lane 0 is stored back
// (`st(p, v, true)`). The tail thus does exactly the body's operations in the same order, so an
// element's result never depends on whether it lands in the body or in the tail (the tests
// check this bit for bit, on both builds).

import { vfma } from '../shared/simd';

/** Loads 4 floats at p, or (one = true) the float at p broadcast to all 4 lanes. */
// @ts-ignore: decorator
@inline export function ld(p: usize, one: bool): v128 {
  return one ? v128.load32_splat(p) : v128.load(p);
}

/** Stores 4 floats at p, or (one = true) only lane 0 (4 bytes, nothing past it). */
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, one: bool): void {
  if (one) {
    v128.store32_lane(p, v, 0);
  } else {
    v128.store(p, v);
  }
}

/**
 * Decoupled weight decay, Keras 3 keras/src/optimizers/base_optimizer.py `_apply_weight_decay`:
 * w ← w − w·wd with wd = weight_decay·learning_rate (the caller multiplies; Keras rounds
 * (w·weight_decay)·lr, we round w·wd). `nwd` holds −wd in every lane: w·(−wd) + w.
 * Applied before the gradient update (base_optimizer `apply`), and only when wd ≠ 0: with
 * wd = 0 the kernels leave w untouched (no −0 → +0, no ∞·0).
 */
// @ts-ignore: decorator
@inline export function decay(w: v128, nwd: v128): v128 {
  return vfma(w, nwd, w);
}

// The fused pass. Every optimizer kernel takes, as its last argument, a pointer to a small block
// in wasm memory (0 = none) that folds the steps around the update into its one pass over the
// buffers. 8 words of 4 bytes:
//   [0] flags (i32): FUSE_PENALTY | FUSE_SCALE | FUSE_CLIP | FUSE_CLAMP
//   [1] l1, [2] l2   weight penalty: g + l1·sign(w) + 2·l2·w, rounded exactly as f32_l1l2_grad
//   [3] scale        clipnorm / global_clipnorm factor: scale·g, as f32_vscale
//   [4] lo, [5] hi   clipvalue: min(max(g, lo), hi), as f32_clip_by_value
//   [6] wLo, [7] wHi elementwise constraint after the update: min(max(w, wLo), wHi) (NonNeg: 0, +∞)
// The update thus uses g' = clip(scale·(g + pen(w)), lo, hi), pen taken from w before the
// weight decay (the weight the backward pass saw), and g stays unchanged in memory. Each part
// does the operations of its separate kernel in the same order, so the fused pass gives the bits
// of the separate passes (test/optimizers/fused.test.ts). Kernels run a loop without any of it
// when the pointer is 0 or the flags are 0, so they cost nothing when no option is set.

export const FUSE_PENALTY: i32 = 1;
export const FUSE_SCALE: i32 = 2;
export const FUSE_CLIP: i32 = 4;
export const FUSE_CLAMP: i32 = 8;

/** The flags of the block at p (0 when p = 0). */
// @ts-ignore: decorator
@inline export function fuseFlags(p: usize): i32 {
  return p == 0 ? 0 : load<i32>(p);
}

/** Word i (1..7) of the block at p in every lane; word 2 (l2) comes back as 2·l2, rounded in f32 as f32_l1l2_grad does. */
// @ts-ignore: decorator
@inline export function fuseWord(p: usize, i: i32): v128 {
  const x = load<f32>(p + (<usize>i << 2));
  return f32x4.splat(i == 2 ? <f32>2 * x : x);
}

/** l1·sign(w) + c2·w with sign(±0) = 0 (NaN: 0), the operations of f32_l1l2_grad. */
// @ts-ignore: decorator
@inline export function penaltyGrad(w: v128, l1: v128, c2: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const s = f32x4.sub(v128.and(f32x4.gt(w, zero), one), v128.and(f32x4.lt(w, zero), one));
  return vfma(c2, w, f32x4.mul(l1, s));
}

/** The gradient the update uses: min(max(scale·(g + pen(w)), lo, hi)), each part only when its flag is set. */
// @ts-ignore: decorator
@inline export function fusedGrad(g: v128, w: v128, fl: i32, l1: v128, c2: v128, sc: v128, lo: v128, hi: v128): v128 {
  let r = g;
  if (fl & FUSE_PENALTY) r = f32x4.add(r, penaltyGrad(w, l1, c2));
  if (fl & FUSE_SCALE) r = f32x4.mul(sc, r);
  if (fl & FUSE_CLIP) r = f32x4.min(f32x4.max(r, lo), hi);
  return r;
}

/** The updated weight after the elementwise constraint: min(max(w, wLo), wHi) when FUSE_CLAMP is set. */
// @ts-ignore: decorator
@inline export function fusedWeight(w: v128, fl: i32, wlo: v128, whi: v128): v128 {
  return fl & FUSE_CLAMP ? f32x4.min(f32x4.max(w, wlo), whi) : w;
}

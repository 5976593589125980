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

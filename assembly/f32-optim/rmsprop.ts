// RMSprop, plain, centered and with momentum: Keras 3 keras/src/optimizers/rmsprop.py
// `RMSprop.update_step` (Hinton 2012, lecture 6 slides; centered: Graves 2013, arXiv:1308.0850).
//
// TF.js differs (tfjs-core/src/optimizers/rmsprop_optimizer.ts): it calls ρ `decay`, always
// keeps a momentum accumulator (mom = μ·mom + inc, w −= mom, equal to Keras' plain step when
// μ = 0), and rounds the centered denominator as v − (mg² + ε) instead of (v − mg²) + ε.
// Centered: v − mg² is a variance estimate and ≥ 0 in exact arithmetic; rounding can make
// it slightly negative for a constant gradient, giving NaN when ε does not cover it, as in Keras.

import { vfma } from '../shared/simd';
import { decay, ld, st } from './common';

/**
 * RMSprop, in place: v ← ρ·v + (1 − ρ)·g²; if mg ≠ 0 (centered) mg ← ρ·mg + (1 − ρ)·g and
 * d = v − mg² + ε, else d = v + ε; inc = lr·g/√d; if mom ≠ 0 (momentum > 0) mom ← μ·mom + inc,
 * w ← w − mom, else w ← w − inc; w ← w − w·wd first if wd ≠ 0. i < n; g read only; buffers distinct.
 */
export function f32_rmsprop(
  n: i32, w: usize, g: usize, v: usize, mg: usize, mom: usize,
  lr: f32, rho: f32, momentum: f32, eps: f32, wd: f32,
): void {
  if (n <= 0) return;
  const vlr = f32x4.splat(lr);
  const vrho = f32x4.splat(rho);
  const omr = f32x4.splat(1 - rho);
  const mu = f32x4.splat(momentum);
  const ve = f32x4.splat(eps);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const centered = mg != 0;
  const hasMom = mom != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, false);
  }
  for (; o < end; o += 4) {
    rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, true);
  }
}

// @ts-ignore: decorator
@inline function rmspropAt(
  w: usize, g: usize, v: usize, mg: usize, mom: usize,
  vlr: v128, vrho: v128, omr: v128, mu: v128, ve: v128, nwd: v128,
  centered: bool, hasMom: bool, dec: bool, one: bool,
): void {
  let vw = ld(w, one);
  if (dec) vw = decay(vw, nwd);
  const vg = ld(g, one);
  const vv = vfma(vrho, ld(v, one), f32x4.mul(omr, f32x4.mul(vg, vg)));   // ρ·v + (1 − ρ)·g²
  st(v, vv, one);
  let den: v128;
  if (centered) {
    const vmg = vfma(vrho, ld(mg, one), f32x4.mul(omr, vg));               // ρ·mg + (1 − ρ)·g
    st(mg, vmg, one);
    den = f32x4.add(f32x4.sub(vv, f32x4.mul(vmg, vmg)), ve);              // (v − mg²) + ε
  } else {
    den = f32x4.add(vv, ve);
  }
  let inc = f32x4.div(f32x4.mul(vlr, vg), f32x4.sqrt(den));               // lr·g/√d
  if (hasMom) {
    inc = vfma(mu, ld(mom, one), inc);                                     // μ·mom + inc
    st(mom, inc, one);
  }
  st(w, f32x4.sub(vw, inc), one);
}

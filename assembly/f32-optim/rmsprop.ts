// RMSprop, plain, centered and with momentum: Keras 3 keras/src/optimizers/rmsprop.py
// `RMSprop.update_step` (Hinton 2012, lecture 6 slides; centered: Graves 2013, arXiv:1308.0850).
//
// TF.js differs (tfjs-core/src/optimizers/rmsprop_optimizer.ts): it calls ρ `decay`, always
// keeps a momentum accumulator (mom = μ·mom + inc, w −= mom, equal to Keras' plain step when
// μ = 0), and rounds the centered denominator as v − (mg² + ε) instead of (v − mg²) + ε.
// Centered: v − mg² is a variance estimate and ≥ 0 in exact arithmetic; rounding can make
// it slightly negative for a constant gradient, giving NaN when ε does not cover it, as in Keras.

//
// `params`: the fused-options block (common.ts; 0 = none): penalty, clipping, constraint.

import { vfma } from '../shared/simd';
import { decay, fuseFlags, fuseWord, fusedGrad, fusedWeight, ld, st } from './common';

/**
 * RMSprop, in place: v ← ρ·v + (1 − ρ)·g²; if mg ≠ 0 (centered) mg ← ρ·mg + (1 − ρ)·g and
 * d = v − mg² + ε, else d = v + ε; inc = lr·g/√d; if mom ≠ 0 (momentum > 0) mom ← μ·mom + inc,
 * w ← w − mom, else w ← w − inc; w ← w − w·wd first if wd ≠ 0; g is the fused gradient g' of
 * `params` and the constraint follows (0: g, none). i < n; g read only; buffers distinct.
 */
export function f32_rmsprop(
  n: i32, w: usize, g: usize, v: usize, mg: usize, mom: usize,
  lr: f32, rho: f32, momentum: f32, eps: f32, wd: f32, params: usize,
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
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) {
      rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, false, 0, z, z, z, z, z, z, z);
    }
    for (; o < end; o += 4) {
      rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, true, 0, z, z, z, z, z, z, z);
    }
    return;
  }
  const l1 = fuseWord(params, 1);
  const c2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) {
    rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, false, fl, l1, c2, sc, lo, hi, wlo, whi);
  }
  for (; o < end; o += 4) {
    rmspropAt(w + o, g + o, v + o, mg + o, mom + o, vlr, vrho, omr, mu, ve, nwd, centered, hasMom, dec, true, fl, l1, c2, sc, lo, hi, wlo, whi);
  }
}

// @ts-ignore: decorator
@inline function rmspropAt(
  w: usize, g: usize, v: usize, mg: usize, mom: usize,
  vlr: v128, vrho: v128, omr: v128, mu: v128, ve: v128, nwd: v128,
  centered: bool, hasMom: bool, dec: bool, one: bool,
  fl: i32, l1: v128, c2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, l1, c2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
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
  st(w, fusedWeight(f32x4.sub(vw, inc), fl, wlo, whi), one);
}

// FTRL-Proximal: Keras 3 keras/src/optimizers/ftrl.py `Ftrl.update_step` (McMahan et al. 2013,
// "Ad Click Prediction: a View from the Trenches", KDD; Algorithm 1, with Keras' l2 shrinkage
// and `beta`). The caller folds `beta` into the l2 term: l2x2 = 2·(l2 + beta/(2·lr)).
// `params`: the fused-options block (common.ts; 0 = none): penalty, clipping, constraint.

import { decay, fuseFlags, fuseWord, fusedGrad, fusedWeight, ld, st } from './common';
import { powv } from '../f32-prox/prox';

/**
 * FTRL, in place (e = −learning_rate_power; e = 0.5 uses √, other powers Mathf.pow per lane):
 * w ← w − w·wd first if wd ≠ 0; gt = g + l2sx2·w; acc' = acc + g²;
 * lin ← lin + gt − (acc'^e − acc^e)/lr·w; q = acc'^e/lr + l2x2;
 * w ← (clip(lin, −l1, l1) − lin)/q; acc ← acc'; g is the fused gradient g' of `params` and its
 * constraint follows (0: g, none). i < n; g read only; w, acc, lin distinct.
 */
export function f32_ftrl(
  n: i32, w: usize, g: usize, acc: usize, lin: usize,
  lr: f32, e: f32, l1: f32, l2x2: f32, l2sx2: f32, wd: f32, params: usize,
): void {
  if (n <= 0) return;
  const vlr = f32x4.splat(lr);
  const vl1 = f32x4.splat(l1);
  const vnl1 = f32x4.splat(-l1);
  const vl2 = f32x4.splat(l2x2);
  const vl2s = f32x4.splat(l2sx2);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const sq = e == 0.5;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) ftrlAt(w + o, g + o, acc + o, lin + o, vlr, e, sq, vl1, vnl1, vl2, vl2s, nwd, dec, false, 0, z, z, z, z, z, z, z);
    for (; o < end; o += 4) ftrlAt(w + o, g + o, acc + o, lin + o, vlr, e, sq, vl1, vnl1, vl2, vl2s, nwd, dec, true, 0, z, z, z, z, z, z, z);
    return;
  }
  const pl1 = fuseWord(params, 1);
  const pc2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) {
    ftrlAt(w + o, g + o, acc + o, lin + o, vlr, e, sq, vl1, vnl1, vl2, vl2s, nwd, dec, false, fl, pl1, pc2, sc, lo, hi, wlo, whi);
  }
  for (; o < end; o += 4) {
    ftrlAt(w + o, g + o, acc + o, lin + o, vlr, e, sq, vl1, vnl1, vl2, vl2s, nwd, dec, true, fl, pl1, pc2, sc, lo, hi, wlo, whi);
  }
}

// @ts-ignore: decorator
@inline function ftrlAt(
  w: usize, g: usize, acc: usize, lin: usize, vlr: v128, e: f32, sq: bool,
  vl1: v128, vnl1: v128, vl2: v128, vl2s: v128, nwd: v128, dec: bool, one: bool,
  fl: i32, pl1: v128, pc2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, pl1, pc2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
  const gt = f32x4.add(vg, f32x4.mul(vl2s, vw));                     // g + 2·l2s·w
  const a0 = ld(acc, one);
  const a1 = f32x4.add(a0, f32x4.mul(vg, vg));                       // acc + g²
  const p1 = powv(a1, e, sq);
  const sigma = f32x4.div(f32x4.sub(p1, powv(a0, e, sq)), vlr);      // (acc'^e − acc^e)/lr
  const vlin = f32x4.add(ld(lin, one), f32x4.sub(gt, f32x4.mul(sigma, vw)));
  st(lin, vlin, one);
  const q = f32x4.add(f32x4.div(p1, vlr), vl2);                       // acc'^e/lr + 2·l2_reg
  const clipped = f32x4.min(f32x4.max(vlin, vnl1), vl1);
  st(w, fusedWeight(f32x4.div(f32x4.sub(clipped, vlin), q), fl, wlo, whi), one);
  st(acc, a1, one);
}

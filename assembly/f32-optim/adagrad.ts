// Adagrad: Keras 3 keras/src/optimizers/adagrad.py `Adagrad.update_step` (Duchi et al. 2011,
// JMLR 12). The accumulator starts at `initial_accumulator_value` (Keras default 0.1); the
// caller fills it.
//
// TF.js differs (tfjs-core/src/optimizers/adagrad_optimizer.ts) only in rounding order,
// w += −lr·(g/√(acc + ε)), and in taking ε from the backend (`ENGINE.backend.epsilon()`).

//
// `params`: the fused-options block (common.ts; 0 = none): penalty, clipping, constraint.

import { vfma } from '../shared/simd';
import { decay, fuseFlags, fuseWord, fusedGrad, fusedWeight, ld, st } from './common';

/**
 * Adagrad, in place: acc ← acc + g²; w ← w − lr·g/√(acc + ε); w ← w − w·wd first if wd ≠ 0;
 * g is the fused gradient g' of `params` and the constraint follows (0: g, none).
 * i < n; g read only; buffers distinct.
 */
export function f32_adagrad(n: i32, w: usize, g: usize, acc: usize, lr: f32, eps: f32, wd: f32, params: usize): void {
  if (n <= 0) return;
  const vlr = f32x4.splat(lr);
  const ve = f32x4.splat(eps);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, false, 0, z, z, z, z, z, z, z);
    for (; o < end; o += 4) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, true, 0, z, z, z, z, z, z, z);
    return;
  }
  const l1 = fuseWord(params, 1);
  const c2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, false, fl, l1, c2, sc, lo, hi, wlo, whi);
  for (; o < end; o += 4) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, true, fl, l1, c2, sc, lo, hi, wlo, whi);
}

// @ts-ignore: decorator
@inline function adagradAt(
  w: usize, g: usize, acc: usize, vlr: v128, ve: v128, nwd: v128, dec: bool, one: bool,
  fl: i32, l1: v128, c2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, l1, c2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
  const va = vfma(vg, vg, ld(acc, one));                                   // acc + g²
  st(acc, va, one);
  const upd = f32x4.div(f32x4.mul(vlr, vg), f32x4.sqrt(f32x4.add(va, ve))); // lr·g/√(acc + ε)
  st(w, fusedWeight(f32x4.sub(vw, upd), fl, wlo, whi), one);
}

// Adagrad: Keras 3 keras/src/optimizers/adagrad.py `Adagrad.update_step` (Duchi et al. 2011,
// JMLR 12). The accumulator starts at `initial_accumulator_value` (Keras default 0.1); the
// caller fills it.
//
// TF.js differs (tfjs-core/src/optimizers/adagrad_optimizer.ts) only in rounding order,
// w += −lr·(g/√(acc + ε)), and in taking ε from the backend (`ENGINE.backend.epsilon()`).

import { vfma } from '../shared/simd';
import { decay, ld, st } from './common';

/** Adagrad, in place: acc ← acc + g²; w ← w − lr·g/√(acc + ε); w ← w − w·wd first if wd ≠ 0. i < n; g read only; buffers distinct. */
export function f32_adagrad(n: i32, w: usize, g: usize, acc: usize, lr: f32, eps: f32, wd: f32): void {
  if (n <= 0) return;
  const vlr = f32x4.splat(lr);
  const ve = f32x4.splat(eps);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, false);
  for (; o < end; o += 4) adagradAt(w + o, g + o, acc + o, vlr, ve, nwd, dec, true);
}

// @ts-ignore: decorator
@inline function adagradAt(w: usize, g: usize, acc: usize, vlr: v128, ve: v128, nwd: v128, dec: bool, one: bool): void {
  let vw = ld(w, one);
  if (dec) vw = decay(vw, nwd);
  const vg = ld(g, one);
  const va = vfma(vg, vg, ld(acc, one));                                   // acc + g²
  st(acc, va, one);
  const upd = f32x4.div(f32x4.mul(vlr, vg), f32x4.sqrt(f32x4.add(va, ve))); // lr·g/√(acc + ε)
  st(w, f32x4.sub(vw, upd), one);
}

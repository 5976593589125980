// Adam, AMSGrad and AdamW: Keras 3 keras/src/optimizers/adam.py `Adam.update_step`
// (Kingma & Ba 2014, arXiv:1412.6980; AMSGrad: Reddi et al. 2018), and adamw.py, which is
// Adam with the base optimizer's decoupled weight decay (Loshchilov & Hutter 2019,
// arXiv:1711.05101): call this kernel with wd ≠ 0.
//
// The caller folds the bias corrections into one step size, as Keras does:
// lrT = lr·√(1 − β2^t)/(1 − β1^t), t = iteration + 1, computed in float64, passed as f32.
// ε is then added to √v (Kingma & Ba's "ε-hat"), not to the bias-corrected √v̂.
// TF.js differs (tfjs-core/src/optimizers/adam_optimizer.ts): it steps
// w −= lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), i.e. ε acts like
// ε/√(1 − β2^t) here; it writes the moments as β·m + (1 − β)·g; it has no AMSGrad and no AdamW.
//
// 1 − β1 and 1 − β2 are rounded in f32 from the f32 betas (exact for β ≥ 0.5); Keras rounds
// them from Python floats (1 − 0.9 → 0.1f vs 1 − 0.9f = 0.100000024f here).
//
// `params`: the fused-options block (common.ts; 0 = none): penalty, clipping, constraint.

import { vfma } from '../shared/simd';
import { decay, fuseFlags, fuseWord, fusedGrad, fusedWeight, ld, st } from './common';

/**
 * Adam, in place: m ← m + (g − m)(1 − β1); v ← v + (g² − v)(1 − β2); if vhat ≠ 0 (amsgrad)
 * vhat ← max(vhat, v) and replaces v; w ← w − (m·lrT)/(√v + ε); w ← w − w·wd first if wd ≠ 0;
 * g is the fused gradient g' of `params` and the constraint follows (0: g, none).
 * i < n; g read only; w, m, v, vhat distinct.
 */
export function f32_adam(
  n: i32, w: usize, g: usize, m: usize, v: usize, vhat: usize,
  lrT: f32, beta1: f32, beta2: f32, eps: f32, wd: f32, params: usize,
): void {
  if (n <= 0) return;
  const lr = f32x4.splat(lrT);
  const c1 = f32x4.splat(1 - beta1);
  const c2 = f32x4.splat(1 - beta2);
  const ve = f32x4.splat(eps);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const ams = vhat != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) adamAt(w + o, g + o, m + o, v + o, vhat + o, lr, c1, c2, ve, nwd, ams, dec, false, 0, z, z, z, z, z, z, z);
    for (; o < end; o += 4) adamAt(w + o, g + o, m + o, v + o, vhat + o, lr, c1, c2, ve, nwd, ams, dec, true, 0, z, z, z, z, z, z, z);
    return;
  }
  const l1 = fuseWord(params, 1);
  const l2x2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) {
    adamAt(w + o, g + o, m + o, v + o, vhat + o, lr, c1, c2, ve, nwd, ams, dec, false, fl, l1, l2x2, sc, lo, hi, wlo, whi);
  }
  for (; o < end; o += 4) {
    adamAt(w + o, g + o, m + o, v + o, vhat + o, lr, c1, c2, ve, nwd, ams, dec, true, fl, l1, l2x2, sc, lo, hi, wlo, whi);
  }
}

// @ts-ignore: decorator
@inline function adamAt(
  w: usize, g: usize, m: usize, v: usize, vhat: usize,
  lr: v128, c1: v128, c2: v128, ve: v128, nwd: v128, ams: bool, dec: bool, one: bool,
  fl: i32, l1: v128, l2x2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, l1, l2x2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
  let vm = ld(m, one);
  vm = vfma(f32x4.sub(vg, vm), c1, vm);                      // m + (g − m)(1 − β1)
  st(m, vm, one);
  let vv = ld(v, one);
  vv = vfma(f32x4.sub(f32x4.mul(vg, vg), vv), c2, vv);       // v + (g² − v)(1 − β2)
  st(v, vv, one);
  if (ams) {
    vv = f32x4.max(ld(vhat, one), vv);                       // vhat = max(vhat, v)
    st(vhat, vv, one);
  }
  const upd = f32x4.div(f32x4.mul(vm, lr), f32x4.add(f32x4.sqrt(vv), ve));
  st(w, fusedWeight(f32x4.sub(vw, upd), fl, wlo, whi), one);
}

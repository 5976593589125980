// Stochastic gradient descent, plain and with (Nesterov) momentum: Keras 3
// keras/src/optimizers/sgd.py `SGD.update_step`.
//
// TF.js differs (tfjs-core/src/optimizers/momentum_optimizer.ts): it keeps v = μ·v + g and
// steps w −= lr·v (Nesterov: w −= lr·(g + μ·v)), so its velocity holds gradients, not steps.
// The two agree (m = −lr·v) only while lr is constant; under a schedule, Keras' velocity keeps
// the old learning rates. TF.js `tf.train.sgd` has no momentum at all (w −= lr·g, as here).
//
// `params`: the fused-options block (common.ts; 0 = none): penalty, clipping, constraint.

import { vfma } from '../shared/simd';
import { decay, fuseFlags, fuseWord, fusedGrad, fusedWeight, ld, st } from './common';

/**
 * SGD, in place: w[i] ← w[i] − lr·g'[i] (after w ← w − w·wd if wd ≠ 0), i < n, g' the fused
 * gradient of `params` (g when 0), then its constraint. g is read only; w may not alias g.
 */
export function f32_sgd(n: i32, w: usize, g: usize, lr: f32, wd: f32, params: usize): void {
  if (n <= 0) return;
  const nlr = f32x4.splat(-lr);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) sgdAt(w + o, g + o, nlr, nwd, dec, false, 0, z, z, z, z, z, z, z);
    for (; o < end; o += 4) sgdAt(w + o, g + o, nlr, nwd, dec, true, 0, z, z, z, z, z, z, z); // tail, one element
    return;
  }
  const l1 = fuseWord(params, 1);
  const c2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) sgdAt(w + o, g + o, nlr, nwd, dec, false, fl, l1, c2, sc, lo, hi, wlo, whi);
  for (; o < end; o += 4) sgdAt(w + o, g + o, nlr, nwd, dec, true, fl, l1, c2, sc, lo, hi, wlo, whi);
}

// @ts-ignore: decorator
@inline function sgdAt(
  w: usize, g: usize, nlr: v128, nwd: v128, dec: bool, one: bool,
  fl: i32, l1: v128, c2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, l1, c2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
  st(w, fusedWeight(vfma(vg, nlr, vw), fl, wlo, whi), one); // w − g·lr
}

/**
 * SGD with momentum, in place (Keras 3 sgd.py): m ← μ·m − lr·g'; w ← w + m, or with nesterov ≠ 0
 * w ← w + μ·m − lr·g' (new m); w ← w − w·wd first if wd ≠ 0; g' and the constraint from
 * `params` (0: g, none). i < n; g read only, w and m distinct.
 */
export function f32_sgd_momentum(
  n: i32, w: usize, g: usize, m: usize, lr: f32, momentum: f32, nesterov: i32, wd: f32, params: usize,
): void {
  if (n <= 0) return;
  const nlr = f32x4.splat(-lr);
  const mu = f32x4.splat(momentum);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const nest = nesterov != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const fl = fuseFlags(params);
  let o: usize = 0;
  if (fl == 0) {
    const z = f32x4.splat(0);
    for (; o < vecEnd; o += 16) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, false, 0, z, z, z, z, z, z, z);
    for (; o < end; o += 4) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, true, 0, z, z, z, z, z, z, z);
    return;
  }
  const l1 = fuseWord(params, 1);
  const c2 = fuseWord(params, 2);
  const sc = fuseWord(params, 3);
  const lo = fuseWord(params, 4);
  const hi = fuseWord(params, 5);
  const wlo = fuseWord(params, 6);
  const whi = fuseWord(params, 7);
  for (; o < vecEnd; o += 16) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, false, fl, l1, c2, sc, lo, hi, wlo, whi);
  for (; o < end; o += 4) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, true, fl, l1, c2, sc, lo, hi, wlo, whi);
}

// @ts-ignore: decorator
@inline function momentumAt(
  w: usize, g: usize, m: usize, nlr: v128, mu: v128, nwd: v128, nest: bool, dec: bool, one: bool,
  fl: i32, l1: v128, c2: v128, sc: v128, lo: v128, hi: v128, wlo: v128, whi: v128,
): void {
  const w0 = ld(w, one);
  const vg = fusedGrad(ld(g, one), w0, fl, l1, c2, sc, lo, hi);
  const vw = dec ? decay(w0, nwd) : w0;
  const step = f32x4.mul(vg, nlr);                // −(g·lr)
  const vm = vfma(ld(m, one), mu, step);          // m·μ − g·lr
  st(m, vm, one);
  const inc = nest ? vfma(vm, mu, step) : vm;     // nesterov: m·μ − g·lr (new m)
  st(w, fusedWeight(f32x4.add(vw, inc), fl, wlo, whi), one);
}

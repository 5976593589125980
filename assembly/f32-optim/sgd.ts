// Stochastic gradient descent, plain and with (Nesterov) momentum: Keras 3
// keras/src/optimizers/sgd.py `SGD.update_step`.
//
// TF.js differs (tfjs-core/src/optimizers/momentum_optimizer.ts): it keeps v = μ·v + g and
// steps w −= lr·v (Nesterov: w −= lr·(g + μ·v)), so its velocity holds gradients, not steps.
// The two agree (m = −lr·v) only while lr is constant; under a schedule, Keras' velocity keeps
// the old learning rates. TF.js `tf.train.sgd` has no momentum at all (w −= lr·g, as here).

import { vfma } from '../shared/simd';
import { decay, ld, st } from './common';

/** SGD, in place: w[i] ← w[i] − lr·g[i] (after w ← w − w·wd if wd ≠ 0), i < n. g is read only; w may not alias g. */
export function f32_sgd(n: i32, w: usize, g: usize, lr: f32, wd: f32): void {
  if (n <= 0) return;
  const nlr = f32x4.splat(-lr);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) sgdAt(w + o, g + o, nlr, nwd, dec, false);
  for (; o < end; o += 4) sgdAt(w + o, g + o, nlr, nwd, dec, true); // tail, one element
}

// @ts-ignore: decorator
@inline function sgdAt(w: usize, g: usize, nlr: v128, nwd: v128, dec: bool, one: bool): void {
  let vw = ld(w, one);
  if (dec) vw = decay(vw, nwd);
  st(w, vfma(ld(g, one), nlr, vw), one); // w − g·lr
}

/**
 * SGD with momentum, in place (Keras 3 sgd.py): m ← μ·m − lr·g; w ← w + m, or with nesterov ≠ 0
 * w ← w + μ·m − lr·g (new m); w ← w − w·wd first if wd ≠ 0. i < n; g read only, w and m distinct.
 */
export function f32_sgd_momentum(
  n: i32, w: usize, g: usize, m: usize, lr: f32, momentum: f32, nesterov: i32, wd: f32,
): void {
  if (n <= 0) return;
  const nlr = f32x4.splat(-lr);
  const mu = f32x4.splat(momentum);
  const nwd = f32x4.splat(-wd);
  const dec = wd != 0;
  const nest = nesterov != 0;
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, false);
  for (; o < end; o += 4) momentumAt(w + o, g + o, m + o, nlr, mu, nwd, nest, dec, true);
}

// @ts-ignore: decorator
@inline function momentumAt(
  w: usize, g: usize, m: usize, nlr: v128, mu: v128, nwd: v128, nest: bool, dec: bool, one: bool,
): void {
  let vw = ld(w, one);
  if (dec) vw = decay(vw, nwd);
  const step = f32x4.mul(ld(g, one), nlr);        // −(g·lr)
  const vm = vfma(ld(m, one), mu, step);          // m·μ − g·lr
  st(m, vm, one);
  const inc = nest ? vfma(vm, mu, step) : vm;     // nesterov: m·μ − g·lr (new m)
  st(w, f32x4.add(vw, inc), one);
}

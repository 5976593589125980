// Typed exports of the assembly/f32-prox family. Keep in step with assembly/f32-prox/index.ts.
// Training tools: the proximal L1 step after an optimizer update, weight constraints (Keras 3
// keras/src/constraints/constraints.py), FTRL (keras/src/optimizers/ftrl.py), zero counts and
// the Welford statistics of MC dropout. Sizes are element counts, pointers byte addresses.
import type { Ptr } from './kernels.js';

export interface ProxExports {
  /** w ← sign(w)·max(|w| − τ, 0) with one τ (SGD, momentum SGD: τ = λ·lr); |w| ≤ τ gives +0. */
  f32_prox_l1(n: number, w: Ptr, tau: number): void;
  /** Soft-threshold with τ_i = c/(√v[i] + ε), c = λ·lrT (Adam; v̂ for AMSGrad). */
  f32_prox_l1_adam(n: number, w: Ptr, v: Ptr, c: number, eps: number): void;
  /** Soft-threshold with τ_i = c/√(v[i] − mg[i]² + ε) (mg = 0: √(v[i] + ε)), c = λ·lr (RMSprop, Adagrad). */
  f32_prox_l1_rms(n: number, w: Ptr, v: Ptr, mg: Ptr, c: number, eps: number): void;
  /** Soft-threshold with τ_i = c/(acc[i]^e + d), c = λ·lr, d = 2·l2_reg·lr, e = −learning_rate_power (FTRL). */
  f32_prox_l1_ftrl(n: number, w: Ptr, acc: Ptr, c: number, d: number, e: number): void;
  /** Count of x[i] == 0 (either sign). */
  f32_count_zeros(n: number, x: Ptr): number;
  /** y = max(x, 0) (NonNeg); y may alias x. */
  f32_nonneg(n: number, x: Ptr, y: Ptr): void;
  /** In place over [outer, len, inner]: w ← w·desired/(ε + ‖w[o, :, j]‖), desired = rate·clip(norm, min, max) + (1 − rate)·norm. */
  f32_minmax_norm(outer: number, len: number, inner: number, w: Ptr, minValue: number, maxValue: number, rate: number, eps: number): void;
  /** FTRL update in place (Keras 3 ftrl.py); e = −learning_rate_power, l2x2 = 2·l2 + beta/lr, l2sx2 = 2·l2_shrinkage; params: the fused-options block (kernels-optim.ts) or 0. */
  f32_ftrl(n: number, w: Ptr, g: Ptr, acc: Ptr, lin: Ptr, lr: number, e: number, l1: number, l2x2: number, l2sx2: number, wd: number, params: Ptr): void;
  /** Welford step k: d = x − mean; mean += d/k; m2 += d·(x − mean). */
  f32_welford(n: number, x: Ptr, mean: Ptr, m2: Ptr, k: number): void;
  /** std = √(m2/k); std may alias m2. */
  f32_welford_std(n: number, m2: Ptr, std: Ptr, k: number): void;
}

export const PROX_NAMES: readonly (keyof ProxExports)[] = [
  'f32_prox_l1',
  'f32_prox_l1_adam',
  'f32_prox_l1_rms',
  'f32_prox_l1_ftrl',
  'f32_count_zeros',
  'f32_nonneg',
  'f32_minmax_norm',
  'f32_ftrl',
  'f32_welford',
  'f32_welford_std',
];

export type { Ptr };

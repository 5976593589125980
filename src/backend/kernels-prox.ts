// The assembly/f32-prox family in the kernel table (kernel-spec.ts): what runs on a weight after
// its optimizer update — the proximal L1 step, weight constraints (Keras 3
// keras/src/constraints/constraints.py) — with the zero counts that report the sparsity it
// makes, and the Welford statistics of MC dropout. Sizes are element counts.
import type { KernelTable } from './kernel-spec.js';

export const PROX_KERNELS = {
  /** w ← sign(w)·max(|w| − τ, 0) with one τ (SGD, momentum SGD: τ = λ·lr); |w| ≤ τ gives +0. */
  f32_prox_l1: '(n, *w, tau)',
  /** Soft-threshold with τ_i = c/(√v[i] + ε), c = λ·lrT (Adam; v̂ for AMSGrad). */
  f32_prox_l1_adam: '(n, *w, *v, c, eps)',
  /** Soft-threshold with τ_i = c/√(v[i] − mg[i]² + ε) (mg = 0: √(v[i] + ε)), c = λ·lr (RMSprop, Adagrad). */
  f32_prox_l1_rms: '(n, *w, *v, *mg, c, eps)',
  /** Soft-threshold with τ_i = c/(acc[i]^e + d), c = λ·lr, d = 2·l2_reg·lr, e = −learning_rate_power (FTRL). */
  f32_prox_l1_ftrl: '(n, *w, *acc, c, d, e)',
  /** Count of x[i] == 0 (either sign). */
  f32_count_zeros: '(n, *x) -> number',
  /** y = max(x, 0) (NonNeg); y may alias x. */
  f32_nonneg: '(n, *x, *y)',
  /** In place over [outer, len, inner]: w ← w·desired/(ε + ‖w[o, :, j]‖), desired = rate·clip(norm, min, max) + (1 − rate)·norm. */
  f32_minmax_norm: '(outer, len, inner, *w, minValue, maxValue, rate, eps)',
  /** Welford step k: d = x − mean; mean += d/k; m2 += d·(x − mean). */
  f32_welford: '(n, *x, *mean, *m2, k)',
  /** std = √(m2/k); std may alias m2. */
  f32_welford_std: '(n, *m2, *std, k)',
} as const satisfies KernelTable;

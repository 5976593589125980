// The assembly/f32-norm family in the kernel table (kernel-spec.ts): batch and layer
// normalization. Sizes are element counts; a 0 pointer marks an optional input or output where stated.
import type { KernelTable } from './kernel-spec.js';

export const NORM_KERNELS = {
  // Batch normalization over the m rows of an m×c matrix (statistics in f64).
  /** Column mean and biased variance. */
  f32_batchnorm_stats: '(m, c, *x, *mean, *variance)',
  /** s = γ/√(var + ε), t = β − mean·s (gamma/beta 0: γ = 1, β = 0). */
  f32_batchnorm_coeffs: '(c, *mean, *variance, *gamma, *beta, *s, *t, eps)',
  /** y[i,j] = x[i,j]·s[j] + t[j]; y may alias x. */
  f32_vaffine_cols: '(m, c, *x, *s, *t, *y)',
  /** dx (through batch statistics when batch ≠ 0), dγ = ι·Σdy(x − μ), dβ = Σdy; 0 pointers skip. */
  f32_batchnorm_grad: '(m, c, *x, *dy, *mean, *variance, *gamma, *dx, *dgamma, *dbeta, eps, batch)',

  // Layer normalization of each of m rows over its c features.
  /** y = (x − μ)·ρ·γ + β per row; stores μ and ρ = 1/√(σ² + ε) per row. */
  f32_layernorm: '(m, c, *x, *gamma, *beta, *y, *mean, *rstd, eps)',
  /** dx, dγ = Σ_rows dy·x̂, dβ = Σ_rows dy from the stored μ, ρ; 0 pointers skip. */
  f32_layernorm_grad: '(m, c, *x, *dy, *mean, *rstd, *gamma, *dx, *dgamma, *dbeta)',
} as const satisfies KernelTable;

// Typed exports of the assembly/f32-norm family. Keep in step with assembly/f32-norm/index.ts.
// Sizes are element counts; Ptr is a byte address in wasm memory; a 0 pointer marks an
// optional input or output where stated.
import type { Ptr } from './kernels.js';

export interface NormExports {
  // Random draws on the Philox4x32-10 stream of f32_uniform (u_i for key0, key1, counter).
  /** y[i] = mean + stddev·Φ⁻¹(u_i + 2^-25) (AS 241 PPND7). */
  f32_normal(n: number, y: Ptr, mean: number, stddev: number, key0: number, key1: number, counter: number): void;
  /** y[i] = u_i ≥ p ? v : 0. */
  f32_bernoulli(n: number, y: Ptr, p: number, v: number, key0: number, key1: number, counter: number): void;

  /** x as p×q×r, m as p×r: y = x·m[i,k] + (m[i,k] ≠ 0 ? on : off) (a plain product when on = off = 0); y may alias x. */
  f32_vmul_bcast(p: number, q: number, r: number, x: Ptr, m: Ptr, y: Ptr, on: number, off: number): void;

  // Batch normalization over the m rows of an m×c matrix (statistics in f64).
  /** Column mean and biased variance. */
  f32_batchnorm_stats(m: number, c: number, x: Ptr, mean: Ptr, variance: Ptr): void;
  /** s = γ/√(var + ε), t = β − mean·s (gamma/beta 0: γ = 1, β = 0). */
  f32_batchnorm_coeffs(c: number, mean: Ptr, variance: Ptr, gamma: Ptr, beta: Ptr, s: Ptr, t: Ptr, eps: number): void;
  /** y[i,j] = x[i,j]·s[j] + t[j]; y may alias x. */
  f32_vaffine_cols(m: number, c: number, x: Ptr, s: Ptr, t: Ptr, y: Ptr): void;
  /** dx (through batch statistics when batch ≠ 0), dγ = ι·Σdy(x − μ), dβ = Σdy; 0 pointers skip. */
  f32_batchnorm_grad(m: number, c: number, x: Ptr, dy: Ptr, mean: Ptr, variance: Ptr, gamma: Ptr,
    dx: Ptr, dgamma: Ptr, dbeta: Ptr, eps: number, batch: number): void;

  // Layer normalization of each of m rows over its c features.
  /** y = (x − μ)·ρ·γ + β per row; stores μ and ρ = 1/√(σ² + ε) per row. */
  f32_layernorm(m: number, c: number, x: Ptr, gamma: Ptr, beta: Ptr, y: Ptr, mean: Ptr, rstd: Ptr, eps: number): void;
  /** dx, dγ = Σ_rows dy·x̂, dβ = Σ_rows dy from the stored μ, ρ; 0 pointers skip. */
  f32_layernorm_grad(m: number, c: number, x: Ptr, dy: Ptr, mean: Ptr, rstd: Ptr, gamma: Ptr,
    dx: Ptr, dgamma: Ptr, dbeta: Ptr): void;
}

export const NORM_NAMES: readonly (keyof NormExports)[] = [
  'f32_normal',
  'f32_bernoulli',
  'f32_vmul_bcast',
  'f32_batchnorm_stats',
  'f32_batchnorm_coeffs',
  'f32_vaffine_cols',
  'f32_batchnorm_grad',
  'f32_layernorm',
  'f32_layernorm_grad',
];

export type { Ptr };

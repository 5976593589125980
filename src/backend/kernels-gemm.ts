// The assembly/f32-gemm family in the kernel table (kernel-spec.ts): C = β·C + op(A)·op(B) + bias,
// clamped to [min, max] (the fused activation: ±∞ for none, [0, ∞) for ReLU). The pool splits
// these by rows or columns of C in its own code (threads.ts), not by element ranges.
import type { KernelTable } from './kernel-spec.js';

const GEMM = '(m, n, k, *a, lda, *b, ldb, *bias, beta, *c, ldc, min, max, *ws)';

export const GEMM_KERNELS = {
  /** Bytes of workspace (packed panels) an m×n×k GEMM needs. */
  f32_gemm_workspace_bytes: '(m, n, k) -> number',
  /** C = β·C + A·B + bias. */
  f32_gemm_nn_minmax: GEMM,
  /** C = β·C + Aᵀ·B + bias. */
  f32_gemm_tn_minmax: GEMM,
  /** C = β·C + A·Bᵀ + bias. */
  f32_gemm_nt_minmax: GEMM,
  /** The same with a 6×8 register tile: bit-identical results, picked at start-up where faster. */
  f32_gemm_nn_minmax_6x8: GEMM,
  /** The 6×8 tile of f32_gemm_tn_minmax. */
  f32_gemm_tn_minmax_6x8: GEMM,
  /** The 6×8 tile of f32_gemm_nt_minmax. */
  f32_gemm_nt_minmax_6x8: GEMM,
} as const satisfies KernelTable;

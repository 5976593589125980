// The assembly/f32-reduce family in the kernel table (kernel-spec.ts): reductions, the L1L2
// regularizer and elementwise helpers. Sizes and strides are element counts.
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

export const REDUCE_KERNELS = {
  // Reductions (fixed summation order: 4 f32x4 accumulators, then the scalar tail).
  /** y[j] = (beta ? y[j] : 0) + Σ_{i<m} x[i·ldx + j], j < n. */
  f32_colsum: '(m, n, *x, ldx, *y, beta)',
  /** Σ x[i]². */
  f32_sumsq: '(n, *x) -> number',
  /** Index of the first NaN/±Inf, or -1. */
  f32_find_nonfinite: '(n, *x) -> number',

  // L1L2 regularizer (Keras 3 keras/src/regularizers/regularizers.py).
  /** l1·Σ|w| + l2·Σw² (a term with a zero coefficient is skipped). */
  f32_l1l2_penalty: '(n, *w, l1, l2) -> number',
  /** g[i] += l1·sign(w[i]) + 2·l2·w[i], sign(±0) = 0. */
  f32_l1l2_grad: split('(n, *w, *g, l1, l2)'),

  // Elementwise helpers (an output may alias an input exactly where stated). The pool splits
  // those the backward pass runs on large layers.
  /** y = a·b; y may alias a or b. */
  f32_vmul: split('(n, *a, *b, *y)'),
  /** y = a + b; y may alias a or b. */
  f32_vadd: '(n, *a, *b, *y)',
  /** y = s·x; y may alias x. */
  f32_vscale: '(n, *x, *y, s)',
  /** y = x. */
  f32_vcopy: split('(n, *x, *y)'),
  /** y = v. */
  f32_vfill: '(n, *y, v)',
  /** y += a·x. */
  f32_vaxpy: '(n, *x, *y, a)',
  /** y[i, j] = x[i, j]·m[j] (rows×cols packed); y may alias x. */
  f32_vmul_cols: '(rows, cols, *x, *m, *y)',
} as const satisfies KernelTable;

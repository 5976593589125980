// The assembly/f32-loss family in the kernel table (kernel-spec.ts).
//
// Losses return Σ_rows w·loss_row (f64; the caller divides by the batch size for Keras'
// "sum_over_batch_size") and, when `grad` ≠ 0, write ∂(gradScale · that sum)/∂prediction.
// `sw` = 0 means no sample weights; `p` / `grad` = 0 means that output is not written.
// Sparse kernels take one f32 class index per row in `labels` (validated by the caller).
import type { ExportsOf, KernelTable } from './kernel-spec.js';

export const LOSS_KERNELS = {
  /** Fused softmax + categorical cross-entropy from logits; writes p = softmax(z). */
  f32_softmax_xent: '(rows, cols, *z, *y, *sw, *p, *grad, gradScale, labelSmoothing) -> number',
  /** Fused softmax + sparse categorical cross-entropy from logits and class labels. */
  f32_sparse_softmax_xent: '(rows, cols, *z, *labels, *sw, *p, *grad, gradScale) -> number',
  /** Categorical cross-entropy from probabilities (normalized, clipped to [1e-7, 1 − 1e-7]). */
  f32_xent: '(rows, cols, *p, *y, *sw, *grad, gradScale, labelSmoothing) -> number',
  /** Sparse categorical cross-entropy from probabilities (clipped, then −log(pc_l / Σpc)). */
  f32_sparse_xent: '(rows, cols, *p, *labels, *sw, *grad, gradScale) -> number',
  /** Fused sigmoid + binary cross-entropy from logits (mean over cols); writes p = sigmoid(z). */
  f32_sigmoid_bce: '(rows, cols, *z, *y, *sw, *p, *grad, gradScale, labelSmoothing) -> number',
  /** Binary cross-entropy from probabilities (clipped; mean over cols). */
  f32_bce: '(rows, cols, *p, *y, *sw, *grad, gradScale, labelSmoothing) -> number',
  /** Mean squared error (mean over cols). */
  f32_mse: '(rows, cols, *p, *y, *sw, *grad, gradScale) -> number',
  /** Mean absolute error (mean over cols). */
  f32_mae: '(rows, cols, *p, *y, *sw, *grad, gradScale) -> number',
  /** Huber loss with threshold delta (mean over cols). */
  f32_huber: '(rows, cols, *p, *y, *sw, *grad, gradScale, delta) -> number',

  /** Rows where argmax(p) == argmax(y), first maximum on ties. */
  f32_count_argmax_match: '(rows, cols, *p, *y) -> number',
  /** Rows where argmax(p) == labels[row]. */
  f32_count_sparse_match: '(rows, cols, *p, *labels) -> number',
  /** Elements where y == (p > threshold ? 1 : 0). */
  f32_count_binary_match: '(n, *p, *y, threshold) -> number',
  /** Σ |p − y| over n elements (f64 sum). */
  f32_sum_abs_diff: '(n, *p, *y) -> number',
  /** Σ (p − y)² over n elements (f64 sum). */
  f32_sum_sq_diff: '(n, *p, *y) -> number',
} as const satisfies KernelTable;

/** The loss family's exports, typed (test/kernels/f32-loss.test.ts names them). */
export type LossExports = ExportsOf<typeof LOSS_KERNELS>;

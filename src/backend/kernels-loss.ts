// Typed exports of the assembly/f32-loss family. Keep in step with assembly/f32-loss/index.ts.
//
// Losses return Σ_rows w·loss_row (f64; the caller divides by the batch size for Keras'
// "sum_over_batch_size") and, when `grad` ≠ 0, write ∂(gradScale · that sum)/∂prediction.
// `sw` = 0 means no sample weights; `p` / `grad` = 0 means that output is not written.
// Sparse kernels take one f32 class index per row in `labels` (validated by the caller).
import type { Ptr } from './kernels.js';

export interface LossExports {
  /** Fused softmax + categorical cross-entropy from logits; writes p = softmax(z). */
  f32_softmax_xent(rows: number, cols: number, z: Ptr, y: Ptr, sw: Ptr, p: Ptr, grad: Ptr,
    gradScale: number, labelSmoothing: number): number;
  /** Fused softmax + sparse categorical cross-entropy from logits and class labels. */
  f32_sparse_softmax_xent(rows: number, cols: number, z: Ptr, labels: Ptr, sw: Ptr, p: Ptr, grad: Ptr,
    gradScale: number): number;
  /** Categorical cross-entropy from probabilities (normalized, clipped to [1e-7, 1 − 1e-7]). */
  f32_xent(rows: number, cols: number, p: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number,
    labelSmoothing: number): number;
  /** Sparse categorical cross-entropy from probabilities (clipped, then −log(pc_l / Σpc)). */
  f32_sparse_xent(rows: number, cols: number, p: Ptr, labels: Ptr, sw: Ptr, grad: Ptr, gradScale: number): number;
  /** Fused sigmoid + binary cross-entropy from logits (mean over cols); writes p = sigmoid(z). */
  f32_sigmoid_bce(rows: number, cols: number, z: Ptr, y: Ptr, sw: Ptr, p: Ptr, grad: Ptr,
    gradScale: number, labelSmoothing: number): number;
  /** Binary cross-entropy from probabilities (clipped; mean over cols). */
  f32_bce(rows: number, cols: number, p: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number,
    labelSmoothing: number): number;
  /** Mean squared error (mean over cols). */
  f32_mse(rows: number, cols: number, p: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number): number;
  /** Mean absolute error (mean over cols). */
  f32_mae(rows: number, cols: number, p: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number): number;
  /** Huber loss with threshold delta (mean over cols). */
  f32_huber(rows: number, cols: number, p: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number, delta: number): number;

  /** Rows where argmax(p) == argmax(y), first maximum on ties. */
  f32_count_argmax_match(rows: number, cols: number, p: Ptr, y: Ptr): number;
  /** Rows where argmax(p) == labels[row]. */
  f32_count_sparse_match(rows: number, cols: number, p: Ptr, labels: Ptr): number;
  /** Elements where y == (p > threshold ? 1 : 0). */
  f32_count_binary_match(n: number, p: Ptr, y: Ptr, threshold: number): number;
  /** Σ |p − y| over n elements (f64 sum). */
  f32_sum_abs_diff(n: number, p: Ptr, y: Ptr): number;
  /** Σ (p − y)² over n elements (f64 sum). */
  f32_sum_sq_diff(n: number, p: Ptr, y: Ptr): number;
}

export const LOSS_NAMES: readonly (keyof LossExports)[] = [
  'f32_softmax_xent',
  'f32_sparse_softmax_xent',
  'f32_xent',
  'f32_sparse_xent',
  'f32_sigmoid_bce',
  'f32_bce',
  'f32_mse',
  'f32_mae',
  'f32_huber',
  'f32_count_argmax_match',
  'f32_count_sparse_match',
  'f32_count_binary_match',
  'f32_sum_abs_diff',
  'f32_sum_sq_diff',
];

export type { Ptr };

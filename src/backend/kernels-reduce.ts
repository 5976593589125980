// Typed exports of the assembly/f32-reduce family. Keep in step with assembly/f32-reduce/index.ts.
// Sizes and strides are element counts; Ptr is a byte address in wasm memory.
import type { Ptr } from './kernels.js';

export interface ReduceExports {
  // Reductions (fixed summation order: 4 f32x4 accumulators, then the scalar tail).
  /** y[j] = (beta ? y[j] : 0) + Σ_{i<m} x[i·ldx + j], j < n. */
  f32_colsum(m: number, n: number, x: Ptr, ldx: number, y: Ptr, beta: number): void;
  /** Σ x[i]². */
  f32_sumsq(n: number, x: Ptr): number;
  /** Σ |x[i]|. */
  f32_sumabs(n: number, x: Ptr): number;
  /** max |x[i]| (0 for n = 0, NaN if any NaN). */
  f32_maxabs(n: number, x: Ptr): number;
  /** out[r] (i32) = index of the first maximum of row r (first NaN if any; -1 if cols = 0). */
  f32_argmax_rows(rows: number, cols: number, x: Ptr, out: Ptr): void;
  /** Index of the first NaN/±Inf, or -1. */
  f32_find_nonfinite(n: number, x: Ptr): number;

  // L1L2 regularizer (Keras 3 keras/src/regularizers/regularizers.py).
  /** l1·Σ|w| + l2·Σw² (a term with a zero coefficient is skipped). */
  f32_l1l2_penalty(n: number, w: Ptr, l1: number, l2: number): number;
  /** g[i] += l1·sign(w[i]) + 2·l2·w[i], sign(±0) = 0. */
  f32_l1l2_grad(n: number, w: Ptr, g: Ptr, l1: number, l2: number): void;

  // Elementwise helpers (an output may alias an input exactly where stated).
  /** y = a·b; y may alias a or b. */
  f32_vmul(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  /** y = a + b; y may alias a or b. */
  f32_vadd(n: number, a: Ptr, b: Ptr, y: Ptr): void;
  /** y = s·x; y may alias x. */
  f32_vscale(n: number, x: Ptr, y: Ptr, s: number): void;
  /** y = x. */
  f32_vcopy(n: number, x: Ptr, y: Ptr): void;
  /** y = v. */
  f32_vfill(n: number, y: Ptr, v: number): void;
  /** y += a·x. */
  f32_vaxpy(n: number, x: Ptr, y: Ptr, a: number): void;
  /** y[i, j] = x[i, j]·m[j] (rows×cols packed); y may alias x. */
  f32_vmul_cols(rows: number, cols: number, x: Ptr, m: Ptr, y: Ptr): void;

  // Dropout on Philox4x32-10 (counter (i >> 2, counter, 0, 0), key (key0, key1), word i % 4).
  // `first` (a multiple of 4): the index of element 0, so a range of a tensor draws what the
  // whole call would (the thread pool splits these by range); 0 for a whole tensor.
  /** y[i] = u_(first+i) = (word >>> 8)·2^-24 ∈ [0, 1). */
  f32_uniform(n: number, y: Ptr, key0: number, key1: number, counter: number, first: number): void;
  /** mask[i] = u_(first+i) ≥ rate ? 1/(1 − rate) : 0. */
  f32_dropout_mask(n: number, mask: Ptr, rate: number, key0: number, key1: number, counter: number, first: number): void;
  /** mask as f32_dropout_mask, y = x·mask; y may alias x. */
  f32_dropout(n: number, x: Ptr, y: Ptr, mask: Ptr, rate: number, key0: number, key1: number, counter: number, first: number): void;
  /** dx = (dy·mask)·d(x), d the derivative of clamp(·, lo, hi) (ReLU, ReLU6) at its output x; dx may alias dy. */
  f32_dropout_clamp_grad(n: number, dy: Ptr, mask: Ptr, x: Ptr, dx: Ptr, lo: number, hi: number): void;
}

export const REDUCE_NAMES: readonly (keyof ReduceExports)[] = [
  'f32_colsum',
  'f32_sumsq',
  'f32_sumabs',
  'f32_maxabs',
  'f32_argmax_rows',
  'f32_find_nonfinite',
  'f32_l1l2_penalty',
  'f32_l1l2_grad',
  'f32_vmul',
  'f32_vadd',
  'f32_vscale',
  'f32_vcopy',
  'f32_vfill',
  'f32_vaxpy',
  'f32_vmul_cols',
  'f32_uniform',
  'f32_dropout_mask',
  'f32_dropout',
  'f32_dropout_clamp_grad',
];

export type { Ptr };

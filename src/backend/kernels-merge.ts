// The assembly/f32-merge family in the kernel table (kernel-spec.ts): what the merge layers need
// beyond the elementwise helpers of f32-reduce (add, multiply, scale, copy). Strides are element
// counts. Maximum/Minimum fold f32_vmax/f32_vmin over their inputs; their gradient is routed by
// f32_vroute_grad, one call per input in order, so ties go to the first input (TensorFlow's
// Maximum/Minimum gradient: x >= y goes to x).
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

export const MERGE_KERNELS = {
  /** y = max(a, b), NaN if either is NaN; y may alias a or b. */
  f32_vmax: split('(n, *a, *b, *y)'),
  /** y = min(a, b), NaN if either is NaN; y may alias a or b. */
  f32_vmin: split('(n, *a, *b, *y)'),
  /** Where x == y: dx = r, r = 0; elsewhere dx = 0 (dx = 0: only r changes). r starts as dy. */
  f32_vroute_grad: split('(n, *x, *y, *r, *dx)'),
  /** y[i·ldy + j] = x[i·ldx + j], i < rows, j < cols (Concatenate's column blocks). */
  f32_copy_block: '(rows, cols, *x, ldx, *y, ldy)',
  /** y[i] = Σ_j a[i, j]·b[i, j] over packed rows, summed in f64 (Dot). */
  f32_rowdot: '(rows, cols, *a, *b, *y)',
  /** y[i, j] = x[i, j]·s[i] over packed rows; y may alias x (Dot's backward). */
  f32_scale_rows: '(rows, cols, *x, *s, *y)',
} as const satisfies KernelTable;

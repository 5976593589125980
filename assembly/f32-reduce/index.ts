// Re-exports of the f32-reduce family: reductions, the L1L2 regularizer and elementwise helpers.
export { f32_colsum, f32_sumsq, f32_find_nonfinite } from './reduce';
export { f32_l1l2_penalty, f32_l1l2_grad } from './regularizer';
export {
  f32_vmul,
  f32_vadd,
  f32_vscale,
  f32_vcopy,
  f32_vfill,
  f32_vaxpy,
  f32_vmul_cols,
} from './elementwise';

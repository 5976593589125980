// Re-exports of the f32-reduce family: reductions, the L1L2 regularizer, elementwise helpers
// and Philox dropout.
export {
  f32_colsum,
  f32_sumsq,
  f32_sumabs,
  f32_maxabs,
  f32_argmax_rows,
  f32_find_nonfinite,
} from './reduce';
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
export { f32_uniform, f32_dropout_mask, f32_dropout, f32_dropout_clamp_grad } from './dropout';

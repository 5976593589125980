// Re-exports of the f32-loss family: losses (value + gradient) and metric counts.
export { f32_softmax_xent, f32_sparse_softmax_xent, f32_xent, f32_sparse_xent } from './xent';
export { f32_sigmoid_bce, f32_bce } from './bce';
export { f32_mse, f32_mae, f32_huber } from './regression';
export {
  f32_count_argmax_match,
  f32_count_sparse_match,
  f32_count_binary_match,
  f32_sum_abs_diff,
  f32_sum_sq_diff,
} from './metrics';

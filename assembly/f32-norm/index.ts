// Re-exports of the f32-norm family: batch and layer normalization.
export { f32_batchnorm_stats, f32_batchnorm_coeffs, f32_vaffine_cols, f32_batchnorm_grad } from './batchnorm';
export { f32_layernorm, f32_layernorm_grad } from './layernorm';

// Re-exports of the f32-norm family: random normals and masks for the noise layers, the
// broadcast mask product of the dropout family, batch and layer normalization.
export { f32_normal, f32_bernoulli } from './random';
export { f32_vmul_bcast } from './bcast';
export { f32_batchnorm_stats, f32_batchnorm_coeffs, f32_vaffine_cols, f32_batchnorm_grad } from './batchnorm';
export { f32_layernorm, f32_layernorm_grad } from './layernorm';

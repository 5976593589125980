// Re-exports of the f32-dropout family: the dropout and noise layers' random draws on the
// Philox4x32-10 stream (uniforms, dropout masks, normals, Bernoulli masks), the backward pass of
// dropout fused with a ReLU/ReLU6 derivative, and the broadcast mask product of noise shapes.
export { f32_uniform, f32_dropout_mask, f32_dropout, f32_dropout_clamp_grad } from './dropout';
export { f32_normal, f32_bernoulli } from './random';
export { f32_vmul_bcast } from './bcast';

// The only entry asc compiles: every kernel the wasm builds export.
// Kernels take sizes, byte pointers and scalars; none allocates (runtime: stub).

export {
  f32_gemm_nn_minmax,
  f32_gemm_tn_minmax,
  f32_gemm_nt_minmax,
  f32_gemm_workspace_bytes,
  f32_gemm_nn_minmax_6x8,
  f32_gemm_tn_minmax_6x8,
  f32_gemm_nt_minmax_6x8,
} from './f32-gemm/gemm';
export { f32_peak_fma } from './f32-misc/peak';

/** First byte past the module's static data: where the host's arena may start. */
export function heap_base(): usize {
  return __heap_base;
}
export * from './f32-vunary/index';
export * from './f32-reduce/index';
export * from './f32-dropout/index';
export * from './f32-loss/index';
export * from './f32-optim/index';
export * from './f32-prox/index';
export * from './f32-norm/index';
export * from './f32-merge/index';
export * from './f32-conv/index';
export * from './f32-pool/index';
export * from './f32-rnn/index';
export * from './f32-augment/index';
export * from './f32-embed/index';

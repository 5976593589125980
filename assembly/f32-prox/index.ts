// Re-exports of the f32-prox family: what runs on a weight after its optimizer update (the
// proximal L1 step, weight constraints), the zero counts that report the sparsity it makes, and
// MC-dropout statistics.
export { f32_prox_l1, f32_prox_l1_adam, f32_prox_l1_rms, f32_prox_l1_ftrl, f32_count_zeros } from './prox';
export { f32_nonneg, f32_minmax_norm } from './constraint';
export { f32_welford, f32_welford_std } from './stats';

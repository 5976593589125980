// Re-exports of the f32-optim family: in-place optimizer updates, one call per parameter
// buffer (Keras 3 keras/src/optimizers/*.py) with the penalty gradient, clipping and an
// elementwise constraint fused in (common.ts), gradient clipping by value, and the gradient norm
// with the penalty folded in (clipnorm).
export { f32_sgd, f32_sgd_momentum } from './sgd';
export { f32_adam } from './adam';
export { f32_rmsprop } from './rmsprop';
export { f32_adagrad } from './adagrad';
export { f32_ftrl } from './ftrl';
export { f32_clip_by_value, f32_l1l2_grad_sumsq } from './clip';

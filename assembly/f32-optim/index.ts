// Re-exports of the f32-optim family: in-place optimizer updates, one call per parameter
// buffer (Keras 3 keras/src/optimizers/*.py), and gradient clipping by value.
export { f32_sgd, f32_sgd_momentum } from './sgd';
export { f32_adam } from './adam';
export { f32_rmsprop } from './rmsprop';
export { f32_adagrad } from './adagrad';
export { f32_clip_by_value } from './clip';

// Typed exports of the assembly/f32-optim family. Keep in step with assembly/f32-optim/index.ts.
// In-place optimizer updates after Keras 3 keras/src/optimizers/*.py: sizes are element counts,
// pointers are byte addresses, `wd` is weight_decay·learning_rate (0: no decay), applied first.
import type { Ptr } from './kernels.js';

export interface OptimExports {
  /** w ← w − lr·g. */
  f32_sgd(n: number, w: Ptr, g: Ptr, lr: number, wd: number): void;
  /** m ← μ·m − lr·g; w ← w + m, or w ← w + μ·m − lr·g if nesterov ≠ 0. */
  f32_sgd_momentum(n: number, w: Ptr, g: Ptr, m: Ptr, lr: number, momentum: number, nesterov: number, wd: number): void;
  /** Adam (AdamW with wd ≠ 0; AMSGrad with vhat ≠ 0); lrT = lr·√(1 − β2^t)/(1 − β1^t) from float64. */
  f32_adam(n: number, w: Ptr, g: Ptr, m: Ptr, v: Ptr, vhat: Ptr,
    lrT: number, beta1: number, beta2: number, eps: number, wd: number): void;
  /** RMSprop; centered with mg ≠ 0, momentum with mom ≠ 0. */
  f32_rmsprop(n: number, w: Ptr, g: Ptr, v: Ptr, mg: Ptr, mom: Ptr,
    lr: number, rho: number, momentum: number, eps: number, wd: number): void;
  /** acc ← acc + g²; w ← w − lr·g/√(acc + ε). */
  f32_adagrad(n: number, w: Ptr, g: Ptr, acc: Ptr, lr: number, eps: number, wd: number): void;
  /** out = min(max(g, −clip), clip); out may alias g. */
  f32_clip_by_value(n: number, g: Ptr, out: Ptr, clip: number): void;
}

export const OPTIM_NAMES: readonly (keyof OptimExports)[] = [
  'f32_sgd',
  'f32_sgd_momentum',
  'f32_adam',
  'f32_rmsprop',
  'f32_adagrad',
  'f32_clip_by_value',
];

export type { Ptr };

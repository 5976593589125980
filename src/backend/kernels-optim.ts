// Typed exports of the assembly/f32-optim family. Keep in step with assembly/f32-optim/index.ts.
// In-place optimizer updates after Keras 3 keras/src/optimizers/*.py: sizes are element counts,
// pointers are byte addresses, `wd` is weight_decay·learning_rate (0: no decay), applied first.
// `params` (last): the fused-options block (assembly/f32-optim/common.ts, FUSED_* below; 0 = none):
// the update uses g' = clip(scale·(g + l1·sign(w) + 2·l2·w), lo, hi), then clamps w to [wLo, wHi].
import type { Ptr } from './kernels.js';

/** The fused-options block: 8 words of 4 bytes; word 0 is the i32 flags, the others f32. */
export const FUSED_BLOCK_BYTES = 32;
/** Flag bits (word 0) and word indices of the fused-options block. */
export const FUSED = {
  PENALTY: 1, SCALE: 2, CLIP: 4, CLAMP: 8,
  L1: 1, L2: 2, SCALE_WORD: 3, CLIP_LO: 4, CLIP_HI: 5, W_LO: 6, W_HI: 7,
} as const;

export interface OptimExports {
  /** w ← w − lr·g. */
  f32_sgd(n: number, w: Ptr, g: Ptr, lr: number, wd: number, params: Ptr): void;
  /** m ← μ·m − lr·g; w ← w + m, or w ← w + μ·m − lr·g if nesterov ≠ 0. */
  f32_sgd_momentum(n: number, w: Ptr, g: Ptr, m: Ptr, lr: number, momentum: number, nesterov: number, wd: number, params: Ptr): void;
  /** Adam (AdamW with wd ≠ 0; AMSGrad with vhat ≠ 0); lrT = lr·√(1 − β2^t)/(1 − β1^t) from float64. */
  f32_adam(n: number, w: Ptr, g: Ptr, m: Ptr, v: Ptr, vhat: Ptr,
    lrT: number, beta1: number, beta2: number, eps: number, wd: number, params: Ptr): void;
  /** RMSprop; centered with mg ≠ 0, momentum with mom ≠ 0. */
  f32_rmsprop(n: number, w: Ptr, g: Ptr, v: Ptr, mg: Ptr, mom: Ptr,
    lr: number, rho: number, momentum: number, eps: number, wd: number, params: Ptr): void;
  /** acc ← acc + g²; w ← w − lr·g/√(acc + ε). */
  f32_adagrad(n: number, w: Ptr, g: Ptr, acc: Ptr, lr: number, eps: number, wd: number, params: Ptr): void;
  /** out = min(max(g, −clip), clip); out may alias g. */
  f32_clip_by_value(n: number, g: Ptr, out: Ptr, clip: number): void;
  /** Σ (g + l1·sign(w) + 2·l2·w)²: f32_sumsq of what f32_l1l2_grad would leave in g, bit for bit, without writing it. */
  f32_l1l2_grad_sumsq(n: number, w: Ptr, g: Ptr, l1: number, l2: number): number;
}

export const OPTIM_NAMES: readonly (keyof OptimExports)[] = [
  'f32_sgd',
  'f32_sgd_momentum',
  'f32_adam',
  'f32_rmsprop',
  'f32_adagrad',
  'f32_clip_by_value',
  'f32_l1l2_grad_sumsq',
];

export type { Ptr };

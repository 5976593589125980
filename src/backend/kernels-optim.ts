// The assembly/f32-optim family in the kernel table (kernel-spec.ts): in-place optimizer updates
// after Keras 3 keras/src/optimizers/*.py; sizes are element counts, `wd` is
// weight_decay·learning_rate (0: no decay), applied first.
// `params` (last): the fused-options block (assembly/f32-optim/common.ts, FUSED_* below; 0 = none):
// the update uses g' = clip(scale·(g + l1·sign(w) + 2·l2·w), lo, hi), then clamps w to [wLo, wHi].
// The pool splits the updates by range; every thread reads the whole block (`shared`).
import type { KernelTable } from './kernel-spec.js';
import { split, usedBy } from './kernel-spec.js';

export type { Ptr } from './kernel-spec.js';

/** The fused-options block: 8 words of 4 bytes; word 0 is the i32 flags, the others f32. */
export const FUSED_BLOCK_BYTES = 32;
/** Flag bits (word 0) and word indices of the fused-options block. */
export const FUSED = {
  PENALTY: 1, SCALE: 2, CLIP: 4, CLAMP: 8,
  L1: 1, L2: 2, SCALE_WORD: 3, CLIP_LO: 4, CLIP_HI: 5, W_LO: 6, W_HI: 7,
} as const;

const BLOCK = { shared: ['params'] } as const;

export const OPTIM_KERNELS = {
  /** w ← w − lr·g. */
  f32_sgd: split('(n, *w, *g, lr, wd, *params)', BLOCK),
  /** m ← μ·m − lr·g; w ← w + m, or w ← w + μ·m − lr·g if nesterov ≠ 0. */
  f32_sgd_momentum: split('(n, *w, *g, *m, lr, momentum, nesterov, wd, *params)', BLOCK),
  /** Adam (AdamW with wd ≠ 0; AMSGrad with vhat ≠ 0); lrT = lr·√(1 − β2^t)/(1 − β1^t) from float64. */
  f32_adam: split('(n, *w, *g, *m, *v, *vhat, lrT, beta1, beta2, eps, wd, *params)', BLOCK),
  /** RMSprop; centered with mg ≠ 0, momentum with mom ≠ 0. */
  f32_rmsprop: split('(n, *w, *g, *v, *mg, *mom, lr, rho, momentum, eps, wd, *params)', BLOCK),
  /** acc ← acc + g²; w ← w − lr·g/√(acc + ε). */
  f32_adagrad: split('(n, *w, *g, *acc, lr, eps, wd, *params)', BLOCK),
  /** FTRL (Keras 3 ftrl.py); e = −learning_rate_power, l2x2 = 2·l2 + beta/lr, l2sx2 = 2·l2_shrinkage. */
  f32_ftrl: split('(n, *w, *g, *acc, *lin, lr, e, l1, l2x2, l2sx2, wd, *params)', BLOCK),
  /**
   * out = min(max(g, −clip), clip); out may alias g. The optimizers clip inside their update
   * (the block); this separate pass is what the fused one must match bit for bit (test/helpers/fused.ts).
   */
  f32_clip_by_value: usedBy('(n, *g, *out, clip)', 'tests'),
  /** Σ (g + l1·sign(w) + 2·l2·w)²: f32_sumsq of what f32_l1l2_grad would leave in g, bit for bit, without writing it. */
  f32_l1l2_grad_sumsq: '(n, *w, *g, l1, l2) -> number',
} as const satisfies KernelTable;

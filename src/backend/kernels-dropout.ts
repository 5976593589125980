// The assembly/f32-dropout family in the kernel table (kernel-spec.ts): the dropout and noise
// layers' random draws on Philox4x32-10 (counter (i >> 2, counter, 0, 0), key (key0, key1),
// word i % 4), their masks and the broadcast mask product. Sizes are element counts.
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

/** Philox draws cost ~2.5 ns an element, so they split from far smaller sizes than a copy. */
const DRAWS = 1 << 12;

export const DROPOUT_KERNELS = {
  // `first` (a multiple of 4): the index of element 0, so a range of a tensor draws what the
  // whole call would (the pool splits these by range, adding each range's start); 0 for a whole tensor.
  /**
   * y[i] = u_(first+i) = (word >>> 8)·2^-24 ∈ [0, 1). The stream every draw below is defined on
   * (normals and Bernoulli masks call it inside wasm); the augmentation layers draw their
   * per-sample parameters with it (src/layers/augment-base.ts); the known-answer tests use it too.
   */
  f32_uniform: split('(n, *y, key0, key1, counter, first)', { index: 'first', minElements: DRAWS }),
  /** mask[i] = u_(first+i) ≥ rate ? 1/(1 − rate) : 0. */
  f32_dropout_mask: split('(n, *mask, rate, key0, key1, counter, first)', { index: 'first', minElements: DRAWS }),
  /** mask as f32_dropout_mask, y = x·mask; y may alias x. */
  f32_dropout: split('(n, *x, *y, *mask, rate, key0, key1, counter, first)', { index: 'first', minElements: DRAWS }),
  /** dx = (dy·mask)·d(x), d the derivative of clamp(·, lo, hi) (ReLU, ReLU6) at its output x; dx may alias dy. */
  f32_dropout_clamp_grad: split('(n, *dy, *mask, *x, *dx, lo, hi)'),

  // Draws from the uniform u_i of f32_uniform(key0, key1, counter) (first = 0).
  /** y[i] = mean + stddev·Φ⁻¹(u_i + 2^-25) (AS 241 PPND7). */
  f32_normal: '(n, *y, mean, stddev, key0, key1, counter)',
  /** y[i] = u_i ≥ p ? v : 0. */
  f32_bernoulli: '(n, *y, p, v, key0, key1, counter)',

  /** x as p×q×r, m as p×r: y = x·m[i,k] + (m[i,k] ≠ 0 ? on : off) (a plain product when on = off = 0); y may alias x. */
  f32_vmul_bcast: '(p, q, r, *x, *m, *y, on, off)',
} as const satisfies KernelTable;

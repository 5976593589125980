// The assembly/f32-embed family in the kernel table (kernel-spec.ts): Embedding's gather and
// scatter-add gradient, the masks of Embedding(maskZero) and Masking, and GlobalAveragePooling1D's
// mean over the real steps. Ids are f32 holding integers; masks are f32 [rows × steps]. None is
// split by the thread pool: the scatter-add runs in sample order on one thread (the same bits for
// any thread count), and the others are single passes over small buffers.
import type { KernelTable } from './kernel-spec.js';

export const EMBED_KERNELS = {
  /** y[i, :] = table[ids[i], :]; returns -1, or the first i whose id is not an integer in [0, tableRows). */
  f32_embed_gather: '(n, dim, *ids, *table, tableRows, *y) -> number',
  /** dtable[ids[i], :] += dy[i, :] in sample order; untouched rows keep their values, bad ids are skipped. */
  f32_embed_scatter_add: '(n, dim, *ids, *dy, tableRows, *dtable)',
  /** mask[i] = ids[i] != 0 (Embedding's maskZero). */
  f32_ids_nonzero: '(n, *ids, *mask)',
  /** Masking: per step keep = any feature != value; y = x·keep, mask = keep (mask 0: not written). */
  f32_mask_steps: '(n, features, *x, value, *y, *mask)',
  /** Masking's backward: dx = dy on kept steps, 0 on masked ones. */
  f32_mask_steps_grad: '(n, features, *x, value, *dy, *dx)',
  /** y[r, f] = Σ_t mask·x / Σ_t mask (f64 sums; 0/0 = NaN as Keras). */
  f32_masked_mean_steps: '(rows, steps, features, *x, *mask, *y)',
  /** dx[r, t, f] = mask[r, t]·dy[r, f] / Σ_t mask[r, t]. */
  f32_masked_mean_steps_grad: '(rows, steps, features, *dy, *mask, *dx)',
} as const satisfies KernelTable;

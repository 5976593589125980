// The kernel table: every wasm export, once, joined from the per-family tables (one file per
// assembly/ folder, kernels-<family>.ts; the vocabulary is in kernel-spec.ts). One table for all
// builds: relaxed SIMD and threads are builds of the same source, never different names.
// Derived from it: KernelExports (the typed exports), KERNEL_NAMES (checked by the loader), the
// thread pool's split tables (threads.ts) and the activation table (src/activations).
import type { ExportsOf, KernelTable } from './kernel-spec.js';
import { usedBy } from './kernel-spec.js';
import { GEMM_KERNELS } from './kernels-gemm.js';
import { VUNARY_KERNELS } from './kernels-vunary.js';
import { REDUCE_KERNELS } from './kernels-reduce.js';
import { DROPOUT_KERNELS } from './kernels-dropout.js';
import { LOSS_KERNELS } from './kernels-loss.js';
import { OPTIM_KERNELS } from './kernels-optim.js';
import { PROX_KERNELS } from './kernels-prox.js';
import { NORM_KERNELS } from './kernels-norm.js';
import { MERGE_KERNELS } from './kernels-merge.js';
import { CONV_KERNELS } from './kernels-conv.js';
import { POOL_KERNELS } from './kernels-pool.js';
import { RNN_KERNELS } from './kernels-rnn.js';
import { AUGMENT_KERNELS } from './kernels-augment.js';
import { EMBED_KERNELS } from './kernels-embed.js';

export type { Ptr } from './kernel-spec.js';

export const KERNELS = {
  /** First byte past the module's static data: where the host's arena may start. */
  heap_base: '() -> number',
  /** The FMA peak loop of DESIGN.md's "Measuring speed" (assembly/f32-misc): 12 chains, `iters` steps. */
  f32_peak_fma: usedBy('(iters, x, y) -> number', 'bench'),
  ...GEMM_KERNELS,
  ...VUNARY_KERNELS,
  ...REDUCE_KERNELS,
  ...DROPOUT_KERNELS,
  ...LOSS_KERNELS,
  ...OPTIM_KERNELS,
  ...PROX_KERNELS,
  ...NORM_KERNELS,
  ...MERGE_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
  ...RNN_KERNELS,
  ...AUGMENT_KERNELS,
  ...EMBED_KERNELS,
} as const satisfies KernelTable;

/** The wasm exports, typed: `k.f32_sgd(n, w, g, lr, wd, params)`. An interface, so messages name it. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface KernelExports extends ExportsOf<typeof KERNELS> {}

export type KernelName = keyof KernelExports;

/** Every export the wasm builds have (besides memory): the loader checks them, a test checks the binaries. */
export const KERNEL_NAMES = Object.keys(KERNELS) as readonly KernelName[];

// The wasm exports, typed. One interface for all builds: relaxed SIMD and threads are
// builds of the same source, never different names. Each kernel family types its own
// exports in kernels-<family>.ts; this file joins them.
import type { VunaryExports } from './kernels-vunary.js';
import type { ReduceExports } from './kernels-reduce.js';
import type { LossExports } from './kernels-loss.js';
import type { OptimExports } from './kernels-optim.js';
import type { ProxExports } from './kernels-prox.js';
import type { NormExports } from './kernels-norm.js';
import { VUNARY_NAMES } from './kernels-vunary.js';
import { REDUCE_NAMES } from './kernels-reduce.js';
import { LOSS_NAMES } from './kernels-loss.js';
import { OPTIM_NAMES } from './kernels-optim.js';
import { PROX_NAMES } from './kernels-prox.js';
import { NORM_NAMES } from './kernels-norm.js';

/** A byte address in wasm memory. */
export type Ptr = number;

export interface KernelExports extends VunaryExports, ReduceExports, LossExports, OptimExports, ProxExports, NormExports {
  heap_base(): Ptr;
  f32_peak_fma(iters: number, x: number, y: number): number;

  // f32-gemm: C = β·C + op(A)·op(B) + bias, clamped to [min, max]
  f32_gemm_workspace_bytes(m: number, n: number, k: number): number;
  f32_gemm_nn_minmax(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
  f32_gemm_tn_minmax(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
  f32_gemm_nt_minmax(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
  // The same with a 6×8 register tile: bit-identical results, picked at start-up where faster.
  f32_gemm_nn_minmax_6x8(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
  f32_gemm_tn_minmax_6x8(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
  f32_gemm_nt_minmax_6x8(m: number, n: number, k: number, a: Ptr, lda: number, b: Ptr, ldb: number,
    bias: Ptr, beta: number, c: Ptr, ldc: number, min: number, max: number, ws: Ptr): void;
}

export type KernelName = keyof KernelExports;

/** Every export the wasm builds must have: a test checks the binaries against this list. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'heap_base',
  'f32_peak_fma',
  'f32_gemm_workspace_bytes',
  'f32_gemm_nn_minmax',
  'f32_gemm_tn_minmax',
  'f32_gemm_nt_minmax',
  'f32_gemm_nn_minmax_6x8',
  'f32_gemm_tn_minmax_6x8',
  'f32_gemm_nt_minmax_6x8',
  ...VUNARY_NAMES,
  ...REDUCE_NAMES,
  ...LOSS_NAMES,
  ...OPTIM_NAMES,
  ...PROX_NAMES,
  ...NORM_NAMES,
];

// Typed exports of the assembly/f32-reduce family. Keep in step with assembly/f32-reduce/index.ts.
import type { Ptr } from './kernels.js';

export interface ReduceExports {
  f32_reduce_placeholder(): void;
}

export const REDUCE_NAMES: readonly (keyof ReduceExports)[] = ['f32_reduce_placeholder'];

export type { Ptr };

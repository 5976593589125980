// Typed exports of the assembly/f32-optim family. Keep in step with assembly/f32-optim/index.ts.
import type { Ptr } from './kernels.js';

export interface OptimExports {
  f32_optim_placeholder(): void;
}

export const OPTIM_NAMES: readonly (keyof OptimExports)[] = ['f32_optim_placeholder'];

export type { Ptr };

// Typed exports of the assembly/f32-loss family. Keep in step with assembly/f32-loss/index.ts.
import type { Ptr } from './kernels.js';

export interface LossExports {
  f32_loss_placeholder(): void;
}

export const LOSS_NAMES: readonly (keyof LossExports)[] = ['f32_loss_placeholder'];

export type { Ptr };

// Typed exports of the assembly/f32-vunary family. Keep in step with assembly/f32-vunary/index.ts.
import type { Ptr } from './kernels.js';

export interface VunaryExports {
  f32_vunary_placeholder(): void;
}

export const VUNARY_NAMES: readonly (keyof VunaryExports)[] = ['f32_vunary_placeholder'];

export type { Ptr };

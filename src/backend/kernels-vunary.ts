// Typed exports of the assembly/f32-vunary family. Keep in step with assembly/f32-vunary/index.ts.
import type { Ptr } from './kernels.js';

/** Element-wise forward: y[i] = f(x[i]), i < n. y may alias x. `alpha` is read only where VUNARY_ALPHA lists a default. */
export type VunaryForward = (n: number, x: Ptr, y: Ptr, alpha: number) => void;

/** Element-wise backward: dx[i] = dy[i]·f'(x[i]); x is the forward input, y its output. dx may alias dy. */
export type VunaryBackward = (n: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, alpha: number) => void;

/**
 * Activations with a kernel pair `f32_v<name>` / `f32_v<name>_grad`, by their Keras 3 name
 * (keras/src/activations/activations.py). Keras `gelu(approximate=True)` is `gelu_tanh`;
 * Keras `silu` is `swish`.
 */
export const VUNARY_ACTIVATIONS = [
  'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'gelu', 'gelu_tanh', 'sigmoid', 'hard_sigmoid',
  'tanh', 'softplus', 'softsign', 'swish', 'linear', 'exponential',
] as const;

export type VunaryActivation = (typeof VUNARY_ACTIVATIONS)[number];

/** The activations that read `alpha`, with Keras's default (leaky_relu: negative_slope; elu: alpha). */
export const VUNARY_ALPHA: Readonly<Partial<Record<VunaryActivation, number>>> = { leaky_relu: 0.2, elu: 1.0 };

export type VunaryForwardName = `f32_v${VunaryActivation}`;
export type VunaryBackwardName = `f32_v${VunaryActivation}_grad`;

/** Row-wise kernels: `rows` contiguous rows of `cols` floats. */
export interface SoftmaxExports {
  /** y = e^(x − max)/Σ e^(x − max) per row. y may alias x. */
  f32_softmax(rows: number, cols: number, x: Ptr, y: Ptr): void;
  /** dx = y·(dy − Σ dy·y) per row. dx may alias dy. */
  f32_softmax_grad(rows: number, cols: number, y: Ptr, dy: Ptr, dx: Ptr): void;
  /** y = x − max − log Σ e^(x − max) per row. y may alias x. */
  f32_log_softmax(rows: number, cols: number, x: Ptr, y: Ptr): void;
  /** dx = dy − e^y·Σ dy per row. dx may alias dy. */
  f32_log_softmax_grad(rows: number, cols: number, y: Ptr, dy: Ptr, dx: Ptr): void;
}

export type VunaryExports = { [K in VunaryForwardName]: VunaryForward } &
  { [K in VunaryBackwardName]: VunaryBackward } &
  SoftmaxExports;

/** The forward and backward export names of an activation. */
export function vunaryKernelNames(name: VunaryActivation): { forward: VunaryForwardName; backward: VunaryBackwardName } {
  return { forward: `f32_v${name}`, backward: `f32_v${name}_grad` };
}

export const VUNARY_NAMES: readonly (keyof VunaryExports)[] = [
  ...VUNARY_ACTIVATIONS.flatMap((a) => {
    const { forward, backward } = vunaryKernelNames(a);
    return [forward, backward];
  }),
  'f32_softmax',
  'f32_softmax_grad',
  'f32_log_softmax',
  'f32_log_softmax_grad',
];

export type { Ptr };

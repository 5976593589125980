// The assembly/f32-vunary family in the kernel table (kernel-spec.ts): one forward/backward pair
// per elementwise activation, row-wise (log-)softmax, and the activation layers' kernels (ReLU
// with all of Keras's arguments, PReLU). The activation table
// (src/activations/index.ts) is derived from ACTIVATION_KERNELS: which names exist, their alpha
// defaults, which fuse into the GEMM epilogue as a clamp.
import type { KernelTable, Ptr } from './kernel-spec.js';
import { split } from './kernel-spec.js';

/** What a kernel pair computes for the activation table. */
export interface ActivationKernelInfo {
  /** The activation names (Keras / TF.js spelling) computed by this pair; default: the pair's own name. */
  readonly names?: readonly string[];
  /** The default `alpha` of the activations that read it; the others ignore it. */
  readonly alpha?: number;
  /** The activation is clamp(x, lo, hi): it fuses into the GEMM epilogue. */
  readonly clamp?: readonly [number, number];
}

/**
 * The pairs `f32_v<name>` / `f32_v<name>_grad`, by their Keras 3 name
 * (keras/src/activations/activations.py). `linear` has no pair: it is the GEMM epilogue with
 * no clamp, or a copy.
 */
export const ACTIVATION_KERNELS = {
  relu: { clamp: [0, Infinity] },
  relu6: { clamp: [0, 6] },
  /** alpha: Keras negative_slope. */
  leaky_relu: { alpha: 0.2 },
  /** alpha: Keras alpha. */
  elu: { alpha: 1 },
  selu: {},
  /** The exact GELU, x·Φ(x) (Keras `gelu(x, approximate=False)`). */
  gelu: {},
  /** The tanh approximation: Keras `gelu(x, approximate=True)`, TF.js `'gelu_new'`. */
  gelu_tanh: { names: ['gelu_new'] },
  sigmoid: {},
  hard_sigmoid: {},
  tanh: {},
  softplus: {},
  softsign: {},
  /** Keras 3 names it `silu` and keeps `swish` as an alias. */
  swish: { names: ['swish', 'silu'] },
  exponential: {},
} as const satisfies Record<string, ActivationKernelInfo>;

export type ActivationKernel = keyof typeof ACTIVATION_KERNELS;

/** Element-wise forward: y[i] = f(x[i]), i < n. y may alias x. */
const FORWARD = '(n, *x, *y, alpha)';
/** Element-wise backward: dx[i] = dy[i]·f'(x[i]); x is the forward input, y its output. dx may alias dy. */
const BACKWARD = '(n, *x, *y, *dy, *dx, alpha)';

export type VunaryForward = (n: number, x: Ptr, y: Ptr, alpha: number) => void;
export type VunaryBackward = (n: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, alpha: number) => void;

/** The forward and backward export names of a pair. */
export function vunaryKernelNames<K extends ActivationKernel>(name: K): { forward: `f32_v${K}`; backward: `f32_v${K}_grad` } {
  return { forward: `f32_v${name}`, backward: `f32_v${name}_grad` };
}

type PairKernels = { readonly [K in ActivationKernel as `f32_v${K}`]: typeof FORWARD } &
  { readonly [K in ActivationKernel as `f32_v${K}_grad`]: typeof BACKWARD };

function pairKernels(): PairKernels {
  const t: Record<string, string> = {};
  for (const name of Object.keys(ACTIVATION_KERNELS) as ActivationKernel[]) {
    const { forward, backward } = vunaryKernelNames(name);
    t[forward] = FORWARD;
    t[backward] = BACKWARD;
  }
  return t as PairKernels;
}

export const VUNARY_KERNELS = {
  ...pairKernels(),
  // The backward pass of a large ReLU layer splits across the pool.
  f32_vrelu_grad: split(BACKWARD),
  /** y = e^(x − max)/Σ e^(x − max) per row of `cols` floats. y may alias x. */
  f32_softmax: '(rows, cols, *x, *y)',
  /** dx = y·(dy − Σ dy·y) per row. dx may alias dy. */
  f32_softmax_grad: '(rows, cols, *y, *dy, *dx)',
  /** y = x − max − log Σ e^(x − max) per row. y may alias x. */
  f32_log_softmax: '(rows, cols, *x, *y)',
  /** dx = dy − e^y·Σ dy per row. dx may alias dy. */
  f32_log_softmax_grad: '(rows, cols, *y, *dy, *dx)',
  // The activation layers (src/layers/activations.ts, prelu.ts).
  /**
   * Keras 3 `ReLU` with its arguments: y = x > threshold ? min(x, max_value) : negative_slope·(x − threshold)
   * (max_value +inf: none; ThresholdedReLU is negative_slope 0). y may alias x.
   */
  f32_vrelu_ext: split('(n, *x, *y, max_value, negative_slope, threshold)'),
  /** dx = dy·(x > threshold ? (x < max_value ? 1 : 0) : negative_slope). dx may alias dy. */
  f32_vrelu_ext_grad: split('(n, *x, *dy, *dx, max_value, negative_slope, threshold)'),
  /** PReLU over x [p, a, q, c] with alpha [a, c]: y = x > 0 ? x : alpha·x. y may alias x. */
  f32_prelu: '(p, a, q, c, *x, *alpha, *y)',
  /**
   * PReLU backward: dx = dy·(x > 0 ? 1 : alpha) (dx = 0: none), dalpha = (beta ? dalpha : 0) + Σ_{p,q} dy·min(x, 0)
   * (dalpha = 0: none). dx may alias dy.
   */
  f32_prelu_grad: '(p, a, q, c, *x, *alpha, *dy, *dx, *dalpha, beta)',
} as const satisfies KernelTable;

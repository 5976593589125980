// Activations: names, the wasm kernels that compute them, and which ones fuse into the GEMM
// epilogue as a clamp. Keras 3: keras/src/activations/activations.py.
import { invalidArgument } from '../errors.js';

/** Elementwise kernels share one signature: f(n, x, y, alpha) and grad(n, x, y, dy, dx, alpha). */
export interface ActivationInfo {
  /** Keras name, as written in configs. */
  readonly name: string;
  readonly kind: 'elementwise' | 'softmax' | 'logSoftmax' | 'linear';
  /** wasm export of the forward and backward kernels (elementwise kinds). */
  readonly fwd: string;
  readonly grad: string;
  /** Parameter passed as `alpha` (leaky slope, elu alpha). */
  readonly alpha: number;
  /** If set, the activation is clamp(x, min, max) and fuses into the GEMM epilogue. */
  readonly clamp: readonly [number, number] | null;
}

function elementwise(name: string, kernel: string, alpha = 0, clamp: readonly [number, number] | null = null): ActivationInfo {
  return { name, kind: 'elementwise', fwd: `f32_v${kernel}`, grad: `f32_v${kernel}_grad`, alpha, clamp };
}

const TABLE: Record<string, ActivationInfo> = {
  linear: { name: 'linear', kind: 'linear', fwd: 'f32_vlinear', grad: 'f32_vlinear_grad', alpha: 0, clamp: [-Infinity, Infinity] },
  relu: elementwise('relu', 'relu', 0, [0, Infinity]),
  relu6: elementwise('relu6', 'relu6', 0, [0, 6]),
  leaky_relu: elementwise('leaky_relu', 'leaky_relu', 0.2),
  elu: elementwise('elu', 'elu', 1),
  selu: elementwise('selu', 'selu'),
  gelu: elementwise('gelu', 'gelu'),
  sigmoid: elementwise('sigmoid', 'sigmoid'),
  hard_sigmoid: elementwise('hard_sigmoid', 'hard_sigmoid'),
  tanh: elementwise('tanh', 'tanh'),
  softplus: elementwise('softplus', 'softplus'),
  softsign: elementwise('softsign', 'softsign'),
  swish: elementwise('swish', 'swish'),
  silu: elementwise('silu', 'swish'),
  softmax: { name: 'softmax', kind: 'softmax', fwd: 'f32_softmax', grad: 'f32_softmax_grad', alpha: 0, clamp: null },
  log_softmax: { name: 'log_softmax', kind: 'logSoftmax', fwd: 'f32_log_softmax', grad: 'f32_log_softmax_grad', alpha: 0, clamp: null },
};

const ALIASES: Record<string, string> = {
  leakyRelu: 'leaky_relu', hardSigmoid: 'hard_sigmoid', logSoftmax: 'log_softmax', None: 'linear',
};

export type ActivationIdentifier =
  | 'linear' | 'relu' | 'relu6' | 'leakyRelu' | 'leaky_relu' | 'elu' | 'selu' | 'gelu' | 'sigmoid'
  | 'hardSigmoid' | 'hard_sigmoid' | 'tanh' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'softmax'
  | 'logSoftmax' | 'log_softmax' | (string & {});

/** Resolve an activation name (either spelling); null/undefined mean linear. */
export function get(id: ActivationIdentifier | null | undefined, argName = 'activation'): ActivationInfo {
  if (id === null || id === undefined) return TABLE.linear!;
  if (typeof id === 'string') {
    const key = Object.hasOwn(TABLE, id) ? id : Object.hasOwn(ALIASES, id) ? ALIASES[id]! : undefined;
    if (key !== undefined) return TABLE[key]!;
  }
  throw invalidArgument(argName, `one of ${Object.keys(TABLE).join(', ')}`, id);
}

export function serialize(a: ActivationInfo): string {
  return a.name;
}

/** Every activation name this version knows (Keras spelling). */
export function names(): string[] {
  return Object.keys(TABLE);
}

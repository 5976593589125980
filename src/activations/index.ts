// Activations: names, the wasm kernels that compute them, and which ones fuse into the GEMM
// epilogue as a clamp. Keras 3: keras/src/activations/activations.py. The elementwise ones are
// derived from the kernel table (ACTIVATION_KERNELS in backend/kernels-vunary.ts): a kernel pair
// there is an activation here, under each of its names.
import type { KernelName } from '../backend/kernels.js';
import type { ActivationKernel } from '../backend/kernels-vunary.js';
import { ACTIVATION_KERNELS, vunaryKernelNames } from '../backend/kernels-vunary.js';
import { invalidArgument } from '../errors.js';

/** Elementwise kernels share one signature: f(n, x, y, alpha) and grad(n, x, y, dy, dx, alpha). */
export interface ActivationInfo {
  /** Keras name, as written in configs. */
  readonly name: string;
  readonly kind: 'elementwise' | 'softmax' | 'logSoftmax' | 'linear';
  /** wasm export of the forward and backward kernels (elementwise kinds; linear: the copy when y ≠ x). */
  readonly fwd: KernelName;
  readonly grad: KernelName;
  /** Parameter passed as `alpha` (leaky slope, elu alpha). */
  readonly alpha: number;
  /** If set, the activation is clamp(x, min, max) and fuses into the GEMM epilogue. */
  readonly clamp: readonly [number, number] | null;
}

/** Names of the elementwise activations: each kernel pair's `names`, or its own name. */
type NamesOf<K extends ActivationKernel> = (typeof ACTIVATION_KERNELS)[K] extends { readonly names: readonly (infer N)[] } ? N : K;
type ElementwiseName = { [K in ActivationKernel]: NamesOf<K> }[ActivationKernel];

/** Every activation name (Keras spelling, or TF.js's where Keras has none: `gelu_new`). */
export type ActivationName = 'linear' | ElementwiseName | 'softmax' | 'log_softmax';

function buildTable(): Record<string, ActivationInfo> {
  const t: Record<string, ActivationInfo> = {
    linear: { name: 'linear', kind: 'linear', fwd: 'f32_vcopy', grad: 'f32_vcopy', alpha: 0, clamp: [-Infinity, Infinity] },
  };
  for (const [kernel, info] of Object.entries(ACTIVATION_KERNELS) as [ActivationKernel, (typeof ACTIVATION_KERNELS)[ActivationKernel]][]) {
    const { forward, backward } = vunaryKernelNames(kernel);
    const alpha = 'alpha' in info ? info.alpha : 0;
    const clamp = 'clamp' in info ? info.clamp : null;
    for (const name of 'names' in info ? info.names : [kernel]) {
      t[name] = { name, kind: 'elementwise', fwd: forward, grad: backward, alpha, clamp };
    }
  }
  t.softmax = { name: 'softmax', kind: 'softmax', fwd: 'f32_softmax', grad: 'f32_softmax_grad', alpha: 0, clamp: null };
  t.log_softmax = { name: 'log_softmax', kind: 'logSoftmax', fwd: 'f32_log_softmax', grad: 'f32_log_softmax_grad', alpha: 0, clamp: null };
  return t;
}

const TABLE = buildTable();

/** TF.js's camelCase spellings, and Python's None. */
const ALIASES: Record<string, ActivationName> = {
  leakyRelu: 'leaky_relu', hardSigmoid: 'hard_sigmoid', logSoftmax: 'log_softmax', None: 'linear',
};

export type ActivationIdentifier = ActivationName | 'leakyRelu' | 'hardSigmoid' | 'logSoftmax' | (string & {});

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

// Activations: names, the wasm kernels that compute them, and which ones fuse into the GEMM
// epilogue as a clamp. Keras 3: keras/src/activations/activations.py. The elementwise ones are
// derived from the kernel table (ACTIVATION_KERNELS in backend/kernels-vunary.ts): a kernel pair
// there is an activation here, under each of its names.
import type { KernelName } from '../backend/kernels.js';
import type { ActivationKernel } from '../backend/kernels-vunary.js';
import { ACTIVATION_KERNELS, vunaryKernelNames } from '../backend/kernels-vunary.js';
import { invalidArgument } from '../errors.js';
import { FOLDABLE, reduceActivationLayer } from './layer-configs.js';
import type { ActivationLayerConfig } from './layer-configs.js';

export type { ActivationLayerConfig } from './layer-configs.js';

/** Elementwise kernels share one signature: f(n, x, y, alpha) and grad(n, x, y, dy, dx, alpha). */
export interface ActivationInfo {
  /** Keras name, as written in configs. */
  readonly name: string;
  /** How it is computed: elementwise, a softmax or log-softmax over the last axis, or the identity. */
  readonly kind: 'elementwise' | 'softmax' | 'logSoftmax' | 'linear';
  /** wasm export of the forward kernel (elementwise kinds; linear: the copy when y ≠ x). @internal */
  readonly fwd: KernelName;
  /** wasm export of the backward kernel. @internal */
  readonly grad: KernelName;
  /** Parameter passed as `alpha` (leaky slope, elu alpha). */
  readonly alpha: number;
  /** If set, the activation is clamp(x, min, max) and fuses into the GEMM epilogue. */
  readonly clamp: readonly [number, number] | null;
  /**
   * The activation layer's config it was read from (a Keras 2 Dense `activation: {class_name:
   * 'LeakyReLU', ...}`), where its name alone would lose an argument (alpha 0.3): written back
   * as read. Absent for a plain name.
   */
  readonly layerConfig?: ActivationLayerConfig;
}

/** Names of the elementwise activations: each kernel pair's `names`, or its own name. */
type NamesOf<K extends ActivationKernel> = (typeof ACTIVATION_KERNELS)[K] extends { readonly names: readonly (infer N)[] } ? N : K;
/** The elementwise activations' names, as derived from the kernel table. */
type TableNames = { [K in ActivationKernel]: NamesOf<K> }[ActivationKernel];

/**
 * The names of the elementwise activations (Keras spelling; `'gelu_new'` is TF.js's name for the tanh
 * approximation of GELU, `'silu'` Keras 3's name for `'swish'`).
 */
export type ElementwiseName = 'relu' | 'relu6' | 'leaky_relu' | 'elu' | 'selu' | 'gelu' | 'gelu_new' | 'sigmoid' | 'hard_sigmoid'
  | 'tanh' | 'softplus' | 'softsign' | 'swish' | 'silu' | 'exponential';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/**
 * Compiles only while ElementwiseName lists exactly the kernel table's names: a kernel pair added to
 * ACTIVATION_KERNELS needs its name added above.
 * @internal
 */
export type ElementwiseNamesMatchTable = Holds<Same<TableNames, ElementwiseName>>;

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

/**
 * An activation name (either spelling), or an activation layer's config as Keras 2 writes it in a
 * Dense config (`{ class_name: 'ReLU', config: {...} }`; see {@link ActivationLayerConfig}).
 */
export type ActivationIdentifier = ActivationName | 'leakyRelu' | 'hardSigmoid' | 'logSoftmax' | (string & {}) | ActivationLayerConfig;

/** Resolve an activation name (either spelling) or an activation layer's config; null/undefined mean linear. */
export function get(id: ActivationIdentifier | null | undefined, argName = 'activation'): ActivationInfo {
  if (id === null || id === undefined) return TABLE.linear!;
  if (typeof id === 'string') {
    const key = Object.hasOwn(TABLE, id) ? id : Object.hasOwn(ALIASES, id) ? ALIASES[id]! : undefined;
    if (key !== undefined) return TABLE[key]!;
  } else if (typeof id === 'object' && typeof (id as { class_name?: unknown }).class_name === 'string') {
    return fromLayerConfig(id, argName);
  }
  throw invalidArgument(argName, `one of ${Object.keys(TABLE).join(', ')}`, id);
}

/**
 * An activation layer's config folded into a plain activation (layer-configs.ts): the plain
 * entry where its name says everything (written back as the name, which TF.js reads), else that
 * entry with the config's alpha, written back as the config.
 */
function fromLayerConfig(lc: ActivationLayerConfig, argName: string): ActivationInfo {
  const r = reduceActivationLayer(lc);
  if ('refused' in r) {
    throw invalidArgument(argName, `an activation name, or the config of an activation layer that is one (${FOLDABLE}); ` +
      `${r.refused} is not: give the layer no activation and put the activation layer after it`, lc);
  }
  const base = get(r.name, argName);
  const alpha = r.alpha ?? base.alpha;
  if (alpha === base.alpha) return base;
  const layerConfig = JSON.parse(JSON.stringify({ class_name: lc.class_name, config: lc.config ?? {} })) as ActivationLayerConfig;
  return { ...base, alpha, layerConfig };
}

/** The name, or the activation layer's config it was read from where the name would lose its alpha. */
export function serialize(a: ActivationInfo): string | ActivationLayerConfig {
  return a.layerConfig ?? a.name;
}

/** Every activation name this version knows (Keras spelling). */
export function names(): string[] {
  return Object.keys(TABLE);
}

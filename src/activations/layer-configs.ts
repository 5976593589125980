// An activation layer's config where an activation name is expected: Keras 2 (2.7 at least)
// writes a Dense `activation` given as a layer object as that layer's config,
// `{"class_name": "ReLU", "config": {"max_value": null, "negative_slope": 0.0, "threshold": 0.0}}`,
// and reads it back through `activations.deserialize`, which knows the advanced activation
// layers. kerasm folds such a config into the Dense where it is a plain activation with a
// parameter the kernels take (alpha) and refuses the rest, whose formula the Dense kernels lack.
import { warnUnknownConfigKeys } from '../errors.js';

/** `{ class_name, config }`: an activation layer's config (Keras serialization). */
export interface ActivationLayerConfig {
  /** The activation layer's class (`'ReLU'`, `'LeakyReLU'`, `'ELU'`...). */
  readonly class_name: string;
  /** Its options, Keras snake_case keys (`{ negative_slope: 0.3 }`). */
  readonly config?: Record<string, unknown>;
}

/** What a layer config reduces to: an activation name and its alpha, or why it does not. */
export type Reduced = { readonly name: string; readonly alpha?: number } | { readonly refused: string };

/** Keys every layer config has (the base layer's). */
const BASE_KEYS = ['name', 'trainable', 'dtype'];

/** The keys each class's config reads, for the once-only warning on others. */
const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  ReLU: [...BASE_KEYS, 'max_value', 'negative_slope', 'threshold'],
  LeakyReLU: [...BASE_KEYS, 'alpha', 'negative_slope'],
  ELU: [...BASE_KEYS, 'alpha'],
  Softmax: [...BASE_KEYS, 'axis'],
  ThresholdedReLU: [...BASE_KEYS, 'theta'],
  Activation: [...BASE_KEYS, 'activation'],
};

/** The folding rules, said once for the error message. */
export const FOLDABLE = 'ReLU with threshold 0 and max_value null (or 6 without negative_slope), LeakyReLU, ELU, Softmax over the last axis, ' +
  'ThresholdedReLU with theta 0, Activation';

function num(v: unknown, fallback: number): number | null {
  if (v === undefined || v === null) return fallback;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The plain activation computed by Keras 3's `relu(x, negative_slope, max_value, threshold)`, or
 * null where it is none of relu, relu6, leaky_relu(alpha). Shared with the ReLU layer, which uses
 * the plain kernels where the arguments allow.
 */
export function plainRelu(maxValue: number | null, negativeSlope: number, threshold: number): { name: string; alpha?: number } | null {
  if (threshold !== 0) return null;
  if (negativeSlope === 0) return maxValue === null ? { name: 'relu' } : maxValue === 6 ? { name: 'relu6' } : null;
  return maxValue === null ? { name: 'leaky_relu', alpha: negativeSlope } : null;
}

/** Softmax's `axis`: the last one (−1, or [−1] as Keras 3 allows a list), else null. */
export function isLastAxis(axis: unknown): boolean {
  return axis === undefined || axis === null || axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1);
}

/** Reduce an activation layer's config to a plain activation, or say why it does not reduce. */
export function reduceActivationLayer(lc: ActivationLayerConfig): Reduced {
  const cls = lc.class_name;
  const c = lc.config ?? {};
  if (Object.hasOwn(CONFIG_KEYS, cls)) warnUnknownConfigKeys(Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null)), CONFIG_KEYS[cls]!, cls);
  switch (cls) {
    case 'ReLU': {
      const max = c.max_value === undefined || c.max_value === null ? null : num(c.max_value, 0);
      const slope = num(c.negative_slope, 0);
      const thr = num(c.threshold, 0);
      if (slope === null || thr === null || (c.max_value !== undefined && c.max_value !== null && max === null)) return { refused: 'ReLU with a non-numeric argument' };
      return plainRelu(max, slope, thr) ?? { refused: `ReLU with max_value=${String(max)}, negative_slope=${slope}, threshold=${thr}` };
    }
    case 'LeakyReLU': {
      // TF.js and Keras 2 write `alpha`, Keras 3 `negative_slope`; the layer's default is 0.3
      const alpha = num(c.alpha ?? c.negative_slope, 0.3);
      return alpha === null ? { refused: 'LeakyReLU with a non-numeric slope' } : { name: 'leaky_relu', alpha };
    }
    case 'ELU': {
      const alpha = num(c.alpha, 1);
      return alpha === null ? { refused: 'ELU with a non-numeric alpha' } : { name: 'elu', alpha };
    }
    case 'Softmax':
      return isLastAxis(c.axis) ? { name: 'softmax' } : { refused: `Softmax over axis ${JSON.stringify(c.axis)}` };
    case 'ThresholdedReLU':
      return num(c.theta, 1) === 0 ? { name: 'relu' } : { refused: `ThresholdedReLU with theta=${JSON.stringify(c.theta ?? 1)}` };
    case 'Activation':
      return typeof c.activation === 'string' ? { name: c.activation } : { refused: 'Activation without an activation name' };
    case 'PReLU':
      return { refused: 'PReLU (it has a weight, alpha)' };
    default:
      return { refused: `an unknown activation layer '${cls}'` };
  }
}

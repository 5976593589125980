// The initializer base and what every initializer shares: fans, seeds, option checks, the
// random stream of one initialization (these helpers are not exported from km.initializers).
import { checkOptions, invalidArgument } from '../errors.js';
import { RandomStream, globalRandom } from '../random.js';
import { shapeSize } from '../tensor.js';

/**
 * The base class of weight initializers (Keras `keras.initializers.Initializer`). A layer option such as
 * `kernelInitializer` takes an instance, a name (`'glorotUniform'` or `'glorot_uniform'`) or a
 * `{ class_name, config }` object. Initializers run once, when a layer is built; random ones draw from their
 * own `seed` or, without one, from the global stream that {@link setSeed} resets.
 */
export abstract class Initializer {
  /** The Keras class name written to configs and files (`'GlorotUniform'`...). */
  static readonly className: string = 'Initializer';
  /**
   * The option names the constructor takes (TF.js's): others are refused (`checkArgs`).
   * @internal
   */
  static readonly argNames: readonly string[] = [];
  /**
   * Config keys other writers add that this class reads as data but does not use (TF.js presets).
   * @internal
   */
  static readonly configOnlyKeys: readonly string[] = [];
  /**
   * Fill `out` (shapeSize(shape) floats) with initial values.
   * @internal
   */
  abstract fill(shape: readonly number[], out: Float32Array): void;
  /** The constructor options as Keras config keys (snake_case values), as saved in model files. */
  abstract getConfig(): Record<string, unknown>;
  /** The Keras class name of this initializer (`'GlorotUniform'`...), as in `{ class_name, config }`. */
  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }
}

/**
 * Keras `compute_fans`: the fan-in and fan-out of a weight of this shape. For a kernel of rank 3 or more
 * (convolutions), the receptive field size (product of all but the last two dimensions) multiplies
 * the input and output channels. Rank 0 gives 1 and 1; rank 1 gives the length for both.
 */
export function computeFans(shape: readonly number[]): {
  /** Input units: the next-to-last dimension times the receptive field size. */
  fanIn: number;
  /** Output units: the last dimension times the receptive field size. */
  fanOut: number;
} {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shapeSize(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** The stream for one initialization: the initializer's own seed, else the global stream. */
export function streamFor(seed: number | null): RandomStream {
  return new RandomStream(seed === null ? globalRandom().seed() : seed);
}

/**
 * The options object `args` of a `cls` initializer (undefined: none), its keys checked against
 * `cls.argNames`: a misspelt or Keras-spelt option fails instead of leaving the default.
 */
export function checkArgs<T extends object>(args: T | undefined, cls: { readonly className: string; readonly argNames: readonly string[] }): T {
  return checkOptions(args, cls.argNames, cls.className);
}

export function checkSeed(seed: unknown): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw invalidArgument('seed', 'an integer or null', seed);
  return seed;
}

/** Normal values more than 2 standard deviations from the mean are drawn again. */
export function drawTruncatedNormal(r: RandomStream): number {
  for (;;) {
    const x = r.normal();
    if (Math.abs(x) <= 2) return x;
  }
}

// Weight initializers (Keras 3: keras/src/initializers/). Host-side: they run once when a
// layer is built, never in the training loop. All draw from a seeded stream.
import { ValueError, camelCase, checkOptions, invalidArgument, warnUnknownConfigKeys } from '../errors.js';
import { RandomStream, globalRandom } from '../random.js';
import { shapeSize } from '../tensor.js';

/**
 * Which fan {@link VarianceScaling} divides its scale by: the number of inputs (`'fanIn'`), outputs
 * (`'fanOut'`) or their mean (`'fanAvg'`). Keras's snake_case spellings (`'fan_in'`...) are also accepted.
 */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
/**
 * The distribution {@link VarianceScaling} draws from. `'truncatedNormal'` (also spelt `'normal'`, as in
 * Keras 2) redraws values beyond 2 standard deviations; `'untruncatedNormal'` does not; `'uniform'` draws
 * from [-limit, limit] with limit = sqrt(3 * scale / fan).
 */
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal';

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
function streamFor(seed: number | null): RandomStream {
  return new RandomStream(seed === null ? globalRandom().seed() : seed);
}

/**
 * The options object `args` of a `cls` initializer (undefined: none), its keys checked against
 * `cls.argNames`: a misspelt or Keras-spelt option fails instead of leaving the default.
 */
function checkArgs<T extends object>(args: T | undefined, cls: { readonly className: string; readonly argNames: readonly string[] }): T {
  return checkOptions(args, cls.argNames, cls.className);
}

function checkSeed(seed: unknown): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw invalidArgument('seed', 'an integer or null', seed);
  return seed;
}

/** Keras `Zeros`: all weights 0. The default bias initializer. Takes no options. */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  constructor(args?: Record<string, never>) {
    super();
    checkArgs(args, Zeros);
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    out.fill(0);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Keras `Ones`: all weights 1 (the default `gammaInitializer` of normalization layers). Takes no options. */
export class Ones extends Initializer {
  static override readonly className = 'Ones';
  constructor(args?: Record<string, never>) {
    super();
    checkArgs(args, Ones);
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    out.fill(1);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Keras `Constant`: every weight set to `value` (default 0; a finite number). `new Constant(0.1)` also works. */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  static override readonly argNames: readonly string[] = ['value'];
  /** The value every weight gets. */
  readonly value: number;
  constructor(args: { value?: number } | number = {}) {
    super();
    if (typeof args !== 'number') checkArgs(args, Constant);
    const v = typeof args === 'number' ? args : (args.value ?? 0);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument('value', 'a finite number', v);
    this.value = v;
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    out.fill(this.value);
  }
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

/** Keras `RandomNormal`: weights drawn from a normal distribution with `mean` (default 0) and `stddev` (default 0.05). */
export class RandomNormal extends Initializer {
  static override readonly className: string = 'RandomNormal';
  static override readonly argNames: readonly string[] = ['mean', 'stddev', 'seed'];
  /** The mean of the distribution (default 0). */
  readonly mean: number;
  /** The standard deviation of the distribution (default 0.05). */
  readonly stddev: number;
  /** An integer seed, so the same weights come out each time; null (default): the global stream ({@link setSeed}). */
  readonly seed: number | null;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super();
    checkArgs(args, new.target as typeof RandomNormal);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
    this.seed = checkSeed(args.seed);
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    const r = streamFor(this.seed);
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * r.normal();
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Keras `RandomUniform`: weights drawn uniformly from [`minval`, `maxval`) (defaults -0.05 and 0.05). */
export class RandomUniform extends Initializer {
  static override readonly className = 'RandomUniform';
  static override readonly argNames: readonly string[] = ['minval', 'maxval', 'seed'];
  /** The lower bound (default -0.05). */
  readonly minval: number;
  /** The upper bound (default 0.05; must be ≥ `minval`). */
  readonly maxval: number;
  /** An integer seed, so the same weights come out each time; null (default): the global stream ({@link setSeed}). */
  readonly seed: number | null;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super();
    checkArgs(args, RandomUniform);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    this.seed = checkSeed(args.seed);
    if (!(this.maxval >= this.minval)) throw invalidArgument('maxval', `a number ≥ minval (${this.minval})`, this.maxval);
  }
  fill(_shape: readonly number[], out: Float32Array): void {
    const r = streamFor(this.seed);
    for (let i = 0; i < out.length; i++) out[i] = this.minval + (this.maxval - this.minval) * r.next();
  }
  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

/** Normal values more than 2 standard deviations from the mean are drawn again. */
function drawTruncatedNormal(r: RandomStream): number {
  for (;;) {
    const x = r.normal();
    if (Math.abs(x) <= 2) return x;
  }
}

/** Keras `TruncatedNormal`: RandomNormal's arguments, values beyond 2 standard deviations drawn again. */
export class TruncatedNormal extends RandomNormal {
  static override readonly className = 'TruncatedNormal';
  /** @internal */
  override fill(_shape: readonly number[], out: Float32Array): void {
    const r = streamFor(this.seed);
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * drawTruncatedNormal(r);
  }
}

const MODES: Record<string, FanMode> = { fanIn: 'fanIn', fan_in: 'fanIn', fanOut: 'fanOut', fan_out: 'fanOut', fanAvg: 'fanAvg', fan_avg: 'fanAvg' };
const DISTS: Record<string, Distribution> = {
  normal: 'truncatedNormal', truncatedNormal: 'truncatedNormal', truncated_normal: 'truncatedNormal',
  untruncatedNormal: 'untruncatedNormal', untruncated_normal: 'untruncatedNormal', uniform: 'uniform',
};

/** Options of {@link VarianceScaling}. */
export interface VarianceScalingArgs {
  /** The scale, a positive number (default 1). */
  scale?: number;
  /** Which fan divides the scale (default `'fanIn'`); see {@link FanMode}. */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** What to draw from (default `'truncatedNormal'`); see {@link Distribution}. */
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
  /** An integer seed, so the same weights come out each time; null (default): the global stream ({@link setSeed}). */
  seed?: number | null;
}

/**
 * Keras `VarianceScaling`: with n = the fan chosen by `mode` and s = scale / n, a truncated normal has
 * standard deviation sqrt(s) / 0.8796 (Keras's correction for the truncation at 2 standard deviations), an
 * untruncated normal sqrt(s), and a uniform distribution the limit sqrt(3 * s). The Glorot, He and LeCun
 * initializers are presets of it.
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  static override readonly argNames: readonly string[] = ['scale', 'mode', 'distribution', 'seed'];
  /** The scale (default 1). */
  readonly scale: number;
  /** Which fan divides the scale, in camelCase. */
  readonly mode: FanMode;
  /** The distribution drawn from (`'normal'` is read as `'truncatedNormal'`). */
  readonly distribution: Distribution;
  /** An integer seed, or null for the global stream. */
  readonly seed: number | null;
  constructor(args: VarianceScalingArgs = {}) {
    super();
    checkArgs(args, VarianceScaling);
    this.scale = args.scale ?? 1;
    if (!(this.scale > 0)) throw invalidArgument('scale', 'a positive number', args.scale);
    const mode = MODES[args.mode ?? 'fanIn'];
    if (mode === undefined) throw invalidArgument('mode', "one of 'fanIn', 'fanOut', 'fanAvg'", args.mode);
    const dist = DISTS[args.distribution ?? 'truncatedNormal'];
    if (dist === undefined) throw invalidArgument('distribution', "one of 'truncatedNormal', 'untruncatedNormal', 'uniform'", args.distribution);
    this.mode = mode;
    this.distribution = dist;
    this.seed = checkSeed(args.seed);
  }
  fill(shape: readonly number[], out: Float32Array): void {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, n);
    const r = streamFor(this.seed);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      for (let i = 0; i < out.length; i++) out[i] = -limit + 2 * limit * r.next();
    } else if (this.distribution === 'untruncatedNormal') {
      const std = Math.sqrt(scale);
      for (let i = 0; i < out.length; i++) out[i] = std * r.normal();
    } else {
      // 0.879…: the standard deviation of a unit normal truncated to [-2, 2] (Keras).
      const std = Math.sqrt(scale) / 0.87962566103423978;
      for (let i = 0; i < out.length; i++) out[i] = std * drawTruncatedNormal(r);
    }
  }
  getConfig(): Record<string, unknown> {
    const mode = this.mode === 'fanIn' ? 'fan_in' : this.mode === 'fanOut' ? 'fan_out' : 'fan_avg';
    const distribution = this.distribution === 'truncatedNormal' ? 'truncated_normal' : this.distribution === 'untruncatedNormal' ? 'untruncated_normal' : 'uniform';
    return { scale: this.scale, mode, distribution, seed: this.seed };
  }
}

/** The option of a VarianceScaling preset: only its seed (the rest is fixed by the preset). */
export interface PresetArgs {
  /** An integer seed, or null (default) for the global stream. */
  seed?: number | null;
}

/**
 * The Glorot, He and LeCun initializers: a {@link VarianceScaling} whose scale, mode and
 * distribution the subclass fixes; its only option and config key is `seed` (TF.js also writes the
 * fixed values into its config, which are read and ignored).
 */
export abstract class VarianceScalingPreset extends VarianceScaling {
  /** @internal */
  static override readonly argNames: readonly string[] = ['seed'];
  /** @internal */
  static override readonly configOnlyKeys: readonly string[] = ['scale', 'mode', 'distribution'];
  /** A preset checks `args` under its own class name and fixes the other three options. */
  protected constructor(args: PresetArgs, cls: { readonly className: string; readonly argNames: readonly string[] },
    scale: number, mode: FanMode, distribution: Distribution) {
    super({ scale, mode, distribution, seed: checkArgs(args, cls).seed ?? null });
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

/**
 * Keras `GlorotUniform`: Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)). The default `kernelInitializer` of Dense, the convolutions and the recurrent layers' input kernels.
 * A {@link VarianceScaling} with scale 1, mode `'fanAvg'`, distribution `'uniform'`; its only option is `seed`.
 */
export class GlorotUniform extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanAvg', 'uniform');
  }
}
/**
 * Keras `GlorotNormal`: Glorot (Xavier) normal: a truncated normal with standard deviation about sqrt(2 / (fanIn + fanOut)).
 * A {@link VarianceScaling} with scale 1, mode `'fanAvg'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class GlorotNormal extends VarianceScalingPreset {
  static override readonly className: string = 'GlorotNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanAvg', 'truncatedNormal');
  }
}
/**
 * Keras `HeNormal`: He normal: a truncated normal with standard deviation about sqrt(2 / fanIn); suited to ReLU layers.
 * A {@link VarianceScaling} with scale 2, mode `'fanIn'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class HeNormal extends VarianceScalingPreset {
  static override readonly className: string = 'HeNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 2, 'fanIn', 'truncatedNormal');
  }
}
/**
 * Keras `HeUniform`: He uniform: limit sqrt(6 / fanIn); suited to ReLU layers.
 * A {@link VarianceScaling} with scale 2, mode `'fanIn'`, distribution `'uniform'`; its only option is `seed`.
 */
export class HeUniform extends VarianceScalingPreset {
  static override readonly className: string = 'HeUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 2, 'fanIn', 'uniform');
  }
}
/**
 * Keras `LecunNormal`: LeCun normal: a truncated normal with standard deviation about sqrt(1 / fanIn); the initializer SELU networks expect.
 * A {@link VarianceScaling} with scale 1, mode `'fanIn'`, distribution `'truncatedNormal'`; its only option is `seed`.
 */
export class LecunNormal extends VarianceScalingPreset {
  static override readonly className: string = 'LecunNormal';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanIn', 'truncatedNormal');
  }
}
/**
 * Keras `LecunUniform`: LeCun uniform: limit sqrt(3 / fanIn).
 * A {@link VarianceScaling} with scale 1, mode `'fanIn'`, distribution `'uniform'`; its only option is `seed`.
 */
export class LecunUniform extends VarianceScalingPreset {
  static override readonly className: string = 'LecunUniform';
  constructor(args: PresetArgs = {}) {
    super(args, new.target, 1, 'fanIn', 'uniform');
  }
}

/** Keras `Orthogonal`: a (semi-)orthogonal matrix from the QR decomposition of a normal one, times `gain`. */
export class Orthogonal extends Initializer {
  static override readonly className = 'Orthogonal';
  static override readonly argNames: readonly string[] = ['gain', 'seed'];
  /** The factor the orthogonal matrix is multiplied by (default 1). */
  readonly gain: number;
  /** An integer seed, so the same weights come out each time; null (default): the global stream ({@link setSeed}). */
  readonly seed: number | null;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super();
    checkArgs(args, Orthogonal);
    this.gain = args.gain ?? 1;
    this.seed = checkSeed(args.seed);
  }
  fill(shape: readonly number[], out: Float32Array): void {
    if (shape.length < 2) throw new ValueError(`The Orthogonal initializer needs a shape of rank 2 or more. Received: shape=[${shape.join(', ')}]`);
    const cols = shape[shape.length - 1]!;
    const rows = shapeSize(shape) / cols;
    // Orthonormalize the longer side: QR of an (max × min) normal matrix by modified Gram–Schmidt.
    const tall = rows >= cols;
    const p = tall ? rows : cols;
    const q = tall ? cols : rows;
    const r = streamFor(this.seed);
    const m = new Float64Array(p * q);
    for (let i = 0; i < m.length; i++) m[i] = r.normal();
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += m[i * q + j]! * m[i * q + k]!;
        for (let i = 0; i < p; i++) m[i * q + j]! -= dot * m[i * q + k]!;
      }
      let norm = 0;
      for (let i = 0; i < p; i++) norm += m[i * q + j]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < p; i++) m[i * q + j]! /= norm;
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[i * cols + j] = this.gain * (tall ? m[i * q + j]! : m[j * q + i]!);
    }
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed };
  }
}

/**
 * What an initializer option accepts: an {@link Initializer}, a name in TF.js or Keras spelling
 * (`'heNormal'`, `'he_normal'`, `'HeNormal'`), or a Keras config `{ class_name, config }` whose snake_case
 * keys are read as options (unknown keys warn once and are ignored).
 */
export type InitializerIdentifier = string | Initializer | {
  /** The Keras class name, e.g. `'GlorotUniform'` (`'OrthogonalInitializer'`, Keras 3's name in files, also reads). */
  class_name: string;
  /** The options, Keras snake_case keys (e.g. `{ seed: 1 }`). */
  config?: Record<string, unknown>;
};

type InitCtor = new (args?: any) => Initializer; // eslint-disable-line @typescript-eslint/no-explicit-any
const ALL: Record<string, InitCtor> = {
  Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotUniform,
  GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal,
};
const ALIASES: Record<string, string> = {
  zeros: 'Zeros', ones: 'Ones', constant: 'Constant', randomNormal: 'RandomNormal', random_normal: 'RandomNormal',
  randomUniform: 'RandomUniform', random_uniform: 'RandomUniform', truncatedNormal: 'TruncatedNormal',
  truncated_normal: 'TruncatedNormal', varianceScaling: 'VarianceScaling', variance_scaling: 'VarianceScaling',
  glorotUniform: 'GlorotUniform', glorot_uniform: 'GlorotUniform', glorotNormal: 'GlorotNormal', glorot_normal: 'GlorotNormal',
  heNormal: 'HeNormal', he_normal: 'HeNormal', heUniform: 'HeUniform', he_uniform: 'HeUniform',
  lecunNormal: 'LecunNormal', lecun_normal: 'LecunNormal', lecunUniform: 'LecunUniform', lecun_uniform: 'LecunUniform',
  orthogonal: 'Orthogonal', OrthogonalInitializer: 'Orthogonal', // Keras 3's class name in files
};

function resolveName(name: string): InitCtor | undefined {
  return Object.hasOwn(ALL, name) ? ALL[name] : Object.hasOwn(ALIASES, name) ? ALL[ALIASES[name]!] : undefined;
}

/** Keras `initializers.get`: a name (either spelling), a `{class_name, config}` or an instance. */
export function get(id: InitializerIdentifier, argName = 'initializer'): Initializer {
  if (id instanceof Initializer) return id;
  if (typeof id === 'string') {
    const C = resolveName(id);
    if (C === undefined) throw unknownInitializer(argName, id);
    return new C();
  }
  if (id !== null && typeof id === 'object' && typeof id.class_name === 'string') {
    const C = resolveName(id.class_name);
    if (C === undefined) throw unknownInitializer(argName, id.class_name);
    return new C(fromKerasKeys(id.config ?? {}, C as unknown as typeof Initializer));
  }
  throw invalidArgument(argName, 'an initializer name, config or instance', id);
}

function unknownInitializer(argName: string, name: string): ValueError {
  return invalidArgument(argName, `a known initializer (one of ${Object.keys(ALL).join(', ')})`, name);
}

/**
 * Config keys are Keras snake_case; constructor options are camelCase. A config is data (a file,
 * or Keras's form in code): keys `cls` does not take get a warning, once, and are left out.
 */
function fromKerasKeys(config: Record<string, unknown>, cls: typeof Initializer): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = (k: string, names: readonly string[]) => names.includes(camelCase(k));
  warnUnknownConfigKeys(config, Object.keys(config).filter((k) => known(k, cls.argNames) || known(k, cls.configOnlyKeys)), cls.className);
  for (const k of Object.keys(config)) if (known(k, cls.argNames)) out[camelCase(k)] = config[k];
  if (typeof out.mode === 'string') out.mode = MODES[out.mode] ?? out.mode;
  if (typeof out.distribution === 'string') out.distribution = DISTS[out.distribution] ?? out.distribution;
  return out;
}

/** Keras `initializers.serialize`: `{ class_name, config }` as written to model files; {@link get} reads it back. */
export function serialize(init: Initializer): {
  /** The Keras class name. */
  class_name: string;
  /** The options as Keras config keys ({@link Initializer.getConfig}). */
  config: Record<string, unknown>;
} {
  return { class_name: init.className, config: init.getConfig() };
}

// Factories, TF.js style.
/** TF.js `tf.initializers.zeros()`: a new {@link Zeros}: all 0. */
export const zeros = (args?: Record<string, never>) => new Zeros(args);
/** TF.js `tf.initializers.ones()`: a new {@link Ones}: all 1. */
export const ones = (args?: Record<string, never>) => new Ones(args);
/** TF.js `tf.initializers.constant()`: a new {@link Constant}: every weight `value`. */
export const constant = (args: { value: number }) => new Constant(args);
/** TF.js `tf.initializers.randomNormal()`: a new {@link RandomNormal}: normal, `mean` 0 and `stddev` 0.05 by default. */
export const randomNormal = (args?: ConstructorParameters<typeof RandomNormal>[0]) => new RandomNormal(args);
/** TF.js `tf.initializers.randomUniform()`: a new {@link RandomUniform}: uniform in [`minval`, `maxval`), -0.05 and 0.05 by default. */
export const randomUniform = (args?: ConstructorParameters<typeof RandomUniform>[0]) => new RandomUniform(args);
/** TF.js `tf.initializers.truncatedNormal()`: a new {@link TruncatedNormal}: like randomNormal, values beyond 2 standard deviations drawn again. */
export const truncatedNormal = (args?: ConstructorParameters<typeof TruncatedNormal>[0]) => new TruncatedNormal(args);
/** TF.js `tf.initializers.varianceScaling()`: a new {@link VarianceScaling}: scale / fan, from a normal or uniform distribution. */
export const varianceScaling = (args?: VarianceScalingArgs) => new VarianceScaling(args);
/** TF.js `tf.initializers.glorotUniform()`: a new {@link GlorotUniform}: uniform, limit sqrt(6 / (fanIn + fanOut)). */
export const glorotUniform = (args?: { seed?: number | null }) => new GlorotUniform(args);
/** TF.js `tf.initializers.glorotNormal()`: a new {@link GlorotNormal}: truncated normal, scale 2 / (fanIn + fanOut). */
export const glorotNormal = (args?: { seed?: number | null }) => new GlorotNormal(args);
/** TF.js `tf.initializers.heNormal()`: a new {@link HeNormal}: truncated normal, scale 2 / fanIn. */
export const heNormal = (args?: { seed?: number | null }) => new HeNormal(args);
/** TF.js `tf.initializers.heUniform()`: a new {@link HeUniform}: uniform, limit sqrt(6 / fanIn). */
export const heUniform = (args?: { seed?: number | null }) => new HeUniform(args);
/** TF.js `tf.initializers.leCunNormal()`: a new {@link LecunNormal}: truncated normal, scale 1 / fanIn. */
export const lecunNormal = (args?: { seed?: number | null }) => new LecunNormal(args);
/** TF.js `tf.initializers.leCunUniform()`: a new {@link LecunUniform}: uniform, limit sqrt(3 / fanIn). */
export const lecunUniform = (args?: { seed?: number | null }) => new LecunUniform(args);
/** TF.js `tf.initializers.orthogonal()`: a new {@link Orthogonal}: a (semi-)orthogonal matrix times `gain`. */
export const orthogonal = (args?: { gain?: number; seed?: number | null }) => new Orthogonal(args);

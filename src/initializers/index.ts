// Weight initializers (Keras 3: keras/src/initializers/). Host-side: they run once when a
// layer is built, never in the training loop. All draw from a seeded stream.
import { ValueError, camelCase, invalidArgument, warnUnknownConfigKeys } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { Initializer, checkArgs, checkSeed, drawTruncatedNormal, streamFor } from './initializer.js';
import { DISTS, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, MODES, VarianceScaling } from './variance-scaling.js';
import type { VarianceScalingArgs } from './variance-scaling.js';

export { Initializer, computeFans } from './initializer.js';
export { VarianceScaling, VarianceScalingPreset, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform } from './variance-scaling.js';
export type { FanMode, Distribution, VarianceScalingArgs, PresetArgs } from './variance-scaling.js';

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

/** Keras `TruncatedNormal`: RandomNormal's arguments, values beyond 2 standard deviations drawn again. */
export class TruncatedNormal extends RandomNormal {
  static override readonly className = 'TruncatedNormal';
  /** @internal */
  override fill(_shape: readonly number[], out: Float32Array): void {
    const r = streamFor(this.seed);
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * drawTruncatedNormal(r);
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

// Weight initializers (Keras 3: keras/src/initializers/). Host-side: they run once when a
// layer is built, never in the training loop. All draw from a seeded stream.
import { ValueError, camelCase, checkOptions, invalidArgument, warnUnknownConfigKeys } from '../errors.js';
import { RandomStream, globalRandom } from '../random.js';
import { shapeSize } from '../tensor.js';

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'normal' | 'uniform' | 'truncatedNormal' | 'untruncatedNormal';

export abstract class Initializer {
  static readonly className: string = 'Initializer';
  /** The option names the constructor takes (TF.js's): others are refused (`checkArgs`). */
  static readonly argNames: readonly string[] = [];
  /** Config keys other writers add that this class reads as data but does not use (TF.js presets). */
  static readonly configOnlyKeys: readonly string[] = [];
  /** Fill `out` (shapeSize(shape) floats) with initial values. */
  abstract fill(shape: readonly number[], out: Float32Array): void;
  abstract getConfig(): Record<string, unknown>;
  get className(): string {
    return (this.constructor as typeof Initializer).className;
  }
}

/** Keras `compute_fans`. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
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

export class Constant extends Initializer {
  static override readonly className = 'Constant';
  static override readonly argNames: readonly string[] = ['value'];
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

export class RandomNormal extends Initializer {
  static override readonly className: string = 'RandomNormal';
  static override readonly argNames: readonly string[] = ['mean', 'stddev', 'seed'];
  readonly mean: number;
  readonly stddev: number;
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

export class RandomUniform extends Initializer {
  static override readonly className = 'RandomUniform';
  static override readonly argNames: readonly string[] = ['minval', 'maxval', 'seed'];
  readonly minval: number;
  readonly maxval: number;
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

export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  distribution?: Distribution | 'truncated_normal' | 'untruncated_normal';
  seed?: number | null;
}

/** Keras `VarianceScaling`: std (or uniform limit) from scale / fan. */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  static override readonly argNames: readonly string[] = ['scale', 'mode', 'distribution', 'seed'];
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
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

function preset(className: string, scale: number, mode: FanMode, distribution: Distribution) {
  return class extends VarianceScaling {
    static override readonly className = className;
    static override readonly argNames: readonly string[] = ['seed'];
    /** TF.js writes a preset's fixed VarianceScaling values into its config. */
    static override readonly configOnlyKeys: readonly string[] = ['scale', 'mode', 'distribution'];
    constructor(args: { seed?: number | null } = {}) {
      super({ scale, mode, distribution, seed: checkArgs(args, new.target).seed ?? null });
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed };
    }
  };
}

export const GlorotUniform = preset('GlorotUniform', 1, 'fanAvg', 'uniform');
export const GlorotNormal = preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');
export const HeNormal = preset('HeNormal', 2, 'fanIn', 'truncatedNormal');
export const HeUniform = preset('HeUniform', 2, 'fanIn', 'uniform');
export const LecunNormal = preset('LecunNormal', 1, 'fanIn', 'truncatedNormal');
export const LecunUniform = preset('LecunUniform', 1, 'fanIn', 'uniform');

/** Keras `Orthogonal`: a (semi-)orthogonal matrix from the QR decomposition of a normal one, times `gain`. */
export class Orthogonal extends Initializer {
  static override readonly className = 'Orthogonal';
  static override readonly argNames: readonly string[] = ['gain', 'seed'];
  readonly gain: number;
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

export type InitializerIdentifier = string | Initializer | { class_name: string; config?: Record<string, unknown> };

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

export function serialize(init: Initializer): { class_name: string; config: Record<string, unknown> } {
  return { class_name: init.className, config: init.getConfig() };
}

// Factories, TF.js style.
export const zeros = (args?: Record<string, never>) => new Zeros(args);
export const ones = (args?: Record<string, never>) => new Ones(args);
export const constant = (args: { value: number }) => new Constant(args);
export const randomNormal = (args?: ConstructorParameters<typeof RandomNormal>[0]) => new RandomNormal(args);
export const randomUniform = (args?: ConstructorParameters<typeof RandomUniform>[0]) => new RandomUniform(args);
export const truncatedNormal = (args?: ConstructorParameters<typeof TruncatedNormal>[0]) => new TruncatedNormal(args);
export const varianceScaling = (args?: VarianceScalingArgs) => new VarianceScaling(args);
export const glorotUniform = (args?: { seed?: number | null }) => new GlorotUniform(args);
export const glorotNormal = (args?: { seed?: number | null }) => new GlorotNormal(args);
export const heNormal = (args?: { seed?: number | null }) => new HeNormal(args);
export const heUniform = (args?: { seed?: number | null }) => new HeUniform(args);
export const lecunNormal = (args?: { seed?: number | null }) => new LecunNormal(args);
export const lecunUniform = (args?: { seed?: number | null }) => new LecunUniform(args);
export const orthogonal = (args?: { gain?: number; seed?: number | null }) => new Orthogonal(args);

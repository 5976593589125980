// Learning-rate schedules (Keras 3: keras/src/optimizers/schedules/learning_rate_schedule.py),
// usable as `learningRate` on every optimizer. The optimizer evaluates one on the host once per
// step, at `optimizer.iterations` (0 for the first step), as Keras `_get_current_learning_rate`;
// a call allocates nothing. Values are computed in float64 (Keras computes in float32).
import { KerasmError, ValueError, camelCase, checkOptions, invalidArgument, warnUnknownConfigKeys } from '../errors.js';

function finite(name: string, v: unknown, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidArgument(name, 'a finite number', v);
  return v;
}
function positive(name: string, v: unknown, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw invalidArgument(name, 'a number > 0', v);
  return v;
}
function nonNegative(name: string, v: unknown, def?: number): number {
  if (v === undefined && def !== undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(name, 'a non-negative finite number', v);
  return v;
}
function bool(name: string, v: unknown, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw invalidArgument(name, 'a boolean', v);
  return v;
}
/** `args` must be an options object with only the option names `cls` takes (a misspelt one fails, naming kerasm's spelling). */
function options<T extends object>(args: T, cls: { readonly className: string; readonly argNames: readonly string[] }): T {
  return checkOptions(args, cls.argNames, cls.className, false);
}

/** A learning rate as a function of the optimizer step. Keras: `keras.optimizers.schedules.LearningRateSchedule`. */
export abstract class LearningRateSchedule {
  /** The Keras class name written to configs (`'ExponentialDecay'`...). */
  static readonly className: string = 'LearningRateSchedule';
  /** The option names the constructor takes (camelCase; the config keys are their snake_case). */
  /** @internal */
  static readonly argNames: readonly string[] = [];
  /** The Keras class name of this schedule, as in `{ class_name, config }`. */
  get className(): string {
    return (this.constructor as typeof LearningRateSchedule).className;
  }
  /** The learning rate at `step` (the optimizer's `iterations`, 0 for the first update). */
  abstract call(step: number): number;
  /** Keras config keys (`initial_learning_rate`, `decay_steps`, …). */
  abstract getConfig(): Record<string, unknown>;
}

/** Options of {@link ExponentialDecay} and {@link InverseTimeDecay}. */
export interface ExponentialDecayArgs {
  /** The learning rate at step 0 (a finite number). */
  initialLearningRate: number;
  /** Must be > 0. */
  decaySteps: number;
  /** The rate multiplier per `decaySteps` (exponential) or the divisor's slope (inverse time). */
  decayRate: number;
  /** Decay in whole intervals (floor(step / decaySteps)). Default false. */
  staircase?: boolean;
  /** A name saved in the config (default: the class name). */
  name?: string;
}

/**
 * The schedules driven by `step / decaySteps` (floored with `staircase`) and a `decayRate`:
 * one constructor, one config, one progress; subclasses give the curve.
 */
abstract class RateDecay extends LearningRateSchedule {
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** The steps of one decay interval (> 0). */
  readonly decaySteps: number;
  /** The decay rate. */
  readonly decayRate: number;
  /** Whether the decay moves in whole intervals (floor(step / decaySteps)). */
  readonly staircase: boolean;
  /** The name saved in the config. */
  readonly name: string;
  static override readonly argNames: readonly string[] = ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase', 'name'];
  constructor(args: ExponentialDecayArgs) {
    super();
    options(args, new.target as typeof RateDecay);
    this.initialLearningRate = finite('initialLearningRate', args.initialLearningRate);
    this.decaySteps = positive('decaySteps', args.decaySteps);
    this.decayRate = finite('decayRate', args.decayRate);
    this.staircase = bool('staircase', args.staircase, false);
    this.name = args.name ?? (this.constructor as typeof LearningRateSchedule).className;
  }
  /** The learning rate at `p` decay intervals. */
  protected abstract decay(p: number): number;
  /** The learning rate at `step` (the optimizer's `iterations`, 0 for the first update). */
  call(step: number): number {
    const p = step / this.decaySteps;
    return this.decay(this.staircase ? Math.floor(p) : p);
  }
  /** Keras config keys (`initial_learning_rate`, `decay_steps`, `decay_rate`, `staircase`, `name`). */
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

/** `initialLearningRate · decayRate^(step / decaySteps)` (floored with `staircase`). Keras: `ExponentialDecay`. */
export class ExponentialDecay extends RateDecay {
  static override readonly className = 'ExponentialDecay';
  protected decay(p: number): number {
    return this.initialLearningRate * this.decayRate ** p;
  }
}

/** Options of {@link PiecewiseConstantDecay}. */
export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: values[0] while step ≤ boundaries[0], …, values[last] after. */
  values: number[];
  /** A name saved in the config (default `'PiecewiseConstant'`). */
  name?: string;
}

/** `values[i]` for `boundaries[i−1] < step ≤ boundaries[i]`. Keras: `PiecewiseConstantDecay`. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className = 'PiecewiseConstantDecay';
  /** The increasing step boundaries. */
  readonly boundaries: readonly number[];
  /** The learning rates, one more than the boundaries. */
  readonly values: readonly number[];
  /** The name saved in the config. */
  readonly name: string;
  static override readonly argNames: readonly string[] = ['boundaries', 'values', 'name'];
  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    options(args, PiecewiseConstantDecay);
    if (!Array.isArray(args.boundaries) || args.boundaries.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw invalidArgument('boundaries', 'an array of finite numbers', args.boundaries);
    }
    if (!Array.isArray(args.values) || args.values.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
      throw invalidArgument('values', 'an array of finite numbers', args.values);
    }
    if (args.boundaries.length !== args.values.length - 1) {
      throw new ValueError('The length of boundaries should be 1 less than the length of values. ' +
        `Received: boundaries=[${args.boundaries.join(', ')}] of length ${args.boundaries.length}, and values=[${args.values.join(', ')}] of length ${args.values.length}.`);
    }
    for (let i = 1; i < args.boundaries.length; i++) {
      if (!(args.boundaries[i]! > args.boundaries[i - 1]!)) throw invalidArgument('boundaries', 'increasing numbers', args.boundaries);
    }
    this.boundaries = args.boundaries.slice();
    this.values = args.values.slice();
    this.name = args.name ?? 'PiecewiseConstant';
  }
  call(step: number): number {
    const b = this.boundaries;
    for (let i = 0; i < b.length; i++) if (step <= b[i]!) return this.values[i]!;
    return this.values[this.values.length - 1]!;
  }
  getConfig(): Record<string, unknown> {
    return { boundaries: this.boundaries.slice(), values: this.values.slice(), name: this.name };
  }
}

/** Options of {@link PolynomialDecay}. */
export interface PolynomialDecayArgs {
  /** The learning rate at step 0 (a finite number). */
  initialLearningRate: number;
  /** The steps over which the rate falls to `endLearningRate` (> 0). */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart past decaySteps, stretching the period to the next multiple. Default false. */
  cycle?: boolean;
  /** A name saved in the config (default `'PolynomialDecay'`). */
  name?: string;
}

/**
 * `(initial − end)·(1 − step/decaySteps)^power + end`, step capped at decaySteps, or with
 * `cycle` decaySteps·ceil(step/decaySteps) as the period. Keras: `PolynomialDecay`.
 */
export class PolynomialDecay extends LearningRateSchedule {
  static override readonly className = 'PolynomialDecay';
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** The steps over which the rate falls to `endLearningRate`. */
  readonly decaySteps: number;
  /** The learning rate reached at `decaySteps` (default 0.0001). */
  readonly endLearningRate: number;
  /** The power of the polynomial (default 1, linear). */
  readonly power: number;
  /** Whether the decay restarts past `decaySteps` (default false). */
  readonly cycle: boolean;
  /** The name saved in the config. */
  readonly name: string;
  static override readonly argNames: readonly string[] = ['initialLearningRate', 'decaySteps', 'endLearningRate', 'power', 'cycle', 'name'];
  constructor(args: PolynomialDecayArgs) {
    super();
    options(args, PolynomialDecay);
    this.initialLearningRate = finite('initialLearningRate', args.initialLearningRate);
    this.decaySteps = positive('decaySteps', args.decaySteps);
    this.endLearningRate = finite('endLearningRate', args.endLearningRate, 0.0001);
    this.power = finite('power', args.power, 1);
    this.cycle = bool('cycle', args.cycle, false);
    this.name = args.name ?? 'PolynomialDecay';
  }
  call(step: number): number {
    let decaySteps = this.decaySteps;
    let s = step;
    if (this.cycle) decaySteps *= s === 0 ? 1 : Math.ceil(s / this.decaySteps);
    else s = Math.min(s, decaySteps);
    const p = s / decaySteps;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, end_learning_rate: this.endLearningRate, power: this.power, cycle: this.cycle, name: this.name };
  }
}

/** The same arguments as {@link ExponentialDecayArgs}. */
export type InverseTimeDecayArgs = ExponentialDecayArgs;

/** `initial / (1 + decayRate·step/decaySteps)` (floored with `staircase`). Keras: `InverseTimeDecay`. */
export class InverseTimeDecay extends RateDecay {
  static override readonly className = 'InverseTimeDecay';
  protected decay(p: number): number {
    return this.initialLearningRate / (1 + this.decayRate * p);
  }
}

/** Options of {@link CosineDecay}. */
export interface CosineDecayArgs {
  /** The learning rate at step 0 (the start of the warmup, or of the decay without one). */
  initialLearningRate: number;
  /** The steps of the cosine decay, after the warmup (> 0). */
  decaySteps: number;
  /** Floor as a fraction of the rate decayed from. Default 0. */
  alpha?: number;
  /** With warmup: the rate reached linearly from initialLearningRate after warmupSteps. Default none. */
  warmupTarget?: number | null;
  /** Default 0. */
  /** The steps of the linear warmup, a number ≥ 0. Default 0. */
  warmupSteps?: number;
  /** A name saved in the config (default `'CosineDecay'`). */
  name?: string;
}

/**
 * Cosine decay (Loshchilov & Hutter 2017, SGDR, arXiv:1608.03983) with optional linear warmup
 * (Goyal et al. 2017, arXiv:1706.02677): warmup from initialLearningRate to warmupTarget over
 * warmupSteps, then `from·((1 − α)·½(1 + cos(π·t/decaySteps)) + α)`, t capped. Keras: `CosineDecay`.
 */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className = 'CosineDecay';
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** The steps of the cosine decay, after the warmup. */
  readonly decaySteps: number;
  /** The floor, as a fraction of the rate decayed from (default 0). */
  readonly alpha: number;
  /** The rate the warmup reaches, or null for no warmup. */
  readonly warmupTarget: number | null;
  /** The steps of the linear warmup (default 0). */
  readonly warmupSteps: number;
  /** The name saved in the config. */
  readonly name: string;
  static override readonly argNames: readonly string[] = ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps', 'name'];
  constructor(args: CosineDecayArgs) {
    super();
    options(args, CosineDecay);
    this.initialLearningRate = finite('initialLearningRate', args.initialLearningRate);
    this.decaySteps = positive('decaySteps', args.decaySteps);
    this.alpha = finite('alpha', args.alpha, 0);
    this.warmupTarget = args.warmupTarget === undefined || args.warmupTarget === null ? null : finite('warmupTarget', args.warmupTarget);
    this.warmupSteps = nonNegative('warmupSteps', args.warmupSteps, 0);
    this.name = args.name ?? 'CosineDecay';
  }
  private decay(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }
  call(step: number): number {
    if (this.warmupTarget === null) return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, alpha: this.alpha, name: this.name, warmup_target: this.warmupTarget, warmup_steps: this.warmupSteps };
  }
}

/** Options of {@link CosineDecayRestarts}. */
export interface CosineDecayRestartsArgs {
  /** The learning rate at step 0 and the first peak. */
  initialLearningRate: number;
  /** Steps of the first period. */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the one before. Default 2. */
  tMul?: number;
  /** Each restart starts at mMul times the previous peak. Default 1. */
  mMul?: number;
  /** Floor as a fraction of initialLearningRate. Default 0. */
  alpha?: number;
  /** A name saved in the config (default `'SGDRDecay'`, as Keras). */
  name?: string;
}

/** Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2017). Keras: `CosineDecayRestarts`. */
export class CosineDecayRestarts extends LearningRateSchedule {
  static override readonly className = 'CosineDecayRestarts';
  /** The learning rate at step 0. */
  readonly initialLearningRate: number;
  /** The steps of the first period. */
  readonly firstDecaySteps: number;
  /** How much longer each period is than the one before (default 2). */
  readonly tMul: number;
  /** The peak of each restart as a fraction of the previous one (default 1). */
  readonly mMul: number;
  /** The floor, as a fraction of `initialLearningRate` (default 0). */
  readonly alpha: number;
  /** The name saved in the config. */
  readonly name: string;
  static override readonly argNames: readonly string[] = ['initialLearningRate', 'firstDecaySteps', 'tMul', 'mMul', 'alpha', 'name'];
  constructor(args: CosineDecayRestartsArgs) {
    super();
    options(args, CosineDecayRestarts);
    this.initialLearningRate = finite('initialLearningRate', args.initialLearningRate);
    this.firstDecaySteps = positive('firstDecaySteps', args.firstDecaySteps);
    this.tMul = positive('tMul', args.tMul, 2);
    this.mMul = finite('mMul', args.mMul, 1);
    this.alpha = finite('alpha', args.alpha, 0);
    this.name = args.name ?? 'SGDRDecay';
  }
  call(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const sumR = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - sumR) / this.tMul ** restart;
    }
    const cosine = 0.5 * this.mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }
  getConfig(): Record<string, unknown> {
    return { initial_learning_rate: this.initialLearningRate, first_decay_steps: this.firstDecaySteps, t_mul: this.tMul, m_mul: this.mMul, alpha: this.alpha, name: this.name };
  }
}

type ScheduleClass = { fromConfig(config: Record<string, unknown>): LearningRateSchedule };

/** Keras config (snake_case) → constructor args, per class. */
const FROM_CONFIG: Record<string, ScheduleClass> = {
  ExponentialDecay: { fromConfig: (c) => new ExponentialDecay({ initialLearningRate: c.initial_learning_rate as number, decaySteps: c.decay_steps as number, decayRate: c.decay_rate as number, staircase: c.staircase as boolean | undefined, name: c.name as string | undefined }) },
  PiecewiseConstantDecay: { fromConfig: (c) => new PiecewiseConstantDecay({ boundaries: c.boundaries as number[], values: c.values as number[], name: c.name as string | undefined }) },
  PolynomialDecay: { fromConfig: (c) => new PolynomialDecay({ initialLearningRate: c.initial_learning_rate as number, decaySteps: c.decay_steps as number, endLearningRate: c.end_learning_rate as number | undefined, power: c.power as number | undefined, cycle: c.cycle as boolean | undefined, name: c.name as string | undefined }) },
  InverseTimeDecay: { fromConfig: (c) => new InverseTimeDecay({ initialLearningRate: c.initial_learning_rate as number, decaySteps: c.decay_steps as number, decayRate: c.decay_rate as number, staircase: c.staircase as boolean | undefined, name: c.name as string | undefined }) },
  CosineDecay: { fromConfig: (c) => new CosineDecay({ initialLearningRate: c.initial_learning_rate as number, decaySteps: c.decay_steps as number, alpha: c.alpha as number | undefined, warmupTarget: c.warmup_target as number | null | undefined, warmupSteps: c.warmup_steps as number | undefined, name: c.name as string | undefined }) },
  CosineDecayRestarts: { fromConfig: (c) => new CosineDecayRestarts({ initialLearningRate: c.initial_learning_rate as number, firstDecaySteps: c.first_decay_steps as number, tMul: c.t_mul as number | undefined, mMul: c.m_mul as number | undefined, alpha: c.alpha as number | undefined, name: c.name as string | undefined }) },
};

const SCHEDULE_CLASSES: Record<string, { readonly argNames: readonly string[] }> = {
  ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts,
};

/** A schedule as Keras writes it into an optimizer's config: `{ class_name, config }`. */
export type ScheduleConfig = {
  /** The Keras class name, e.g. `'ExponentialDecay'`. */
  class_name: string;
  /** The options, Keras snake_case keys (`initial_learning_rate`...). */
  config: Record<string, unknown>;
};

/** `{ class_name, config }`, Keras's nested-object form. */
export function serialize(s: LearningRateSchedule): ScheduleConfig {
  return { class_name: s.className, config: s.getConfig() };
}

/** A schedule from `{ class_name, config }` (Keras 3 files also carry `module`, ignored). */
export function deserialize(config: unknown): LearningRateSchedule {
  const c = config as Partial<ScheduleConfig> | null;
  const name = c !== null && typeof c === 'object' ? c.class_name : undefined;
  if (typeof name !== 'string' || !Object.hasOwn(FROM_CONFIG, name)) {
    throw invalidArgument('learningRate', `a schedule config with class_name one of ${Object.keys(FROM_CONFIG).join(', ')}`, config);
  }
  const body = (c!.config ?? {}) as Record<string, unknown>;
  // A config is data (a file): keys a newer Keras writes get a warning, once.
  const argNames = SCHEDULE_CLASSES[name]!.argNames;
  warnUnknownConfigKeys(body, Object.keys(body).filter((k) => argNames.includes(camelCase(k))), name);
  return FROM_CONFIG[name]!.fromConfig(body);
}

/** The rate a schedule gives at `step`, checked: a schedule must give a finite number ≥ 0. */
export function evaluate(s: LearningRateSchedule, step: number): number {
  const lr = s.call(step);
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new KerasmError(`Learning rate schedule ${s.className} returned ${String(lr)} at step ${step}; expected a finite number ≥ 0.`);
  }
  return lr;
}

/** `km.schedules.exponentialDecay({ initialLearningRate, decaySteps, decayRate, staircase })`. */
export const exponentialDecay = (args: ExponentialDecayArgs) => new ExponentialDecay(args);
/** `km.schedules.piecewiseConstantDecay({ boundaries, values })`. */
export const piecewiseConstantDecay = (args: PiecewiseConstantDecayArgs) => new PiecewiseConstantDecay(args);
/** `km.schedules.polynomialDecay({ initialLearningRate, decaySteps, endLearningRate, power, cycle })`. */
export const polynomialDecay = (args: PolynomialDecayArgs) => new PolynomialDecay(args);
/** `km.schedules.inverseTimeDecay({ initialLearningRate, decaySteps, decayRate, staircase })`. */
export const inverseTimeDecay = (args: InverseTimeDecayArgs) => new InverseTimeDecay(args);
/** `km.schedules.cosineDecay({ initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps })`. */
export const cosineDecay = (args: CosineDecayArgs) => new CosineDecay(args);
/** `km.schedules.cosineDecayRestarts({ initialLearningRate, firstDecaySteps, tMul, mMul, alpha })`. */
export const cosineDecayRestarts = (args: CosineDecayRestartsArgs) => new CosineDecayRestarts(args);

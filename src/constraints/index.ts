// Weight constraints (Keras 3: keras/src/constraints/constraints.py), applied in wasm to a
// weight right after each optimizer update (Keras `BaseOptimizer.apply`: "Apply variable
// constraints after applying gradients"). Max-norm with dropout is the pairing of the dropout
// paper (Srivastava et al. 2014, JMLR 15, §5.1).
import type { KernelExports, Ptr } from '../backend/kernels.js';
import { ValueError, checkOptions, invalidArgument, warnUnknownConfigKeys } from '../errors.js';

/** Keras `backend.epsilon()`, added to every norm before dividing by it. */
const EPSILON = 1e-7;

/**
 * The axis, or consecutive axes, a norm constraint takes each norm over (negative counts from the end).
 * On a Dense kernel [inputs, units], 0 gives one norm per unit (its incoming weights); on a Conv2D kernel
 * [h, w, in, out], `[0, 1, 2]` does the same per filter.
 */
export type Axis = number | number[];

function checkAxis(v: unknown): Axis {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((a) => typeof a === 'number' && Number.isInteger(a))) return v.slice() as number[];
  throw invalidArgument('axis', 'an integer or a non-empty array of integers', v);
}
function checkNumber(name: string, v: unknown, def: number, min = -Infinity): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw invalidArgument(name, min === 0 ? 'a non-negative finite number' : 'a finite number', v);
  return v;
}
/**
 * The options object of constraint `where` (a bare number is its first option, `key`), its keys
 * checked against `known`: a misspelt option fails instead of leaving the default.
 */
function options<T extends object>(args: T | number | undefined, key: keyof T & string, known: readonly string[], where: string): T {
  if (typeof args === 'number') return { [key]: args } as T;
  return checkOptions(args, known, where);
}

/**
 * A weight of `shape` seen as [outer, len, inner] with `axis` the middle: the axes must be
 * consecutive (negative ones count from the end). Throws a ValueError otherwise.
 * @internal
 */
export function normLayout(shape: readonly number[], axis: Axis): [number, number, number] {
  const rank = Math.max(shape.length, 1);
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)).sort((x, y) => x - y);
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (first < 0 || last >= rank || axes.some((a, i) => a !== first + i)) {
    throw new ValueError(`Invalid value received for argument \`axis\`: expected consecutive axes of a weight of shape [${shape.join(', ')}]. Received: axis=${JSON.stringify(axis)}`);
  }
  let outer = 1;
  let len = 1;
  let inner = 1;
  shape.forEach((d, i) => {
    if (i < first) outer *= d;
    else if (i <= last) len *= d;
    else inner *= d;
  });
  return [outer, len, inner];
}

/**
 * The base class of weight constraints (Keras `keras.constraints.Constraint`), set per weight by layer options
 * such as `kernelConstraint`. The optimizer applies the constraint in place right after each update (as
 * Keras 3 does). Max-norm pairs well with dropout (Srivastava et al. 2014).
 */
export abstract class Constraint {
  /** The Keras class name written to configs (`'MaxNorm'`...). */
  static readonly className: string = 'Constraint';
  /** The Keras class name of this constraint, as in `{ class_name, config }`. */
  get className(): string {
    return (this.constructor as typeof Constraint).className;
  }
  private readonly layouts = new WeakMap<readonly number[], [number, number, number]>();
  /**
   * Throws a ValueError if this constraint cannot apply to a weight of `shape`.
   * @internal
   */
  validate(_shape: readonly number[]): void {}
  /**
   * `normLayout(shape, axis)`, computed once per weight shape (no allocation per step).
   * @internal
   */
  protected layout(shape: readonly number[], axis: Axis): [number, number, number] {
    let dims = this.layouts.get(shape);
    if (dims === undefined) {
      dims = normLayout(shape, axis);
      this.layouts.set(shape, dims);
    }
    return dims;
  }
  /**
   * Constrain the weight at `w` (shape `shape`) in place, in wasm.
   * @internal
   */
  abstract apply(k: KernelExports, w: Ptr, shape: readonly number[], size: number): void;
  /**
   * `[lo, hi]` when `apply` is `w ← min(max(w, lo), hi)` element by element (NonNeg: [0, ∞)),
   * so an optimizer can fold it into its update pass; null (norm constraints) keeps `apply`.
   * @internal
   */
  get clampRange(): readonly [number, number] | null {
    return null;
  }
  /** Keras config keys. */
  abstract getConfig(): Record<string, unknown>;
}

/** Options of {@link MaxNorm}; a bare number is `maxValue`. */
export interface MaxNormArgs {
  /** Largest norm allowed for the incoming weights of a unit. Default 2. */
  maxValue?: number;
  /** Axis (or consecutive axes) the norm runs over; 0 on a Dense kernel [in, units] is one norm per unit. Default 0. */
  axis?: Axis;
}

/** `w·clip(‖w‖, 0, maxValue)/(ε + ‖w‖)`, norms along `axis`. Keras: `keras.constraints.MaxNorm`. */
export class MaxNorm extends Constraint {
  static override readonly className = 'MaxNorm';
  /** The largest norm allowed. */
  readonly maxValue: number;
  /** The axis or axes each norm runs over. */
  readonly axis: Axis;
  constructor(args?: MaxNormArgs | number) {
    super();
    const a = options<MaxNormArgs>(args, 'maxValue', ['maxValue', 'axis'], 'MaxNorm');
    this.maxValue = checkNumber('maxValue', a.maxValue, 2, 0);
    this.axis = a.axis === undefined ? 0 : checkAxis(a.axis);
  }
  /** @internal */
  override validate(shape: readonly number[]): void {
    normLayout(shape, this.axis);
  }
  /** @internal */
  apply(k: KernelExports, w: Ptr, shape: readonly number[]): void {
    const d = this.layout(shape, this.axis);
    k.f32_minmax_norm(d[0], d[1], d[2], w, 0, this.maxValue, 1, EPSILON);
  }
  getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

const NON_NEGATIVE: readonly [number, number] = [0, Infinity];

/** `max(w, 0)`. Keras: `keras.constraints.NonNeg`. */
export class NonNeg extends Constraint {
  static override readonly className = 'NonNeg';
  constructor(args?: Record<string, never>) {
    super();
    checkOptions(args, [], 'NonNeg');
  }
  /** @internal */
  apply(k: KernelExports, w: Ptr, _shape: readonly number[], size: number): void {
    k.f32_nonneg(size, w, w);
  }
  /**
   * max(w, 0) is min(max(w, 0), +∞), bit for bit: optimizers fuse it into their update.
   * @internal
   */
  override get clampRange(): readonly [number, number] {
    return NON_NEGATIVE;
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

/** Options of {@link UnitNorm}. */
export interface UnitNormArgs {
  /** The axis or axes each norm runs over. Default 0. */
  axis?: Axis;
}

/** `w/(ε + ‖w‖)`, norms along `axis`. Keras: `keras.constraints.UnitNorm`. */
export class UnitNorm extends Constraint {
  static override readonly className = 'UnitNorm';
  /** The axis or axes each norm runs over. */
  readonly axis: Axis;
  constructor(args?: UnitNormArgs) {
    super();
    const a = options<UnitNormArgs>(args, 'axis', ['axis'], 'UnitNorm');
    this.axis = a.axis === undefined ? 0 : checkAxis(a.axis);
  }
  /** @internal */
  override validate(shape: readonly number[]): void {
    normLayout(shape, this.axis);
  }
  /** @internal */
  apply(k: KernelExports, w: Ptr, shape: readonly number[]): void {
    const d = this.layout(shape, this.axis);
    k.f32_minmax_norm(d[0], d[1], d[2], w, 1, 1, 1, EPSILON);
  }
  getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

/** Options of {@link MinMaxNorm}. */
export interface MinMaxNormArgs {
  /** The smallest norm allowed, ≥ 0. Default 0. */
  minValue?: number;
  /** The largest norm allowed, ≥ minValue. Default 1. */
  maxValue?: number;
  /** 1 enforces strictly; below 1 moves the norm that fraction of the way into [min, max]. Default 1. */
  rate?: number;
  /** The axis or axes each norm runs over. Default 0. */
  axis?: Axis;
}

/**
 * `w·desired/(ε + ‖w‖)`, desired = rate·clip(‖w‖, minValue, maxValue) + (1 − rate)·‖w‖.
 * Keras: `keras.constraints.MinMaxNorm`.
 */
export class MinMaxNorm extends Constraint {
  static override readonly className = 'MinMaxNorm';
  /** The smallest norm allowed. */
  readonly minValue: number;
  /** The largest norm allowed. */
  readonly maxValue: number;
  /** How far each step moves the norm into [minValue, maxValue] (1: all the way). */
  readonly rate: number;
  /** The axis or axes each norm runs over. */
  readonly axis: Axis;
  constructor(args?: MinMaxNormArgs) {
    super();
    const a = options<MinMaxNormArgs>(args, 'minValue', ['minValue', 'maxValue', 'rate', 'axis'], 'MinMaxNorm');
    this.minValue = checkNumber('minValue', a.minValue, 0, 0);
    this.maxValue = checkNumber('maxValue', a.maxValue, 1, 0);
    if (this.maxValue < this.minValue) throw invalidArgument('maxValue', `a number ≥ minValue (${this.minValue})`, this.maxValue);
    this.rate = checkNumber('rate', a.rate, 1, 0);
    this.axis = a.axis === undefined ? 0 : checkAxis(a.axis);
  }
  /** @internal */
  override validate(shape: readonly number[]): void {
    normLayout(shape, this.axis);
  }
  /** @internal */
  apply(k: KernelExports, w: Ptr, shape: readonly number[]): void {
    const d = this.layout(shape, this.axis);
    k.f32_minmax_norm(d[0], d[1], d[2], w, this.minValue, this.maxValue, this.rate, EPSILON);
  }
  getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/**
 * What a constraint option (`kernelConstraint`...) accepts: a {@link Constraint}, a name in TF.js or Keras
 * spelling (`'maxNorm'`, `'max_norm'`, `'MaxNorm'`; default options), or a Keras config `{ class_name, config }`.
 */
export type ConstraintIdentifier = string | Constraint | {
  /** The Keras class name, e.g. `'MaxNorm'`. */
  class_name: string;
  /** The options, Keras snake_case or TF.js camelCase keys (`{ max_value: 3, axis: 0 }`). */
  config?: Record<string, unknown>;
};

type FromConfig = (c: Record<string, unknown>) => Constraint;
const ALL: Record<string, FromConfig> = {
  MaxNorm: (c) => new MaxNorm({ maxValue: (c.max_value ?? c.maxValue) as number | undefined, axis: c.axis as Axis | undefined }),
  NonNeg: () => new NonNeg(),
  UnitNorm: (c) => new UnitNorm({ axis: c.axis as Axis | undefined }),
  MinMaxNorm: (c) => new MinMaxNorm({
    minValue: (c.min_value ?? c.minValue) as number | undefined, maxValue: (c.max_value ?? c.maxValue) as number | undefined,
    rate: c.rate as number | undefined, axis: c.axis as Axis | undefined,
  }),
};
/** The config keys each class reads (Keras snake_case, TF.js camelCase). */
const CONFIG_KEYS: Record<string, readonly string[]> = {
  MaxNorm: ['max_value', 'maxValue', 'axis'],
  NonNeg: [],
  UnitNorm: ['axis'],
  MinMaxNorm: ['min_value', 'minValue', 'max_value', 'maxValue', 'rate', 'axis'],
};
/** Keras snake_case names and TF.js camelCase names. */
const ALIASES: Record<string, string> = {
  max_norm: 'MaxNorm', maxNorm: 'MaxNorm', non_neg: 'NonNeg', nonNeg: 'NonNeg',
  unit_norm: 'UnitNorm', unitNorm: 'UnitNorm', min_max_norm: 'MinMaxNorm', minMaxNorm: 'MinMaxNorm',
};

/** Keras `constraints.get`: a name, a `{class_name, config}` or an instance; null stays null. */
export function get(id: ConstraintIdentifier | null | undefined, argName = 'constraint'): Constraint | null {
  if (id === null || id === undefined) return null;
  if (id instanceof Constraint) return id;
  const name = typeof id === 'string' ? id : typeof id === 'object' && typeof id.class_name === 'string' ? id.class_name : undefined;
  if (name === undefined) throw invalidArgument(argName, 'a constraint name, config or instance', id);
  const key = Object.hasOwn(ALL, name) ? name : Object.hasOwn(ALIASES, name) ? ALIASES[name]! : undefined;
  if (key === undefined) throw invalidArgument(argName, `one of ${[...Object.keys(ALL), ...Object.keys(ALIASES)].join(', ')}`, name);
  const config = typeof id === 'object' ? (id.config ?? {}) : {};
  // A config is data (a file, or Keras's form in code): keys a newer Keras writes get a warning, once.
  warnUnknownConfigKeys(config, CONFIG_KEYS[key]!, key);
  return ALL[key]!(config);
}

/** Keras `constraints.serialize`: `{ class_name, config }` as written to model files, or null for none. */
export function serialize(c: Constraint | null): {
  /** The Keras class name. */
  class_name: string;
  /** The options as Keras config keys. */
  config: Record<string, unknown>;
} | null {
  return c === null ? null : { class_name: c.className, config: c.getConfig() };
}

/** `km.constraints.maxNorm({ maxValue: 2, axis: 0 })` or `maxNorm(3)`. */
export const maxNorm = (args?: MaxNormArgs | number) => new MaxNorm(args);
/** `km.constraints.nonNeg()`. */
export const nonNeg = (args?: Record<string, never>) => new NonNeg(args);
/** `km.constraints.unitNorm({ axis: 0 })`. */
export const unitNorm = (args?: UnitNormArgs) => new UnitNorm(args);
/** `km.constraints.minMaxNorm({ minValue, maxValue, rate, axis })`. */
export const minMaxNorm = (args?: MinMaxNormArgs) => new MinMaxNorm(args);

// Weight and activity penalties. Keras 3: keras/src/regularizers/regularizers.py.
// penalty = l1·Σ|w| + l2·Σw²; gradient l1·sign(w) + 2·l2·w, with sign(0) = 0.
// `proximal: true` (L1 and L1L2, a kerasm extension): the L1 term leaves the gradient and the
// optimizer soft-thresholds the weight after each update instead (src/optimizers, the f32-prox
// kernels), so weights reach exactly 0; the penalty in the reported loss is unchanged.
import { checkOptionNames, invalidArgument, warnUnknownConfigKeys } from '../errors.js';

function checkPenalty(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(name, 'a non-negative finite number', v);
  return v;
}

/**
 * The base class of weight and activity penalties (Keras `keras.regularizers.Regularizer`): penalty =
 * l1·Σ|w| + l2·Σw², added to the training loss; gradient l1·sign(w) + 2·l2·w. Set per weight by layer options
 * such as `kernelRegularizer`, or on a layer's output by `activityRegularizer`.
 */
export abstract class Regularizer {
  /** The Keras class name written to configs (`'L1'`, `'L2'`, `'L1L2'`). */
  static readonly className: string = 'Regularizer';
  /** The L1 coefficient (0 for L2). */
  abstract readonly l1: number;
  /** The L2 coefficient (0 for L1). */
  abstract readonly l2: number;
  /** L1 applied as a proximal step after each update instead of through the gradient. */
  readonly proximal: boolean = false;
  /** The Keras config: `l1` and/or `l2`, and `proximal: true` when set. */
  abstract getConfig(): Record<string, number | boolean>;
  /** The Keras class name of this regularizer, as in `{ class_name, config }`. */
  get className(): string {
    return (this.constructor as typeof Regularizer).className;
  }
  /**
   * The L1 coefficient the gradient carries: 0 when the L1 term is applied as a proximal step.
   * @internal
   */
  get gradientL1(): number {
    return this.proximal ? 0 : this.l1;
  }
  /** The penalty of a float64 copy of the weights (host-side, for tests and reports). */
  penalty(w: ArrayLike<number>): number {
    let a = 0;
    let s = 0;
    for (let i = 0; i < w.length; i++) {
      a += Math.abs(w[i]!);
      s += w[i]! * w[i]!;
    }
    return this.l1 * a + this.l2 * s;
  }
}

/** The option names of each regularizer (TF.js's, plus kerasm's `proximal`). */
const L1_OPTIONS: readonly string[] = ['l1', 'proximal'];
const L2_OPTIONS: readonly string[] = ['l2'];
const L1L2_OPTIONS: readonly string[] = ['l1', 'l2', 'proximal'];

function checkProximal(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidArgument('proximal', 'a boolean', v);
  return v;
}

/**
 * `penalty = l1·Σ|w|`. Keras: `keras.regularizers.L1`. With `proximal: true` the weights are
 * soft-thresholded after each update (exact zeros) instead of receiving `l1·sign(w)` in the gradient.
 */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  /** The L1 coefficient (default 0.01). */
  readonly l1: number;
  /** Always 0. */
  readonly l2 = 0;
  /** Whether L1 is applied as a proximal step after each update, giving exact zeros (default false). */
  override readonly proximal: boolean;
  constructor(args: { l1?: number; proximal?: boolean } | number = {}) {
    super();
    if (args === null || (typeof args !== 'object' && typeof args !== 'number')) throw invalidArgument('args', 'a number or an object { l1, proximal }', args);
    if (typeof args === 'object') checkOptionNames(args, L1_OPTIONS, 'l1');
    this.l1 = checkPenalty('l1', typeof args === 'number' ? args : (args.l1 ?? 0.01));
    this.proximal = typeof args === 'number' ? false : checkProximal(args.proximal);
  }
  getConfig(): Record<string, number | boolean> {
    return this.proximal ? { l1: this.l1, proximal: true } : { l1: this.l1 };
  }
}

/** `penalty = l2·Σw²`. Keras: `keras.regularizers.L2`. */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  /** Always 0. */
  readonly l1 = 0;
  /** The L2 coefficient (default 0.01). */
  readonly l2: number;
  constructor(args: { l2?: number } | number = {}) {
    super();
    if (args === null || (typeof args !== 'object' && typeof args !== 'number')) throw invalidArgument('args', 'a number or an object { l2 }', args);
    if (typeof args === 'object' && 'proximal' in args) {
      throw invalidArgument('proximal', 'no such option on l2 (the proximal step is for the L1 term: l1 or l1l2)', (args as { proximal?: unknown }).proximal);
    }
    if (typeof args === 'object') checkOptionNames(args, L2_OPTIONS, 'l2');
    this.l2 = checkPenalty('l2', typeof args === 'number' ? args : (args.l2 ?? 0.01));
  }
  getConfig(): Record<string, number> {
    return { l2: this.l2 };
  }
}

/**
 * `penalty = l1·Σ|w| + l2·Σw²`. Keras: `keras.regularizers.L1L2`. Defaults l1 = l2 = 0.01 as
 * TF.js (Keras 3 defaults to 0); an explicit value wins.
 */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  /** The L1 coefficient (default 0.01). */
  readonly l1: number;
  /** The L2 coefficient (default 0.01). */
  readonly l2: number;
  /** Whether the L1 term is applied as a proximal step after each update, giving exact zeros (default false). */
  override readonly proximal: boolean;
  constructor(args: { l1?: number; l2?: number; proximal?: boolean } = {}) {
    super();
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an object { l1, l2 }', args);
    checkOptionNames(args, L1L2_OPTIONS, 'l1l2');
    this.l1 = checkPenalty('l1', args.l1 ?? 0.01);
    this.l2 = checkPenalty('l2', args.l2 ?? 0.01);
    this.proximal = checkProximal(args.proximal);
  }
  getConfig(): Record<string, number | boolean> {
    return this.proximal ? { l1: this.l1, l2: this.l2, proximal: true } : { l1: this.l1, l2: this.l2 };
  }
}

/**
 * What a regularizer option accepts: a {@link Regularizer}, a name (`'l1'`, `'l2'`, `'l1l2'`, `'l1_l2'`,
 * `'L1'`...; default coefficients 0.01), or a Keras config `{ class_name, config }`.
 */
export type RegularizerIdentifier = string | Regularizer | {
  /** The Keras class name, e.g. `'L2'`. */
  class_name: string;
  /** The options, e.g. `{ l2: 0.001 }`. */
  config?: Record<string, unknown>;
};

const ALL: Record<string, new (args?: never) => Regularizer> = { L1, L2, L1L2 };
const ALIASES: Record<string, string> = { l1: 'L1', l2: 'L2', l1l2: 'L1L2', l1_l2: 'L1L2' };

/** Keras `regularizers.get`: a name, a `{class_name, config}` or an instance; null stays null. */
export function get(id: RegularizerIdentifier | null | undefined, argName = 'regularizer'): Regularizer | null {
  if (id === null || id === undefined) return null;
  if (id instanceof Regularizer) return id;
  const name = typeof id === 'string' ? id : typeof id === 'object' && typeof id.class_name === 'string' ? id.class_name : undefined;
  if (name === undefined) throw invalidArgument(argName, 'a regularizer name, config or instance', id);
  const key = Object.hasOwn(ALL, name) ? name : Object.hasOwn(ALIASES, name) ? ALIASES[name]! : undefined;
  if (key === undefined) throw invalidArgument(argName, `one of ${[...Object.keys(ALL), ...Object.keys(ALIASES)].join(', ')}`, name);
  const config = typeof id === 'object' ? (id.config ?? {}) : {};
  // A config (from a file, or Keras's form in code) is data: keys a newer Keras writes get a warning, once.
  const known = key === 'L1' ? L1_OPTIONS : key === 'L2' ? L2_OPTIONS : L1L2_OPTIONS;
  warnUnknownConfigKeys(config, known, key);
  const clean: Record<string, unknown> = {};
  for (const k of known) if (Object.hasOwn(config, k)) clean[k] = config[k];
  return new (ALL[key] as unknown as new (args: Record<string, unknown>) => Regularizer)(clean);
}

/** Keras `regularizers.serialize`: `{ class_name, config }` as written to model files, or null for none. */
export function serialize(r: Regularizer | null): {
  /** The Keras class name. */
  class_name: string;
  /** The coefficients (and `proximal`). */
  config: Record<string, number | boolean>;
} | null {
  return r === null ? null : { class_name: r.className, config: r.getConfig() };
}

/** `km.regularizers.l1(0.01)`, `l1({ l1: 0.01 })`, or `l1({ l1: 0.01, proximal: true })` for exact zeros. */
export const l1 = (args?: { l1?: number; proximal?: boolean } | number) => new L1(args);
/** `km.regularizers.l2(0.01)` or `l2({ l2: 0.01 })`. */
export const l2 = (args?: { l2?: number } | number) => new L2(args);
/** `km.regularizers.l1l2({ l1, l2, proximal })`, both defaulting to 0.01 as TF.js. */
export const l1l2 = (args?: { l1?: number; l2?: number; proximal?: boolean }) => new L1L2(args);

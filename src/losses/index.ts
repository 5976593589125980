// Losses (Keras 3: keras/src/losses/losses.py), computed by fused wasm kernels. Reduction:
// "sum_over_batch_size", the mean over the batch of (sample weight × per-sample loss).
import type { KernelExports, Ptr } from '../backend/kernels.js';
import { checkOptionNames, checkRate, invalidArgument } from '../errors.js';

/** The losses kerasm computes, by their TF.js-style names. */
export type LossKind = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy'
  | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';

/**
 * Options of a {@link Loss}; each loss takes only its own (categorical and binary crossentropy: `fromLogits`,
 * `labelSmoothing`; sparse categorical: `fromLogits`; huber: `delta`; MSE and MAE: none).
 */
export interface LossArgs {
  /** Whether predictions are logits (no softmax/sigmoid applied). Default false. */
  fromLogits?: boolean;
  /** Smooths targets toward uniform: y·(1 − s) + s/classes (0.5 for binary). Default 0. */
  labelSmoothing?: number;
  /** Huber only: where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/**
 * The options each loss takes (Keras's, camelCase): a loss refuses the others, so
 * `sparseCategoricalCrossentropy({ labelSmoothing })` fails instead of smoothing nothing.
 */
const LOSS_OPTIONS: Readonly<Record<LossKind, readonly string[]>> = {
  categoricalCrossentropy: ['fromLogits', 'labelSmoothing'],
  sparseCategoricalCrossentropy: ['fromLogits'],
  binaryCrossentropy: ['fromLogits', 'labelSmoothing'],
  meanSquaredError: [],
  meanAbsoluteError: [],
  huber: ['delta'],
};

/**
 * A loss (Keras `keras.losses.Loss`), reduced as Keras's `'sum_over_batch_size'`: the mean over the batch
 * of sample weight × per-sample loss. `compile({ loss })` takes a Loss, a name (`'categoricalCrossentropy'`,
 * `'categorical_crossentropy'`, `'mse'`...), or one per output. A softmax (or sigmoid) output with its
 * crossentropy runs as one kernel from the logits, the numerically stable form.
 */
export class Loss {
  /** Which loss this is. */
  readonly kind: LossKind;
  /** Whether predictions are logits (no softmax/sigmoid applied). Default false. */
  readonly fromLogits: boolean;
  /** Label smoothing in [0, 1). Default 0. */
  readonly labelSmoothing: number;
  /** Huber's quadratic-to-linear point. Default 1. */
  readonly delta: number;
  /**
   * @param kind Which loss.
   * @param args Its options; see {@link LossArgs}.
   */
  constructor(kind: LossKind, args: LossArgs = {}) {
    if (!Object.hasOwn(LOSS_OPTIONS, kind)) throw invalidArgument('kind', `one of ${Object.keys(LOSS_OPTIONS).join(', ')}`, kind);
    const known = LOSS_OPTIONS[kind];
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw invalidArgument('args', `an options object for ${KERAS_CLASSES[kind]} { ${known.join(', ')} }`, args);
    }
    // An option given as undefined is an option not given (io passes every key a config may hold).
    checkOptionNames(Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)), known, KERAS_CLASSES[kind]);
    this.kind = kind;
    this.fromLogits = args.fromLogits ?? false;
    if (typeof this.fromLogits !== 'boolean') throw invalidArgument('fromLogits', 'a boolean', args.fromLogits);
    this.labelSmoothing = args.labelSmoothing === undefined ? 0 : checkRate('labelSmoothing', args.labelSmoothing);
    this.delta = args.delta ?? 1;
    if (!(this.delta > 0 && Number.isFinite(this.delta))) throw invalidArgument('delta', 'a positive finite number', args.delta);
  }
  /** Whether targets are class indices (sparse categorical crossentropy) rather than one-hot rows. */
  get sparse(): boolean {
    return this.kind === 'sparseCategoricalCrossentropy';
  }
  /** Keras function name, as written in training configs. */
  get name(): string {
    return KERAS_NAMES[this.kind];
  }
  /**
   * The output activation this loss can fuse with (softmax or sigmoid), so the kernel works
   * from logits: the numerically stable form, as Keras's TensorFlow backend does.
   * @internal
   */
  fusesWith(activation: string): 'softmax' | 'sigmoid' | null {
    if (this.fromLogits) return null;
    if (activation === 'softmax' && (this.kind === 'categoricalCrossentropy' || this.kind === 'sparseCategoricalCrossentropy')) return 'softmax';
    if (activation === 'sigmoid' && this.kind === 'binaryCrossentropy') return 'sigmoid';
    return null;
  }

  /**
   * Σ over rows of sample weight × per-row loss; writes the gradient of gradScale × that sum
   * with respect to `pred` (the logits when fused or fromLogits) into `grad` (0: none).
   * With fusion, `probs` receives the activated output (0: not written).
   * @internal
   */
  compute(k: KernelExports, rows: number, cols: number, pred: Ptr, y: Ptr, sw: Ptr, grad: Ptr, gradScale: number,
    fused: 'softmax' | 'sigmoid' | null, probs: Ptr): number {
    const ls = this.labelSmoothing;
    switch (this.kind) {
      case 'categoricalCrossentropy':
        if (fused === 'softmax' || this.fromLogits) return k.f32_softmax_xent(rows, cols, pred, y, sw, probs, grad, gradScale, ls);
        return k.f32_xent(rows, cols, pred, y, sw, grad, gradScale, ls);
      case 'sparseCategoricalCrossentropy':
        if (fused === 'softmax' || this.fromLogits) return k.f32_sparse_softmax_xent(rows, cols, pred, y, sw, probs, grad, gradScale);
        return k.f32_sparse_xent(rows, cols, pred, y, sw, grad, gradScale);
      case 'binaryCrossentropy':
        if (fused === 'sigmoid' || this.fromLogits) return k.f32_sigmoid_bce(rows, cols, pred, y, sw, probs, grad, gradScale, ls);
        return k.f32_bce(rows, cols, pred, y, sw, grad, gradScale, ls);
      case 'meanSquaredError':
        return k.f32_mse(rows, cols, pred, y, sw, grad, gradScale);
      case 'meanAbsoluteError':
        return k.f32_mae(rows, cols, pred, y, sw, grad, gradScale);
      case 'huber':
        return k.f32_huber(rows, cols, pred, y, sw, grad, gradScale, this.delta);
    }
  }

  /** The Keras config: `name`, `reduction` and the options this loss takes, snake_case (`from_logits`...). */
  getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { name: this.name, reduction: 'sum_over_batch_size' };
    if (this.kind === 'categoricalCrossentropy' || this.kind === 'binaryCrossentropy') {
      c.from_logits = this.fromLogits;
      c.label_smoothing = this.labelSmoothing;
    }
    if (this.kind === 'sparseCategoricalCrossentropy') c.from_logits = this.fromLogits;
    if (this.kind === 'huber') c.delta = this.delta;
    return c;
  }
}

const KERAS_NAMES: Record<LossKind, string> = {
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  meanSquaredError: 'mean_squared_error',
  meanAbsoluteError: 'mean_absolute_error',
  huber: 'huber',
};

/** Keras class names, for messages. */
const KERAS_CLASSES: Record<LossKind, string> = {
  categoricalCrossentropy: 'CategoricalCrossentropy',
  sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy',
  meanSquaredError: 'MeanSquaredError',
  meanAbsoluteError: 'MeanAbsoluteError',
  huber: 'Huber',
};

const ALIASES: Record<string, LossKind> = {
  categoricalCrossentropy: 'categoricalCrossentropy', categorical_crossentropy: 'categoricalCrossentropy',
  CategoricalCrossentropy: 'categoricalCrossentropy',
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy', sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy', binary_crossentropy: 'binaryCrossentropy', BinaryCrossentropy: 'binaryCrossentropy',
  meanSquaredError: 'meanSquaredError', mean_squared_error: 'meanSquaredError', mse: 'meanSquaredError', MeanSquaredError: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError', mae: 'meanAbsoluteError', MeanAbsoluteError: 'meanAbsoluteError',
  huber: 'huber', huber_loss: 'huber', Huber: 'huber', huberLoss: 'huber',
};

/**
 * What `compile({ loss })` accepts: a {@link Loss} or a name in TF.js, Keras function or Keras class spelling
 * (`'meanSquaredError'`, `'mean_squared_error'`, `'mse'`, `'MeanSquaredError'`).
 */
export type LossIdentifier = string | Loss;

/** Keras `losses.get`: the Loss itself, or a new one with default options for a name. */
export function get(id: LossIdentifier, argName = 'loss'): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'string' && Object.hasOwn(ALIASES, id)) return new Loss(ALIASES[id]!);
  throw invalidArgument(argName, `one of ${Object.keys(ALIASES).filter((n) => /^[a-z]/.test(n)).join(', ')}`, id);
}

/**
 * Keras `CategoricalCrossentropy`: targets one-hot (or probabilities) per sample, `[batch, classes]`. Options `fromLogits`, `labelSmoothing`.
 */
export const categoricalCrossentropy = (args?: Pick<LossArgs, 'fromLogits' | 'labelSmoothing'>) => new Loss('categoricalCrossentropy', args);
/** Keras `SparseCategoricalCrossentropy`: targets class indices, `[batch]` or `[batch, 1]`. Option `fromLogits`. */
export const sparseCategoricalCrossentropy = (args?: Pick<LossArgs, 'fromLogits'>) => new Loss('sparseCategoricalCrossentropy', args);
/** Keras `BinaryCrossentropy`: targets 0/1 (or probabilities) per output unit. Options `fromLogits`, `labelSmoothing`. */
export const binaryCrossentropy = (args?: Pick<LossArgs, 'fromLogits' | 'labelSmoothing'>) => new Loss('binaryCrossentropy', args);
/** Keras `MeanSquaredError`: mean of (y − ŷ)² over the last axis. No options. */
export const meanSquaredError = (args?: Record<string, never>) => new Loss('meanSquaredError', args);
/** Keras `MeanAbsoluteError`: mean of |y − ŷ| over the last axis. No options. */
export const meanAbsoluteError = (args?: Record<string, never>) => new Loss('meanAbsoluteError', args);
/** Keras `Huber`: quadratic for |y − ŷ| ≤ delta, linear beyond. Option `delta` (default 1). */
export const huber = (args?: Pick<LossArgs, 'delta'>) => new Loss('huber', args);

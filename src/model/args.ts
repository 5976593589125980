// The options of fit, fitDataset, evaluate and predict (TF.js's names), and the lists that check them.
import type { CallbackHooks } from '../callbacks/index.js';
import type { ClassWeight } from '../data/class-weight.js';

/** Options of `model.fit(x, y, args)` (TF.js names; Keras's snake_case spellings are refused with the camelCase name). */
export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the data, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** `[xVal, yVal]` (or `[xVal, yVal, sampleWeightVal]`), overrides validationSplit. */
  validationData?: [unknown, unknown] | [unknown, unknown, unknown];
  /** Epoch to start at (for resuming). Default 0. */
  initialEpoch?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** Callbacks (`km.callbacks.*`, a `km.callbacks.Callback` subclass, or any object with hooks), called in order. */
  callbacks?: CallbackHooks[] | CallbackHooks;
  /** One weight per training sample, scaling its loss (per output for several: a list or an object keyed by output name). */
  sampleWeight?: ArrayLike<number> | ArrayLike<number>[] | Record<string, ArrayLike<number>>;
  /**
   * Weight per class index (`{ 0: 1, 1: 5 }`), applied to the training samples (not to
   * validation data, as Keras); multiplied with `sampleWeight` when both are given.
   */
  classWeight?: ClassWeight;
}

/** A batch from a dataset source: inputs and targets for up to the planned number of rows. */
export interface DatasetBatch {
  /**
   * The inputs, in the same forms as `fit`'s `x` (one per input for several: a list, or an object keyed by input name).
   */
  xs: unknown;
  /** The targets, in the same forms as `fit`'s `y`. */
  ys: unknown;
}

/** Anything `fitDataset` can read one epoch from: a (re-iterable) sync or async iterable, or a function returning one. */
export type DatasetSource = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch> | (() => Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>);

/** Options of `model.fitDataset(source, args)`. */
export interface FitDatasetArgs {
  /** Passes over the source. Default 1. */
  epochs?: number;
  /** 0 silent, 1 progress (a line per epoch when the source's length is unknown), 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Callbacks, as in {@link FitArgs.callbacks}. */
  callbacks?: CallbackHooks[] | CallbackHooks;
  /** Validation arrays `[xVal, yVal]`, evaluated at the end of each epoch. */
  validationData?: [unknown, unknown];
  /** Stop an epoch after this many batches (for endless sources). */
  batchesPerEpoch?: number;
}

/** Options of `model.evaluate(x, y, args)`. */
export interface EvaluateArgs {
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /**
   * One weight per sample, scaling its loss and metrics (per output for several: a list or an object keyed by output name).
   */
  sampleWeight?: ArrayLike<number> | ArrayLike<number>[] | Record<string, ArrayLike<number>>;
  /** Weight per class index, multiplied with `sampleWeight` (a kerasm extension: Keras's evaluate has none). */
  classWeight?: ClassWeight;
  /** Accepted for TF.js compatibility; evaluate prints nothing. */
  verbose?: 0 | 1;
}

/** Options of `model.predict(x, args)`. */
export interface PredictArgs {
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /** Run dropout as in training (MC dropout). Default false. */
  training?: boolean;
  /** Accepted for Keras and TF.js compatibility; predict prints nothing. */
  verbose?: 0 | 1;
}

/** @internal */
export const FIT_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'initialEpoch', 'verbose', 'callbacks',
  'sampleWeight', 'classWeight'] as const;
export const FIT_DATASET_OPTIONS = ['epochs', 'verbose', 'callbacks', 'validationData', 'batchesPerEpoch'] as const;
export const EVALUATE_OPTIONS = ['batchSize', 'sampleWeight', 'classWeight', 'verbose'] as const;
export const PREDICT_OPTIONS = ['batchSize', 'training', 'verbose'] as const;

// The options of fit, fitDataset, evaluate and predict (TF.js's names), and the lists that check them.
import type { CallbackHooks } from '../callbacks/index.js';
import type { ClassWeight } from '../data/class-weight.js';

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
  xs: unknown;
  ys: unknown;
}

/** Anything `fitDataset` can read one epoch from: a (re-iterable) sync or async iterable, or a function returning one. */
export type DatasetSource = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch> | (() => Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>);

export interface FitDatasetArgs {
  epochs?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: CallbackHooks[] | CallbackHooks;
  /** Validation arrays `[xVal, yVal]`, evaluated at the end of each epoch. */
  validationData?: [unknown, unknown];
  /** Stop an epoch after this many batches (for endless sources). */
  batchesPerEpoch?: number;
}

export interface EvaluateArgs {
  batchSize?: number;
  sampleWeight?: ArrayLike<number> | ArrayLike<number>[] | Record<string, ArrayLike<number>>;
  /** Weight per class index, multiplied with `sampleWeight` (a kerasm extension: Keras's evaluate has none). */
  classWeight?: ClassWeight;
  verbose?: 0 | 1;
}

export interface PredictArgs {
  batchSize?: number;
  /** Run dropout as in training (MC dropout). Default false. */
  training?: boolean;
}

export const FIT_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'initialEpoch', 'verbose', 'callbacks',
  'sampleWeight', 'classWeight'] as const;
export const FIT_DATASET_OPTIONS = ['epochs', 'verbose', 'callbacks', 'validationData', 'batchesPerEpoch'] as const;
export const EVALUATE_OPTIONS = ['batchSize', 'sampleWeight', 'classWeight', 'verbose'] as const;
export const PREDICT_OPTIONS = ['batchSize', 'training', 'verbose'] as const;

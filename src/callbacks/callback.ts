// The callback base and the part of a model a callback may touch (Keras 3:
// keras/src/callbacks/callback.py). The training loop calls callbacks; they never reach into
// the loop's internals, and this package imports nothing from model/.

/**
 * The numbers a hook receives: at epoch end `loss`, each metric, and `val_`-prefixed ones with validation data
 * (plus what callbacks add, e.g. `learning_rate`); at batch level `batch`, `size` and, at batch end, `loss`.
 */
export type Logs = Record<string, number>;

/** The optimizer as callbacks see it: the learning rate of the next step, settable (Keras `optimizer.learning_rate`). */
export interface CallbackOptimizer {
  /** The learning rate of the next step; set it to change the rate (not allowed when the optimizer has a schedule). */
  learningRate: number;
  /** Steps applied so far (Keras `iterations`). */
  readonly iterations: number;
}

/**
 * A copy of every weight of a model in one wasm buffer, allocated once: `capture()` copies the
 * weights in (wasm f32_vcopy), `restore()` copies them back, `dispose()` frees the buffer.
 */
export interface WeightSnapshot {
  /** Copy the model's current weights into the snapshot. */
  capture(): void;
  /** Copy the snapshot back into the model's weights. */
  restore(): void;
  /** Free the snapshot's buffer. */
  dispose(): void;
}

/** The part of a model a callback may touch. A kerasm `Sequential` has all of it. */
export interface CallbackModel {
  /** Set to true to end `fit` after the current epoch (or batch, from a batch hook). */
  stopTraining: boolean;
  /** The compiled optimizer (null before compile). */
  readonly optimizer?: CallbackOptimizer | null;
  /** A new snapshot buffer for this model's weights (earlyStopping's restoreBestWeights). */
  weightSnapshot?(): WeightSnapshot;
  /** Save the whole model (`file://` path or IO handler). */
  save?(target: string): Promise<unknown>;
  /** Save the weights alone. */
  saveWeights?(target: string): Promise<unknown>;
}

/**
 * The hooks the training loop calls, all optional (Keras `on_epoch_end` → `onEpochEnd`). A hook may return a
 * promise; the loop awaits it. Any object with some of these methods can be passed in `fit({ callbacks })`.
 */
export interface CallbackHooks {
  /** Called once before training with the model being trained. */
  setModel?(model: CallbackModel): void;
  /**
   * Called once before training with `{ epochs, steps, verbose, batchSize, samples }` (fitDataset: `{ epochs, verbose }`).
   */
  setParams?(params: Record<string, unknown>): void;
  /** Called at the start of `fit`. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** Called at the end of `fit`, also when a callback stopped it. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  /** Called at the start of each epoch (`epoch` counts from 0). */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /**
   * Called at the end of each epoch with its logs: `loss`, the metrics and, with validation data, `val_loss` and `val_<metric>`.
   */
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Called before each step with `{ batch, size }`. Defining a batch hook turns off batch prefetching. */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** Called after each step with `{ batch, size, loss }`; the loss may be NaN (see {@link TerminateOnNaN}). */
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/**
 * Base class for callbacks (Keras `keras.callbacks.Callback`): extend it and define the hooks you need
 * ({@link CallbackHooks}); `this.model` is the model being trained.
 */
export class Callback implements CallbackHooks {
  /** The model being trained (set by `setModel`), null before `fit`. */
  model: CallbackModel | null = null;
  /** The training parameters (set by `setParams`). */
  params: Record<string, unknown> = {};
  /** Keep the model in `this.model`. */
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  /** Keep the training parameters in `this.params`. */
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }
}

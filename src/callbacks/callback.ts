// The callback base and the part of a model a callback may touch (Keras 3:
// keras/src/callbacks/callback.py). The training loop calls callbacks; they never reach into
// the loop's internals, and this package imports nothing from model/.

export type Logs = Record<string, number>;

/** The optimizer as callbacks see it: the learning rate of the next step, settable (Keras `optimizer.learning_rate`). */
export interface CallbackOptimizer {
  learningRate: number;
  readonly iterations: number;
}

/**
 * A copy of every weight of a model in one wasm buffer, allocated once: `capture()` copies the
 * weights in (wasm f32_vcopy), `restore()` copies them back, `dispose()` frees the buffer.
 */
export interface WeightSnapshot {
  capture(): void;
  restore(): void;
  dispose(): void;
}

/** The part of a model a callback may touch. A kerasm `Sequential` has all of it. */
export interface CallbackModel {
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

export interface CallbackHooks {
  setModel?(model: CallbackModel): void;
  setParams?(params: Record<string, unknown>): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

/** Base class for callbacks (Keras `keras.callbacks.Callback`). */
export class Callback implements CallbackHooks {
  model: CallbackModel | null = null;
  params: Record<string, unknown> = {};
  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: Record<string, unknown>): void {
    this.params = params;
  }
}

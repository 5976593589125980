// Callbacks: the training loop calls them; they never reach into the loop's internals.
// Hooks are camelCase (Keras `on_epoch_end` → `onEpochEnd`) and may return a promise.

export type Logs = Record<string, number>;

/** The part of a model a callback may touch. */
export interface CallbackModel {
  stopTraining: boolean;
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

/** Records the epoch logs: `history.history.loss`, `val_loss`, one key per metric. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};
  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}

/** The hooks of several callbacks, called in order. */
export class CallbackList {
  readonly callbacks: CallbackHooks[];
  readonly wantsBatchHooks: boolean;
  constructor(callbacks: CallbackHooks[]) {
    this.callbacks = callbacks;
    this.wantsBatchHooks = callbacks.some((c) => typeof c.onBatchBegin === 'function' || typeof c.onBatchEnd === 'function');
  }
  setModel(model: CallbackModel): void {
    for (const c of this.callbacks) c.setModel?.(model);
  }
  setParams(params: Record<string, unknown>): void {
    for (const c of this.callbacks) c.setParams?.(params);
  }
  async onTrainBegin(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async onTrainEnd(logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }
  async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
}

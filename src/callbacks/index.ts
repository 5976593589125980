// Callbacks: the training loop calls them; they never reach into the loop's internals.
// Hooks are camelCase (Keras `on_epoch_end` → `onEpochEnd`) and may return a promise.

import { Callback } from './callback.js';
import type { CallbackHooks, CallbackModel, Logs } from './callback.js';
import { CSVLogger } from './csv-logger.js';
import type { CSVLoggerArgs } from './csv-logger.js';
import { EarlyStopping } from './early-stopping.js';
import type { EarlyStoppingArgs } from './early-stopping.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import type { EpochSchedule } from './learning-rate-scheduler.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import type { ModelCheckpointArgs } from './model-checkpoint.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import type { ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';
import type { TerminateOnNaNArgs } from './terminate-on-nan.js';

export { Callback, CSVLogger, EarlyStopping, LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN };
export { MonitorCallback } from './monitor-callback.js';
export type { MonitorArgs, MonitorMode } from './monitor-callback.js';
export type { CallbackHooks, CallbackModel, CallbackOptimizer, Logs, WeightSnapshot } from './callback.js';
export type { CSVLoggerArgs, EarlyStoppingArgs, EpochSchedule, ModelCheckpointArgs, ReduceLROnPlateauArgs, TerminateOnNaNArgs };
export { formatFilepath } from './model-checkpoint.js';

/** `km.callbacks.earlyStopping({ monitor, minDelta, patience, verbose, mode, baseline, restoreBestWeights, startFromEpoch })`. */
export const earlyStopping = (args?: EarlyStoppingArgs) => new EarlyStopping(args);
/** `km.callbacks.reduceLROnPlateau({ monitor, factor, patience, minDelta, cooldown, minLr })`. */
export const reduceLROnPlateau = (args?: ReduceLROnPlateauArgs) => new ReduceLROnPlateau(args);
/** `km.callbacks.learningRateScheduler((epoch, lr) => lr)`. */
export const learningRateScheduler = (schedule: EpochSchedule, verbose: 0 | 1 = 0) => new LearningRateScheduler(schedule, verbose);
/** `km.callbacks.terminateOnNaN()`. */
export const terminateOnNaN = (args?: TerminateOnNaNArgs) => new TerminateOnNaN(args);
/** `km.callbacks.csvLogger('log.csv', { separator, append })` (Node). */
export const csvLogger = (filename: string, args?: CSVLoggerArgs) => new CSVLogger(filename, args);
/** `km.callbacks.modelCheckpoint('ckpt/best', { monitor, saveBestOnly, saveWeightsOnly, mode })`. */
export const modelCheckpoint = (filepath: string, args?: ModelCheckpointArgs) => new ModelCheckpoint(filepath, args);

/** Records the epoch logs: `history.history.loss`, `val_loss`, one key per metric. */
export class History extends Callback {
  /** The epoch indices trained, from 0. */
  epoch: number[] = [];
  /** One array per log key (`loss`, `val_loss`, metrics, `learning_rate`...), one value per epoch. */
  history: Record<string, number[]> = {};
  /** Clear the record. */
  onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }
  /** Append the epoch's logs. */
  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}

/**
 * The hooks of several callbacks, called in order.
 * @internal
 */
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

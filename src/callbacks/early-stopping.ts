// EarlyStopping (Keras 3: keras/src/callbacks/early_stopping.py): stop when the monitored
// quantity has stopped improving; optionally restore the weights of the best epoch at the end.
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import type { CallbackModel, Logs, WeightSnapshot } from './callback.js';
import { MONITOR_ARG_NAMES, MonitorCallback } from './monitor-callback.js';
import type { MonitorArgs } from './monitor-callback.js';

/** Options of {@link EarlyStopping}: {@link MonitorArgs} plus these. */
export interface EarlyStoppingArgs extends MonitorArgs {
  /** Epochs with no improvement after which training stops. Default 0. */
  patience?: number;
  /** 0 silent, 1 prints when it stops and restores. Default 0. */
  verbose?: 0 | 1;
  /**
   * Restore the weights of the best epoch when training ends (whether it stopped early or not,
   * as Keras). The best weights live in one wasm buffer, allocated once per model. Default false.
   */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (warm-up). Default 0. */
  startFromEpoch?: number;
}

/** A misspelt option (`restore_best_weights`) fails instead of being ignored. */
const EARLY_STOPPING_ARG_NAMES: readonly string[] = [...MONITOR_ARG_NAMES, 'patience', 'verbose', 'restoreBestWeights', 'startFromEpoch'];

function nonNegInt(name: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidArgument(name, 'a non-negative integer', v);
  return v;
}

/** Stop training when a monitored metric has stopped improving. Keras: `keras.callbacks.EarlyStopping`. */
export class EarlyStopping extends MonitorCallback {
  /** Epochs with no improvement after which training stops. */
  readonly patience: number;
  /** 0 silent, 1 prints when it stops and restores. */
  readonly verbose: 0 | 1;
  /** Whether the best epoch's weights are restored when training ends. */
  readonly restoreBestWeights: boolean;
  /** Epochs to wait before monitoring starts. */
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (from 0) at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  /** The epoch (from 0) with the best monitored value. */
  bestEpoch = 0;
  private snapshot: WeightSnapshot | null = null;
  private snapshotModel: CallbackModel | null = null;
  private haveBest = false;

  constructor(args: EarlyStoppingArgs = {}) {
    super(checkOptions(args, EARLY_STOPPING_ARG_NAMES, 'EarlyStopping', false));
    this.patience = nonNegInt('patience', args.patience);
    const verbose = args.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', '0 or 1', args.verbose);
    this.verbose = verbose;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    if (typeof this.restoreBestWeights !== 'boolean') throw invalidArgument('restoreBestWeights', 'a boolean', args.restoreBestWeights);
    this.startFromEpoch = nonNegInt('startFromEpoch', args.startFromEpoch);
  }

  /** Reset the counters and the best value for a new `fit`. */
  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.haveBest = false;
    // Keras resets `best` to None here: the baseline only gates the wait counter.
    this.resetMonitor(null);
  }

  /** Compare the monitored value with the best; stop training after `patience` epochs without improvement. */
  onEpochEnd(epoch: number, logs?: Logs): void {
    const current = this.monitorValue(logs, 'Early stopping');
    if (current === null || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && !this.haveBest) {
      // Best weights never set: the current ones are the best so far.
      this.captureBest();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.captureBest();
      // Only restart the wait if we beat both the baseline and our previous best.
      if (this.baseline === null || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  /** Restore the best weights if `restoreBestWeights` is set (whether training stopped early or not, as Keras). */
  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.haveBest) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.snapshot!.restore();
    }
  }

  /** Copy the current weights into the snapshot buffer (allocated on first use, kept for this model). */
  private captureBest(): void {
    const model = this.model;
    if (model === null || typeof model.weightSnapshot !== 'function') {
      throw new KerasmError('earlyStopping({ restoreBestWeights: true }) needs a kerasm model (one with weightSnapshot()).');
    }
    if (this.snapshot === null || this.snapshotModel !== model) {
      this.snapshot?.dispose();
      this.snapshot = model.weightSnapshot();
      this.snapshotModel = model;
    }
    this.snapshot.capture();
    this.haveBest = true;
  }
}

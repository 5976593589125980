// ReduceLROnPlateau (Keras 3: keras/src/callbacks/reduce_lr_on_plateau.py): multiply the
// learning rate by `factor` after `patience` epochs without improvement, then wait `cooldown`.
import { KerasmError, ValueError, checkOptions, invalidArgument } from '../errors.js';
import type { Logs } from './callback.js';
import { MONITOR_ARG_NAMES, MonitorCallback } from './monitor-callback.js';
import type { MonitorArgs } from './monitor-callback.js';

/** Options of {@link ReduceLROnPlateau}: {@link MonitorArgs} (here minDelta defaults to 1e-4) plus these. */
export interface ReduceLROnPlateauArgs extends MonitorArgs {
  /** new lr = lr·factor; must be < 1. Default 0.1. */
  factor?: number;
  /** Epochs with no improvement before the rate is reduced. Default 10. */
  patience?: number;
  /** 0 quiet, 1 prints each reduction. Default 0. */
  verbose?: 0 | 1;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  minLr?: number;
}

const REDUCE_LR_ARG_NAMES: readonly string[] = [...MONITOR_ARG_NAMES, 'factor', 'patience', 'verbose', 'cooldown', 'minLr'];

function nonNegInt(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalidArgument(name, 'a non-negative integer', v);
  return v;
}

/** Reduce the learning rate when a metric has stopped improving. Keras: `keras.callbacks.ReduceLROnPlateau`. */
export class ReduceLROnPlateau extends MonitorCallback {
  /** The factor the rate is multiplied by, in [0, 1). */
  readonly factor: number;
  /** Epochs with no improvement before a reduction. */
  readonly patience: number;
  /** 0 quiet, 1 prints each reduction. */
  readonly verbose: 0 | 1;
  /** Epochs to wait after a reduction before counting again. */
  readonly cooldown: number;
  /** The lower bound on the learning rate. */
  readonly minLr: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** Cooldown epochs left. */
  cooldownCounter = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super(checkOptions(args, REDUCE_LR_ARG_NAMES, 'ReduceLROnPlateau', false), { minDelta: 1e-4 });
    const factor = args.factor ?? 0.1;
    if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) throw invalidArgument('factor', 'a number in [0, 1)', args.factor);
    if (factor >= 1) throw new ValueError(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${factor}`);
    this.factor = factor;
    this.patience = nonNegInt('patience', args.patience, 10);
    const verbose = args.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', '0 or 1', args.verbose);
    this.verbose = verbose;
    this.cooldown = nonNegInt('cooldown', args.cooldown, 0);
    const minLr = args.minLr ?? 0;
    if (typeof minLr !== 'number' || !Number.isFinite(minLr) || minLr < 0) throw invalidArgument('minLr', 'a non-negative finite number', args.minLr);
    this.minLr = minLr;
  }

  /** Reset the best value and the counters for a new `fit`. */
  onTrainBegin(): void {
    this.resetMonitor(null);
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private get optimizer() {
    const opt = this.model?.optimizer;
    if (opt === undefined || opt === null) throw new KerasmError('ReduceLROnPlateau needs a compiled model (its optimizer holds the learning rate).');
    return opt;
  }

  /** Log `learning_rate`; after `patience` epochs without improvement, multiply the rate by `factor` (not below `minLr`). */
  onEpochEnd(epoch: number, logs?: Logs): void {
    const opt = this.optimizer;
    if (logs !== undefined) logs.learning_rate = opt.learningRate;
    const current = this.monitorValue(logs, 'Learning rate reduction');
    if (current === null) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter === 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = opt.learningRate;
        // Keras compares with float32(min_lr): the learning rate lives in a float32 variable there.
        if (old > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          opt.learningRate = lr;
          if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

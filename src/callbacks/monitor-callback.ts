// The logic EarlyStopping, ReduceLROnPlateau and ModelCheckpoint share: which quantity to
// watch, in which direction, and what counts as an improvement. Keras 3:
// keras/src/callbacks/monitor_callback.py.
import { ValueError, invalidArgument } from '../errors.js';
import { Callback } from './callback.js';
import type { Logs } from './callback.js';

/**
 * Which direction is an improvement: `'min'` (lower is better), `'max'`, or `'auto'` (from the monitored name:
 * accuracies, AUC, precision, recall go up; losses, errors and the learning rate go down).
 */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * The options of callbacks that watch one logged quantity ({@link EarlyStopping}, {@link ReduceLROnPlateau}, {@link ModelCheckpoint}).
 */
export interface MonitorArgs {
  /** Key of the epoch logs to watch (`'val_loss'`, `'loss'`, `'val_accuracy'`…). Default `'val_loss'`. */
  monitor?: string;
  /** `'min'`, `'max'`, or `'auto'` (from the name: accuracies go up, losses and errors down). Default `'auto'`. */
  mode?: MonitorMode;
  /** A change smaller than this (in absolute value) is no improvement. Default 0. */
  minDelta?: number;
  /** Initial "best" value. Default none (the first value seen). */
  baseline?: number | null;
}

/**
 * The options every monitoring callback takes (MonitorArgs).
 * @internal
 */
export const MONITOR_ARG_NAMES: readonly string[] = ['monitor', 'mode', 'minDelta', 'baseline'];

/** Metric names that go up as a model improves (Keras metrics with `_direction = "up"`). */
const UP = /(^|_)(acc|accuracy|auc|precision|recall|f1(_score)?|fbeta(_score)?|iou|r2(_score)?)$|accuracy$|Accuracy$/;
/** Metric names that go down: losses, errors, divergences, the learning rate. */
const DOWN = /loss$|error$|Error$|^(mse|mae|mape|msle|rmse|logcosh|huber|kld|kl_divergence|poisson|hinge|squared_hinge|categorical_hinge|learning_rate)$|crossentropy$|Crossentropy$/;

/** Base for callbacks that watch one logged quantity. Not used directly. */
export abstract class MonitorCallback extends Callback {
  /** The log key watched. */
  readonly monitor: string;
  /** The direction given (`'auto'`: from the monitored name). */
  readonly mode: MonitorMode;
  /** |minDelta|. */
  readonly minDelta: number;
  /** The value to beat, or null. */
  readonly baseline: number | null;
  /** Best value so far (null: none yet). */
  best: number | null;
  private direction: 'min' | 'max' | null = null;
  private warned = false;

  /**
   * @param args The monitoring options.
   * @param defaults Defaults of this callback where they differ from `val_loss` and 0 (ReduceLROnPlateau: minDelta 1e-4).
   */
  constructor(args: MonitorArgs, defaults: { monitor?: string; minDelta?: number } = {}) {
    super();
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    const monitor = args.monitor ?? defaults.monitor ?? 'val_loss';
    if (typeof monitor !== 'string' || monitor.length === 0) throw invalidArgument('monitor', 'a log key such as \'val_loss\'', args.monitor);
    const mode = args.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw invalidArgument('mode', "one of 'auto', 'min', 'max'", args.mode);
    const minDelta = args.minDelta ?? defaults.minDelta ?? 0;
    if (typeof minDelta !== 'number' || !Number.isFinite(minDelta)) throw invalidArgument('minDelta', 'a finite number', args.minDelta);
    const baseline = args.baseline ?? null;
    if (baseline !== null && (typeof baseline !== 'number' || !Number.isFinite(baseline))) throw invalidArgument('baseline', 'a finite number or null', args.baseline);
    this.monitor = monitor;
    this.mode = mode;
    this.minDelta = Math.abs(minDelta);
    this.baseline = baseline;
    this.best = baseline;
  }

  /** Whether a larger value is better: from `mode`, or in `'auto'` from the monitored name. */
  protected get monitorDirection(): 'min' | 'max' {
    if (this.direction !== null) return this.direction;
    if (this.mode !== 'auto') return (this.direction = this.mode);
    const name = this.monitor.startsWith('val_') ? this.monitor.slice(4) : this.monitor;
    if (name === 'loss' || DOWN.test(name)) return (this.direction = 'min');
    if (UP.test(name)) return (this.direction = 'max');
    throw new ValueError(`${this.constructor.name} callback received monitor=${this.monitor}, but kerasm isn't able to automatically ` +
      "determine whether that metric should be maximized or minimized. Pass `mode: 'max'` in order to monitor based on the highest " +
      "metric value, or pass `mode: 'min'` in order to use the lowest value.");
  }

  /** Keras `_is_improvement`: current − minDelta > reference (max), current + minDelta < reference (min); always with no reference. */
  protected isImprovement(current: number, reference: number | null): boolean {
    const direction = this.monitorDirection; // resolved (or refused) on the first value, as Keras
    if (reference === null) return true;
    return direction === 'min' ? current + this.minDelta < reference : current - this.minDelta > reference;
  }

  /** Reset for a new `fit` (Keras: "Allow instances to be re-used across model.fit() calls"). */
  protected resetMonitor(best: number | null): void {
    this.best = best;
    this.warned = false;
  }

  /**
   * The monitored value in `logs`, or null, warning once per fit with the keys that are
   * there (Keras warns every epoch).
   */
  protected monitorValue(logs: Logs | undefined, what: string): number | null {
    const value = logs?.[this.monitor];
    if (value === undefined || typeof value !== 'number') {
      if (!this.warned) {
        this.warned = true;
        console.warn(`${what} conditioned on metric \`${this.monitor}\` which is not available. Available metrics are: ${Object.keys(logs ?? {}).join(',')}`);
      }
      return null;
    }
    return value;
  }
}

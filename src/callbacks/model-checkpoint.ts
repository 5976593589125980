// ModelCheckpoint (Keras 3: keras/src/callbacks/model_checkpoint.py): save the model, or its
// weights, at the end of every epoch or only when the monitored quantity improves. A `file://`
// (or plain) path is written to a temporary sibling first and renamed into place, so a crash
// never leaves a half-written checkpoint: the old one stays until the new one is complete.
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import type { Logs } from './callback.js';
import { MONITOR_ARG_NAMES, MonitorCallback } from './monitor-callback.js';
import type { MonitorArgs } from './monitor-callback.js';
import { filePath, nodeFs } from './node-fs.js';

/** Options of {@link ModelCheckpoint}: {@link MonitorArgs} (without `baseline`: use `initialValueThreshold`) plus these. */
export interface ModelCheckpointArgs extends MonitorArgs {
  /** 0 silent, 1 prints each save decision. Default 0. */
  verbose?: 0 | 1;
  /** Save only when `monitor` improves (the file is overwritten by each better model). Default false. */
  saveBestOnly?: boolean;
  /** `model.saveWeights(path)` instead of `model.save(path)`. Default false. */
  saveWeightsOnly?: boolean;
  /** Keras `initial_value_threshold`: the value to beat before the first save with saveBestOnly. */
  initialValueThreshold?: number | null;
}

/** Keras's ModelCheckpoint has `initial_value_threshold` where the others have `baseline`. */
const MODEL_CHECKPOINT_ARG_NAMES: readonly string[] = [...MONITOR_ARG_NAMES.filter((k) => k !== 'baseline'), 'verbose', 'saveBestOnly',
  'saveWeightsOnly', 'initialValueThreshold'];

let tmpCounter = 0;

/**
 * Format `{epoch}`, `{epoch:02d}`, `{val_loss:.2f}`… as Python's str.format does for these
 * specs (d with width and 0 fill, .Nf, .Ne, .Ng); epoch is 1-based, as Keras.
 */
export function formatFilepath(pattern: string, epoch: number, logs: Logs): string {
  return pattern.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_m, key: string, spec: string | undefined) => {
    const value = key === 'epoch' ? epoch + 1 : logs[key];
    if (value === undefined) throw new KerasmError(`Failed to format this callback filepath: "${pattern}". Reason: '${key}' is not in the logs (${['epoch', ...Object.keys(logs)].join(', ')})`);
    if (spec === undefined || spec === '') return String(value);
    const m = /^(0?)(\d*)(?:\.(\d+))?([dfeg]?)$/.exec(spec);
    if (m === null) throw new KerasmError(`Failed to format this callback filepath: "${pattern}". Reason: unsupported format spec '${spec}'`);
    const [, zero, width, precision, type] = m;
    let s: string;
    if (type === 'd') s = String(Math.trunc(value));
    else if (type === 'f') s = value.toFixed(precision === undefined ? 6 : Number(precision));
    else if (type === 'e') s = value.toExponential(precision === undefined ? 6 : Number(precision)).replace(/e([+-])(\d)$/, 'e$10$2');
    else if (type === 'g') s = String(Number(value.toPrecision(precision === undefined ? 6 : Math.max(Number(precision), 1))));
    else s = String(value);
    const w = width === '' || width === undefined ? 0 : Number(width);
    if (s.length < w) s = zero === '0' ? (s.startsWith('-') ? '-' + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0')) : s.padStart(w, ' ');
    return s;
  });
}

/** Saves the model or its weights at the end of each epoch. Keras: `keras.callbacks.ModelCheckpoint`. */
export class ModelCheckpoint extends MonitorCallback {
  /** The target, a path or a pattern with `{epoch}` and log keys (see {@link formatFilepath}). */
  readonly filepath: string;
  /** 0 silent, 1 prints each save decision. */
  readonly verbose: 0 | 1;
  /** Whether to save only when the monitored value improves. */
  readonly saveBestOnly: boolean;
  /** Whether to save the weights alone (`model.saveWeights`). */
  readonly saveWeightsOnly: boolean;

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    checkOptions(args, MODEL_CHECKPOINT_ARG_NAMES, 'ModelCheckpoint', false);
    super({ ...args, baseline: args.initialValueThreshold ?? null });
    if (typeof filepath !== 'string' || filepath.length === 0) throw invalidArgument('filepath', 'a path (plain or file://)', filepath);
    this.filepath = filepath;
    const verbose = args.verbose ?? 0;
    if (verbose !== 0 && verbose !== 1) throw invalidArgument('verbose', '0 or 1', args.verbose);
    this.verbose = verbose;
    this.saveBestOnly = args.saveBestOnly ?? false;
    if (typeof this.saveBestOnly !== 'boolean') throw invalidArgument('saveBestOnly', 'a boolean', args.saveBestOnly);
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    if (typeof this.saveWeightsOnly !== 'boolean') throw invalidArgument('saveWeightsOnly', 'a boolean', args.saveWeightsOnly);
  }

  /** Keep the best value across `fit` calls, as Keras. */
  onTrainBegin(): void {
    // Keras keeps `best` across fit calls for a checkpoint (it does not reset in on_train_begin);
    // kerasm resets the once-per-fit warning only.
    this.resetMonitor(this.best);
  }

  /**
   * Save the model (or its weights) to the formatted path when due; a file path is written to a temporary sibling and renamed into place.
   */
  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatFilepath(this.filepath, epoch, logs);
    if (!this.shouldSave(epoch, logs, path)) return;
    await this.write(path);
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: finished saving model to ${path}`);
  }

  /** Keras `_should_save_model`. */
  private shouldSave(epoch: number, logs: Logs, path: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: saving model to ${path}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const bestStr = this.best === null ? 'None' : this.best.toFixed(5);
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${current.toFixed(5)}, saving model to ${path}`);
      this.best = current;
      return true;
    }
    if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  /** Save to a temporary sibling, then rename into place (files: one atomic rename; directories: old moved aside first). */
  private async write(target: string): Promise<void> {
    const model = this.model;
    const method = this.saveWeightsOnly ? 'saveWeights' : 'save';
    const save = model?.[method];
    if (model === null || typeof save !== 'function') throw new KerasmError(`modelCheckpoint needs a model with ${method}().`);
    const local = filePath(target);
    if (local === null) {
      await save.call(model, target);
      return;
    }
    const { fs, path } = await nodeFs('modelCheckpoint');
    const dest = path.resolve(local);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.tmp-${Date.now()}-${tmpCounter++}-${Math.random().toString(36).slice(2, 8)}`);
    try {
      await save.call(model, `file://${tmp}`);
      const made = await fs.stat(tmp);
      const old = await fs.stat(dest).catch(() => null);
      if (old === null || (made.isFile() && old.isFile())) {
        await fs.rename(tmp, dest);
      } else {
        const aside = `${tmp}.old`;
        await fs.rename(dest, aside);
        await fs.rename(tmp, dest);
        await fs.rm(aside, { recursive: true, force: true });
      }
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw e;
    }
  }
}

// km.diagnose(history): underfits, overfits or fits, in one sentence with its numbers.
// Bias shows as a training loss that stays high or keeps falling; variance as a validation loss
// that rose from its lowest point, or a training accuracy well above the validation one.
import { ValueError, checkNonNegative, invalidArgument } from './errors.js';
import { accuracyKey, readHistory } from './plot/history.js';

/** Thresholds of {@link diagnose}; the defaults are stated in each verdict's sentence. */
export interface DiagnoseOptions {
  /** Validation loss at the last epoch this fraction above its lowest counts as rising. Default 0.1 (10 %). */
  riseTolerance?: number;
  /** Training minus validation accuracy at the last epoch from which the model overfits. Default 0.05. */
  gapTolerance?: number;
  /** Training accuracy below this is underfitting (only when an accuracy metric was recorded). Default 0.9. */
  minAccuracy?: number;
  /** Training loss still falling this fraction per epoch (averaged over the last quarter of the epochs) is underfitting. Default 0.01. */
  progressTolerance?: number;
}

export interface Diagnosis {
  verdict: 'underfits' | 'overfits' | 'fits';
  /** One sentence with the numbers behind the verdict. */
  sentence: string;
  /** The epoch (1-based, as the progress bar counts) from which validation loss rose, when it did. */
  risingFrom?: number;
  /** The epoch (1-based) of the lowest validation loss. */
  bestEpoch: number;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && Number.isFinite(v) && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4);
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)} %`;
}

function option(name: string, value: unknown, def: number): number {
  return value === undefined ? def : checkNonNegative(name, value);
}

/**
 * Read a History (from `fit` with `validationSplit` or `validationData`) and say whether the model
 * underfits, overfits or fits, in one sentence with its numbers:
 * - **overfits** when validation loss at the last epoch is `riseTolerance` (10 %) or more above its
 *   lowest (`risingFrom` is then the epoch after the lowest one), or training accuracy exceeds
 *   validation accuracy by `gapTolerance` (0.05) or more;
 * - otherwise **underfits** when training accuracy is below `minAccuracy` (0.9), or training loss
 *   still fell by `progressTolerance` (1 %) or more per epoch over the last quarter of the epochs;
 * - otherwise **fits**.
 *
 * ```ts
 * const d = km.diagnose(await model.fit(x, y, { epochs: 30, validationSplit: 0.2, verbose: 0 }));
 * d.verdict;   // 'overfits'
 * d.sentence;  // 'Overfits: validation loss was lowest at epoch 6 (0.2950) and rose from epoch 7 to …'
 * ```
 */
export function diagnose(history: unknown, options: DiagnoseOptions = {}): Diagnosis {
  const { logs, epochs } = readHistory(history);
  if (options === null || typeof options !== 'object') throw invalidArgument('options', 'an options object', options);
  const riseTol = option('riseTolerance', options.riseTolerance, 0.1);
  const gapTol = option('gapTolerance', options.gapTolerance, 0.05);
  const minAcc = option('minAccuracy', options.minAccuracy, 0.9);
  const progressTol = option('progressTolerance', options.progressTolerance, 0.01);
  const loss = logs.loss;
  const valLoss = logs.val_loss;
  if (loss === undefined || valLoss === undefined) {
    throw new ValueError(`Invalid value received for argument \`history\`: expected a History with \`loss\` and \`val_loss\` (fit with validationSplit or validationData). Received: history with keys ${Object.keys(logs).join(', ')}`);
  }
  const n = epochs.length;
  const last = n - 1;
  let best = -1;
  valLoss.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v < valLoss[best]!)) best = i;
  });
  if (best < 0) throw invalidArgument('history', 'a finite `val_loss` in at least one epoch', 'no finite val_loss');
  const minVal = valLoss[best]!;
  const lastVal = valLoss[last]!;
  const rise = Number.isFinite(lastVal) ? (lastVal - minVal) / Math.max(Math.abs(minVal), 1e-12) : Infinity;
  const rising = best < last && rise >= riseTol;
  const lastLoss = loss[last]!;

  const accKey = accuracyKey(logs);
  const trainAcc = accKey === null ? undefined : logs[accKey]![last]!;
  const valAcc = accKey === null ? undefined : logs[`val_${accKey}`]?.[last];
  const gap = trainAcc !== undefined && valAcc !== undefined ? trainAcc - valAcc : undefined;
  const accPart = trainAcc === undefined ? '' : valAcc === undefined ? `training ${accKey} ${fmt(trainAcc)}` : `${accKey} ${fmt(trainAcc)} on training vs ${fmt(valAcc)} on validation (gap ${fmt(gap!)})`;

  const bestEpoch = epochs[best]!;
  if (rising) {
    const risingFrom = epochs[best + 1]!;
    const sentence = `Overfits: validation loss was lowest at epoch ${bestEpoch} (${fmt(minVal)}) and rose from epoch ${risingFrom} to ${fmt(lastVal)} at epoch ${epochs[last]} (+${Number.isFinite(rise) ? pct(rise) : '∞'}), while training loss went to ${fmt(lastLoss)}${accPart === '' ? '' : `; ${accPart}`}.`;
    return { verdict: 'overfits', sentence, risingFrom, bestEpoch };
  }
  const valPart = best === last ? `validation loss ${fmt(lastVal)} is at its lowest at epoch ${epochs[last]}` : `validation loss ${fmt(lastVal)} at epoch ${epochs[last]} is within ${pct(riseTol)} of its lowest (${fmt(minVal)} at epoch ${bestEpoch})`;
  // High bias first: a model that does not fit its own training data is not "overfitting",
  // whatever its train–validation gap.
  if (trainAcc !== undefined && trainAcc < minAcc) {
    return { verdict: 'underfits', sentence: `Underfits: training ${accKey} is ${fmt(trainAcc)}, below ${fmt(minAcc)}${valAcc === undefined ? '' : ` (validation ${fmt(valAcc)})`}, and training loss is ${fmt(lastLoss)}; ${valPart}.`, bestEpoch };
  }
  const firstLoss = loss[0]!;
  if (trainAcc === undefined && n >= 3 && Number.isFinite(firstLoss) && firstLoss > 0 && lastLoss > 0.9 * firstLoss) {
    return { verdict: 'underfits', sentence: `Underfits: training loss hardly moved, from ${fmt(firstLoss)} at epoch ${epochs[0]} to ${fmt(lastLoss)} at epoch ${epochs[last]} (${pct((firstLoss - lastLoss) / firstLoss)}), and ${valPart}.`, bestEpoch };
  }
  if (gap !== undefined && gap >= gapTol) {
    return { verdict: 'overfits', sentence: `Overfits: ${accPart.replace(/\)$/, ` ≥ ${fmt(gapTol)})`)}, though ${valPart}.`, bestEpoch };
  }
  const w = Math.max(1, Math.floor(n / 4));
  const from = loss[last - w];
  const drop = n >= 2 && from !== undefined && Number.isFinite(from) && from > 0 ? (from - lastLoss) / from / w : 0;
  if (drop >= progressTol) {
    return { verdict: 'underfits', sentence: `Underfits: training loss is still falling, ${pct(drop)} per epoch over the last ${w} epoch${w === 1 ? '' : 's'} to ${fmt(lastLoss)}, and ${valPart}${accPart === '' ? '' : `; ${accPart}`}.`, bestEpoch };
  }
  return { verdict: 'fits', sentence: `Fits: ${valPart}, training loss has levelled off at ${fmt(lastLoss)} (${pct(Math.max(0, drop))} per epoch over the last ${w} epoch${w === 1 ? '' : 's'})${accPart === '' ? '' : `, and ${accPart}`}.`, bestEpoch };
}

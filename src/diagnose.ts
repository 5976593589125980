// km.diagnose(history): underfits, overfits or fits, in one sentence with its numbers.
// Bias shows as a training loss that stays high or keeps falling; variance as a validation loss
// that rose from its lowest point, a training accuracy well above the validation one, or (for a
// regression, with no accuracy to compare) a validation loss well above the training loss or
// drifting up while the training loss still falls.
import { ValueError, checkNonNegative, checkOptions, invalidArgument } from './errors.js';
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
  /**
   * Regressions (no accuracy metric recorded): validation loss at the last epoch this many times
   * the training loss or more overfits. Default 1.5.
   */
  ratioTolerance?: number;
}

const OPTION_NAMES = ['riseTolerance', 'gapTolerance', 'minAccuracy', 'progressTolerance', 'ratioTolerance'] as const;

/** What {@link diagnose} says of a History. */
export interface Diagnosis {
  /** The verdict: the model underfits (high bias), overfits (high variance), or fits. */
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

/** Least-squares slope of the finite values of `v` per step, or 0 with fewer than two. */
function slope(v: readonly number[]): number {
  const pts = v.flatMap((y, i) => (Number.isFinite(y) ? [[i, y] as const] : []));
  if (pts.length < 2) return 0;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of pts) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

/** What a regression's verdict reads: the losses, the lowest validation epoch and the thresholds. */
interface RegressionView {
  loss: readonly number[];
  valLoss: readonly number[];
  epochs: number[];
  best: number;
  riseTol: number;
  ratioTol: number;
  valPart: string;
}

/**
 * Variance in a regression, where no accuracy gap can show it: the validation loss is
 * `ratioTolerance` times the training loss or more (and the difference is more than rounding
 * noise: 1 % of the first epoch's loss), or it has not improved for the last quarter of the
 * epochs (at least 2), trends up since its lowest, while the training loss fell `riseTolerance`
 * or more since then. Null when neither holds.
 */
function regressionOverfit(r: RegressionView): string | null {
  const { loss, valLoss, epochs, best } = r;
  const last = loss.length - 1;
  const lastLoss = loss[last]!;
  const lastVal = valLoss[last]!;
  const ratio = lastLoss > 0 ? lastVal / lastLoss : Infinity;
  const ratioText = Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'far above';
  const scale = Math.max(...[loss[0]!, valLoss[0]!].filter(Number.isFinite), 0);
  if (Number.isFinite(lastVal) && ratio >= r.ratioTol && lastVal - lastLoss > 0.01 * scale) {
    return `Overfits: validation loss ${fmt(lastVal)} is ${ratioText} the training loss ${fmt(lastLoss)} at epoch ${epochs[last]} (≥ ${r.ratioTol.toFixed(2)}×), and ${r.valPart}.`;
  }
  const stalledFor = last - best;
  const fell = loss[best]! > 0 ? (loss[best]! - lastLoss) / loss[best]! : 0;
  const trend = slope(valLoss.slice(best)) / Math.max(Math.abs(valLoss[best]!), 1e-12);
  if (stalledFor >= Math.max(2, Math.floor(loss.length / 4)) && trend > 0 && fell >= r.riseTol) {
    return `Overfits: validation loss has not improved since epoch ${epochs[best]} (${fmt(valLoss[best]!)}) and trends up (+${pct(trend)} per epoch) to ${fmt(lastVal)} at epoch ${epochs[last]}, while training loss fell ${pct(fell)} to ${fmt(lastLoss)}; validation loss is ${ratioText} the training loss.`;
  }
  return null;
}

/**
 * Read a History (from `fit` with `validationSplit` or `validationData`) and say whether the model
 * underfits, overfits or fits, in one sentence with its numbers:
 * - **overfits** when validation loss at the last epoch is `riseTolerance` (10 %) or more above its
 *   lowest (`risingFrom` is then the epoch after the lowest one), or training accuracy exceeds
 *   validation accuracy by `gapTolerance` (0.05) or more; for a regression (no accuracy metric),
 *   when validation loss is `ratioTolerance` (1.5) times the training loss or more, or has not
 *   improved for the last quarter of the epochs and trends up while training loss fell by
 *   `riseTolerance` or more since validation loss was lowest;
 * - otherwise **underfits** when training accuracy is below `minAccuracy` (0.9), or training loss
 *   still fell by `progressTolerance` (1 %) or more per epoch over the last quarter of the epochs;
 * - otherwise **fits**.
 * A model that does not learn its own training data underfits first (low training accuracy, or a
 * training loss that hardly moved), whatever its train–validation gap.
 *
 * ```ts
 * const d = km.diagnose(await model.fit(x, y, { epochs: 30, validationSplit: 0.2, verbose: 0 }));
 * d.verdict;   // 'overfits'
 * d.sentence;  // 'Overfits: validation loss was lowest at epoch 6 (0.2950) and rose from epoch 7 to …'
 * ```
 */
export function diagnose(history: unknown, options?: DiagnoseOptions): Diagnosis {
  const { logs, epochs } = readHistory(history);
  const o = checkOptions(options, OPTION_NAMES, 'diagnose');
  const riseTol = option('riseTolerance', o.riseTolerance, 0.1);
  const gapTol = option('gapTolerance', o.gapTolerance, 0.05);
  const minAcc = option('minAccuracy', o.minAccuracy, 0.9);
  const progressTol = option('progressTolerance', o.progressTolerance, 0.01);
  const ratioTol = option('ratioTolerance', o.ratioTolerance, 1.5);
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
  if (accKey === null) {
    const overfit = regressionOverfit({ loss, valLoss, epochs, best, riseTol, ratioTol, valPart });
    if (overfit !== null) return { verdict: 'overfits', sentence: overfit, bestEpoch };
  }
  const w = Math.max(1, Math.floor(n / 4));
  const from = loss[last - w];
  const drop = n >= 2 && from !== undefined && Number.isFinite(from) && from > 0 ? (from - lastLoss) / from / w : 0;
  if (drop >= progressTol) {
    return { verdict: 'underfits', sentence: `Underfits: training loss is still falling, ${pct(drop)} per epoch over the last ${w} epoch${w === 1 ? '' : 's'} to ${fmt(lastLoss)}, and ${valPart}${accPart === '' ? '' : `; ${accPart}`}.`, bestEpoch };
  }
  const ratioPart = accKey === null && lastLoss > 0 && Number.isFinite(lastVal) ? `, and validation loss is ${(lastVal / lastLoss).toFixed(2)}× the training loss` : '';
  return { verdict: 'fits', sentence: `Fits: ${valPart}, training loss has levelled off at ${fmt(lastLoss)} (${pct(Math.max(0, drop))} per epoch over the last ${w} epoch${w === 1 ? '' : 's'})${accPart === '' ? ratioPart : `, and ${accPart}`}.`, bestEpoch };
}

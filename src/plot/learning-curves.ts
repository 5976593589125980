// Learning curves: per metric, training and validation values by epoch, as one SVG string.
import { checkOptions, invalidArgument } from '../errors.js';
import { readHistory } from './history.js';
import { COLORS, axes, esc, integerTicks, line, logTickLabel, logTicks, n2, niceTicks, optionalTitle, px, py, size, svgOpen, text } from './svg.js';
import type { Frame } from './svg.js';

/** Options of {@link learningCurves}. */
export interface LearningCurvesOptions {
  /** One panel per metric, side by side. Default: `loss`, then every other metric recorded for training. */
  metrics?: string[];
  /** Width of the whole figure in pixels. Default 360 per panel. */
  width?: number;
  /** Height in pixels. Default 270 (plus 24 with a title). */
  height?: number;
  /** A heading drawn above the panels (also the SVG's `<title>`). */
  title?: string;
  /** Draw a dotted line at the epoch of the lowest `val_loss`. Default true. */
  markBest?: boolean;
  /**
   * `'log'`: a logarithmic y axis, with ticks at the decades (and at 2 and 5 × 10^k when the
   * range spans less than three), so a loss that falls by orders of magnitude stays readable.
   * Values ≤ 0 have no place on it: they are left out (a gap in the curve, as NaN), and the
   * panel says how many. Default `'linear'`.
   */
  yScale?: 'linear' | 'log';
}

const OPTION_NAMES = ['metrics', 'width', 'height', 'title', 'markBest', 'yScale'] as const;

const MARGIN = { left: 58, right: 14, top: 44, bottom: 46 };

function panelKeys(logs: Record<string, readonly number[]>, metrics: unknown): string[] {
  if (metrics === undefined) {
    const train = Object.keys(logs).filter((k) => !k.startsWith('val_'));
    const keys = train.includes('loss') ? ['loss', ...train.filter((k) => k !== 'loss')] : train;
    return keys.length > 0 ? keys : Object.keys(logs).map((k) => k.slice(4));
  }
  if (!Array.isArray(metrics) || metrics.length === 0 || !metrics.every((m) => typeof m === 'string')) {
    throw invalidArgument('metrics', 'a non-empty array of metric names', metrics);
  }
  for (const m of metrics) {
    if (logs[m] === undefined && logs[`val_${m}`] === undefined) {
      throw invalidArgument('metrics', `names recorded in the history (${Object.keys(logs).join(', ')})`, metrics);
    }
  }
  return metrics as string[];
}

/** `M x y L x y …` of values already on the axis scale, starting a new subpath after a non-finite one (a gap). */
function pathData(f: Frame, epochs: number[], values: readonly number[]): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${n2(px(f, epochs[i]!))} ${n2(py(f, v))}`;
    pen = true;
  });
  return d;
}

/** A value on a log axis: log10, or NaN (a gap) for values ≤ 0, which a log axis cannot show. */
function toLog(v: number): number {
  return v > 0 ? Math.log10(v) : Number.NaN;
}

/** A panel's y axis: its ticks (on the axis scale) and how values map onto it. */
interface YAxis {
  lo: number;
  hi: number;
  ticks: number[];
  step: number;
  scale: (v: number) => number;
  label?: (t: number) => string;
}

function yAxis(series: (readonly number[])[], log: boolean): YAxis {
  if (!log) {
    const [lo, hi] = finiteRange(series);
    const t = niceTicks(lo, hi, 5);
    return { lo: t.lo, hi: t.hi, ticks: t.ticks, step: t.step, scale: (v) => v };
  }
  const positive = series.map((s) => s.filter((v) => v > 0 && Number.isFinite(v)));
  const [lo, hi] = positive.some((s) => s.length > 0) ? finiteRange(positive) : [0.1, 1];
  const t = logTicks(lo, hi);
  return { lo: t.lo, hi: t.hi, ticks: t.ticks, step: 1, scale: toLog, label: logTickLabel };
}

function finiteRange(series: (readonly number[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (const v of s) {
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * Training and validation curves from a History, one panel per metric, as a self-contained SVG
 * string (no DOM, no fonts or scripts to fetch). Each curve is a `<path class="km-series">` whose
 * `data-series` is its History key (`loss`, `val_loss`, …).
 *
 * ```ts
 * const history = await model.fit(x, y, { epochs: 20, validationSplit: 0.2 });
 * fs.writeFileSync('curves.svg', km.plot.learningCurves(history, { title: 'baseline' }));
 * ```
 */
export function learningCurves(history: unknown, options?: LearningCurvesOptions): string {
  const { logs, epochs } = readHistory(history);
  options = checkOptions(options, OPTION_NAMES, 'plot.learningCurves');
  const keys = panelKeys(logs, options.metrics);
  const yScale = options.yScale ?? 'linear';
  if (yScale !== 'linear' && yScale !== 'log') throw invalidArgument('yScale', "'linear' or 'log'", yScale);
  const title = optionalTitle(options.title);
  const markBest = options.markBest ?? true;
  if (typeof markBest !== 'boolean') throw invalidArgument('markBest', 'a boolean', markBest);
  const width = size('width', options.width, 360 * keys.length, 160 * keys.length);
  const height = size('height', options.height, 270 + (title === undefined ? 0 : 24), 160);
  const top = title === undefined ? 0 : 24;
  const panelW = width / keys.length;

  const first = epochs[0]!;
  const last = epochs[epochs.length - 1]!;
  const xLo = first === last ? first - 0.5 : first;
  const xHi = first === last ? last + 0.5 : last;
  const xTicks = integerTicks(first, last);

  let best = -1;
  const valLoss = logs.val_loss;
  if (markBest && valLoss !== undefined) {
    valLoss.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v < valLoss[best]!)) best = i;
    });
  }

  const parts = [svgOpen(width, height, title ?? `Learning curves: ${keys.join(', ')}`, 'km-learning-curves')];
  if (title !== undefined) parts.push(text(width / 2, 18, title, 'text-anchor="middle" font-size="14" font-weight="600"'));
  keys.forEach((key, p) => {
    const train = logs[key];
    const val = logs[`val_${key}`];
    const yt = yAxis([train ?? [], val ?? []], yScale === 'log');
    const f: Frame = {
      x: p * panelW + MARGIN.left, y: top + MARGIN.top, w: panelW - MARGIN.left - MARGIN.right, h: height - top - MARGIN.top - MARGIN.bottom,
      xLo, xHi, yLo: yt.lo, yHi: yt.hi,
    };
    parts.push(`<g class="km-panel" data-metric="${esc(key)}" data-y-scale="${yScale}">`);
    parts.push(text(f.x, top + 16, key, 'font-weight="600"'));
    parts.push(axes(f, xTicks, yt.ticks, yt.step, 'epoch', yScale === 'log' ? `${key} (log)` : key, 1, yt.label));
    const hidden = yScale === 'log' ? [train ?? [], val ?? []].flat().filter((v) => v <= 0).length : 0;
    if (hidden > 0) parts.push(text(f.x + 4, f.y + f.h - 6, `${hidden} value${hidden === 1 ? '' : 's'} ≤ 0 not drawn (log scale)`, `class="km-note" fill="${COLORS.mark}" font-size="11"`));
    if (best >= 0) {
      const x = px(f, epochs[best]!);
      parts.push(line(x, f.y, x, f.y + f.h, COLORS.mark, 'class="km-mark" stroke-dasharray="3 3"'));
      const right = x < f.x + f.w / 2;
      if (key === 'loss' || p === 0) parts.push(text(right ? x + 3 : x - 3, f.y + 12, `best: epoch ${epochs[best]}`, `fill="${COLORS.mark}" font-size="11"${right ? '' : ' text-anchor="end"'}`));
    }
    let legendX = f.x + f.w;
    for (const [series, values, color, label] of [[`val_${key}`, val, COLORS.validation, 'validation'], [key, train, COLORS.train, 'training']] as const) {
      if (values === undefined) continue;
      const scaled = values.map(yt.scale);
      const dots = epochs.length <= 40 ? scaled.map((v, i) => (Number.isFinite(v) ? `<circle cx="${n2(px(f, epochs[i]!))}" cy="${n2(py(f, v))}" r="2.2" fill="${color}"/>` : '')).join('') : '';
      parts.push(`<path class="km-series" data-series="${esc(series)}" d="${pathData(f, epochs, scaled)}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"><title>${esc(`${label} ${key}`)}</title></path>${dots}`);
      legendX -= label.length * 6.5 + 26;
      parts.push(line(legendX, top + 12, legendX + 16, top + 12, color, 'stroke-width="2.5"'));
      parts.push(text(legendX + 20, top + 16, label, 'font-size="11"'));
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('');
}

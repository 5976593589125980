// Small SVG-writing helpers shared by the plots: escaping, number formats, "nice" axis ticks and
// one axis frame. Everything is a string; no DOM is needed (Node, Deno, workers, browsers).
import { invalidArgument } from '../errors.js';

/** Colours of the plots (matplotlib's "tab10" first entries), one per role. */
export const COLORS = { train: '#1f77b4', validation: '#ff7f0e', bar: '#4c72b0', zero: '#d62728', grid: '#e5e5e5', axis: '#444', text: '#222', mark: '#888' } as const;

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** Text content and attribute values: `&`, `<`, `>`, `"` and `'` escaped. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates with two decimals, without trailing zeros. */
export function n2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A tick label: short, no float noise (0.30000000000000004 → 0.3). */
export function tickLabel(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a >= 1e4) return a >= 1e6 ? `${v / 1e6}M` : `${v / 1e3}k`;
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  return v.toFixed(decimals);
}

/** A step of 1, 2 or 5 × 10^k giving about `count` ticks over [lo, hi], and the ticks themselves. */
export function niceTicks(lo: number, hi: number, count = 5): { lo: number; hi: number; step: number; ticks: number[] } {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / mag;
  const step = (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step * 1e-9; i++) ticks.push(first + i * step);
  return { lo: first, hi: last, step, ticks };
}

/** The log10 ticks of a log axis over [lo, hi] (both > 0), the axis ends (log10), and their labels. */
export interface LogTicks {
  /** log10 of the axis ends: 1, 2 or 5 × 10^k just outside the data. */
  lo: number;
  hi: number;
  /** log10 of each tick. */
  ticks: number[];
}

/** The 1, 2 or 5 × 10^k at or below (`down`) or at or above `v` (> 0). */
function snap125(v: number, down: boolean): number {
  const e = Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => m * 10 ** e);
  const within = (s: number) => Math.abs(s - v) <= v * 1e-9;
  if (down) return [...steps].reverse().find((s) => s <= v || within(s))!;
  return steps.find((s) => s >= v || within(s))!;
}

/**
 * Ticks of a log axis: every decade inside the range (every 2nd, 3rd… decade past 8 of them),
 * and also 2 and 5 × 10^k when fewer than three decades fall inside, so a narrow range still
 * gets labels. The range snaps outwards to 1, 2 or 5 × 10^k.
 */
export function logTicks(lo: number, hi: number): LogTicks {
  let a = snap125(lo, true);
  let b = snap125(hi, false);
  if (!(b > a)) {
    a /= 10;
    b *= 10;
  }
  const e0 = Math.ceil(Math.log10(a) - 1e-9);
  const e1 = Math.floor(Math.log10(b) + 1e-9);
  const every = Math.max(1, Math.ceil((e1 - e0 + 1) / 8));
  let ticks: number[] = [];
  for (let e = e0; e <= e1; e++) if ((e - e0) % every === 0) ticks.push(e);
  if (ticks.length < 3) {
    ticks = [];
    for (let e = Math.floor(Math.log10(a) + 1e-9); e <= e1; e++) {
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= a * (1 - 1e-9) && v <= b * (1 + 1e-9)) ticks.push(Math.log10(v));
      }
    }
  }
  return { lo: Math.log10(a), hi: Math.log10(b), ticks };
}

/** The label of a log tick (its log10 given): `0.01`, `0.5`, `2000`, or `1e-4`, `2e4` outside [1e-3, 1e4). */
export function logTickLabel(t: number): string {
  const v = Number((10 ** t).toPrecision(1));
  if (v >= 1e-3 && v < 1e4) return String(v);
  return v.toExponential(0).replace('e+', 'e');
}

/** Integer ticks (epochs) over [first, last]: `first`, then the multiples of a 1-2-5 step. */
export function integerTicks(first: number, last: number, count = 6): number[] {
  const step = Math.max(1, niceTicks(first, last, count).step);
  const ticks = [first];
  for (let t = Math.ceil((first + 1) / step) * step; t <= last; t += step) if (t - first >= step / 2 || step === 1) ticks.push(t);
  return ticks;
}

/** Open an `<svg>` document: namespace, size, viewBox, an accessible title and a white background. */
export function svgOpen(width: number, height: number, title: string, className: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="${esc(className)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ${FONT} font-size="12">`
    + `<title>${esc(title)}</title><rect width="${width}" height="${height}" fill="#fff"/>`;
}

export function text(x: number, y: number, s: string, attrs = ''): string {
  const fill = /(^|\s)fill=/.test(attrs) ? '' : ` fill="${COLORS.text}"`;
  return `<text x="${n2(x)}" y="${n2(y)}"${fill}${attrs === '' ? '' : ` ${attrs}`}>${esc(s)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, attrs = ''): string {
  return `<line x1="${n2(x1)}" y1="${n2(y1)}" x2="${n2(x2)}" y2="${n2(y2)}" stroke="${stroke}"${attrs === '' ? '' : ` ${attrs}`}/>`;
}

/** A plot area: pixel box plus data ranges, mapping data to pixels. */
export interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
  xLo: number;
  xHi: number;
  yLo: number;
  yHi: number;
}

export const px = (f: Frame, v: number): number => f.x + ((v - f.xLo) / (f.xHi - f.xLo || 1)) * f.w;
export const py = (f: Frame, v: number): number => f.y + f.h - ((v - f.yLo) / (f.yHi - f.yLo || 1)) * f.h;

/**
 * Grid lines, tick labels on both axes, the axis box and the axis titles. `yText` labels a y tick
 * (default: `tickLabel` with `yStep`; a log axis passes its own).
 */
export function axes(f: Frame, xTicks: number[], yTicks: number[], yStep: number, xLabel: string, yLabel: string, xStep = 1, yText = (t: number) => tickLabel(t, yStep)): string {
  const parts: string[] = [];
  for (const t of yTicks) {
    const y = py(f, t);
    parts.push(line(f.x, y, f.x + f.w, y, COLORS.grid));
    parts.push(text(f.x - 6, y + 4, yText(t), 'text-anchor="end" font-size="11"'));
  }
  for (const t of xTicks) {
    const x = px(f, t);
    parts.push(line(x, f.y + f.h, x, f.y + f.h + 4, COLORS.axis));
    parts.push(text(x, f.y + f.h + 16, tickLabel(t, xStep), 'text-anchor="middle" font-size="11"'));
  }
  parts.push(`<rect x="${n2(f.x)}" y="${n2(f.y)}" width="${n2(f.w)}" height="${n2(f.h)}" fill="none" stroke="${COLORS.axis}"/>`);
  parts.push(text(f.x + f.w / 2, f.y + f.h + 32, xLabel, 'text-anchor="middle"'));
  parts.push(text(f.x - 42, f.y + f.h / 2, yLabel, `text-anchor="middle" transform="rotate(-90 ${n2(f.x - 42)} ${n2(f.y + f.h / 2)})"`));
  return parts.join('');
}

/** Width/height options: positive integers with a default. */
export function size(name: string, v: unknown, def: number, min: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw invalidArgument(name, `an integer ≥ ${min}`, v);
  return v;
}

export function optionalTitle(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalidArgument('title', 'a string', v);
  return v;
}

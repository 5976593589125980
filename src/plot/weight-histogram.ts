// A histogram of a model's weights as one SVG string, with exact zeros counted apart.
import { checkOptions, invalidArgument, ValueError } from '../errors.js';
import { COLORS, axes, esc, n2, niceTicks, optionalTitle, px, py, size, svgOpen, text } from './svg.js';
import type { Frame } from './svg.js';

/** What {@link weightHistogram} reads: a model (`km.sequential(...)`) or tensors. */
export interface WeightSource {
  /** The model's weights in order; those named `'kernel'` are the kernels. */
  readonly weights: readonly {
    /** The weight's name within its layer (`'kernel'`, `'bias'`...). */
    readonly name: string;
  }[];
  /** The weights' values, in the order of `weights`. */
  getWeights(): {
    /** The values. */
    data: ArrayLike<number>;
  }[];
}

/** Options of {@link weightHistogram}. */
export interface WeightHistogramOptions {
  /** Number of bins between the range's ends. Default 40. */
  bins?: number;
  /** `'kernels'` (default: the weights penalties and constraints act on) or `'all'` (biases too). Ignored for tensors. */
  include?: 'kernels' | 'all';
  /** `[lo, hi]` of the x axis; values outside are counted in the end bins. Default ±max|w|. Give one range to compare models. */
  range?: [number, number];
  /** Width in pixels, an integer ≥ 160. Default 360. */
  width?: number;
  /** Height in pixels, an integer ≥ 140. Default 250 (274 with a title). */
  height?: number;
  /** A heading above the plot (also the SVG's `<title>`). */
  title?: string;
}

/** Counts of one histogram; exact zeros (±0) are not in `counts`. */
export interface WeightBins {
  /** The lower end of the range. */
  lo: number;
  /** The upper end of the range. */
  hi: number;
  /** The count in each bin, from `lo` to `hi`. */
  counts: number[];
  /** Values exactly 0 (either sign), counted apart. */
  zeros: number;
  /** All values. */
  total: number;
  /** Values outside [lo, hi], counted in the end bins. */
  clipped: number;
  /** √Σw² over the weights drawn. */
  norm: number;
}

function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function collect(source: unknown, include: 'kernels' | 'all'): ArrayLike<number>[] {
  if (Array.isArray(source)) {
    return source.map((t, i) => {
      const data = (t as { data?: unknown } | null)?.data;
      if (!(data instanceof Float32Array || data instanceof Float64Array || Array.isArray(data))) throw invalidArgument(`weights[${i}]`, 'a tensor { data, shape }', t);
      return data as ArrayLike<number>;
    });
  }
  const m = source as Partial<WeightSource> | null;
  if (m === null || typeof m !== 'object' || typeof m.getWeights !== 'function' || !Array.isArray(m.weights)) {
    throw invalidArgument('model', 'a model (km.sequential) or an array of weight tensors', source);
  }
  const values = m.getWeights();
  return values.filter((_, i) => include === 'all' || m.weights![i]?.name === 'kernel').map((t) => t.data);
}

/** Bin weights over `range` (default ±max|w|); the counting behind {@link weightHistogram}. */
export function binWeights(arrays: ArrayLike<number>[], bins: number, range?: [number, number]): WeightBins {
  let total = 0;
  let maxAbs = 0;
  let sumSq = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (!Number.isFinite(v)) throw new ValueError(`Invalid value received for argument \`model\`: expected finite weights. Received: model=a weight of ${v}`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
      sumSq += v * v;
    }
    total += a.length;
  }
  const lo = range?.[0] ?? -(maxAbs || 1);
  const hi = range?.[1] ?? (maxAbs || 1);
  const counts = new Array<number>(bins).fill(0);
  let zeros = 0;
  let clipped = 0;
  const scale = bins / (hi - lo);
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v === 0) {
        zeros++;
        continue;
      }
      if (v < lo || v > hi) clipped++;
      const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)));
      counts[b]!++;
    }
  }
  return { lo, hi, counts, zeros, total, clipped, norm: Math.sqrt(sumSq) };
}

/**
 * The distribution of a model's kernel weights as a self-contained SVG string: bars
 * (`<rect class="km-bar">`) for the non-zero values and one red bar (`class="km-zero"`) for the
 * weights that are exactly 0, which L1 with `proximal: true` produces.
 *
 * ```ts
 * fs.writeFileSync('weights.svg', km.plot.weightHistogram(model, { range: [-0.3, 0.3] }));
 * ```
 */
export function weightHistogram(model: unknown, options?: WeightHistogramOptions): string {
  options = checkOptions(options, ['bins', 'include', 'range', 'width', 'height', 'title'], 'plot.weightHistogram');
  const bins = size('bins', options.bins, 40, 1);
  const include = options.include ?? 'kernels';
  if (include !== 'kernels' && include !== 'all') throw invalidArgument('include', "'kernels' or 'all'", include);
  const range = options.range;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0] < range[1])) {
    throw invalidArgument('range', '[lo, hi] with finite lo < hi', range);
  }
  const title = optionalTitle(options.title);
  const width = size('width', options.width, 360, 160);
  const height = size('height', options.height, 250 + (title === undefined ? 0 : 24), 140);
  const h = binWeights(collect(model, include), bins, range);
  if (h.total === 0) throw invalidArgument('model', 'a model with weights', model);

  const top = title === undefined ? 0 : 24;
  const yt = niceTicks(0, Math.max(1, ...h.counts), 4);
  const xt = niceTicks(h.lo, h.hi, 4);
  const f: Frame = { x: 58, y: top + 40, w: width - 58 - 14, h: height - top - 40 - 46, xLo: h.lo, xHi: h.hi, yLo: 0, yHi: yt.hi };
  const what = include === 'all' || Array.isArray(model) ? 'weights' : 'kernel weights';
  const zeroPct = (100 * h.zeros) / h.total;
  const parts = [svgOpen(width, height, title ?? `Histogram of ${grouped(h.total)} ${what}`, 'km-weight-histogram')];
  if (title !== undefined) parts.push(text(width / 2, 18, title, 'text-anchor="middle" font-size="14" font-weight="600"'));
  parts.push(text(10, top + 16, `${grouped(h.total)} ${what} · L2 norm ${h.norm.toPrecision(4)}`, 'font-size="11"'));
  parts.push(text(10, top + 30, `exact zeros: ${grouped(h.zeros)} (${zeroPct.toFixed(zeroPct > 0 && zeroPct < 0.1 ? 3 : 1)} %)${h.clipped > 0 ? ` · ${grouped(h.clipped)} beyond the axis` : ''}`, `font-size="11" fill="${h.zeros > 0 ? COLORS.zero : COLORS.text}"`));
  parts.push(axes(f, xt.ticks.filter((t) => t >= h.lo - 1e-12 && t <= h.hi + 1e-12), yt.ticks, yt.step, 'weight value', 'count', xt.step));
  const bw = f.w / bins;
  h.counts.forEach((c, i) => {
    if (c === 0) return;
    const y = py(f, c);
    parts.push(`<rect class="km-bar" x="${n2(f.x + i * bw)}" y="${n2(y)}" width="${n2(Math.max(0.5, bw - 0.6))}" height="${n2(f.y + f.h - y)}" fill="${COLORS.bar}"/>`);
  });
  if (h.zeros > 0 && h.lo <= 0 && h.hi >= 0) {
    const y = py(f, Math.min(h.zeros, yt.hi));
    const x = px(f, 0);
    parts.push(`<rect class="km-zero" x="${n2(x - 1.5)}" y="${n2(y)}" width="3" height="${n2(f.y + f.h - y)}" fill="${COLORS.zero}"><title>${esc(`${grouped(h.zeros)} exact zeros`)}</title></rect>`);
    if (h.zeros > yt.hi) parts.push(text(x + 4, f.y + 11, `▲ ${grouped(h.zeros)}`, `font-size="11" fill="${COLORS.zero}"`));
  }
  parts.push('</svg>');
  return parts.join('');
}

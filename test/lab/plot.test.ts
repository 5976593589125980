// km.plot: learning curves and weight histograms are well-formed SVG strings whose series and
// bars say what the History and the weights hold.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { attr, parseHtml, select, textOf } from './dom.js';
import type { El } from './dom.js';

beforeAll(async () => {
  await testBackend();
});

const page = (svg: string) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${svg}</body></html>`;

/** The SVG parsed inside a page: no parse errors allowed. */
function svgOf(svg: string): El {
  const { doc, errors } = parseHtml(page(svg));
  expect(errors).toEqual([]);
  const roots = select(doc, 'svg');
  expect(roots.length).toBeGreaterThan(0);
  return roots[0]!;
}

/** The [x, y] vertices of a path's `d`, split into subpaths at each M. */
function subpaths(d: string): [number, number][][] {
  const out: [number, number][][] = [];
  for (const m of d.matchAll(/([ML])([-\d.]+) ([-\d.]+)/g)) {
    if (m[1] === 'M') out.push([]);
    out[out.length - 1]!.push([Number(m[2]), Number(m[3])]);
  }
  return out;
}

const overfit = {
  epoch: [0, 1, 2, 3, 4, 5],
  history: {
    loss: [1.2, 0.6, 0.35, 0.2, 0.1, 0.05],
    accuracy: [0.6, 0.8, 0.9, 0.95, 0.98, 0.99],
    val_loss: [1.0, 0.7, 0.55, 0.6, 0.7, 0.85],
    val_accuracy: [0.65, 0.78, 0.84, 0.84, 0.83, 0.83],
  },
};

describe('learningCurves', () => {
  test('one panel per metric, with a training and a validation series each', () => {
    const svg = svgOf(km.plot.learningCurves(overfit));
    expect(attr(svg, 'xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(select(svg, 'g', 'km-panel').map((g) => attr(g, 'data-metric'))).toEqual(['loss', 'accuracy']);
    const series = select(svg, 'path', 'km-series');
    expect(series.map((p) => attr(p, 'data-series')).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    for (const p of series) expect(subpaths(attr(p, 'd')!)).toEqual([expect.any(Array)]);
    for (const p of series) expect(subpaths(attr(p, 'd')!)[0]).toHaveLength(6);
  });

  test('points follow the values: a falling loss goes down the plot, x grows with the epoch', () => {
    const svg = svgOf(km.plot.learningCurves(overfit));
    const byName = (name: string) => subpaths(attr(select(svg, 'path', 'km-series').find((p) => attr(p, 'data-series') === name)!, 'd')!)[0]!;
    const loss = byName('loss');
    for (let i = 1; i < loss.length; i++) {
      expect(loss[i]![0]).toBeGreaterThan(loss[i - 1]![0]);
      expect(loss[i]![1]).toBeGreaterThan(loss[i - 1]![1]); // SVG y grows downwards
    }
    const val = byName('val_loss');
    const lowest = val.reduce((b, p, i) => (p[1] > val[b]![1] ? i : b), 0);
    expect(lowest).toBe(2);
  });

  test('a dotted mark at the epoch of the lowest validation loss', () => {
    const svg = svgOf(km.plot.learningCurves(overfit));
    const marks = select(svg, 'line', 'km-mark');
    expect(marks).toHaveLength(2);
    expect(textOf(svg)).toContain('best: epoch 3');
    expect(select(svgOf(km.plot.learningCurves(overfit, { markBest: false })), 'line', 'km-mark')).toHaveLength(0);
  });

  test('epochs are numbered from 1, after initialEpoch, as the progress bar counts', () => {
    const svg = svgOf(km.plot.learningCurves({ epoch: [4, 5, 6], history: { loss: [0.5, 0.4, 0.3] } }));
    const labels = select(svg, 'text').map(textOf);
    expect(labels).toContain('5');
    expect(labels).toContain('7');
    expect(labels).not.toContain('4');
  });

  test('non-finite values leave a gap instead of a broken path', () => {
    const svg = svgOf(km.plot.learningCurves({ history: { loss: [1, Number.NaN, 0.5, 0.4] } }));
    const [path] = select(svg, 'path', 'km-series');
    expect(subpaths(attr(path!, 'd')!).map((s) => s.length)).toEqual([1, 2]);
  });

  test('metrics, size and title options; the title is escaped', () => {
    const s = km.plot.learningCurves(overfit, { metrics: ['loss'], width: 500, height: 300, title: 'a < b & "c"' });
    const svg = svgOf(s);
    expect(attr(svg, 'width')).toBe('500');
    expect(attr(svg, 'height')).toBe('300');
    expect(select(svg, 'path', 'km-series')).toHaveLength(2);
    expect(textOf(select(svg, 'title')[0]!)).toBe('a < b & "c"');
  });

  test('accepts the History fit returns, or its history record', async () => {
    km.setSeed(3);
    const model = km.sequential({ layers: [km.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = km.tensor(new Float32Array(40).map((_, i) => Math.sin(i)), [10, 4]);
    const history = await model.fit(x, [0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { epochs: 3, validationSplit: 0.2, verbose: 0 });
    expect(select(svgOf(km.plot.learningCurves(history)), 'path', 'km-series')).toHaveLength(4);
    expect(select(svgOf(km.plot.learningCurves(history.history)), 'path', 'km-series')).toHaveLength(4);
    model.dispose();
  });

  test('bad arguments are ValueErrors in Keras wording', () => {
    expect(() => km.plot.learningCurves(null)).toThrow(km.ValueError);
    expect(() => km.plot.learningCurves({ history: {} })).toThrow('Invalid value received for argument `history`: expected a History returned by fit()');
    expect(() => km.plot.learningCurves({ history: { loss: [1, 2], val_loss: [1] } })).toThrow('expected per-epoch arrays of one length. Received: history=loss: 2, val_loss: 1');
    expect(() => km.plot.learningCurves(overfit, { metrics: ['mse'] })).toThrow("Invalid value received for argument `metrics`: expected names recorded in the history (loss, accuracy, val_loss, val_accuracy). Received: metrics=['mse']");
    expect(() => km.plot.learningCurves(overfit, { width: 10 })).toThrow('Invalid value received for argument `width`: expected an integer ≥ 320. Received: width=10');
  });
});

describe('weightHistogram', () => {
  const w = (values: number[]) => ({ data: new Float32Array(values), shape: [values.length] });

  test('bins count every non-zero weight once; exact zeros (either sign) are counted apart', () => {
    const values = [0, -0, 0, 0.5, -0.5, 0.25, -1, 1, 0.9];
    const h = km.plot.binWeights([w(values).data], 4);
    expect(h.zeros).toBe(3);
    expect(h.total).toBe(9);
    expect(h.counts).toEqual([1, 1, 1, 3]); // [-1, -0.5), [-0.5, 0), [0, 0.5), [0.5, 1]
    expect(h.counts.reduce((a, b) => a + b, 0) + h.zeros).toBe(h.total);
    expect(h.norm).toBeCloseTo(Math.sqrt(values.reduce((s, v) => s + v * v, 0)), 6);
  });

  test('values outside the range go to the end bins and are reported', () => {
    const h = km.plot.binWeights([w([-3, 0.1, 3, 2]).data], 2, [-1, 1]);
    expect(h.counts).toEqual([1, 3]);
    expect(h.clipped).toBe(3);
    const svg = svgOf(km.plot.weightHistogram([w([-3, 0.1, 3, 2])], { bins: 2, range: [-1, 1] }));
    expect(textOf(svg)).toContain('3 beyond the axis');
  });

  test('a red bar for the exact zeros, one blue bar per non-empty bin', () => {
    const svg = svgOf(km.plot.weightHistogram([w([0, 0, 0.5, -0.5, 0.25])], { bins: 10 }));
    expect(select(svg, 'rect', 'km-zero')).toHaveLength(1);
    expect(select(svg, 'rect', 'km-bar')).toHaveLength(3);
    expect(textOf(svg)).toContain('exact zeros: 2 (40.0 %)');
    const none = svgOf(km.plot.weightHistogram([w([0.5, -0.5])]));
    expect(select(none, 'rect', 'km-zero')).toHaveLength(0);
  });

  test("a model's kernels by default, every weight with include: 'all'", () => {
    const model = km.sequential({ layers: [
      km.layers.dense({ units: 3, activation: 'relu', inputShape: [4] }),
      km.layers.dense({ units: 2 }),
    ] });
    const kernels = svgOf(km.plot.weightHistogram(model));
    expect(textOf(select(kernels, 'title')[0]!)).toBe('Histogram of 18 kernel weights');
    // Biases start at 0: 5 exact zeros appear only with include: 'all'.
    expect(textOf(kernels)).toContain('exact zeros: 0 (0.0 %)');
    const all = svgOf(km.plot.weightHistogram(model, { include: 'all' }));
    expect(textOf(select(all, 'title')[0]!)).toBe('Histogram of 23 weights');
    expect(textOf(all)).toContain('exact zeros: 5 (21.7 %)');
    model.dispose();
  });

  test('bad arguments are ValueErrors in Keras wording', () => {
    expect(() => km.plot.weightHistogram({})).toThrow('Invalid value received for argument `model`: expected a model (km.sequential) or an array of weight tensors. Received: model={}');
    expect(() => km.plot.weightHistogram([w([1])], { bins: 0 })).toThrow('Invalid value received for argument `bins`: expected an integer ≥ 1. Received: bins=0');
    expect(() => km.plot.weightHistogram([w([1])], { range: [1, -1] })).toThrow('Invalid value received for argument `range`: expected [lo, hi] with finite lo < hi. Received: range=[1, -1]');
    expect(() => km.plot.weightHistogram([w([1])], { include: 'biases' as 'all' })).toThrow(km.ValueError);
    expect(() => km.plot.weightHistogram([w([Number.NaN])])).toThrow('expected finite weights');
  });
});

describe('learningCurves with yScale: log', () => {
  const lossPath = (svg: El, name = 'loss') => subpaths(attr(select(svg, 'path', 'km-series').find((p) => attr(p, 'data-series') === name)!, 'd')!);
  /** The y tick labels of the first panel (right-aligned texts left of the plot). */
  const yLabels = (svg: El) => select(select(svg, 'g', 'km-panel')[0]!, 'text').filter((t) => attr(t, 'text-anchor') === 'end' && !/best/.test(textOf(t))).map(textOf);

  test('decade ticks, and each decade the same height: y is linear in log10 of the value', () => {
    const mse = { history: { loss: [1, 0.1, 0.01, 0.001], val_loss: [2, 0.3, 0.05, 0.02] } };
    const svg = svgOf(km.plot.learningCurves(mse, { yScale: 'log' }));
    expect(attr(select(svg, 'g', 'km-panel')[0]!, 'data-y-scale')).toBe('log');
    expect(yLabels(svg)).toEqual(['0.001', '0.01', '0.1', '1']); // the axis ends at 2 (1, 2 or 5 × 10^k just above the data)
    const [loss] = lossPath(svg);
    expect(loss).toHaveLength(4);
    const steps = loss!.slice(1).map((p, i) => p[1] - loss![i]![1]);
    for (const s of steps) expect(s).toBeCloseTo(steps[0]!, 1);
    expect(steps[0]).toBeGreaterThan(0);
    // The linear plot of the same history squeezes the last three points within a few pixels.
    const [flat] = lossPath(svgOf(km.plot.learningCurves(mse)));
    expect(flat![3]![1] - flat![1]![1]).toBeLessThan(steps[0]! / 2);
  });

  test('coordinates are monotone in the value and proportional to its logarithm', () => {
    const values = [3.2, 1.7, 0.9, 0.41, 0.22, 0.13, 0.09, 0.061, 0.05, 0.049];
    const [path] = lossPath(svgOf(km.plot.learningCurves({ history: { loss: values } }, { yScale: 'log' })));
    for (let i = 1; i < values.length; i++) expect(path![i]![1]).toBeGreaterThan(path![i - 1]![1]);
    const perDecade = (path![values.length - 1]![1] - path![0]![1]) / Math.log10(values[0]! / values[values.length - 1]!);
    values.forEach((v, i) => expect(path![i]![1] - path![0]![1]).toBeCloseTo(perDecade * Math.log10(values[0]! / v), 0));
  });

  test('a narrow range gets 1-2-5 ticks; a very wide one every other decade', () => {
    expect(yLabels(svgOf(km.plot.learningCurves({ history: { loss: [0.3, 0.27, 0.25] } }, { yScale: 'log' })))).toEqual(['0.2', '0.5']);
    expect(yLabels(svgOf(km.plot.learningCurves({ history: { loss: [10, 1e-3, 1e-9] } }, { yScale: 'log' })))).toEqual(['1e-9', '1e-7', '1e-5', '0.001', '0.1', '10']);
    expect(yLabels(svgOf(km.plot.learningCurves({ history: { loss: [1e6, 2e5, 3e4] } }, { yScale: 'log' })))).toEqual(['2e4', '5e4', '1e5', '2e5', '5e5', '1e6']);
  });

  test('values ≤ 0 are left out (a gap, as NaN) and counted in a note; the axis is set by the positive values', () => {
    const svg = svgOf(km.plot.learningCurves({ history: { loss: [1, 0, 0.1, -1, 0.01], val_loss: [1, 0.5, 0.2, 0.1, 0.05] } }, { yScale: 'log' }));
    expect(lossPath(svg).map((s) => s.length)).toEqual([1, 1, 1]);
    expect(textOf(select(svg, 'text', 'km-note')[0]!)).toBe('2 values ≤ 0 not drawn (log scale)');
    expect(yLabels(svg)).toEqual(['0.01', '0.1', '1']);
    expect(select(svgOf(km.plot.learningCurves({ history: { loss: [1, 0.1] } }, { yScale: 'log' })), 'text', 'km-note')).toHaveLength(0);
    // Nothing positive at all: an empty panel on a default decade, no error.
    const none = svgOf(km.plot.learningCurves({ history: { loss: [0, 0] } }, { yScale: 'log' }));
    expect(lossPath(none)).toEqual([]);
  });
});

describe('plot options are checked', () => {
  test('unknown keys are ValueErrors naming them (and kerasm\'s spelling); yScale is linear or log', () => {
    expect(() => km.plot.learningCurves(overfit, { y_scale: 'log' } as never)).toThrow('Unrecognized options passed to plot.learningCurves: y_scale. Use `yScale` instead of `y_scale`');
    expect(() => km.plot.learningCurves(overfit, { logy: true } as never)).toThrow(km.ValueError);
    expect(() => km.plot.learningCurves(overfit, { yScale: 'symlog' as 'log' })).toThrow("Invalid value received for argument `yScale`: expected 'linear' or 'log'. Received: yScale='symlog'");
    expect(() => km.plot.learningCurves(overfit, null as never)).toThrow(km.ValueError);
    const w = { data: new Float32Array([0.5, -0.5]), shape: [2] };
    expect(() => km.plot.weightHistogram([w], { bin: 10 } as never)).toThrow('Unrecognized options passed to plot.weightHistogram: bin.');
    expect(() => km.plot.weightHistogram([w], { Range: [-1, 1] } as never)).toThrow('Use `range` instead of `Range`');
  });
});

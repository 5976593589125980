// The overfitting lab (examples/lab.mjs) on tiny sizes: every variant runs, the table and the
// HTML report hold them all, and the report is well-formed HTML with inline SVG (parsed by parse5,
// which reports every HTML parse error) whose series can be counted.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { attr, parseHtml, select, textOf } from './dom.js';
// @ts-expect-error: plain JS module, the lab itself
import { DEFAULTS, IMAGE_VARIANTS, VARIANTS, formatTable, markdownTable, parseLabArgs, runLab, usage } from '../../examples/lab.mjs';
import type { Lab, LabOptions } from './lab-types.js';

const ALL = ['baseline', 'l2', 'l1', 'dropout', 'dropout-maxnorm', 'early-stopping', 'combined'];
const IMAGES = ['baseline', 'l2', 'dropout', 'spatial-dropout', 'augmentation', 'batchnorm', 'combined'];
const tiny: LabOptions = { chapters: ['mlp'], train: 120, val: 100, units: 24, epochs: 3, batch: 32, seed: 7, verbose: 0 };
let lab: Lab;
let printed: string[];
let dir: string;

beforeAll(async () => {
  await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'kerasm-lab-'));
  printed = [];
  lab = await runLab(km, { ...tiny, out: join(dir, 'report.html'), figure: join(dir, 'fig', 'curves.svg'), log: (s: string) => printed.push(s) }) as Lab;
});

test('the variants are the seven of the issue, in order, in each chapter', () => {
  expect((VARIANTS as { id: string }[]).map((v) => v.id)).toEqual(ALL);
  expect(DEFAULTS.variants).toEqual(ALL);
  expect((IMAGE_VARIANTS as { id: string }[]).map((v) => v.id)).toEqual(IMAGES);
});

describe('a short run', () => {
  test('produces every variant, none skipped', () => {
    expect(lab.skipped).toEqual([]);
    expect(lab.results.map((r) => r.id)).toEqual(ALL);
    for (const r of lab.results) {
      expect(r.history.history.loss).toHaveLength(r.epochs);
      expect(r.history.history.val_accuracy).toHaveLength(r.epochs);
      expect(r.trainAcc).toBeGreaterThanOrEqual(0);
      expect(r.testAcc).toBeLessThanOrEqual(1);
      expect(r.gap).toBeCloseTo(r.trainAcc - r.testAcc, 12);
      expect(r.norm).toBeGreaterThan(0);
      expect(r.seconds).toBeGreaterThan(0);
      expect(['underfits', 'overfits', 'fits']).toContain(r.diagnosis.verdict);
    }
    expect(lab.meta).toMatchObject({ architecture: '784-24-24-10', train: 120, val: 100, test: 10_000 - 220, epochs: 3 });
  });

  test('only the proximal-L1 variants have exact zeros', () => {
    for (const r of lab.results) {
      if (r.id === 'l1' || r.id === 'combined') expect(r.zeroFraction).toBeGreaterThan(0);
      else expect(r.zeroFraction).toBe(0);
    }
  });

  test('prints a table row per variant as it finishes, then the whole table', () => {
    const out = printed.join('\n');
    for (const r of lab.results) expect(out).toContain(r.diagnosis.sentence);
    const table = formatTable(lab.results) as string;
    expect(out).toContain(`All variants\n${table}`);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^variant +train acc +test acc +gap +train loss +test loss +‖W‖₂ +zeros +epochs +time$/);
    expect(lines).toHaveLength(2 + ALL.length);
    expect(lines[2]).toMatch(/^no remedy +\d\.\d{4} +\d\.\d{4} +-?\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +\d+\.\d\d +0\.0 % +3 +\d+\.\d s$/);
    expect(out).toContain(`Report: ${join(dir, 'report.html')}`);
    const md = (markdownTable(lab.results) as string).split('\n');
    expect(md).toHaveLength(2 + ALL.length);
    expect(md[1]).toBe('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  });

  test('the report is well-formed HTML with one section, curves and histogram per variant', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toBe(lab.html);
    const { doc, errors } = parseHtml(html);
    expect(errors).toEqual([]);
    // Self-contained: nothing to fetch.
    expect(select(doc, 'script')).toHaveLength(0);
    expect(select(doc, 'link')).toHaveLength(0);
    expect(select(doc, 'img')).toHaveLength(0);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const rows = select(select(doc, 'tbody')[0]!, 'tr');
    expect(rows.map((tr) => textOf(select(tr, 'th')[0]!))).toEqual(lab.results.map((r) => r.label));
    const sections = select(doc, 'section', 'variant');
    expect(sections.map((s) => attr(s, 'data-variant'))).toEqual(ALL);
    for (const s of sections) {
      const curves = select(s, 'svg', 'km-learning-curves');
      expect(curves).toHaveLength(1);
      const series = select(curves[0]!, 'path', 'km-series').map((p) => attr(p, 'data-series'));
      expect(series.sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      for (const p of select(curves[0]!, 'path', 'km-series')) expect((attr(p, 'd')!.match(/[ML]/g) ?? []).length).toBe(3);
      const hist = select(s, 'svg', 'km-weight-histogram');
      expect(hist).toHaveLength(1);
      expect(select(hist[0]!, 'rect', 'km-bar').length).toBeGreaterThan(3);
      expect(textOf(s)).toContain(lab.results.find((r) => r.id === attr(s, 'data-variant'))!.diagnosis.sentence);
    }
    // The red zero bar only where weights are exactly 0.
    const zeroBars = sections.map((s) => select(s, 'rect', 'km-zero').length);
    expect(zeroBars).toEqual(lab.results.map((r) => (r.zeroFraction > 0 ? 1 : 0)));
  });

  test('the figure stacks the learning curves of every variant', () => {
    const svg = readFileSync(join(dir, 'fig', 'curves.svg'), 'utf8');
    const { doc, errors } = parseHtml(`<!DOCTYPE html><html lang="en"><head><title>f</title></head><body>${svg}</body></html>`);
    expect(errors).toEqual([]);
    expect(select(doc, 'svg', 'km-learning-curves')).toHaveLength(ALL.length);
    expect(select(doc, 'path', 'km-series')).toHaveLength(4 * ALL.length);
  });
});

describe('flags', () => {
  test('select variants (in the lab order), sizes, epochs and the output path', () => {
    const o = parseLabArgs(['--variants', 'dropout,baseline', '--train=500', '--epochs', '12', '--units', '64', '--out', 'x.html', '--verbose', '0']);
    expect(o).toMatchObject({ variants: ['baseline', 'dropout'], train: 500, epochs: 12, units: 64, out: 'x.html', verbose: 0, val: DEFAULTS.val });
    expect(parseLabArgs([])).toMatchObject({ train: 1000, units: 512, out: 'lab-report.html', figure: null });
    expect(parseLabArgs(['--out', '']).out).toBeNull();
    expect(parseLabArgs(['--help']).help).toBe(true);
  });

  test('the image chapter: chapters, its variants (in the chapter order), its epochs and figure', () => {
    expect(DEFAULTS).toMatchObject({ chapters: ['mlp', 'images', 'text'], imageEpochs: 30, imageFigure: null });
    expect(DEFAULTS.imageVariants).toEqual(IMAGES);
    const o = parseLabArgs(['--chapters', 'images', '--image-variants=augmentation,baseline', '--image-epochs', '5', '--image-figure', 'f.svg']);
    expect(o).toMatchObject({ chapters: ['images'], imageVariants: ['baseline', 'augmentation'], imageEpochs: 5, imageFigure: 'f.svg', variants: ALL });
    expect(parseLabArgs(['--chapters', 'images,mlp']).chapters).toEqual(['mlp', 'images']);
    expect(parseLabArgs(['--quick'])).toMatchObject({ imageEpochs: 8, epochs: 20 });
    expect(() => parseLabArgs(['--chapters', 'cnn'])).toThrow('Unknown chapter cnn: choose from mlp, images, text');
    expect(() => parseLabArgs(['--image-variants', 'flip'])).toThrow('Unknown image variant flip: choose from baseline, l2, dropout, spatial-dropout, augmentation, batchnorm, combined');
    expect(() => parseLabArgs(['--image-epochs', '0'])).toThrow('Option --image-epochs expects an integer ≥ 1, got 0');
    expect(usage()).toContain('--image-variants a,b,...');
  });

  test('unknown flags, variants and bad numbers are refused with the usage', () => {
    expect(() => parseLabArgs(['--trian', '5'])).toThrow(/^Unknown option --trian\nUsage: node examples\/lab.mjs/);
    expect(() => parseLabArgs(['--variants', 'l3'])).toThrow('Unknown variant l3: choose from baseline, l2, l1, dropout, dropout-maxnorm, early-stopping, combined');
    expect(() => parseLabArgs(['--epochs', '0'])).toThrow('Option --epochs expects an integer ≥ 1, got 0');
    expect(() => parseLabArgs(['--verbose', '3'])).toThrow('Option --verbose expects an integer 0, 1 or 2, got 3');
    expect(() => parseLabArgs(['--units'])).toThrow('Option --units needs a value');
  });

  test('a variant whose kerasm API is missing is skipped with a printed note, the others run', async () => {
    const older = { ...km, callbacks: { ...km.callbacks, earlyStopping: undefined } };
    const lines: string[] = [];
    const run = await runLab(older, { ...tiny, epochs: 1, variants: ['baseline', 'early-stopping', 'combined'], out: null, log: (s: string) => lines.push(s) }) as Lab;
    expect(run.results.map((r) => r.id)).toEqual(['baseline']);
    expect(run.skipped).toEqual([{ id: 'early-stopping', missing: ['earlyStopping'] }, { id: 'combined', missing: ['earlyStopping'] }]);
    expect(lines).toContain('\n[early-stopping] skipped: this kerasm has no earlyStopping yet');
    expect(run.html).toContain('Skipped (this kerasm lacks early-stopping: earlyStopping; combined: earlyStopping).');
  });

  test('sizes that leave no test images are refused before training', async () => {
    await expect(runLab(km, { ...tiny, train: 9000, val: 1000, out: null, log: () => {} })).rejects.toThrow('--train 9000 and --val 1000 leave no test images (the mnist package has 10000)');
  });
});

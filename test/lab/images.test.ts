// The lab's image chapter (examples/lab-images.mjs) on tiny sizes: every variant runs, its table
// and report section hold them all, and the strip of augmented digits shows what the network was
// fed (drawn with resvg: each original pixel's ink where the strip says).
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { attr, parseHtml, select, textOf } from './dom.js';
import { figuresOf, rasterize, type Raster } from './raster.js';
// @ts-expect-error: plain JS modules, the lab itself
import { IMAGE_COLUMNS, formatTable } from '../../examples/lab-common.mjs';
// @ts-expect-error: plain JS modules, the lab itself
import { IMAGE_VARIANTS, augmentedSamples, hasAugmentation, renderDigitStrip } from '../../examples/lab-images.mjs';
// @ts-expect-error: plain JS module, the lab itself
import { runLab } from '../../examples/lab.mjs';
// @ts-expect-error: plain JS module shared with the main job
import { loadMnist } from '../../examples/mnist.mjs';
import type { Lab, LabResult, Samples } from './lab-types.js';

const IMAGES = (IMAGE_VARIANTS as { id: string }[]).map((v) => v.id);
let lab: Lab;
let printed: string[];

beforeAll(async () => {
  await testBackend();
  printed = [];
  lab = await runLab(km, { chapters: ['images'], train: 120, val: 100, imageEpochs: 2, batch: 32, seed: 5, verbose: 0, out: null, log: (s: string) => printed.push(s) }) as Lab;
});

/** Grey (0 black … 255 white) of the pixel at (x, y). */
const grey = (r: Raster, x: number, y: number): number => r.pixels[(Math.floor(y) * r.width + Math.floor(x)) * 4]!;

describe('a short run of the image chapter', () => {
  test('runs every variant, the MLP chapter not at all', () => {
    const images = lab.images!;
    expect(hasAugmentation(km)).toBe(true);
    expect(images.results.map((r) => r.id)).toEqual(IMAGES);
    expect(images.skipped).toEqual([]);
    expect(lab.results).toEqual([]);
    expect(images.meta).toMatchObject({ train: 120, val: 100, test: 10_000 - 220, epochs: 2, batch: 32, seed: 5 });
    for (const r of images.results) {
      expect(r.history.history.loss).toHaveLength(2);
      expect(r.history.history.val_accuracy).toHaveLength(2);
      expect(r.gap).toBeCloseTo(r.trainAcc - r.testAcc, 12);
      expect(r.zeroFraction).toBe(0);
      // The kernels of two convolutions and two dense layers, Keras's shapes.
      expect(r.kernels.map((k) => k.shape)).toEqual([[3, 3, 1, 16], [3, 3, 16, 32], [800, 128], [128, 10]]);
      const norm = Math.sqrt(r.kernels.reduce((s, k) => s + k.data.reduce((t, v) => t + v * v, 0), 0));
      expect(r.norm).toBeCloseTo(norm, 3);
      expect(printed.join('\n')).toContain(r.diagnosis.sentence);
    }
    // The losses fit logs include the penalties, as Keras's: L2's first epoch is above the baseline's.
    const [base, l2] = images.results as [LabResult, LabResult];
    expect(l2.id).toBe('l2');
    expect(l2.history.history.loss![0]).toBeGreaterThan(base.history.history.loss![0]!);
  });

  test('prints its table without the zeros column', () => {
    const table = formatTable(lab.images!.results, IMAGE_COLUMNS) as string;
    expect(printed.join('\n')).toContain(`Image chapter, all variants\n${table}`);
    expect(table.split('\n')[0]).toMatch(/^variant +train acc +test acc +gap +train loss +test loss +‖W‖₂ +epochs +time$/);
    expect(table.split('\n')[2]).toMatch(/^no remedy +\d\.\d{4} +\d\.\d{4} +-?\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +\d+\.\d\d +2 +\d+\.\d s$/);
  });

  test('the report has the chapter: table, a section with curves, histogram and diagnosis per variant', () => {
    const { doc, errors } = parseHtml(lab.html!);
    expect(errors).toEqual([]);
    const chapters = select(doc, 'section', 'chapter');
    expect(chapters.map((c) => attr(c, 'data-chapter'))).toEqual(['images']);
    const rows = select(select(chapters[0]!, 'tbody')[0]!, 'tr');
    expect(rows.map((tr) => textOf(select(tr, 'th')[0]!))).toEqual(lab.images!.results.map((r) => r.label));
    expect(rows.map((tr) => select(tr, 'td').length)).toEqual(lab.images!.results.map(() => IMAGE_COLUMNS.length));
    const sections = select(doc, 'section', 'variant');
    expect(sections.map((s) => `${attr(s, 'data-chapter')}/${attr(s, 'data-variant')}`)).toEqual(lab.images!.results.map((r) => `images/${r.id}`));
    for (const s of sections) {
      const r = lab.images!.results.find((x) => x.id === attr(s, 'data-variant'))!;
      expect(select(select(s, 'svg', 'km-learning-curves')[0]!, 'path', 'km-series')).toHaveLength(4);
      expect(select(s, 'svg', 'km-weight-histogram')).toHaveLength(1);
      expect(textOf(s)).toContain(r.diagnosis.sentence);
    }
    for (const f of figuresOf(lab.html!)) expect(() => rasterize(f.source), `${f.variant} ${f.kind}`).not.toThrow();
    expect(select(doc, 'p', 'samples-missing')).toHaveLength(0);
    expect(select(doc, 'figure', 'samples')).toHaveLength(1);
  });

  test('the strip in the report: the first training digit of each class and three augmented draws, drawn', () => {
    const { doc } = parseHtml(lab.html!);
    const figure = select(doc, 'figure', 'samples')[0]!;
    expect(textOf(figure)).toContain('What the augmented variants were fed');
    const svg = /<svg[^>]*class="lab-digit-strip"[\s\S]*?<\/svg>/.exec(lab.html!)![0];
    const samples = lab.images!.samples!;
    expect(samples.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(samples.rows).toHaveLength(4);
    const image = rasterize(svg);
    // Every pixel of every digit, original and augmented, at the ink its value says.
    let worst = 0;
    for (let r = 0; r < 4; r++) {
      for (let j = 0; j < 10; j++) {
        for (let p = 0; p < 784; p++) {
          const want = Math.round(Math.min(1, Math.max(0, samples.rows[r]![j * 784 + p]!)) * 15) / 15;
          worst = Math.max(worst, Math.abs(inkAt(image, svg, r, j, p % 28, Math.floor(p / 28)) - want));
        }
      }
    }
    expect(worst).toBeLessThan(2.5 / 255);
  });

  test('a kerasm without the augmentation layers skips those two variants, says so, and draws no strip', async () => {
    const { randomTranslation: _t, randomRotation: _r, randomZoom: _z, ...layers } = km.layers;
    const older = { ...km, layers };
    const lines: string[] = [];
    const run = await runLab(older, { chapters: ['images'], imageVariants: ['baseline', 'augmentation', 'combined'], train: 64, val: 100, imageEpochs: 1, seed: 5, verbose: 0, out: null, log: (s: string) => lines.push(s) }) as Lab;
    expect(run.images!.results.map((r) => r.id)).toEqual(['baseline']);
    expect(run.images!.skipped).toEqual(['augmentation', 'combined'].map((id) => ({ id, missing: ['randomTranslation', 'randomRotation', 'randomZoom'] })));
    expect(run.images!.samples).toBeNull();
    expect(lines).toContain('\n[images/augmentation] skipped: this kerasm has no randomTranslation, randomRotation, randomZoom yet');
    expect(run.html).toContain('Skipped (this kerasm lacks augmentation: randomTranslation, randomRotation, randomZoom; combined: randomTranslation, randomRotation, randomZoom).');
    expect(run.html).toContain('class="note samples-missing"');
  });
});

/** Ink (0 … 1) drawn at the centre of pixel (x, y) of the digit in row r, column j of a strip. */
function inkAt(image: Raster, svg: string, r: number, j: number, x: number, y: number): number {
  const num = (name: string): number => Number(new RegExp(`data-${name}="([\\d.]+)"`).exec(svg)![1]);
  const scale = num('scale');
  const cell = 28 * scale + num('gap');
  return 1 - grey(image, num('left') + j * cell + (x + 0.5) * scale, num('top') + r * cell + (y + 0.5) * scale) / 255;
}

describe('the strip of digits', () => {
  test('draws each pixel with its value as ink, 16 levels, in a row per set of digits', () => {
    // Three synthetic "digits": a ramp over all 256 values, a checkerboard, a blank.
    const ramp = Float32Array.from({ length: 784 }, (_, i) => (i % 256) / 255);
    const checker = Float32Array.from({ length: 784 }, (_, i) => ((i % 28) + Math.floor(i / 28)) % 2);
    const blank = new Float32Array(784);
    const rowA = new Float32Array(3 * 784);
    rowA.set(ramp, 0);
    rowA.set(checker, 784);
    rowA.set(blank, 2 * 784);
    const rowB = new Float32Array(3 * 784);
    rowB.set(blank, 0);
    rowB.set(ramp, 784);
    rowB.set(checker.map((v) => 1.5 * v - 0.2), 2 * 784);   // out of [0, 1]: clipped
    const samples: Samples = { labels: [4, 7, 1], rows: [rowA, rowB], count: 3 };
    const svg = renderDigitStrip(samples, { scale: 3, title: 'test strip' }) as string;
    const image = rasterize(svg);
    const { doc, errors } = parseHtml(`<!DOCTYPE html><html lang="en"><head><title>s</title></head><body>${svg}</body></html>`);
    expect(errors).toEqual([]);
    expect(select(doc, 'text').map(textOf)).toEqual(['test strip', 'original', 'augmented 1', '4', '7', '1']);
    let worst = 0;
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < 3; j++) {
        for (let p = 0; p < 784; p++) {
          const v = Math.min(1, Math.max(0, samples.rows[r]![j * 784 + p]!));
          const want = Math.round(v * 15) / 15;
          worst = Math.max(worst, Math.abs(inkAt(image, svg, r, j, p % 28, Math.floor(p / 28)) - want));
        }
      }
    }
    expect(worst).toBeLessThan(2.5 / 255);
    // 16 levels, level 0 not drawn: at most 15 paths.
    expect(select(doc, 'path', 'lab-ink').length).toBe(15);
  });

  test('the augmented rows: seeded, a new transform per digit, the same ink mass about', async () => {
    await testBackend();
    const data = loadMnist({ seed: 42, trainCount: 200 }) as { xTrain: Float32Array; yTrain: Uint8Array };
    const a = augmentedSamples(km, data.xTrain, data.yTrain, { seed: 9 }) as Samples;
    const b = augmentedSamples(km, data.xTrain, data.yTrain, { seed: 9 }) as Samples;
    expect(a.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.rows).toHaveLength(4);
    for (let r = 0; r < 4; r++) expect(Buffer.from(a.rows[r]!.buffer).equals(Buffer.from(b.rows[r]!.buffer))).toBe(true);
    for (let r = 1; r < 4; r++) {
      for (let j = 0; j < 10; j++) {
        const orig = a.rows[0]!.subarray(j * 784, j * 784 + 784);
        const aug = a.rows[r]!.subarray(j * 784, j * 784 + 784);
        expect(aug.some((v, i) => Math.abs(v - orig[i]!) > 0.1), `row ${r} digit ${j} changed`).toBe(true);
        const mass = (img: Float32Array) => img.reduce((s, v) => s + v, 0);
        expect(mass(aug) / mass(orig)).toBeGreaterThan(0.6);
        expect(mass(aug) / mass(orig)).toBeLessThan(1.5);
      }
    }
  });
});

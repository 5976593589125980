// The lab's HTML report, rendered without a browser, so that `npm test` needs only Node and npm:
// parse5 finds each inline SVG figure as the report wrote it, resvg (@resvg/resvg-js from npm)
// parses it as strict XML and draws it, and pixel counts check what a reader would see: every
// curve drawn with a length, every histogram's bars where their attributes say. A sheet of every
// figure is written to test-results/lab-report.png for a person to look at.
// The same report in a real browser (Debian's Chromium: layout, getTotalLength, DOMParser, a
// full-page screenshot, no network request) is the `chromium-lab-report` case of
// `npm run test:runtimes` (test/runtimes/lab-report.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { attr, parseHtml, select, textOf } from './dom.js';
import { MAGENTA, externalImages, figuresOf, inkFraction, magentaArea, rasterize, withStyle, type Figure } from './raster.js';
// @ts-expect-error: plain JS module, the lab itself
import { runLab } from '../../examples/lab.mjs';
import type { Lab } from './lab-types.js';

let lab: Lab;
let figures: Figure[];

beforeAll(async () => {
  await testBackend();
  lab = await runLab(km, { chapters: ['mlp'], train: 120, val: 100, units: 24, epochs: 4, seed: 3, verbose: 0, out: null, log: () => {} }) as Lab;
  figures = figuresOf(lab.html!);
});

const curvesOf = (id: string): Figure => figures.find((f) => f.variant === id && f.kind === 'learning-curves')!;
const histogramOf = (id: string): Figure => figures.find((f) => f.variant === id && f.kind === 'weight-histogram')!;

describe('the report, offline and well-formed', () => {
  test('two figures per variant, each well-formed XML that resvg renders, with nothing to fetch', () => {
    expect(figures.map((f) => `${f.variant}:${f.kind}`)).toEqual(lab.results.flatMap((r) => [`${r.id}:learning-curves`, `${r.id}:weight-histogram`]));
    for (const f of figures) {
      expect(() => rasterize(f.source), `${f.variant} ${f.kind}`).not.toThrow();
      expect(externalImages(f.source)).toEqual([]);
    }
  });

  test('a figure that is not well-formed XML is refused (the check above can fail)', () => {
    const broken = figures[0]!.source.replace('</g>', '');
    expect(() => rasterize(broken)).toThrow(/SVG data parsing failed/);
  });

  test('the HTML loads nothing: no script, style sheet, image, frame or external URL', () => {
    const { doc, errors } = parseHtml(lab.html!);
    expect(errors).toEqual([]);
    for (const tag of ['script', 'link', 'img', 'iframe', 'object', 'embed', 'image', 'use']) expect(select(doc, tag), tag).toHaveLength(0);
    const urls = [...lab.html!.matchAll(/\b(?:src|href|xlink:href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls.filter((u) => !u.startsWith('#'))).toEqual([]);
    const css = select(doc, 'style').map(textOf).join('\n');
    expect(css).not.toMatch(/url\(|@import/);
    expect(select(doc, 'section', 'variant').map((s) => attr(s, 'data-variant'))).toEqual(lab.results.map((r) => r.id));
  });
});

describe('what a reader sees', () => {
  test('each variant\'s learning curves: four series, each drawn as a line over 10 px long, in a figure over 300 px wide', () => {
    for (const r of lab.results) {
      const fig = curvesOf(r.id);
      const { doc } = parseHtml(fig.source);
      const series = select(doc, 'path', 'km-series').map((p) => attr(p, 'data-series')!);
      expect(series.slice().sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      const image = rasterize(fig.source);
      expect(image.width).toBeGreaterThan(300);
      // One series at a time, painted magenta, the other three hidden: its painted area over the
      // stroke width is the length drawn (Chromium's getTotalLength, in pixels).
      for (const s of series) {
        const only = withStyle(fig, `path.km-series{visibility:hidden}path.km-series[data-series="${s}"]{visibility:visible;stroke:${MAGENTA}}`);
        const drawn = magentaArea(rasterize(only)) / 2;
        expect(drawn, `${r.id} ${s}`).toBeGreaterThan(10);
      }
      // Control: with every series hidden, nothing is magenta.
      expect(magentaArea(rasterize(withStyle(fig, 'path.km-series{visibility:hidden}')))).toBeLessThan(1);
    }
  });

  test('each histogram draws more than 3 bars, painted where their attributes say', () => {
    for (const r of lab.results) {
      const fig = histogramOf(r.id);
      const { doc } = parseHtml(fig.source);
      const bars = select(doc, 'rect', 'km-bar').map((b) => ({ width: Number(attr(b, 'width')), height: Number(attr(b, 'height')) }));
      const shown = bars.filter((b) => b.height > 0);
      expect(shown.length, r.id).toBeGreaterThan(3);
      const expected = shown.reduce((s, b) => s + b.width * b.height, 0);
      // The red exact-zero bar is drawn over the bars: it may hide a little of them.
      const painted = magentaArea(rasterize(withStyle(fig, `rect.km-bar{fill:${MAGENTA}}`)));
      expect(painted / expected, r.id).toBeGreaterThan(0.75);
      expect(painted / expected, r.id).toBeLessThan(1.1);
    }
  });

  test('a sheet of every figure renders to a PNG for a person to look at (test-results/lab-report.png)', () => {
    const sheet = sheetOf(lab, figures);
    const image = rasterize(sheet);
    const png = image.png();
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(SHEET_WIDTH);
    expect(png.readUInt32BE(20)).toBeGreaterThan(lab.results.length * 250);
    expect(image.width).toBe(SHEET_WIDTH);
    // Curves, bars, grid lines and text: a blank or half-drawn sheet has far less ink.
    expect(inkFraction(image)).toBeGreaterThan(0.03);
    mkdirSync('test-results', { recursive: true });
    writeFileSync(join('test-results', 'lab-report.png'), png);
  });
});

const SHEET_WIDTH = 1200;
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Each variant's label and diagnosis, its learning curves and its histogram side by side, one row per variant. */
function sheetOf(run: Lab, figs: Figure[]): string {
  const size = (f: Figure): { w: number; h: number } => {
    const { doc } = parseHtml(f.source);
    const svg = select(doc, 'svg')[0]!;
    return { w: Number(attr(svg, 'width')), h: Number(attr(svg, 'height')) };
  };
  const place = (f: Figure, x: number, y: number): string => `<svg x="${x}" y="${y}"${f.source.slice(4)}`;
  let y = 16;
  const rows: string[] = [];
  for (const r of run.results) {
    const curves = figs.find((f) => f.variant === r.id && f.kind === 'learning-curves')!;
    const hist = figs.find((f) => f.variant === r.id && f.kind === 'weight-histogram')!;
    const c = size(curves);
    const h = size(hist);
    rows.push(`<text x="16" y="${y + 18}" font-size="16" font-weight="600">${escapeXml(r.label)}</text>`,
      `<text x="16" y="${y + 38}" font-size="12" fill="#444">${escapeXml(r.diagnosis.sentence)}</text>`,
      place(curves, 16, y + 48), place(hist, 16 + c.w + 16, y + 48));
    y += 48 + Math.max(c.h, h.h) + 24;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SHEET_WIDTH}" height="${y}" viewBox="0 0 ${SHEET_WIDTH} ${y}" font-family="sans-serif">` +
    `<rect width="${SHEET_WIDTH}" height="${y}" fill="#fff"/>${rows.join('')}</svg>`;
}

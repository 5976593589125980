// The lab's HTML report in a real browser: Debian's Chromium, headless, through playwright-core
// (as the runtime smoke tests launch it). The page loads from a file with every network request
// refused, every curve is drawn with a length, every SVG the report inlines is well-formed XML, and
// a full-page screenshot is taken (test-results/lab-report.png, for a person to look at).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
// @ts-expect-error: plain JS module, the lab itself
import { runLab } from '../../examples/lab.mjs';
// @ts-expect-error: plain JS module shared with the runtime smoke tests
import { CHROMIUM } from '../../scripts/install-runtimes.mjs';
import type { Lab } from './lab-types.js';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
let browser: Browser;
let lab: Lab;
let file: string;

beforeAll(async () => {
  await testBackend();
  lab = await runLab(km, { train: 120, val: 100, units: 24, epochs: 4, seed: 3, verbose: 0, out: null, log: () => {} }) as Lab;
  file = join(mkdtempSync(join(tmpdir(), 'kerasm-lab-')), 'report.html');
  writeFileSync(file, lab.html!);
  browser = await chromium.launch({ executablePath: CHROMIUM as string, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
});

test('the report renders in headless Chromium, offline, to a screenshot', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const external: string[] = [];
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

  const drawn = await page.evaluate(() => {
    const sections = Array.from(document.querySelectorAll('section.variant'));
    return sections.map((s) => ({
      variant: s.getAttribute('data-variant'),
      curves: Array.from(s.querySelectorAll('svg.km-learning-curves path.km-series')).map((p) => (p as SVGPathElement).getTotalLength()),
      bars: Array.from(s.querySelectorAll('svg.km-weight-histogram rect.km-bar')).filter((r) => (r as SVGRectElement).getBBox().height > 0).length,
      width: (s.querySelector('svg.km-learning-curves') as SVGSVGElement).getBoundingClientRect().width,
    }));
  });
  expect(drawn.map((d) => d.variant)).toEqual(lab.results.map((r) => r.id));
  for (const d of drawn) {
    expect(d.curves).toHaveLength(4);
    for (const length of d.curves) expect(length).toBeGreaterThan(10);
    expect(d.bars).toBeGreaterThan(3);
    expect(d.width).toBeGreaterThan(300);
  }

  // Each inline SVG, as km.plot wrote it, parses as XML (a standalone .svg file would too).
  const svgs = lab.html!.match(/<svg[\s\S]*?<\/svg>/g)!;
  expect(svgs).toHaveLength(2 * lab.results.length);
  const xmlErrors = await page.evaluate((list) => list.map((s) => new DOMParser().parseFromString(s, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null).filter((e) => e !== null), svgs);
  expect(xmlErrors).toEqual([]);

  const png = await page.screenshot({ fullPage: true });
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(width).toBe(1200);
  expect(height).toBeGreaterThan(7 * 250);
  expect(png.length).toBeGreaterThan(50_000);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(join('test-results', 'lab-report.png'), png);
  expect(external).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

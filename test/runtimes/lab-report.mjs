// The lab's HTML report in a real browser (Debian's Chromium, headless, through playwright-core),
// a case of `npm run test:runtimes` (`chromium-lab-report`). `npm test` checks the same report
// without a browser (test/lab/render.test.ts: parse5 + resvg); here the page loads from a file with
// every network request refused, every curve is laid out with a length, every SVG the report inlines
// is well-formed XML to the browser's DOMParser, and a full-page screenshot is taken
// (test-results/lab-report-chromium.png, for a person to look at).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runLab } from '../../examples/lab.mjs';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Runs a tiny lab with `km` (the installed tarball's kerasm), opens its report in `browser` and
 * checks it. Throws with every problem found; resolves to a one-line summary.
 */
export async function checkLabReport({ km, browser, screenshot }) {
  const lab = await runLab(km, { chapters: ['mlp'], train: 120, val: 100, units: 24, epochs: 4, seed: 3, verbose: 0, out: null, log: () => {} });
  const dir = mkdtempSync(join(tmpdir(), 'kerasm-lab-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, lab.html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  const external = [];
  try {
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    const pageErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const drawn = await page.evaluate(() => Array.from(document.querySelectorAll('section.variant')).map((s) => ({
      variant: s.getAttribute('data-variant'),
      curves: Array.from(s.querySelectorAll('svg.km-learning-curves path.km-series')).map((p) => p.getTotalLength()),
      bars: Array.from(s.querySelectorAll('svg.km-weight-histogram rect.km-bar')).filter((r) => r.getBBox().height > 0).length,
      width: s.querySelector('svg.km-learning-curves')?.getBoundingClientRect().width ?? 0,
    })));
    const ids = lab.results.map((r) => r.id);
    if (drawn.map((d) => d.variant).join() !== ids.join()) problems.push(`sections ${drawn.map((d) => d.variant).join()}, expected ${ids.join()}`);
    for (const d of drawn) {
      if (d.curves.length !== 4) problems.push(`${d.variant}: ${d.curves.length} curves, expected 4`);
      const short = d.curves.filter((length) => !(length > 10));
      if (short.length > 0) problems.push(`${d.variant}: curves of length ${short.join(', ')} (expected > 10 px)`);
      if (!(d.bars > 3)) problems.push(`${d.variant}: ${d.bars} histogram bars with a height (expected > 3)`);
      if (!(d.width > 300)) problems.push(`${d.variant}: learning curves ${d.width} px wide (expected > 300)`);
    }

    // Each inline SVG, as km.plot wrote it, parses as XML (a standalone .svg file would too).
    const svgs = lab.html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    if (svgs.length !== 2 * lab.results.length) problems.push(`${svgs.length} inline SVGs, expected ${2 * lab.results.length}`);
    const xmlErrors = await page.evaluate((list) => list
      .map((s) => new DOMParser().parseFromString(s, 'image/svg+xml').querySelector('parsererror')?.textContent ?? null)
      .filter((e) => e !== null), svgs);
    if (xmlErrors.length > 0) problems.push(`SVG XML errors: ${xmlErrors.join('; ')}`);

    const png = await page.screenshot({ fullPage: true });
    if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) problems.push('the screenshot is not a PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    if (width !== 1200) problems.push(`screenshot ${width} px wide, expected 1200`);
    if (!(height > 7 * 250)) problems.push(`screenshot ${height} px high, expected > ${7 * 250}`);
    if (!(png.length > 50_000)) problems.push(`screenshot of ${png.length} bytes, expected > 50,000`);
    mkdirSync(dirname(screenshot), { recursive: true });
    writeFileSync(screenshot, png);
    if (external.length > 0) problems.push(`network requests: ${external.join(', ')}`);
    if (pageErrors.length > 0) problems.push(`page errors: ${pageErrors.join('; ')}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return `${drawn.length} variants, ${svgs.length} SVGs, screenshot ${width}×${height} (${(png.length / 1024).toFixed(0)} KiB) in ${screenshot}`;
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

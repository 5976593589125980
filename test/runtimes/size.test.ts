// The size budget: what a user ships is the package's JavaScript, bundled and minified as any
// bundler does (esbuild here; @assemblyscript/loader included), plus the `simd` build. Gzipped,
// the two stay ≤ 112 KB (TF.js core + layers + cpu backend, minified: about 226 KB gzip). The
// budget was 80 KB for the MLP library; the functional API, the merge, activation, convolution and
// pooling layers and their kernels brought it to 108.5 KB (docs/design.md, "Size budget"). The
// tarball carries neither the debug build nor source maps. Needs build/ and dist/ (npm run build).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const root = new URL('../../', import.meta.url);
const BUDGET = 112 * 1024;

function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

describe('size budget', () => {
  test(`JS bundled and minified + the simd build, gzip, is at most ${BUDGET / 1024} KB`, async () => {
    const entry = new URL('dist/index.js', root);
    const wasm = new URL('build/kerasm.simd.wasm', root);
    expect(existsSync(entry) && existsSync(wasm), 'dist/ and build/ are missing: npm run build').toBe(true);
    const out = await build({ entryPoints: [entry.pathname], bundle: true, minify: true, format: 'esm',
      platform: 'browser', write: false, logLevel: 'error' });
    const js = out.outputFiles[0]!.contents;
    const jsGz = gzipSize(js);
    const wasmGz = gzipSize(readFileSync(wasm));
    console.log(`size: JS ${(js.length / 1024).toFixed(1)} KB minified, ${(jsGz / 1024).toFixed(1)} KB gzip; ` +
      `simd wasm ${(wasmGz / 1024).toFixed(1)} KB gzip; total ${((jsGz + wasmGz) / 1024).toFixed(1)} KB of ${BUDGET / 1024} KB`);
    expect(jsGz + wasmGz).toBeLessThanOrEqual(BUDGET);
  });
});

describe('tarball contents (npm pack --dry-run)', () => {
  const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { files: { path: string }[] }[];
  const files = pack[0]!.files.map((f) => f.path);

  test('holds no source maps, no debug build, no sources or tests', () => {
    expect(files.filter((f) => f.endsWith('.map') || /debug/.test(f) || /^(src|test|assembly|bench)\//.test(f))).toEqual([]);
  });

  test('holds the entry, its types, the wasm builds and every file package.json points to', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>; browser: Record<string, string>;
    };
    const targets = [
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e))).filter((t) => !t.includes('*')),
      ...Object.keys(pkg.browser), ...Object.values(pkg.browser),
    ].map((t) => t.replace(/^\.\//, ''));
    for (const f of [...targets, 'build/kerasm.simd.wasm', 'build/kerasm.relaxed.wasm', 'README.md', 'LICENSE']) {
      expect(files, f).toContain(f);
    }
  });
});

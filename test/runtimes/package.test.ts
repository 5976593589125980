// What the package must be for every runtime: no code generated from strings (strict CSP pages and
// Workers refuse it), and Node-only modules kept out of web bundles by package.json's "browser"
// field, each swapped for a twin with the same exports. test:runtimes runs the real thing.
import { readFileSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { browser: Record<string, string> };

function files(dir: URL, ext: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).sort();
}

/** `import('node:…')` and `from 'node:…'` in JavaScript. */
function nodeImports(js: string): string[] {
  return [...js.matchAll(/(?:\bimport\s*\(\s*|\bfrom\s*)["'`](node:[\w/]+)/g)].map((m) => m[1]!);
}

describe('no code from strings', () => {
  const sources = [
    ...files(new URL('dist/', root), '.js').map((f) => new URL(`dist/${f}`, root)),
    new URL('node_modules/@assemblyscript/loader/index.js', root),
    // What the lazily loaded Keras entry (dist/keras) brings along.
    new URL('node_modules/fflate/esm/browser.js', root),
    new URL('node_modules/h5wasm/dist/esm/hdf5_hl.js', root),
    new URL('node_modules/h5wasm/dist/esm/hdf5_util.js', root),
  ];

  test('dist/, @assemblyscript/loader, fflate and h5wasm have no eval, new Function or Function(string)', () => {
    expect(sources.length).toBeGreaterThan(10);
    const hits = sources.flatMap((url) => {
      const text = readFileSync(url, 'utf8');
      return [...text.matchAll(/\beval\s*\(|\bnew\s+Function\s*\(|(?<![\w.])Function\s*\(\s*["'`]|\bset(?:Timeout|Interval)\s*\(\s*["'`]/g)]
        .map((m) => `${url.pathname.slice(root.pathname.length)}: ${m[0]}`);
    });
    expect(hits).toEqual([]);
  });

  test('the check finds what it looks for', () => {
    const probe = 'const f = new Function("return 1"); eval("2"); Function(`3`);';
    expect(probe.match(/\beval\s*\(|\bnew\s+Function\s*\(|(?<![\w.])Function\s*\(\s*["'`]/g)).toHaveLength(3);
  });
});

describe('Node-only modules and their web twins', () => {
  test('every src/**/*.web.ts is mapped in "browser", and every mapping has both files', () => {
    const twins = files(new URL('src/', root), '.web.ts').map((f) => `./dist/${f.replace(/\.web\.ts$/, '.js')}`);
    expect(Object.keys(pkg.browser).sort()).toEqual(twins);
    for (const [from, to] of Object.entries(pkg.browser)) {
      expect(to).toBe(from.replace(/\.js$/, '.web.js'));
      expect(readFileSync(new URL(from.replace('./dist/', 'src/').replace(/\.js$/, '.ts'), root), 'utf8').length).toBeGreaterThan(0);
    }
  });

  test.each(Object.keys(pkg.browser))('%s and its twin export the same names', async (from) => {
    const src = from.replace('./dist/', '../../src/').replace(/\.js$/, '');
    const node = (await import(`${src}.js`)) as Record<string, unknown>;
    const web = (await import(`${src}.web.js`)) as Record<string, unknown>;
    expect(Object.keys(web).sort()).toEqual(Object.keys(node).sort());
  });

  test('a browser bundle of dist/index.js imports no Node built-in and none of the Node-only modules', async () => {
    const out = await build({ entryPoints: [new URL('dist/index.js', root).pathname], bundle: true, format: 'esm',
      platform: 'browser', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(out.metafile.inputs);
    const nodeOnly = Object.keys(pkg.browser).map((f) => f.slice(2));
    expect(inputs.filter((i) => nodeOnly.includes(i))).toEqual([]);
    expect(inputs.filter((i) => i.endsWith('.web.js')).length).toBe(nodeOnly.length);
    expect(nodeImports(out.outputFiles[0]!.text)).toEqual([]);
  });

  test('the web twins import no node: built-in', () => {
    for (const from of Object.keys(pkg.browser)) {
      const web = readFileSync(new URL(from.replace('./dist/', 'src/').replace(/\.js$/, '.web.ts'), root), 'utf8');
      expect(nodeImports(web), from).toEqual([]);
    }
  });
});

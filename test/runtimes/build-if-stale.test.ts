// Packaging without `prepare`: the tarball carries its scripts, and npm 11 warns in every project that
// installs it about a `prepare` it has not approved, so the package builds in `prepack` (npm pack / publish), and `npm test`,
// `npm start` and `npm run bench` build first only when the build is stale
// (scripts/build-if-stale.mjs), which these tests check on a folder of fake sources and outputs.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
// @ts-expect-error: plain JS build script
import { INPUTS, OUTPUTS, staleReason } from '../../scripts/build-if-stale.mjs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('package.json scripts', () => {
  test('no prepare (it would run in consumer projects); prepack builds from scratch', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toBe('npm run build');
  });

  test('test, start and the benchmarks build first when the build is stale', () => {
    for (const name of ['pretest', 'prestart', 'prebench', 'prebench:gemm']) {
      expect(pkg.scripts[name], name).toBe('node scripts/build-if-stale.mjs');
    }
  });
});

describe('staleReason', () => {
  let root: string;
  const T0 = new Date('2026-01-01T00:00:00Z');
  const later = (s: number): Date => new Date(T0.getTime() + s * 1000);
  const put = (rel: string, when: Date): void => {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, rel);
    utimesSync(path, when, when);
  };
  const touchDir = (rel: string, when: Date): void => utimesSync(join(root, rel), when, when);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kerasm-stale-'));
    for (const f of ['assembly/index.ts', 'src/index.ts', 'src/model/fit.ts', 'asconfig.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) put(f, T0);
    for (const d of ['assembly', 'src', 'src/model']) touchDir(d, T0);
    for (const f of OUTPUTS as string[]) put(f, later(60));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('fresh when every output is newer than every input', () => {
    expect(INPUTS).toEqual(expect.arrayContaining(['assembly', 'src', 'asconfig.json', 'tsconfig.build.json']));
    expect(staleReason(root)).toBeNull();
  });

  test('stale when an output is missing (a fresh clone)', () => {
    rmSync(join(root, 'dist/index.js'));
    expect(staleReason(root)).toBe('dist/index.js is missing');
  });

  test('stale when a source file changed after the oldest output', () => {
    put('build/kerasm.simd.wasm', later(10)); // the oldest output
    put('src/model/fit.ts', later(30));
    expect(staleReason(root)).toBe(`${join('src', 'model', 'fit.ts')} is newer than build/kerasm.simd.wasm`);
  });

  test('stale when a source file was deleted (its folder changed)', () => {
    touchDir('src/model', later(120));
    expect(staleReason(root)).toBe(`${join('src', 'model')} is newer than build/kerasm.simd.wasm`);
  });
});

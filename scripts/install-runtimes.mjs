#!/usr/bin/env node
// Installs the JavaScript runtimes of the smoke tests into .runtimes/ (git-ignored, never
// globally), each from the npm registry package that ships its binary: node@22, node@24, deno,
// bun, workerd. Pinned versions; an installed runtime of the right version is kept. Chromium is
// Debian's package (/usr/bin/chromium), which .ci/run installs; this script only says if it is missing.
//   node scripts/install-runtimes.mjs            install what is missing, print the binaries
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNTIMES_DIR = fileURLToPath(new URL('../.runtimes/', import.meta.url));

/** name → npm package, exact version, binary in node_modules/.bin. */
export const RUNTIMES = {
  node22: { pkg: 'node', version: '22.23.3', bin: 'node' },
  node24: { pkg: 'node', version: '24.21.0', bin: 'node' },
  deno: { pkg: 'deno', version: '2.9.6', bin: 'deno' },
  bun: { pkg: 'bun', version: '1.4.5', bin: 'bun' },
  workerd: { pkg: 'workerd', version: '1.20261117.1', bin: 'workerd' },
};

export const CHROMIUM = '/usr/bin/chromium';

function installedVersion(dir, pkg) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Installs what is missing: { bins: name → absolute path of the binary, errors: name → message }. */
export function installRuntimes(names = Object.keys(RUNTIMES), log = console.log) {
  const bins = {};
  const errors = {};
  for (const name of names) {
    const { pkg, version, bin } = RUNTIMES[name];
    const dir = join(RUNTIMES_DIR, name);
    const path = join(dir, 'node_modules', '.bin', bin);
    try {
      if (!(existsSync(path) && installedVersion(dir, pkg) === version)) {
        const t0 = Date.now();
        // --prefix: a folder of its own per runtime (two versions of `node` cannot share one).
        execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${version}`],
          { stdio: ['ignore', 'ignore', 'inherit'] });
        if (!existsSync(path)) throw new Error(`npm install ${pkg}@${version} left no ${path}`);
        log(`installed ${name}: ${pkg}@${version} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      bins[name] = path;
    } catch (e) {
      errors[name] = e instanceof Error ? e.message : String(e);
    }
  }
  return { bins, errors };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { bins, errors } = installRuntimes();
  for (const [name, path] of Object.entries(bins)) console.log(`${name}: ${path}`);
  for (const [name, message] of Object.entries(errors)) console.log(`${name}: FAILED ${message}`);
  process.exitCode = Object.keys(errors).length === 0 ? 0 : 1;
  console.log(existsSync(CHROMIUM) ? `chromium: ${CHROMIUM}` : `chromium: missing (apt-get install -y chromium)`);
}

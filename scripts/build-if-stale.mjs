#!/usr/bin/env node
// npm's pretest, prestart and prebench: build the wasm (build/) and the JavaScript (dist/) only when
// they are missing or older than what they are built from, so that `npm ci && npm start` and
// `npm test` work on a fresh clone without a `prepare` script (which a packed tarball would carry
// to its consumers, who have no AssemblyScript to run it), and cost ~50 ms when the build is fresh.
//   node scripts/build-if-stale.mjs            build if stale (prints why), else print nothing
//   node scripts/build-if-stale.mjs --check    exit 1 if stale, 0 if fresh; build nothing
// Staleness is by modification time: the oldest output against the newest input. Folders count as
// inputs too (a folder's mtime changes when a file in it is added, removed or renamed), so deleting
// a source file also makes the build stale. `npm pack` (prepack) always builds from scratch.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What the build reads: sources, their configs, and the lock file that pins the compilers. */
export const INPUTS = ['assembly', 'src', 'asconfig.json', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** What `npm run build` writes last in each of its steps (asc per target, then tsc). */
export const OUTPUTS = [
  'build/kerasm.simd.wasm',
  'build/kerasm.relaxed.wasm',
  'build/kerasm.threads.wasm',
  'build/kerasm.threads-relaxed.wasm',
  'dist/index.js',
  'dist/index.d.ts',
];

function mtimeOrNull(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest file or folder under `path` (itself included): { path, mtime } or null if absent. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return null;
  }
  let best = { path, mtime: stat.mtimeMs };
  if (stat.isDirectory()) {
    for (const name of readdirSync(path)) {
      const found = newest(join(path, name));
      if (found !== null && found.mtime > best.mtime) best = found;
    }
  }
  return best;
}

/**
 * Why the build in `root` is stale, as a sentence, or null when it is fresh.
 * @param {string} [root] the project folder
 */
export function staleReason(root = ROOT) {
  let oldest = null;
  for (const out of OUTPUTS) {
    const mtime = mtimeOrNull(join(root, out));
    if (mtime === null) return `${out} is missing`;
    if (oldest === null || mtime < oldest.mtime) oldest = { path: out, mtime };
  }
  for (const input of INPUTS) {
    const found = newest(join(root, input));
    if (found !== null && found.mtime > oldest.mtime) {
      return `${relative(root, found.path)} is newer than ${oldest.path}`;
    }
  }
  return null;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reason = staleReason();
  if (process.argv.includes('--check')) {
    console.log(reason === null ? 'build is fresh' : `build is stale: ${reason}`);
    process.exitCode = reason === null ? 0 : 1;
  } else if (reason !== null) {
    console.log(`kerasm: building (${reason}): npm run build`);
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    if (r.status !== 0) {
      console.error(`kerasm: npm run build failed (exit ${r.status ?? r.signal})`);
      process.exit(r.status ?? 1);
    }
    console.log(`kerasm: built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

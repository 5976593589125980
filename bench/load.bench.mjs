// Load test of the serving example (examples/serve.mjs) and its TF.js `wasm` twin
// (bench/serve-tfjs.mjs): the seed MLP and the simple convnet (examples/convnet.mjs), saved with
// model.save to a temporary folder, each served by a child process on one thread, pinned to one
// core when taskset exists; autocannon drives it from this process (pinned to the other core),
// on 127.0.0.1 only. Every run is bounded in count and in time.
//   npm run bench:load        (= node bench/load.bench.mjs; after npm run build)
//   node bench/load.bench.mjs [--quick] [--json] [--models mlp,convnet] [--engines kerasm,tfjs-wasm]
// At concurrency 1, 16 and 256 (one instance per request, TF Serving's {"instances": [x]} body):
// requests/s, p50/p99 latency (autocannon), event-loop delay p99 (the server's
// monitorEventLoopDelay, through GET /stats), errors (connection errors, timeouts, non-2xx) and
// bodies that differ from the single request's answer (autocannon's expectBody), the server's RSS
// (/proc) after the run, and for the long run at 256 its RSS after the first 10,000 requests too.
// The queue holds 256 rows: one per connection, so a full queue (503) cannot happen.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const quick = argv.includes('--quick');
const MODELS = opt('models', 'mlp,convnet').split(',');
const ENGINES = opt('engines', 'kerasm,tfjs-wasm').split(',');
// [concurrency, requests, cap in seconds]
const RUNS = quick ? [[1, 1000, 10], [16, 2000, 10], [256, 10000, 30]] : [[1, 5000, 30], [16, 20000, 30], [256, 100000, 150]];
const WARMUP = quick ? 500 : 2000;
const RSS_MARK = 10000;
const root = new URL('..', import.meta.url);
const SERVERS = { kerasm: 'examples/serve.mjs', 'tfjs-wasm': 'bench/serve-tfjs.mjs' };
const SHAPES = { mlp: [784], convnet: [28, 28, 1] };

/** The seed MLP (examples/main.mjs) and the convnet, initialized with seed 42, saved under `dir`. */
async function saveModels(dir) {
  const km = await import('../dist/index.js');
  const { simpleConvnet } = await import('../examples/convnet.mjs');
  await km.ready({ threads: 1 });
  km.setSeed(42);
  const mlp = km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  mlp.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  await mlp.save(`file://${join(dir, 'mlp')}`);
  await simpleConvnet(km).save(`file://${join(dir, 'convnet')}`);
}

/** One instance of the model's shape, MNIST-like values in [0, 1), as nested lists. */
function instance(shape, seed) {
  let s = seed >>> 0;
  const next = () => Math.fround(((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32));
  const build = (axis) => Array.from({ length: shape[axis] }, () => (axis === shape.length - 1 ? next() : build(axis + 1)));
  return build(0);
}

const pin = (cpu) => (spawnSync('taskset', ['--version']).status === 0 ? ['taskset', ['-c', String(cpu)]] : null);
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

/** Start a server child on a free port; resolves to { url, pid, kill }. */
function startServer(engine, dir) {
  const args = [SERVERS[engine], dir, '--port', '0', '--max-queue', '256'];
  const p = pin(1);
  const child = p === null ? spawn(process.execPath, args, { cwd: root }) : spawn(p[0], [...p[1], process.execPath, ...args], { cwd: root });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving .* on (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], pid: child.pid, kill: () => new Promise((r) => child.once('exit', r).kill('SIGTERM')) });
    });
    child.once('exit', (code) => reject(new Error(`${engine} server exited (${code}): ${err}`)));
  });
}

const getJson = async (url) => (await fetch(url)).json();

/** One bounded autocannon run; returns its figures. */
function load(url, body, expectBody, connections, amount, capSeconds, pid) {
  return new Promise((resolve, reject) => {
    let responses = 0;
    let rssAtMark = null;
    const inst = autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections, amount, timeout: 20, expectBody }, (e, r) => {
      clearTimeout(cap);
      if (e) return reject(e);
      resolve({ r, rssAtMark });
    });
    inst.on('response', () => {
      if (++responses === RSS_MARK) rssAtMark = rssMiB(pid);
    });
    const cap = setTimeout(() => inst.stop(), capSeconds * 1000);
  });
}

async function runEngine(engine, model, dir) {
  const server = await startServer(engine, join(dir, model));
  const rows = [];
  try {
    const base = server.url.replace(/\/v1\/.*/, '');
    const body = JSON.stringify({ instances: [instance(SHAPES[model], 7)] });
    const single = await (await fetch(server.url, { method: 'POST', body })).text();
    const info = await getJson(server.url.replace(/:predict$/, ''));
    await load(server.url, body, single, 16, WARMUP, 30, server.pid);
    for (const [c, amount, cap] of RUNS) {
      await getJson(`${base}/stats?reset=1`);
      const t0 = performance.now();
      const { r, rssAtMark } = await load(server.url, body, single, c, amount, cap, server.pid);
      const seconds = (performance.now() - t0) / 1000;
      const s = await getJson(`${base}/stats`);
      const done = r['2xx'] + r.non2xx;
      rows.push({
        kind: 'load', model, engine: info.engine, concurrency: c, requests: done, asked: amount, seconds,
        rps: done / r.duration, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
        eventLoopDelayP99Ms: s.eventLoopDelayMs.p99, eventLoopDelayMaxMs: s.eventLoopDelayMs.max,
        errors: r.errors + r.timeouts + r.non2xx, mismatches: r.mismatches, rssMiB: rssMiB(server.pid), rssAt10kMiB: rssAtMark,
        rowsPerCall: s.batching.meanRowsPerCall, maxBatch: info.maxBatch, maxCallMs: s.batching.maxCallMs, maxQueuedRows: s.batching.maxQueuedRows,
      });
      console.error(`  ${model} ${engine} c=${c}: ${done} requests in ${r.duration.toFixed(1)} s`);
    }
  } finally {
    await server.kill();
  }
  return rows;
}

const f = (v, d = 0) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function print(rows) {
  console.log(`Load test: ${RUNS.map(([c, n]) => `${f(n)} requests at concurrency ${c}`).join(', ')}; Node ${process.version}`);
  console.log('| model | server | conc. | requests | req/s | p50 ms | p99 ms | loop delay p99 ms | errors | mismatches | rows/call | RSS MiB (at 10k) |');
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const rss = r.rssAt10kMiB === null ? f(r.rssMiB) : `${f(r.rssMiB)} (${f(r.rssAt10kMiB)}, ${f((r.rssMiB / r.rssAt10kMiB - 1) * 100, 1)} %)`;
    console.log(`| ${r.model} | ${r.engine} | ${r.concurrency} | ${f(r.requests)} | ${f(r.rps)} | ${f(r.p50Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.eventLoopDelayP99Ms, 2)} | ${r.errors} | ${r.mismatches} | ${f(r.rowsPerCall, 1)} | ${rss} |`);
  }
}

async function main() {
  const me = pin(0);
  if (me !== null) spawnSync(me[0], ['-p', '-c', '0', String(process.pid)]);
  const dir = mkdtempSync(join(tmpdir(), 'kerasm-serve-'));
  try {
    await saveModels(dir);
    const rows = [];
    for (const model of MODELS) for (const engine of ENGINES) rows.push(...(await runEngine(engine, model, dir)));
    print(rows);
    if (argv.includes('--json')) for (const r of rows) console.log(JSON.stringify(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

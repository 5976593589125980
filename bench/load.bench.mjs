// Load test of the serving example (examples/serve.mjs) and its TF.js `wasm` twin
// (bench/serve-tfjs.mjs): the seed MLP and the simple convnet (examples/convnet.mjs), saved with
// model.save to a temporary folder, each served by a child process on one thread, pinned to one
// core when taskset exists; autocannon drives it from this process (pinned to the other core),
// on 127.0.0.1 only. Every run is bounded in count and in time.
//   npm run bench:load        (= node bench/load.bench.mjs; after npm run build)
//   node bench/load.bench.mjs [--quick] [--json] [--models mlp,convnet] [--engines kerasm,tfjs-wasm]
// At concurrency 1, 16 and 256 (one instance per request, TF Serving's {"instances": [x]} body, x a
// real MNIST digit as the mnist package ships its numbers, nested for the convnet):
// requests/s, p50/p99 latency (autocannon), event-loop delay p99 (the server's
// monitorEventLoopDelay, through GET /stats), errors (connection errors, timeouts, non-2xx) and
// bodies that differ from the single request's answer (autocannon's expectBody), the server's RSS
// (/proc) after the run, and for the long run at 256 its RSS every 10,000 requests too.
// The queue holds 256 rows: one per connection, so a full queue (503) cannot happen.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
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
// Before each measured run, a fifth of its count at its concurrency (at most 20,000): the first
// ~20,000 requests at 256 raise the server's RSS by ~15 % (V8's heap growing to its working size),
// flat after that (sampled every 10,000 up to 150,000); the RSS criterion is about the steady state.
const warmupOf = (amount) => Math.min(20000, Math.round(amount / 5));
const RSS_EVERY = 10000;
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

/** A real MNIST digit (the mnist package's first 3, its numbers as shipped) as one instance of `shape`. */
function digit(shape) {
  const flat = createRequire(import.meta.url)('mnist/src/digits/3.json').data.slice(0, 784);
  const nest = (axis, offset) => {
    if (axis === shape.length - 1) return flat.slice(offset, offset + shape[axis]);
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: shape[axis] }, (_, i) => nest(axis + 1, offset + i * stride));
  };
  return nest(0, 0);
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

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * One bounded autocannon run (`amount` requests, stopped after `capSeconds` at the latest);
 * latencies from its per-response times (float ms: its own histogram keeps whole ms).
 */
function load(url, body, expectBody, connections, amount, capSeconds, pid) {
  return new Promise((resolve, reject) => {
    const latency = new Float64Array(amount);
    let n = 0;
    const rssSeries = [];
    let last = 0;
    const t0 = performance.now();
    const inst = autocannon({ url, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections, amount, timeout: 20, expectBody }, (e, r) => {
      clearTimeout(cap);
      if (e) return reject(e);
      const sorted = latency.subarray(0, n).sort();
      resolve({ r, rssSeries, seconds: (last - t0) / 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
    });
    inst.on('response', (client, status, bytes, ms) => {
      if (n < amount) latency[n++] = ms;
      last = performance.now();
      if (n % RSS_EVERY === 0) rssSeries.push(rssMiB(pid));
    });
    const cap = setTimeout(() => inst.stop(), capSeconds * 1000);
  });
}

async function runEngine(engine, model, dir) {
  const server = await startServer(engine, join(dir, model));
  const rows = [];
  try {
    const base = server.url.replace(/\/v1\/.*/, '');
    const body = JSON.stringify({ instances: [digit(SHAPES[model])] });
    const single = await (await fetch(server.url, { method: 'POST', body })).text();
    const info = await getJson(server.url.replace(/:predict$/, ''));
    for (const [c, amount, cap] of RUNS) {
      await load(server.url, body, single, c, warmupOf(amount), cap, server.pid);
      await getJson(`${base}/stats?reset=1`);
      const { r, rssSeries, seconds, p50, p99 } = await load(server.url, body, single, c, amount, cap, server.pid);
      const s = await getJson(`${base}/stats`);
      const done = r['2xx'] + r.non2xx;
      rows.push({
        kind: 'load', model, engine: info.engine, concurrency: c, requests: done, asked: amount, seconds, bodyBytes: body.length,
        rps: done / seconds, p50Ms: p50, p99Ms: p99,
        eventLoopDelayP99Ms: s.eventLoopDelayMs.p99, eventLoopDelayMaxMs: s.eventLoopDelayMs.max,
        errors: r.errors + r.timeouts + r.non2xx, mismatches: r.mismatches, rssMiB: rssMiB(server.pid), rssAt10kMiB: rssSeries.length > 1 ? rssSeries[0] : null, rssSeriesMiB: rssSeries.map(Math.round),
        rowsPerCall: s.batching.meanRowsPerCall, maxBatch: info.maxBatch, maxCallMs: s.batching.maxCallMs, maxQueuedRows: s.batching.maxQueuedRows,
      });
      console.error(`  ${model} ${engine} c=${c}: ${done} requests in ${seconds.toFixed(1)} s`);
    }
  } finally {
    await server.kill();
  }
  return rows;
}

const f = (v, d = 0) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function print(rows) {
  const bodies = [...new Map(rows.map((r) => [r.model, r.bodyBytes]))].map(([m, b]) => `${m} ${f(b)} B`).join(', ');
  console.log(`Load test: ${RUNS.map(([c, n]) => `${f(n)} requests at concurrency ${c}`).join(', ')}; bodies ${bodies}; Node ${process.version}`);
  console.log('| model | server | conc. | requests | req/s | p50 ms | p99 ms | loop delay p99 ms | errors | mismatches | rows/call | RSS MiB (at 10k) |');
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    const rss = r.rssAt10kMiB === null ? f(r.rssMiB) : `${f(r.rssMiB)} (${f(r.rssAt10kMiB)}: ${r.rssMiB >= r.rssAt10kMiB ? '+' : ''}${f((r.rssMiB / r.rssAt10kMiB - 1) * 100, 1)} %)`;
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
    for (const r of rows.filter((x) => x.rssSeriesMiB.length > 1)) console.log(`RSS every 10,000 requests, ${r.model} ${r.engine} at ${r.concurrency}: ${r.rssSeriesMiB.join(' ')} MiB`);
    if (argv.includes('--json')) for (const r of rows) console.log(JSON.stringify(r));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

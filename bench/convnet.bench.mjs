// The Keras "simple MNIST convnet" (examples/convnet.mjs: conv 32 3×3 relu, max-pool 2, conv 64 3×3
// relu, max-pool 2, flatten, dropout 0.5, dense 10 softmax; adam, batch 64) against TF.js 4.22, one
// run (issue 15's targets). Random 28×28×1 inputs and one-hot labels: speed does not depend on the digits.
//   node bench/convnet.bench.mjs [--quick] [--cpu-batches 3] [--epochs 5]     (after `npm run build`)
// The parent spawns one child per kerasm build (the relaxed one with --experimental-wasm-relaxed-simd
// on Node 20) and measures the FMA peak (DESIGN.md) in a child of its own at the start and at the end:
// - simd child: kerasm training (epochs of 2,048 samples) interleaved with TF.js `cpu` training
//   (whole batches of 64 after a warm-up batch: it trains ~2 samples/s); predict at batch 256 and
//   batch-1 latency, kerasm and TF.js `wasm` / `cpu` alternating round by round; TF.js `wasm`
//   training tried and its error recorded (tensorflow/tfjs#8474); each convolution pass alone;
// - PyTorch (python3-torch, informational), one thread, when /usr/bin/python3 can import torch;
// - relaxed child: the same for kerasm only; threads child: one and two threads alternating epoch by
//   epoch in one process (km.setThreads), so load on this shared machine hits both alike.
// Each convolution pass is timed alone, single-threaded, through src/backend/conv.ts (dist/) on a
// second instance of the same build, packing included. FLOPs follow DESIGN.md: 2·M·N·K per GEMM;
// a training step counts the forward, every weight gradient and every input gradient but the
// first layer's. Every "% of peak" uses the one peak of this run (median of start and end).
// Child processes print JSON lines; the parent prints the tables (and the rows as JSON with --json).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { convnetLayers } from '../examples/convnet.mjs';
import { hasRelaxed, loadBuild, measurePeak, median } from './wasm.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const quick = argv.includes('--quick');
const EPOCHS = Number(opt('epochs', quick ? 2 : 5));
const CPU_BATCHES = Number(opt('cpu-batches', quick ? 1 : 3));
const BATCH = 64;
const EPOCH_SAMPLES = 2048;
const ROUNDS = quick ? 3 : 7;

/**
 * The convnet's GEMMs at `batch` samples: M (output pixels or samples) × N (outputs) × K (patch
 * length or inputs). Pooling, dropout, softmax and the optimizer are not GEMMs and count nothing.
 */
function gemms(batch) {
  return [
    { layer: 'conv2d (28×28×1 → 26×26×32)', M: batch * 26 * 26, N: 32, K: 9, first: true },
    { layer: 'conv2d_1 (13×13×32 → 11×11×64)', M: batch * 11 * 11, N: 64, K: 288, first: false },
    { layer: 'dense (1600 → 10)', M: batch, N: 10, K: 1600, first: false },
  ];
}
const trainFlops = (batch) => gemms(batch).reduce((s, g) => s + 2 * g.M * g.N * g.K * (g.first ? 2 : 3), 0);
const predictFlops = (batch) => gemms(batch).reduce((s, g) => s + 2 * g.M * g.N * g.K, 0);

// ---------------------------------------------------------------------------------------------
// Children

function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function data(n, seed) {
  const r = random(seed);
  const x = new Float32Array(n * 784).map(() => r());
  const y = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) y[i * 10 + Math.floor(r() * 10)] = 1;
  return { x, y };
}

async function runChild(build) {
  const km = await import('../dist/index.js');
  const { simpleConvnet } = await import('../examples/convnet.mjs');
  const withTf = argv.includes('--tfjs');
  const emit = (row) => console.log(JSON.stringify({ build, ...row }));
  await km.ready({ build, threads: build === 'threads' ? 2 : 1 });
  km.setSeed(1);
  const d = data(EPOCH_SAMPLES, 7);
  const kx = km.tensor(d.x, [EPOCH_SAMPLES, 28, 28, 1]);
  const ky = km.tensor(d.y, [EPOCH_SAMPLES, 10]);
  const model = simpleConvnet(km);
  const kmEpoch = () => model.fit(kx, ky, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const tf = withTf ? await loadTf() : null;

  // Training. threads: ×1 and ×2 alternate epoch by epoch; simd: kerasm epochs interleaved with TF.js cpu batches.
  const threadCounts = build === 'threads' ? [1, 2] : [1];
  const kmTimes = threadCounts.map(() => []);
  let cpu = null;
  if (tf) {
    await tf.setBackend('cpu');
    cpu = { model: tfConvnet(tf), x: tf.tensor4d(d.x.subarray(0, BATCH * 784), [BATCH, 28, 28, 1]), y: tf.tensor2d(d.y.subarray(0, BATCH * 10), [BATCH, 10]), times: [] };
  }
  const cpuBatch = () => cpu.model.fit(cpu.x, cpu.y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  for (let round = 0; round <= Math.max(EPOCHS, cpu ? CPU_BATCHES : 0); round++) {
    if (round <= EPOCHS) {
      for (const [i, n] of threadCounts.entries()) {
        if (build === 'threads') await km.setThreads(n);
        const t = performance.now();
        await kmEpoch();
        if (round > 0) kmTimes[i].push((performance.now() - t) / 1000);
      }
    }
    if (cpu && round <= CPU_BATCHES) {
      const t = performance.now();
      await cpuBatch();
      if (round > 0) cpu.times.push((performance.now() - t) / 1000);
      process.stderr.write(`TF.js cpu batch ${round}: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    }
  }
  threadCounts.forEach((n, i) => {
    const sec = median(kmTimes[i]);
    emit({ kind: 'train', lib: 'kerasm', threads: n, samplesPerSec: EPOCH_SAMPLES / sec, gflops: (trainFlops(BATCH) * (EPOCH_SAMPLES / BATCH)) / sec / 1e9, epochs: kmTimes[i].length });
  });
  if (cpu) emit({ kind: 'train', lib: 'tfjs-cpu', threads: 1, samplesPerSec: BATCH / median(cpu.times), batches: cpu.times.length });
  if (tf) emit({ kind: 'train-error', lib: 'tfjs-wasm', message: await wasmTrainingError(tf, d) });

  // Predict: batch-256 throughput and batch-1 latency, libraries alternating round by round.
  for (const n of threadCounts) {
    if (build === 'threads') await km.setThreads(n);
    const contenders = [{ lib: 'kerasm', threads: n, predict: kmPredictor(km, model, d) }];
    if (tf && n === 1) for (const backend of ['wasm', 'cpu']) contenders.push({ lib: `tfjs-${backend}`, threads: 1, predict: await tfPredictor(tf, backend, d) });
    for (const r of await timePredict(tf, contenders)) emit({ kind: 'predict', ...r });
  }
  if (build !== 'threads') for (const r of await convPasses(build)) emit({ kind: 'pass', ...r });
  model.dispose();
  emit({ kind: 'rss', withTf, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
  await km.shutdown();
}

async function loadTf() {
  const tf = await import('@tensorflow/tfjs');
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
  await tf.setBackend('wasm');
  await tf.ready();
  return tf;
}

/** The same convnet in TF.js (examples/convnet.mjs's layers; Keras's default Adam, lr 0.001). */
function tfConvnet(tf) {
  const m = tf.sequential({ layers: convnetLayers(tf) });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** TF.js `wasm` cannot train a convnet (tensorflow/tfjs#8474): one batch, its error kept as the result. */
async function wasmTrainingError(tf, d) {
  await tf.setBackend('wasm');
  const m = tfConvnet(tf);
  const x = tf.tensor4d(d.x.subarray(0, BATCH * 784), [BATCH, 28, 28, 1]);
  const y = tf.tensor2d(d.y.subarray(0, BATCH * 10), [BATCH, 10]);
  try {
    await m.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    return null;
  } catch (e) {
    return String(e?.message ?? e);
  } finally {
    x.dispose();
    y.dispose();
  }
}

function kmPredictor(km, model, d) {
  const x256 = km.tensor(d.x.subarray(0, 256 * 784), [256, 28, 28, 1]);
  const x1 = km.tensor(d.x.subarray(0, 784), [1, 28, 28, 1]);
  return { b256: () => model.predict(x256, { batchSize: 256 }), b1: () => model.predict(x1) };
}

async function tfPredictor(tf, backend, d) {
  await tf.setBackend(backend);
  const m = tfConvnet(tf);
  const x256 = tf.tensor4d(d.x.subarray(0, 256 * 784), [256, 28, 28, 1]);
  const x1 = tf.tensor4d(d.x.subarray(0, 784), [1, 28, 28, 1]);
  const run = (x) => {
    const y = m.predict(x, { batchSize: 256 });
    y.dataSync();
    y.dispose();
  };
  return { backend, b256: () => run(x256), b1: () => run(x1) };
}

/** Calls per round: about 100–300 ms of each library per round (TF.js cpu: one call of ~2 s at 256). */
const REPS = { kerasm: { b256: 5, b1: 200 }, 'tfjs-wasm': { b256: 2, b1: 100 }, 'tfjs-cpu': { b256: 1, b1: 20 } };

async function timePredict(tf, contenders) {
  const rounds = (lib) => (lib === 'tfjs-cpu' ? Math.min(3, ROUNDS) : ROUNDS);
  const times = contenders.map(() => ({ b256: [], b1: [] }));
  for (const c of contenders) {
    if (c.predict.backend) await tf.setBackend(c.predict.backend);
    c.predict.b256();
    for (let i = 0; i < 10; i++) c.predict.b1();
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of contenders.entries()) {
      if (r >= rounds(c.lib)) continue;
      if (c.predict.backend) await tf.setBackend(c.predict.backend);
      for (const size of ['b256', 'b1']) {
        const reps = REPS[c.lib][size];
        const t = performance.now();
        for (let j = 0; j < reps; j++) c.predict[size]();
        times[i][size].push((performance.now() - t) / reps / 1000);
      }
    }
  }
  return contenders.map((c, i) => ({
    lib: c.lib,
    threads: c.threads,
    throughput256: 256 / median(times[i].b256),
    gflops256: predictFlops(256) / median(times[i].b256) / 1e9,
    latency1Us: median(times[i].b1) * 1e6,
    rounds: times[i].b1.length,
  }));
}

/**
 * Each convolution pass of one training step (batch 64) alone, one thread, through conv.ts on a
 * fresh instance of the build: conv2d forward and filter gradient (no input gradient: first
 * layer), conv2d_1 forward, input and filter gradient. Interleaved rounds; medians.
 */
async function convPasses(build) {
  const { conv2dBackwardFilter, conv2dBackwardInput, conv2dForward, conv2dWorkspaceBytes, convGeometry } = await import('../dist/backend/conv.js');
  const raw = loadBuild(build);
  const { k, memory, alloc, f32 } = raw;
  let i32 = new Int32Array(memory.buffer);
  const b = { k, arena: { refresh() { if (i32.buffer !== memory.buffer) i32 = new Int32Array(memory.buffer); }, get i32() { return i32; } } };
  const layers = [
    { name: 'conv2d', g: convGeometry({ batch: BATCH, inH: 28, inW: 28, cin: 1, kh: 3, kw: 3, cout: 32, padding: 'valid' }), first: true },
    { name: 'conv2d_1', g: convGeometry({ batch: BATCH, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, cout: 64, padding: 'valid' }), first: false },
  ];
  const passes = [];
  for (const { name, g, first } of layers) {
    const M = g.batch * g.outH * g.outW;
    const K = g.kh * g.kw * g.cin;
    const x = alloc(g.batch * g.inH * g.inW * g.cin * 4);
    const w = alloc(K * g.cout * 4);
    const bias = alloc(g.cout * 4);
    const y = alloc(M * g.cout * 4);
    const dy = alloc(M * g.cout * 4);
    const dx = alloc(g.batch * g.inH * g.inW * g.cin * 4);
    const dw = alloc(K * g.cout * 4);
    const ws = alloc(conv2dWorkspaceBytes(k, g));
    const mem = f32();
    for (let i = x >> 2; i < (ws >> 2); i++) mem[i] = Math.random() - 0.5;
    const flops = 2 * M * g.cout * K;
    const shape = `${M}×${g.cout}×${K}`;
    passes.push({ layer: name, pass: 'forward', shape, flops, fn: () => conv2dForward(b, g, x, w, bias, y, ws, [0, Infinity]) });
    if (!first) passes.push({ layer: name, pass: 'input gradient', shape, flops, fn: () => conv2dBackwardInput(b, g, dy, w, dx, ws) });
    passes.push({ layer: name, pass: 'filter gradient', shape, flops, fn: () => conv2dBackwardFilter(b, g, x, dy, dw, ws) });
  }
  const times = passes.map(() => []);
  for (const p of passes) for (let i = 0; i < 3; i++) p.fn();
  for (let r = 0; r < ROUNDS; r++) {
    passes.forEach((p, i) => {
      const reps = 10;
      const t = performance.now();
      for (let j = 0; j < reps; j++) p.fn();
      times[i].push((performance.now() - t) / reps / 1000);
    });
  }
  return passes.map(({ layer, pass, shape, flops }, i) => {
    const sec = median(times[i]);
    return { layer, pass, shape, ms: sec * 1e3, gflops: flops / sec / 1e9 };
  });
}

// ---------------------------------------------------------------------------------------------
// Parent

function runParent() {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const major = Number(process.versions.node.split('.')[0]);
  const relaxedFlag = major < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
  const passOn = argv.filter((a) => a !== '--json');
  const child = (args, nodeFlags = []) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [...nodeFlags, fileURLToPath(import.meta.url), ...args, ...passOn], { cwd: `${here}..`, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    if (r.status !== 0) throw new Error(`bench child failed: ${args.join(' ')} (exit ${r.status})`);
    process.stderr.write(`child ${args.join(' ')}: ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
    return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  };
  if (!hasRelaxed() && relaxedFlag.length === 0) throw new Error('this runtime has no relaxed SIMD: the FMA peak cannot be measured');
  const t0 = performance.now();
  const peakStart = child(['--child', 'peak'], relaxedFlag)[0].gflops;
  const rows = [
    ...child(['--child', 'simd', '--tfjs']),
    ...child(['--child', 'relaxed'], relaxedFlag),
    ...child(['--child', 'threads']),
    ...torchRows(),
  ];
  const peakEnd = child(['--child', 'peak'], relaxedFlag)[0].gflops;
  const peak = median([peakStart, peakEnd]);
  report(rows, { peak, peakStart, peakEnd, seconds: (performance.now() - t0) / 1000 });
  if (argv.includes('--json')) console.log(JSON.stringify({ peak, peakStart, peakEnd, rows }));
}

/**
 * Informational: the same convnet in PyTorch (Debian's python3-torch, /usr/bin/python3), one
 * thread, NCHW (its native layout), random data, batch 64, Adam; epochs and predict rounds as
 * kerasm's. No rows when torch cannot be imported.
 */
function torchRows() {
  const py = `
import json, time, statistics, torch
from torch import nn
torch.set_num_threads(1)
torch.manual_seed(1)
m = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                  nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
loss = nn.CrossEntropyLoss()
x = torch.rand(${EPOCH_SAMPLES}, 1, 28, 28)
y = torch.randint(0, 10, (${EPOCH_SAMPLES},))
def epoch():
    m.train()
    for i in range(0, ${EPOCH_SAMPLES}, ${BATCH}):
        opt.zero_grad()
        loss(m(x[i:i + ${BATCH}]), y[i:i + ${BATCH}]).backward()
        opt.step()
times = []
for e in range(${EPOCHS} + 1):
    t = time.perf_counter(); epoch(); times.append(time.perf_counter() - t)
sec = statistics.median(times[1:])
print(json.dumps({'kind': 'train', 'lib': 'pytorch', 'build': 'torch ' + torch.__version__, 'threads': 1, 'samplesPerSec': ${EPOCH_SAMPLES} / sec, 'gflops': ${trainFlops(BATCH)} * ${EPOCH_SAMPLES / BATCH} / sec / 1e9}))
m.eval()
b256, b1 = [], []
with torch.no_grad():
    for r in range(${ROUNDS} + 1):
        t = time.perf_counter()
        for j in range(5): m(x[:256])
        b256.append((time.perf_counter() - t) / 5)
        t = time.perf_counter()
        for j in range(200): m(x[:1])
        b1.append((time.perf_counter() - t) / 200)
s256 = statistics.median(b256[1:])
print(json.dumps({'kind': 'predict', 'lib': 'pytorch', 'build': 'torch', 'threads': 1, 'throughput256': 256 / s256,
                  'gflops256': ${predictFlops(256)} / s256 / 1e9, 'latency1Us': statistics.median(b1[1:]) * 1e6}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`PyTorch row skipped: ${(r.stderr || String(r.error)).trim().split('\n').pop()}\n`);
    return [];
  }
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

function report(rows, { peak, peakStart, peakEnd, seconds }) {
  const fmt = (v, dec = 0) => v.toLocaleString('en-US', { maximumFractionDigits: dec, minimumFractionDigits: dec });
  const pct = (g) => `${fmt((100 * g) / peak)}%`;
  const find = (kind, lib, build, threads = 1) => rows.find((r) => r.kind === kind && r.lib === lib && (build === null || r.build === build) && r.threads === threads);
  const label = (r) => (r.lib === 'pytorch' ? 'PyTorch ×1 (info)' : r.lib === 'kerasm' ? `kerasm ${r.build}${r.build === 'threads' ? ` ×${r.threads}` : ''}` : r.lib.replace('tfjs-', 'TF.js '));
  console.log(`Simple MNIST convnet bench — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${fmt(seconds)} s`);
  console.log(`FMA peak (12 relaxed_madd chains, 1 core): ${fmt(peak, 1)} GFLOP/s (${fmt(peakStart, 1)} at the start, ${fmt(peakEnd, 1)} at the end)`);
  console.log(`FLOPs by DESIGN.md's rule: ${fmt(trainFlops(1) / 1e6, 2)} MFLOP per training sample, ${fmt(predictFlops(1) / 1e6, 2)} per prediction`);

  const tc = find('train', 'tfjs-cpu', 'simd');
  console.log(`\nTraining, batch ${BATCH} (kerasm: median of ${EPOCHS} epochs of ${EPOCH_SAMPLES} samples after a warm-up; TF.js cpu: median of ${tc?.batches ?? 0} batches after a warm-up batch):`);
  console.log('library                 samples/s   GFLOP/s   % peak   vs TF.js cpu');
  const trains = [['simd', 1], ['relaxed', 1], ['threads', 1], ['threads', 2]].map(([b, n]) => find('train', 'kerasm', b, n)).filter(Boolean);
  for (const r of trains) {
    console.log(`${label(r).padEnd(22)} ${fmt(r.samplesPerSec).padStart(10)} ${fmt(r.gflops, 1).padStart(9)} ${pct(r.gflops).padStart(8)} ${(tc ? `${fmt(r.samplesPerSec / tc.samplesPerSec)}×` : '-').padStart(14)}`);
  }
  if (tc) console.log(`${'TF.js cpu'.padEnd(22)} ${fmt(tc.samplesPerSec, 2).padStart(10)}`);
  const pt = rows.find((r) => r.kind === 'train' && r.lib === 'pytorch');
  if (pt) console.log(`${'PyTorch ×1 (info)'.padEnd(22)} ${fmt(pt.samplesPerSec).padStart(10)} ${fmt(pt.gflops, 1).padStart(9)} ${pct(pt.gflops).padStart(8)}    (${pt.build}, native, NCHW)`);
  const err = rows.find((r) => r.kind === 'train-error');
  if (err) console.log(`${'TF.js wasm'.padEnd(22)} ${err.message === null ? 'trained (no error)' : `cannot train: ${err.message}`}`);
  const t1 = find('train', 'kerasm', 'threads', 1);
  const t2 = find('train', 'kerasm', 'threads', 2);
  if (t1 && t2) console.log(`two threads ÷ one (threads build, alternating epochs): ${fmt(t2.samplesPerSec / t1.samplesPerSec, 2)}×`);

  console.log(`\nPredict (median of rounds, libraries alternating; TF.js cpu: 3 rounds): throughput at batch 256, latency of 1 sample`);
  console.log('library                 samples/s   GFLOP/s   % peak   latency µs');
  const predicts = rows.filter((r) => r.kind === 'predict');
  for (const r of predicts) {
    console.log(`${label(r).padEnd(22)} ${fmt(r.throughput256).padStart(10)} ${fmt(r.gflops256, 1).padStart(9)} ${pct(r.gflops256).padStart(8)} ${fmt(r.latency1Us, 1).padStart(12)}`);
  }
  const kp = find('predict', 'kerasm', 'simd');
  const wp = find('predict', 'tfjs-wasm', 'simd');
  if (kp && wp) console.log(`kerasm simd vs TF.js wasm: throughput ${fmt(kp.throughput256 / wp.throughput256, 2)}×, latency ${fmt(kp.latency1Us / wp.latency1Us, 3)} of TF.js wasm's`);

  console.log(`\nConvolution passes of one training step (batch ${BATCH}), alone, one thread, packing included (M×N×K, 2·M·N·K flops):`);
  console.log('layer      pass               M×N×K            build        ms   GFLOP/s   % peak');
  for (const r of rows.filter((x) => x.kind === 'pass')) {
    console.log(`${r.layer.padEnd(10)} ${r.pass.padEnd(18)} ${r.shape.padEnd(16)} ${r.build.padEnd(8)} ${fmt(r.ms, 2).padStart(9)} ${fmt(r.gflops, 1).padStart(9)} ${pct(r.gflops).padStart(8)}`);
  }
  for (const build of ['simd', 'relaxed']) {
    const tr = find('train', 'kerasm', build);
    const passes = rows.filter((x) => x.kind === 'pass' && x.build === build);
    if (!tr || passes.length === 0) continue;
    const stepMs = (1000 * BATCH) / tr.samplesPerSec;
    const convMs = passes.reduce((s, p) => s + p.ms, 0);
    console.log(`${build}: training step ${fmt(stepMs, 2)} ms, of which the convolution passes alone ${fmt(convMs, 2)} ms (${fmt((100 * convMs) / stepMs)}%); the rest: pooling, ReLU/dropout masks, dense, loss, Adam, staging`);
  }
  console.log('\nPeak RSS of each child process (random data, not the mnist package):');
  for (const r of rows.filter((x) => x.kind === 'rss')) console.log(`${r.build.padEnd(8)} ${fmt(r.maxRssMiB).padStart(5)} MiB${r.withTf ? ' (kerasm and TF.js wasm + cpu in one process)' : ' (kerasm alone)'}`);
}

// Last, so that every constant above is initialized before a child's top-level await uses it.
const role = opt('child', null);
if (role === 'peak') {
  console.log(JSON.stringify({ kind: 'peak', gflops: measurePeak(loadBuild('relaxed')) }));
} else if (role !== null) {
  await runChild(role);
} else {
  runParent();
}

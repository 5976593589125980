// Convolution GFLOP/s per build next to the per-core FMA peak measured in the same run: the Keras
// "simple MNIST convnet"'s second convolution (batch 64, 13×13×32 → 11×11×64, 3×3 valid) through
// src/backend/conv.ts (dist/), packing included: forward (im2col + GEMM NN + bias/ReLU epilogue),
// input gradient (GEMM NT + col2im), filter gradient (im2col + GEMM TN). Each pass counts
// 2·M·N·K flops (M = 7744 output pixels, N = 64, K = 288), DESIGN.md's rule. The bare GEMMs of the
// same shapes on ready-made patches are shown too, so the cost of im2col/col2im is visible.
//   node --experimental-wasm-relaxed-simd bench/conv.bench.mjs      (Node 20; Node 22+ needs no flag)
//   options: --batch N (default 64), --chunk-mb X (patch chunk budget; default the library's),
//   --build simd|relaxed (one build only), --rounds R (default 5)
// The passes are timed in R interleaved rounds (each a Benchmark.js median) and the median round is
// reported, so a burst of load on a shared machine hits every pass alike; the peak is measured
// before and after and its median used.
import Benchmark from 'benchmark';
import { conv2dBackwardFilter, conv2dBackwardInput, conv2dForward, conv2dWorkspaceBytes, convChunkRows, convGeometry } from '../dist/backend/conv.js';
import { hasRelaxed, loadBuild, measurePeak, median } from './wasm.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const batch = arg('--batch', 64);
const chunkMb = arg('--chunk-mb', NaN);
const rounds = arg('--rounds', 5);
const only = process.argv.includes('--build') ? process.argv[process.argv.indexOf('--build') + 1] : null;
const builds = (hasRelaxed() ? ['simd', 'relaxed'] : ['simd']).filter((b) => only === null || b === only);
const loaded = Object.fromEntries(builds.map((b) => [b, loadBuild(b)]));
const peakBefore = loaded.relaxed ? measurePeak(loaded.relaxed) : NaN;
if (!loaded.relaxed) console.log('No relaxed SIMD in this runtime: the FMA peak and the relaxed build need Node 22+, or Node 20 with --experimental-wasm-relaxed-simd.');

const base = convGeometry({ batch, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, cout: 64, padding: 'valid' });
const g = Number.isNaN(chunkMb) ? base : { ...base, chunkBytes: Math.round(chunkMb * (1 << 20)) };
const M = g.batch * g.outH * g.outW;
const N = g.cout;
const K = g.kh * g.kw * g.cin;
const flops = 2 * M * N * K;

/** What conv.ts needs from a backend: the exports and a view of memory for the geometry block. */
function backendOf({ k, memory }) {
  let i32 = new Int32Array(memory.buffer);
  return { k, arena: { refresh() { if (i32.buffer !== memory.buffer) i32 = new Int32Array(memory.buffer); }, get i32() { return i32; } } };
}

function time(name, fn) {
  const bench = new Benchmark(name, fn, { minSamples: 5, maxTime: 0.4 });
  bench.run();
  return median(bench.stats.sample);
}

const setups = builds.map((build) => {
  const raw = loaded[build];
  const b = backendOf(raw);
  const { k, alloc, f32 } = raw;
  const x = alloc(g.batch * g.inH * g.inW * g.cin * 4);
  const w = alloc(K * N * 4);
  const bias = alloc(N * 4);
  const y = alloc(M * N * 4);
  const dy = alloc(M * N * 4);
  const dx = alloc(g.batch * g.inH * g.inW * g.cin * 4);
  const dw = alloc(K * N * 4);
  const patches = alloc(M * K * 4);
  const ws = alloc(conv2dWorkspaceBytes(k, g));
  const gws = alloc(Math.max(k.f32_gemm_workspace_bytes(M, N, K), k.f32_gemm_workspace_bytes(M, K, N), k.f32_gemm_workspace_bytes(K, N, M)));
  const mem = f32();
  for (let i = x >> 2; i < (patches >> 2) + M * K; i++) mem[i] = Math.random() - 0.5;
  const passes = [
    ['forward', () => conv2dForward(b, g, x, w, bias, y, ws, [0, Infinity])],
    ['input gradient', () => conv2dBackwardInput(b, g, dy, w, dx, ws)],
    ['filter gradient', () => conv2dBackwardFilter(b, g, x, dy, dw, ws)],
    ['  bare GEMM NN', () => k.f32_gemm_nn_minmax(M, N, K, patches, K, w, N, bias, 0, y, N, 0, Infinity, gws)],
    ['  bare GEMM NT', () => k.f32_gemm_nt_minmax(M, K, N, dy, N, w, N, 0, 0, patches, K, -Infinity, Infinity, gws)],
    ['  bare GEMM TN', () => k.f32_gemm_tn_minmax(K, N, M, patches, K, dy, N, 0, 0, dw, N, -Infinity, Infinity, gws)],
  ];
  for (const [, fn] of passes) fn();
  return { build, passes, times: passes.map(() => []) };
});
for (let r = 0; r < rounds; r++) {
  for (const s of setups) s.passes.forEach(([pass, fn], i) => s.times[i].push(time(`${pass} ${s.build}`, fn)));
}
const peakAfter = loaded.relaxed ? measurePeak(loaded.relaxed) : NaN;
const peak = median([peakBefore, peakAfter]);

console.log(`Node ${process.version}; FMA peak (12 relaxed_madd chains, 1 core): ${peak.toFixed(1)} GFLOP/s ` +
  `(${peakBefore.toFixed(1)} before, ${peakAfter.toFixed(1)} after)`);
console.log(`conv 13×13×32 → 11×11×64, 3×3 valid, batch ${batch}: M×N×K = ${M}×${N}×${K}, ${(flops / 1e6).toFixed(0)} MFLOP a pass; ` +
  `patch chunks of ${convChunkRows(g)} rows (${((convChunkRows(g) * K * 4) / (1 << 20)).toFixed(2)} MB); one thread; median of ${rounds} rounds`);
console.log('pass                      build      ms  GFLOP/s  % of peak');
const rows = [];
for (const s of setups) {
  s.passes.forEach(([pass], i) => {
    const seconds = median(s.times[i]);
    const gflops = flops / seconds / 1e9;
    rows.push({ pass: pass.trim(), build: s.build, ms: seconds * 1e3, gflops, pct: (100 * gflops) / peak });
    console.log(`${pass.padEnd(25)} ${s.build.padEnd(8)} ${(seconds * 1e3).toFixed(2).padStart(6)} ${gflops.toFixed(1).padStart(8)} ${((100 * gflops) / peak).toFixed(0).padStart(9)}%`);
  });
}
export { rows, peak };

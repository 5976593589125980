// GEMM GFLOP/s per build next to the per-core FMA peak measured in the same run.
//   node --experimental-wasm-relaxed-simd bench/gemm.bench.mjs      (Node 20; Node 22+ needs no flag)
import Benchmark from 'benchmark';
import { hasRelaxed, loadBuild, measurePeak, median } from './wasm.mjs';

const SHAPES = [[128, 784, 64], [256, 784, 512], [512, 512, 512], [1024, 1024, 1024]]; // M×K×N
const builds = hasRelaxed() ? ['simd', 'relaxed'] : ['simd'];
const loaded = Object.fromEntries(builds.map((b) => [b, loadBuild(b)]));
const peak = loaded.relaxed ? measurePeak(loaded.relaxed) : NaN;
if (!loaded.relaxed) console.log('No relaxed SIMD in this runtime: the FMA peak and the relaxed build need Node 22+, or Node 20 with --experimental-wasm-relaxed-simd (npm run bench:gemm passes it).');

console.log(`Node ${process.version}; FMA peak (12 relaxed_madd chains, 1 core): ${peak.toFixed(1)} GFLOP/s`);
console.log('variant  M×K×N            build     GFLOP/s  % of peak');
const rows = [];
for (const [M, K, N] of SHAPES) {
  for (const variant of ['nn', 'tn', 'nt']) {
    for (const build of builds) {
      const { k, alloc, f32 } = loaded[build];
      const a = alloc(M * K * 4);
      const b = alloc(K * N * 4);
      const c = alloc(M * N * 4);
      const ws = alloc(k.f32_gemm_workspace_bytes(M, N, K));
      const mem = f32();
      for (let i = a >> 2; i < (c >> 2) + M * N; i++) mem[i] = Math.random() - 0.5;
      const fn = k[`f32_gemm_${variant}_minmax`];
      const lda = variant === 'tn' ? M : K;
      const ldb = variant === 'nt' ? K : N;
      const bench = new Benchmark(`${variant} ${M}x${K}x${N} ${build}`, () => fn(M, N, K, a, lda, b, ldb, 0, 0, c, N, -Infinity, Infinity, ws), { minSamples: 7, maxTime: 1.5 });
      bench.run();
      const seconds = median(bench.stats.sample);
      const gflops = (2 * M * N * K) / seconds / 1e9;
      rows.push({ variant, shape: `${M}x${K}x${N}`, build, gflops, pct: (100 * gflops) / peak });
      console.log(`${variant.padEnd(8)} ${`${M}×${K}×${N}`.padEnd(16)} ${build.padEnd(8)} ${gflops.toFixed(1).padStart(8)} ${((100 * gflops) / peak).toFixed(0).padStart(9)}%`);
    }
  }
}
export { rows, peak };

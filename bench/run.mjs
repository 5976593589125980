// `npm run bench`: kerasm against TF.js 4.22 (wasm and cpu backends), each kerasm build in its
// own child process (the relaxed builds need --experimental-wasm-relaxed-simd on Node 20), TF.js
// measured in the same processes, alternating; peak RSS per library from separate processes;
// the FMA peak measured once for every "% of peak". Run after `npm run build`, on a quiet machine.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hasRelaxed, loadBuild, measurePeak } from './wasm.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
const relaxedFlag = major < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
const quick = process.argv.includes('--quick');

function child(args, nodeFlags = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, ...args], { cwd: here + '..', encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed: ${args.join(' ')}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const peakProc = spawnSync(process.execPath, [...relaxedFlag, '-e', `import('${here}wasm.mjs').then(w => console.log(w.measurePeak(w.loadBuild('relaxed'))))`], { encoding: 'utf8' });
const peak = Number(peakProc.stdout.trim());
const epochs = quick ? '2' : '5';
const rows = [
  ...child(['bench/train.bench.mjs', '--build', 'simd', '--epochs', epochs]),
  ...child(['bench/train.bench.mjs', '--build', 'relaxed', '--epochs', epochs, '--no-tfjs'], relaxedFlag),
  ...child(['bench/train.bench.mjs', '--build', 'threads', '--threads', '1', '--epochs', epochs, '--no-tfjs', '--only', 'train']),
  ...child(['bench/train.bench.mjs', '--build', 'threads', '--threads', '2', '--epochs', epochs, '--no-tfjs', '--only', 'train']),
];
const rss = ['kerasm', 'tfjs-wasm', 'tfjs-cpu'].flatMap((lib) => child(['bench/rss.mjs', lib]));

const fmt = (v, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`kerasm bench — Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; FMA peak ${fmt(peak, 1)} GFLOP/s (1 core, relaxed_madd)`);
console.log('\nTraining samples/s (median of epochs after a warm-up; TF.js from the simd process, same run):');
console.log('model/batch     kerasm build         samples/s   vs TF.js wasm   vs TF.js cpu   GFLOP/s   % peak');
for (const [model, batch] of [['seed', 32], ['seed', 256], ['wide', 128]]) {
  const pick = (lib, build, threads = 1) => rows.find((r) => r.kind === 'train' && r.model === model && r.batch === batch && r.lib === lib && r.build === build && r.threads === threads);
  const tw = pick('tfjs-wasm', 'simd');
  const tc = pick('tfjs-cpu', 'simd');
  for (const [build, threads] of [['simd', 1], ['relaxed', 1], ['threads', 1], ['threads', 2]]) {
    const r = pick('kerasm', build, threads);
    if (!r) continue;
    console.log(`${`${model} ${batch}`.padEnd(15)} ${`${build}${build === 'threads' ? ` ×${threads}` : ''}`.padEnd(20)} ${fmt(r.samplesPerSec).padStart(10)} ${(tw ? `${fmt(r.samplesPerSec / tw.samplesPerSec, 1)}×` : '-').padStart(14)} ${(tc ? `${fmt(r.samplesPerSec / tc.samplesPerSec, 1)}×` : '-').padStart(14)} ${fmt(r.gflops, 1).padStart(9)} ${fmt((100 * r.gflops) / peak).padStart(7)}%`);
  }
  if (tw) console.log(`${''.padEnd(15)} ${'TF.js wasm'.padEnd(20)} ${fmt(tw.samplesPerSec).padStart(10)}`);
  if (tc) console.log(`${''.padEnd(15)} ${'TF.js cpu'.padEnd(20)} ${fmt(tc.samplesPerSec).padStart(10)}`);
}
console.log('\nPredict (seed model): latency of 1 sample, throughput of 1,000:');
for (const r of rows.filter((x) => x.kind === 'predict')) {
  console.log(`${`${r.lib}${r.lib === 'kerasm' ? ` (${r.build})` : ''}`.padEnd(22)} ${fmt(r.latencyUs, 1).padStart(8)} µs ${fmt(r.throughput).padStart(10)} samples/s`);
}
const kwLat = rows.find((r) => r.kind === 'predict' && r.lib === 'kerasm' && r.build === 'simd');
const twLat = rows.find((r) => r.kind === 'predict' && r.lib === 'tfjs-wasm');
if (kwLat && twLat) console.log(`single-sample latency, kerasm simd ÷ TF.js wasm: ${fmt(kwLat.latencyUs / twLat.latencyUs, 3)}`);
console.log('\nPeak RSS, seed model training, each library alone in its process:');
for (const r of rss) console.log(`${r.lib.padEnd(12)} ${fmt(r.maxRssMiB).padStart(6)} MiB`);

// The Keras simple MNIST convnet (issue 15) in its quick form (2 epochs, one TF.js cpu batch of ~30 s,
// 3 predict rounds: about a minute); the full run is `node bench/convnet.bench.mjs` (~3 min).
console.log('\n' + '-'.repeat(100));
const convnet = spawnSync(process.execPath, ['bench/convnet.bench.mjs', '--quick'], { cwd: here + '..', encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
if (convnet.status !== 0) throw new Error('convnet bench failed');
process.stdout.write(convnet.stdout);

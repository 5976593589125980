// LSTM(128) over 28 steps of 28 features (MNIST rows as sequences), Dense(10, softmax), Adam,
// batch 64: training samples/s of kerasm (one thread, the build named) against TF.js `cpu` and
// `wasm` in the same run, alternating, medians; TF.js wasm's training tried and its error recorded
// if it fails. The step's % of the FMA peak (DESIGN.md "Measuring speed"): GEMM FLOPs of a training
// step — forward (input projection, 28 recurrent GEMMs, the Dense), weight gradients (kernel,
// recurrent kernel, Dense), input gradients but the first layer's (28 recurrent dh GEMMs, the
// Dense's) — over its time, against the peak measured in this run; and the recurrent forward alone
// (an LSTM-only predict at batch 64: its GEMMs' FLOPs over its time, the cell passes included).
//   node --experimental-wasm-relaxed-simd bench/rnn.bench.mjs [--build simd] [--rounds 5]   (after `npm run build`)
import { hasRelaxed, loadBuild, measurePeak, median } from './wasm.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const BUILD = opt('build', 'simd');
const ROUNDS = Number(opt('rounds', 5));
const [B, T, D, U, C] = [64, 28, 28, 128, 10];
const SAMPLES = 1024;

const stepFlops = () => {
  const g = 4 * U;
  const fwd = 2 * B * T * D * g + 2 * B * U * g * (T - 1) + 2 * B * U * C;
  const wgrad = 2 * D * g * B * T + 2 * U * g * B * T + 2 * U * C * B;
  const xgrad = 2 * B * g * U * (T - 1) + 2 * B * C * U;
  return fwd + wgrad + xgrad;
};

function data(n, seed) {
  let s = seed >>> 0;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float32Array(n * T * D).map(() => r());
  const y = new Float32Array(n * C);
  for (let i = 0; i < n; i++) y[i * C + Math.floor(r() * C)] = 1;
  return { x, y };
}

const km = await import('../dist/index.js');
await km.ready({ build: BUILD, threads: 1 });
km.setSeed(1);
const d = data(SAMPLES, 7);
const model = km.sequential({ layers: [km.layers.lstm({ units: U, inputShape: [T, D] }), km.layers.dense({ units: C, activation: 'softmax' })] });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const kx = km.tensor(d.x, [SAMPLES, T, D]);
const ky = km.tensor(d.y, [SAMPLES, C]);
await model.fit(kx, ky, { epochs: 1, batchSize: B, verbose: 0 });

const tf = await import('@tensorflow/tfjs');
const tfModel = () => {
  const m = tf.sequential({ layers: [tf.layers.lstm({ units: U, inputShape: [T, D], recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: C, activation: 'softmax' })] });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  return m;
};
const tx = tf.tensor(d.x.subarray(0, B * T * D), [B, T, D]);
const ty = tf.tensor(d.y.subarray(0, B * C), [B, C]);
async function tfBatchTime(backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const m = tfModel();
  await m.trainOnBatch(tx, ty);
  const t = performance.now();
  await m.trainOnBatch(tx, ty);
  const ms = performance.now() - t;
  m.dispose();
  return ms;
}
let wasmError = null;
{
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
}

const kmRates = [];
const cpuRates = [];
const wasmRates = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = performance.now();
  await model.fit(kx, ky, { epochs: 1, batchSize: B, verbose: 0 });
  kmRates.push(SAMPLES / ((performance.now() - t) / 1e3));
  cpuRates.push(B / ((await tfBatchTime('cpu')) / 1e3));
  if (wasmError === null) {
    try {
      wasmRates.push(B / ((await tfBatchTime('wasm')) / 1e3));
    } catch (e) {
      wasmError = String(e.message ?? e).split('\n')[0];
    }
  }
}
// The recurrent forward alone: an LSTM-only model's predict at batch 64 (input projection, then
// per step the recurrent GEMM 64×512×128 and the cell pass), best of 20 after a warm-up.
const lstmOnly = km.sequential({ layers: [km.layers.lstm({ units: U, inputShape: [T, D] })] });
const px = km.tensor(d.x.subarray(0, B * T * D), [B, T, D]);
lstmOnly.predict(px, { batchSize: B });
let best = Infinity;
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  lstmOnly.predict(px, { batchSize: B });
  best = Math.min(best, performance.now() - t);
}
const fwdFlops = 2 * B * T * D * 4 * U + 2 * B * U * 4 * U * (T - 1);
const relaxed = hasRelaxed() ? loadBuild('relaxed') : null;
const peak = relaxed ? measurePeak(relaxed) : NaN;
const kmRate = median(kmRates);
const gflops = (stepFlops() * kmRate) / B / 1e9;
const rows = {
  node: process.version, build: BUILD, batch: B, steps: T, features: D, units: U,
  kerasm_samples_per_s: Math.round(kmRate), tfjs_cpu_samples_per_s: +median(cpuRates).toFixed(1),
  tfjs_wasm_samples_per_s: wasmRates.length ? +median(wasmRates).toFixed(1) : null, tfjs_wasm_error: wasmError,
  vs_cpu: +(kmRate / median(cpuRates)).toFixed(1), vs_wasm: wasmRates.length ? +(kmRate / median(wasmRates)).toFixed(1) : null,
  step_gflops: +gflops.toFixed(2), peak_gflops: +peak.toFixed(1), pct_of_peak: +((100 * gflops) / peak).toFixed(1),
  recurrent_forward_ms: +best.toFixed(3), recurrent_forward_pct_of_peak: +((100 * fwdFlops) / (best / 1e3) / 1e9 / peak).toFixed(1),
};
console.log(JSON.stringify(rows, null, 1));
await km.shutdown();

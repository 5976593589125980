// LSTM(128) over 28 steps of 28 features (MNIST rows as sequences), Dense(10, softmax), Adam,
// batch 64: training samples/s of kerasm (one thread, the build named) against TF.js `cpu` and
// `wasm` in the same run, alternating, medians; TF.js wasm's training tried and its error recorded
// if it fails. The step's % of the FMA peak (DESIGN.md "Measuring speed"): GEMM FLOPs of a training
// step — forward (input projection, 28 recurrent GEMMs, the Dense), weight gradients (kernel,
// recurrent kernel, Dense), input gradients but the first layer's (28 recurrent dh GEMMs, the
// Dense's) — over its time, against the peak measured in this run; and the recurrent forward alone
// (an LSTM-only predict at batch 64: its GEMMs' FLOPs over its time, the cell passes included).
// Then the lab's text model (examples/lab-text.mjs: Embedding 5000×64 with maskZero, LSTM 64,
// Dense 2; 100 steps, batch 32) on the lab's 400 real training mails, the same way.
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
async function tfBatchTime(backend, make = tfModel, bx = tx, by = ty) {
  await tf.setBackend(backend);
  await tf.ready();
  const m = make();
  await m.trainOnBatch(bx, by);
  const t = performance.now();
  await m.trainOnBatch(bx, by);
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

// The lab's text model, on the lab's training mails (ids of their first 100 words).
const { TEXT_SETTINGS: S, buildVocabulary, encode, loadMails } = await import('../examples/lab-text.mjs');
const mails = loadMails({ train: 400, val: 2, test: 2, seed: 42 }).train;
const vocab = buildVocabulary(mails.tokens, S.vocab);
const V = vocab.size + 2;
const TB = 32;
const ids = encode(mails.tokens, vocab, S.steps);
const labels = Float32Array.from({ length: 400 * 2 }, (_, i) => (mails.labels[i >> 1] === (i & 1) ? 1 : 0));
km.setSeed(1);
const textModel = km.sequential({ layers: [
  km.layers.inputLayer({ inputShape: [S.steps] }),
  km.layers.embedding({ inputDim: V, outputDim: S.embed, maskZero: true }),
  km.layers.lstm({ units: S.units }),
  km.layers.dense({ units: 2, activation: 'softmax' }),
] });
textModel.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const kids = km.tensor(ids, [400, S.steps]);
const klab = km.tensor(labels, [400, 2]);
await textModel.fit(kids, klab, { epochs: 1, batchSize: TB, verbose: 0 });
const tfText = () => {
  const m = tf.sequential({ layers: [
    tf.layers.embedding({ inputDim: V, outputDim: S.embed, maskZero: true, inputShape: [S.steps] }),
    tf.layers.lstm({ units: S.units, recurrentActivation: 'sigmoid' }),
    tf.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  return m;
};
const tids = tf.tensor(ids.subarray(0, TB * S.steps), [TB, S.steps]);
const tlab = tf.tensor(labels.subarray(0, TB * 2), [TB, 2]);
const text = { km: [], cpu: [], wasm: [], wasmError: null };
for (let r = 0; r < ROUNDS; r++) {
  const t = performance.now();
  await textModel.fit(kids, klab, { epochs: 1, batchSize: TB, verbose: 0 });
  text.km.push(400 / ((performance.now() - t) / 1e3));
  text.cpu.push(TB / ((await tfBatchTime('cpu', tfText, tids, tlab)) / 1e3));
  console.error(`text model round ${r}: kerasm ${text.km.at(-1).toFixed(0)}, TF.js cpu ${text.cpu.at(-1).toFixed(1)} samples/s`);
  if (text.wasmError === null) {
    try {
      text.wasm.push(TB / ((await tfBatchTime('wasm', tfText, tids, tlab)) / 1e3));
      console.error(`text model round ${r}: TF.js wasm ${text.wasm.at(-1).toFixed(1)} samples/s`);
    } catch (e) {
      text.wasmError = String(e.message ?? e).split('\n')[0];
    }
  }
}
const textRate = median(text.km);
rows.text_model = {
  layers: `embedding ${V}x${S.embed} maskZero, lstm ${S.units}, dense 2`, steps: S.steps, batch: TB, samples: 400,
  kerasm_samples_per_s: Math.round(textRate), tfjs_cpu_samples_per_s: +median(text.cpu).toFixed(1),
  tfjs_wasm_samples_per_s: text.wasm.length ? +median(text.wasm).toFixed(1) : null, tfjs_wasm_error: text.wasmError,
  vs_cpu: +(textRate / median(text.cpu)).toFixed(1), vs_wasm: text.wasm.length ? +(textRate / median(text.wasm)).toFixed(1) : null,
};
console.log(JSON.stringify(rows, null, 1));
await km.shutdown();

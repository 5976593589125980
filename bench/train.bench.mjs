// One process, one kerasm build: training samples/s and predict latency/throughput of kerasm
// against TF.js 4.22 (`wasm` and `cpu` backends), alternating epoch by epoch; medians.
// Prints one JSON line per measurement (read by bench/run.mjs) unless --pretty.
//   node bench/train.bench.mjs [--build simd|relaxed|threads] [--threads N] [--epochs 5] [--no-tfjs]
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import * as km from '../dist/index.js';
import { loadMnist, oneHot } from '../examples/mnist.mjs';
import { median } from './wasm.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const build = opt('build', 'simd');
const threads = Number(opt('threads', build === 'threads' ? 2 : 1));
const epochs = Number(opt('epochs', 5));
const withTf = !argv.includes('--no-tfjs');
const emit = (row) => console.log(JSON.stringify({ build, threads, ...row }));

await km.ready({ build, threads });
if (withTf) {
  const require = createRequire(import.meta.url);
  setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
  await tf.setBackend('wasm');
  await tf.ready();
}
const d = loadMnist({ seed: 42 });
const MODELS = {
  seed: { hidden: [64], l2: 0.01, dropout: 0.5 },
  wide: { hidden: [512, 512], l2: 0, dropout: 0.5 },
};

function kmModel(spec) {
  const layers = [];
  spec.hidden.forEach((units, i) => {
    layers.push(km.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [784] } : {}), kernelRegularizer: spec.l2 ? km.regularizers.l2(spec.l2) : null }));
    layers.push(km.layers.dropout({ rate: spec.dropout }));
  });
  layers.push(km.layers.dense({ units: 10, activation: 'softmax' }));
  const m = km.sequential({ layers });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
function tfModel(spec) {
  const layers = [];
  spec.hidden.forEach((units, i) => {
    layers.push(tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [784] } : {}), kernelRegularizer: spec.l2 ? tf.regularizers.l2({ l2: spec.l2 }) : undefined }));
    layers.push(tf.layers.dropout({ rate: spec.dropout }));
  });
  layers.push(tf.layers.dense({ units: 10, activation: 'softmax' }));
  const m = tf.sequential({ layers });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
/** GEMM flops of one training step (DESIGN.md): forward, every weight gradient, every input gradient but the first. */
function stepFlops(spec, batch) {
  const dims = [784, ...spec.hidden, 10];
  let f = 0;
  for (let i = 0; i + 1 < dims.length; i++) f += 2 * batch * dims[i] * dims[i + 1] * (i === 0 ? 2 : 3);
  return f;
}

async function training(name, batch, samples) {
  const spec = MODELS[name];
  const xs = d.xTrain.subarray(0, samples * 784);
  const ys = oneHot(d.yTrain.subarray(0, samples));
  const contenders = [];
  const km1 = kmModel(spec);
  const kx = km.tensor(xs, [samples, 784]);
  const ky = km.tensor(ys, [samples, 10]);
  contenders.push({ lib: 'kerasm', epoch: () => km1.fit(kx, ky, { epochs: 1, batchSize: batch, verbose: 0 }) });
  if (withTf) {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const m = tfModel(spec);
      const x = tf.tensor2d(xs, [samples, 784]);
      const y = tf.tensor2d(ys, [samples, 10]);
      contenders.push({ lib: `tfjs-${backend}`, backend, epoch: () => m.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 }) });
    }
  }
  const times = contenders.map(() => []);
  for (let round = 0; round <= epochs; round++) {
    for (const [i, c] of contenders.entries()) {
      if (c.backend) await tf.setBackend(c.backend);
      const t = performance.now();
      await c.epoch();
      if (round > 0) times[i].push((performance.now() - t) / 1000);
    }
  }
  contenders.forEach((c, i) => {
    const sec = median(times[i]);
    const row = { kind: 'train', model: name, batch, lib: c.lib, samplesPerSec: samples / sec };
    if (c.lib === 'kerasm') row.gflops = (stepFlops(spec, batch) * (samples / batch)) / sec / 1e9;
    emit(row);
  });
  km1.dispose();
}

async function inference(name) {
  const spec = MODELS[name];
  const m = kmModel(spec);
  const one = km.tensor(d.xTest.subarray(0, 784), [1, 784]);
  const thousand = km.tensor(d.xTest.subarray(0, 1000 * 784), [1000, 784]);
  const rows = [];
  const time = (fn, reps) => {
    for (let i = 0; i < Math.min(reps, 50); i++) fn();
    const r = [];
    for (let k = 0; k < 7; k++) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) fn();
      r.push((performance.now() - t) / reps);
    }
    return median(r);
  };
  rows.push({ lib: 'kerasm', latencyUs: time(() => m.predict(one), 2000) * 1000, throughput: 1000 / (time(() => m.predict(thousand, { batchSize: 1000 }), 20) / 1000) });
  if (withTf) {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      const tm = tfModel(spec);
      const x1 = tf.tensor2d(d.xTest.subarray(0, 784), [1, 784]);
      const x1000 = tf.tensor2d(d.xTest.subarray(0, 1000 * 784), [1000, 784]);
      const run = (x) => { const y = tm.predict(x); y.dataSync(); y.dispose(); };
      rows.push({ lib: `tfjs-${backend}`, latencyUs: time(() => run(x1), backend === 'cpu' ? 300 : 1000) * 1000, throughput: 1000 / (time(() => run(x1000), backend === 'cpu' ? 3 : 10) / 1000) });
    }
  }
  for (const r of rows) emit({ kind: 'predict', model: name, ...r });
  m.dispose();
}

const which = opt('only', 'all');
if (which === 'all' || which === 'train') {
  await training('seed', 32, 8000);
  await training('seed', 256, 8000);
  await training('wide', 128, 2048);
}
if (which === 'all' || which === 'predict') await inference('seed');
await km.shutdown();

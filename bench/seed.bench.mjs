// The seed model (784-64 relu + l2(0.01) → dropout 0.5 → 10 softmax, adam, categorical
// cross-entropy) on 8,000 MNIST digits: training samples/s of kerasm and TF.js (cpu and wasm
// backends), measured in one process, alternating epoch by epoch; medians after a warm-up.
//   node bench/seed.bench.mjs [--epochs 5] [--batch 32]
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import * as km from '../dist/index.js';
import { loadMnist, oneHot } from '../examples/mnist.mjs';
import { median } from './wasm.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const epochs = opt('epochs', 5);
const batchSize = opt('batch', 32);

const require = createRequire(import.meta.url);
setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
await tf.setBackend('wasm');
await tf.ready();
await km.ready();

const d = loadMnist({ seed: 42 });
const n = d.trainCount;
const xs = d.xTrain;
const ys = oneHot(d.yTrain);

function tfModel() {
  const m = tf.sequential({ layers: [
    tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const contenders = [];
{
  const model = km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = km.tensor(xs, [n, 784]);
  const y = km.tensor(ys, [n, 10]);
  contenders.push({ name: `kerasm (${km.backendInfo().build})`, epoch: () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 }) });
}
for (const backend of ['wasm', 'cpu']) {
  await tf.setBackend(backend);
  const model = tfModel();
  const x = tf.tensor2d(xs, [n, 784]);
  const y = tf.tensor2d(ys, [n, 10]);
  contenders.push({ name: `TF.js ${tf.version.tfjs} ${backend}`, backend, epoch: () => model.fit(x, y, { epochs: 1, batchSize, verbose: 0 }) });
}

const times = contenders.map(() => []);
for (let round = 0; round < epochs + 1; round++) {
  for (const [i, c] of contenders.entries()) {
    if (c.backend) await tf.setBackend(c.backend);
    const t = performance.now();
    await c.epoch();
    if (round > 0) times[i].push((performance.now() - t) / 1000);
  }
}
console.log(`Seed model, ${n} MNIST samples, batch ${batchSize}, median of ${epochs} epochs after 1 warm-up; Node ${process.version}`);
const base = n / median(times[0]);
for (const [i, c] of contenders.entries()) {
  const sps = n / median(times[i]);
  console.log(`${c.name.padEnd(24)} ${Math.round(sps).toString().padStart(8)} samples/s   kerasm ÷ this: ${(base / sps).toFixed(2)}×`);
}

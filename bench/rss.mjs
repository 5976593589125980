// Peak RSS of one library training the seed model (8,000 samples, batch 32, 3 epochs), alone in
// its own process (RSS only rises within a process).  node bench/rss.mjs kerasm|tfjs-wasm|tfjs-cpu
import { loadMnist, oneHot } from '../examples/mnist.mjs';

const lib = process.argv[2];
const d = loadMnist({ seed: 42 });
const n = d.trainCount;
if (lib === 'kerasm') {
  const km = await import('../dist/index.js');
  await km.ready({ build: 'simd' });
  const m = km.sequential({ layers: [km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: km.regularizers.l2(0.01) }), km.layers.dropout({ rate: 0.5 }), km.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await m.fit(km.tensor(d.xTrain, [n, 784]), km.tensor(oneHot(d.yTrain), [n, 10]), { epochs: 3, verbose: 0 });
} else {
  const tf = await import('@tensorflow/tfjs');
  if (lib === 'tfjs-wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    setWasmPaths(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
  }
  await tf.setBackend(lib === 'tfjs-wasm' ? 'wasm' : 'cpu');
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await m.fit(tf.tensor2d(d.xTrain, [n, 784]), tf.tensor2d(oneHot(d.yTrain), [n, 10]), { epochs: lib === 'tfjs-cpu' ? 1 : 3, verbose: 0 });
}
console.log(JSON.stringify({ kind: 'rss', lib, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));

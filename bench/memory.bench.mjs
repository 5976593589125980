// fit on 60,000 × 784 inputs: wasm memory holds the model and one staged batch, never the dataset.
//   node bench/memory.bench.mjs
import * as km from '../dist/index.js';

await km.ready();
km.setSeed(1);
const n = 60000;
const x = new Float32Array(n * 784);
for (let i = 0; i < x.length; i++) x[i] = (i * 2654435761 % 1000) / 1000;
const labels = new Uint8Array(n).map((_, i) => i % 10);
const model = km.sequential({ layers: [
  km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: km.regularizers.l2(0.01) }),
  km.layers.dropout({ rate: 0.5 }),
  km.layers.dense({ units: 10, activation: 'softmax' }),
] });
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const before = km.backendInfo().memoryBytes;
const t = performance.now();
await model.fit(km.tensor(x, [n, 784]), labels, { epochs: 1, batchSize: 32, verbose: 0 });
const seconds = (performance.now() - t) / 1000;
const after = km.backendInfo().memoryBytes;
await model.fit(km.tensor(x, [n, 784]), labels, { epochs: 1, batchSize: 32, verbose: 0 });
const again = km.backendInfo().memoryBytes;
const params = model.countParams();
const staged = 32 * 784 * 4;
console.log(`Node ${process.version}, build ${km.backendInfo().build}`);
console.log(`dataset in JS: ${(x.byteLength / 2 ** 20).toFixed(1)} MiB (${n} × 784 float32)`);
console.log(`wasm memory: ${(before / 2 ** 20).toFixed(2)} MiB at start, ${(after / 2 ** 20).toFixed(2)} MiB after one epoch, ${(again / 2 ** 20).toFixed(2)} MiB after a second fit`);
console.log(`model: ${params} parameters (${((params * 4) / 1024).toFixed(0)} KiB values; with gradients and 2 Adam slots ${((params * 16) / 1024).toFixed(0)} KiB); one staged batch: ${(staged / 1024).toFixed(0)} KiB`);
console.log(`epoch of 60,000 samples: ${seconds.toFixed(2)} s (${Math.round(n / seconds)} samples/s)`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

// Augmentation cost (issue 16's target: augmenting a 64×28×28×1 batch with translation, rotation
// and zoom costs < 10% of the simple convnet's training step, one thread).
//   node bench/augment.bench.mjs [--rounds 7] [--build simd]     (after `npm run build`)
// One process, one thread, the build given (simd by default). In interleaved rounds it times:
// - step: an epoch of 2,048 random digits (32 steps of 64) of the Keras simple MNIST convnet
//   (examples/convnet.mjs), per step;
// - step + aug: the same convnet with RandomTranslation(0.1, 0.1), RandomRotation(0.1) and
//   RandomZoom(0.1) in front (bilinear, reflect: Keras's defaults), per step;
// - aug alone: the three layers' training forward on one batch of 64 (predict with
//   `training: true`: draws, parameters and the three resamplings), per batch.
// Reports medians and both ratios (aug alone / step; (step + aug − step) / step).
import { convnetLayers, simpleConvnet } from '../examples/convnet.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : def;
};
const ROUNDS = Number(opt('rounds', 7));
const BUILD = opt('build', 'simd');
const BATCH = 64;
const SAMPLES = 2048;

const km = await import('../dist/index.js');
await km.ready({ build: BUILD, threads: 1 });
km.setSeed(1);

let s = 7;
const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const x = km.tensor(new Float32Array(SAMPLES * 784).map(() => rand()), [SAMPLES, 28, 28, 1]);
const yData = new Float32Array(SAMPLES * 10);
for (let i = 0; i < SAMPLES; i++) yData[i * 10 + Math.floor(rand() * 10)] = 1;
const y = km.tensor(yData, [SAMPLES, 10]);
const batch = km.tensor(x.data.subarray(0, BATCH * 784), [BATCH, 28, 28, 1]);

const augLayers = () => [
  km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, inputShape: [28, 28, 1] }),
  km.layers.randomRotation({ factor: 0.1 }),
  km.layers.randomZoom({ heightFactor: 0.1 }),
];
const plain = simpleConvnet(km);
// The same layers as examples/convnet.mjs, after the augmentation.
const withAug = km.sequential({ layers: [...augLayers(), ...convnetLayers(km, null)] });
withAug.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
const augOnly = km.sequential({ layers: augLayers() });

const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const steps = SAMPLES / BATCH;

// Warm-up: plans, arenas and the JIT.
await plain.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
await withAug.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
for (let i = 0; i < 5; i++) augOnly.predict(batch, { training: true, batchSize: BATCH });

const t = { step: [], stepAug: [], aug: [] };
for (let r = 0; r < ROUNDS; r++) {
  t.step.push((await time(() => plain.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 }))) / steps);
  t.stepAug.push((await time(() => withAug.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 }))) / steps);
  const reps = 50;
  t.aug.push((await time(() => {
    for (let i = 0; i < reps; i++) augOnly.predict(batch, { training: true, batchSize: BATCH });
  })) / reps);
}
const step = median(t.step);
const stepAug = median(t.stepAug);
const aug = median(t.aug);
console.log(`kerasm ${BUILD}, 1 thread, batch ${BATCH}, ${ROUNDS} rounds (medians)`);
console.log(`convnet training step            ${step.toFixed(2)} ms`);
console.log(`convnet step with aug layers     ${stepAug.toFixed(2)} ms  (+${(((stepAug - step) / step) * 100).toFixed(1)} %)`);
console.log(`translation+rotation+zoom alone  ${aug.toFixed(3)} ms  (${((aug / step) * 100).toFixed(1)} % of a step; target < 10 %)`);
if (argv.includes('--json')) console.log(JSON.stringify({ build: BUILD, step, stepAug, aug }));

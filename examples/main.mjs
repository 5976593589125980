// The main job: train the seed model on real MNIST and report test accuracy, speed and build,
// then run the overfitting lab (examples/lab.mjs) and write its HTML report.
//   npm start                          (after npm ci)
//   npm start -- --epochs 20 --variants baseline,dropout    (flags go to the lab; --help lists them)
import * as km from '../dist/index.js';
import { loadMnist, oneHot } from './mnist.mjs';
import { parseLabArgs, runLab, usage } from './lab.mjs';

let labOptions;
try {
  labOptions = parseLabArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (labOptions.help) {
  console.log(usage());
  process.exit(0);
}

const epochs = Number(process.env.EPOCHS ?? 5);
await km.ready();
km.setSeed(42);
const { xTrain, yTrain, xTest, yTest, trainCount, testCount } = loadMnist({ seed: 42 });
const x = km.tensor(xTrain, [trainCount, 784]);
const y = km.tensor(oneHot(yTrain), [trainCount, 10]);
const xt = km.tensor(xTest, [testCount, 784]);
const yt = km.tensor(oneHot(yTest), [testCount, 10]);

const model = km.sequential({ layers: [
  km.layers.dense({ units: 64, activation: 'relu', inputShape: [784],
                    kernelRegularizer: km.regularizers.l2(0.01) }),
  km.layers.dropout({ rate: 0.5 }),
  km.layers.dense({ units: 10, activation: 'softmax' }),
]});
model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
model.summary();

const info = km.backendInfo();
console.log(`kerasm build: ${info.build} (relaxed SIMD: ${info.relaxedSimd}, threads: ${info.threads}), Node ${process.version}`);
console.log(`MNIST from the mnist package: ${trainCount} training and ${testCount} test digits`);
const t0 = performance.now();
const history = await model.fit(x, y, { epochs, batchSize: 32 });
const seconds = (performance.now() - t0) / 1000;
const { loss, accuracy } = model.evaluate(xt, yt);
console.log(`\ntest accuracy: ${accuracy.toFixed(4)}  test loss: ${loss.toFixed(4)}`);
console.log(`final training loss: ${history.history.loss.at(-1).toFixed(4)}, accuracy: ${history.history.accuracy.at(-1).toFixed(4)}`);
console.log(`training speed: ${Math.round((trainCount * epochs) / seconds)} samples/s (${seconds.toFixed(2)} s for ${epochs} epochs, build ${info.build})`);
model.dispose();

// The overfitting lab: the same remedies measured on a deliberately large network.
await runLab(km, { ...labOptions, command: `npm start${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}` });

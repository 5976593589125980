// The main job: train the seed model on real MNIST and report test accuracy, speed and build,
// then the Keras simple MNIST convnet (examples/convnet.mjs), then run the overfitting lab's three
// chapters, a dense network (examples/lab.mjs), a convnet (examples/lab-images.mjs) and an LSTM on
// real mails (examples/lab-text.mjs), and write
// its HTML report. It first prints what it will do and an estimate of its time (examples/plan.mjs).
//   npm start                          (after npm ci; about 130 s on a 2-core machine, plus 43–60 s of text chapter)
//   npm start -- --quick               every chapter in under a minute (a smaller, shorter lab)
//   EPOCHS=1 npm start                 one epoch for the seed model, the convnet and each lab variant
//   npm start -- --epochs 20 --variants baseline,dropout    (flags go to the lab; --help lists them)
import * as km from '../dist/index.js';
import { loadMnist, oneHot } from './mnist.mjs';
import { runLab, usage } from './lab.mjs';
import { runConvnet } from './convnet.mjs';
import { calibrate, describePlan, estimateSeconds, parseMainArgs } from './plan.mjs';

const started = performance.now();
let plan;
try {
  plan = parseMainArgs(process.argv.slice(2), process.env);
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (plan.help) {
  console.log(`${usage()}\nEnvironment: EPOCHS=N   epochs of the seed model and of each lab variant (unless --epochs)`);
  process.exit(0);
}

await km.ready();
const info = km.backendInfo();
const estimate = estimateSeconds(plan, await calibrate(km, plan.lab));
console.log(`${describePlan(plan, estimate, info)}\n`);

const epochs = plan.seedEpochs;
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

// The convolutional chapter: Keras's simple MNIST convnet on the same split.
console.log(`\nThe simple MNIST convnet (conv 32, max-pool, conv 64, max-pool, dropout 0.5, dense 10; Adam, batch 64):`);
await runConvnet(km, { epochs: plan.convnet.epochs, trainCount: plan.convnet.train });

// The overfitting lab: the same remedies measured on a deliberately large dense network, then the
// image remedies (augmentation, SpatialDropout2D, BatchNormalization...) on a convnet, then the
// sequence remedies (dropout, recurrentDropout, embeddings L2) on an LSTM reading mails.
const args = process.argv.slice(2);
const env = process.env.EPOCHS ? `EPOCHS=${process.env.EPOCHS} ` : '';
await runLab(km, { ...plan.lab, command: `${env}npm start${args.length > 0 ? ` -- ${args.join(' ')}` : ''}` });
console.log(`\nmain job done in ${((performance.now() - started) / 1000).toFixed(1)} s (estimated ${Math.round(estimate.total)} s)`);

// The seed model on real MNIST (the `mnist` package's 10,000 digits, shuffled with a fixed seed;
// 8,000 train, 2,000 test), 5 epochs, batch 32, against TF.js (cpu) trained the same way from the
// same initial weights in the same test.
import { beforeAll, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { tfReady, tfWeights } from '../helpers/tfjs.js';
// @ts-expect-error: plain JS module shared with the main job
import { loadMnist, oneHot } from '../../examples/mnist.mjs';

interface Mnist { xTrain: Float32Array; yTrain: Uint8Array; xTest: Float32Array; yTest: Uint8Array; trainCount: number; testCount: number }

let tf: typeof TF;
let d: Mnist;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
  d = loadMnist({ seed: 42 }) as Mnist;
});

function seedModel(regularize: boolean): km.Sequential {
  return km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: regularize ? km.regularizers.l2(0.01) : null }),
    ...(regularize ? [km.layers.dropout({ rate: 0.5 })] : []),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
}

/** TF.js shuffles and draws dropout masks from Math.random: make that run repeatable. */
async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const rng = new Rng(seed);
  const saved = Math.random;
  Math.random = () => rng.next();
  try {
    return await fn();
  } finally {
    Math.random = saved;
  }
}

test('the seed model reaches TF.js accuracy within 1.5 points on MNIST', async () => {
  const tm = tf.sequential({ layers: [
    tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  tm.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const initial = tfWeights(tm);
  const xTrain = tf.tensor2d(d.xTrain, [d.trainCount, 784]);
  const yTrain = tf.tensor2d(oneHot(d.yTrain), [d.trainCount, 10]);
  await withSeededMathRandom(1, () => tm.fit(xTrain, yTrain, { epochs: 5, batchSize: 32, verbose: 0 }));
  const tfAcc = (tm.evaluate(tf.tensor2d(d.xTest, [d.testCount, 784]), tf.tensor2d(oneHot(d.yTest), [d.testCount, 10])) as TF.Scalar[])[1]!.dataSync()[0]!;
  // kerasm's figure is the mean over three seeds (shuffling and dropout masks), all from TF.js's initial weights.
  const accs: number[] = [];
  for (const seed of [1, 2, 3]) {
    km.setSeed(seed);
    const model = seedModel(true);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    model.setWeights(initial);
    await model.fit(km.tensor(d.xTrain, [d.trainCount, 784]), km.tensor(oneHot(d.yTrain), [d.trainCount, 10]), { epochs: 5, batchSize: 32, verbose: 0 });
    accs.push(model.evaluate(km.tensor(d.xTest, [d.testCount, 784]), km.tensor(oneHot(d.yTest), [d.testCount, 10])).accuracy!);
    model.dispose();
  }
  const accuracy = accs.reduce((a, b) => a + b, 0) / accs.length;
  console.log(`MNIST seed model test accuracy: kerasm ${accs.map((a) => a.toFixed(4)).join(', ')} (mean ${accuracy.toFixed(4)}), TF.js ${tfAcc.toFixed(4)}`);
  expect(tfAcc).toBeGreaterThan(0.85);
  expect(Math.abs(accuracy - tfAcc)).toBeLessThan(0.015);
  tm.dispose();
});

test('without penalty and dropout the same network reaches ≥ 0.92', async () => {
  km.setSeed(2);
  const model = seedModel(false);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(km.tensor(d.xTrain, [d.trainCount, 784]), d.yTrain, { epochs: 5, batchSize: 32, verbose: 0 });
  const { accuracy } = model.evaluate(km.tensor(d.xTest, [d.testCount, 784]), d.yTest);
  expect(accuracy).toBeGreaterThanOrEqual(0.92);
  model.dispose();
});

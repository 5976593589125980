// The Keras "simple MNIST convnet" (keras.io/examples/vision/mnist_convnet) on the `mnist`
// package's digits, with the seed model's split: conv 32 3×3 relu, max-pool 2, conv 64 3×3 relu,
// max-pool 2, flatten, dropout 0.5, dense 10 softmax; Adam, batch 64.
import { loadMnist, oneHot } from './mnist.mjs';

/**
 * The convnet's layers from `lib.layers` (kerasm's or TF.js's: the same factories and options);
 * the first takes `inputShape` when given (none when the layers follow others, e.g. augmentation).
 */
export function convnetLayers(lib, inputShape = [28, 28, 1]) {
  return [
    lib.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', ...(inputShape === null ? {} : { inputShape }) }),
    lib.layers.maxPooling2d({ poolSize: 2 }),
    lib.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    lib.layers.maxPooling2d({ poolSize: 2 }),
    lib.layers.flatten(),
    lib.layers.dropout({ rate: 0.5 }),
    lib.layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

/** The convnet, compiled. */
export function simpleConvnet(km) {
  const model = km.sequential({ name: 'simple_mnist_convnet', layers: convnetLayers(km) });
  model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  return model;
}

/**
 * Train the convnet on `trainCount` digits for `epochs` epochs and report test accuracy and
 * samples/s. Returns what it measured.
 */
export async function runConvnet(km, { epochs = 3, trainCount = 8000, verbose = 1, log = console.log } = {}) {
  km.setSeed(42);
  const data = loadMnist({ seed: 42 });
  const n = Math.min(trainCount, data.trainCount);
  const x = km.tensor(data.xTrain.subarray(0, n * 784), [n, 28, 28, 1]);
  const y = km.tensor(oneHot(data.yTrain.subarray(0, n)), [n, 10]);
  const xt = km.tensor(data.xTest, [data.testCount, 28, 28, 1]);
  const yt = km.tensor(oneHot(data.yTest), [data.testCount, 10]);
  const model = simpleConvnet(km);
  if (verbose > 0) model.summary(log);
  const t0 = performance.now();
  await model.fit(x, y, { epochs, batchSize: 64, verbose });
  const seconds = (performance.now() - t0) / 1000;
  const { loss, accuracy } = model.evaluate(xt, yt, { batchSize: 256 });
  const result = { accuracy, loss, samplesPerSecond: (n * epochs) / seconds, seconds, epochs, trainCount: n };
  log(`\nconvnet test accuracy: ${accuracy.toFixed(4)}  test loss: ${loss.toFixed(4)}`);
  log(`convnet training speed: ${Math.round(result.samplesPerSecond)} samples/s (${seconds.toFixed(1)} s for ${epochs} epochs of ${n} digits)`);
  model.dispose();
  return result;
}

// The augmentation layers on the threads builds: the pool splits the f32-augment kernels by rows
// or samples (each range writes only its own), and the draws depend on (seed, step, sample)
// alone, so augmented batches and training through them are the same bits with 1 and 2 threads.
import { expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { usePool } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

usePool();

const L = km.layers;
const rng = new Rng(4);
const BATCH = 32;
const x = km.tensor(Float32Array.from({ length: BATCH * 28 * 28 }, () => rng.uniform(0, 255)), [BATCH, 28, 28, 1]);
const labels = km.tensor(Float32Array.from({ length: BATCH }, (_, i) => i % 3), [BATCH]);

function model(): km.Sequential {
  km.setSeed(9);
  return km.sequential({ layers: [
    L.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [28, 28, 1] }),
    L.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1 }), L.randomRotation({ factor: 0.1, fillMode: 'constant' }),
    L.randomZoom({ heightFactor: 0.1, interpolation: 'nearest' }), L.randomFlip(), L.randomContrast({ factor: [0.2, 0.2], valueRange: [-1e4, 1e4] }),
    L.randomBrightness({ factor: 0.1 }), L.randomCrop({ height: 24, width: 24 }), L.rescaling({ scale: 0.01 }),
    L.flatten(), L.dense({ units: 3, activation: 'softmax' }),
  ] });
}

test('augmented predictions (training: true) and training through the layers: 1 and 2 threads give the same bits', async () => {
  const runs: { y: number[]; w: number[] }[] = [];
  for (const threads of [1, 2]) {
    await km.setThreads(threads);
    const m = model();
    const y = Array.from(m.predict(x, { training: true, batchSize: BATCH }).data);
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 1e-4 }), loss: 'sparseCategoricalCrossentropy' });
    await m.fit(x, labels, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false });
    runs.push({ y, w: m.getWeights().flatMap((t) => Array.from(t.data)) });
    m.dispose();
  }
  expect(runs[0]!.y.findIndex((v, i) => !Object.is(v, runs[1]!.y[i])), 'augmented prediction differs at').toBe(-1);
  expect(runs[0]!.w.findIndex((v, i) => !Object.is(v, runs[1]!.w[i])), 'trained weights differ at').toBe(-1);
});

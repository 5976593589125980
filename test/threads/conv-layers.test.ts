// The convolution layers on the threads builds: a CNN with every convolution class (im2col and
// col2im split by rows, the depthwise kernels by rows and channels, the GEMMs between them)
// trains to the same bits with 1 and 2 threads, and predicts the same bits.
import { test } from 'vitest';
import * as km from '../../src/index.js';
import { usePool } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';
import { trained } from '../helpers/trained.js';

usePool();

const L = km.layers;

async function sameWithThreads(make: () => km.Sequential, inShape: number[]): Promise<void> {
  const rng = new Rng(4);
  const n = 96;
  const size = inShape.reduce((a, b) => a * b, 1);
  const x = km.tensor(Float32Array.from({ length: n * size }, () => rng.uniform(-1, 1)), [n, ...inShape]);
  const y = Array.from({ length: n }, () => rng.int(4));
  const one = await trained(1, make, x, y, 32, 64);
  const two = await trained(2, make, x, y, 32, 64);
  expectSameNumbers(two.w, one.w, 'weights');
  expectSameNumbers([two.p], [one.p], 'predictions');
}

test('Conv2D, DepthwiseConv2D and SeparableConv2D train and predict to the same bits with 1 and 2 threads', async () => {
  await sameWithThreads(() => km.sequential({ layers: [
    L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [14, 14, 3], kernelRegularizer: km.regularizers.l2(1e-3) }),
    L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, activation: 'relu6' }),
    L.separableConv2d({ filters: 6, kernelSize: 3, padding: 'same', dilationRate: 2, activation: 'tanh' }),
    L.flatten(),
    L.dense({ units: 4, activation: 'softmax' }),
  ] }), [14, 14, 3]);
});

test('Conv1D (causal, then strided) trains and predicts to the same bits with 1 and 2 threads', async () => {
  await sameWithThreads(() => km.sequential({ layers: [
    L.conv1d({ filters: 8, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'elu', inputShape: [40, 3] }),
    L.conv1d({ filters: 4, kernelSize: 4, strides: 2, activation: 'relu' }),
    L.flatten(),
    L.dense({ units: 4, activation: 'softmax' }),
  ] }), [40, 3]);
});

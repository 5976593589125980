// The convolution layers against TF.js 4 (cpu backend) on identical weights, for every option
// TF.js has: padding valid/same, strides, dilation, kernel shapes, depthMultiplier, activations,
// kernel/bias/depthwise/pointwise regularizers, useBias, a softmax convolution as the output (its
// cross-entropy fused). Each case checks the layer's own output
// (≤ 1e-5 relative) and 20 SGD steps (16 samples, batch 4, 5 epochs, no shuffle) of the layer
// under a Flatten → Dense(softmax) head: the loss of each epoch and every final weight ≤ 1e-3
// relative. Shapes stay tiny (6×6×3 images, 8×3 sequences): TF.js cpu is slow. What TF.js
// lacks — causal padding, a depthwise dilation (TF.js drops it), gradients of dilated
// convolutions, activity regularizers (TF.js throws), constraints during fit (TF.js applies them
// only when a weight is written, not after optimizer steps) — is checked against float64
// references and Keras's semantics in test/layers/conv-layers.test.ts and conv-stack.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameTraining, relDiff, tfReady, tfWeights } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

/** The part of km and tf a case builds its layer from: the same factory and option names in both. */
interface Lib {
  layers: Record<string, (args: object) => unknown>;
  regularizers: { l1: (a: { l1: number }) => unknown; l2: (a: { l2: number }) => unknown };
}

interface Case {
  name: string;
  inShape: number[];
  /** The layer under test, built with either library's factories. */
  layer: (lib: Lib, first: { inputShape: number[] }) => unknown;
  /** The layer is the model's output (softmax + cross-entropy, fused in kerasm); default: a Flatten → Dense(softmax) head after it. */
  isOutput?: boolean;
  /**
   * Forward only: TF.js 4.22 has no gradient of a dilated convolution ("dilation rates greater than
   * 1 are not yet supported in gradients"); the training of these is checked against float64
   * references (conv-layers.test.ts) and central differences (the layer harness).
   */
  forwardOnly?: boolean;
}

const N = 16;
const CLASSES = 3;
const LR = 0.05;

function data(inShape: number[], outShape: number[], seed: number) {
  const rng = new Rng(seed);
  const size = inShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: N * size }, () => rng.uniform(-1, 1));
  const per = outShape.reduce((a, b) => a * b, 1) / CLASSES;
  const y = new Float32Array(N * per * CLASSES);
  for (let r = 0; r < N * per; r++) y[r * CLASSES + rng.int(CLASSES)] = 1;
  return { x, y };
}

/** Random weights (biases too) of TF.js's shapes, set into TF.js and copied from it into kerasm. */
function sameRandomWeights(tm: TF.LayersModel, model: km.Sequential, seed: number): void {
  const rng = new Rng(seed);
  tm.setWeights(tm.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.5, 0.5)), w.shape)));
  model.setWeights(tfWeights(tm));
}

function build(c: Case, lib: 'km' | 'tf') {
  const L = (lib === 'km' ? km : tf) as unknown as Lib & { sequential: (a: { layers: unknown[] }) => unknown };
  const conv = c.layer(L, { inputShape: c.inShape });
  const head = c.isOutput === true ? [] : [L.layers.flatten!({}), L.layers.dense!({ units: CLASSES, activation: 'softmax' })];
  return { conv: L.sequential({ layers: [c.layer(L, { inputShape: c.inShape })] }), model: L.sequential({ layers: [conv, ...head] }) };
}

async function runCase(c: Case): Promise<void> {
  // The layer alone: its output on identical weights.
  const alone = { km: build(c, 'km').conv as km.Sequential, tf: build(c, 'tf').conv as TF.Sequential };
  sameRandomWeights(alone.tf, alone.km, 1);
  const outShape = alone.km.outputShape as number[];
  const { x, y } = data(c.inShape, c.isOutput === true ? outShape : [CLASSES], 2);
  const tx = tf.tensor(x, [N, ...c.inShape]);
  const want = (alone.tf.predict(tx) as TF.Tensor).dataSync();
  const got = alone.km.predict(km.tensor(x, [N, ...c.inShape])).data;
  expect(got.length).toBe(want.length);
  expect(relDiff(got, want), 'the layer\'s output').toBeLessThan(1e-5);
  alone.km.dispose();
  alone.tf.dispose();
  if (c.forwardOnly === true) {
    tx.dispose();
    return;
  }

  // 20 SGD steps under a softmax head (or the layer itself as the softmax output).
  const tm = build(c, 'tf').model as TF.Sequential;
  const model = build(c, 'km').model as km.Sequential;
  sameRandomWeights(tm, model, 3);
  tm.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss: 'categoricalCrossentropy' });
  const yShape = [N, ...(c.isOutput === true ? outShape : [CLASSES])];
  const ty = tf.tensor(y, yShape);
  await expectSameTraining(model, tm, [tx, ty], [km.tensor(x, [N, ...c.inShape]), km.tensor(y, yShape)]);
}

const img = [6, 6, 3];
const seq = [8, 3];

const cases: Case[] = [
  { name: 'Conv2D valid 3×3, linear', inShape: img, layer: (l, f) => l.layers.conv2d!({ filters: 4, kernelSize: 3, ...f }) },
  { name: 'Conv2D same, strides 2, relu, kernel l2', inShape: img, layer: (l, f) => l.layers.conv2d!({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelRegularizer: l.regularizers.l2({ l2: 0.01 }), ...f }) },
  { name: 'Conv2D dilation 2, tanh, bias l1', inShape: img, forwardOnly: true, layer: (l, f) => l.layers.conv2d!({ filters: 3, kernelSize: 2, dilationRate: 2, activation: 'tanh', biasRegularizer: l.regularizers.l1({ l1: 0.01 }), ...f }) },
  { name: 'Conv2D kernel [3, 2], strides [2, 1], same, relu6', inShape: img, layer: (l, f) => l.layers.conv2d!({ filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'relu6', ...f }) },
  { name: 'Conv2D 1×1, elu, no bias', inShape: img, layer: (l, f) => l.layers.conv2d!({ filters: 2, kernelSize: 1, activation: 'elu', useBias: false, ...f }) },
  { name: 'Conv2D 4×4 same (the extra padding cell at the bottom and right), sigmoid', inShape: img, layer: (l, f) => l.layers.conv2d!({ filters: 2, kernelSize: 4, padding: 'same', activation: 'sigmoid', ...f }) },
  { name: 'Conv2D softmax output over 2×2 pixels, its cross-entropy fused', inShape: img, isOutput: true, layer: (l, f) => l.layers.conv2d!({ filters: 3, kernelSize: 3, strides: 3, activation: 'softmax', ...f }) },
  { name: 'Conv1D valid, kernel 3', inShape: seq, layer: (l, f) => l.layers.conv1d!({ filters: 4, kernelSize: 3, ...f }) },
  { name: 'Conv1D same, strides 2, relu, kernel l1', inShape: seq, layer: (l, f) => l.layers.conv1d!({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelRegularizer: l.regularizers.l1({ l1: 0.01 }), ...f }) },
  { name: 'Conv1D dilation 2, tanh', inShape: seq, forwardOnly: true, layer: (l, f) => l.layers.conv1d!({ filters: 2, kernelSize: 2, dilationRate: 2, activation: 'tanh', ...f }) },
  { name: 'DepthwiseConv2D 3×3', inShape: img, layer: (l, f) => l.layers.depthwiseConv2d!({ kernelSize: 3, ...f }) },
  {
    name: 'DepthwiseConv2D depthMultiplier 2, same, strides 2, relu, depthwise l2', inShape: img,
    layer: (l, f) => l.layers.depthwiseConv2d!({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'relu', depthwiseRegularizer: l.regularizers.l2({ l2: 0.01 }), ...f }),
  },
  { name: 'DepthwiseConv2D depthMultiplier 3, 2×2, no bias, tanh', inShape: img, layer: (l, f) => l.layers.depthwiseConv2d!({ kernelSize: 2, depthMultiplier: 3, useBias: false, activation: 'tanh', ...f }) },
  { name: 'SeparableConv2D 3×3', inShape: img, layer: (l, f) => l.layers.separableConv2d!({ filters: 4, kernelSize: 3, ...f }) },
  {
    name: 'SeparableConv2D depthMultiplier 2, same, strides 2, relu, depthwise l2 and pointwise l1', inShape: img,
    layer: (l, f) => l.layers.separableConv2d!({ filters: 3, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'relu',
      depthwiseRegularizer: l.regularizers.l2({ l2: 0.01 }), pointwiseRegularizer: l.regularizers.l1({ l1: 0.01 }), ...f }),
  },
  { name: 'SeparableConv2D dilation 2, same, tanh, no bias', inShape: img, forwardOnly: true, layer: (l, f) => l.layers.separableConv2d!({ filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh', useBias: false, ...f }) },
];

describe('convolution layers: parity with TF.js (cpu) on identical weights', () => {
  test.each(cases)('$name', async (c) => {
    await runCase(c);
  });
});

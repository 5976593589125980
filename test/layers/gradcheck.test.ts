// Finite-difference gradient checks of every activation, loss, regularizer and weightless layer
// (test/helpers/gradcheck.ts: wasm gradients against central differences of `evaluate`'s loss).
import { beforeAll, describe, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { modelGradCheck } from '../helpers/gradcheck.js';

beforeAll(async () => {
  await testBackend();
});

const dense = km.layers.dense;

describe('gradients of every activation (hidden layer, softmax + cross-entropy on top)', () => {
  const names = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'silu', 'softmax', 'logSoftmax'];
  test.each(names)('%s', (activation) => {
    km.setSeed(7);
    const model = km.sequential({ layers: [dense({ units: 5, activation, inputShape: [4] }), dense({ units: 3, activation: 'softmax' })] });
    modelGradCheck(model, 'categoricalCrossentropy', [4]);
  });
});

describe('gradients of every loss', () => {
  const cases: [string, string | (() => km.losses.Loss), string][] = [
    ['categorical cross-entropy (fused softmax)', 'categoricalCrossentropy', 'softmax'],
    ['sparse categorical cross-entropy (fused softmax)', 'sparseCategoricalCrossentropy', 'softmax'],
    ['categorical cross-entropy from probabilities (sigmoid output)', 'categoricalCrossentropy', 'sigmoid'],
    ['sparse categorical cross-entropy from probabilities', 'sparseCategoricalCrossentropy', 'sigmoid'],
    ['categorical cross-entropy fromLogits, label smoothing', () => km.losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), 'linear'],
    ['sparse categorical cross-entropy fromLogits', () => km.losses.sparseCategoricalCrossentropy({ fromLogits: true }), 'linear'],
    ['binary cross-entropy (fused sigmoid)', 'binaryCrossentropy', 'sigmoid'],
    ['binary cross-entropy from probabilities (softmax output)', 'binaryCrossentropy', 'softmax'],
    ['binary cross-entropy fromLogits, label smoothing', () => km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), 'linear'],
    ['mean squared error', 'meanSquaredError', 'linear'],
    ['mean absolute error', 'meanAbsoluteError', 'tanh'],
    ['huber', () => km.losses.huber({ delta: 0.3 }), 'linear'],
  ];
  test.each(cases)('%s', (_name, loss, out) => {
    km.setSeed(11);
    const model = km.sequential({ layers: [dense({ units: 5, activation: 'tanh', inputShape: [4] }), dense({ units: 3, activation: out })] });
    modelGradCheck(model, typeof loss === 'string' ? loss : loss(), [4]);
  });
});

describe('gradients of regularizers', () => {
  const r = km.regularizers;
  test.each([
    ['kernel l2', { kernelRegularizer: r.l2(0.05) }],
    ['kernel l1', { kernelRegularizer: r.l1(0.05) }],
    ['kernel l1l2 and bias l2', { kernelRegularizer: r.l1l2({ l1: 0.02, l2: 0.03 }), biasRegularizer: r.l2(0.1) }],
    ['activity l1l2', { activityRegularizer: r.l1l2({ l1: 0.01, l2: 0.02 }) }],
  ])('%s', (_name, regs) => {
    km.setSeed(5);
    const model = km.sequential({ layers: [
      dense({ units: 5, activation: 'sigmoid', inputShape: [4], biasInitializer: 'ones', ...regs }),
      dense({ units: 3, activation: 'softmax', ...regs }),
    ] });
    modelGradCheck(model, 'categoricalCrossentropy', [4]);
  });
});

describe('gradients through weightless layers', () => {
  test('flatten, activation and dropout (identity outside training) between dense layers', () => {
    km.setSeed(2);
    const model = km.sequential({ layers: [
      km.layers.flatten({ inputShape: [2, 3] }),
      dense({ units: 4 }),
      km.layers.activation({ activation: 'tanh' }),
      km.layers.dropout({ rate: 0.5 }),
      dense({ units: 3, activation: 'softmax' }),
    ] });
    modelGradCheck(model, 'categoricalCrossentropy', [2, 3]);
  });
  test('dense on rank-3 inputs applies to the last axis', () => {
    km.setSeed(3);
    const model = km.sequential({ layers: [dense({ units: 3, activation: 'tanh', inputShape: [2, 4] }), km.layers.flatten(), dense({ units: 2 })] });
    modelGradCheck(model, 'meanSquaredError', [2, 4]);
  });
});

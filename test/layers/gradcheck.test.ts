// Finite-difference gradient checks: the gradient kerasm computes in wasm for every weight
// against central differences of the loss (penalties included) that `evaluate` reports.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Sequential } from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

const N = 6;

function targets(loss: string, n: number, units: number, rng: Rng): unknown {
  if (loss.startsWith('sparse')) return Array.from({ length: n }, () => rng.int(units));
  const y = new Float32Array(n * units);
  if (loss.startsWith('categorical')) for (let i = 0; i < n; i++) y[i * units + rng.int(units)] = 1;
  else if (loss.startsWith('binary')) for (let i = 0; i < y.length; i++) y[i] = rng.next() < 0.5 ? 0 : 1;
  else for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-1, 1);
  return km.tensor(y, [n, units]);
}

/** Check every weight's gradient at a few coordinates (all of them for small tensors). */
function gradCheck(model: Sequential, loss: string | km.losses.Loss, inShape: number[], seed = 1): void {
  const rng = new Rng(seed);
  model.compile({ optimizer: 'sgd', loss });
  const features = inShape.reduce((a, b) => a * b, 1);
  const x = km.tensor(Float32Array.from({ length: N * features }, () => rng.uniform(-1.5, 1.5)), [N, ...inShape]);
  const units = model.outputShape[model.outputShape.length - 1]!;
  const lossName = typeof loss === 'string' ? loss : loss.kind;
  const y = targets(lossName, N, units, rng);
  const { grads } = model.engine.lossAndGradients(x, y);
  const weights = model.getWeights();
  const h = 2e-3;
  weights.forEach((w, wi) => {
    const picks = w.size <= 12 ? [...Array(w.size).keys()] : Array.from({ length: 12 }, () => rng.int(w.size));
    for (const i of picks) {
      const orig = w.data[i]!;
      const at = (v: number) => {
        const ws = weights.map((t) => ({ data: t.data.slice(), shape: t.shape }));
        ws[wi]!.data[i] = v;
        model.setWeights(ws);
        return model.evaluate(x, y, { batchSize: N }).loss!;
      };
      const fd = (at(orig + h) - at(orig - h)) / (Math.fround(orig + h) - Math.fround(orig - h));
      const g = grads[wi]!.data[i]!;
      expect(Math.abs(fd - g), `weight ${wi}[${i}]: analytic ${g}, numeric ${fd}`).toBeLessThan(3e-3 * Math.max(1, Math.abs(g)));
    }
    model.setWeights(weights);
  });
  model.dispose();
}

const dense = km.layers.dense;

describe('gradients of every activation (hidden layer, softmax + cross-entropy on top)', () => {
  const names = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'hardSigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'silu', 'softmax', 'logSoftmax'];
  test.each(names)('%s', (activation) => {
    km.setSeed(7);
    const model = km.sequential({ layers: [dense({ units: 5, activation, inputShape: [4] }), dense({ units: 3, activation: 'softmax' })] });
    gradCheck(model, 'categoricalCrossentropy', [4]);
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
    gradCheck(model, typeof loss === 'string' ? loss : loss(), [4]);
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
    gradCheck(model, 'categoricalCrossentropy', [4]);
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
    gradCheck(model, 'categoricalCrossentropy', [2, 3]);
  });
  test('dense on rank-3 inputs applies to the last axis', () => {
    km.setSeed(3);
    const model = km.sequential({ layers: [dense({ units: 3, activation: 'tanh', inputShape: [2, 4] }), km.layers.flatten(), dense({ units: 2 })] });
    gradCheck(model, 'meanSquaredError', [2, 4]);
  });
});

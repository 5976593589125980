// Fusions that span two layers must not change a bit: Dense(ReLU / ReLU6) followed by Dropout
// applies the mask and the activation's derivative in one backward pass (f32_dropout_clamp_grad).
// Trained with the fusion on and off, the weights are identical. Runs on every build (this folder
// is in every vitest project), the threads builds with two threads, where large dropout masks are
// also split across threads.
import { afterEach, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { fusion } from '../../src/model/training.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';

beforeAll(async () => {
  await testBackend();
});
afterEach(() => {
  fusion.dropoutActivationGrad = true;
});

async function train(fused: boolean, optimizer: string, inspect?: (m: km.Sequential) => void): Promise<number[][]> {
  fusion.dropoutActivationGrad = fused;
  const rng = new Rng(11);
  const n = 300;
  const x = km.tensor(Float32Array.from({ length: n * 37 }, () => rng.uniform(-2, 2)), [n, 37]);
  const y = Array.from({ length: n }, () => rng.int(3));
  km.setSeed(5);
  const m = km.sequential({ layers: [
    km.layers.dense({ units: 130, activation: 'relu', inputShape: [37] }),
    km.layers.dropout({ rate: 0.4 }),
    km.layers.dense({ units: 33, activation: 'relu6', kernelRegularizer: km.regularizers.l1l2({ l1: 1e-3, l2: 1e-2 }) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 21, activation: 'relu', activityRegularizer: km.regularizers.l2(1e-3) }),
    km.layers.dropout({ rate: 0.25 }),
    km.layers.dense({ units: 17, activation: 'relu' }),
    km.layers.dropout({ rate: 0.3, noiseShape: [null, 1] }),
    km.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  m.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  await m.fit(x, y, { epochs: 3, batchSize: 64, verbose: 0 });
  inspect?.(m);
  const w = m.getWeights().map((t) => Array.from(t.data));
  m.dispose();
  return w;
}

test.each(['adam', 'sgd'])('Dense(ReLU/ReLU6) → Dropout: the fused backward gives bit-identical weights (%s)', async (optimizer) => {
  const fused = await train(true, optimizer, (m) => {
    const dense = m.layers.filter((l): l is Dense => l instanceof Dense).map((l) => l.activationGradFused);
    // Fused: the ReLU and ReLU6 layers; not the one with an activity regularizer, not before a
    // broadcast (per-sample) mask, not the output layer.
    expect(dense).toEqual([true, true, false, false, false]);
    const drops = m.layers.filter((l): l is Dropout => l instanceof Dropout).map((l) => l.fusedActivation?.name ?? null);
    expect(drops).toEqual(['relu', 'relu6', null, null]);
  });
  const plain = await train(false, optimizer, (m) => {
    expect(m.layers.filter((l): l is Dense => l instanceof Dense).some((l) => l.activationGradFused)).toBe(false);
  });
  expectSameNumbers(fused, plain, 'weights');
  // And training did something (the comparison is not between two untouched models).
  km.setSeed(5);
  expect(fused[0]!.some((v) => Number.isFinite(v) && v !== 0)).toBe(true);
});

test('the fused backward matches the unfused one when dropout is inactive (rate 0) too', async () => {
  const run = async (fused: boolean) => {
    fusion.dropoutActivationGrad = fused;
    const rng = new Rng(3);
    const x = km.tensor(Float32Array.from({ length: 64 * 9 }, () => rng.uniform(-1, 1)), [64, 9]);
    const y = km.tensor(Float32Array.from({ length: 64 * 2 }, () => rng.uniform(-1, 1)), [64, 2]);
    km.setSeed(2);
    const m = km.sequential({ layers: [
      km.layers.dense({ units: 19, activation: 'relu', inputShape: [9] }),
      km.layers.dropout({ rate: 0 }),
      km.layers.dense({ units: 2 }),
    ] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const { grads } = m.engine.lossAndGradients(x, y);
    const g = grads.map((t) => Array.from(t.data));
    m.dispose();
    return g;
  };
  expectSameNumbers(await run(true), await run(false), 'gradients');
});

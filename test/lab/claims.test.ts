// The claims of the overfitting lab, measured by the lab's own code on a small but long-enough
// run (500 MNIST training digits, 784-256-256-10, 40 epochs), averaged over three seeds:
// - L2 shrinks the weights: its kernel L2 norm is below the baseline's;
// - proximal L1 sets weights exactly to 0, also weights of pixels that are non-zero in the
//   training set (where the gradient is not zero); the baseline has no exact zeros at all;
// - dropout lowers the variance: its train - test accuracy gap is below the baseline's.
import { beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
// @ts-expect-error: plain JS modules, the lab and its data
import { runLab } from '../../examples/lab.mjs';
// @ts-expect-error: plain JS module shared with the main job
import { loadMnist } from '../../examples/mnist.mjs';
import type { Lab, LabResult } from './lab-types.js';

const SEEDS = [1, 2, 3];
const RUN = { chapters: ['mlp'], variants: ['baseline', 'l2', 'l1', 'dropout'], train: 500, val: 500, units: 256, epochs: 40, batch: 32, verbose: 0, out: null, log: () => {} };
const runs: Record<string, LabResult[]> = { baseline: [], l2: [], l1: [], dropout: [] };
/** Pixels (rows of the first kernel) that are non-zero in at least one training image. */
let activePixels: number[];

beforeAll(async () => {
  await testBackend();
  const { xTrain } = loadMnist({ seed: 42, trainCount: RUN.train }) as { xTrain: Float32Array };
  const active = new Uint8Array(784);
  for (let i = 0; i < xTrain.length; i++) if (xTrain[i] !== 0) active[i % 784] = 1;
  activePixels = [...active.keys()].filter((p) => active[p] === 1);
  for (const seed of SEEDS) {
    const lab = await runLab(km, { ...RUN, seed }) as Lab;
    expect(lab.skipped).toEqual([]);
    for (const r of lab.results) runs[r.id]!.push(r);
  }
}, 600_000);

const mean = (id: string, f: (r: LabResult) => number) => runs[id]!.reduce((s, r) => s + f(r), 0) / runs[id]!.length;

/** Exact zeros among the first-layer weights of pixels that are non-zero in the training set. */
function zerosOnActivePixels(r: LabResult): number {
  const [first] = r.kernels;
  const units = first!.shape[1]!;
  let zeros = 0;
  for (const p of activePixels) for (let j = 0; j < units; j++) if (first!.data[p * units + j] === 0) zeros++;
  return zeros;
}

test('the runs are long enough to overfit: the baseline fits its training digits, not the test ones', () => {
  expect(activePixels.length).toBeGreaterThan(500);
  expect(mean('baseline', (r) => r.trainAcc)).toBeGreaterThan(0.99);
  expect(mean('baseline', (r) => r.gap)).toBeGreaterThan(0.05);
  for (const r of runs.baseline!) expect(r.diagnosis.verdict).toBe('overfits');
});

test("L2's kernel norm is below the baseline's", () => {
  const l2 = mean('l2', (r) => r.norm);
  const base = mean('baseline', (r) => r.norm);
  expect(l2).toBeLessThan(0.8 * base);
});

test('proximal L1 has exact zeros among weights of pixels seen in training; the baseline has none', () => {
  const perSeed = runs.l1!.map(zerosOnActivePixels);
  for (const z of perSeed) expect(z).toBeGreaterThan(0);
  const fraction = mean('l1', zerosOnActivePixels) / (activePixels.length * runs.l1![0]!.kernels[0]!.shape[1]!);
  expect(fraction).toBeGreaterThan(0.05);
  for (const r of runs.baseline!) {
    expect(zerosOnActivePixels(r)).toBe(0);
    expect(r.zeroFraction).toBe(0);
  }
});

test("dropout's train - test gap is below the baseline's", () => {
  expect(mean('dropout', (r) => r.gap)).toBeLessThan(mean('baseline', (r) => r.gap));
});

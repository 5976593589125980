// The claims of the lab's image chapter, measured by the lab's own code on a smaller run than
// npm start's (500 MNIST training digits, 500 validation, the chapter's convnet, 20 epochs), over
// three seeds:
// - the convnet without a remedy overfits: it learns its training digits, not the test ones;
// - L2 on the kernels shrinks them: its kernel L2 norm is below the baseline's;
// - dropout and augmentation lower the variance: their train − test gap is below the baseline's;
// - augmentation also gives a higher test accuracy and a lower test loss than no remedy.
import { beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
// @ts-expect-error: plain JS module, the lab itself
import { runLab } from '../../examples/lab.mjs';
import type { Lab, LabResult } from './lab-types.js';

const SEEDS = [1, 2, 3];
const RUN = { chapters: ['images'], imageVariants: ['baseline', 'l2', 'dropout', 'augmentation'], train: 500, val: 500, imageEpochs: 20, batch: 32, verbose: 0, out: null, log: () => {} };
const runs: Record<string, LabResult[]> = { baseline: [], l2: [], dropout: [], augmentation: [] };

beforeAll(async () => {
  await testBackend();
  for (const seed of SEEDS) {
    const lab = await runLab(km, { ...RUN, seed }) as Lab;
    expect(lab.images!.skipped).toEqual([]);
    for (const r of lab.images!.results) runs[r.id]!.push(r);
  }
}, 600_000);

const mean = (id: string, f: (r: LabResult) => number) => runs[id]!.reduce((s, r) => s + f(r), 0) / runs[id]!.length;

test('the runs overfit: the baseline convnet fits its training digits, not the test ones', () => {
  expect(mean('baseline', (r) => r.trainAcc)).toBeGreaterThan(0.99);
  expect(mean('baseline', (r) => r.gap)).toBeGreaterThan(0.05);
  for (const r of runs.baseline!) expect(r.diagnosis.verdict).toBe('overfits');
});

test("L2's kernel norm is below the baseline's", () => {
  expect(mean('l2', (r) => r.norm)).toBeLessThan(0.8 * mean('baseline', (r) => r.norm));
});

test("dropout's and augmentation's train − test gaps are below the baseline's", () => {
  const base = mean('baseline', (r) => r.gap);
  expect(mean('dropout', (r) => r.gap)).toBeLessThan(base);
  expect(mean('augmentation', (r) => r.gap)).toBeLessThan(base);
});

test('augmentation tests better than no remedy: higher accuracy, lower loss, on every seed', () => {
  for (let i = 0; i < SEEDS.length; i++) {
    expect(runs.augmentation![i]!.testAcc).toBeGreaterThan(runs.baseline![i]!.testAcc);
    expect(runs.augmentation![i]!.testLoss).toBeLessThan(runs.baseline![i]!.testLoss);
  }
});

// km.diagnose: one verdict and one sentence with its numbers, from a History.
import { describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';

const h = (history: Record<string, number[]>, epoch?: number[]) => (epoch === undefined ? { history } : { epoch, history });

test('validation loss that rose from its lowest point overfits, from the epoch after it', () => {
  const d = km.diagnose(h({
    loss: [1.2, 0.6, 0.35, 0.2, 0.1, 0.05],
    accuracy: [0.6, 0.8, 0.9, 0.95, 0.98, 0.99],
    val_loss: [1.0, 0.7, 0.55, 0.6, 0.7, 0.85],
    val_accuracy: [0.65, 0.78, 0.84, 0.84, 0.83, 0.83],
  }));
  expect(d.verdict).toBe('overfits');
  expect(d.risingFrom).toBe(4);
  expect(d.bestEpoch).toBe(3);
  expect(d.sentence).toBe('Overfits: validation loss was lowest at epoch 3 (0.5500) and rose from epoch 4 to 0.8500 at epoch 6 (+54.5 %), while training loss went to 0.0500; accuracy 0.9900 on training vs 0.8300 on validation (gap 0.1600).');
});

test('epochs count from 1 after initialEpoch, as the progress bar does', () => {
  const d = km.diagnose(h({ loss: [0.5, 0.3, 0.2, 0.1], val_loss: [0.4, 0.3, 0.5, 0.6] }, [10, 11, 12, 13]));
  expect(d.bestEpoch).toBe(12);
  expect(d.risingFrom).toBe(13);
});

test('a rise below the tolerance is noise; a large train-validation accuracy gap still overfits', () => {
  const history = h({ loss: [0.5, 0.2, 0.1, 0.1], accuracy: [0.9, 0.97, 0.99, 0.99], val_loss: [0.40, 0.30, 0.31, 0.32], val_accuracy: [0.88, 0.9, 0.9, 0.9] });
  const d = km.diagnose(history);
  expect(d.verdict).toBe('overfits');
  expect(d.risingFrom).toBeUndefined();
  expect(d.sentence).toBe('Overfits: accuracy 0.9900 on training vs 0.9000 on validation (gap 0.0900 ≥ 0.0500), though validation loss 0.3200 at epoch 4 is within 10.0 % of its lowest (0.3000 at epoch 2).');
  expect(km.diagnose(history, { riseTolerance: 0.05 }).risingFrom).toBe(3);
  expect(km.diagnose(history, { gapTolerance: 0.1 }).verdict).toBe('fits');
});

test('low training accuracy underfits', () => {
  const d = km.diagnose(h({ loss: [1.5, 1.2, 1.19, 1.19], accuracy: [0.4, 0.55, 0.6, 0.6], val_loss: [1.5, 1.25, 1.2, 1.2], val_accuracy: [0.4, 0.55, 0.59, 0.6] }));
  expect(d.verdict).toBe('underfits');
  expect(d.sentence).toBe('Underfits: training accuracy is 0.6000, below 0.9000 (validation 0.6000), and training loss is 1.1900; validation loss 1.2000 at epoch 4 is within 10.0 % of its lowest (1.2000 at epoch 3).');
  expect(km.diagnose(h({ loss: [1.5, 1.2, 1.19, 1.19], accuracy: [0.4, 0.55, 0.6, 0.6], val_loss: [1.5, 1.25, 1.2, 1.2], val_accuracy: [0.4, 0.55, 0.59, 0.6] }), { minAccuracy: 0.5 }).verdict).toBe('fits');
});

test('a training loss still falling underfits (more epochs would lower the bias)', () => {
  const d = km.diagnose(h({ loss: [1, 0.8, 0.6, 0.45, 0.35, 0.27, 0.2, 0.15], val_loss: [1, 0.82, 0.62, 0.47, 0.37, 0.3, 0.24, 0.2] }));
  expect(d.verdict).toBe('underfits');
  expect(d.sentence).toBe('Underfits: training loss is still falling, 22.2 % per epoch over the last 2 epochs to 0.1500, and validation loss 0.2000 is at its lowest at epoch 8.');
});

test('a levelled-off training loss with validation close to it fits', () => {
  const d = km.diagnose(h({ loss: [0.5, 0.3, 0.25, 0.248, 0.247], accuracy: [0.85, 0.91, 0.93, 0.93, 0.93], val_loss: [0.5, 0.31, 0.27, 0.265, 0.27], val_accuracy: [0.85, 0.9, 0.92, 0.92, 0.92] }));
  expect(d.verdict).toBe('fits');
  expect(d.risingFrom).toBeUndefined();
  expect(d.bestEpoch).toBe(4);
  expect(d.sentence).toBe('Fits: validation loss 0.2700 at epoch 5 is within 10.0 % of its lowest (0.2650 at epoch 4), training loss has levelled off at 0.2470 (0.4 % per epoch over the last 1 epoch), and accuracy 0.9300 on training vs 0.9200 on validation (gap 0.0100).');
});

test('a real fit: the History from fit is read as it is', async () => {
  km.setSeed(1);
  const model = km.sequential({ layers: [km.layers.dense({ units: 2, activation: 'softmax', inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = km.tensor(new Float32Array([1, 0, 0, 1, 1, 0.1, 0.1, 1, 0.9, 0, 0, 0.9, 1, 0.2, 0.2, 1]), [8, 2]);
  const history = await model.fit(x, [0, 1, 0, 1, 0, 1, 0, 1], { epochs: 3, validationSplit: 0.25, verbose: 0 });
  const d = km.diagnose(history);
  expect(['underfits', 'overfits', 'fits']).toContain(d.verdict);
  expect(d.sentence).toContain(history.history.loss!.at(-1)!.toFixed(4));
  model.dispose();
});

test('without validation loss it says what to do, in Keras wording', () => {
  expect(() => km.diagnose(h({ loss: [1, 0.5] }))).toThrow('Invalid value received for argument `history`: expected a History with `loss` and `val_loss` (fit with validationSplit or validationData). Received: history with keys loss');
  expect(() => km.diagnose(h({ loss: [1], val_loss: [Number.NaN] }))).toThrow(km.ValueError);
  expect(() => km.diagnose(h({ loss: [1], val_loss: [1] }), { riseTolerance: -1 })).toThrow('Invalid value received for argument `riseTolerance`: expected a non-negative finite number. Received: riseTolerance=-1');
  expect(() => km.diagnose(42)).toThrow(km.ValueError);
});

test('high bias comes first: low training accuracy underfits even with a train–validation gap', () => {
  const d = km.diagnose(h({
    loss: [1.9, 1.6, 1.5, 1.45, 1.44],
    accuracy: [0.3, 0.42, 0.47, 0.49, 0.5],
    val_loss: [1.95, 1.75, 1.7, 1.68, 1.67],
    val_accuracy: [0.28, 0.38, 0.41, 0.42, 0.42],
  }));
  expect(d.verdict).toBe('underfits');
  expect(d.sentence).toMatch(/^Underfits: training accuracy is 0.5000, below 0.9000 \(validation 0.4200\)/);
});

test('without an accuracy metric, a training loss stuck at chance underfits', () => {
  const d = km.diagnose(h({ loss: [2.3026, 2.3025, 2.3025, 2.3024], val_loss: [2.3027, 2.3026, 2.3026, 2.3026] }));
  expect(d.verdict).toBe('underfits');
  expect(d.sentence).toMatch(/^Underfits: training loss hardly moved, from 2.3026 at epoch 1 to 2.3024 at epoch 4/);
});

describe('regressions (no accuracy metric): judged by the gap between validation and training loss', () => {
  test('validation MSE 2.8× the training MSE overfits, though validation loss is at its lowest and training loss still falls', () => {
    const d = km.diagnose(h({ loss: [1.0, 0.5, 0.3, 0.2, 0.15, 0.12, 0.1], val_loss: [1.05, 0.6, 0.4, 0.32, 0.29, 0.28, 0.28] }));
    expect(d.verdict).toBe('overfits');
    expect(d.risingFrom).toBeUndefined();
    expect(d.sentence).toBe('Overfits: validation loss 0.2800 is 2.80× the training loss 0.1000 at epoch 7 (≥ 1.50×), and validation loss 0.2800 at epoch 7 is within 10.0 % of its lowest (0.2800 at epoch 6).');
    expect(km.diagnose(h({ loss: [1.0, 0.5, 0.3, 0.2, 0.15, 0.12, 0.1], val_loss: [1.05, 0.6, 0.4, 0.32, 0.29, 0.28, 0.28] }), { ratioTolerance: 3 }).verdict).toBe('underfits');
  });

  test('a validation loss that stopped improving and drifts up while training loss keeps falling overfits (ratio below the tolerance)', () => {
    const d = km.diagnose(h({ loss: [1, 0.6, 0.48, 0.42, 0.4, 0.385, 0.37, 0.36], val_loss: [1.02, 0.62, 0.5, 0.46, 0.462, 0.465, 0.468, 0.47] }));
    expect(d.verdict).toBe('overfits');
    expect(d.bestEpoch).toBe(4);
    expect(d.sentence).toBe('Overfits: validation loss has not improved since epoch 4 (0.4600) and trends up (+0.6 % per epoch) to 0.4700 at epoch 8, while training loss fell 14.3 % to 0.3600; validation loss is 1.31× the training loss.');
  });

  test('a regression whose training loss still falls with validation close behind underfits', () => {
    const d = km.diagnose(h({ loss: [1, 0.8, 0.62, 0.5, 0.41, 0.34, 0.28, 0.23], val_loss: [1.05, 0.84, 0.66, 0.54, 0.45, 0.38, 0.32, 0.27] }));
    expect(d.verdict).toBe('underfits');
    expect(d.sentence).toMatch(/^Underfits: training loss is still falling/);
  });

  test('a regression whose losses levelled off close together fits, and says the ratio', () => {
    const d = km.diagnose(h({ loss: [1, 0.5, 0.3, 0.25, 0.24, 0.237, 0.236, 0.2355], val_loss: [1.1, 0.55, 0.33, 0.27, 0.262, 0.26, 0.259, 0.2585] }));
    expect(d.verdict).toBe('fits');
    expect(d.sentence).toBe('Fits: validation loss 0.2585 is at its lowest at epoch 8, training loss has levelled off at 0.2355 (0.3 % per epoch over the last 2 epochs), and validation loss is 1.10× the training loss.');
  });

  test('a near-perfect fit whose tiny losses differ by more than the ratio is not overfitting (the gap is rounding noise)', () => {
    const d = km.diagnose(h({ loss: [1, 0.01, 1e-6, 1e-7, 1e-7, 1e-7], val_loss: [1.1, 0.012, 2e-6, 3e-7, 3e-7, 3e-7] }));
    expect(d.verdict).toBe('fits');
  });
});

test('the options object is checked: unknown keys are refused with kerasm\'s name', () => {
  const history = h({ loss: [1, 0.5], val_loss: [1, 0.6] });
  expect(() => km.diagnose(history, { rise_tolerance: 0.2 } as never)).toThrow('Unrecognized options passed to diagnose: rise_tolerance. Use `riseTolerance` instead of `rise_tolerance`');
  expect(() => km.diagnose(history, { patience: 3 } as never)).toThrow(km.ValueError);
  expect(() => km.diagnose(history, null as never)).toThrow(km.ValueError);
  expect(() => km.diagnose(history, { ratioTolerance: -1 })).toThrow('Invalid value received for argument `ratioTolerance`: expected a non-negative finite number. Received: ratioTolerance=-1');
});

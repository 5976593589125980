// Callbacks on scripted log sequences, after Keras 3's own tests
// (keras/src/callbacks/early_stopping_test.py, reduce_lr_on_plateau_test.py,
// learning_rate_scheduler_test.py, terminate_on_nan_test.py) and the logic in
// keras/src/callbacks/{monitor_callback,early_stopping,reduce_lr_on_plateau,learning_rate_scheduler}.py.
import { afterEach, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import type { CallbackModel, WeightSnapshot } from '../../src/callbacks/index.js';

/** Keras's DummyModel: its "weights" are the epoch number set before each epoch end. */
class DummyModel implements CallbackModel {
  stopTraining = false;
  weights = -1;
  snapshots = 0;
  optimizer: { learningRate: number; iterations: number } | null = { learningRate: 1, iterations: 0 };
  weightSnapshot(): WeightSnapshot {
    this.snapshots++;
    let saved: number | null = null;
    return {
      capture: () => {
        saved = this.weights;
      },
      restore: () => {
        if (saved === null) throw new Error('restore before capture');
        this.weights = saved;
      },
      dispose: () => {
        saved = null;
      },
    };
  }
}

/** Runs the hooks over scripted logs as fit does; returns the epochs run. */
async function script(cb: km.callbacks.Callback, model: CallbackModel & { weights?: number }, logs: Record<string, number>[],
  stopAt: number | null = null): Promise<number> {
  cb.setModel(model);
  model.stopTraining = false;
  const hooks = cb as km.callbacks.CallbackHooks;
  await hooks.onTrainBegin?.();
  let epochs = 0;
  for (let e = 0; e < logs.length; e++) {
    await hooks.onEpochBegin?.(e, {});
    epochs++;
    if ('weights' in model) model.weights = e;
    await hooks.onEpochEnd?.(e, { ...logs[e]! });
    if (stopAt === e) model.stopTraining = true;
    if (model.stopTraining) break;
  }
  await hooks.onTrainEnd?.();
  return epochs;
}

const series = (key: string, values: number[]) => values.map((v) => ({ [key]: v }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('earlyStopping', () => {
  test('patience 0..3 on Keras\'s loss sequence stops at epoch max(patience, 1) + 2', async () => {
    const losses = [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5];
    for (const patience of [0, 1, 2, 3]) {
      const stopper = km.callbacks.earlyStopping({ monitor: 'loss', patience });
      await script(stopper, new DummyModel(), series('loss', losses));
      expect(stopper.stoppedEpoch, `patience ${patience}`).toBe(Math.max(patience, 1) + 2);
    }
  });
  test('restoreBestWeights restores the best epoch (Keras: 0.2, 0.15, 0.1, 0.11, 0.12 → epoch 2)', async () => {
    const model = new DummyModel();
    const es = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const epochs = await script(es, model, series('val_loss', [0.2, 0.15, 0.1, 0.11, 0.12]));
    expect(epochs).toBe(5);
    expect(model.weights).toBe(2);
  });
  test('no epoch beats the baseline: trains `patience` epochs and restores the best of them', async () => {
    const model = new DummyModel();
    const es = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, baseline: 0.5, restoreBestWeights: true });
    expect(await script(es, model, series('val_loss', [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]))).toBe(5);
    expect(model.weights).toBe(2);
  });
  test('another callback stops training: the best weights are still restored', async () => {
    const model = new DummyModel();
    const es = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5, baseline: 0.5, restoreBestWeights: true });
    expect(await script(es, model, series('val_loss', [0.9, 0.8, 0.7, 0.71, 0.72, 0.73]), 3)).toBe(4);
    expect(model.weights).toBe(2);
  });
  test('the snapshot buffer is taken once per model and reused across fit calls; state resets', async () => {
    const model = new DummyModel();
    const es = km.callbacks.earlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    await script(es, model, series('loss', [3, 2, 4, 5]));
    expect(es.stoppedEpoch).toBe(2);
    expect(model.weights).toBe(1);
    await script(es, model, series('loss', [9, 8, 7]));
    expect(es.stoppedEpoch).toBe(0);
    expect(es.best).toBe(7);
    expect(model.weights).toBe(2);
    expect(model.snapshots).toBe(1);
  });
  test('minDelta: improvements smaller than it do not reset the wait', async () => {
    const es = km.callbacks.earlyStopping({ monitor: 'loss', patience: 2, minDelta: 0.1 });
    // 1.0 → 0.95 (−0.05) and 0.95 → 0.9 are not improvements over best 1.0 (+0.1 needed).
    expect(await script(es, new DummyModel(), series('loss', [1.0, 0.95, 0.91, 0.5]))).toBe(3);
    const loose = km.callbacks.earlyStopping({ monitor: 'loss', patience: 2 });
    expect(await script(loose, new DummyModel(), series('loss', [1.0, 0.95, 0.91, 0.5]))).toBe(4);
  });
  test('mode auto: accuracy goes up, loss goes down; mode max forces up', async () => {
    const acc = km.callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1 });
    // patience 1: the first epoch without improvement stops (Keras counts the wait before comparing).
    expect(await script(acc, new DummyModel(), series('val_accuracy', [0.5, 0.6, 0.55, 0.54, 0.9]))).toBe(3);
    expect(acc.best).toBe(0.6);
    const forced = km.callbacks.earlyStopping({ monitor: 'val_loss', mode: 'max', patience: 1 });
    expect(await script(forced, new DummyModel(), series('val_loss', [1, 2, 1.5, 1.4]))).toBe(3);
    expect(forced.best).toBe(2);
  });
  test('startFromEpoch: epochs before it are not monitored', async () => {
    const es = km.callbacks.earlyStopping({ monitor: 'loss', patience: 1, startFromEpoch: 3 });
    // Without the warm-up the rise at epoch 1 would stop training at epoch 2.
    expect(await script(es, new DummyModel(), series('loss', [1, 2, 3, 3, 2, 2.5, 2.6]))).toBe(6);
    expect(es.stoppedEpoch).toBe(5);
  });
  test('an unknown monitor key warns once per fit, listing the available keys, and never stops', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const es = km.callbacks.earlyStopping({ monitor: 'val_los', patience: 0 });
    const logs = [{ loss: 1, val_loss: 1 }, { loss: 2, val_loss: 2 }, { loss: 3, val_loss: 3 }];
    expect(await script(es, new DummyModel(), logs)).toBe(3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe('Early stopping conditioned on metric `val_los` which is not available. Available metrics are: loss,val_loss');
    await script(es, new DummyModel(), logs);
    expect(warn).toHaveBeenCalledTimes(2);
  });
  test('mode auto on a name it cannot read throws Keras\'s ValueError; bad options are ValueErrors', async () => {
    const es = km.callbacks.earlyStopping({ monitor: 'my_score' });
    await expect(script(es, new DummyModel(), series('my_score', [1]))).rejects.toThrow(/isn't able to automatically determine whether that metric should be maximized or minimized/);
    expect(() => km.callbacks.earlyStopping({ patience: -1 })).toThrow(new km.ValueError('Invalid value received for argument `patience`: expected a non-negative integer. Received: patience=-1'));
    expect(() => km.callbacks.earlyStopping({ mode: 'up' as 'max' })).toThrow(/argument `mode`: expected one of 'auto', 'min', 'max'/);
  });
});

describe('reduceLROnPlateau', () => {
  test('patience 2, cooldown 1, factor 0.5 on a flat loss: halves every other epoch after the first wait', async () => {
    const model = new DummyModel();
    const cb = km.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 2, cooldown: 1, factor: 0.5, minDelta: 0 });
    const seen: number[] = [];
    const lrs: number[] = [];
    cb.setModel(model);
    cb.onTrainBegin();
    for (let e = 0; e < 6; e++) {
      const logs: Record<string, number> = { loss: 1 };
      cb.onEpochEnd(e, logs);
      seen.push(logs.learning_rate!);
      lrs.push(model.optimizer!.learningRate);
    }
    // Logged: the rate the epoch ran with; set: the rate for the next one.
    expect(seen).toEqual([1, 1, 1, 0.5, 0.5, 0.25]);
    expect(lrs).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });
  test('improvements reset the wait; minDelta (default 1e-4) decides what improves', async () => {
    const model = new DummyModel();
    const cb = km.callbacks.reduceLROnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.1 });
    await script(cb, model, series('val_loss', [1, 0.5, 0.25, 0.24995, 0.1]));
    // Only epoch 3 (−0.00005 < 1e-4) fails to improve: one reduction.
    expect(model.optimizer!.learningRate).toBeCloseTo(0.1, 12);
  });
  test('minLr is a floor (Keras test_honors_min_lr)', async () => {
    const model = new DummyModel();
    model.optimizer!.learningRate = 0.01;
    const cb = km.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 1, factor: 0.1, minDelta: 10, minLr: 0.005 });
    await script(cb, model, series('loss', [1, 1, 1, 1]));
    expect(model.optimizer!.learningRate).toBe(0.005);
  });
  test('state resets across fit calls; factor ≥ 1 is refused with Keras\'s message', async () => {
    const cb = km.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 1, cooldown: 2 });
    const model = new DummyModel();
    await script(cb, model, series('loss', [1, 2, 3]));
    cb.onTrainBegin();
    expect([cb.best, cb.wait, cb.cooldownCounter]).toEqual([null, 0, 0]);
    expect(() => km.callbacks.reduceLROnPlateau({ factor: 1 })).toThrow('ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1');
  });
  test('over a learning-rate schedule it throws (the rate is not settable), as Keras', async () => {
    const m = km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: km.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.9 }) }), loss: 'mse' });
    const cb = km.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, minDelta: 100 });
    const x = [[1, 2], [3, 4]];
    await expect(m.fit(x, [[1], [2]], { epochs: 2, verbose: 0, callbacks: [cb] })).rejects.toThrow(/not settable/);
    m.dispose();
  });
});

describe('learningRateScheduler', () => {
  test('sets schedule(epoch, lr) before each epoch and logs learning_rate (Keras docstring example: 0.01 → 0.00607)', async () => {
    const model = new DummyModel();
    model.optimizer!.learningRate = 0.01;
    const cb = km.callbacks.learningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
    const logs = Array.from({ length: 15 }, () => ({ loss: 1 }));
    const seen: number[] = [];
    cb.setModel(model);
    for (let e = 0; e < 15; e++) {
      cb.onEpochBegin(e);
      const l: Record<string, number> = { ...logs[e]! };
      cb.onEpochEnd(e, l);
      seen.push(l.learning_rate!);
    }
    expect(model.optimizer!.learningRate).toBeCloseTo(0.01 * Math.exp(-0.5), 12);
    expect(Math.round(model.optimizer!.learningRate * 1e5) / 1e5).toBe(0.00607);
    expect(seen[9]).toBe(0.01);
    expect(seen[10]).toBeCloseTo(0.01 * Math.exp(-0.1), 12);
  });
  test('a schedule that returns no number is refused', () => {
    const cb = km.callbacks.learningRateScheduler(() => Number.NaN);
    cb.setModel(new DummyModel());
    expect(() => cb.onEpochBegin(0)).toThrow(/argument `schedule`: expected a function returning a non-negative finite number \(epoch 0\)\. Received: schedule=NaN/);
  });
});

describe('terminateOnNaN', () => {
  test('stops at the first non-finite batch loss; finite losses pass', () => {
    const model = new DummyModel();
    const cb = km.callbacks.terminateOnNaN();
    cb.setModel(model);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    cb.onBatchEnd(0, { loss: 1 });
    expect(model.stopTraining).toBe(false);
    cb.onBatchEnd(1, { loss: Infinity });
    expect(model.stopTraining).toBe(true);
    expect(log).toHaveBeenCalledWith('Batch 1: Invalid loss, terminating training');
    expect(() => km.callbacks.terminateOnNaN({ raiseError: true }).onBatchEnd(4, { loss: NaN })).toThrow('NaN or Inf loss encountered at batch 4. Loss value: NaN. Terminating training immediately.');
  });
});

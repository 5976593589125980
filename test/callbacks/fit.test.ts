// Callbacks inside a real `fit` (Keras 3 keras/src/callbacks/*.py semantics): earlyStopping's
// wasm snapshot, terminateOnNaN stopping gracefully, the learning rate in History, csvLogger's
// file, modelCheckpoint's atomic writes (with a stub model and with model.save).
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { CallbackModel } from '../../src/callbacks/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

let b: Backend;
let dir: string;
beforeAll(async () => {
  b = await testBackend();
  dir = mkdtempSync(join(tmpdir(), 'kerasm-callbacks-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function regression(n: number, f: number, seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * f }, () => rng.uniform(-1, 1));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < f; j++) s += x[i * f + j]! * (j + 1) * 0.3;
    y[i] = s + 0.3 * rng.uniform(-1, 1);
  }
  return { x: km.tensor(x, [n, f]), y: km.tensor(y, [n, 1]) };
}

function model(seed = 3, optimizer: km.optimizers.Optimizer | string = km.optimizers.sgd({ learningRate: 0.05 })) {
  km.setSeed(seed);
  const m = km.sequential({ layers: [km.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 1 })] });
  m.compile({ optimizer, loss: 'mse' });
  return m;
}

describe('earlyStopping in fit', () => {
  test('restoreBestWeights leaves exactly the weights of the epoch with the lowest val_loss', async () => {
    const { x, y } = regression(64, 4, 1);
    const val = regression(16, 4, 2);
    // A high learning rate makes val_loss bounce, so the best epoch is not the last.
    const m = model(5, km.optimizers.sgd({ learningRate: 0.3 }));
    const perEpoch: Float32Array[][] = [];
    const record = { onEpochEnd: () => void perEpoch.push(m.getWeights().map((t) => t.data)) };
    const es = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 100, restoreBestWeights: true });
    const h = await m.fit(x, y, { epochs: 12, batchSize: 8, verbose: 0, validationData: [val.x, val.y], callbacks: [record, es] });
    const vl = h.history.val_loss!;
    const best = vl.indexOf(Math.min(...vl));
    expect(best).toBeLessThan(vl.length - 1);
    expect(es.bestEpoch).toBe(best);
    const now = m.getWeights();
    now.forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(perEpoch[best]![i]!)));
    expect(Array.from(now[0]!.data)).not.toEqual(Array.from(perEpoch[vl.length - 1]![0]!));
    m.dispose();
  });
  test('stops a fit, is reused by the next one, and its one snapshot buffer is freed with the model', async () => {
    const { x, y } = regression(64, 4, 1);
    const m = model();
    const before = b.arena.usedBytes;
    m.getWeights();
    const allocated = b.arena.usedBytes;
    const es = km.callbacks.earlyStopping({ monitor: 'loss', patience: 0, minDelta: 1e9, restoreBestWeights: true });
    const h1 = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [es] });
    expect(h1.epoch).toEqual([0, 1]);
    const afterFirst = b.arena.usedBytes;
    const h2 = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [es] });
    expect(h2.epoch).toEqual([0, 1]);
    expect(b.arena.usedBytes).toBe(afterFirst);
    const weightBytes = m.weights.reduce((s, w) => s + w.size * 4, 0);
    expect(afterFirst - allocated).toBeGreaterThanOrEqual(weightBytes);
    m.dispose();
    expect(b.arena.usedBytes).toBe(before);
  });
});

describe('terminateOnNaN in fit', () => {
  const diverging = () => {
    const { x, y } = regression(32, 4, 7);
    // SGD at lr 1e6 on MSE overflows to ∞ within a few steps.
    return { x, y, m: model(2, km.optimizers.sgd({ learningRate: 1e6 })) };
  };
  test('without it, fit rejects on a non-finite loss', async () => {
    const { x, y, m } = diverging();
    await expect(m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0 })).rejects.toThrow(/Training stopped: the loss became/);
    m.dispose();
  });
  test('with it, fit ends normally: epoch and train-end hooks run, weights are the last finite step\'s', async () => {
    const { x, y, m } = diverging();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const events: string[] = [];
    let lastGood: Float32Array[] = [];
    const spy = {
      onBatchEnd: (_b: number, logs?: km.callbacks.Logs) => {
        if (Number.isFinite(logs!.loss!)) lastGood = m.getWeights().map((t) => t.data);
      },
      onEpochEnd: (e: number) => void events.push(`epoch ${e}`),
      onTrainEnd: () => void events.push('end'),
    };
    const h = await m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, shuffle: false, callbacks: [km.callbacks.terminateOnNaN(), spy] });
    log.mockRestore();
    expect(events[events.length - 1]).toBe('end');
    expect(h.epoch.length).toBe(events.length - 1);
    expect(Number.isFinite(h.history.loss![h.history.loss!.length - 1]!)).toBe(false);
    m.getWeights().forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(lastGood[i]!)));
    m.dispose();
  });
  test('raiseError rejects at once', async () => {
    const { x, y, m } = diverging();
    await expect(m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [km.callbacks.terminateOnNaN({ raiseError: true })] }))
      .rejects.toThrow(/NaN or Inf loss encountered at batch \d+/);
    m.dispose();
  });
});

describe('learning rate in History (Keras 3 logs learning_rate)', () => {
  test('learningRateScheduler: history.learning_rate is the rate each epoch ran with', async () => {
    const { x, y } = regression(32, 4, 1);
    const m = model();
    const h = await m.fit(x, y, { epochs: 4, verbose: 0, callbacks: [km.callbacks.learningRateScheduler((e) => 0.1 / (e + 1))] });
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.1 / 3, 0.025]);
    expect(m.optimizer!.learningRate).toBe(0.025);
    m.dispose();
  });
  test('reduceLROnPlateau lowers the optimizer\'s rate during fit', async () => {
    const { x, y } = regression(32, 4, 1);
    const m = model();
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [km.callbacks.reduceLROnPlateau({ monitor: 'loss', patience: 0, minDelta: 1e9, factor: 0.5 })] });
    // Epoch 0 sets the best; epochs 1 and 2 do not beat it by 1e9: two halvings.
    expect(h.history.learning_rate).toEqual([0.05, 0.05, 0.025]);
    expect(m.optimizer!.learningRate).toBe(0.0125);
    m.dispose();
  });
});

describe('csvLogger', () => {
  test('one row per epoch, sorted keys, val_ columns; append keeps one header', async () => {
    const { x, y } = regression(32, 4, 1);
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const file = join(dir, 'log.csv');
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [km.callbacks.csvLogger(file)] });
    let lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('epoch,loss,mae,val_loss,val_mae');
    expect(lines[1]).toBe(`0,${h.history.loss![0]},${h.history.mae![0]},NA,NA`);
    expect(lines.length).toBe(4);
    await m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [km.callbacks.csvLogger(file, { append: true })] });
    lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines.filter((l) => l.startsWith('epoch')).length).toBe(1);
    expect(lines.length).toBe(5);
    await m.fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [km.callbacks.csvLogger(file, { separator: ';' })] });
    lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('epoch;loss;mae;val_loss;val_mae');
    expect(lines.length).toBe(3);
    m.dispose();
  });
});

describe('modelCheckpoint', () => {
  /** A model whose save writes a folder (model.json + weights.bin) and records each call. */
  class StubModel implements CallbackModel {
    stopTraining = false;
    calls: { method: string; target: string }[] = [];
    version = 0;
    failAfterPartialWrite = false;
    async save(target: string): Promise<void> {
      await this.write('save', target);
    }
    async saveWeights(target: string): Promise<void> {
      await this.write('saveWeights', target);
    }
    private async write(method: string, target: string): Promise<void> {
      this.calls.push({ method, target });
      const p = target.slice('file://'.length);
      mkdirSync(p, { recursive: true });
      writeFileSync(join(p, 'model.json'), JSON.stringify({ version: this.version }));
      if (this.failAfterPartialWrite) throw new Error('disk full');
      writeFileSync(join(p, 'weights.bin'), String(this.version));
    }
  }
  async function run(cb: km.callbacks.ModelCheckpoint, m: StubModel, valLosses: number[]) {
    cb.setModel(m);
    cb.onTrainBegin();
    for (let e = 0; e < valLosses.length; e++) {
      m.version = e;
      await cb.onEpochEnd(e, { loss: 1, val_loss: valLosses[e]! });
    }
  }
  test('saveBestOnly saves at improving epochs only, into one path, with no temporary left over', async () => {
    const target = join(dir, 'best');
    const m = new StubModel();
    await run(km.callbacks.modelCheckpoint(target, { saveBestOnly: true }), m, [0.5, 0.4, 0.45, 0.3, 0.35]);
    expect(m.calls.map((c) => c.method)).toEqual(['save', 'save', 'save']);
    expect(m.calls.every((c) => c.target.startsWith(`file://${dir}/.best.tmp-`))).toBe(true);
    expect(JSON.parse(readFileSync(join(target, 'model.json'), 'utf8'))).toEqual({ version: 3 });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
  test('every epoch by default, to paths formatted from epoch and logs; saveWeightsOnly calls saveWeights', async () => {
    const m = new StubModel();
    await run(km.callbacks.modelCheckpoint(`file://${dir}/ep{epoch:02d}-{val_loss:.2f}`, { saveWeightsOnly: true }), m, [0.5, 0.4]);
    expect(m.calls.map((c) => c.method)).toEqual(['saveWeights', 'saveWeights']);
    expect(existsSync(join(dir, 'ep01-0.50', 'weights.bin'))).toBe(true);
    expect(existsSync(join(dir, 'ep02-0.40', 'weights.bin'))).toBe(true);
  });
  test('a save that fails half-way leaves the previous checkpoint intact and no temporary', async () => {
    const target = join(dir, 'atomic');
    const m = new StubModel();
    const cb = km.callbacks.modelCheckpoint(target);
    await run(cb, m, [0.5]);
    m.failAfterPartialWrite = true;
    m.version = 7;
    await expect(cb.onEpochEnd(1, { val_loss: 0.1 })).rejects.toThrow('disk full');
    expect(JSON.parse(readFileSync(join(target, 'model.json'), 'utf8'))).toEqual({ version: 0 });
    expect(readFileSync(join(target, 'weights.bin'), 'utf8')).toBe('0');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
  test('initialValueThreshold must be beaten before the first save; mode max for accuracies', async () => {
    const m = new StubModel();
    await run(km.callbacks.modelCheckpoint(join(dir, 'thr'), { saveBestOnly: true, initialValueThreshold: 0.42 }), m, [0.5, 0.45, 0.41, 0.43]);
    expect(m.calls.length).toBe(1);
    const acc = new StubModel();
    const cb = km.callbacks.modelCheckpoint(join(dir, 'acc'), { saveBestOnly: true, monitor: 'val_accuracy' });
    cb.setModel(acc);
    cb.onTrainBegin();
    for (const [e, v] of [0.5, 0.7, 0.6, 0.8].entries()) await cb.onEpochEnd(e, { val_accuracy: v });
    expect(acc.calls.length).toBe(3);
  });
  test('formatFilepath follows Python format specs', () => {
    expect(km.callbacks.formatFilepath('m-{epoch:03d}-{val_loss:.4f}-{loss}.ckpt', 4, { val_loss: 0.123456, loss: 2 })).toBe('m-005-0.1235-2.ckpt');
    expect(() => km.callbacks.formatFilepath('{nope}', 0, {})).toThrow(/Failed to format this callback filepath/);
  });
  test('with a real model: the checkpoint loads back as the best epoch\'s model', async () => {
    const { x, y } = regression(64, 4, 1);
    const val = regression(16, 4, 2);
    const m = model(5, km.optimizers.sgd({ learningRate: 0.3 }));
    const target = join(dir, 'real');
    const perEpoch: Float32Array[][] = [];
    const record = { onEpochEnd: () => void perEpoch.push(m.getWeights().map((t) => t.data)) };
    const h = await m.fit(x, y, { epochs: 8, batchSize: 8, verbose: 0, validationData: [val.x, val.y],
      callbacks: [record, km.callbacks.modelCheckpoint(target, { saveBestOnly: true })] });
    const vl = h.history.val_loss!;
    const best = vl.indexOf(Math.min(...vl));
    const loaded = await km.loadModel(`file://${target}/model.json`);
    loaded.getWeights().forEach((t, i) => expect(Array.from(t.data)).toEqual(Array.from(perEpoch[best]![i]!)));
    loaded.dispose();
    m.dispose();
  });
});

describe('memory', () => {
  test('repeated fits with a schedule, proximal L1, constraints and callbacks keep wasm memory and the arena flat', async () => {
    const { x, y } = regression(64, 4, 1);
    km.setSeed(9);
    const m = km.sequential({ layers: [
      km.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelRegularizer: km.regularizers.l1({ l1: 0.01, proximal: true }),
        kernelConstraint: km.constraints.maxNorm({ maxValue: 2 }), biasConstraint: km.constraints.nonNeg() }),
      km.layers.dense({ units: 1, kernelConstraint: km.constraints.unitNorm() }),
    ] });
    m.compile({ optimizer: km.optimizers.adam({ learningRate: km.schedules.cosineDecay({ initialLearningRate: 0.01, decaySteps: 100 }) }), loss: 'mse' });
    const es = km.callbacks.earlyStopping({ monitor: 'loss', patience: 50, restoreBestWeights: true });
    const fit = () => m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, classWeight: { 0: 1 }, callbacks: [es, km.callbacks.terminateOnNaN()] });
    await fit();
    const bytes = b.arena.memoryBytes;
    const high = b.arena.highWater;
    const used = b.arena.usedBytes;
    for (let i = 0; i < 20; i++) await fit();
    expect(b.arena.memoryBytes).toBe(bytes);
    expect(b.arena.highWater).toBe(high);
    expect(b.arena.usedBytes).toBe(used);
    m.dispose();
  });
});

// Compile on load from the training configs real files carry: tf.keras 2.15's `Custom>Adam` and
// `MeanMetricWrapper`, metric classes, loss objects, per-output losses / loss_weights / metrics;
// and one warning naming everything kerasm could not read.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import { compileArgsFromJson } from '../../src/io/training-config.js';
import { testBackend } from '../helpers/backend.js';
import { fixture } from './fixtures.js';

beforeAll(async () => {
  await testBackend();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const L = km.layers;

/** A two-output functional model's artifacts with `training_config` in the topology, as Keras writes it. */
async function withTrainingConfig(trainingConfig: unknown): Promise<km.ModelArtifacts> {
  km.setSeed(1);
  const x = km.input({ shape: [3], name: 'x' });
  const h = L.dense({ units: 4, name: 'h' }).apply(x);
  const m = km.model({ inputs: x, outputs: [L.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h), L.dense({ units: 1, name: 'reg' }).apply(h)] });
  let artifacts: km.ModelArtifacts | null = null;
  await m.save(km.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  m.dispose();
  const a = artifacts!;
  return { modelTopology: { ...(a.modelTopology as object), training_config: trainingConfig }, weightSpecs: a.weightSpecs, weightData: a.weightData };
}

const adam = { class_name: 'Custom>Adam', config: { name: 'Adam', learning_rate: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false, use_ema: false, jit_compile: false, is_legacy_optimizer: false } };

describe('real tf.keras 2.15 files', () => {
  test('maternal_keras215: Custom>Adam and MeanMetricWrapper(accuracy, sparse_categorical_accuracy) compile, without a warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = await km.loadModel(fixture('realmodels/maternal_keras215/model.json'));
    expect(m.compiled).not.toBeNull();
    expect(m.compiled!.optimizer.className).toBe('Adam');
    expect(m.compiled!.optimizer.learningRate).toBeCloseTo(0.001, 9);
    expect(m.compiled!.loss.kind).toBe('sparseCategoricalCrossentropy');
    expect(m.compiled!.metricIds).toEqual(['accuracy']);
    expect(m.compiled!.heads[0]!.metrics.map((x) => x.kind)).toEqual(['sparseCategoricalAccuracy']);
    expect(warn).not.toHaveBeenCalled();
    m.dispose();
  });

  test('tfdnnedge_keras215: Custom>Adam with mean_squared_error compiles, and trains', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = await km.loadModel(fixture('realmodels/tfdnnedge_keras215/model.json'));
    expect(m.compiled!.optimizer.className).toBe('Adam');
    expect(m.compiled!.loss.kind).toBe('meanSquaredError');
    expect(warn).not.toHaveBeenCalled();
    const n = m.inputShapes[0]![0]!;
    const out = m.outputShapes[0]![0]!;
    const loss = m.trainOnBatch(km.tensor(new Float32Array(2 * n).fill(0.1), [2, n]), km.tensor(new Float32Array(2 * out).fill(0.5), [2, out]));
    expect(Number.isFinite(loss as number)).toBe(true);
    m.dispose();
  });
});

describe('training configs', () => {
  test('a loss object and a metric class (tf.keras 2.7: BinaryCrossentropy, CategoricalAccuracy)', () => {
    const { args, problems } = compileArgsFromJson({
      loss: { class_name: 'BinaryCrossentropy', config: { reduction: 'auto', name: 'binary_crossentropy', from_logits: true, label_smoothing: 0.1, axis: -1 } },
      metrics: [[{ class_name: 'CategoricalAccuracy', config: { name: 'categorical_accuracy', dtype: 'float32' } }]],
      weighted_metrics: null, loss_weights: null,
      optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.001, decay: 0.0, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
    }, ['out']);
    expect(problems).toEqual([]);
    const loss = args!.loss as km.losses.Loss;
    expect([loss.kind, loss.fromLogits, loss.labelSmoothing]).toEqual(['binaryCrossentropy', true, 0.1]);
    expect(args!.metrics).toEqual(['categorical_accuracy']);
  });

  test('several outputs: losses by name, loss_weights as a list, metrics as one list per output (tf.keras 2)', async () => {
    const m = await km.loadModel(await withTrainingConfig({
      loss: { cls: 'sparse_categorical_crossentropy', reg: { class_name: 'MeanSquaredError', config: { reduction: 'auto', name: 'mean_squared_error' } } },
      loss_weights: [1.0, 0.25],
      metrics: [[{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', dtype: 'float32', fn: 'sparse_categorical_accuracy' } }], ['mae']],
      weighted_metrics: null,
      optimizer_config: adam,
    }));
    expect(m.compiled!.heads.map((h) => [h.name, h.loss!.kind, h.weight, h.metricIds])).toEqual([
      ['cls', 'sparseCategoricalCrossentropy', 1, ['accuracy']],
      ['reg', 'meanSquaredError', 0.25, ['mae']],
    ]);
    expect(m.compiled!.optimizer.learningRate).toBeCloseTo(0.002, 9);
    m.dispose();
  });

  test('metrics as an object keyed by output name, one loss for every output, Keras 3 module keys', async () => {
    const m = await km.loadModel(await withTrainingConfig({
      loss: { module: 'keras.losses', class_name: 'MeanSquaredError', config: { name: 'mean_squared_error', reduction: 'sum_over_batch_size' }, registered_name: null },
      metrics: { reg: ['mse'] }, loss_weights: null, weighted_metrics: null,
      optimizer_config: { module: 'keras.optimizers', class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.01, momentum: 0.5, nesterov: false }, registered_name: null },
    }));
    expect(m.compiled!.heads.map((h) => [h.loss!.kind, h.metricIds])).toEqual([['meanSquaredError', []], ['meanSquaredError', ['mse']]]);
    expect(m.compiled!.optimizer.className).toBe('SGD');
    m.dispose();
  });

  test('one warning names everything that could not be read; without an optimizer the model stays uncompiled', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = await km.loadModel(await withTrainingConfig({
      loss: ['categorical_crossentropy', 'mse'],
      metrics: [[{ class_name: 'AUC', config: { name: 'auc', num_thresholds: 200 } }], []],
      weighted_metrics: ['accuracy'],
      optimizer_config: { class_name: 'Custom>Nadam', config: { learning_rate: 0.001 } },
    }));
    expect(m.compiled).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0]![0]);
    expect(text).toMatch(/^kerasm: the model was loaded uncompiled: kerasm cannot read all it needs in its training config: /);
    expect(text).toContain("the metric 'auc' (AUC) is not one kerasm has");
    expect(text).toContain('`weighted_metrics` is not supported');
    expect(text).toContain("the optimizer 'Nadam' is not one of Adam, AdamW, SGD");
    m.dispose();
  });

  test('an unknown metric alone is left out: the model compiles, and the warning says so', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = await km.loadModel(await withTrainingConfig({ loss: 'mse', metrics: ['mae', { class_name: 'Precision', config: { name: 'precision' } }], optimizer_config: adam }));
    expect(m.compiled!.heads.map((h) => h.metricIds)).toEqual([['mae'], ['mae']]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/^kerasm: the model was compiled without what kerasm cannot read in its training config: the metric 'precision' \(Precision\) is not one kerasm has/);
    m.dispose();
  });

  test('per-output fields that do not fit the outputs are problems, not crashes', () => {
    expect(compileArgsFromJson({ loss: ['mse'], optimizer_config: adam }, ['a', 'b'])).toEqual({ args: null, problems: ['`loss` has 1 entries for 2 output(s) (a, b)'] });
    const r = compileArgsFromJson({ loss: { a: 'mse', c: 'mse' }, loss_weights: { a: 'x' }, optimizer_config: adam }, ['a', 'b']);
    expect(r.args).toBeNull();
    expect(r.problems).toEqual(['`loss` names c, not an output of the model (a, b)', '`loss_weights` {"a":"x"} are not non-negative numbers']);
    expect(compileArgsFromJson({ loss: 'mse', loss_weights: [2], optimizer_config: adam }, ['a']).problems).toEqual(['`loss_weights` [2] for a model with one output is not supported']);
  });
});

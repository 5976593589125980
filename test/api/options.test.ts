// Every options object of the public API refuses keys it does not know, with a ValueError that
// names them and, for a Keras or TF.js spelling it recognizes, kerasm's name (issue 13). Before,
// `adam({ learning_rate: 0.1 })` trained at 0.001 and 11 of 13 layer factories took any key.
//
// One table, ROWS: a row per public call, giving its minimal valid arguments. The exported
// namespaces are enumerated, so a new factory without a row (or a reason in NO_OPTIONS) fails
// the first test. Adding a call is one line: `'<namespace>.<export>': args((o) => [{ ...o }], 'someOption')`
// for an export of a namespace, `'<anything>': call((o) => km.fn({ ...o }), 'someOption')` for the rest.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import { layerFromConfig, knownLayerClasses } from '../../src/layers/registry.js';
import { testBackend } from '../helpers/backend.js';

beforeAll(async () => {
  await testBackend();
});

afterEach(() => {
  vi.restoreAllMocks();
});

type Options = Record<string, unknown>;

/**
 * One public call: `run(extra)` makes it with its minimal valid arguments plus `extra` in its
 * options object (sync or async). `option`: one of its camelCase options, which the test passes
 * snake_case (Keras's spelling) expecting to be told the camelCase name; absent when the call
 * has none.
 */
interface Row {
  /** For a namespace export: the argument list; the export is called (a class: constructed) with it. */
  args?: (extra: Options) => unknown[];
  /** For anything else: the call itself. */
  run?: (extra: Options) => unknown;
  option?: string;
}

const args = (make: (extra: Options) => unknown[], option?: string): Row => ({ args: make, option });
const call = (run: (extra: Options) => unknown, option?: string): Row => ({ run, option });
const opts = (base: Options = {}, option?: string): Row => args((o) => [{ ...base, ...o }], option);

/**
 * The rows. A class export whose name is a row's name in another case (`Dense` for `dense`,
 * `SGD` for `sgd`) is constructed with that row's arguments, so factories and classes are both
 * checked.
 */
const ROWS: Record<string, Row> = {
  'layers.dense': opts({ units: 2 }, 'useBias'),
  'layers.dropout': opts({ rate: 0.5 }, 'noiseShape'),
  'layers.activation': opts({ activation: 'relu' }, 'inputShape'),
  'layers.flatten': opts({}, 'dataFormat'),
  'layers.inputLayer': opts({ inputShape: [3] }, 'batchSize'),
  'layers.gaussianNoise': opts({ stddev: 0.1 }, 'inputShape'),
  'layers.gaussianDropout': opts({ rate: 0.1 }, 'inputShape'),
  'layers.alphaDropout': opts({ rate: 0.1 }, 'noiseShape'),
  'layers.spatialDropout1d': opts({ rate: 0.1 }, 'inputShape'),
  'layers.spatialDropout2d': opts({ rate: 0.1 }, 'dataFormat'),
  'layers.activityRegularization': opts({ l1: 0.01 }, 'batchInputShape'),
  'layers.batchNormalization': opts({}, 'movingMeanInitializer'),
  'layers.layerNormalization': opts({}, 'betaInitializer'),
  'layers.add': opts({}, 'inputShape'),
  'layers.subtract': opts({}, 'inputShape'),
  'layers.multiply': opts({}, 'inputShape'),
  'layers.average': opts({}, 'inputShape'),
  'layers.maximum': opts({}, 'inputShape'),
  'layers.minimum': opts({}, 'inputShape'),
  'layers.concatenate': opts({}, 'batchInputShape'),
  'layers.dot': opts({ axes: 1 }, 'batchInputShape'),
  'layers.reLU': opts({}, 'maxValue'),
  'layers.leakyReLU': opts({}, 'negativeSlope'),
  'layers.pReLU': opts({}, 'alphaInitializer'),
  'layers.prelu': opts({}, 'sharedAxes'),
  'layers.elu': opts({}, 'inputShape'),
  'layers.softmax': opts({}, 'inputShape'),
  'layers.thresholdedReLU': opts({}, 'inputShape'),
  'layers.maxPooling2d': opts({}, 'poolSize'),
  'layers.averagePooling2d': opts({}, 'dataFormat'),
  'layers.maxPooling1d': opts({}, 'poolSize'),
  'layers.averagePooling1d': opts({}, 'poolSize'),
  'layers.maxPool2d': opts({}, 'poolSize'),
  'layers.avgPool2d': opts({}, 'poolSize'),
  'layers.avgPooling2d': opts({}, 'poolSize'),
  'layers.maxPool1d': opts({}, 'poolSize'),
  'layers.avgPool1d': opts({}, 'poolSize'),
  'layers.avgPooling1d': opts({}, 'poolSize'),
  'layers.globalAveragePooling2d': opts({}, 'dataFormat'),
  'layers.globalMaxPooling2d': opts({}, 'dataFormat'),
  'layers.globalAveragePooling1d': opts({}, 'inputShape'),
  'layers.globalMaxPooling1d': opts({}, 'inputShape'),
  'layers.globalMaxPool2d': opts({}, 'dataFormat'),
  'layers.globalMaxPool1d': opts({}, 'inputShape'),
  'layers.reshape': opts({ targetShape: [2, -1] }, 'targetShape'),
  'layers.zeroPadding2d': opts({ padding: [1, 2] }, 'dataFormat'),
  'layers.upSampling2d': opts({ size: 2 }, 'dataFormat'),
  'layers.conv2d': opts({ filters: 2, kernelSize: 3 }, 'kernelSize'),
  'layers.conv1d': opts({ filters: 2, kernelSize: 3 }, 'dilationRate'),
  'layers.depthwiseConv2d': opts({ kernelSize: 3 }, 'depthMultiplier'),
  'layers.separableConv2d': opts({ filters: 2, kernelSize: 3 }, 'pointwiseRegularizer'),
  'layers.embedding': opts({ inputDim: 4, outputDim: 2 }, 'maskZero'),
  'layers.masking': opts({}, 'maskValue'),
  'layers.simpleRNN': opts({ units: 2 }, 'returnSequences'),
  'layers.lstm': opts({ units: 2 }, 'recurrentDropout'),
  'layers.gru': opts({ units: 2 }, 'resetAfter'),
  'layers.bidirectional': opts({ layer: km.layers.lstm({ units: 2 }) }, 'mergeMode'),
  'layers.timeDistributed': opts({ layer: km.layers.dense({ units: 2 }) }, 'inputShape'),
  'layers.randomFlip': opts({}, 'dataFormat'),
  'layers.randomTranslation': opts({ heightFactor: 0.1, widthFactor: 0.1 }, 'fillMode'),
  'layers.randomRotation': opts({ factor: 0.1 }, 'fillValue'),
  'layers.randomZoom': opts({ heightFactor: 0.1 }, 'widthFactor'),
  'layers.randomContrast': opts({ factor: 0.1 }, 'valueRange'),
  'layers.randomBrightness': opts({ factor: 0.1 }, 'valueRange'),
  'layers.randomCrop': opts({ height: 2, width: 2 }, 'dataFormat'),
  'layers.rescaling': opts({ scale: 2 }, 'inputShape'),

  'optimizers.sgd': opts({}, 'learningRate'),
  'optimizers.adam': opts({}, 'globalClipnorm'),
  'optimizers.adamw': opts({}, 'weightDecay'),
  'optimizers.rmsprop': opts({}, 'learningRate'),
  'optimizers.adagrad': opts({}, 'initialAccumulatorValue'),
  'optimizers.ftrl': opts({}, 'l2ShrinkageRegularizationStrength'),

  'regularizers.l1': opts({ l1: 0.01 }),
  'regularizers.l2': opts({ l2: 0.01 }),
  'regularizers.l1l2': opts({ l1: 0.01 }),

  'initializers.zeros': opts(),
  'initializers.ones': opts(),
  'initializers.constant': opts({ value: 1 }),
  'initializers.randomNormal': opts({ stddev: 0.1 }),
  'initializers.randomUniform': opts({ minval: -1 }),
  'initializers.truncatedNormal': opts({ mean: 0 }),
  'initializers.varianceScaling': opts({ scale: 2 }),
  'initializers.glorotUniform': opts({ seed: 1 }),
  'initializers.glorotNormal': opts({ seed: 1 }),
  'initializers.heNormal': opts({ seed: 1 }),
  'initializers.heUniform': opts({ seed: 1 }),
  'initializers.lecunNormal': opts({ seed: 1 }),
  'initializers.lecunUniform': opts({ seed: 1 }),
  'initializers.orthogonal': opts({ gain: 1 }),

  'constraints.maxNorm': opts({}, 'maxValue'),
  'constraints.nonNeg': opts(),
  'constraints.unitNorm': opts({ axis: 0 }),
  'constraints.minMaxNorm': opts({}, 'minValue'),

  'losses.categoricalCrossentropy': opts({}, 'labelSmoothing'),
  'losses.sparseCategoricalCrossentropy': opts({}, 'fromLogits'),
  'losses.binaryCrossentropy': opts({}, 'fromLogits'),
  'losses.meanSquaredError': opts(),
  'losses.meanAbsoluteError': opts(),
  'losses.huber': opts({ delta: 2 }),
  'losses.Loss': args((o) => ['huber', { ...o }]),

  'schedules.exponentialDecay': opts({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }, 'decayRate'),
  'schedules.inverseTimeDecay': opts({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }, 'decaySteps'),
  'schedules.piecewiseConstantDecay': opts({ boundaries: [5], values: [0.1, 0.01] }),
  'schedules.polynomialDecay': opts({ initialLearningRate: 0.1, decaySteps: 10 }, 'endLearningRate'),
  'schedules.cosineDecay': opts({ initialLearningRate: 0.1, decaySteps: 10 }, 'warmupSteps'),
  'schedules.cosineDecayRestarts': opts({ initialLearningRate: 0.1, firstDecaySteps: 10 }, 'tMul'),

  'callbacks.earlyStopping': opts({ patience: 2 }, 'restoreBestWeights'),
  'callbacks.reduceLROnPlateau': opts({ factor: 0.5 }, 'minLr'),
  'callbacks.terminateOnNaN': opts({}, 'raiseError'),
  'callbacks.csvLogger': args((o) => ['log.csv', { ...o }]),
  'callbacks.modelCheckpoint': args((o) => ['ckpt', { ...o }], 'saveBestOnly'),

  ready: call((o) => km.ready({ ...o }), 'relaxedModule'),

  // The model-level calls: every options object of the public API, not only the factories.
  sequential: call((o) => km.sequential({ layers: [km.layers.dense({ units: 1, inputShape: [2] })], ...o })),
  input: call((o) => km.input({ shape: [2], ...o }), 'batchShape'),
  model: call((o) => {
    const i = km.input({ shape: [2] });
    return km.model({ inputs: i, outputs: km.layers.dense({ units: 1 }).apply(i), ...o });
  }),
  compile: call((o) => tiny().compile({ optimizer: 'sgd', loss: 'mse', ...o }), 'lossWeights'),
  fit: call((o) => compiled().fit(X, Y, { verbose: 0, ...o }), 'batchSize'),
  fitDataset: call((o) => compiled().fitDataset([{ xs: X, ys: Y }], { verbose: 0, ...o }), 'batchesPerEpoch'),
  evaluate: call((o) => compiled().evaluate(X, Y, { ...o }), 'batchSize'),
  predict: call((o) => tiny().predict(X, { ...o }), 'batchSize'),
  mcPredict: call((o) => km.mcPredict(tiny(), X, { samples: 2, ...o }), 'batchSize'),
  save: call((o) => tiny().save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { ...o }), 'includeOptimizer'),
  'plot.learningCurves': call((o) => km.plot.learningCurves({ history: { loss: [1, 0.5] } } as never, { ...o }), 'yScale'),
  diagnose: call((o) => km.diagnose({ history: { loss: [1, 0.5], val_loss: [1, 0.6] } } as never, { ...o }), 'riseTolerance'),
  exportOnnx: call((o) => km.exportOnnx(tiny(), { ...o })),
};

const X = km.tensor([[0, 1], [1, 0]]);
const Y = km.tensor([[1], [0]]);
function tiny(): km.Sequential {
  return km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
}
function compiled(): km.Sequential {
  const m = tiny();
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** Exports of the namespaces that take no options object, and why. */
const NO_OPTIONS: Record<string, string> = {
  'layers.Layer': 'abstract base',
  'optimizers.Optimizer': 'abstract base',
  'optimizers.get': 'an identifier, not options',
  'regularizers.Regularizer': 'abstract base',
  'regularizers.get': 'an identifier; a config is data (a warning, tested below)',
  'regularizers.serialize': 'an instance',
  'initializers.Initializer': 'abstract base',
  'initializers.VarianceScalingPreset': 'abstract base of the Glorot, He and LeCun presets',
  'initializers.get': 'an identifier; a config is data (a warning, tested below)',
  'initializers.serialize': 'an instance',
  'initializers.computeFans': 'a shape',
  'constraints.Constraint': 'abstract base',
  'constraints.get': 'an identifier; a config is data (a warning)',
  'constraints.serialize': 'an instance',
  'constraints.normLayout': 'a shape and an axis',
  'losses.get': 'an identifier',
  'schedules.LearningRateSchedule': 'abstract base',
  'schedules.serialize': 'an instance',
  'schedules.deserialize': 'a config is data (a warning)',
  'schedules.evaluate': 'a schedule and a step',
  'callbacks.Callback': 'base class, no arguments',
  'callbacks.MonitorCallback': 'abstract base',
  'callbacks.History': 'no arguments',
  'callbacks.CallbackList': 'a list of callbacks',
  'callbacks.formatFilepath': 'a pattern, an epoch and logs',
  'callbacks.learningRateScheduler': 'positional (schedule, verbose), as Keras',
  'callbacks.LearningRateScheduler': 'positional (schedule, verbose), as Keras',
};

const NAMESPACES = ['layers', 'optimizers', 'regularizers', 'initializers', 'constraints', 'losses', 'schedules', 'callbacks'] as const;

type Fn = (...a: unknown[]) => unknown;
const isClass = (name: string) => /^[A-Z]/.test(name);

/** Every function exported by the namespaces, as `namespace.name`. */
function exportedFunctions(): string[] {
  return NAMESPACES.flatMap((ns) => Object.entries(km[ns]).filter(([, v]) => typeof v === 'function').map(([name]) => `${ns}.${name}`));
}

/** The row of `name`: its own, or for a class, the row of the factory of the same name in another case. */
function rowOf(name: string): Row | undefined {
  if (Object.hasOwn(ROWS, name)) return ROWS[name];
  const [ns, exp] = name.split('.') as [string, string];
  if (exp === undefined || !isClass(exp)) return undefined;
  const factory = Object.keys(ROWS).find((k) => k.startsWith(`${ns}.`) && !isClass(k.slice(ns.length + 1)) && k.toLowerCase() === name.toLowerCase());
  return factory === undefined ? undefined : ROWS[factory];
}

/** Make the call of `name` with `extra` options; resolves to what it threw (or rejected with), else undefined. */
async function outcome(name: string, extra: Options): Promise<unknown> {
  const row = rowOf(name)!;
  try {
    if (row.run !== undefined) {
      await row.run(extra);
    } else {
      const [ns, exp] = name.split('.') as [(typeof NAMESPACES)[number], string];
      const fn = (km[ns] as unknown as Record<string, Fn>)[exp]!;
      const a = row.args!(extra);
      if (isClass(exp)) Reflect.construct(fn, a);
      else fn(...a);
    }
  } catch (e) {
    return e;
  }
  return undefined;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const CALLS = [...new Set([...exportedFunctions().filter((n) => !Object.hasOwn(NO_OPTIONS, n)), ...Object.keys(ROWS)])].sort();

describe('every options object of the public API refuses unknown keys', () => {
  test('every function the namespaces export has a row (or takes no options object)', () => {
    const missing = exportedFunctions().filter((n) => !Object.hasOwn(NO_OPTIONS, n) && rowOf(n) === undefined);
    expect(missing, 'add a row to ROWS for each (its minimal valid arguments)').toEqual([]);
    const stale = Object.keys(NO_OPTIONS).filter((n) => !exportedFunctions().includes(n));
    expect(stale, 'NO_OPTIONS names no longer exported').toEqual([]);
  });

  test.each(CALLS)('%s: its minimal arguments work; an unknown key is a ValueError naming it', async (name) => {
    expect(await outcome(name, {})).toBeUndefined();
    const e = await outcome(name, { bogusOption: 1 });
    expect(e).toBeInstanceOf(km.ValueError);
    expect((e as Error).message).toMatch(/^Unrecognized options passed to [\w.]+: bogusOption\. /);
  });

  const withOption = CALLS.filter((n) => rowOf(n)!.option !== undefined);
  test.each(withOption)('%s: a snake_case key is refused, naming the camelCase option', async (name) => {
    const option = rowOf(name)!.option!;
    const foreign = snake(option);
    expect(foreign).not.toBe(option);
    const e = await outcome(name, { [foreign]: 1 });
    expect(e).toBeInstanceOf(km.ValueError);
    expect((e as Error).message).toContain(`: ${foreign}. Use \`${option}\` instead of \`${foreign}\``);
  });
});

describe('the reported cases', () => {
  test('adam({ learning_rate }) and sgd({ lr }) are refused, naming learningRate (they trained at the default rate)', () => {
    expect(() => km.optimizers.adam({ learning_rate: 0.1 } as never)).toThrow(km.ValueError);
    expect(() => km.optimizers.adam({ learning_rate: 0.1 } as never)).toThrow(/Unrecognized options passed to Adam: learning_rate\. Use `learningRate` instead of `learning_rate`/);
    expect(() => km.optimizers.sgd({ lr: 0.1 } as never)).toThrow(/Unrecognized options passed to SGD: lr\. Use `learningRate` instead of `lr`/);
    expect(km.optimizers.adam({ learningRate: 0.1 }).learningRate).toBe(0.1);
    expect(km.optimizers.sgd({ learningRate: 0.1 }).learningRate).toBe(0.1);
  });

  test('earlyStopping({ restore_best_weights }) is refused, naming restoreBestWeights (it did not restore)', () => {
    expect(() => km.callbacks.earlyStopping({ restore_best_weights: true } as never))
      .toThrow(/Unrecognized options passed to EarlyStopping: restore_best_weights\. Use `restoreBestWeights` instead of `restore_best_weights`/);
    expect(km.callbacks.earlyStopping({ restoreBestWeights: true }).restoreBestWeights).toBe(true);
  });

  test('l2({ lambda }) is refused, listing l2 (it stayed 0.01); the bare number and { l2 } work', () => {
    expect(() => km.regularizers.l2({ lambda: 0.1 } as never)).toThrow(km.ValueError);
    expect(() => km.regularizers.l2({ lambda: 0.1 } as never)).toThrow(/Unrecognized options passed to l2: lambda\. Known options: l2$/);
    expect(km.regularizers.l2(0.1).l2).toBe(0.1);
    expect(km.regularizers.l2({ l2: 0.1 }).l2).toBe(0.1);
  });

  test('each layer factory refuses a misspelt option (11 of 13 took it)', () => {
    const misspelt: [string, () => unknown][] = [
      ['Activation', () => km.layers.activation({ activaton: 'relu', activation: 'relu' } as never)],
      ['Flatten', () => km.layers.flatten({ input_shape: [3] } as never)],
      ['InputLayer', () => km.layers.inputLayer({ inputShape: [3], nme: 'x' } as never)],
      ['GaussianNoise', () => km.layers.gaussianNoise({ stddev: 0.1, stdev: 0.2 } as never)],
      ['GaussianDropout', () => km.layers.gaussianDropout({ rate: 0.1, rte: 0.2 } as never)],
      ['AlphaDropout', () => km.layers.alphaDropout({ rate: 0.1, noise_shape: [null, 1] } as never)],
      ['SpatialDropout1D', () => km.layers.spatialDropout1d({ rate: 0.1, seeed: 1 } as never)],
      ['SpatialDropout2D', () => km.layers.spatialDropout2d({ rate: 0.1, data_format: 'channels_first' } as never)],
      ['ActivityRegularization', () => km.layers.activityRegularization({ l_1: 0.1 } as never)],
      ['BatchNormalization', () => km.layers.batchNormalization({ momentun: 0.9 } as never)],
      ['LayerNormalization', () => km.layers.layerNormalization({ epsilon: 1e-3, espilon: 1e-5 } as never)],
      ['RandomFlip', () => km.layers.randomFlip({ mode: 'horizontal', seeed: 1 } as never)],
      ['RandomTranslation', () => km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fill_mode: 'constant' } as never)],
      ['RandomRotation', () => km.layers.randomRotation({ factor: 0.1, fillValu: 1 } as never)],
      ['RandomZoom', () => km.layers.randomZoom({ heightFactor: 0.1, width_factor: 0.2 } as never)],
      ['RandomContrast', () => km.layers.randomContrast({ factor: 0.1, value_range: [0, 1] } as never)],
      ['RandomBrightness', () => km.layers.randomBrightness({ factor: 0.1, valueRang: [0, 1] } as never)],
      ['RandomCrop', () => km.layers.randomCrop({ height: 2, width: 2, heigth: 3 } as never)],
      ['Rescaling', () => km.layers.rescaling({ scale: 2, ofset: 1 } as never)],
    ];
    for (const [cls, make] of misspelt) expect(make, cls).toThrow(new RegExp(`^Unrecognized options passed to ${cls}: `));
  });

  test('a loss refuses the options Keras does not give it (sparse labels have no smoothing)', () => {
    expect(() => km.losses.sparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never)).toThrow(/Unrecognized options passed to SparseCategoricalCrossentropy: labelSmoothing/);
    expect(() => km.losses.categoricalCrossentropy({ delta: 1 } as never)).toThrow(/CategoricalCrossentropy: delta/);
    expect(km.losses.huber({ delta: 2 }).delta).toBe(2);
  });

  test('TF.js spellings that differ by more than case are answered with kerasm\'s name', () => {
    expect(() => km.optimizers.sgd({ momentum: 0.9, useNesterov: true } as never)).toThrow(/Use `nesterov` instead of `useNesterov`/);
    expect(() => km.layers.inputLayer({ batch_shape: [null, 3] } as never)).toThrow(/Use `batchInputShape` instead of `batch_shape`/);
    expect(() => km.initializers.randomUniform({ minVal: -1 } as never)).toThrow(/Use `minval` instead of `minVal`/);
  });

  test('ready() refuses an unknown option with a rejected promise', async () => {
    await expect(km.ready({ gemm_tile: '4x8' } as never)).rejects.toThrow(/Unrecognized options passed to ready: gemm_tile\. Use `gemmTile` instead of `gemm_tile`/);
    await expect(km.ready({ thread: 2 } as never)).rejects.toThrow(km.ValueError);
  });
});

describe('TF.js layer options with the same meaning are accepted; those kerasm cannot honour are refused, saying so', () => {
  test('batchSize with inputShape (or inputDim) records the batch dimension, as TF.js', () => {
    expect(km.layers.dense({ units: 2, inputShape: [3], batchSize: 8 }).batchInputShape).toEqual([8, 3]);
    const d = km.layers.dense({ units: 2, inputDim: 3, batchSize: 4 });
    expect(d.batchInputShape).toEqual([4, 3]);
    expect(d.getConfig().batch_input_shape).toEqual([4, 3]);
    expect(km.layers.inputLayer({ shape: [5], batchSize: 2 }).batchInputShape).toEqual([2, 5]);
    expect(() => km.layers.dense({ units: 2, batchSize: 8 })).toThrow(/argument `batchSize`: expected to come with `inputShape`/);
    expect(() => km.layers.dense({ units: 2, inputShape: [3], batchSize: 0 })).toThrow(/argument `batchSize`: expected a positive integer/);
  });

  test('dtype and inputDType: float32 only', () => {
    expect(km.layers.dense({ units: 2, dtype: 'float32', inputDType: 'float32' }).units).toBe(2);
    expect(() => km.layers.dense({ units: 2, inputDType: 'int32' })).toThrow(/argument `inputDType`: expected 'float32'/);
  });

  test('weights (initial values) is refused with the way to set them', () => {
    expect(() => km.layers.dense({ units: 2, weights: [] as never })).toThrow(km.ValueError);
    expect(() => km.layers.dense({ units: 2, weights: [] as never })).toThrow(/Dense does not take `weights`.*model\.setWeights/);
  });

  test('Flatten dataFormat: channelsLast only; InputLayer sparse: false only', () => {
    expect(km.layers.flatten({ dataFormat: 'channelsLast' }).className).toBe('Flatten');
    expect(() => km.layers.flatten({ dataFormat: 'channelsFirst' as never })).toThrow(/argument `dataFormat`: expected 'channelsLast' \(kerasm is channels-last only\)/);
    expect(km.layers.inputLayer({ inputShape: [3], sparse: false }).batchInputShape).toEqual([null, 3]);
    expect(() => km.layers.inputLayer({ inputShape: [3], sparse: true as never })).toThrow(/argument `sparse`: expected false/);
  });
});

describe('configs read from files tolerate keys a newer Keras writes: a warning, once', () => {
  test('a layer config with unknown keys loads, keeps its known keys, and warns once per class and key set', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const config = { name: 'd_future', units: 3, activation: 'relu', use_bias: false, future_option: 4, lora_rank: null };
    const a = layerFromConfig('Dense', config) as km.layers.Dense;
    expect([a.units, a.activation.name, a.useBias, a.name]).toEqual([3, 'relu', false, 'd_future']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toBe('kerasm: ignoring config keys of Dense that kerasm does not read: future_option');
    layerFromConfig('Dense', { ...config, name: 'd_future_2' });
    expect(warn).toHaveBeenCalledTimes(1);
    layerFromConfig('Dropout', { rate: 0.5, future_option: 1 });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  test('a model file with such keys loads through modelFromJSON', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await km.modelFromJSON({ class_name: 'Sequential', config: { name: 's', layers: [
      { class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 3], keras_4_option: true } },
    ] } });
    expect(m.outputShape).toEqual([2]);
    expect(warn.mock.calls.map((c) => String(c[0]))).toContain('kerasm: ignoring config keys of Dense that kerasm does not read: keras_4_option');
    m.dispose();
  });

  test('kerasm\'s own configs, Keras 3\'s and TF.js\'s nested objects raise no warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const made: Record<string, km.layers.Layer> = {
      Activation: km.layers.activation({ activation: 'tanh' }), ActivityRegularization: km.layers.activityRegularization({ l1: 0.1 }),
      AlphaDropout: km.layers.alphaDropout({ rate: 0.1 }), BatchNormalization: km.layers.batchNormalization(),
      Dense: km.layers.dense({ units: 2, inputShape: [3], kernelRegularizer: km.regularizers.l1({ l1: 0.1, proximal: true }), kernelConstraint: km.constraints.maxNorm(2) }),
      Dropout: km.layers.dropout({ rate: 0.2 }), Flatten: km.layers.flatten(), GaussianDropout: km.layers.gaussianDropout({ rate: 0.1 }),
      GaussianNoise: km.layers.gaussianNoise({ stddev: 0.1 }), InputLayer: km.layers.inputLayer({ inputShape: [3] }),
      LayerNormalization: km.layers.layerNormalization(), SpatialDropout1D: km.layers.spatialDropout1d({ rate: 0.1 }),
      SpatialDropout2D: km.layers.spatialDropout2d({ rate: 0.1 }),
      Add: km.layers.add(), Subtract: km.layers.subtract(), Multiply: km.layers.multiply(), Average: km.layers.average(),
      Maximum: km.layers.maximum(), Minimum: km.layers.minimum(), Concatenate: km.layers.concatenate({ axis: 1 }), Dot: km.layers.dot({ axes: -1 }),
      ReLU: km.layers.reLU({ maxValue: 4 }), LeakyReLU: km.layers.leakyReLU({ alpha: 0.1 }), ELU: km.layers.elu(), Softmax: km.layers.softmax(),
      ThresholdedReLU: km.layers.thresholdedReLU({ theta: 0.5 }),
      PReLU: km.layers.pReLU({ sharedAxes: [1], alphaRegularizer: km.regularizers.l2(0.1), alphaConstraint: km.constraints.nonNeg() }),
      MaxPooling2D: km.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), AveragePooling2D: km.layers.averagePooling2d(),
      MaxPooling1D: km.layers.maxPooling1d({ poolSize: 3 }), AveragePooling1D: km.layers.averagePooling1d({ strides: 1 }),
      GlobalAveragePooling2D: km.layers.globalAveragePooling2d(), GlobalMaxPooling2D: km.layers.globalMaxPooling2d({ keepdims: true }),
      GlobalAveragePooling1D: km.layers.globalAveragePooling1d(), GlobalMaxPooling1D: km.layers.globalMaxPooling1d(),
      Reshape: km.layers.reshape({ targetShape: [4, -1] }), ZeroPadding2D: km.layers.zeroPadding2d({ padding: [[1, 0], [0, 2]] }),
      UpSampling2D: km.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }),
      RandomFlip: km.layers.randomFlip({ mode: 'vertical', seed: 1 }), RandomTranslation: km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.1], fillMode: 'constant' }),
      RandomRotation: km.layers.randomRotation({ factor: 0.2, interpolation: 'nearest' }), RandomZoom: km.layers.randomZoom({ heightFactor: 0.1, widthFactor: 0.3 }),
      RandomContrast: km.layers.randomContrast({ factor: 0.2 }), RandomBrightness: km.layers.randomBrightness({ factor: 0.2, valueRange: [0, 1] }),
      RandomCrop: km.layers.randomCrop({ height: 4, width: 4 }), Rescaling: km.layers.rescaling({ scale: 1 / 255 }),
      Conv2D: km.layers.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', kernelRegularizer: km.regularizers.l2(0.1), kernelConstraint: km.constraints.maxNorm(2) }),
      Conv1D: km.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      DepthwiseConv2D: km.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, depthwiseRegularizer: km.regularizers.l1(0.1) }),
      SeparableConv2D: km.layers.separableConv2d({ filters: 3, kernelSize: 3, pointwiseConstraint: km.constraints.nonNeg() }),
      Embedding: km.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, embeddingsRegularizer: km.regularizers.l2(0.1) }), Masking: km.layers.masking({ maskValue: -1 }),
      SimpleRNN: km.layers.simpleRNN({ units: 2, activation: 'relu', goBackwards: true, recurrentRegularizer: km.regularizers.l2(0.1) }),
      LSTM: km.layers.lstm({ units: 2, returnSequences: true, returnState: true, dropout: 0.2, recurrentDropout: 0.3, seed: 4, unitForgetBias: false, recurrentConstraint: km.constraints.maxNorm(2) }),
      GRU: km.layers.gru({ units: 2, resetAfter: false, recurrentActivation: 'hard_sigmoid', biasRegularizer: km.regularizers.l1(0.1) }),
      Bidirectional: km.layers.bidirectional({ layer: km.layers.gru({ units: 2, returnSequences: true }), mergeMode: null }),
      TimeDistributed: km.layers.timeDistributed({ layer: km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l2(0.1) }) }),
    };
    expect(Object.keys(made).sort()).toEqual(knownLayerClasses());
    for (const [cls, layer] of Object.entries(made)) layerFromConfig(cls, JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>);
    // TF.js writes a preset initializer's fixed VarianceScaling values; Keras 3 InputLayer writes batch_shape.
    km.initializers.get({ class_name: 'GlorotUniform', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } });
    layerFromConfig('InputLayer', { batch_shape: [null, 4], sparse: false, ragged: false, name: 'input_layer' });
    expect(warn).not.toHaveBeenCalled();
  });

  test('nested initializer, regularizer and constraint configs with unknown keys load with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(km.initializers.get({ class_name: 'RandomNormal', config: { stddev: 0.5, future_init_key: 1 } })).toMatchObject({ stddev: 0.5 });
    expect(km.regularizers.get({ class_name: 'L2', config: { l2: 0.5, future_reg_key: 1 } })!.l2).toBe(0.5);
    expect(km.constraints.get({ class_name: 'MaxNorm', config: { max_value: 3, future_con_key: 1 } })).toMatchObject({ maxValue: 3 });
    expect(km.schedules.deserialize({ class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.1, decay_steps: 2, decay_rate: 0.5, future_lr_key: 1 } }).call(2)).toBeCloseTo(0.05);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      'kerasm: ignoring config keys of RandomNormal that kerasm does not read: future_init_key',
      'kerasm: ignoring config keys of L2 that kerasm does not read: future_reg_key',
      'kerasm: ignoring config keys of MaxNorm that kerasm does not read: future_con_key',
      'kerasm: ignoring config keys of ExponentialDecay that kerasm does not read: future_lr_key',
    ]);
  });
});

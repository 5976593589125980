// Convolution layers in files, checked against TF.js 4 (cpu backend): the public CNN fixture
// (digits_conv2d: a Keras 2.5 MNIST model, Conv2D → MaxPooling2D → Flatten → Dense, converter
// 3.7) loads and predicts as TF.js's loadLayersModel of the same files does; kerasm's own files
// of all four convolution classes load in TF.js and predict the same, TF.js's load in kerasm; the
// config keys are Keras's (kernel_size, dilation_rate, depth_multiplier, ...); a Keras 3 file in
// the converter's form loads without a warning; channels_first is refused saying so.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady, captureSave } from '../helpers/tfjs.js';
import { fixture, fixturePath } from './fixtures.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

function inputs(n: number, size: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * size }, () => rng.uniform(lo, hi));
}

/** A fixture folder's model.json and weight files as the artifacts TF.js's fromMemory takes. */
function fixtureArtifacts(dir: string): TF.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(fixturePath(`${dir}/model.json`), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[] };
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(fixturePath(`${dir}/${p}`))));
  const bytes = Buffer.concat(buffers);
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
}

describe('the public CNN fixture', () => {
  test('digits_conv2d (Keras 2.5: Conv2D, MaxPooling2D, Flatten, Dense) loads and predicts as TF.js does', async () => {
    const m = await km.loadModel(fixture('realmodels/digits_conv2d/model.json'), { compile: false });
    expect(m.layers.map((l) => l.className).filter((c) => c !== 'InputLayer')).toEqual(['Conv2D', 'MaxPooling2D', 'Flatten', 'Dense']);
    expect(m.getWeights().map((w) => w.shape)).toEqual([[3, 3, 1, 8], [8], [1352, 10], [10]]);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(fixtureArtifacts('realmodels/digits_conv2d')));
    const x = inputs(16, 784, 3, 0, 1);
    const want = (tm.predict(tf.tensor(x, [16, 28, 28, 1])) as TF.Tensor).dataSync();
    const got = (m.predict(km.tensor(x, [16, 28, 28, 1])) as km.Tensor).data;
    expect(got.length).toBe(160);
    expect(relDiff(got, want)).toBeLessThan(1e-5);
    let maxAbs = 0;
    got.forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(v - want[i]!))));
    expect(maxAbs).toBeLessThan(1e-5);
    // The file's weights, not fresh draws: the predictions are confident somewhere.
    expect(Math.max(...got)).toBeGreaterThan(0.5);
    m.dispose();
    tm.dispose();
  });
});

/** A model with every convolution class and option kind, trained a little so no weight is at its initial value. */
async function convModel(): Promise<km.Sequential> {
  km.setSeed(21);
  const L = km.layers;
  const m = km.sequential({ layers: [
    L.conv2d({ filters: 4, kernelSize: [3, 2], strides: [2, 1], padding: 'same', activation: 'relu', inputShape: [7, 6, 2],
      kernelRegularizer: km.regularizers.l2(0.01), biasRegularizer: km.regularizers.l1(0.01), kernelConstraint: km.constraints.maxNorm({ maxValue: 2, axis: [0, 1, 2] }) }),
    L.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: 'tanh', depthwiseRegularizer: km.regularizers.l2(0.02) }),
    L.separableConv2d({ filters: 3, kernelSize: 2, depthMultiplier: 2, padding: 'same', dilationRate: 2, activation: 'elu', pointwiseRegularizer: km.regularizers.l1(0.01) }),
    L.flatten(),
    L.dense({ units: 3, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = inputs(8, 84, 5);
  await m.fit(km.tensor(x, [8, 7, 6, 2]), km.oneHot([0, 1, 2, 0, 1, 2, 0, 1], 3), { epochs: 2, batchSize: 4, verbose: 0 });
  return m;
}

describe('kerasm ↔ TF.js', () => {
  test('TF.js reads kerasm\'s Conv2D, DepthwiseConv2D and SeparableConv2D (Keras config keys) and predicts within 1e-6', async () => {
    const m = await convModel();
    const artifacts = await captureSave((h) => m.save(h));
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const conv = layers.find((l) => l.class_name === 'Conv2D')!.config;
    expect(conv).toMatchObject({ filters: 4, kernel_size: [3, 2], strides: [2, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true });
    const sep = layers.find((l) => l.class_name === 'SeparableConv2D')!.config;
    expect(sep).toMatchObject({ filters: 3, depth_multiplier: 2, dilation_rate: [2, 2], pointwise_regularizer: { class_name: 'L1L2' } });
    expect(layers.find((l) => l.class_name === 'DepthwiseConv2D')!.config).toMatchObject({ depth_multiplier: 2, kernel_size: [2, 2] });
    expect(artifacts.weightSpecs!.map((s) => s.name)).toEqual([
      `${m.layers[0]!.name}/kernel`, `${m.layers[0]!.name}/bias`, `${m.layers[1]!.name}/depthwise_kernel`, `${m.layers[1]!.name}/bias`,
      `${m.layers[2]!.name}/depthwise_kernel`, `${m.layers[2]!.name}/pointwise_kernel`, `${m.layers[2]!.name}/bias`, `${m.layers[4]!.name}/kernel`, `${m.layers[4]!.name}/bias`,
    ]);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as TF.io.ModelArtifacts));
    const x = inputs(5, 84, 6);
    const want = (tm.predict(tf.tensor(x, [5, 7, 6, 2])) as TF.Tensor).dataSync();
    const got = m.predict(km.tensor(x, [5, 7, 6, 2])).data;
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
    // And back: kerasm reads its own file, weights and all.
    const again = await km.loadModel(km.io.fromMemory(artifacts), { compile: false });
    expect(Array.from((again.predict(km.tensor(x, [5, 7, 6, 2])) as km.Tensor).data)).toEqual(Array.from(got));
    // Configs come back (L1 and L2 are written as L1L2, which TF.js reads).
    expect(again.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => JSON.parse(JSON.stringify(l.getConfig()).replace(
      /\{"class_name":"L([12])","config":\{"l\1":([^}]*)\}\}/g, (_, which: string, v: string) => `{"class_name":"L1L2","config":{"l1":${which === '1' ? v : 0},"l2":${which === '2' ? v : 0}}}`)) as unknown));
    m.dispose();
    again.dispose();
    tm.dispose();
  });

  test('kerasm reads a TF.js-saved Conv1D and Conv2D model and predicts within 1e-6', async () => {
    const t1 = tf.sequential({ layers: [
      tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 2], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }),
      tf.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, dilationRate: 1 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ] });
    const t2 = tf.sequential({ layers: [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', inputShape: [6, 6, 3], useBias: false }),
      tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2 }),
      tf.layers.separableConv2d({ filters: 2, kernelSize: 1 }),
    ] });
    for (const [tm, shape] of [[t1, [4, 9, 2]], [t2, [4, 6, 6, 3]]] as const) {
      const artifacts = await captureSave((h) => tm.save(h));
      const m = await km.loadModel(km.io.fromMemory(artifacts), { compile: false });
      const x = inputs(4, shape.slice(1).reduce((a, b) => a * b, 1), 8);
      const want = (tm.predict(tf.tensor(x, [...shape])) as TF.Tensor).dataSync();
      const got = (m.predict(km.tensor(x, [...shape])) as km.Tensor).data;
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-6));
      m.dispose();
      tm.dispose();
    }
  });

  test('a Keras 3 file (converter 4.22 form: DTypePolicy, nested module objects, groups, batch_shape) loads without a warning and computes what the same layers built in code do', async () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const obj = (module: string, className: string, config: object) => ({ module: `keras.${module}`, class_name: className, config, registered_name: null });
    const base = (name: string) => ({ name, trainable: true, dtype: policy, strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1],
      use_bias: true, bias_initializer: obj('initializers', 'Zeros', {}), bias_regularizer: null, activity_regularizer: null, bias_constraint: null });
    const glorot = obj('initializers', 'GlorotUniform', { seed: null });
    const layers = [
      { class_name: 'InputLayer', config: { batch_shape: [null, 6, 6, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
      { class_name: 'Conv2D', config: { ...base('conv2d'), filters: 4, kernel_size: [3, 3], groups: 1, activation: 'relu', kernel_initializer: glorot,
        kernel_regularizer: obj('regularizers', 'L2', { l2: 0.01 }), kernel_constraint: null, padding: 'same' } },
      { class_name: 'DepthwiseConv2D', config: { ...base('depthwise_conv2d'), kernel_size: [2, 2], depth_multiplier: 2, activation: 'linear', depthwise_initializer: glorot,
        depthwise_regularizer: null, depthwise_constraint: obj('constraints', 'MaxNorm', { max_value: 2, axis: 0 }), strides: [2, 2] } },
      { class_name: 'SeparableConv2D', config: { ...base('separable_conv2d'), filters: 3, kernel_size: [2, 2], depth_multiplier: 1, activation: 'tanh', depthwise_initializer: glorot,
        pointwise_initializer: glorot, depthwise_regularizer: null, pointwise_regularizer: obj('regularizers', 'L1', { l1: 0.01 }), depthwise_constraint: null, pointwise_constraint: null } },
      { class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: policy, data_format: 'channels_last' } },
    ];
    const modelTopology = { keras_version: '3.8.0', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: { name: 'sequential', trainable: true, dtype: policy, layers } } };
    const shapes: [string, number[]][] = [['conv2d/kernel', [3, 3, 3, 4]], ['conv2d/bias', [4]], ['depthwise_conv2d/depthwise_kernel', [2, 2, 4, 2]], ['depthwise_conv2d/bias', [8]],
      ['separable_conv2d/depthwise_kernel', [2, 2, 8, 1]], ['separable_conv2d/pointwise_kernel', [1, 1, 8, 3]], ['separable_conv2d/bias', [3]]];
    const values = shapes.map(([, shape], i) => inputs(1, shape.reduce((a, b) => a * b, 1), 30 + i));
    const weightData = new Float32Array(values.reduce((n, v) => n + v.length, 0));
    values.reduce((at, v) => (weightData.set(v, at), at + v.length), 0);
    const weightSpecs = shapes.map(([name, shape]) => ({ name: `sequential/${name}`, shape, dtype: 'float32' }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = await km.loadModel({ modelTopology, weightSpecs, weightData: weightData.buffer, format: 'layers-model', generatedBy: 'keras v3.8.0', convertedBy: 'TensorFlow.js Converter v4.22.0' });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    const L = km.layers;
    const built = km.sequential({ layers: [
      L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [6, 6, 3] }), L.depthwiseConv2d({ kernelSize: 2, strides: 2, depthMultiplier: 2 }),
      L.separableConv2d({ filters: 3, kernelSize: 2, activation: 'tanh' }), L.flatten(),
    ] });
    built.setWeights(values.map((data, i) => ({ data, shape: shapes[i]![1] })));
    const x = inputs(3, 108, 40);
    expect(Array.from((m.predict(km.tensor(x, [3, 6, 6, 3])) as km.Tensor).data)).toEqual(Array.from(built.predict(km.tensor(x, [3, 6, 6, 3])).data));
    const conv = m.layers.find((l) => l.className === 'Conv2D')!.getConfig();
    expect(conv.kernel_regularizer).toEqual({ class_name: 'L2', config: { l2: 0.01 } });
    m.dispose();
    built.dispose();
  });

  test('a channels_first convolution in a file is refused, saying so', async () => {
    const m = km.sequential({ layers: [km.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] })] });
    const artifacts = await captureSave((h) => m.save(h));
    const layer = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers.at(-1)!;
    layer.config.data_format = 'channels_first';
    await expect(km.loadModel(km.io.fromMemory(artifacts))).rejects.toThrow(/Conv2D layer ".*": data_format 'channels_first' is not supported: kerasm is channels-last only/);
    m.dispose();
  });
});

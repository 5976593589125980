// Files from Keras (through tensorflowjs_converter) and in Keras 3's conventions, written by
// hand here: `model_config` wrapper, `module` / `registered_name` keys, DTypePolicy objects,
// InputLayer `batch_shape`, L1 / L2 class names, sharded weights, `dense/kernel` and
// `dense/vars/0` weight names, Keras 2.1's bare layer list.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

let dir: string;
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-keras-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (name: string) => ({ module: 'keras.initializers', class_name: name, config: name === 'Zeros' ? {} : { seed: null }, registered_name: null });

function keras3Dense(name: string, units: number, activation: string, extra: Record<string, unknown> = {}) {
  return {
    module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, 4] },
    config: {
      name, trainable: true, dtype: policy, units, activation, use_bias: true, kernel_initializer: init('GlorotUniform'),
      bias_initializer: init('Zeros'), kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
      kernel_constraint: null, bias_constraint: null, quantization_config: null, lora_rank: null, ...extra,
    },
  };
}

/** Random float32 weights for Dense 4→3 (relu) and 3→2 (softmax). */
function weights(seed: number) {
  const rng = new Rng(seed);
  const f = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  return { w1: f(12), b1: f(3), w2: f(6), b2: f(2) };
}

/** float64 reference: softmax(relu(x·W1 + b1)·W2 + b2) for one sample. */
function reference(x: number[], w: ReturnType<typeof weights>): number[] {
  const h = [0, 1, 2].map((j) => Math.max(0, w.b1[j]! + x.reduce((s, xi, i) => s + xi * w.w1[i * 3 + j]!, 0)));
  const z = [0, 1].map((j) => w.b2[j]! + h.reduce((s, hi, i) => s + hi * w.w2[i * 2 + j]!, 0));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e[0]! + e[1]!;
  return e.map((v) => v / sum);
}

function bytesOf(...arrays: Float32Array[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

async function writeModel(name: string, json: unknown, files: Record<string, Uint8Array>): Promise<string> {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  await writeFile(join(d, 'model.json'), JSON.stringify(json));
  for (const [f, b] of Object.entries(files)) await writeFile(join(d, f), b);
  return `file://${d}/model.json`;
}

async function checkPredictions(m: km.Model, w: ReturnType<typeof weights>) {
  const xs = [[0.5, -1, 2, 0.25], [-0.3, 0.8, -1.5, 1]];
  const got = (m.predict(xs) as km.Tensor).data;
  xs.forEach((x, r) => reference(x, w).forEach((v, j) => expect(Math.abs(got[r * 2 + j]! - v)).toBeLessThan(1e-6)));
}

describe('Keras 3 conventions', () => {
  test('model_config wrapper, module/registered_name, DTypePolicy, batch_shape, L1/L2, vars/N names in two shards, training_config', async () => {
    const w = weights(1);
    const json = {
      format: 'layers-model', generatedBy: 'keras v3.5.0', convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '3.5.0', backend: 'tensorflow',
        model_config: {
          module: 'keras', class_name: 'Sequential', registered_name: null, build_config: { input_shape: [null, 4] },
          config: {
            name: 'sequential', trainable: true, dtype: policy,
            layers: [
              { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' } },
              keras3Dense('dense', 3, 'relu', {
                kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null },
                bias_regularizer: { module: 'keras.regularizers', class_name: 'L1', config: { l1: 0.001 }, registered_name: null },
              }),
              { module: 'keras.layers', class_name: 'Dropout', registered_name: null, config: { name: 'dropout', trainable: true, dtype: policy, rate: 0.5, seed: null, noise_shape: null } },
              keras3Dense('dense_1', 2, 'softmax'),
            ],
          },
        },
        training_config: {
          loss: 'categorical_crossentropy', metrics: ['accuracy'], weighted_metrics: null, loss_weights: null,
          optimizer_config: { class_name: 'Adam', config: { name: 'adam', learning_rate: 0.002, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false } },
        },
      },
      weightsManifest: [{
        paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
        weights: [
          { name: 'dense/vars/0', shape: [4, 3], dtype: 'float32' }, { name: 'dense/vars/1', shape: [3], dtype: 'float32' },
          { name: 'dense_1/vars/0', shape: [3, 2], dtype: 'float32' }, { name: 'dense_1/vars/1', shape: [2], dtype: 'float32' },
        ],
      }],
    };
    const all = bytesOf(w.w1, w.b1, w.w2, w.b2);
    const url = await writeModel('keras3', json, { 'group1-shard1of2.bin': all.slice(0, 50), 'group1-shard2of2.bin': all.slice(50) });
    const m = await km.loadModel(url);
    expect(m.name).toBe('sequential');
    expect(m.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dropout', 'Dense']);
    const d = m.layers[1] as km.layers.Dense;
    expect([d.kernelRegularizer!.className, d.kernelRegularizer!.l2]).toEqual(['L2', 0.01]);
    expect([d.biasRegularizer!.className, d.biasRegularizer!.l1]).toEqual(['L1', 0.001]);
    expect(m.compiled!.optimizer.className).toBe('Adam');
    expect(m.compiled!.optimizer.learningRate).toBe(0.002);
    expect(m.compiled!.metricIds).toEqual(['accuracy']);
    await checkPredictions(m, w);
    m.dispose();
  });

  test('a mixed-precision DTypePolicy is refused with a message naming the layer', async () => {
    const layer = keras3Dense('dense', 3, 'relu', { dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } }, batch_input_shape: [null, 4] });
    await expect(km.modelFromJSON({ class_name: 'Sequential', config: { name: 's', layers: [layer] } }))
      .rejects.toThrow("layer 'dense' (Dense) has dtype \"mixed_float16\"; kerasm computes in float32 only");
  });
});

describe('Keras 2 through tensorflowjs_converter', () => {
  test('dense/kernel names with :0, one shard per group, batch_input_shape on the first layer', async () => {
    const w = weights(2);
    const dense = (name: string, units: number, activation: string, first: boolean) => ({
      class_name: 'Dense',
      config: { name, trainable: true, ...(first ? { batch_input_shape: [null, 4] } : {}), dtype: 'float32', units, activation, use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.0, l2: 0.001 } }, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
    });
    const json = {
      format: 'layers-model', generatedBy: 'keras v2.15.0', convertedBy: 'TensorFlow.js Converter v4.17.0',
      modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: { class_name: 'Sequential', config: { name: 'sequential_7', layers: [dense('dense', 3, 'relu', true), dense('dense_1', 2, 'softmax', false)] } } },
      weightsManifest: [
        { paths: ['group1-shard1of1.bin'], weights: [{ name: 'dense/kernel:0', shape: [4, 3], dtype: 'float32' }, { name: 'dense/bias:0', shape: [3], dtype: 'float32' }] },
        { paths: ['group2-shard1of1.bin'], weights: [{ name: 'dense_1/kernel:0', shape: [3, 2], dtype: 'float32' }, { name: 'dense_1/bias:0', shape: [2], dtype: 'float32' }] },
      ],
    };
    const url = await writeModel('keras2', json, { 'group1-shard1of1.bin': bytesOf(w.w1, w.b1), 'group2-shard1of1.bin': bytesOf(w.w2, w.b2) });
    const m = await km.loadModel(url);
    expect(m.compiled).toBeNull();
    await checkPredictions(m, w);
    m.dispose();
  });

  test('Keras 2.1 bare layer list, model-prefixed names (sequential/dense/kernel), and manifest order when names say nothing', async () => {
    const w = weights(3);
    const layers = [
      { class_name: 'Dense', config: { name: 'dense', batch_input_shape: [null, 4], units: 3, activation: 'relu' } },
      { class_name: 'Dense', config: { name: 'dense_1', units: 2, activation: 'softmax' } },
    ];
    const specs = (names: string[]) => [[4, 3], [3], [3, 2], [2]].map((shape, i) => ({ name: names[i]!, shape, dtype: 'float32' }));
    const data = bytesOf(w.w1, w.b1, w.w2, w.b2).buffer as ArrayBuffer;
    const prefixed = await km.loadModel({ modelTopology: { class_name: 'Sequential', config: layers }, weightSpecs: specs(['sequential/dense/kernel', 'sequential/dense/bias', 'sequential/dense_1/kernel', 'sequential/dense_1/bias']), weightData: data });
    await checkPredictions(prefixed, w);
    const positional = await km.loadModel({ modelTopology: { class_name: 'Sequential', config: layers }, weightSpecs: specs(['w0', 'w1', 'w2', 'w3']), weightData: data });
    await checkPredictions(positional, w);
    prefixed.dispose();
    positional.dispose();
  });
});

// Functional topologies in files: kerasm ↔ TF.js 4.22 both ways (two inputs, a merge, two
// outputs, a shared layer, a nested model), the Keras 3 `args`/`kwargs` form of inbound nodes,
// the public functional fixture, and the refusals (graph models, broken graphs).
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { fixture } from './fixtures.js';
import { Rng } from '../helpers/rng.js';
import { tfReady, captureSave } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

const L = km.layers;

function uniform(n: number, f: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * f }, () => rng.uniform(-2, 2));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Two inputs, a layer shared by two calls, a nested model, a concatenation of three tensors, two
 * outputs: every part of a functional file.
 */
function buildKerasm(seed: number): km.Model {
  km.setSeed(seed);
  const i = km.input({ shape: [4], name: 'inner_in' });
  const inner = km.model({ inputs: i, outputs: L.dense({ units: 3, activation: 'relu', name: 'inner_dense' }).apply(i), name: 'inner' });
  const a = km.input({ shape: [5], name: 'pixels' });
  const b = km.input({ shape: [3], name: 'meta' });
  const shared = L.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const h1 = shared.apply(a);
  const h2 = shared.apply(L.dense({ units: 5, name: 'pre' }).apply(a));
  const j = L.concatenate({ name: 'join' }).apply([inner.apply(h1), h2, b]);
  const digit = L.dense({ units: 6, activation: 'softmax', name: 'digit' }).apply(j);
  const odd = L.dense({ units: 1, activation: 'sigmoid', name: 'odd' }).apply(h2);
  return km.model({ inputs: [a, b], outputs: [digit, odd], name: 'two_heads' });
}

function buildTfjs(): TF.LayersModel {
  const i = tf.input({ shape: [4], name: 'inner_in' });
  const inner = tf.model({ inputs: i, outputs: tf.layers.dense({ units: 3, activation: 'relu', name: 'inner_dense' }).apply(i) as TF.SymbolicTensor, name: 'inner' });
  const a = tf.input({ shape: [5], name: 'pixels' });
  const b = tf.input({ shape: [3], name: 'meta' });
  const shared = tf.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
  const h1 = shared.apply(a) as TF.SymbolicTensor;
  const h2 = shared.apply(tf.layers.dense({ units: 5, name: 'pre' }).apply(a)) as TF.SymbolicTensor;
  const j = tf.layers.concatenate({ name: 'join' }).apply([inner.apply(h1) as TF.SymbolicTensor, h2, b]) as TF.SymbolicTensor;
  const digit = tf.layers.dense({ units: 6, activation: 'softmax', name: 'digit' }).apply(j) as TF.SymbolicTensor;
  const odd = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'odd' }).apply(h2) as TF.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: [digit, odd], name: 'two_heads' });
}

const N = 7;
const xa = uniform(N, 5, 1);
const xb = uniform(N, 3, 2);

function kmPredict(m: km.Model): Float32Array[] {
  return (m.predict([km.tensor(xa, [N, 5]), km.tensor(xb, [N, 3])]) as km.Tensor[]).map((t) => t.data);
}

function tfPredict(m: TF.LayersModel): Float32Array[] {
  return (m.predict([tf.tensor(xa, [N, 5]), tf.tensor(xb, [N, 3])]) as TF.Tensor[]).map((t) => t.dataSync() as Float32Array);
}

describe('kerasm ↔ TF.js', () => {
  test('TF.js loadLayersModel reads a kerasm functional model (shared layer, nested model, merge, two outputs) and predicts the same within 1e-5', async () => {
    await km.ready();
    const m = buildKerasm(4);
    const artifacts = await captureSave((h) => m.save(h));
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as TF.io.ModelArtifacts));
    const got = tfPredict(tm);
    const want = kmPredict(m);
    expect(got.length).toBe(2);
    got.forEach((g, k) => expect(maxAbsDiff(g, want[k]!)).toBeLessThan(1e-5));
    expect(tm.inputNames).toEqual(['pixels', 'meta']);
    expect(tm.outputNames).toEqual(['digit', 'odd']);
    // Weights in model.weights order, named after their own layers (the nested model's too), as TF.js names them.
    expect(artifacts.weightSpecs!.map((s) => s.name)).toEqual(['shared/kernel', 'shared/bias', 'pre/kernel', 'pre/bias', 'inner_dense/kernel', 'inner_dense/bias', 'digit/kernel', 'digit/bias', 'odd/kernel', 'odd/bias']);
    expect(tm.getWeights().length).toBe(m.getWeights().length);
    tm.dispose();
    m.dispose();
  });

  test('kerasm loads a TF.js functional model (tm.save) and predicts the same within 1e-5', async () => {
    const tm = buildTfjs();
    const artifacts = await captureSave((h) => tm.save(h));
    expect((artifacts.modelTopology as { class_name: string }).class_name).toBe('Model');
    const m = await km.loadModel(artifacts);
    expect(m).not.toBeInstanceOf(km.Sequential);
    expect(m.inputNames).toEqual(['pixels', 'meta']);
    expect(m.outputNames).toEqual(['digit', 'odd']);
    const got = kmPredict(m);
    tfPredict(tm).forEach((want, k) => expect(maxAbsDiff(got[k]!, want)).toBeLessThan(1e-5));
    // The shared layer is one layer with two calls; the nested model one layer.
    expect(m.layers.filter((l) => l.name === 'shared').length).toBe(1);
    expect(m.getLayer('inner')).toBeInstanceOf(km.Model);
    tm.dispose();
    m.dispose();
  });

  test('kerasm loads a TF.js model with a tf.sequential nested in it (TF.js numbers its call from 1)', async () => {
    const stack = tf.sequential({ name: 'stack', layers: [tf.layers.dense({ units: 3, inputShape: [5], activation: 'relu', name: 's1' }), tf.layers.dense({ units: 2, name: 's2' })] });
    const a = tf.input({ shape: [5], name: 'pixels' });
    const b = tf.input({ shape: [3], name: 'meta' });
    const j = tf.layers.concatenate({ name: 'join' }).apply([stack.apply(a) as TF.SymbolicTensor, b]) as TF.SymbolicTensor;
    const tm = tf.model({ inputs: [a, b], outputs: [tf.layers.dense({ units: 2, name: 'out' }).apply(j) as TF.SymbolicTensor, stack.apply(a) as TF.SymbolicTensor] });
    const artifacts = await captureSave((h) => tm.save(h));
    const m = await km.loadModel(artifacts);
    expect(m.getLayer('stack')).toBeInstanceOf(km.Sequential);
    const got = kmPredict(m);
    tfPredict(tm).forEach((want, k) => expect(maxAbsDiff(got[k]!, want)).toBeLessThan(1e-5));
    tm.dispose();
    m.dispose();
  });
});

describe('kerasm → file → kerasm', () => {
  test('the topology: class_name Model, Keras 2 list-form inbound_nodes, node 1 for a nested model, the shared layer\'s two calls', async () => {
    const m = buildKerasm(5);
    const topology = JSON.parse(m.toJSON());
    expect(topology.class_name).toBe('Model');
    const byName = new Map<string, { class_name: string; inbound_nodes: unknown[] }>(topology.config.layers.map((l: { name: string }) => [l.name, l]));
    expect(byName.get('pixels')!.inbound_nodes).toEqual([]);
    expect(byName.get('shared')!.inbound_nodes).toEqual([[['pixels', 0, 0, {}]], [['pre', 0, 0, {}]]]);
    expect(byName.get('inner')!.class_name).toBe('Model');
    expect(byName.get('inner')!.inbound_nodes).toEqual([[['shared', 0, 0, {}]]]);
    expect(byName.get('join')!.inbound_nodes).toEqual([[['inner', 1, 0, {}], ['shared', 1, 0, {}], ['meta', 0, 0, {}]]]);
    expect(topology.config.input_layers).toEqual([['pixels', 0, 0], ['meta', 0, 0]]);
    expect(topology.config.output_layers).toEqual([['digit', 0, 0], ['odd', 0, 0]]);
    m.dispose();
  });

  test('a compiled functional model comes back with its per-output losses, weights and metrics, and predicts bit-identically', async () => {
    const m = buildKerasm(6);
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: { digit: 'categoricalCrossentropy', odd: 'binaryCrossentropy' }, lossWeights: [1, 0.5], metrics: { digit: ['accuracy'], odd: ['mae'] } });
    const y = [km.oneHot([0, 1, 2, 3, 4, 5, 0], 6), km.tensor(new Float32Array([0, 1, 0, 1, 1, 0, 1]), [N, 1])];
    const x = [km.tensor(xa, [N, 5]), km.tensor(xb, [N, 3])];
    await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const back = await km.loadModel(await captureSave((h) => m.save(h, { includeOptimizer: true })));
    const heads = back.compiled!.heads.map((h) => ({ name: h.name, loss: h.loss?.kind, weight: h.weight, metrics: h.metricIds }));
    expect(heads).toEqual([
      { name: 'digit', loss: 'categoricalCrossentropy', weight: 1, metrics: ['accuracy'] },
      { name: 'odd', loss: 'binaryCrossentropy', weight: 0.5, metrics: ['mae'] },
    ]);
    kmPredict(back).forEach((got, k) => expect(Array.from(got)).toEqual(Array.from(kmPredict(m)[k]!)));
    expect(back.evaluate(x, y)).toEqual(m.evaluate(x, y));
    // The optimizer state came back too (kerasm's record): one more step gives the same weights.
    expect(back.optimizer!.iterations).toBe(m.optimizer!.iterations);
    m.trainOnBatch(x, y);
    back.trainOnBatch(x, y);
    expect(back.getWeights().map((t) => Array.from(t.data))).toEqual(m.getWeights().map((t) => Array.from(t.data)));
    m.dispose();
    back.dispose();
  });

  test('two nested models with layers of one name are refused at save (the file could not be matched), naming the layer', async () => {
    const part = (name: string) => {
      const i = km.input({ shape: [2] });
      return km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'same' }).apply(i), name });
    };
    const x = km.input({ shape: [2], name: 'x' });
    const m = km.model({ inputs: x, outputs: part('p2').apply(part('p1').apply(x)) });
    await expect(m.save(km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }))))
      .rejects.toThrow("Cannot save the model: two weights are named 'same/kernel' (layers of nested models share the name 'same'); give one of them another name.");
    m.dispose();
  });

  test('toJSON → modelFromJSON → toJSON is stable (names, nested model, shared layer, node numbers)', async () => {
    const m = buildKerasm(7);
    const json = m.toJSON();
    const copy = await km.modelFromJSON(json);
    expect(copy.toJSON()).toBe(json);
    m.dispose();
    copy.dispose();
  });

  test('a Sequential nested in a functional model, and a functional model nested in a Sequential', async () => {
    km.setSeed(8);
    const seq = km.sequential({ name: 'stack', layers: [L.dense({ units: 3, inputShape: [4], name: 's1' }), L.dense({ units: 2, name: 's2' })] });
    const x = km.input({ shape: [4], name: 'x' });
    const outer = km.model({ inputs: x, outputs: L.dense({ units: 1, name: 'head' }).apply(seq.apply(x)), name: 'outer' });
    const i = km.input({ shape: [1], name: 'i' });
    const graph = km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'g' }).apply(i), name: 'graph' });
    const wrapper = km.sequential({ name: 'wrapper', layers: [outer, graph] });
    const data = km.tensor(uniform(3, 4, 9), [3, 4]);
    const back = await km.loadModel(await captureSave((h) => wrapper.save(h)));
    expect(back).toBeInstanceOf(km.Sequential);
    expect(back.layers.map((l) => [l.name, l.className])).toEqual([['outer', 'Functional'], ['graph', 'Functional']]);
    expect(Array.from((back.predict(data) as km.Tensor).data)).toEqual(Array.from((wrapper.predict(data) as km.Tensor).data));
    // TF.js reads it too.
    const tm = await tf.loadLayersModel(tf.io.fromMemory(await captureSave((h) => wrapper.save(h)) as TF.io.ModelArtifacts));
    expect(maxAbsDiff((tm.predict(tf.tensor(data.data, [3, 4])) as TF.Tensor).dataSync(), (wrapper.predict(data) as km.Tensor).data)).toBeLessThan(1e-5);
    tm.dispose();
    back.dispose();
    wrapper.dispose();
  });
});

/** A Keras 3 tensor reference in a call's args. */
const kt = (layer: string, node = 0, tensor = 0) => ({ class_name: '__keras_tensor__', config: { shape: [null, 2], dtype: 'float32', keras_history: [layer, node, tensor] } });
const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const dense = (name: string, units: number, activation = 'linear') => ({
  module: 'keras.layers', class_name: 'Dense', registered_name: null, name,
  config: { name, trainable: true, dtype: policy, units, activation, use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
    bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null,
    activity_regularizer: null, kernel_constraint: null, bias_constraint: null },
});
const inputLayer = (name: string, width: number) => ({ module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name, config: { batch_shape: [null, width], dtype: 'float32', sparse: false, name }, inbound_nodes: [] });

describe('Keras 3 files', () => {
  test('{ args, kwargs } inbound nodes, a merge with a list of tensors, a nested Functional (node 0 in args, node 1 in output_layers), one input as a bare [name, node, tensor]', async () => {
    const inner = {
      module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional', name: 'inner',
      config: {
        name: 'inner', trainable: true,
        layers: [inputLayer('inner_in', 2), { ...dense('inner_dense', 2), inbound_nodes: [{ args: [kt('inner_in')], kwargs: {} }] }],
        input_layers: [['inner_in', 0, 0]], output_layers: [['inner_dense', 0, 0]],
      },
      inbound_nodes: [{ args: [kt('d1')], kwargs: { training: false } }],
    };
    const topology = {
      keras_version: '3.8.0', backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: {
          name: 'k3', trainable: true,
          layers: [
            inputLayer('x', 2),
            { ...dense('d1', 2, 'tanh'), inbound_nodes: [{ args: [kt('x')], kwargs: {} }] },
            inner,
            { module: 'keras.layers', class_name: 'Add', registered_name: null, name: 'sum', config: { name: 'sum', trainable: true, dtype: policy }, inbound_nodes: [{ args: [[kt('inner'), kt('d1')]], kwargs: {} }] },
          ],
          input_layers: ['x', 0, 0],
          output_layers: [['sum', 0, 0], ['inner', 1, 0]],
        },
      },
    };
    const w = { d1k: [0.5, -1, 2, 0.25], d1b: [0.1, -0.2], ik: [1, -0.5, 0.3, 0.8], ib: [0, 0.05] };
    const weightData = new Float32Array([...w.d1k, ...w.d1b, ...w.ik, ...w.ib]).buffer;
    const weightSpecs = [['d1/kernel', [2, 2]], ['d1/bias', [2]], ['inner_dense/kernel', [2, 2]], ['inner_dense/bias', [2]]].map(([name, shape]) => ({ name: name as string, shape: shape as number[], dtype: 'float32' }));
    const m = await km.loadModel({ modelTopology: topology, weightSpecs, weightData });
    expect(m.outputNames).toEqual(['sum', 'inner']);
    const x = [0.7, -1.2];
    const h = [0, 1].map((j) => Math.tanh(w.d1b[j]! + x[0]! * w.d1k[j]! + x[1]! * w.d1k[2 + j]!));
    const inn = [0, 1].map((j) => w.ib[j]! + h[0]! * w.ik[j]! + h[1]! * w.ik[2 + j]!);
    const [sum, innerOut] = m.predict([x]) as km.Tensor[];
    expect(maxAbsDiff(innerOut!.data, inn)).toBeLessThan(1e-6);
    expect(maxAbsDiff(sum!.data, inn.map((v, j) => v + h[j]!))).toBeLessThan(1e-6);
    m.dispose();
  });
});

describe('Keras 3 files: a nested Sequential', () => {
  test('its call is node 0 in inbound_nodes and in output_layers (a Keras 3 Sequential is no Functional)', async () => {
    const seq = {
      module: 'keras', class_name: 'Sequential', registered_name: null, name: 'seq',
      config: { name: 'seq', trainable: true, dtype: policy, layers: [inputLayer('seq_in', 2), dense('seq_dense', 2)], build_input_shape: [null, 2] },
      inbound_nodes: [{ args: [kt('x')], kwargs: {} }],
    };
    const topology = {
      keras_version: '3.10.0', backend: 'tensorflow',
      model_config: { class_name: 'Functional', config: { name: 'k3s', trainable: true, layers: [inputLayer('x', 2), seq], input_layers: [['x', 0, 0]], output_layers: [['seq', 0, 0]] } },
    };
    const weightSpecs = [{ name: 'seq/seq_dense/kernel', shape: [2, 2], dtype: 'float32' }, { name: 'seq/seq_dense/bias', shape: [2], dtype: 'float32' }];
    const m = await km.loadModel({ modelTopology: topology, weightSpecs, weightData: new Float32Array([1, 2, 3, 4, 0.5, -0.5]).buffer });
    expect(Array.from((m.predict([[1, 1]]) as km.Tensor).data)).toEqual([4.5, 5.5]);
    m.dispose();
  });
});

describe('real files', () => {
  test('mlcscore_functional (Keras 2.3, converter 3.7): a functional `Model` loads and predicts tanh(x·W1 + b1)·W2 + b2', async () => {
    const m = await km.loadModel(fixture('realmodels/mlcscore_functional/model.json'));
    expect(m.className).toBe('Functional');
    expect(m.name).toBe('model_1');
    expect(m.layers.map((l) => l.name)).toEqual(['input_2', 'dense_2', 'dense_3']);
    const [w1, b1, w2, b2] = m.getWeights().map((t) => t.data);
    const x = Array.from({ length: 8 }, (_, i) => (i - 3.5) / 4);
    const h = Array.from({ length: 40 }, (_, j) => Math.tanh(b1![j]! + x.reduce((s, xi, i) => s + xi * w1![i * 40 + j]!, 0)));
    const want = b2![0]! + h.reduce((s, hj, j) => s + hj * w2![j]!, 0);
    expect(Math.abs((m.predict([x]) as km.Tensor).data[0]! - want)).toBeLessThan(1e-5);
    // Loading put the file's weights in: not zeros, not fresh draws.
    expect(w1!.some((v) => v !== 0)).toBe(true);
    m.dispose();
  });

  test('mnist_graphmodel (a TF.js graph model) is refused: it says graph model and how to get a layers model', async () => {
    const refused = km.loadModel(fixture('realmodels/mnist_graphmodel/model.json'));
    await expect(refused).rejects.toThrow(km.KerasmError);
    await expect(km.loadModel(fixture('realmodels/mnist_graphmodel/model.json'))).rejects.toThrow(
      /this is a TF\.js graph model \(converted from a TensorFlow SavedModel or frozen graph\), which kerasm does not load\. kerasm loads layers models: .*--output_format tfjs_layers_model/);
    // The topology alone (format lost) is recognized by its graph nodes.
    await expect(km.modelFromJSON({ node: [], library: {}, versions: {} })).rejects.toThrow(/TF\.js graph model/);
  });
});

describe('broken graphs', () => {
  const base = () => JSON.parse(buildKerasm(1).toJSON()) as { config: { layers: { name: string; inbound_nodes: unknown[][] }[]; output_layers: unknown[] } };
  const layer = (t: ReturnType<typeof base>, name: string) => t.config.layers.find((l) => l.name === name)!;

  test('a call on a layer the model does not have', async () => {
    const t = base();
    layer(t, 'digit').inbound_nodes = [[['nowhere', 0, 0, {}]]];
    await expect(km.modelFromJSON(t)).rejects.toThrow("Invalid model topology: layer 'digit' refers to a layer 'nowhere' the model does not have");
  });

  test('a call on a call the file never makes (Graph disconnected)', async () => {
    const t = base();
    layer(t, 'digit').inbound_nodes = [[['join', 3, 0, {}]]];
    await expect(km.modelFromJSON(t)).rejects.toThrow("Invalid model topology: layer 'digit' refers to call 3 of 'join', which the file never makes (Graph disconnected)");
  });

  test('two layers of one name; a nested model referred to as node 0 in the Keras 2 form', async () => {
    const t = base();
    layer(t, 'odd').name = 'digit';
    await expect(km.modelFromJSON(t)).rejects.toThrow("Invalid model topology: two layers are named 'digit'");
    const u = base();
    layer(u, 'join').inbound_nodes = [[['inner', 0, 0, {}], ['shared', 1, 0, {}], ['meta', 0, 0, {}]]];
    await expect(km.modelFromJSON(u)).rejects.toThrow("Invalid model topology: layer 'join' refers to node 0 of 'inner', which has no such node");
  });

  test('malformed inbound nodes and input_layers', async () => {
    const t = base();
    layer(t, 'digit').inbound_nodes = [[['join', -1, 0]]];
    await expect(km.modelFromJSON(t)).rejects.toThrow(/inbound node 0 of 'digit' has a tensor reference \["join",-1,0\]/);
    const u = base();
    u.config.output_layers = [];
    await expect(km.modelFromJSON(u)).rejects.toThrow(/`output_layers` is empty/);
  });
});

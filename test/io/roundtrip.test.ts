import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { LAYER_CASES } from '../helpers/layer-cases.js';
import { LAYER_CLASSES } from '../../src/layers/registry.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

let dir: string;
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function data(n: number, f: number, classes: number, seed = 1) {
  const rng = new Rng(seed);
  const x = km.tensor(Float32Array.from({ length: n * f }, () => rng.uniform(-1, 1)), [n, f]);
  const y = km.oneHot(Array.from({ length: n }, () => rng.int(classes)), classes);
  return { x, y };
}

function mlp(seed: number) {
  km.setSeed(seed);
  return km.sequential({ layers: [
    km.layers.dense({ units: 7, activation: 'relu', inputShape: [5], kernelRegularizer: km.regularizers.l2(0.01), biasRegularizer: km.regularizers.l1(0.001) }),
    km.layers.dropout({ rate: 0.3 }),
    km.layers.dense({ units: 6, activation: 'tanh', activityRegularizer: km.regularizers.l1l2({ l1: 0.001, l2: 0.002 }) }),
    km.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe('kerasm → file → kerasm', () => {
  test('file:// writes model.json + weights.bin, and loadModel predicts bit-identically', async () => {
    const { x, y } = data(40, 5, 3);
    const m = mlp(3);
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await m.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const target = join(dir, 'mlp');
    const res = await m.save(`file://${target}`);
    expect(res.modelArtifactsInfo.weightDataBytes).toBe(m.countParams() * 4);
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights[0]).toEqual({ name: `${m.layers[0]!.name}/kernel`, shape: [5, 7], dtype: 'float32' });
    expect(json.modelTopology.config.layers[0].config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    const again = await km.loadModel(`file://${target}/model.json`);
    expect(sameBits((again.predict(x) as km.Tensor).data, m.predict(x).data)).toBe(true);
    expect(again.compiled?.optimizer.className).toBe('Adam');
    expect(again.evaluate(x, y)).toEqual(m.evaluate(x, y));
    m.dispose();
    again.dispose();
  });
});

describe('resumed training (includeOptimizer)', () => {
  const optimizers: [string, () => km.optimizers.Optimizer][] = [
    ['adam', () => km.optimizers.adam({ learningRate: 0.01 })],
    ['adam amsgrad', () => km.optimizers.adam({ learningRate: 0.01, amsgrad: true })],
    ['sgd nesterov', () => km.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
    ['rmsprop centered', () => km.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true })],
    ['adagrad', () => km.optimizers.adagrad({ learningRate: 0.05 })],
    ['adamw', () => km.optimizers.adamw({ learningRate: 0.01 })],
    ['ftrl with l1 and l2', () => km.optimizers.ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.001, l2RegularizationStrength: 0.01 })],
    ['adam with an exponentialDecay schedule', () => km.optimizers.adam({ learningRate: km.schedules.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 3, decayRate: 0.5 }) })],
  ];
  test.each(optimizers)('%s: train 2 epochs, save, train 1 more = load, train 1 more (bit-identical weights)', async (_name, opt) => {
    const { x, y } = data(44, 5, 3, 9);
    const a = mlp(21);
    a.compile({ optimizer: opt(), loss: 'categoricalCrossentropy' });
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const target = `file://${join(dir, 'resume')}`;
    await a.save(target, { includeOptimizer: true });
    await a.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const b = await km.loadModel(`${target}/model.json`, { restoreGlobalRandomState: true });
    expect(b.compiled!.optimizer.iterations).toBe(12);
    await b.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((w, i) => expect(sameBits(wb[i]!.data, w.data)).toBe(true));
    a.dispose();
    b.dispose();
  });

  test('proximal L1 and a maxNorm constraint survive the file (TF.js-ignored keys) and resume identically', async () => {
    const { x, y } = data(30, 5, 3, 2);
    km.setSeed(17);
    const a = km.sequential({ layers: [
      km.layers.dense({ units: 6, activation: 'relu', inputShape: [5], kernelRegularizer: km.regularizers.l1({ l1: 0.01, proximal: true }), kernelConstraint: km.constraints.maxNorm({ maxValue: 0.8 }) }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    a.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1, momentum: 0.5 }), loss: 'categoricalCrossentropy' });
    await a.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
    const target = `file://${join(dir, 'prox')}`;
    await a.save(target, { includeOptimizer: true });
    const json = JSON.parse(await readFile(join(dir, 'prox', 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers[0].config.kernel_regularizer).toEqual({ class_name: 'L1L2', config: { l1: 0.01, l2: 0, proximal: true } });
    await a.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    const b = await km.loadModel(`${target}/model.json`, { restoreGlobalRandomState: true });
    expect((b.layers[0] as km.layers.Dense).kernelRegularizer!.proximal).toBe(true);
    await b.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    a.getWeights().forEach((w, i) => expect(sameBits(b.getWeights()[i]!.data, w.data)).toBe(true));
    a.dispose();
    b.dispose();
  });

  test('without includeOptimizer the resumed run differs (fresh optimizer), so the test above can fail', async () => {
    const { x, y } = data(44, 5, 3, 9);
    const a = mlp(21);
    a.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const target = `file://${join(dir, 'no-state')}`;
    await a.save(target);
    await a.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const b = await km.loadModel(`${target}/model.json`);
    expect(b.compiled!.optimizer.iterations).toBe(0);
    await b.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(sameBits(b.getWeights()[0]!.data, a.getWeights()[0]!.data)).toBe(false);
    a.dispose();
    b.dispose();
  });

  test('saveWeights + loadWeights into a freshly built model (other layer names) also resumes identically', async () => {
    const { x, y } = data(30, 5, 3, 4);
    const a = mlp(8);
    a.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    await a.fit(x, y, { epochs: 1, batchSize: 6, verbose: 0 });
    let saved: km.ModelArtifacts | null = null;
    await a.saveWeights(km.io.withSaveHandler(async (art) => {
      saved = art;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }), { includeOptimizer: true });
    expect(saved!.modelTopology).toBeUndefined();
    await a.fit(x, y, { epochs: 1, batchSize: 6, verbose: 0 });
    const b = mlp(99);
    expect(b.layers[0]!.name).not.toBe(a.layers[0]!.name);
    b.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    await b.loadWeights(saved!, { restoreGlobalRandomState: true });
    await b.fit(x, y, { epochs: 1, batchSize: 6, verbose: 0 });
    a.getWeights().forEach((w, i) => expect(sameBits(b.getWeights()[i]!.data, w.data)).toBe(true));
    a.dispose();
    b.dispose();
  });
});

describe('in-memory handlers, weights alone, topology alone', () => {
  test('save to withSaveHandler and load from fromMemory / the artifacts / an array of ArrayBuffers', async () => {
    const m = mlp(4);
    let art: km.ModelArtifacts | null = null;
    const res = await m.save(km.io.withSaveHandler(async (a) => {
      art = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: 1 } };
    }));
    expect(res.modelArtifactsInfo.weightDataBytes).toBe(1);
    const a = art as unknown as km.ModelArtifacts;
    expect(a.weightData).toBeInstanceOf(ArrayBuffer);
    const x = data(6, 5, 3).x;
    const want = m.predict(x).data;
    for (const source of [a, km.io.fromMemory(a), km.io.fromMemory(a.modelTopology, a.weightSpecs, a.weightData)]) {
      const l = await km.loadModel(source);
      expect(sameBits((l.predict(x) as km.Tensor).data, want)).toBe(true);
      l.dispose();
    }
    const buf = a.weightData as ArrayBuffer;
    const split = { ...a, weightData: [buf.slice(0, 10), buf.slice(10, 77), buf.slice(77)] };
    const l = await km.loadModel(split);
    expect(sameBits((l.predict(x) as km.Tensor).data, want)).toBe(true);
    l.dispose();
    m.dispose();
  });

  test('saveWeights writes a manifest without topology; loadWeights reads it, and loadModel says to use loadWeights', async () => {
    const m = mlp(6);
    const target = join(dir, 'weights-only');
    await m.saveWeights(`file://${target}`);
    const json = JSON.parse(await readFile(join(target, 'model.json'), 'utf8'));
    expect(json.modelTopology).toBeUndefined();
    const other = mlp(7);
    const x = data(5, 5, 3).x;
    expect(sameBits(other.predict(x).data, m.predict(x).data)).toBe(false);
    await other.loadWeights(`file://${target}/model.json`);
    expect(sameBits(other.predict(x).data, m.predict(x).data)).toBe(true);
    await expect(km.loadModel(`file://${target}`)).rejects.toThrow(/no modelTopology .*model\.loadWeights/);
    m.dispose();
    other.dispose();
  });

  test('toJSON returns the TF.js-style topology string; modelFromJSON rebuilds an uncompiled model with fresh weights', async () => {
    const m = mlp(12);
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const json = m.toJSON();
    expect(typeof json).toBe('string');
    const parsed = JSON.parse(json);
    expect(parsed.class_name).toBe('Sequential');
    expect(parsed.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['Dense', 'Dropout', 'Dense', 'Dense']);
    const copy = await km.modelFromJSON(json);
    expect(copy.compiled).toBeNull();
    expect(copy.toJSON()).toBe(json);
    const x = data(3, 5, 3).x;
    expect(sameBits((copy.predict(x) as km.Tensor).data, m.predict(x).data)).toBe(false);
    const fromObject = await km.modelFromJSON({ modelTopology: parsed });
    expect(fromObject.toJSON()).toBe(json);
    m.dispose();
    copy.dispose();
    fromObject.dispose();
  });

  test('every layer class in the registry round-trips its config (fromConfig(getConfig()) deep-equal, JSON stable)', () => {
    // One example per row of src/layers/registry.ts, from the layer harness's case table (one table).
    const made: km.layers.Layer[] = Object.values(LAYER_CASES).map((cases) => cases[0]!.make());
    expect(new Set(made.map((l) => l.className))).toEqual(new Set(Object.keys(LAYER_CLASSES)));
    for (const l of made) {
      const config = l.getConfig();
      const back = LAYER_CLASSES[l.className]!(JSON.parse(JSON.stringify(config)));
      expect(back.getConfig()).toEqual(config);
      expect(JSON.stringify(back.getConfig())).toBe(JSON.stringify(config));
    }
  });
});

describe('http(s):// loading', () => {
  test('loadModel fetches model.json and its weight file from a local server', async () => {
    const { createServer } = await import('node:http');
    const m = mlp(31);
    let art: km.ModelArtifacts | null = null;
    await m.save(km.io.withSaveHandler(async (a) => {
      art = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const a = art as unknown as km.ModelArtifacts;
    const files: Record<string, Uint8Array | string> = {
      '/models/m/model.json': JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: a.weightSpecs }] }),
      '/models/m/group1-shard1of2.bin': new Uint8Array(a.weightData as ArrayBuffer, 0, 40),
      '/models/m/group1-shard2of2.bin': new Uint8Array(a.weightData as ArrayBuffer, 40),
    };
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const body = files[req.url ?? ''];
      if (body === undefined) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const l = await km.loadModel(`http://127.0.0.1:${port}/models/m/model.json`);
      const x = data(4, 5, 3).x;
      expect(sameBits((l.predict(x) as km.Tensor).data, m.predict(x).data)).toBe(true);
      expect(requested).toEqual(['/models/m/model.json', '/models/m/group1-shard1of2.bin', '/models/m/group1-shard2of2.bin']);
      l.dispose();
      await expect(km.loadModel(`http://127.0.0.1:${port}/models/none/model.json`)).rejects.toThrow(/HTTP 404/);
      await expect(m.save(`http://127.0.0.1:${port}/upload`)).rejects.toThrow(/Saving to http\(s\):\/\/ is not supported/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      m.dispose();
    }
  });
});

// Loading a model leaves the process-wide random stream alone: it draws nothing from it (the
// file's weights are not initialized first, dropout keys are drawn at the first training step)
// and sets it back to the saving process's position only with `restoreGlobalRandomState`.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { globalRandom } from '../../src/random.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';

beforeAll(async () => {
  await testBackend();
});

function data(n: number, f: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const x = km.tensor(Float32Array.from({ length: n * f }, () => rng.uniform(-1, 1)), [n, f]);
  const y = km.oneHot(Array.from({ length: n }, () => rng.int(classes)), classes);
  return { x, y };
}

const { x, y } = data(40, 5, 3, 3);

function net(withDropout = true, names = '') {
  return km.sequential({ layers: [
    km.layers.dense({ units: 8, activation: 'relu', inputShape: [5], name: `d1${names}` }),
    ...(withDropout ? [km.layers.dropout({ rate: 0.3, name: `drop${names}` })] : []),
    km.layers.dense({ units: 3, activation: 'softmax', name: `d2${names}` }),
  ] });
}

/** Artifacts saved through an in-memory handler. */
async function artifactsOf(save: (h: km.IOHandler) => Promise<unknown>): Promise<km.ModelArtifacts> {
  let saved: km.ModelArtifacts | null = null;
  await save(km.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

/** A trained model saved with its optimizer and random state, and the global state it recorded. */
async function stateFile(seed: number): Promise<{ artifacts: km.ModelArtifacts; global: number[] }> {
  km.setSeed(seed);
  const m = net(true, `_s${seed}`);
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const artifacts = await artifactsOf((h) => m.save(h, { includeOptimizer: true }));
  m.dispose();
  const record = artifacts.userDefinedMetadata!.kerasm as { random: { global: number[] } };
  return { artifacts, global: record.random.global };
}

/** A TF.js-format file: topology and weights, no kerasm record (no training state). */
async function plainFile(): Promise<km.ModelArtifacts> {
  km.setSeed(77);
  const m = net(true, '_plain');
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const a = await artifactsOf((h) => m.save(h));
  m.dispose();
  return { modelTopology: a.modelTopology, format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v4.22.0', convertedBy: null, weightSpecs: a.weightSpecs, weightData: a.weightData };
}

/** Two epochs of another model; `between` runs after the first. Its final weights. */
async function otherRun(between?: () => Promise<void>): Promise<Float32Array[]> {
  km.setSeed(5);
  const m = net(true, '_other');
  m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  if (between !== undefined) await between();
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  const w = m.getWeights().map((t) => t.data);
  m.dispose();
  return w;
}

function expectSameBits(got: Float32Array[], want: Float32Array[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Buffer.from(g.buffer, g.byteOffset, g.byteLength).equals(Buffer.from(want[i]!.buffer, want[i]!.byteOffset, want[i]!.byteLength)), `weight ${i}`).toBe(true));
}

describe('loading draws nothing from the process-wide stream', () => {
  test('a TF.js-format file, or a file saved with includeOptimizer, loaded mid-run leaves another model\'s training bit-identical', async () => {
    const plain = await plainFile();
    const { artifacts: withState } = await stateFile(123);
    const want = await otherRun();
    for (const file of [plain, withState]) {
      const got = await otherRun(async () => {
        const loaded = await km.loadModel(file);
        loaded.dispose();
      });
      expectSameBits(got, want);
    }
    // The same load with the global state restored does change the other run: the test can fail.
    const moved = await otherRun(async () => (await km.loadModel(withState, { restoreGlobalRandomState: true })).dispose());
    expect(moved.some((w, i) => !w.every((v, j) => Object.is(v, want[i]![j])))).toBe(true);
  });

  test('the global stream position is unchanged by loadModel, modelFromJSON and loadWeights', async () => {
    const plain = await plainFile();
    const { artifacts: withState } = await stateFile(9);
    km.setSeed(31);
    const before = globalRandom().getState();
    const models = [
      await km.loadModel(plain),
      await km.loadModel(withState),
      await km.loadModel(km.io.fromMemory(withState), { compile: false }),
      await km.modelFromJSON(withState.modelTopology as object),
      await km.modelFromJSON(JSON.stringify({ modelTopology: plain.modelTopology })),
    ];
    expect(globalRandom().getState()).toEqual(before);
    const target = net(true, '_target');
    await target.loadWeights(withState);
    await target.loadWeights(plain);
    expect(globalRandom().getState()).toEqual(before);
    // The loaded models work: predict on the file's weights, no initializer needed.
    expect((models[0]!.predict(x) as km.Tensor).shape).toEqual([40, 3]);
    expect(globalRandom().getState()).toEqual(before);
    for (const m of [...models, target]) m.dispose();
  });

  test('restoreGlobalRandomState: true sets the stream to where the saving process had it (loadModel and loadWeights)', async () => {
    const { artifacts, global } = await stateFile(4);
    km.setSeed(1000);
    const m = await km.loadModel(artifacts, { restoreGlobalRandomState: true });
    expect(globalRandom().getState()).toEqual(global);
    km.setSeed(1001);
    const target = net(true, '_lw');
    await target.loadWeights(artifacts, { restoreGlobalRandomState: true });
    expect(globalRandom().getState()).toEqual(global);
    // A file without a kerasm record has no global state to restore: the flag changes nothing.
    const plain = await plainFile();
    km.setSeed(1002);
    const before = globalRandom().getState();
    (await km.loadModel(plain, { restoreGlobalRandomState: true })).dispose();
    expect(globalRandom().getState()).toEqual(before);
    m.dispose();
    target.dispose();
  });
});

describe('dropout keys are drawn at the first training step', () => {
  test('building a model with dropout draws nothing: it starts from the same weights as the same model without dropout', async () => {
    km.setSeed(42);
    const without = net(false, '_a');
    const plain = without.getWeights();
    without.dispose();
    km.setSeed(42);
    const withDropout = net(true, '_b');
    const drop = withDropout.layers[1] as km.layers.Dropout;
    expect(drop.streamState).toBeNull();
    expectSameBits(withDropout.getWeights().map((t) => t.data), plain.map((t) => t.data));
    withDropout.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await withDropout.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(drop.streamState).not.toBeNull();
    expect(drop.streamState![2]).toBe(5);
    withDropout.dispose();
  });

  test('a seeded layer has its keys from its seed before training; an unseeded one draws them from the global stream', async () => {
    const seeded = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, seed: 3, inputShape: [4] })] });
    const state = (seeded.layers[0] as km.layers.Dropout).streamState;
    expect(state).not.toBeNull();
    expect(state![2]).toBe(0);
    const again = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, seed: 3, inputShape: [4] })] });
    expect((again.layers[0] as km.layers.Dropout).streamState).toEqual(state);
    // Two unseeded layers after the same setSeed get the same masks.
    const masks = () => {
      km.setSeed(8);
      const m = km.sequential({ layers: [km.layers.dropout({ rate: 0.5, inputShape: [16] })] });
      const out = m.predict(km.tensor(new Float32Array(16).fill(1), [1, 16]), { training: true }).data.slice();
      m.dispose();
      return out;
    };
    expect(masks()).toEqual(masks());
    seeded.dispose();
    again.dispose();
  });

  test('a model saved with includeOptimizer before its first step resumes bit-identically (its dropout keys are drawn after the load)', async () => {
    km.setSeed(64);
    const a = net(true, '_fresh');
    a.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy' });
    const artifacts = await artifactsOf((h) => a.save(h, { includeOptimizer: true }));
    const record = artifacts.userDefinedMetadata!.kerasm as { random: { layers: { name: string; state: unknown }[] } };
    expect(record.random.layers).toEqual([{ name: 'drop_fresh', state: null }]);
    await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    km.setSeed(999);
    const b = await km.loadModel(artifacts, { restoreGlobalRandomState: true });
    expect((b.layers[1] as km.layers.Dropout).streamState).toBeNull();
    await b.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expectSameBits(b.getWeights().map((t) => t.data), a.getWeights().map((t) => t.data));
    a.dispose();
    b.dispose();
  });
});

describe('save and load options are checked', () => {
  test('unknown keys are refused, with kerasm\'s name for a snake_case spelling', async () => {
    const m = net(true, '_opts');
    const handler = km.io.withSaveHandler(async () => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }));
    await expect(m.save(handler, { include_optimizer: true } as never)).rejects.toThrow('Unrecognized options passed to model.save: include_optimizer. Use `includeOptimizer` instead of `include_optimizer`');
    await expect(m.saveWeights(handler, { trainableOnly: true } as never)).rejects.toThrow(km.ValueError);
    const artifacts = await artifactsOf((h) => m.save(h));
    await expect(km.loadModel(artifacts, { restore_global_random_state: true } as never)).rejects.toThrow('Use `restoreGlobalRandomState` instead of `restore_global_random_state`');
    await expect(km.loadModel(artifacts, { strict: true } as never)).rejects.toThrow(/Unrecognized options passed to loadModel: strict\..*Known options: compile, restoreGlobalRandomState/);
    await expect(km.loadModel(artifacts, { restoreGlobalRandomState: 'yes' } as never)).rejects.toThrow('Invalid value received for argument `restoreGlobalRandomState`: expected a boolean. Received: restoreGlobalRandomState=\'yes\'');
    await expect(km.loadModel(artifacts, null as never)).rejects.toThrow(km.ValueError);
    await expect(m.loadWeights(artifacts, { restoreGlobalRandomstate: true } as never)).rejects.toThrow('Use `restoreGlobalRandomState` instead of `restoreGlobalRandomstate`');
    m.dispose();
  });
});

// kerasm writes Keras's files: a .keras / .h5 of the same architecture as a real Keras file has
// the same tree of groups, datasets (shapes, dtypes) and attributes (names, HDF5 dtypes); every
// written file reads back bit-identically (Sequential and functional, with a nested model and a
// merge); weights-alone files go through saveWeights / loadWeights; bad weights are refused.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { KerasmError, ValueError } from '../../src/errors.js';
import { testBackend } from '../helpers/backend.js';
import { fixtureBytes, h5Tree } from './keras-reference.js';

const L = km.layers;
let dir: string;
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-kerasfiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const file = (name: string): string => `file://${join(dir, name)}`;

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** Weights (every bit) and predictions of two models agree. */
function expectSameModel(a: km.Model, b: km.Model, x: km.Tensor | km.Tensor[]): void {
  const wa = a.getWeights();
  const wb = b.getWeights();
  expect(wb.map((w) => w.shape)).toEqual(wa.map((w) => w.shape));
  wa.forEach((w, i) => expect(sameBits(w.dataSync(), wb[i]!.dataSync()), `weight ${i}`).toBe(true));
  const pa = [a.predict(x)].flat();
  const pb = [b.predict(x)].flat();
  pa.forEach((p, i) => expect(sameBits(p.dataSync(), pb[i]!.dataSync())).toBe(true));
}

/** The churn fixture's architecture (Keras 3.10, legacy .h5), same names. */
function churnLike(): km.Sequential {
  km.setSeed(3);
  const m = km.sequential({ name: 'sequential_2', layers: [
    L.dense({ units: 64, activation: 'relu', inputShape: [12], name: 'dense_6' }),
    L.dense({ units: 32, activation: 'relu', name: 'dense_7' }),
    L.dense({ units: 1, activation: 'sigmoid', name: 'dense_8' }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** The diabetes fixture's architecture (Keras 3.5, .keras). */
function diabetesLike(): km.Sequential {
  km.setSeed(4);
  return km.sequential({ name: 'sequential_2', layers: [
    L.dense({ units: 128, activation: 'relu', inputShape: [4], name: 'dense_6' }),
    L.batchNormalization({ name: 'batch_normalization_4' }), L.dropout({ rate: 0.3, name: 'dropout_4' }),
    L.dense({ units: 64, activation: 'relu', name: 'dense_7' }),
    L.batchNormalization({ name: 'batch_normalization_5' }), L.dropout({ rate: 0.3, name: 'dropout_5' }),
    L.dense({ units: 1, activation: 'sigmoid', name: 'dense_8' }),
  ] });
}

/** Give BatchNormalization moving statistics other than 0 and 1 (a short fit). */
function trainABit(m: km.Sequential): void {
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const x = km.tensor(Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 0.7)), [16, 4]);
  const y = km.tensor(Float32Array.from({ length: 16 }, (_, i) => i % 2), [16, 1]);
  return void m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
}

describe('the layout Keras writes', () => {
  test('.h5: the tree of the Keras 3.10 churn file (optimizer state aside)', async () => {
    const m = churnLike();
    await m.save(file('churn.h5'));
    const skip = (p: string) => p.startsWith('optimizer_weights');
    const ours = await h5Tree(new Uint8Array(await readFile(join(dir, 'churn.h5'))), skip);
    const real = await h5Tree(fixtureBytes('churn_keras310.h5'), skip);
    expect(ours).toEqual(real);
    m.dispose();
  });

  test('.keras: the entries and weights tree of the Keras 3.5 diabetes file (optimizer state aside)', async () => {
    const m = diabetesLike();
    await m.save(file('diabetes.keras'));
    const ours = unzipSync(new Uint8Array(await readFile(join(dir, 'diabetes.keras'))));
    const real = unzipSync(fixtureBytes('diabetes_bn_keras350.keras'));
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort());
    const skip = (p: string) => p.startsWith('optimizer');
    expect(await h5Tree(ours['model.weights.h5']!, skip)).toEqual(await h5Tree(real['model.weights.h5']!, skip));
    const config = JSON.parse(new TextDecoder().decode(ours['config.json']));
    expect(config.class_name).toBe('Sequential');
    expect(config.config.layers[0]).toMatchObject({ class_name: 'InputLayer', config: { batch_shape: [null, 4] } });
    m.dispose();
  });
});

describe('kerasm-written files read back bit-identically', () => {
  const x = km.tensor(Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)), [3, 4]);
  test.each(['.keras', '.h5'])('Sequential with BatchNormalization and Dropout, compiled (%s)', async (ext) => {
    const m = diabetesLike();
    trainABit(m);
    await m.save(file(`seq${ext}`));
    const back = await km.loadModel(file(`seq${ext}`));
    expect(back.compiled?.optimizer.className).toBe('Adam');
    // The file's Sequential lists its InputLayer (Keras 3's config); kerasm keeps it as a layer.
    expect(back.layers.filter((l) => l.className !== 'InputLayer').map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    expectSameModel(m, back, x);
    m.dispose();
    back.dispose();
  });

  test.each(['.keras', '.h5'])('functional: two inputs, a nested model, a shared layer, Add (%s)', async (ext) => {
    km.setSeed(5);
    const i = km.input({ shape: [4], name: 'inner_in' });
    const inner = km.model({ inputs: i, outputs: L.dense({ units: 3, activation: 'relu', name: 'inner_dense' }).apply(i), name: 'inner' });
    const a = km.input({ shape: [4], name: 'a' });
    const b = km.input({ shape: [3], name: 'b' });
    const sum = L.add({ name: 'sum' }).apply([inner.apply(a), L.dense({ units: 3, name: 'proj' }).apply(b)]);
    const m = km.model({ inputs: [a, b], outputs: L.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(sum), name: 'fn' });
    await m.save(file(`fn${ext}`));
    const back = await km.loadModel(file(`fn${ext}`));
    expectSameModel(m, back, [x, km.tensor(Float32Array.from({ length: 9 }, (_, k) => k / 9), [3, 3])]);
    m.dispose();
    back.dispose();
  });

  test('.weights.h5: saveWeights / loadWeights (Keras 3 save_weights layout), and the errors of the Keras habits', async () => {
    const m = diabetesLike();
    trainABit(m);
    await m.saveWeights(file('w.weights.h5'));
    const other = diabetesLike();
    await other.loadWeights(file('w.weights.h5'));
    expectSameModel(m, other, x);
    await expect(m.saveWeights(file('w.keras'))).rejects.toThrow(ValueError);
    await expect(m.saveWeights(file('w.keras'))).rejects.toThrow(/\.weights\.h5/);
    await expect(m.save(join(dir, 'plain.keras'))).rejects.toThrow(/file:\/\//);
    await expect(km.loadModel(file('w.weights.h5'))).rejects.toThrow(/loadWeights/);
    m.dispose();
    other.dispose();
  });
});

describe('bad weights in a Keras file', () => {
  test('a float64 weight: refused, naming the dataset and the dtype', async () => {
    const { FS } = (await h5wasm.ready) as unknown as { FS: { readFile(p: string): Uint8Array; unlink(p: string): void } };
    const f = new h5wasm.File('/bad.h5', 'w');
    f.create_group('layers').create_group('dense').create_group('vars').create_dataset({ name: '0', data: new Float64Array(4 * 128), shape: [4, 128], dtype: '<d' });
    f.close();
    await writeFile(join(dir, 'f64.weights.h5'), FS.readFile('/bad.h5'));
    FS.unlink('/bad.h5');
    const m = diabetesLike();
    await expect(m.loadWeights(file('f64.weights.h5'))).rejects.toThrow(KerasmError);
    await expect(m.loadWeights(file('f64.weights.h5'))).rejects.toThrow(/layers\/dense\/vars\/0.*float32/);
    m.dispose();
  });

  test('a shape that disagrees with the config: refused, the model untouched', async () => {
    const narrow = km.sequential({ layers: [L.dense({ units: 128, inputShape: [4] }), L.batchNormalization(), L.dropout({ rate: 0.3 }),
      L.dense({ units: 32 }), L.batchNormalization(), L.dropout({ rate: 0.3 }), L.dense({ units: 1 })] });
    await narrow.saveWeights(file('narrow.weights.h5'));
    const m = diabetesLike();
    const before = m.getWeights().map((w) => w.dataSync().slice());
    await expect(m.loadWeights(file('narrow.weights.h5'))).rejects.toThrow(/shape \[128, 32\].*\[128, 64\]/);
    m.getWeights().forEach((w, i) => expect(sameBits(w.dataSync(), before[i]!)).toBe(true));
    m.dispose();
    narrow.dispose();
  });
});

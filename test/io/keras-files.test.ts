// Real Keras files (shared/fixtures/kerasfiles: Keras 2.2 to 3.13, written by Keras itself) load
// through km.loadModel — file://, bytes, http — and predict what an independent float64 reader
// of their HDF5 weights (jsfive, test/io/keras-reference.ts) computes; the MNIST CNNs classify
// real digits; malformed and hostile files are KerasmErrors before any weight is read.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
// @ts-expect-error: plain JS module shared with the main job
import { loadMnist } from '../../examples/mnist.mjs';
import * as km from '../../src/index.js';
import { KerasmError, ValueError } from '../../src/errors.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { FIXTURES, fixtureBytes, layerWeights, openKerasFile, referencePredict } from './keras-reference.js';

beforeAll(async () => {
  await testBackend();
});

const url = (name: string): string => new URL(name, FIXTURES).href;

/** kerasm's prediction against the float64 reference, for `n` random inputs, scaled by the output range. */
async function checkAgainstReference(name: string, n: number, input: (rng: Rng, size: number) => Float32Array): Promise<void> {
  const model = await km.loadModel(url(name), { compile: false });
  const file = openKerasFile(fixtureBytes(name));
  const layers = layerWeights(file);
  const shape = model.inputShapes[0]!;
  const size = shape.reduce((a, b) => a * b, 1);
  const rng = new Rng(7);
  const xs = input(rng, n * size);
  const got = (model.predict(km.tensor(xs, [n, ...shape])) as km.Tensor).dataSync();
  const per = got.length / n;
  let worst = 0;
  for (let s = 0; s < n; s++) {
    const want = referencePredict(layers, { shape: shape.slice(), data: Float64Array.from(xs.subarray(s * size, (s + 1) * size)) });
    expect(want.length).toBe(per);
    const scale = Math.max(1, ...Array.from(want, Math.abs));
    for (let j = 0; j < per; j++) worst = Math.max(worst, Math.abs(got[s * per + j]! - want[j]!) / scale);
  }
  expect(worst).toBeLessThanOrEqual(1e-5);
  model.dispose();
}

const gaussian = (rng: Rng, size: number) => Float32Array.from({ length: size }, () => rng.uniform(-2, 2));
const pixels = (rng: Rng, size: number) => Float32Array.from({ length: size }, () => rng.uniform(0, 1));

describe('real Keras files predict as an independent float64 reader of their weights', () => {
  test('Keras 3.5 .keras: Dense, BatchNormalization, Dropout (diabetes MLP)', () => checkAgainstReference('diabetes_bn_keras350.keras', 5, gaussian));
  test('Keras 2.2 .h5: Dense, Dropout, list-form model_config, kernel:0 names (crypto MLP)', () => checkAgainstReference('crypto_dense_keras222.h5', 5, gaussian));
  test('Keras 3.10 legacy .h5: sequential_2/dense_6/kernel names (churn MLP)', () => checkAgainstReference('churn_keras310.h5', 5, gaussian));
  test('Keras 2.11 .h5 CNN: Conv2D, Activation, MaxPooling2D, Flatten, Dense', () => checkAgainstReference('mnist_cnn_keras211.h5', 2, pixels));
  test('Keras 3.13 .keras CNN: Conv2D, BatchNormalization, MaxPooling2D, Flatten, Dense, Dropout', () => checkAgainstReference('mnist_cnn_bn_keras3132.keras', 2, pixels));
  test('Keras 3.4.1 .keras: two stacked LSTMs (weights under layers/lstm/cell/vars, OrthogonalInitializer), Dropout, Dense', () => checkAgainstReference('stock_lstm_keras341.keras', 3, gaussian));
});

describe('the MNIST CNN fixtures classify real digits', () => {
  const { xTest, yTest } = loadMnist({ trainCount: 9800 }) as { xTest: Float32Array; yTest: Uint8Array };
  test.each(['mnist_cnn_keras211.h5', 'mnist_cnn_bn_keras3132.keras'])('%s: at least 95 in 100 of 200 digits right', async (name) => {
    const model = await km.loadModel(url(name));
    const n = 200;
    const probs = (model.predict(km.tensor(xTest.subarray(0, n * 784), [n, 28, 28, 1])) as km.Tensor).dataSync();
    let right = 0;
    for (let s = 0; s < n; s++) {
      const row = Array.from(probs.subarray(s * 10, s * 10 + 10));
      if (row.indexOf(Math.max(...row)) === yTest[s]) right++;
    }
    expect(right / n).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  });
});

describe('sources and compile config', () => {
  test('bytes (Uint8Array and ArrayBuffer) and http:// load the same model as file://', async () => {
    const bytes = fixtureBytes('churn_keras310.h5');
    const server = createServer((req, res) => {
      if (req.url === '/m/churn.h5') res.end(bytes);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const x = km.tensor(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 12]);
      const models = [await km.loadModel(url('churn_keras310.h5')), await km.loadModel(bytes), await km.loadModel(bytes.slice().buffer),
        await km.loadModel(`http://127.0.0.1:${port}/m/churn.h5`)];
      const outs = models.map((m) => Array.from((m.predict(x) as km.Tensor).dataSync()));
      for (const o of outs.slice(1)) expect(o).toEqual(outs[0]);
      await expect(km.loadModel(`http://127.0.0.1:${port}/m/missing.h5`)).rejects.toThrow(/HTTP 404/);
      for (const m of models) m.dispose();
    } finally {
      server.close();
    }
  });

  test('the compile config is read: Keras 3 compile_config (.keras) and training_config (.h5)', async () => {
    const a = await km.loadModel(url('mnist_cnn_bn_keras3132.keras'));
    expect(a.compiled?.optimizer.className).toBe('Adam');
    expect(a.compiled?.optimizer.getConfig().learning_rate).toBeCloseTo(0.001, 7);
    const b = await km.loadModel(url('crypto_dense_keras222.h5'));
    expect(b.compiled?.optimizer.className).toBe('Adam');
    a.dispose();
    b.dispose();
  });

  test('the LSTM fixture keeps its weights under layers/lstm/cell/vars: read and named for the LSTM layers', async () => {
    const { readKerasFile } = await import('../../src/keras/index.js');
    const a = await readKerasFile(fixtureBytes('stock_lstm_keras341.keras'));
    expect(a.weightSpecs!.map((s) => `${s.name} ${s.shape.join('x')}`)).toEqual([
      'lstm/vars/0 6x400', 'lstm/vars/1 100x400', 'lstm/vars/2 400',
      'lstm_1/vars/0 100x256', 'lstm_1/vars/1 64x256', 'lstm_1/vars/2 256', 'dense/vars/0 64x1', 'dense/vars/1 1',
    ]);
  });
});

/** A .keras archive of these entries (stored), for hostile-file tests. */
function zipOf(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [v, { level: 0 }]])));
}

describe('malformed and hostile files are KerasmErrors', () => {
  const good = fixtureBytes('diabetes_bn_keras350.keras');
  test('bytes neither zip nor HDF5: a ValueError naming the argument', async () => {
    await expect(km.loadModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]))).rejects.toThrow(ValueError);
    await expect(km.loadModel(new Uint8Array([1, 2, 3]))).rejects.toThrow(/argument `source`/);
  });
  test('a truncated .keras and a truncated .h5', async () => {
    await expect(km.loadModel(good.subarray(0, good.length >> 1))).rejects.toThrow(KerasmError);
    const h5 = fixtureBytes('churn_keras310.h5');
    await expect(km.loadModel(h5.subarray(0, 4096))).rejects.toThrow(/says it has 66928 bytes, but only 4096.*truncated/);
  });
  test('fuzz: flipped bytes and cuts in a .keras and an .h5 give a KerasmError or a model, nothing else', async () => {
    const sources = [fixtureBytes('churn_keras310.h5'), good];
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.option(fc.nat()), async (which, flips, cut) => {
        const src = sources[which]!;
        const bytes = src.slice(0, cut === null ? src.length : 8 + (cut % src.length));
        for (const [at, x] of flips) bytes[at % bytes.length]! ^= x;
        try {
          (await km.loadModel(bytes, { compile: false })).dispose();
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(KerasmError);
        }
      }), { numRuns: 40, seed: 18 });
  });
  test('an entry path escaping the archive', async () => {
    const bad = zipOf({ '../evil.json': strToU8('{}'), 'config.json': strToU8('{}') });
    await expect(km.loadModel(bad)).rejects.toThrow(/escapes the archive/);
  });
  test('a zip bomb: an entry declaring more than deflate can expand to, refused from the directory', async () => {
    const big = zipSync({ 'config.json': [new Uint8Array(4 * 1024 * 1024), { level: 9 }] });
    // Patch the central directory's uncompressed size (offset 24 of its record) to 3 GB.
    const view = new DataView(big.buffer, big.byteOffset);
    let cd = big.length - 4;
    while (cd > 0 && view.getUint32(cd, true) !== 0x02014b50) cd--;
    view.setUint32(cd + 24, 3 * 2 ** 30, true);
    await expect(km.loadModel(big)).rejects.toThrow(/declares \d+ bytes|zip bomb/);
  });
  test('a missing weights file, a missing config', async () => {
    await expect(km.loadModel(zipOf({ 'config.json': strToU8('{}') }))).rejects.toThrow(/no model\.weights\.h5/);
    await expect(km.loadModel(zipOf({ 'model.weights.h5': new Uint8Array(8) }))).rejects.toThrow(/no config\.json/);
  });
});

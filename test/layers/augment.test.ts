// The augmentation layers in models (src/layers/augment-*.ts): TF.js has none of them, so the
// model-level check is a float64 reference of Keras 3's formulas (test/reference/augment.ts:
// its matrices and TensorFlow's resampling) on drawn parameters fixed by the test-only hook
// `fixedDraws`; training/inference behaviour, seeding, saving and Keras's argument errors.
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import type { Image, Transform } from '../reference/augment.js';
import { affineRef, brightnessRef, contrastRef, cropRef, flipRef, rotationMatrix, translationMatrix, zoomMatrix } from '../reference/augment.js';

beforeAll(async () => {
  await testBackend();
});

const L = km.layers;
type Hooked = km.layers.Layer & { fixedDraws: Float32Array | null };

function hook(layer: km.layers.Layer, draws: number[]): void {
  (layer as Hooked).fixedDraws = Float32Array.from(draws);
}

function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
    if (!(err <= tol)) expect.fail(`${what}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

const rng = new Rng(16);
const G: Image = { batch: 3, h: 9, w: 8, c: 2 };
const N = G.batch * G.h * G.w * G.c;
const X = Float32Array.from({ length: N }, () => Math.fround(rng.uniform(0, 1)));
const x = km.tensor(X, [G.batch, G.h, G.w, G.c]);

describe('translation, rotation and zoom stacked: each resamples on its own, as Keras 3 with TensorFlow', () => {
  test('training output = float64 Keras formulas on the same draws; inference is the identity', () => {
    const t = L.randomTranslation({ heightFactor: 0.2, widthFactor: [-0.3, 0.1], inputShape: [G.h, G.w, G.c] });
    const r = L.randomRotation({ factor: 0.1, fillMode: 'constant', fillValue: 0.25 });
    const z = L.randomZoom({ heightFactor: [-0.4, 0.3], widthFactor: 0.2, fillMode: 'wrap', interpolation: 'nearest' });
    const m = km.sequential({ layers: [t, r, z] });
    const ut = [0.1, 0.9, 0.5, 0.2, 0.95, 0.6];
    const ur = [0.05, 0.5, 0.8];
    const uz = [0.3, 0.7, 0.99, 0.01, 0.5, 0.45];
    hook(t, ut);
    hook(r, ur);
    hook(z, uz);
    const got = m.predict(x, { training: true }).data;
    const { h, w } = G;
    const trans: Transform[] = [0, 1, 2].map((b) => translationMatrix((-0.3 + ut[2 * b + 1]! * 0.4) * w, (-0.2 + ut[2 * b]! * 0.4) * h));
    const rot: Transform[] = [0, 1, 2].map((b) => rotationMatrix(-36 + ur[b]! * 72, h, w));
    const zoom: Transform[] = [0, 1, 2].map((b) => zoomMatrix(0.8 + uz[2 * b + 1]! * 0.4, 0.6 + uz[2 * b]! * 0.7, h, w));
    const want = affineRef(affineRef(affineRef(X, G, trans, 'reflect', true, 0), G, rot, 'constant', true, 0.25), G, zoom, 'wrap', false, 0);
    close('translation → rotation → zoom', got, want, 2e-5);
    expect(Array.from(m.predict(x).data)).toEqual(Array.from(X));
    m.dispose();
  });
});

describe('flip, contrast, brightness, rescaling and crop stacked', () => {
  test('training output = float64 Keras formulas on the same draws; inference: rescaling and the centre crop only', () => {
    const f = L.randomFlip({ inputShape: [G.h, G.w, G.c] });
    const c = L.randomContrast({ factor: [0.5, 0.4], valueRange: [0, 1] });
    const br = L.randomBrightness({ factor: 0.3, valueRange: [0, 1] });
    const s = L.rescaling({ scale: 2, offset: -1 });
    const cr = L.randomCrop({ height: 5, width: 6 });
    const m = km.sequential({ layers: [f, c, br, s, cr] });
    hook(f, [0.2, 0.5, 0.7]);
    hook(c, [0.1, 0.6, 0.95]);
    hook(br, [0, 0.5, 0.9]);
    hook(cr, [0.9, 0.1, 0.5, 0.5, 0, 0.99]);
    const got = m.predict(x, { training: true }).data;
    const flipped = flipRef(X, G, [3, 3, 0]);
    const contrasted = contrastRef(flipped, G, [0.1, 0.6, 0.95].map((u) => 0.6 + u * 0.9), 0, 1);
    const size = G.h * G.w * G.c;
    const bright = brightnessRef(contrasted, size, [0, 0.5, 0.9].map((u) => -0.3 + u * 0.6), 0, 1);
    const scaled = bright.map((v) => v * 2 - 1);
    // Keras's offsets: trunc(u · (H − height + 1)), trunc(u · (W − width + 1)).
    const offsets: [number, number][] = [[4, 0], [2, 1], [0, 2]];
    close('flip → contrast → brightness → rescaling → crop', got, cropRef(scaled, G, offsets, 5, 6), 2e-6);
    const inference = m.predict(x).data;
    close('inference', inference, cropRef(Float64Array.from(X, (v) => v * 2 - 1), G, [[2, 1], [2, 1], [2, 1]], 5, 6), 1e-7);
    m.dispose();
  });
});

describe('draws', () => {
  const make = (seed?: number) => km.sequential({ layers: [
    L.randomRotation({ factor: 0.25, seed, inputShape: [G.h, G.w, G.c] }), L.randomFlip({ mode: 'horizontal', seed }),
  ] });
  test('same seed: same bits; each call and each sample draws anew', () => {
    const a = make(7);
    const b = make(7);
    const a1 = a.predict(x, { training: true }).data;
    expect(Array.from(b.predict(x, { training: true }).data)).toEqual(Array.from(a1));
    const a2 = a.predict(x, { training: true }).data;
    expect(Array.from(a2)).not.toEqual(Array.from(a1));
    // Three copies of one image: each sample gets its own rotation.
    const same = km.tensor(Float32Array.from({ length: N }, (_, i) => X[i % (N / 3)]!), [3, G.h, G.w, G.c]);
    const y = a.predict(same, { training: true }).data;
    const per = N / 3;
    expect(Array.from(y.subarray(0, per))).not.toEqual(Array.from(y.subarray(per, 2 * per)));
    a.dispose();
    b.dispose();
  });
  test('unseeded layers follow km.setSeed', () => {
    km.setSeed(3);
    const a = make();
    const ya = a.predict(x, { training: true }).data;
    km.setSeed(3);
    const b = make();
    expect(Array.from(b.predict(x, { training: true }).data)).toEqual(Array.from(ya));
    a.dispose();
    b.dispose();
  });
});

describe('in a model', () => {
  test('after a trainable layer the gradient passes through (fit trains the convolution); evaluate is deterministic', async () => {
    km.setSeed(1);
    const m = km.sequential({ layers: [
      L.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [G.h, G.w, G.c] }),
      L.randomRotation({ factor: 0.05, seed: 2 }), L.randomZoom({ heightFactor: 0.1, seed: 3 }), L.randomFlip({ seed: 4 }),
      L.randomContrast({ factor: 0.2, valueRange: [-50, 50], seed: 5 }),
      L.flatten(), L.dense({ units: 2, activation: 'softmax' }),
    ] });
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const labels = km.tensor(Float32Array.from([0, 1, 1]), [3]);
    const before = m.getWeights()[0]!.data.slice();
    const h = await m.fit(x, labels, { epochs: 3, batchSize: 3, verbose: 0 });
    expect(h.history.loss!.every((v) => Number.isFinite(v))).toBe(true);
    expect(Array.from(m.getWeights()[0]!.data)).not.toEqual(Array.from(before));
    const e1 = m.evaluate(x, labels, { verbose: 0 });
    const e2 = m.evaluate(x, labels, { verbose: 0 });
    expect(e2).toEqual(e1);
    m.dispose();
  });

  test('configs save and load with Keras class names and keys', async () => {
    const m = km.sequential({ layers: [
      L.rescaling({ scale: 1 / 255, inputShape: [G.h, G.w, G.c] }), L.randomFlip({ mode: 'vertical', seed: 1 }),
      L.randomTranslation({ heightFactor: 0.1, widthFactor: [-0.2, 0.1], fillMode: 'constant', fillValue: 1 }),
      L.randomRotation({ factor: [-0.1, 0.2], interpolation: 'nearest' }), L.randomZoom({ heightFactor: 0.2 }),
      L.randomContrast({ factor: 0.3 }), L.randomBrightness({ factor: [-0.1, 0.2], valueRange: [0, 1] }), L.randomCrop({ height: 7, width: 6 }),
    ] });
    const json = JSON.parse(m.toJSON() as string) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    const layers = json.config.layers.filter((l) => l.class_name !== 'InputLayer');
    expect(layers.map((l) => l.class_name)).toEqual(['Rescaling', 'RandomFlip', 'RandomTranslation', 'RandomRotation', 'RandomZoom', 'RandomContrast', 'RandomBrightness', 'RandomCrop']);
    expect(layers[2]!.config).toMatchObject({ height_factor: 0.1, width_factor: [-0.2, 0.1], fill_mode: 'constant', fill_value: 1, interpolation: 'bilinear', data_format: 'channels_last', seed: null });
    expect(layers[3]!.config).toMatchObject({ factor: [-0.1, 0.2], interpolation: 'nearest', fill_mode: 'reflect' });
    expect(layers[4]!.config).toMatchObject({ height_factor: 0.2, width_factor: null });
    // Keras 3 keeps RandomContrast's factor as (lower, upper) after its [0, 1] bounds: 0.3 → [0, 0.3].
    expect(layers[5]!.config).toMatchObject({ factor: [0, 0.3], value_range: [0, 255] });
    expect(layers[7]!.config).toMatchObject({ height: 7, width: 6 });
    const copy = await km.modelFromJSON(m.toJSON());
    expect(copy.toJSON()).toEqual(m.toJSON());
    expect(Array.from((copy.predict(x) as km.Tensor).data)).toEqual(Array.from(m.predict(x).data));
    m.dispose();
    copy.dispose();
  });
});

describe('bad arguments: ValueErrors naming the argument, before any wasm call', () => {
  test.each([
    ['factor 1.5', () => L.randomRotation({ factor: 1.5 }), /argument `factor`: expected a number or a list of two numbers in \[-1, 1\]. Received: factor=1.5/],
    ['a zoom of −1', () => L.randomZoom({ heightFactor: -1 }), /`heightFactor`: expected a number or a list of two numbers in \(-1, 1\]/],
    ['three factors', () => L.randomTranslation({ heightFactor: [0.1, 0.2, 0.3] as never, widthFactor: 0 }), /`heightFactor`/],
    ['a negative contrast', () => L.randomContrast({ factor: -0.2 }), /`factor`: expected a number or a list of two numbers in \[0, 1\]/],
    ['fillMode mirror (torch)', () => L.randomRotation({ factor: 0.1, fillMode: 'mirror' as never }), /`fillMode`: expected one of 'reflect', 'wrap', 'constant', 'nearest'. Received: fillMode='mirror'/],
    ['interpolation bicubic', () => L.randomZoom({ heightFactor: 0.1, interpolation: 'bicubic' as never }), /`interpolation`: expected one of 'bilinear', 'nearest'/],
    ['flip mode', () => L.randomFlip({ mode: 'both' as never }), /`mode`: expected one of 'horizontal', 'vertical', 'horizontal_and_vertical'/],
    ['valueRange of one number', () => L.randomBrightness({ factor: 0.1, valueRange: [255] as never }), /`valueRange`: expected a list of two numbers \[low, high\]/],
    ['channels first', () => L.randomFlip({ dataFormat: 'channelsFirst' }), /channels_first' is not supported/],
    ['a per-channel scale', () => L.rescaling({ scale: [1, 2, 3] as never }), /`scale`: expected a number \(per-channel scales are not supported/],
    ['Keras spelling', () => L.randomZoom({ height_factor: 0.1 } as never), /Use `heightFactor` instead of `height_factor`/],
  ])('%s', (_what, make, message) => {
    expect(make).toThrow(km.ValueError);
    expect(make).toThrow(message);
  });

  test('a crop larger than the input, or a rank-3 input, is refused when the model is built', () => {
    expect(() => km.sequential({ layers: [L.randomCrop({ height: 10, width: 4, inputShape: [9, 8, 1] })] })).toThrow(/the crop \(height=10, width=4\) must fit in the input \(9 × 8\)/);
    expect(() => km.sequential({ layers: [L.randomFlip({ inputShape: [9, 8] })] })).toThrow(/expected ndim=4, found ndim=3/);
  });
});

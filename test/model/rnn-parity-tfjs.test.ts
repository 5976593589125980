// The recurrent layers against TF.js 4 (cpu backend) on identical weights, for every option TF.js
// has: SimpleRNN, LSTM and GRU (TF.js's GRU is the reset-before one: kerasm's resetAfter: false),
// returnSequences, goBackwards, useBias, activations (relu among them), TF.js's hard sigmoid
// (kerasm's 'hard_sigmoid_keras2', what a TF.js file's hard_sigmoid reads as), kernel /
// recurrent / bias regularizers. Each case checks the layer's output (≤ 1e-5 relative) and
// 20 SGD steps (16 samples, batch 4, 5 epochs, no shuffle) under a Flatten → Dense(softmax)
// head: each epoch's loss and every final weight ≤ 1e-3 relative. Shapes stay tiny (5 steps
// of 3 features, 4 units): TF.js cpu is slow. Dropout (TF.js draws other masks), GRU resetAfter
// (TF.js 4.22 lacks it) and initial states are checked against float64 references in
// test/layers/recurrent-layers.test.ts. Files: the public sign-language LSTM (Keras 2.6, three
// stacked LSTMs with relu, TF.js converter 3.9) predicts as TF.js's loadLayersModel of the same
// files; kerasm's LSTM/GRU/SimpleRNN files load in TF.js and TF.js's (hard sigmoid defaults) in kerasm.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameTraining, relDiff, tfReady, tfWeights, captureSave } from '../helpers/tfjs.js';
import { fixture, fixturePath } from '../io/fixtures.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

interface Lib {
  layers: Record<string, (args: object) => unknown>;
  regularizers: { l1: (a: { l1: number }) => unknown; l2: (a: { l2: number }) => unknown };
}

interface Case {
  name: string;
  /** The layer under test from either library's factories (`tf`: which one is asked). */
  layer: (lib: Lib, first: { inputShape: number[] }, tfjs: boolean) => unknown;
  /** The layer returns sequences (a Flatten goes before the head). */
  sequences?: boolean;
}

const N = 16;
const CLASSES = 3;
const LR = 0.05;
const IN = [5, 3];

function data(seed: number) {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: N * IN[0]! * IN[1]! }, () => rng.uniform(-1, 1));
  const y = new Float32Array(N * CLASSES);
  for (let r = 0; r < N; r++) y[r * CLASSES + rng.int(CLASSES)] = 1;
  return { x, y };
}

function sameRandomWeights(tm: TF.LayersModel, model: km.Sequential, seed: number): void {
  const rng = new Rng(seed);
  tm.setWeights(tm.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.6, 0.6)), w.shape)));
  model.setWeights(tfWeights(tm));
}

function build(c: Case, lib: 'km' | 'tf', head: boolean) {
  const L = (lib === 'km' ? km : tf) as unknown as Lib & { sequential: (a: { layers: unknown[] }) => unknown };
  const layers = [c.layer(L, { inputShape: IN }, lib === 'tf')];
  if (head && c.sequences === true) layers.push(L.layers.flatten!({}));
  if (head) layers.push(L.layers.dense!({ units: CLASSES, activation: 'softmax' }));
  return L.sequential({ layers });
}

async function runCase(c: Case): Promise<void> {
  const { x, y } = data(2);
  const tx = tf.tensor(x, [N, ...IN]);
  const aloneTf = build(c, 'tf', false) as TF.Sequential;
  const aloneKm = build(c, 'km', false) as km.Sequential;
  sameRandomWeights(aloneTf, aloneKm, 1);
  const want = (aloneTf.predict(tx) as TF.Tensor).dataSync();
  const got = aloneKm.predict(km.tensor(x, [N, ...IN])).data;
  expect(got.length).toBe(want.length);
  expect(relDiff(got, want), 'the layer\'s output').toBeLessThan(1e-5);
  aloneKm.dispose();
  aloneTf.dispose();

  const tm = build(c, 'tf', true) as TF.Sequential;
  const model = build(c, 'km', true) as km.Sequential;
  sameRandomWeights(tm, model, 3);
  tm.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss: 'categoricalCrossentropy' });
  const ty = tf.tensor(y, [N, CLASSES]);
  await expectSameTraining(model, tm, [tx, ty], [km.tensor(x, [N, ...IN]), km.tensor(y, [N, CLASSES])]);
}

/** kerasm's name of TF.js's hard sigmoid. */
const hardSigmoid = (tfjs: boolean) => (tfjs ? 'hardSigmoid' : 'hard_sigmoid_keras2');

const cases: Case[] = [
  { name: 'SimpleRNN tanh, last output', layer: (l, f) => l.layers.simpleRNN!({ units: 4, ...f }) },
  { sequences: true, name: 'SimpleRNN relu, returnSequences', layer: (l, f) => l.layers.simpleRNN!({ units: 4, activation: 'relu', returnSequences: true, ...f }) },
  { name: 'SimpleRNN goBackwards, no bias', layer: (l, f) => l.layers.simpleRNN!({ units: 3, goBackwards: true, useBias: false, ...f }) },
  { name: 'LSTM sigmoid gates, last output', layer: (l, f) => l.layers.lstm!({ units: 4, recurrentActivation: 'sigmoid', ...f }) },
  {
    sequences: true,
    name: 'LSTM relu, returnSequences',
    layer: (l, f) => l.layers.lstm!({ units: 4, activation: 'relu', recurrentActivation: 'sigmoid', returnSequences: true, ...f }),
  },
  { name: 'LSTM hard sigmoid (TF.js\'s), goBackwards', layer: (l, f, t) => l.layers.lstm!({ units: 3, recurrentActivation: hardSigmoid(t), goBackwards: true, ...f }) },
  { sequences: true, name: 'LSTM no bias, returnSequences, goBackwards', layer: (l, f) => l.layers.lstm!({ units: 5, recurrentActivation: 'sigmoid', useBias: false, returnSequences: true, goBackwards: true, ...f }) },
  { name: 'GRU (reset before) sigmoid gates, last output', layer: (l, f, t) => l.layers.gru!({ units: 4, recurrentActivation: 'sigmoid', ...(t ? {} : { resetAfter: false }), ...f }) },
  {
    sequences: true,
    name: 'GRU (reset before) relu, returnSequences, goBackwards',
    layer: (l, f, t) => l.layers.gru!({ units: 3, activation: 'relu', recurrentActivation: 'sigmoid', returnSequences: true, goBackwards: true,
      ...(t ? {} : { resetAfter: false }), ...f }),
  },
  { name: 'GRU (reset before) hard sigmoid (TF.js\'s), no bias', layer: (l, f, t) => l.layers.gru!({ units: 4, recurrentActivation: hardSigmoid(t), useBias: false, ...(t ? {} : { resetAfter: false }), ...f }) },
];

describe('recurrent layers: parity with TF.js (cpu) on identical weights', () => {
  test.each(cases)('$name', async (c) => {
    await runCase(c);
  });
});

/** A fixture folder's model.json and weight files as the artifacts TF.js's fromMemory takes. */
function fixtureArtifacts(dir: string): TF.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(fixturePath(`${dir}/model.json`), 'utf8')) as { modelTopology: object; weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[] };
  const bytes = Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(fixturePath(`${dir}/${p}`)))));
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
}

describe('recurrent layers in files', () => {
  test('the public sign-language LSTM (Keras 2.6, three stacked relu LSTMs) loads and predicts as TF.js does', async () => {
    const m = await km.loadModel(fixture('realmodels/sign_lstm/model.json'), { compile: false });
    expect(m.layers.map((l) => l.className).filter((c) => c === 'LSTM')).toHaveLength(3);
    expect(m.getWeights().slice(0, 3).map((w) => w.shape)).toEqual([[1662, 256], [64, 256], [256]]);
    const tm = await tf.loadLayersModel(tf.io.fromMemory(fixtureArtifacts('realmodels/sign_lstm')));
    const rng = new Rng(4);
    const x = Float32Array.from({ length: 3 * 30 * 1662 }, () => rng.uniform(-1, 1));
    const want = (tm.predict(tf.tensor(x, [3, 30, 1662])) as TF.Tensor).dataSync();
    const got = (m.predict(km.tensor(x, [3, 30, 1662])) as km.Tensor).data;
    expect(got.length).toBe(3 * 59);
    expect(relDiff(got, want)).toBeLessThan(1e-5);
    m.dispose();
    tm.dispose();
  });

  test('TF.js reads kerasm\'s SimpleRNN, LSTM and GRU (resetAfter false) files and predicts the same; kerasm reads them back', async () => {
    const L = km.layers;
    const m = km.sequential({ layers: [
      L.lstm({ units: 4, returnSequences: true, inputShape: [5, 3], kernelRegularizer: km.regularizers.l2(0.01) }),
      L.gru({ units: 3, resetAfter: false, returnSequences: true, goBackwards: true, activation: 'relu' }),
      L.simpleRNN({ units: 2 }),
    ] });
    const artifacts = await captureSave((h) => m.save(h));
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts as TF.io.ModelArtifacts));
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 4 * 15 }, () => rng.uniform(-1, 1));
    const want = (tm.predict(tf.tensor(x, [4, 5, 3])) as TF.Tensor).dataSync();
    const got = m.predict(km.tensor(x, [4, 5, 3])).data;
    expect(relDiff(got, want)).toBeLessThan(1e-5);
    const again = await km.loadModel(km.io.fromMemory(artifacts), { compile: false });
    expect(Array.from((again.predict(km.tensor(x, [4, 5, 3])) as km.Tensor).data)).toEqual(Array.from(got));
    expect(again.layers.map((l) => l.getConfig())).toEqual(JSON.parse(JSON.stringify(m.layers.map((l) => l.getConfig())).replace(
      /\{"class_name":"L2","config":\{"l2":([^}]*)\}\}/g, '{"class_name":"L1L2","config":{"l1":0,"l2":$1}}')) as unknown);
    m.dispose();
    again.dispose();
    tm.dispose();
  });

  test('kerasm reads TF.js\'s LSTM and GRU files with TF.js\'s defaults (hard sigmoid gates: clip(0.2x + 0.5, 0, 1)) and predicts the same', async () => {
    const tm = tf.sequential({ layers: [
      tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [5, 3] }),
      tf.layers.gru({ units: 3 }),
    ] });
    sameRandomWeightsTf(tm, 9);
    const artifacts = await captureSave((h) => tm.save(h));
    const lstmConfig = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0]!.config;
    expect(lstmConfig.recurrent_activation).toBe('hard_sigmoid');
    const m = await km.loadModel(km.io.fromMemory(artifacts), { compile: false });
    const rng = new Rng(6);
    const x = Float32Array.from({ length: 4 * 15 }, () => rng.uniform(-2, 2));
    const want = (tm.predict(tf.tensor(x, [4, 5, 3])) as TF.Tensor).dataSync();
    const got = (m.predict(km.tensor(x, [4, 5, 3])) as km.Tensor).data;
    expect(relDiff(got, want)).toBeLessThan(1e-5);
    m.dispose();
    tm.dispose();
  });
});

function sameRandomWeightsTf(tm: TF.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  tm.setWeights(tm.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.8, 0.8)), w.shape)));
}

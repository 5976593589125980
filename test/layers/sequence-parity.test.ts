// The sequence layers and wrappers against TF.js 4 (cpu backend) on identical weights: Embedding
// (with maskZero into an LSTM, and Masking into one: TF.js's RNNs honour masks), TimeDistributed
// (Dense) and Bidirectional (LSTM and GRU; every merge mode). The RNNs name recurrentActivation
// 'sigmoid' (Keras 3's default, kerasm's; TF.js defaults to hardSigmoid). Each case checks the model's
// prediction (≤ 1e-5 relative) and 20 SGD steps (16 samples, batch 4, 5 epochs, no shuffle):
// the loss of each epoch and every final weight ≤ 1e-3 relative. Tiny shapes (TF.js cpu is slow;
// test/layers runs in the simd project only). What TF.js lacks (GlobalAveragePooling1D's masked mean, returnState outputs
// in a functional model) is checked against float64 references in test/model/masks.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import { inboundNodes } from '../../src/model/graph.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameTraining, relDiff, tfReady, tfWeights } from '../helpers/tfjs.js';

let tf: typeof TF;
beforeAll(async () => {
  await testBackend();
  tf = await tfReady();
});

/** The factories a case uses, under the same names and options in kerasm and TF.js. */
type Lib = { layers: Record<string, (args: object) => unknown>; regularizers: { l2: (a: { l2: number }) => unknown } };

interface Case {
  name: string;
  /** Per-sample input shape. */
  inShape: number[];
  /** Integer ids in [0, ids) as inputs (some zeros, for maskZero); default uniform floats. */
  ids?: number;
  /** Whole sample steps set to 0 (Masking's value) after the draw. */
  zeroSteps?: boolean;
  /** The layers before a Dense(3, softmax) head. */
  layers: (lib: Lib) => unknown[];
}

const N = 16;
const CLASSES = 3;
const LR = 0.1;

function data(c: Case, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Rng(seed);
  const size = c.inShape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: N * size }, () => (c.ids !== undefined ? rng.int(c.ids) : rng.uniform(-1, 1)));
  if (c.ids !== undefined) for (let r = 0; r < N; r++) x.fill(0, r * size + size - (r % 3), (r + 1) * size); // trailing padding
  if (c.zeroSteps === true) {
    const f = c.inShape[c.inShape.length - 1]!;
    for (let r = 0; r < N; r++) for (let s = 0; s < r % 3; s++) x.fill(0, r * size + (c.inShape[0]! - 1 - s) * f, r * size + (c.inShape[0]! - s) * f);
  }
  const y = new Float32Array(N * CLASSES);
  for (let r = 0; r < N; r++) y[r * CLASSES + rng.int(CLASSES)] = 1;
  return { x, y };
}

function build(c: Case, lib: 'km' | 'tf') {
  const L = (lib === 'km' ? km : tf) as unknown as Lib & { sequential: (a: { layers: unknown[] }) => unknown };
  const [first, ...rest] = c.layers(L);
  return L.sequential({ layers: [first, ...rest, L.layers.dense!({ units: CLASSES, activation: 'softmax' })] });
}

async function runCase(c: Case): Promise<void> {
  const tm = build(c, 'tf') as TF.Sequential;
  const model = build(c, 'km') as km.Sequential;
  const rng = new Rng(7);
  tm.setWeights(tm.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rng.uniform(-0.5, 0.5)), w.shape)));
  model.setWeights(tfWeights(tm));
  const { x, y } = data(c, 2);
  const shape = [N, ...c.inShape];
  const tx = tf.tensor(x, shape);
  const ty = tf.tensor(y, [N, CLASSES]);
  const want = (tm.predict(tx) as TF.Tensor).dataSync();
  const got = model.predict(km.tensor(x, shape)).data;
  expect(relDiff(got, want), 'prediction').toBeLessThan(1e-5);
  tm.compile({ optimizer: tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss: 'categoricalCrossentropy' });
  await expectSameTraining(model, tm, [tx, ty], [km.tensor(x, shape), km.tensor(y, [N, CLASSES])]);
}

const cases: Case[] = [
  {
    name: 'Embedding → Flatten (ids repeat; embeddings L2)', inShape: [5], ids: 9,
    layers: (l) => [l.layers.embedding!({ inputDim: 9, outputDim: 4, inputLength: 5, embeddingsRegularizer: l.regularizers.l2({ l2: 0.01 }) }), l.layers.flatten!({})],
  },
  {
    name: 'Embedding(maskZero) → LSTM: padded steps skipped', inShape: [6], ids: 7,
    layers: (l) => [l.layers.embedding!({ inputDim: 7, outputDim: 3, maskZero: true, inputShape: [6] }), l.layers.lstm!({ units: 4, recurrentActivation: 'sigmoid' })],
  },
  {
    name: 'Masking → GRU (resetAfter false): zero steps skipped', inShape: [5, 2], zeroSteps: true,
    layers: (l) => [l.layers.masking!({ maskValue: 0, inputShape: [5, 2] }), l.layers.gru!({ units: 3, resetAfter: false, recurrentActivation: 'sigmoid' })],
  },
  {
    name: 'TimeDistributed(Dense relu) → Flatten', inShape: [4, 3],
    layers: (l) => [l.layers.timeDistributed!({ layer: l.layers.dense!({ units: 2, activation: 'relu' }), inputShape: [4, 3] }), l.layers.flatten!({})],
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode): Case => ({
    name: `Bidirectional(LSTM) mergeMode ${mergeMode}`, inShape: [4, 2],
    layers: (l) => [l.layers.bidirectional!({ layer: l.layers.lstm!({ units: 3, recurrentActivation: 'sigmoid' }), mergeMode, inputShape: [4, 2] })],
  })),
  {
    name: 'Bidirectional(GRU resetAfter false, returnSequences) → Flatten', inShape: [4, 2],
    layers: (l) => [l.layers.bidirectional!({ layer: l.layers.gru!({ units: 2, resetAfter: false, returnSequences: true, recurrentActivation: 'sigmoid' }), inputShape: [4, 2] }), l.layers.flatten!({})],
  },
  {
    name: 'Embedding(maskZero) → Bidirectional(LSTM): the mask reaches both directions', inShape: [5], ids: 6,
    layers: (l) => [l.layers.embedding!({ inputDim: 6, outputDim: 2, maskZero: true, inputShape: [5] }), l.layers.bidirectional!({ layer: l.layers.lstm!({ units: 2, recurrentActivation: 'sigmoid' }) })],
  },
];

describe('sequence layers: parity with TF.js (cpu) on identical weights', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    await runCase(c);
  }, 60_000);
});

describe('sequence models through files', () => {
  test('kerasm → TF.js → kerasm: Embedding(maskZero), Bidirectional(GRU resetAfter false), TimeDistributed(Dense) load in TF.js and back, predictions within 1e-6', async () => {
    const L = km.layers;
    const model = km.sequential({ layers: [
      L.embedding({ inputDim: 6, outputDim: 3, maskZero: true, inputShape: [5] }),
      L.bidirectional({ layer: L.gru({ units: 2, resetAfter: false, recurrentActivation: 'sigmoid', returnSequences: true }), mergeMode: 'concat' }),
      L.timeDistributed({ layer: L.dense({ units: 2, activation: 'tanh' }) }),
      L.globalAveragePooling1d(),
    ] });
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 4 * 5 }, (_, i) => (i % 5 === 4 ? 0 : rng.int(6)));
    const want = model.predict(km.tensor(x, [4, 5])).data;
    let artifacts: km.ModelArtifacts | null = null;
    await model.save(km.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const tm = await tf.loadLayersModel(tf.io.fromMemory(artifacts! as TF.io.ModelArtifacts));
    expect(tm.getWeights().length).toBe(model.getWeights().length);
    // TF.js's GlobalAveragePooling1D ignores the mask: compare the layer before it too.
    const tfTd = tm.layers.find((l) => l.getClassName() === 'TimeDistributed')!;
    const tfInner = tf.model({ inputs: tm.inputs, outputs: tfTd.output as TF.SymbolicTensor });
    const back = await km.loadModel(km.io.fromMemory(artifacts!));
    expect(Array.from((back.predict(km.tensor(x, [4, 5])) as km.Tensor).data)).toEqual(Array.from(want));
    const td = back.layers.find((l) => l.className === 'TimeDistributed')!;
    const kmInner = km.model({ inputs: back.inputs, outputs: inboundNodes(td)[0]!.outputs[0]! });
    expect(relDiff((kmInner.predict(km.tensor(x, [4, 5])) as km.Tensor).data, (tfInner.predict(tf.tensor(x, [4, 5])) as TF.Tensor).dataSync())).toBeLessThan(1e-6);
    tm.dispose();
    model.dispose();
  }, 60_000);
});

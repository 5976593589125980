// km.exportOnnx: every layer class (one model per harness case, test/helpers/layer-cases.ts) is
// exported, run in ONNX Runtime (onnxruntime-web's wasm backend in Node) at batch 1 and 7, and
// compared with kerasm's predict on the same random weights and inputs (≤ 1e-5 of the output's
// scale), at opset 13 and 21 (reductions take `axes` as an input from 18). Then the activations,
// LayerNormalization as an op (17) and as its formula (13), the MNIST convnet, a functional
// model with several inputs and outputs and a nested model, the bytes read back with a
// protobuf reader of the tests' own, and the errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { LAYER_CASES } from '../helpers/layer-cases.js';
import { Rng } from '../helpers/rng.js';
import { expectClose, randomInput, randomizeWeights, readModel, runOnnx } from './onnx-helpers.js';
import type { Array32 } from './onnx-helpers.js';
// @ts-expect-error: plain JS module, the convnet of the main job
import { convnetLayers } from '../../examples/convnet.mjs';

beforeAll(async () => {
  await km.ready();
});

/** Export `model`, run it and predict at batch 1 and 7; every output compared. */
async function expectSameAsPredict(model: km.Model, opset: number, seed: number, makeInput = randomInput): Promise<Uint8Array> {
  randomizeWeights(model, seed);
  const bytes = await km.exportOnnx(model, { opset });
  const rng = new Rng(seed + 100);
  for (const batch of [1, 7]) {
    const xs: Array32[] = model.inputShapes.map((s) => makeInput(rng, batch, s));
    const feeds = Object.fromEntries(model.inputNames.map((n, i) => [n, xs[i]!]));
    const got = await runOnnx(bytes, feeds);
    const want = model.predict(xs.length === 1 ? km.tensor(xs[0]!.data, xs[0]!.shape) : xs.map((x) => km.tensor(x.data, x.shape)));
    const wants = Array.isArray(want) ? want : [want];
    // Graph outputs in the model's order, named after their layers (made unique: ONNX names are).
    const names = readModel(bytes).outputs.map((o) => o.name);
    expect(names.map((n) => n.replace(/_\d+$/, ''))).toEqual(model.outputNames.map((n) => n.replace(/_\d+$/, '')));
    expect(Object.keys(got).sort()).toEqual(names.slice().sort());
    names.forEach((name, i) => expectClose(got[name]!, { data: wants[i]!.data, shape: wants[i]!.shape }, `${model.name} output ${name}, batch ${batch}`));
  }
  return bytes;
}

/** A functional model around one harness case's layer (a Sequential for InputLayer). */
function caseModel(cls: string, c: (typeof LAYER_CASES)[string][number]): km.Model {
  const layer = c.make({});
  if (cls === 'InputLayer') return km.sequential([layer, km.layers.dense({ units: 2 })]);
  const shapes = c.inputShapes ?? [c.inputShape!];
  const inputs = shapes.map((shape) => km.input({ shape: [...shape] }));
  const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs);
  return km.model({ inputs, outputs: out });
}

const PASS_THROUGH = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise', 'ActivityRegularization']);

describe.each([13, 21])('every layer class, opset %i', (opset) => {
  const rows = Object.entries(LAYER_CASES).flatMap(([cls, cases]) => cases.map((c, i) => ({ cls, c, i, title: `${cls}: ${c.title}` })));
  test.each(rows)('$title', async ({ cls, c, i }) => {
    const model = caseModel(cls, c);
    // Embedding reads token ids: integers below its vocabulary size.
    const vocabulary = (model.layers.find((l) => l.className === 'Embedding') as { inputDim?: number } | undefined)?.inputDim;
    const ids = (rng: Rng, batch: number, shape: readonly number[]): Array32 => {
      const x = randomInput(rng, batch, shape);
      x.data = x.data.map(() => rng.int(vocabulary!));
      return x;
    };
    const bytes = await expectSameAsPredict(model, opset, 7 + i, vocabulary === undefined ? randomInput : ids);
    const info = readModel(bytes);
    expect(info.opset).toBe(opset);
    // Inference graph: the dropout family, noise and activity regularization leave only the Identity naming the output.
    if (PASS_THROUGH.has(cls)) expect(info.ops).toEqual(['Identity']);
  });
});

describe('activations', () => {
  test.each([13, 20])('every activation name through Dense, opset %i', async (opset) => {
    for (const [i, name] of km.activations.names().entries()) {
      const x = km.input({ shape: [4] });
      const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 3, activation: name, name: `dense_${name}` }).apply(x), name: `act_${name}` });
      const bytes = await expectSameAsPredict(model, opset, 40 + i);
      const ops = readModel(bytes).ops;
      if (name === 'hard_sigmoid') expect(ops).toContain('HardSigmoid');
      if (name === 'gelu') expect(ops.includes('Gelu')).toBe(opset >= 20);
    }
  });

  test('LayerNormalization is the ONNX op from opset 17 and its formula before', async () => {
    for (const [opset, hasOp] of [[13, false], [17, true]] as const) {
      const x = km.input({ shape: [3, 6] });
      const model = km.model({ inputs: x, outputs: km.layers.layerNormalization({ epsilon: 1e-2 }).apply(x) });
      const ops = readModel(await expectSameAsPredict(model, opset, 60)).ops;
      expect(ops.includes('LayerNormalization')).toBe(hasOp);
    }
  });
});

describe('recurrent layers', () => {
  test('LSTM with returnState and initial states: the sequence, h and c as three outputs', async () => {
    const x = km.input({ shape: [4, 3], name: 'x' });
    const h0 = km.input({ shape: [2], name: 'h0' });
    const c0 = km.input({ shape: [2], name: 'c0' });
    const outs = km.layers.lstm({ units: 2, returnSequences: true, returnState: true, name: 'lstm' }).apply(x, { initialState: [h0, c0] }) as unknown as km.SymbolicTensor[];
    const model = km.model({ inputs: [x, h0, c0], outputs: outs, name: 'stateful_call' });
    const info = readModel(await expectSameAsPredict(model, 13, 95));
    expect(info.ops.filter((o) => o === 'LSTM')).toHaveLength(1);
    expect(info.outputs.map((o) => [o.name, o.shape])).toEqual([['lstm', ['batch', 4, 2]], ['lstm_1', ['batch', 2]], ['lstm_2', ['batch', 2]]]);
  });

  test("gate activations: Keras 3's hard sigmoid is HardSigmoid α = 1/6, Keras 2's the op's defaults", async () => {
    for (const [i, recurrentActivation] of ['hard_sigmoid', 'hard_sigmoid_keras2', 'tanh'].entries()) {
      const x = km.input({ shape: [3, 2] });
      const model = km.model({ inputs: x, outputs: km.layers.gru({ units: 3, recurrentActivation, returnSequences: true }).apply(x) });
      await expectSameAsPredict(model, 13, 96 + i);
    }
  });

  test('an activation ONNX recurrent ops lack is refused, naming the layer', async () => {
    const x = km.input({ shape: [3, 2] });
    const model = km.model({ inputs: x, outputs: km.layers.simpleRNN({ units: 2, activation: 'selu', name: 'odd_rnn' }).apply(x) });
    await expect(km.exportOnnx(model)).rejects.toThrow(/layer "odd_rnn" \(SimpleRNN\) uses the activation 'selu'/);
  });
});

describe('models', () => {
  test('the Keras simple MNIST convnet (examples/convnet.mjs): one transpose in and one out', async () => {
    const model = km.sequential({ name: 'simple_mnist_convnet', layers: convnetLayers(km) as km.layers.Layer[] });
    const info = readModel(await expectSameAsPredict(model, 13, 70));
    // Conv and pooling stay channels-first between them; Flatten reads channels-last as Keras flattens.
    expect(info.ops).toEqual(['Transpose', 'Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Transpose', 'Flatten', 'MatMul', 'Add', 'Softmax']);
    expect(info.inputs).toEqual([{ name: model.inputNames[0], elemType: 1, shape: ['batch', 28, 28, 1] }]);
    expect(info.outputs.map((o) => o.name)).toEqual(model.outputNames);
    expect(info.outputs[0]!.shape).toEqual(['batch', 10]);
  });

  test('functional: two inputs, two outputs, a nested model, a shared layer, names kept', async () => {
    const image = km.input({ shape: [6, 5, 2], name: 'image' });
    const meta = km.input({ shape: [3], name: 'meta' });
    const branch = km.sequential({ name: 'branch', layers: [
      km.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'elu', inputShape: [6, 5, 2] }),
      km.layers.batchNormalization(),
      km.layers.globalAveragePooling2d(),
    ] });
    const shared = km.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const a = shared.apply(branch.apply(image));
    const b = shared.apply(km.layers.dense({ units: 4, name: 'meta_dense' }).apply(meta));
    const merged = km.layers.concatenate({ name: 'merged' }).apply([a, b]);
    const label = km.layers.dense({ units: 3, activation: 'softmax', name: 'label' }).apply(merged);
    const score = km.layers.dropout({ rate: 0.3, name: 'score' }).apply(km.layers.dense({ units: 1, name: 'score_dense' }).apply(km.layers.add().apply([a, b])));
    const model = km.model({ inputs: [image, meta], outputs: [label, score], name: 'two_heads' });
    const info = readModel(await expectSameAsPredict(model, 13, 80));
    expect(info.graphName).toBe('two_heads');
    expect(info.inputs.map((i) => [i.name, i.shape])).toEqual([['image', ['batch', 6, 5, 2]], ['meta', ['batch', 3]]]);
    expect(info.outputs.map((o) => [o.name, o.shape])).toEqual([['label', ['batch', 3]], ['score', ['batch', 1]]]);
    expect(info.initializers).toEqual(expect.arrayContaining(['shared/kernel', 'shared/bias', 'label/kernel', 'label/bias', 'meta_dense/kernel']));
    // The shared Dense is one MatMul per call; the nested model's layers are expanded in place.
    expect(info.nodeNames.filter((n) => n.startsWith('shared/MatMul'))).toHaveLength(2);
  });
});

describe('the bytes', () => {
  test('ModelProto fields: IR version for the opset, producer, the opset import, weights as named initializers', async () => {
    const x = km.input({ shape: [5], name: 'features' });
    const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 2, name: 'logits' }).apply(x), name: 'tiny' });
    for (const [opset, ir] of [[13, 7], [17, 8], [21, 10]] as const) {
      const info = readModel(await km.exportOnnx(model, { opset }));
      expect(info).toMatchObject({ irVersion: ir, opset, producer: 'kerasm', graphName: 'tiny', ops: ['MatMul', 'Add'] });
      expect(info.initializers).toEqual(['logits/kernel', 'logits/bias']);
      expect(info.inputs).toEqual([{ name: 'features', elemType: 1, shape: ['batch', 5] }]);
      expect(info.outputs).toEqual([{ name: 'logits', elemType: 1, shape: ['batch', 2] }]);
    }
  });
});

describe('model.save', () => {
  test("model.save('file://…/model.onnx') writes exportOnnx's bytes; loadModel says it does not read them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerasm-onnx-'));
    try {
      const x = km.input({ shape: [4], name: 'x' });
      const model = km.model({ inputs: x, outputs: km.layers.dense({ units: 2, activation: 'softmax', name: 'probs' }).apply(x) });
      randomizeWeights(model, 90);
      const url = `file://${join(dir, 'model.onnx')}`;
      await model.save(url);
      const written = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
      expect(written).toEqual(await km.exportOnnx(model));
      const input = randomInput(new Rng(91), 3, [4]);
      const want = model.predict(km.tensor(input.data, input.shape)) as km.Tensor;
      expectClose((await runOnnx(written, { x: input })).probs!, { data: want.data, shape: want.shape }, 'saved file');
      await expect(km.loadModel(url)).rejects.toThrow(/kerasm writes ONNX model \(\.onnx\) files but does not read them/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors', () => {
  test('bad arguments are ValueErrors naming the argument', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    await expect(km.exportOnnx(model, { opset: 12 })).rejects.toThrow(/argument `opset`: expected an integer from 13 to 21/);
    await expect(km.exportOnnx(model, { opset: 13.5 })).rejects.toThrow(km.ValueError);
    await expect(km.exportOnnx({} as km.Model)).rejects.toThrow(/argument `model`: expected a kerasm model/);
    await expect(km.exportOnnx(model, { opSet: 13 } as never)).rejects.toThrow(/opSet/);
    await expect(km.exportOnnx(km.sequential())).rejects.toThrow(/no layers/);
  });

  test('a layer reading a mask is named: masked sequences are not exported', async () => {
    const ids = km.input({ shape: [5] });
    const embedded = km.layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true }).apply(ids);
    const model = km.model({ inputs: ids, outputs: km.layers.lstm({ units: 2, name: 'reader' }).apply(embedded) });
    await expect(km.exportOnnx(model)).rejects.toThrow(/layer "reader" \(LSTM\) reads a mask; masked sequences are not exported to ONNX yet/);
  });

  test('a layer without a conversion is named, with the classes that have one', async () => {
    class Custom extends km.layers.Layer {
      static override readonly className = 'Custom';
      computeOutputShape(s: number[]): number[] {
        return s;
      }
      forward(): void {}
      backward(): void {}
    }
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] }), new Custom({ name: 'mystery' })]);
    await expect(km.exportOnnx(model)).rejects.toThrow(/layer "mystery" of class Custom has no ONNX conversion in kerasm yet; the layers it converts are .*Conv2D.*Dense/);
  });
});

// Untrusted input: every malformed file is refused with a KerasmError that says what is wrong,
// before anything is allocated, and a failed loadWeights leaves the model as it was.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { knownLayerClasses } from '../../src/layers/registry.js';
import { fileSystem as webFileSystem } from '../../src/io/file-system.web.js';
import { testBackend } from '../helpers/backend.js';

let dir: string;
let base: km.ModelArtifacts;
let model: km.Sequential;
beforeAll(async () => {
  await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-bad-'));
  km.setSeed(1);
  model = km.sequential({ name: 'm', layers: [km.layers.dense({ name: 'd0', units: 3, inputShape: [4], activation: 'relu' }), km.layers.dropout({ name: 'dr', rate: 0.1 }), km.layers.dense({ name: 'd1', units: 2 })] });
  await model.save(km.io.withSaveHandler(async (a) => {
    base = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
});
afterAll(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** A deep copy of the valid artifacts, changed by `edit`. */
function variant(edit: (a: { modelTopology: any; weightSpecs: any[]; weightData: ArrayBuffer }) => void): km.ModelArtifacts { // eslint-disable-line @typescript-eslint/no-explicit-any
  const a = { modelTopology: structuredClone(base.modelTopology), weightSpecs: structuredClone(base.weightSpecs!), weightData: (base.weightData as ArrayBuffer).slice(0) };
  edit(a as never);
  return a;
}

async function refused(p: Promise<unknown>, message: RegExp | string): Promise<void> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(km.KerasmError);
  expect((e as Error).message).toMatch(message);
}

describe('weights that do not fit the manifest', () => {
  test('truncated weight data', () => refused(km.loadModel({ ...base, weightData: (base.weightData as ArrayBuffer).slice(4) }), /weight data is truncated: 88 bytes, but the manifest's 4 tensors take 92/));
  test('oversized weight data', () => refused(km.loadModel({ ...base, weightData: [base.weightData as ArrayBuffer, new ArrayBuffer(4)] }), /weight data is too long: 96 bytes/));
  test('a tensor whose shape differs from the layer', () => refused(km.loadModel(variant((a) => {
    a.weightSpecs[2].shape = [3, 2];
    a.weightSpecs[3].shape = [2];
    a.modelTopology.config.layers[2].config.units = 3;
  })), /'d1\/kernel' has shape \[3, 2\], but d1\/kernel has shape \[3, 3\]/));
  test('a missing tensor is named, with what the file has', () => refused(km.loadModel(variant((a) => {
    a.weightSpecs.pop();
    a.weightData = a.weightData.slice(0, 84);
  })), /no tensor for d1\/bias \[2\]\. It has 3 model tensors: d0\/kernel \[4, 3\]/));
  test('a tensor the model does not have', () => refused(km.loadModel(variant((a) => {
    a.weightSpecs.push({ name: 'd9/kernel', shape: [1], dtype: 'float32' });
    a.weightData = new Uint8Array([...new Uint8Array(a.weightData), 0, 0, 0, 0]).buffer;
  })), /tensors the model does not: d9\/kernel/));
  test('NaN in the weights', () => refused(km.loadModel(variant((a) => {
    new Float32Array(a.weightData)[13] = NaN;
  })), /'d0\/bias' holds a non-finite value \(NaN\) at index 1/));
  test('weight specs without data, data without specs', async () => {
    await refused(km.loadModel({ modelTopology: base.modelTopology, weightSpecs: base.weightSpecs }), /weight specs but no weight data/);
    await refused(km.loadModel({ modelTopology: base.modelTopology, weightData: base.weightData }), /weight data but no weight specs/);
  });
});

describe('wrong dtypes and sizes', () => {
  test.each([
    ['float16', /weight 'd0\/kernel' has dtype "float16"; expected one of float32, int32, bool, complex64/],
    ['string', /weight 'd0\/kernel' has dtype "string"/],
    ['int32', /'d0\/kernel' has dtype 'int32'; model weights must be float32/],
  ])('a %s tensor', (dtype, msg) => refused(km.loadModel(variant((a) => {
    a.weightSpecs[0].dtype = dtype;
  })), msg));
  test('quantized weights', () => refused(km.loadModel(variant((a) => {
    a.weightSpecs[0].quantization = { dtype: 'uint8', scale: 0.1, min: -1 };
    a.weightData = new ArrayBuffer(92 - 12 * 3);
  })), /the tensor 'd0\/kernel' is quantized; kerasm reads float32 weights/));
  test('a layer dtype other than float32', () => refused(km.loadModel(variant((a) => {
    a.modelTopology.config.layers[0].config.dtype = 'float64';
  })), /layer 'd0' \(Dense\) has dtype "float64"; kerasm computes in float32 only/));
  test('shapes whose product overflows are refused before allocating', async () => {
    const before = km.backendInfo().memoryBytes;
    await refused(km.loadModel(variant((a) => {
      a.weightSpecs[0].shape = [2 ** 20, 2 ** 20, 2 ** 20];
    })), /weight 'd0\/kernel' of shape \[1048576, 1048576, 1048576\] is larger than 2147483648 bytes/);
    await refused(km.loadModel(variant((a) => {
      a.modelTopology.config.layers[0].config.units = 2 ** 28;
    })), /declares \d+ parameters .* more than the 2147483648 bytes/);
    await refused(km.modelFromJSON(variant((a) => {
      a.modelTopology.config.layers[0].config.batch_input_shape = [null, 2 ** 30, 2 ** 30];
    }).modelTopology as object), /per-sample tensor of shape \[1073741824, 1073741824\]/);
    expect(km.backendInfo().memoryBytes).toBe(before);
  });
  test('negative or fractional dimensions', () => refused(km.loadModel(variant((a) => {
    a.weightSpecs[1].shape = [-3];
  })), /weight 'd0\/bias' has shape \[-3\]; expected up to 8 non-negative integers/));
});

describe('topologies kerasm cannot build', () => {
  test('an unknown layer class names the layer and its class', () => refused(km.loadModel(variant((a) => {
    a.modelTopology.config.layers.splice(1, 0, { class_name: 'Conv3D', config: { name: 'conv', filters: 3 } });
  })), `Unsupported layer 'conv' of class 'Conv3D': kerasm can load ${knownLayerClasses().join(', ')}.`));
  test('a Functional class with a Sequential config (no input_layers / output_layers), an unknown model class', async () => {
    await refused(km.loadModel(variant((a) => {
      a.modelTopology.class_name = 'Functional';
    })), /the functional model config has no `input_layers` \/ `output_layers`/);
    await refused(km.loadModel(variant((a) => {
      a.modelTopology.class_name = 'Subclassed';
    })), /class_name is 'Subclassed'; kerasm loads Sequential, Model, Functional models/);
  });
  test('bad config values get Keras-worded errors', () => refused(km.loadModel(variant((a) => {
    a.modelTopology.config.layers[1].config.rate = 1.5;
  })), 'Invalid value received for argument `rate`: expected a number in [0, 1). Received: rate=1.5'));
  test('a graph model (binary topology) is not a layers model', () => refused(km.loadModel({ modelTopology: new ArrayBuffer(8) }), /graph model/));
  test('no layers, no config, not an object', async () => {
    await refused(km.modelFromJSON({ class_name: 'Sequential', config: { layers: [] } }), /has no layers/);
    await refused(km.modelFromJSON({ class_name: 'Sequential' }), /Sequential config is missing/);
    await refused(km.modelFromJSON('[1, 2]'), /expected an object/);
    await refused(km.modelFromJSON('{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}]}}'), /layer 0 \(Dense\) has no config object/);
  });
});

describe('model.json files', () => {
  async function write(name: string, text: string, files: Record<string, Uint8Array> = {}): Promise<string> {
    const d = join(dir, name);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'model.json'), text);
    for (const [f, b] of Object.entries(files)) await writeFile(join(d, f), b);
    return `file://${d}/model.json`;
  }
  const weights = () => new Uint8Array(base.weightData as ArrayBuffer);
  const manifest = (paths: string[]) => JSON.stringify({ modelTopology: base.modelTopology, format: 'layers-model', weightsManifest: [{ paths, weights: base.weightSpecs }] });

  test('malformed JSON', async () => refused(km.loadModel(await write('malformed', '{"modelTopology": {')), /Invalid model\.json .*not valid JSON/));
  test('a missing file', () => refused(km.loadModel(`file://${dir}/nowhere/model.json`), /Cannot read the model file .*nowhere/));
  test('a truncated shard', async () => refused(km.loadModel(await write('short', manifest(['a.bin', 'b.bin']), { 'a.bin': weights().slice(0, 40), 'b.bin': weights().slice(40, 80) })), /a\.bin, b\.bin hold 80 bytes, but the manifest's tensors take 92 \(truncated weights\)/));
  test('an oversized shard', async () => refused(km.loadModel(await write('long', manifest(['a.bin']), { 'a.bin': new Uint8Array(200) })), /has 200 bytes, more than the 92 .*oversized weights/));
  test('weight paths outside the model folder', async () => {
    await refused(km.loadModel(await write('escape', manifest(['../long/a.bin']))), /must be relative to model\.json, inside its folder/);
    await refused(km.loadModel(await write('absolute', manifest(['/etc/passwd']))), /must be relative to model\.json/);
    await refused(km.loadModel(await write('scheme', manifest(['http://example.com/w.bin']))), /must be relative to model\.json/);
  });
  test('__proto__ and constructor keys are ignored, never assigned', async () => {
    const text = manifest(['weights.bin'])
      .replace('"modelTopology":{', '"modelTopology":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},')
      .replace('"units":3', '"units":3,"__proto__":{"units":99}');
    const m = await km.loadModel(await write('proto', text, { 'weights.bin': weights() }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((m.layers[0] as km.layers.Dense).units).toBe(3);
    m.dispose();
  });
  test('in browser and Worker bundles (file-system.web.ts) file:// is refused with a pointer to IO handlers', async () => {
    const h = webFileSystem('file://./m');
    await refused(h.load!(), /file:\/\/ paths need a file system .*km\.io\.withSaveHandler, km\.io\.fromMemory/);
    await refused(h.save!({}), /file:\/\/ paths need a file system/);
  });
  test('a bad source or target', async () => {
    await refused(km.loadModel('s3://bucket/model.json'), /Invalid value received for argument `source`/);
    await refused(km.loadModel(42 as never), /Invalid value received for argument `source`/);
    await refused(model.save('./relative/path'), /Invalid value received for argument `target`/);
    await refused(model.save(km.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: (a.weightData as ArrayBuffer).byteLength } })), { includeOptimizer: 'yes' as never }), /`includeOptimizer`: expected a boolean/);
  });
});

describe('loadWeights leaves the model unchanged when it refuses a file', () => {
  test('NaN in the last tensor: nothing was copied', async () => {
    const before = model.getWeights();
    await refused(model.loadWeights(variant((a) => {
      new Float32Array(a.weightData)[21] = Infinity;
    })), /'d1\/bias' holds a non-finite value \(Infinity\)/);
    model.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(before[i]!.data)));
  });
});

describe('files from two different saves', () => {
  test('a model.json with the weights.bin of another save of the same architecture is refused, not loaded silently', async () => {
    const { readFile, copyFile } = await import('node:fs/promises');
    km.setSeed(1);
    const make = () => km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [4] }), km.layers.dense({ units: 2 })] });
    const a = make();
    const b = make();
    await a.save(`file://${join(dir, 'pair-a')}`);
    await b.save(`file://${join(dir, 'pair-b')}`);
    // What an interrupted save over pair-a leaves: the new weights next to the old model.json.
    await copyFile(join(dir, 'pair-b', 'weights.bin'), join(dir, 'pair-a', 'weights.bin'));
    expect((await readFile(join(dir, 'pair-a', 'weights.bin'))).length).toBe((await readFile(join(dir, 'pair-b', 'weights.bin'))).length);
    await expect(km.loadModel(`file://${join(dir, 'pair-a', 'model.json')}`)).rejects.toThrow(/the weights are not the ones this model.json was saved with/);
    const ok = await km.loadModel(`file://${join(dir, 'pair-b', 'model.json')}`);
    expect(ok.getWeights().map((w) => Array.from(w.data))).toEqual(b.getWeights().map((w) => Array.from(w.data)));
    for (const m of [a, b, ok]) m.dispose();
  });
});

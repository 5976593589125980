// kerasm's artifacts → Keras's files: `.keras` (Keras 3: zip of metadata.json, config.json,
// model.weights.h5), `.h5` (the legacy HDF5 layout Keras 3 still writes for `.h5`) and
// `.weights.h5` (Keras 3 `save_weights`). The trees, dtypes and attributes are those of the real
// files in shared/fixtures/kerasfiles (the tests compare them).
import type { Group } from 'h5wasm';
import { KerasmError } from '../errors.js';
import { isObject, own } from '../io/json.js';
import type { JsonObject } from '../io/json.js';
import { joinWeightData } from '../io/weights.js';
import type { ModelArtifacts, WeightSpec } from '../io/types.js';
import { writeAttr, writeFloat32, withH5Write } from './h5.js';
import { keyedLayers, weightLayout } from './names.js';
import { writeArchive } from './zip.js';

/** The Keras version whose `.keras` layout is written (and so named in the files' metadata). */
export const KERAS3_LAYOUT = '3.5.0';
/** The Keras version whose legacy `.h5` layout is written (its `keras_version` attribute). */
export const LEGACY_H5_LAYOUT = '3.10.0';

const layerEntry = (e: JsonObject): JsonObject => ({ module: 'keras.layers', class_name: e.class_name, config: e.config, registered_name: null, ...(e.inbound_nodes === undefined ? {} : { inbound_nodes: e.inbound_nodes }) });

/**
 * The topology as Keras 3 writes it: `module` / `registered_name` on every entry, a
 * Sequential's input as an InputLayer with `batch_shape` (kerasm's reader takes both forms).
 */
export function keras3Config(topology: unknown): JsonObject {
  if (!isObject(topology) || !isObject(topology.config)) throw new KerasmError('internal: a model topology without config');
  const config = { ...topology.config };
  const layers = Array.isArray(config.layers) ? (config.layers as unknown[]).filter(isObject) : [];
  const out = layers.map((l) => (isObject(l.config) && typeof l.class_name === 'string' && MODELS.includes(l.class_name) ? { ...keras3Config(l), ...(l.inbound_nodes === undefined ? {} : { inbound_nodes: l.inbound_nodes }) } : layerEntry(l)));
  const first = out[0];
  if (topology.class_name === 'Sequential' && first !== undefined && isObject(first.config) && Array.isArray(first.config.batch_input_shape)) {
    const { batch_input_shape, ...rest } = first.config;
    out[0] = { ...first, config: rest };
    out.unshift({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: batch_input_shape, dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null });
  }
  config.layers = out;
  return { module: 'keras', class_name: topology.class_name === 'Model' ? 'Functional' : topology.class_name, config, registered_name: null };
}

/** Keras 3's `compile_config` from a training config (Keras keys). */
function compileConfig(tc: unknown): JsonObject | null {
  if (!isObject(tc)) return null;
  const opt = own(tc, 'optimizer_config');
  return {
    optimizer: isObject(opt) ? { module: 'keras.optimizers', class_name: opt.class_name, config: opt.config, registered_name: null } : null,
    loss: own(tc, 'loss') ?? null, loss_weights: own(tc, 'loss_weights') ?? null, metrics: own(tc, 'metrics') ?? null,
    weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false,
  };
}

/** The model's weights by layer name, in file order, as float32 views. */
function weightsByLayer(a: ModelArtifacts): Map<string, { spec: WeightSpec; values: Float32Array }[]> {
  const bytes = a.weightData === undefined ? new Uint8Array(0) : joinWeightData(a.weightData);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out = new Map<string, { spec: WeightSpec; values: Float32Array }[]>();
  let at = 0;
  for (const spec of a.weightSpecs ?? []) {
    const n = spec.shape.reduce((x, y) => x * y, 1);
    if (spec.group !== 'optimizer') {
      const layer = spec.name.slice(0, spec.name.indexOf('/'));
      if (!out.has(layer)) out.set(layer, []);
      out.get(layer)!.push({ spec, values: floats.subarray(at, at + n) });
    }
    at += n;
  }
  return out;
}

/** Keras 3's weights tree: `layers/<class key>/vars/<i>` for every layer, and the model's own empty `vars`. */
function writeKeras3Weights(f: Group, a: ModelArtifacts): void {
  const byLayer = weightsByLayer(a);
  const made = new Map<string, Group>([['', f]]);
  const group = (path: string): Group => {
    const hit = made.get(path);
    if (hit !== undefined) return hit;
    const cut = path.lastIndexOf('/');
    const g = group(path.slice(0, Math.max(cut, 0))).create_group(path.slice(cut + 1));
    made.set(path, g);
    return g;
  };
  group('layers');
  for (const layer of keyedLayers(a.modelTopology)) {
    const layout = weightLayout(layer.className);
    if (MODELS.includes(layer.className)) {
      group(`${layer.path}/layers`);
      group(`${layer.path}/vars`);
      continue;
    }
    const weights = byLayer.get(layer.name) ?? [];
    let i = 0;
    for (const [name, count] of layout.groups) {
      const g = group(`${layer.path}/${name}`);
      const end = count === null ? weights.length : i + count;
      for (let k = 0; i < end; i++, k++) writeFloat32(g, String(k), weights[i]!.spec.shape, weights[i]!.values);
    }
    for (const name of layout.empty) group(`${layer.path}/${name}`);
  }
  group('vars');
}

function trainingConfigOf(a: ModelArtifacts): unknown {
  const meta = a.userDefinedMetadata;
  const kerasm = isObject(meta) ? own(meta, 'kerasm') : undefined;
  return isObject(kerasm) ? own(kerasm, 'training_config') : undefined;
}

/** `.keras`: metadata.json, config.json (with compile_config when compiled), model.weights.h5. */
export async function writeDotKeras(a: ModelArtifacts): Promise<Uint8Array> {
  const config = keras3Config(a.modelTopology);
  config.build_config = null;
  config.compile_config = compileConfig(trainingConfigOf(a));
  const weights = await withH5Write((f) => writeKeras3Weights(f, a));
  const metadata = { keras_version: KERAS3_LAYOUT, date_saved: new Date().toISOString(), generated_by: a.generatedBy ?? 'kerasm' };
  return writeArchive(JSON.stringify(config), JSON.stringify(metadata), weights);
}

/** `.weights.h5`: Keras 3 `save_weights`, the weights tree alone. */
export function writeWeightsH5(a: ModelArtifacts): Promise<Uint8Array> {
  return withH5Write((f) => writeKeras3Weights(f, a));
}

const EMPTY = new Float64Array(0);
const MODELS = ['Sequential', 'Model', 'Functional'];

/** The layer entries of a topology's config. */
function topLayers(topology: unknown): JsonObject[] {
  const layers = isObject(topology) && isObject(topology.config) && Array.isArray(topology.config.layers) ? topology.config.layers : [];
  return layers.filter((l): l is JsonObject => isObject(l) && isObject(l.config));
}

/** The names of a nested model's leaf layers, in order. */
function leafNames(entry: JsonObject): string[] {
  return topLayers(entry).flatMap((l) => (MODELS.includes(String(l.class_name)) ? leafNames(l) : [String((l.config as JsonObject).name)]));
}

/** `.h5`: the legacy layout (Keras 3's `legacy_h5_format`): `model_config`, `model_weights` by layer name. */
export function writeLegacyH5(a: ModelArtifacts): Promise<Uint8Array> {
  const topology = a.modelTopology;
  const { module: _m, registered_name: _r, ...config } = keras3Config(topology);
  const modelName = isObject(topology) && isObject(topology.config) ? String(topology.config.name) : 'model';
  const byLayer = weightsByLayer(a);
  const entries = topLayers(topology).filter((l) => l.class_name !== 'InputLayer');
  const names = entries.map((l) => String((l.config as JsonObject).name));
  return withH5Write((f) => {
    writeAttr(f, 'backend', 'tensorflow', 'S');
    writeAttr(f, 'keras_version', LEGACY_H5_LAYOUT, 'S');
    writeAttr(f, 'model_config', JSON.stringify(config), 'A');
    const tc = trainingConfigOf(a);
    if (isObject(tc)) writeAttr(f, 'training_config', JSON.stringify({ weighted_metrics: null, loss_weights: null, ...tc }), 'A');
    const mw = f.create_group('model_weights');
    writeAttr(mw, 'backend', 'tensorflow', 'A');
    writeAttr(mw, 'keras_version', LEGACY_H5_LAYOUT, 'A');
    writeAttr(mw, 'layer_names', names, 'A');
    entries.forEach((entry, e) => {
      const name = names[e]!;
      const g = mw.create_group(name);
      // A nested model is one entry holding its layers' weights, named under it.
      const nested = MODELS.includes(String(entry.class_name));
      const weights = (nested ? leafNames(entry) : [name]).flatMap((n) => byLayer.get(n) ?? []);
      const paths = weights.map((w) => `${nested ? name : modelName}/${w.spec.name}`);
      if (weights.length === 0) writeAttr(g, 'weight_names', EMPTY, '<d');
      else writeAttr(g, 'weight_names', paths, 'A');
      weights.forEach((w, i) => {
        const parts = paths[i]!.split('/');
        let parent = g;
        for (const p of parts.slice(0, -1)) parent = parent.keys().includes(p) ? (parent.get(p) as Group) : parent.create_group(p);
        writeFloat32(parent, parts[parts.length - 1]!, w.spec.shape, w.values);
      });
    });
    writeAttr(mw.create_group('top_level_model_weights'), 'weight_names', EMPTY, '<d');
  });
}

// Keras's files → the artifacts kerasm's loader takes (topology, weight specs and bytes,
// training config), so a `.keras` or `.h5` model is built, checked and compiled by the same code
// as a TF.js-format one. Layouts as in shared/fixtures/kerasfiles/README.md.
import type { Group } from 'h5wasm';
import { KerasmError } from '../errors.js';
import { formatError, isObject, own, parseJson } from '../io/json.js';
import type { JsonObject } from '../io/json.js';
import type { ModelArtifacts, WeightSpec } from '../io/types.js';
import { childGroup, dataset, readFloat32, stringAttr, stringListAttr, withH5Read } from './h5.js';
import { keyedLayers, weightLayout } from './names.js';
import { isZip, readArchive } from './zip.js';

/** HDF5's signature, at offset 0 in every file Keras writes. */
export function isHdf5(bytes: Uint8Array): boolean {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

/** Collects weight specs and their float32 bytes in order. */
class Weights {
  readonly specs: WeightSpec[] = [];
  private readonly parts: Float32Array[] = [];
  add(name: string, shape: number[], values: Float32Array): void {
    this.specs.push({ name, shape, dtype: 'float32' });
    this.parts.push(values);
  }
  data(): ArrayBuffer {
    const out = new Float32Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out.buffer;
  }
}

/** Datasets `0, 1, …` of a `vars` group, in index order (a gap is a damaged file). */
function varsOf(g: Group): string[] {
  const keys = g.keys();
  const names = keys.map((_, i) => String(i));
  if (keys.length !== names.length || !names.every((n) => keys.includes(n))) throw formatError('Invalid Keras weights', `'${g.path}' holds ${keys.join(', ')}, not datasets 0..${keys.length - 1}`);
  return names;
}

/**
 * Keras 3 weights (`model.weights.h5`, `.weights.h5`): each layer's datasets under its
 * class-derived key, named for kerasm `<layer name>/vars/<i>` (the loader matches those).
 */
export function readKeras3Weights(root: Group, topology: unknown, fileBytes: number, out: Weights): void {
  for (const layer of keyedLayers(topology)) {
    let i = 0;
    for (const [group] of weightLayout(layer.className).groups) {
      const g = childGroupAt(root, `${layer.path}/${group}`);
      if (g === null) continue;
      for (const k of varsOf(g)) {
        const { shape, values } = readFloat32(dataset(g, k)!, fileBytes);
        out.add(`${layer.name}/vars/${i++}`, shape, values);
      }
    }
  }
}

function childGroupAt(root: Group, path: string): Group | null {
  let g: Group | null = root;
  for (const part of path.split('/')) {
    if (g === null) return null;
    g = childGroup(g, part);
  }
  return g;
}

/**
 * Legacy HDF5 weights (`model_weights` of a Keras 2 / Keras 3 legacy `.h5`, or a Keras 2
 * `save_weights` file): `layer_names`, then each layer's `weight_names`, named as the file names
 * them (`dense_1/kernel:0`, `sequential_2/dense_6/kernel`; the loader matches by suffix).
 */
function readLegacyWeights(g: Group, fileBytes: number, out: Weights): void {
  const layers = stringListAttr(g, 'layer_names');
  if (layers === null) throw formatError('Invalid Keras .h5 file', `'${g.path}' has no layer_names attribute`);
  for (const name of layers) {
    const lg = childGroup(g, name);
    if (lg === null) throw formatError('Invalid Keras .h5 file', `layer_names lists '${name}', which '${g.path}' does not hold`);
    for (const w of stringListAttr(lg, 'weight_names') ?? []) {
      const d = dataset(lg, w);
      if (d === null) throw formatError('Invalid Keras .h5 file', `weight_names of '${name}' lists '${w}', which is not a dataset there`);
      const { shape, values } = readFloat32(d, fileBytes);
      out.add(w, shape, values);
    }
  }
}

/** Keras 3's `compile_config` in the `training_config` shape the loader reads. */
export function trainingConfigFromCompileConfig(c: unknown): JsonObject | undefined {
  if (!isObject(c)) return undefined;
  const opt = own(c, 'optimizer');
  const optimizer_config = isObject(opt) ? { class_name: opt.class_name, config: opt.config } : typeof opt === 'string' ? { class_name: opt, config: {} } : undefined;
  const out: JsonObject = { loss: own(c, 'loss') ?? null, metrics: own(c, 'metrics') ?? null, optimizer_config };
  for (const k of ['loss_weights', 'weighted_metrics']) if (own(c, k) !== undefined && own(c, k) !== null) out[k] = own(c, k);
  return out;
}

/** A `.keras` archive's model. */
async function readDotKeras(bytes: Uint8Array): Promise<ModelArtifacts> {
  const { config, metadata, weights } = readArchive(bytes);
  const topology = parseJson(config, 'Invalid .keras config.json');
  if (!isObject(topology)) throw formatError('Invalid .keras config.json', 'it is not an object');
  const meta = metadata === null ? null : parseJson(metadata, 'Invalid .keras metadata.json');
  const w = new Weights();
  await withH5Read(weights, (f) => readKeras3Weights(f, topology, weights.length, w));
  const artifacts: ModelArtifacts = { modelTopology: topology, format: 'layers-model', weightSpecs: w.specs, weightData: w.data() };
  const tc = trainingConfigFromCompileConfig(own(topology, 'compile_config'));
  if (tc !== undefined) artifacts.trainingConfig = tc;
  artifacts.generatedBy = isObject(meta) && typeof meta.keras_version === 'string' ? `keras ${meta.keras_version}` : 'keras';
  return artifacts;
}

/** A legacy `.h5` model (`model_config` attribute), or a file of weights alone. */
async function readH5(bytes: Uint8Array, ownTopology: unknown): Promise<ModelArtifacts> {
  return withH5Read(bytes, (f) => {
    const w = new Weights();
    const modelConfig = stringAttr(f, 'model_config');
    const artifacts: ModelArtifacts = { format: 'layers-model' };
    if (modelConfig !== null) {
      artifacts.modelTopology = parseJson(modelConfig, 'Invalid Keras .h5 model_config');
      const training = stringAttr(f, 'training_config');
      if (training !== null) artifacts.trainingConfig = parseJson(training, 'Invalid Keras .h5 training_config');
      const mw = childGroup(f, 'model_weights');
      if (mw === null) throw formatError('Invalid Keras .h5 file', 'it has a model_config but no model_weights group');
      readLegacyWeights(mw, bytes.length, w);
    } else if (childGroup(f, 'layers') !== null) {
      if (ownTopology === undefined) throw new KerasmError('This .h5 file holds Keras 3 weights alone (model.save_weights): load it with model.loadWeights into a model of the same architecture.');
      readKeras3Weights(f, ownTopology, bytes.length, w);
    } else if (stringListAttr(f, 'layer_names') !== null) {
      readLegacyWeights(f, bytes.length, w);
    } else {
      throw formatError('Invalid Keras .h5 file', 'no model_config attribute, no model_weights or layers group and no layer_names: not a file Keras wrote');
    }
    const version = stringAttr(f, 'keras_version');
    artifacts.generatedBy = version === null ? 'keras' : `keras ${version}`;
    artifacts.weightSpecs = w.specs;
    artifacts.weightData = w.data();
    return artifacts;
  });
}

/**
 * The artifacts of a Keras file's bytes (`.keras` zip or HDF5, told by their first bytes).
 * `ownTopology`: the topology of the model loading weights alone (Keras 3 `.weights.h5` is keyed
 * by its layers' classes).
 */
export async function readKerasFile(bytes: Uint8Array, ownTopology?: unknown): Promise<ModelArtifacts> {
  if (isZip(bytes)) return readDotKeras(bytes);
  if (isHdf5(bytes)) return readH5(bytes, ownTopology);
  throw new KerasmError(`Not a Keras file: the bytes start neither as a zip (.keras) nor as HDF5 (.h5)${bytes.length < 8 ? ` (only ${bytes.length} bytes)` : ''}.`);
}

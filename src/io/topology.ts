// The model topology in the TF.js layers format: written so TF.js 4 `loadLayersModel` reads it,
// read from kerasm, TF.js and Keras (2 via tensorflowjs_converter, and Keras 3 conventions).
import { KerasmError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { layerFromConfig } from '../layers/registry.js';
import { formatError, isArrayBuffer, isObject, own } from './json.js';
import type { JsonObject } from './json.js';

/** Written as `keras_version` and `generatedBy`. */
export const KERASM_VERSION = '0.1.0';
export const GENERATED_BY = `kerasm ${KERASM_VERSION}`;
/** Most layers accepted in one model file. */
const MAX_LAYERS = 10_000;

/** What the writer needs of a model (Sequential satisfies it). */
export interface TopologySource {
  readonly name: string;
  readonly layers: readonly Layer[];
}

/** `{ class_name: 'Sequential', config: { name, layers }, keras_version, backend }`, TF.js-readable. */
export function modelTopology(model: TopologySource): JsonObject {
  return {
    class_name: 'Sequential',
    config: { name: model.name, layers: model.layers.map(layerToJson) },
    keras_version: GENERATED_BY,
    backend: 'kerasm',
  };
}

/** One layer as `{ class_name, config }`, with TF.js's value conventions. */
export function layerToJson(layer: Layer): JsonObject {
  const config = layer.getConfig();
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) out[key] = key.endsWith('_regularizer') ? regularizerForTfjs(value) : value;
  return { class_name: layer.className, config: out };
}

/**
 * TF.js knows only `L1L2`: Keras's `L1` and `L2` are written as `L1L2` with the other
 * coefficient 0 (the same penalty). Other keys of the config (kerasm-only options) stay, where
 * TF.js ignores them.
 */
function regularizerForTfjs(value: unknown): unknown {
  if (!isObject(value) || (value.class_name !== 'L1' && value.class_name !== 'L2')) return value;
  const { l1, l2, ...rest } = isObject(value.config) ? value.config : {};
  return { class_name: 'L1L2', config: { l1: l1 ?? 0, l2: l2 ?? 0, ...rest } };
}

/** The parts of a topology kerasm rebuilds: the model's name and its layers, in order. */
export interface ParsedTopology {
  name: string | undefined;
  layers: Layer[];
}

const WHAT = 'Invalid model topology';

/**
 * Rebuild the layers of a Sequential topology. Accepts the `model_config` wrapper (Keras via
 * tensorflowjs_converter), Keras 2.1's bare layer list, Keras 3's `module` / `registered_name`
 * keys, `DTypePolicy` objects and `batch_shape`.
 */
export function parseTopology(topology: unknown): ParsedTopology {
  if (isArrayBuffer(topology)) throw formatError(WHAT, 'a binary topology is a TF.js graph model, not a layers model; kerasm loads layers models (model.json with "format": "layers-model")');
  if (!isObject(topology)) throw formatError(WHAT, `expected an object { class_name: 'Sequential', config }, received ${topology === null ? 'null' : Array.isArray(topology) ? 'an array' : typeof topology}`);
  const wrapped = own(topology, 'model_config');
  const top = wrapped === undefined || wrapped === null ? topology : wrapped;
  if (!isObject(top)) throw formatError(WHAT, '`model_config` is not an object');
  const className = own(top, 'class_name');
  if (className !== 'Sequential') {
    const cls = typeof className === 'string' ? `'${className}'` : String(className);
    throw new KerasmError(`${WHAT}: the model's class_name is ${cls}; kerasm loads Sequential models only (the functional API is out of scope).`);
  }
  const config = own(top, 'config');
  let layerList: unknown;
  let name: unknown;
  let buildInputShape: unknown;
  if (Array.isArray(config)) layerList = config;
  else if (isObject(config)) {
    layerList = own(config, 'layers');
    name = own(config, 'name');
    buildInputShape = own(config, 'build_input_shape');
  } else throw formatError(WHAT, 'the Sequential config is missing');
  if (!Array.isArray(layerList)) throw formatError(WHAT, '`config.layers` is not an array');
  if (layerList.length === 0) throw formatError(WHAT, 'the model has no layers');
  if (layerList.length > MAX_LAYERS) throw formatError(WHAT, `${layerList.length} layers is more than ${MAX_LAYERS}`);
  if (name !== undefined && name !== null && (typeof name !== 'string' || name.length === 0)) throw formatError(WHAT, '`config.name` is not a non-empty string');
  const layers: Layer[] = [];
  layerList.forEach((entry, i) => {
    if (!isObject(entry)) throw formatError(WHAT, `layer ${i} is not an object { class_name, config }`);
    const cls = own(entry, 'class_name');
    if (typeof cls !== 'string') throw formatError(WHAT, `layer ${i} has no class_name`);
    const raw = own(entry, 'config');
    if (!isObject(raw)) throw formatError(WHAT, `layer ${i} (${cls}) has no config object`);
    const layerConfig = normalizeLayerConfig(raw, cls, i);
    if (i === 0 && cls !== 'InputLayer' && layerConfig.batch_input_shape === undefined && Array.isArray(buildInputShape)) {
      layerConfig.batch_input_shape = buildInputShape;
    }
    layers.push(layerFromConfig(cls, layerConfig));
  });
  return { name: typeof name === 'string' ? name : undefined, layers };
}

/** Keras 3 and TF.js spellings → the keys kerasm's `fromConfig` reads. */
function normalizeLayerConfig(raw: JsonObject, cls: string, index: number): JsonObject {
  const config = stripKeras3Keys(raw) as JsonObject;
  const label = typeof config.name === 'string' ? `'${config.name}'` : `${index}`;
  if (Object.hasOwn(config, 'dtype')) {
    const dtype = dtypeName(config.dtype);
    if (dtype !== null && dtype !== 'float32') {
      throw new KerasmError(`${WHAT}: layer ${label} (${cls}) has dtype ${JSON.stringify(dtype)}; kerasm computes in float32 only.`);
    }
    delete config.dtype;
  }
  if (config.batch_input_shape === undefined && config.batch_shape !== undefined) config.batch_input_shape = config.batch_shape;
  delete config.batch_shape;
  if (config.batch_input_shape === undefined && Array.isArray(config.input_shape)) config.batch_input_shape = [null, ...(config.input_shape as unknown[])];
  return config;
}

/** Keras 3 writes nested objects as `{ module, class_name, config, registered_name }`: keep class_name and config. */
function stripKeras3Keys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripKeras3Keys);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  const nested = typeof v.class_name === 'string' && Object.hasOwn(v, 'config');
  for (const [key, value] of Object.entries(v)) {
    if (nested && (key === 'module' || key === 'registered_name' || key === 'build_config' || key === 'compile_config' || key === 'shared_object_id')) continue;
    out[key] = stripKeras3Keys(value);
  }
  return out;
}

/** `'float32'`, a Keras 3 `DTypePolicy` `{ class_name, config: { name } }`, or null when absent. */
function dtypeName(dtype: unknown): string | null {
  if (dtype === null || dtype === undefined) return null;
  if (typeof dtype === 'string') return dtype;
  if (isObject(dtype) && isObject(dtype.config) && typeof dtype.config.name === 'string') return dtype.config.name;
  return String(JSON.stringify(dtype));
}

// Reading a model topology (TF.js layers format, kerasm's, TF.js's, and Keras 2 / Keras 3 files
// through tensorflowjs_converter) into a description src/model/load.ts builds the model from:
// io makes the layers from their configs, never the model classes.
import { KerasmError } from '../errors.js';
import { layerFromConfig } from '../layers/registry.js';
import { keras2HardSigmoid } from '../layers/recurrent.js';
import { parseFunctional } from './functional-read.js';
import { formatError, isArrayBuffer, isObject, own } from './json.js';
import type { JsonObject } from './json.js';
import { MAX_LAYERS, MODEL_CLASSES, WHAT, entryClass, graphModelError, modelName } from './parsed.js';
import type { ParsedLayer, ParsedModel, ParsedSequential, ReadContext } from './parsed.js';

export { graphModelError } from './parsed.js';
export type { ParsedFunctional, ParsedGraphLayer, ParsedLayer, ParsedModel, ParsedSequential, TensorRef } from './parsed.js';

/**
 * The model a topology describes. Accepts the `model_config` wrapper (Keras via
 * tensorflowjs_converter), Keras 2.1's bare layer list, Keras 3's `module` / `registered_name`
 * keys, `DTypePolicy` objects and `batch_shape`; Sequential, `Model` and `Functional`
 * topologies, nested models among the layers.
 */
export function parseTopology(topology: unknown): ParsedModel {
  if (isArrayBuffer(topology)) throw graphModelError();
  if (!isObject(topology)) throw formatError(WHAT, `expected an object { class_name: 'Sequential', config }, received ${topology === null ? 'null' : Array.isArray(topology) ? 'an array' : typeof topology}`);
  if (own(topology, 'node') !== undefined && own(topology, 'versions') !== undefined) throw graphModelError();
  const wrapped = own(topology, 'model_config');
  const top = wrapped === undefined || wrapped === null ? topology : wrapped;
  if (!isObject(top)) throw formatError(WHAT, '`model_config` is not an object');
  const version = own(topology, 'keras_version');
  const ctx: ReadContext = { keras3: typeof version === 'string' && /^3\./.test(version) };
  ctx.keras2Activations = !ctx.keras3 && !(typeof version === 'string' && version.startsWith('kerasm'));
  const className = own(top, 'class_name');
  if (typeof className !== 'string' || !MODEL_CLASSES.includes(className)) {
    const cls = typeof className === 'string' ? `'${className}'` : String(className);
    throw new KerasmError(`${WHAT}: the model's class_name is ${cls}; kerasm loads ${MODEL_CLASSES.join(', ')} models (layers models).`);
  }
  return parseModel(className, own(top, 'config'), ctx, { count: 0 });
}

/** Layers made so far in this file, against MAX_LAYERS. */
interface Budget {
  count: number;
}

function parseModel(className: string, config: unknown, ctx: ReadContext, budget: Budget): ParsedModel {
  if (className === 'Sequential') return parseSequential(config, ctx, budget);
  return parseFunctional(config, ctx, (cls, entry, i) => parseLayerEntry(cls, entry, i, ctx, budget));
}

function parseSequential(config: unknown, ctx: ReadContext, budget: Budget): ParsedSequential {
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
  const layers = layerList.map((entry, i) => {
    const cls = entryClass(entry, i);
    const raw = (entry as JsonObject).config;
    // Keras 2's build_input_shape stands in for a first layer that declares none.
    const shape = i === 0 && cls !== 'InputLayer' && Array.isArray(buildInputShape) ? buildInputShape : undefined;
    return parseLayerEntry(cls, raw, i, ctx, budget, shape);
  });
  return { kind: 'sequential', name: modelName(name), layers };
}

/** One layer entry: a nested model (parsed whole) or a layer made from its config. */
function parseLayerEntry(cls: string, raw: unknown, i: number, ctx: ReadContext, budget: Budget, buildInputShape?: unknown[]): ParsedLayer {
  if (++budget.count > MAX_LAYERS) throw formatError(WHAT, `more than ${MAX_LAYERS} layers`);
  if (MODEL_CLASSES.includes(cls)) return parseModel(cls, raw, ctx, budget);
  if (!isObject(raw)) throw formatError(WHAT, `layer ${i} (${cls}) has no config object`);
  const config = normalizeLayerConfig(raw, cls, i);
  if (buildInputShape !== undefined && config.batch_input_shape === undefined) config.batch_input_shape = buildInputShape;
  if (ctx.keras2Activations === true) keras2HardSigmoid(cls, config);
  return { kind: 'layer', layer: layerFromConfig(cls, config) };
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

// km.loadModel and km.modelFromJSON: rebuild a Sequential from kerasm, TF.js or Keras files.
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import { Sequential } from '../model/sequential.js';
import { formatError, isArrayBuffer, isObject, own, parseJson, sanitize } from './json.js';
import type { JsonObject } from './json.js';
import { loadArtifacts } from './resolve.js';
import { applyWeights, checkModelSize, checkRestoreOption, kerasmRecord, prepareWeights, restoreTrainingState } from './restore.js';
import { parseTopology } from './topology.js';
import { compileArgsFromJson } from './training-config.js';
import type { LoadOptions, LoadSource } from './types.js';

function build(topology: unknown): Sequential {
  const { name, layers } = parseTopology(topology);
  const model = new Sequential({ name, layers });
  checkModelSize(model);
  return model;
}

/** The training config to compile with: kerasm's own, TF.js's `trainingConfig`, or Keras's `training_config`. */
function trainingConfigOf(record: JsonObject | null, artifactsConfig: unknown, topology: unknown): unknown {
  const kerasm = record === null ? undefined : own(record, 'training_config');
  if (kerasm !== undefined && kerasm !== null) return kerasm;
  if (artifactsConfig !== undefined && artifactsConfig !== null) return sanitize(artifactsConfig, 'Invalid trainingConfig');
  return isObject(topology) ? own(topology, 'training_config') ?? undefined : undefined;
}

/**
 * Load a model saved by kerasm, TF.js (`model.save`) or converted from Keras
 * (tensorflowjs_converter): `file://…/model.json` (Node), `http(s)://…/model.json`, an IO
 * handler `{ load }` or artifacts `{ modelTopology, weightSpecs, weightData }`. With a training
 * config the model comes back compiled; with state saved by `{ includeOptimizer: true }`, the
 * optimizer and the dropout layers' streams continue where they stopped.
 *
 * Loading draws nothing from the process-wide random stream (the file's weights are not
 * initialized first) and leaves it where it is, so another model training in the same process
 * is not affected. `{ restoreGlobalRandomState: true }` sets it back to where the saving
 * process had it: with `includeOptimizer`, the next `fit` then continues bit-identically.
 */
export async function loadModel(source: LoadSource, options?: LoadOptions): Promise<Sequential> {
  options = checkOptions(options, ['compile', 'restoreGlobalRandomState'], 'loadModel');
  if (options.compile !== undefined && typeof options.compile !== 'boolean') throw invalidArgument('compile', 'a boolean', options.compile);
  const restoreGlobal = checkRestoreOption(options.restoreGlobalRandomState);
  const artifacts = await loadArtifacts(source);
  if (artifacts.modelTopology === undefined || artifacts.modelTopology === null) {
    throw formatError('Invalid model artifacts', 'no modelTopology (a file of weights alone, from model.saveWeights, loads with model.loadWeights)');
  }
  const raw = artifacts.modelTopology;
  const topology = isArrayBuffer(raw) ? raw : typeof raw === 'string' ? parseJson(raw, 'Invalid model topology') : sanitize(raw, 'Invalid model topology');
  const weights = prepareWeights(artifacts);
  const record = kerasmRecord(artifacts);
  const model = build(topology);
  try {
    const loaded = weights === null ? null : await applyWeights(model, weights);
    if (options.compile !== false) {
      const config = trainingConfigOf(record, artifacts.trainingConfig, topology);
      if (config !== undefined) {
        try {
          model.compile(compileArgsFromJson(config));
        } catch (e) {
          console.warn(`kerasm: the model was loaded uncompiled. ${(e as Error).message}`);
        }
      }
    }
    if (loaded !== null && weights !== null && record !== null) restoreTrainingState(model, loaded, weights, record, restoreGlobal);
    return model;
  } catch (e) {
    model.dispose();
    if (e instanceof KerasmError) throw e;
    throw new KerasmError(`Cannot load the model: ${(e as Error).message ?? String(e)}`);
  }
}

/**
 * A model from its topology JSON (`model.toJSON()`, a model.json, or the object itself),
 * uncompiled, with fresh weights. TF.js: `tf.models.modelFromJSON`. Nothing is drawn from the
 * random stream until the model is used (its initializers run at the first fit, predict or
 * getWeights).
 */
export async function modelFromJSON(json: string | object): Promise<Sequential> {
  const value = typeof json === 'string' ? parseJson(json, 'Invalid model JSON') : sanitize(json, 'Invalid model JSON');
  const topology = isObject(value) && own(value, 'modelTopology') !== undefined ? value.modelTopology : value;
  return build(topology);
}

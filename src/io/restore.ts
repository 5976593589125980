// Weights and training state from artifacts into a model that exists (loadModel builds one;
// model.loadWeights uses its own). Everything is checked before the model changes.
import { ready } from '../backend/loader.js';
import type { Backend } from '../backend/loader.js';
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import type { LayerWeight } from '../layers/layer.js';
import { globalRandom } from '../random.js';
import { MAX_WEIGHT_BYTES, formatError, isObject, own, sanitize } from './json.js';
import type { JsonObject } from './json.js';
import { loadArtifacts } from './resolve.js';
import { modelTopology } from './topology.js';
import { hasStream, STATE_FORMAT } from './save.js';
import type { StreamLayer } from './save.js';
import { shapeSize } from '../tensor.js';
import type { LoadSource, LoadWeightsOptions, ModelArtifacts, SavableModel } from './types.js';
import { checkWeightData, checkWeightSpecs, joinWeightData, leafLayers, matchWeights, restoreOptimizer, specBytes, weightsHash, writeTensors } from './weights.js';
import type { CheckedSpec } from './weights.js';

/** Largest per-sample activation (elements) a loaded model may declare. */
const MAX_FEATURES = 2 ** 29;

/** Checked weight specs and their bytes. */
export interface PreparedWeights {
  specs: CheckedSpec[];
  bytes: Uint8Array;
}

/** Validate `weightSpecs` against `weightData`; null when the artifacts carry no weights. */
export function prepareWeights(artifacts: ModelArtifacts): PreparedWeights | null {
  const rawSpecs = artifacts.weightSpecs;
  const data = artifacts.weightData;
  if ((rawSpecs === undefined || rawSpecs === null) && (data === undefined || data === null)) return null;
  if (rawSpecs === undefined || rawSpecs === null) throw formatError('Invalid weights', 'the artifacts have weight data but no weight specs');
  const specs = checkWeightSpecs(sanitize(rawSpecs, 'Invalid weights'));
  if (data === undefined || data === null) {
    if (specBytes(specs) > 0) throw formatError('Invalid weights', 'the artifacts have weight specs but no weight data');
    return { specs, bytes: new Uint8Array(0) };
  }
  const bytes = joinWeightData(data);
  checkWeightData(specs, bytes);
  return { specs, bytes };
}

/** The `userDefinedMetadata.kerasm` record of a kerasm file, or null. */
export function kerasmRecord(artifacts: ModelArtifacts): JsonObject | null {
  const meta = artifacts.userDefinedMetadata;
  if (meta === undefined || meta === null) return null;
  const clean = sanitize(meta, 'Invalid userDefinedMetadata');
  const record = isObject(clean) ? own(clean, 'kerasm') : undefined;
  if (!isObject(record)) return null;
  if (record.format !== STATE_FORMAT) throw formatError('Invalid kerasm record', `format ${JSON.stringify(record.format)}; this version reads format ${STATE_FORMAT}`);
  // A file re-saved by another writer (TF.js carries userDefinedMetadata along) has a record
  // that no longer describes it: trust the record only if kerasm wrote the file last and the
  // weights are the ones it lists.
  if (typeof artifacts.generatedBy !== 'string' || !artifacts.generatedBy.startsWith('kerasm ')) return null;
  const names = record.weight_names;
  const specs = artifacts.weightSpecs ?? [];
  if (!Array.isArray(names) || names.length !== specs.length || names.some((n, i) => n !== specs[i]!.name)) return null;
  if (typeof record.weights_hash === 'string' && artifacts.weightData !== undefined && weightsHash(joinWeightData(artifacts.weightData)) !== record.weights_hash) {
    throw formatError('Invalid model files', 'the weights are not the ones this model.json was saved with (a save over this folder was interrupted?): save the model again');
  }
  return record;
}

/** Refuse models whose declared sizes could not be allocated, before anything is. */
export function checkModelSize(model: SavableModel): void {
  const shapes = [...model.inputShapes, ...leafLayers(model).map((l) => l.outputShape ?? [])];
  for (const s of shapes) {
    const n = shapeSize(s);
    if (!(n <= MAX_FEATURES)) throw new KerasmError(`The model declares a per-sample tensor of shape [${s.join(', ')}] (${n} values), more than the ${MAX_FEATURES} kerasm supports.`);
  }
  let params = 0;
  for (const w of model.weights) params += w.size;
  if (!(params * 4 <= MAX_WEIGHT_BYTES)) throw new KerasmError(`The model declares ${params} parameters (${params * 4} bytes), more than the ${MAX_WEIGHT_BYTES} bytes kerasm allocates for weights.`);
}

/**
 * Match, check and copy the model's weights; returns the backend and the pairs matched. The
 * weights the file provides are allocated without running their initializers (which would
 * draw from the global random stream only to be overwritten).
 */
export async function applyWeights(model: SavableModel, w: PreparedWeights): Promise<{ b: Backend; pairs: [LayerWeight, CheckedSpec][] }> {
  const pairs = matchWeights(model, w.specs);
  checkModelSize(model);
  await ready();
  const b = model.ensureAllocated(new Set(pairs.map(([weight]) => weight)));
  writeTensors(b, pairs.map(([weight, spec]) => ({ spec, dst: weight.region! })), w.bytes);
  return { b, pairs };
}

function u32List(v: unknown, n: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== n || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < -(2 ** 31) || x >= 2 ** 32)) {
    throw formatError('Invalid kerasm record', `${what} is not ${n} 32-bit integers`);
  }
  return v as number[];
}

/** `{ restoreGlobalRandomState }` checked (shared by loadModel and loadWeights). */
export function checkRestoreOption(value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalidArgument('restoreGlobalRandomState', 'a boolean', value);
  return value;
}

/** A layer stream's saved state: `[key0, key1, counter]`, or null (its keys were not drawn yet). */
function streamStateOf(v: unknown, name: string): [number, number, number] | null {
  return v === null ? null : u32List(v, 3, `the stream of ${name}`) as [number, number, number];
}

/**
 * Restore the optimizer state (when the model is compiled with the optimizer that wrote it)
 * and the random streams: each Dropout layer's (by name, else by order), and the global one
 * only when `restoreGlobal` (it belongs to the whole process, not to this model).
 */
export function restoreTrainingState(model: SavableModel, loaded: { b: Backend; pairs: [LayerWeight, CheckedSpec][] }, w: PreparedWeights, record: JsonObject, restoreGlobal: boolean): void {
  const opt = own(record, 'optimizer');
  if (isObject(opt) && model.compiled !== null) restoreOptimizer(loaded.b, loaded.pairs, model.compiled.optimizer, opt, w.specs, w.bytes);
  const random = own(record, 'random');
  if (random === undefined) return;
  if (!isObject(random)) throw formatError('Invalid kerasm record', '`random` is not an object');
  const global = u32List(random.global, 4, '`random.global`') as [number, number, number, number];
  const saved = own(random, 'layers') ?? [];
  if (!Array.isArray(saved)) throw formatError('Invalid kerasm record', '`random.layers` is not an array');
  const entries = saved.map((e, i) => {
    if (!isObject(e) || typeof e.name !== 'string') throw formatError('Invalid kerasm record', `\`random.layers[${i}]\` is not { name, state }`);
    return { name: e.name, state: streamStateOf(e.state, e.name) };
  });
  const targets = leafLayers(model).filter(hasStream);
  const byName = targets.every((l) => entries.some((e) => e.name === l.name));
  const pairs: [StreamLayer, [number, number, number] | null][] = [];
  if (byName) for (const l of targets) pairs.push([l, entries.find((e) => e.name === l.name)!.state]);
  else if (entries.length === targets.length) targets.forEach((l, i) => pairs.push([l, entries[i]!.state]));
  for (const [l, s] of pairs) l.streamState = s;
  if (restoreGlobal) globalRandom().setState(global);
}

/**
 * `model.loadWeights(source, { restoreGlobalRandomState })`: weights by name (or order), plus
 * optimizer and layer random state if the file has them (and the global stream when asked).
 */
export async function loadModelWeights(model: SavableModel, source: LoadSource, options?: LoadWeightsOptions): Promise<void> {
  model.checkAlive();
  const restoreGlobal = checkRestoreOption(checkOptions(options, ['restoreGlobalRandomState'], 'loadWeights').restoreGlobalRandomState);
  const artifacts = await loadArtifacts(source, modelTopology(model));
  const w = prepareWeights(artifacts);
  if (w === null) throw formatError('Invalid weights', 'the source holds no weights (weightSpecs and weightData)');
  const record = kerasmRecord(artifacts);
  const loaded = await applyWeights(model, w);
  if (record !== null) restoreTrainingState(model, loaded, w, record, restoreGlobal);
}

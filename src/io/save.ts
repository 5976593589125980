// model.save / model.saveWeights / model.toJSON: artifacts in the TF.js layers format.
// kerasm's compile config and training state travel in `userDefinedMetadata.kerasm`, a field
// TF.js carries without reading; TF.js itself loads the files uncompiled.
import { ready } from '../backend/loader.js';
import { ValueError, checkOptions, invalidArgument } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { globalRandom } from '../random.js';
import type { JsonObject } from './json.js';
import { artifactsInfo } from './model-json.js';
import { fileTargetFor, saveHandlerFor } from './resolve.js';
import type { FileTarget } from './resolve.js';
import { GENERATED_BY, modelTopology } from './topology.js';
import { trainingConfigToJson } from './training-config.js';
import type { ModelArtifacts, SavableModel, SaveOptions, SaveResult, SaveTarget } from './types.js';
import { encodeWeights, joinWeightData, leafLayers, slotNames, weightsHash } from './weights.js';

/** Version of the `userDefinedMetadata.kerasm` record. */
export const STATE_FORMAT = 1;

/**
 * Layers with a random stream of their own (Dropout and its relatives) expose its state; null
 * while an unseeded layer has not drawn its keys yet (they come at its first training step).
 */
export interface StreamLayer {
  streamState: [number, number, number] | null;
}

export function hasStream(layer: Layer): layer is Layer & StreamLayer {
  return 'streamState' in layer;
}

function checkSaveOptions(options: SaveOptions | undefined, where: string): SaveOptions {
  const o = checkOptions(options, ['includeOptimizer'], where);
  if (o.includeOptimizer !== undefined && typeof o.includeOptimizer !== 'boolean') throw invalidArgument('includeOptimizer', 'a boolean', o.includeOptimizer);
  return o;
}

/** The artifacts of a model: topology (unless weights alone), weights, and kerasm's record. */
export async function modelArtifacts(model: SavableModel, options: SaveOptions, withTopology: boolean): Promise<ModelArtifacts> {
  model.checkAlive();
  await ready();
  const optimizer = options.includeOptimizer === true && model.compiled !== null ? model.compiled.optimizer : null;
  const { specs, data } = encodeWeights(model, optimizer);
  // The names of the weights this record describes: another writer that re-saves the file keeps
  // userDefinedMetadata but rewrites the weights, and the record must not outlive that.
  const kerasm: JsonObject = { format: STATE_FORMAT, weight_names: specs.map((s) => s.name), weights_hash: weightsHash(joinWeightData(data)) };
  if (withTopology && model.compiled !== null) kerasm.training_config = trainingConfigToJson(model.compiled);
  if (optimizer !== null) kerasm.optimizer = { class_name: optimizer.className, slot_names: slotNames(optimizer) };
  if (options.includeOptimizer === true) {
    const layers = leafLayers(model).filter(hasStream).map((l) => ({ name: l.name, state: l.streamState?.slice() ?? null }));
    kerasm.random = { global: globalRandom().getState(), layers };
  }
  const artifacts: ModelArtifacts = {};
  if (withTopology) artifacts.modelTopology = modelTopology(model);
  artifacts.format = 'layers-model';
  artifacts.generatedBy = GENERATED_BY;
  artifacts.convertedBy = null;
  artifacts.weightSpecs = specs;
  artifacts.weightData = data;
  artifacts.userDefinedMetadata = { kerasm };
  return artifacts;
}

/**
 * Save to a file of another format (`.keras`, `.h5`, `.weights.h5`: formats.ts). The writer
 * gets the artifacts with the topology even for weights alone (Keras 3 keys weights by it).
 */
async function saveFile(model: SavableModel, file: FileTarget, options: SaveOptions, weightsCall: boolean): Promise<SaveResult> {
  if (weightsCall && file.format.weightsOnly !== true) {
    throw new ValueError(`model.saveWeights writes weights alone: name the file '….weights.h5' (Keras 3 requires that ending), or call model.save for a ${file.format.what} file.`);
  }
  const artifacts = await modelArtifacts(model, options, true);
  await file.write(await file.format.write!(artifacts, model));
  return { modelArtifactsInfo: artifactsInfo(artifacts) };
}

/** `model.save(target, { includeOptimizer })`. */
export async function saveModel(model: SavableModel, target: SaveTarget, options?: SaveOptions): Promise<SaveResult> {
  const file = fileTargetFor(target);
  if (file !== null) return saveFile(model, file, checkSaveOptions(options, 'model.save'), false);
  const handler = saveHandlerFor(target);
  const artifacts = await modelArtifacts(model, checkSaveOptions(options, 'model.save'), true);
  const result = await handler.save(artifacts);
  return result ?? { modelArtifactsInfo: artifactsInfo(artifacts) };
}

/** `model.saveWeights(target, { includeOptimizer })`: the same files without the topology. */
export async function saveModelWeights(model: SavableModel, target: SaveTarget, options?: SaveOptions): Promise<SaveResult> {
  const file = fileTargetFor(target);
  if (file !== null) return saveFile(model, file, checkSaveOptions(options, 'model.saveWeights'), true);
  const handler = saveHandlerFor(target);
  const artifacts = await modelArtifacts(model, checkSaveOptions(options, 'model.saveWeights'), false);
  const result = await handler.save(artifacts);
  return result ?? { modelArtifactsInfo: artifactsInfo(artifacts) };
}

// `km.io`: IO handlers with TF.js's shapes, so models pass between kerasm and TF.js in memory.
import { invalidArgument } from '../errors.js';
import type { IOHandler, ModelArtifacts, SaveResult, WeightData, WeightSpec } from './types.js';

export { fileSystem } from './file-system.js';
export { http } from './http.js';
export type { HttpOptions } from './http.js';
export type {
  IOHandler, LoadOptions, LoadSource, LoadWeightsOptions, ModelArtifacts, ModelArtifactsInfo, SaveOptions, SaveResult, SaveTarget, WeightData, WeightSpec,
} from './types.js';

/** A handler whose `save` calls `fn` with the artifacts (TF.js `tf.io.withSaveHandler`). */
export function withSaveHandler(fn: (artifacts: ModelArtifacts) => Promise<SaveResult>): IOHandler {
  if (typeof fn !== 'function') throw invalidArgument('fn', 'a function (artifacts) => Promise<SaveResult>', fn);
  return { save: fn };
}

/**
 * A handler whose `load` returns these artifacts (TF.js `tf.io.fromMemory`): an artifacts
 * object, or TF.js's older argument list `(modelTopology, weightSpecs, weightData, trainingConfig)`.
 */
export function fromMemory(artifactsOrTopology: ModelArtifacts | unknown, weightSpecs?: WeightSpec[], weightData?: WeightData, trainingConfig?: unknown): IOHandler {
  if (artifactsOrTopology === null || typeof artifactsOrTopology !== 'object') {
    throw invalidArgument('artifacts', 'an object { modelTopology, weightSpecs, weightData }', artifactsOrTopology);
  }
  const a = artifactsOrTopology as ModelArtifacts;
  const isArtifacts = weightSpecs === undefined && (a.modelTopology !== undefined || a.weightSpecs !== undefined);
  const artifacts: ModelArtifacts = isArtifacts ? a : { modelTopology: artifactsOrTopology, weightSpecs, weightData, trainingConfig };
  return { load: () => Promise.resolve(artifacts) };
}

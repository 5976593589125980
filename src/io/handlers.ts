// `km.io`: IO handlers with TF.js's shapes, so models pass between kerasm and TF.js in memory.
// The file and http handlers load their code on first use, from the one lazily loaded module
// behind all saving and loading (model/io-entry.ts), so the core bundle stays small.
import { KerasmError, invalidArgument } from '../errors.js';
import type { HttpOptions } from './http.js';
import type { IOHandler, ModelArtifacts, SaveResult, WeightData, WeightSpec } from './types.js';

export type { HttpOptions } from './http.js';

/** An IO handler for a folder (save) or a model.json path (load), in Node. TF.js node: `tf.io.fileSystem`. */
export function fileSystem(pathOrUrl: string): IOHandler {
  if (typeof pathOrUrl !== 'string' || pathOrUrl.length === 0 || pathOrUrl === 'file://') throw invalidArgument('pathOrUrl', "a folder path or 'file://' URL", pathOrUrl);
  const handler = () => import('../model/io-entry.js').then((m) => m.fileSystem(pathOrUrl));
  return {
    save: (artifacts: ModelArtifacts) => handler().then((h) => h.save!(artifacts)),
    load: () => handler().then((h) => h.load!()),
  };
}

/** A loading handler for an http(s):// URL of a model.json. TF.js: `tf.io.http`. */
export function http(url: string, options: HttpOptions = {}): IOHandler {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new KerasmError(`Invalid URL ${JSON.stringify(url)}: expected http(s)://…/model.json`);
  return {
    load: () => import('../model/io-entry.js').then((m) => m.http(url, options).load!()),
    save: () => Promise.reject(new KerasmError('Saving to http(s):// is not supported: save through an IO handler (km.io.withSaveHandler) and upload its artifacts.')),
  };
}
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

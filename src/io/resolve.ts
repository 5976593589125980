// Where a save goes and a load comes from: a URL string, an IO handler or artifacts.
import { KerasmError, invalidArgument } from '../errors.js';
import { fileSystem } from './file-system.js';
import { http } from './http.js';
import type { IOHandler, ModelArtifacts } from './types.js';

/** The handler `model.save(target)` writes through. */
export function saveHandlerFor(target: unknown): IOHandler & { save: NonNullable<IOHandler['save']> } {
  if (typeof target === 'string') {
    if (target.startsWith('file://')) return fileSystem(target) as IOHandler & { save: NonNullable<IOHandler['save']> };
    if (/^https?:\/\//i.test(target)) throw new KerasmError('Saving to http(s):// is not supported: save through an IO handler (km.io.withSaveHandler) and upload its artifacts.');
    throw invalidArgument('target', "a 'file://' path or an IO handler { save }", target);
  }
  if (target !== null && typeof target === 'object' && typeof (target as IOHandler).save === 'function') {
    return target as IOHandler & { save: NonNullable<IOHandler['save']> };
  }
  throw invalidArgument('target', "a 'file://' path or an IO handler { save }", target);
}

/** The artifacts behind a load source: a URL, a handler `{ load }` or artifacts themselves. */
export async function loadArtifacts(source: unknown): Promise<ModelArtifacts> {
  let artifacts: unknown;
  if (typeof source === 'string') {
    if (source.startsWith('file://')) artifacts = await fileSystem(source).load!();
    else if (/^https?:\/\//i.test(source)) artifacts = await http(source).load!();
    else throw invalidArgument('source', "a 'file://' or 'http(s)://' URL of a model.json, an IO handler { load } or artifacts", source);
  } else if (source !== null && typeof source === 'object' && typeof (source as IOHandler).load === 'function') {
    artifacts = await (source as IOHandler).load!();
  } else if (source !== null && typeof source === 'object' && ('modelTopology' in source || 'weightSpecs' in source)) {
    artifacts = source;
  } else {
    throw invalidArgument('source', "a 'file://' or 'http(s)://' URL of a model.json, an IO handler { load } or artifacts", source);
  }
  if (artifacts === null || typeof artifacts !== 'object') throw new KerasmError('Invalid model artifacts: the handler\'s load() did not return an object { modelTopology, weightSpecs, weightData }');
  return artifacts as ModelArtifacts;
}

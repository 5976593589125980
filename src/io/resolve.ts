// Where a save goes and a load comes from: a URL string, an IO handler, artifacts, or the bytes
// of a Keras file. A URL whose name ends as a row of formats.ts (`.keras`, `.h5`, `.weights.h5`)
// goes through that row's reader or writer; any other is a TF.js-format model.json.
import { KerasmError, ValueError, invalidArgument, invalidArgumentAt } from '../errors.js';
import { fetchBytes, http } from './http.js';
import { fileSystem, readFileBytes, writeFileBytes } from './file-system.js';
import { FILE_FORMATS, formatOfBytes, formatOfName, MAX_FILE_BYTES } from './formats.js';
import type { FileFormat } from './formats.js';
import type { IOHandler, ModelArtifacts } from './types.js';

const SAVE_EXPECTED = `a 'file://' path (a folder for model.json, or a file ending ${FILE_FORMATS.map((f) => f.ext).join(', ')}) or an IO handler { save }`;
const LOAD_EXPECTED = `a 'file://' or 'http(s)://' URL of a model.json or a ${FILE_FORMATS.filter((f) => f.read !== undefined).map((f) => f.ext).join(' / ')} file, its bytes, an IO handler { load } or artifacts`;

/** A file-format target of `model.save`: the format and the bytes' destination. */
export interface FileTarget {
  format: FileFormat;
  write: (bytes: Uint8Array) => Promise<void>;
}

/** The format and destination when `target` names a file of another format than model.json. */
export function fileTargetFor(target: unknown): FileTarget | null {
  if (typeof target !== 'string') return null;
  const format = formatOfName(target);
  if (format === undefined) return null;
  if (format.write === undefined) throw new KerasmError(`kerasm reads ${format.what} files but does not write them.`);
  if (/^https?:\/\//i.test(target)) throw new KerasmError('Saving to http(s):// is not supported: save through an IO handler (km.io.withSaveHandler) and upload its artifacts.');
  if (!target.startsWith('file://')) throw new ValueError(`${invalidArgument('target', SAVE_EXPECTED, target).message}. Write 'file://${target}': kerasm takes URLs, as TF.js does, where Keras takes a path.`);
  return { format, write: (bytes) => writeFileBytes(target, bytes) };
}

/** The handler `model.save(target)` writes through. */
export function saveHandlerFor(target: unknown): IOHandler & { save: NonNullable<IOHandler['save']> } {
  if (typeof target === 'string') {
    if (target.startsWith('file://')) return fileSystem(target) as IOHandler & { save: NonNullable<IOHandler['save']> };
    if (/^https?:\/\//i.test(target)) throw new KerasmError('Saving to http(s):// is not supported: save through an IO handler (km.io.withSaveHandler) and upload its artifacts.');
    throw invalidArgument('target', SAVE_EXPECTED, target);
  }
  if (target !== null && typeof target === 'object' && typeof (target as IOHandler).save === 'function') {
    return target as IOHandler & { save: NonNullable<IOHandler['save']> };
  }
  throw invalidArgument('target', SAVE_EXPECTED, target);
}

function bytesOf(source: unknown): Uint8Array | null {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return null;
}

/** The artifacts of a file of another format, from its bytes. */
async function readFormat(format: FileFormat, bytes: Uint8Array, ownTopology: unknown): Promise<ModelArtifacts> {
  if (format.read === undefined) throw new KerasmError(`kerasm writes ${format.what} files but does not read them.`);
  return format.read(bytes, ownTopology);
}

/**
 * The artifacts behind a load source: a URL, a handler `{ load }`, artifacts themselves, or a
 * Keras file's bytes. `ownTopology`: the topology of the model loading weights (model.loadWeights).
 */
export async function loadArtifacts(source: unknown, ownTopology?: unknown): Promise<ModelArtifacts> {
  let artifacts: unknown;
  const bytes = bytesOf(source);
  const format = typeof source === 'string' ? formatOfName(source) : undefined;
  if (bytes !== null) {
    const f = formatOfBytes(bytes);
    if (f === undefined) throw invalidArgumentAt('source', LOAD_EXPECTED, `${bytes.length} bytes starting neither as a zip (.keras) nor as HDF5 (.h5)`);
    if (bytes.length > MAX_FILE_BYTES) throw new KerasmError(`Cannot load ${bytes.length} bytes: more than the ${MAX_FILE_BYTES} a model file may have`);
    artifacts = await readFormat(f, bytes, ownTopology);
  } else if (typeof source === 'string') {
    if (source.startsWith('file://')) artifacts = format !== undefined ? await readFormat(format, await readFileBytes(source, MAX_FILE_BYTES), ownTopology) : await fileSystem(source).load!();
    else if (/^https?:\/\//i.test(source)) artifacts = format !== undefined ? await readFormat(format, await fetchBytes(source, MAX_FILE_BYTES), ownTopology) : await http(source).load!();
    else throw invalidArgument('source', LOAD_EXPECTED, source);
  } else if (source !== null && typeof source === 'object' && typeof (source as IOHandler).load === 'function') {
    artifacts = await (source as IOHandler).load!();
  } else if (source !== null && typeof source === 'object' && ('modelTopology' in source || 'weightSpecs' in source)) {
    artifacts = source;
  } else {
    throw invalidArgument('source', LOAD_EXPECTED, source);
  }
  if (artifacts === null || typeof artifacts !== 'object') throw new KerasmError('Invalid model artifacts: the handler\'s load() did not return an object { modelTopology, weightSpecs, weightData }');
  return artifacts as ModelArtifacts;
}

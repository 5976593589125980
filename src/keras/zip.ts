// The `.keras` zip through fflate: entries checked from the central directory (names, count,
// declared sizes, compression ratio) before any is inflated, and inflated sizes checked after.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { UnzipFileInfo } from 'fflate';
import { KerasmError } from '../errors.js';
import { MAX_JSON_BYTES, MAX_WEIGHT_BYTES } from '../io/json.js';

/** What a `.keras` archive holds (Keras 3 writes these three; `assets/` may be there too). */
export const ENTRIES = { config: 'config.json', metadata: 'metadata.json', weights: 'model.weights.h5' } as const;

const LIMITS: Record<string, number> = {
  [ENTRIES.config]: MAX_JSON_BYTES, [ENTRIES.metadata]: 1024 * 1024, [ENTRIES.weights]: MAX_WEIGHT_BYTES + 64 * 1024 * 1024,
};

/** Deflate's largest possible ratio: a larger claim is a zip bomb. */
const MAX_RATIO = 1032;

function badZip(problem: string): KerasmError {
  return new KerasmError(`Invalid .keras file: ${problem}`);
}

/** A zip's local-file signature, the first bytes of every .keras file. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function checkEntry(f: UnzipFileInfo): boolean {
  const name = f.name;
  if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..') || name.includes('\0')) {
    throw badZip(`the entry '${name}' escapes the archive (absolute path or '..')`);
  }
  if (!Object.hasOwn(LIMITS, name)) return false; // assets/ and anything else: not read
  const limit = LIMITS[name]!;
  if (f.originalSize > limit) throw badZip(`the entry '${name}' declares ${f.originalSize} bytes, more than the ${limit} kerasm reads`);
  if (f.compression !== 0 && f.compression !== 8) throw badZip(`the entry '${name}' uses zip compression method ${f.compression}; Keras writes stored or deflated entries`);
  if (f.compression === 8 && f.originalSize > f.size * MAX_RATIO + 1024) throw badZip(`the entry '${name}' claims ${f.originalSize} bytes from ${f.size} compressed (a zip bomb?)`);
  return true;
}

/** config.json (parsed later), metadata.json and the weights file of a `.keras` archive. */
export function readArchive(bytes: Uint8Array): { config: string; metadata: string | null; weights: Uint8Array } {
  let files: Record<string, Uint8Array>;
  const declared = new Map<string, number>();
  try {
    files = unzipSync(bytes, { filter: (f) => checkEntry(f) && (declared.set(f.name, f.originalSize), true) });
  } catch (e) {
    if (e instanceof KerasmError) throw e;
    throw badZip(`the zip does not read (${String((e as Error)?.message ?? e)}): a truncated or damaged file?`);
  }
  for (const [name, data] of Object.entries(files)) {
    if (data.length !== declared.get(name)) throw badZip(`the entry '${name}' inflates to ${data.length} bytes, not the ${declared.get(name)} its header declares`);
  }
  const config = files[ENTRIES.config];
  const weights = files[ENTRIES.weights];
  if (config === undefined) throw badZip(`no ${ENTRIES.config} in the archive (is this a Keras 3 .keras file?)`);
  if (weights === undefined) throw badZip(`no ${ENTRIES.weights} in the archive`);
  const metadata = files[ENTRIES.metadata];
  return { config: strFromU8(config), metadata: metadata === undefined ? null : strFromU8(metadata), weights };
}

/** The archive Keras 3 writes: metadata.json, config.json, model.weights.h5 (stored, as Keras does). */
export function writeArchive(config: string, metadata: string, weights: Uint8Array): Uint8Array {
  const mtime = new Date(1980, 0, 1);
  return zipSync({
    [ENTRIES.metadata]: [strToU8(metadata), { level: 0, mtime }],
    [ENTRIES.config]: [strToU8(config), { level: 0, mtime }],
    [ENTRIES.weights]: [weights, { level: 0, mtime }],
  });
}

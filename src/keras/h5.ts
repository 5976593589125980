// HDF5 through h5wasm (the HDF5 C library compiled to wasm, in-memory file system): open bytes,
// walk groups, read attributes and float32 datasets with their sizes checked from the metadata
// first, and write a file back to bytes. Nothing here touches node: APIs, so browsers run it too.
import h5wasm from 'h5wasm';
import type { Dataset, Dtype, File as H5File, Group } from 'h5wasm';
import { KerasmError } from '../errors.js';
import { MAX_WEIGHT_BYTES } from '../io/json.js';

type Fs = { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };

let fsPromise: Promise<Fs> | null = null;

/** The library's in-memory file system (h5wasm compiles its wasm on first use). */
function fs(): Promise<Fs> {
  fsPromise ??= h5wasm.ready.then((m) => (m as unknown as { FS: Fs }).FS);
  return fsPromise;
}

let counter = 0;
const tempName = (): string => `/kerasm-${Date.now().toString(36)}-${(counter++).toString(36)}.h5`;

/** H5T classes (H5Tpublic.h). */
export const H5T_INTEGER = 0;
export const H5T_FLOAT = 1;
export const H5T_STRING = 3;

/**
 * Deflate cannot expand data by more than ~1032x, so a dataset declaring more bytes than that
 * over the file's own size is a lie (or a bomb): refused before HDF5 allocates it.
 */
const MAX_EXPANSION = 1032;

function badFile(problem: string): KerasmError {
  return new KerasmError(`Invalid HDF5 file: ${problem}`);
}

function readAddress(view: DataView, at: number, size: number): number {
  if (size === 4) return view.getUint32(at, true);
  if (size === 8) return Number(view.getBigUint64(at, true));
  throw badFile(`its superblock gives ${size}-byte addresses (HDF5 uses 4 or 8)`);
}

/**
 * The superblock at offset 0 (where Keras's files have it) says how long the file is: fewer bytes
 * than that is a truncated file, refused before HDF5 reads past the end.
 */
export function checkSuperblock(bytes: Uint8Array): void {
  if (bytes.length < 48) throw badFile(`${bytes.length} bytes are too few for an HDF5 superblock: a truncated file?`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[8]!;
  let eofAt: number;
  let size: number;
  if (version === 0 || version === 1) {
    size = bytes[13]!;
    eofAt = (version === 0 ? 24 : 28) + 2 * size;
  } else if (version === 2 || version === 3) {
    size = bytes[9]!;
    eofAt = 12 + 2 * size;
  } else {
    throw badFile(`superblock version ${version}; HDF5 has 0 to 3`);
  }
  if (eofAt + size > bytes.length) throw badFile('the superblock is cut short: a truncated file?');
  const eof = readAddress(view, eofAt, size);
  if (eof > bytes.length) throw badFile(`the file says it has ${eof} bytes, but only ${bytes.length} are there: a truncated file?`);
}

/** Run `fn` on the file opened read-only from `bytes`; the file is closed and removed after. */
export async function withH5Read<T>(bytes: Uint8Array, fn: (f: H5File) => T): Promise<T> {
  checkSuperblock(bytes);
  const FS = await fs();
  const name = tempName();
  FS.writeFile(name, bytes);
  let f: H5File | null = null;
  try {
    try {
      f = new h5wasm.File(name, 'r');
    } catch (e) {
      throw badFile(`the bytes do not open as HDF5 (${String((e as Error)?.message ?? e)}): a truncated or damaged file?`);
    }
    if (!f.file_id || f.file_id < 0n) throw badFile('the bytes do not open as HDF5: a truncated or damaged file?');
    try {
      return fn(f);
    } catch (e) {
      // HDF5 itself failing on damaged metadata (h5wasm throws strings or plain Errors).
      if (e instanceof KerasmError) throw e;
      throw badFile(`it does not read (${String((e as Error)?.message ?? e)}): a damaged file?`);
    }
  } finally {
    try {
      f?.close();
    } catch {
      // already failed; the error that matters is the one thrown above
    }
    FS.unlink(name);
  }
}

/** A new file built by `fn`, returned as bytes. */
export async function withH5Write(fn: (f: H5File) => void): Promise<Uint8Array> {
  const FS = await fs();
  const name = tempName();
  try {
    const f = new h5wasm.File(name, 'w');
    try {
      fn(f);
    } finally {
      f.close();
    }
    return FS.readFile(name);
  } finally {
    try {
      FS.unlink(name);
    } catch {
      // never created
    }
  }
}

/** The child `name` of `g` if it is a group, else null. */
export function childGroup(g: Group, name: string): Group | null {
  if (!g.keys().includes(name)) return null;
  const c = g.get(name);
  return c instanceof h5wasm.Group ? c : null;
}

/** The object at `path` in `g` if it is a dataset, else null. */
export function dataset(g: Group, path: string): Dataset | null {
  const c = g.get(path);
  return c instanceof h5wasm.Dataset ? c : null;
}

/** A string attribute (or null when absent); `what` names it in errors. */
export function stringAttr(g: Group, name: string): string | null {
  if (!Object.hasOwn(g.attrs, name)) return null;
  const a = g.attrs[name]!;
  if (a.metadata.type !== H5T_STRING) throw badFile(`the attribute '${name}' of '${g.path}' is not a string`);
  const v = a.value;
  if (typeof v === 'string') return v;
  throw badFile(`the attribute '${name}' of '${g.path}' is not one string`);
}

/** A list-of-strings attribute: Keras's `layer_names` / `weight_names` (an empty float64 array when empty). */
export function stringListAttr(g: Group, name: string): string[] | null {
  if (!Object.hasOwn(g.attrs, name)) return null;
  const a = g.attrs[name]!;
  const shape = a.shape ?? [];
  if (a.metadata.type !== H5T_STRING) {
    if (shape.length === 1 && shape[0] === 0) return [];
    throw badFile(`the attribute '${name}' of '${g.path}' is not a list of strings`);
  }
  const v = a.value;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw badFile(`the attribute '${name}' of '${g.path}' is not a list of strings`);
}

/** Shape and element count of a dataset from its metadata, checked before anything is read. */
export function checkedShape(d: Dataset, fileBytes: number): number[] {
  const m = d.metadata;
  const shape = m.shape ?? [];
  let n = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw badFile(`the dataset '${d.path}' has shape [${shape.join(', ')}]`);
    n *= s;
  }
  const bytes = n * m.size;
  if (!(bytes <= MAX_WEIGHT_BYTES) || bytes > fileBytes * MAX_EXPANSION + 4096) {
    throw badFile(`the dataset '${d.path}' declares ${bytes} bytes (shape [${shape.join(', ')}]) in a file of ${fileBytes}: oversized or damaged`);
  }
  return shape;
}

/** A float32 dataset's values (checked: class float, 4 bytes, little-endian, bounded size). */
export function readFloat32(d: Dataset, fileBytes: number): { shape: number[]; values: Float32Array } {
  const shape = checkedShape(d, fileBytes);
  const m = d.metadata;
  if (m.type !== H5T_FLOAT || m.size !== 4) {
    throw badFile(`the weight '${d.path}' has HDF5 dtype ${JSON.stringify(d.dtype)}; Keras model weights are float32 ('<f4'): re-save the model in float32`);
  }
  const v = d.value;
  if (!(v instanceof Float32Array) || v.length !== shape.reduce((a, b) => a * b, 1)) throw badFile(`the weight '${d.path}' did not read as ${shape.join('x')} float32 values`);
  return { shape, values: v };
}

/** A scalar integer dataset (an optimizer's iteration count). */
export function readScalarInt(d: Dataset, fileBytes: number): number {
  const shape = checkedShape(d, fileBytes);
  if (d.metadata.type !== H5T_INTEGER || shape.length !== 0) throw badFile(`'${d.path}' is not an integer scalar`);
  const v = d.value;
  return typeof v === 'bigint' ? Number(v) : Number(v as number);
}

export function writeFloat32(g: Group, name: string, shape: readonly number[], values: Float32Array): void {
  g.create_dataset({ name, data: values, shape: shape.slice(), dtype: '<f4' });
}

export function writeAttr(g: Group, name: string, value: string | string[] | Float64Array, dtype: Dtype): void {
  if (value instanceof Float64Array) g.create_attribute(name, value, [value.length], dtype);
  else if (Array.isArray(value)) g.create_attribute(name, value, [value.length], dtype);
  else g.create_attribute(name, value, [], dtype);
}

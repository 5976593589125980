// Model files of other formats than TF.js's model.json, told by their name's ending (or, for
// bytes, by their first bytes). Each row's reader and writer load their entry on first use
// (`kerasm/keras`: fflate and h5wasm), so neither the core nor the TF.js-format code carries them.
// A new format is one row.
import type { ModelArtifacts, SavableModel } from './types.js';

export interface FileFormat {
  /** The file name's ending, lower case (`.weights.h5` is listed before `.h5`). */
  ext: string;
  /** What the file is, for messages. */
  what: string;
  /** Whether bytes handed to loadModel are this format (first bytes). */
  sniff?: (bytes: Uint8Array) => boolean;
  /** Bytes → artifacts; `ownTopology` is the loading model's own, for files of weights alone. */
  read?: (bytes: Uint8Array, ownTopology?: unknown) => Promise<ModelArtifacts>;
  /** The model (and its artifacts, weights included) → the file's bytes. */
  write?: (artifacts: ModelArtifacts, model: SavableModel) => Promise<Uint8Array>;
  /** A file of weights alone (`model.saveWeights` writes it; `loadModel` cannot build from it). */
  weightsOnly?: boolean;
}

const keras = () => import('../keras/index.js');
const isZip = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isHdf5 = (b: Uint8Array): boolean => b.length >= 8 && [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x);
const readKeras = async (bytes: Uint8Array, own?: unknown) => (await keras()).readKerasFile(bytes, own);

export const FILE_FORMATS: readonly FileFormat[] = [
  { ext: '.weights.h5', what: 'Keras 3 weights (save_weights)', read: readKeras, write: async (a) => (await keras()).writeWeightsH5(a), weightsOnly: true },
  { ext: '.keras', what: 'Keras 3 model (.keras)', sniff: isZip, read: readKeras, write: async (a) => (await keras()).writeDotKeras(a) },
  { ext: '.h5', what: 'Keras HDF5 model (.h5)', sniff: isHdf5, read: readKeras, write: async (a) => (await keras()).writeLegacyH5(a) },
  // km.exportOnnx's graph (src/onnx, loaded on first use); written, not read.
  { ext: '.onnx', what: 'ONNX model (.onnx)', write: async (_a, model) => (await import('../onnx/export.js')).exportOnnx(model as never) },
];

/** The format a file name or URL names by its ending (query and fragment ignored), if any. */
export function formatOfName(name: string): FileFormat | undefined {
  const path = name.replace(/[?#].*$/, '').toLowerCase();
  return FILE_FORMATS.find((f) => path.endsWith(f.ext));
}

/** The format of bytes, by their first bytes. */
export function formatOfBytes(bytes: Uint8Array): FileFormat | undefined {
  return FILE_FORMATS.find((f) => f.sniff?.(bytes) === true);
}

/** The largest model file kerasm reads whole (the weights' limit and room for the rest). */
export const MAX_FILE_BYTES = 2 ** 31 + 64 * 1024 * 1024;

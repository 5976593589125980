// file:// in Node (and Deno, Bun): model.json + weights.bin, each written to a temporary file,
// flushed, then renamed into place. node:fs is imported on first use only; browser and Worker
// bundles get file-system.web.ts instead (package.json "browser" field), so bundlers never meet a
// node: import.
import { KerasmError } from '../errors.js';
import { artifactsFromModelJson, artifactsInfo, checkJsonSize, modelJsonText, WEIGHTS_FILE } from './model-json.js';
import { joinWeightData } from './weights.js';
import type { IOHandler, ModelArtifacts, SaveResult } from './types.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

async function node(): Promise<{ fs: Fs; path: Path }> {
  try {
    const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
    return { fs, path };
  } catch {
    throw new KerasmError('file:// paths need Node.js (node:fs). Elsewhere save and load through an IO handler (km.io.withSaveHandler, km.io.fromMemory) or http(s)://.');
  }
}

/** `file://./dir` → `./dir`; `file:///abs/dir` → `/abs/dir`. */
function filePath(url: string): string {
  const p = url.slice('file://'.length);
  if (p.length === 0) throw new KerasmError(`Invalid file URL '${url}': expected file://path/to/dir (save) or file://path/to/model.json (load)`);
  return p;
}

function fsError(action: string, target: string, e: unknown): KerasmError {
  return new KerasmError(`Cannot ${action} ${target}: ${(e as Error).message ?? String(e)}`);
}

/** Write model.json and weights.bin into `dir` (created if needed), atomically per file. */
async function saveToDir(dir: string, artifacts: ModelArtifacts): Promise<SaveResult> {
  const { fs, path } = await node();
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw fsError('create the folder', dir, e);
  }
  const tag = `.tmp-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
  const jsonPath = path.join(dir, 'model.json');
  const binPath = path.join(dir, WEIGHTS_FILE);
  const temps: string[] = [];
  const writeTemp = async (final: string, data: string | Uint8Array): Promise<string> => {
    const tmp = final + tag;
    temps.push(tmp);
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    return tmp;
  };
  try {
    const weights = artifacts.weightData === undefined ? new Uint8Array(0) : joinWeightData(artifacts.weightData);
    const binTmp = await writeTemp(binPath, weights);
    const jsonTmp = await writeTemp(jsonPath, modelJsonText(artifacts));
    // weights.bin first: model.json, the file a loader opens, appears only once its weights are in place.
    await fs.rename(binTmp, binPath);
    await fs.rename(jsonTmp, jsonPath);
  } catch (e) {
    await Promise.all(temps.map((t) => fs.rm(t, { force: true }).catch(() => undefined)));
    if (e instanceof KerasmError) throw e;
    throw fsError('save the model to', dir, e);
  }
  return { modelArtifactsInfo: artifactsInfo(artifacts) };
}

/** Read model.json (or `dir/model.json`) and the weight files its manifest names. */
async function loadFromPath(target: string): Promise<ModelArtifacts> {
  const { fs, path } = await node();
  let jsonPath = target;
  let text: string;
  try {
    let st = await fs.stat(jsonPath);
    if (st.isDirectory()) {
      jsonPath = path.join(jsonPath, 'model.json');
      st = await fs.stat(jsonPath);
    }
    checkJsonSize(st.size, jsonPath);
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (e) {
    if (e instanceof KerasmError) throw e;
    throw fsError('read the model file', jsonPath, e);
  }
  const dir = path.dirname(jsonPath);
  return artifactsFromModelJson(text, jsonPath, async (p, limit) => {
    const full = path.join(dir, p);
    try {
      const st = await fs.stat(full);
      if (st.size > limit) throw new KerasmError(`Invalid weights: ${full} has ${st.size} bytes, more than the ${limit} the manifest leaves for it (oversized weights)`);
      const buf = await fs.readFile(full);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    } catch (e) {
      if (e instanceof KerasmError) throw e;
      throw fsError('read the weight file', full, e);
    }
  });
}

/** The bytes of one file (a `.keras` or `.h5` model), refused past `limit` bytes before reading. */
export async function readFileBytes(url: string, limit: number): Promise<Uint8Array> {
  const { fs } = await node();
  const p = filePath(url);
  try {
    const st = await fs.stat(p);
    if (st.size > limit) throw new KerasmError(`Cannot load ${p}: ${st.size} bytes, more than the ${limit} a model file may have`);
    return new Uint8Array(await fs.readFile(p));
  } catch (e) {
    if (e instanceof KerasmError) throw e;
    throw fsError('read the model file', p, e);
  }
}

/** Write one file (its folder created if needed) through a temporary file renamed into place. */
export async function writeFileBytes(url: string, bytes: Uint8Array): Promise<void> {
  const { fs, path } = await node();
  const p = filePath(url);
  const tmp = `${p}.tmp-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
  try {
    await fs.mkdir(path.dirname(p), { recursive: true });
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, p);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw fsError('save the model to', p, e);
  }
}

/** An IO handler for a folder (save) or a model.json path (load), in Node. TF.js node: `tf.io.fileSystem`. */
export function fileSystem(pathOrUrl: string): IOHandler {
  const p = pathOrUrl.startsWith('file://') ? filePath(pathOrUrl) : pathOrUrl;
  return {
    // A folder; `…/model.json` names the same folder.
    save: (artifacts: ModelArtifacts) => saveToDir(/(^|[\\/])model\.json$/.test(p) ? p.slice(0, -'model.json'.length) || '.' : p, artifacts),
    load: () => loadFromPath(p),
  };
}

// model.json: artifacts with a weights manifest instead of inline specs, and its weight files
// (`weights.bin`, or converter shards `group1-shard1of2.bin` …), for file:// and http(s)://.
import { KerasmError } from '../errors.js';
import { MAX_JSON_BYTES, MAX_WEIGHT_BYTES, formatError, isObject, own, parseJson } from './json.js';
import type { JsonObject } from './json.js';
import type { ModelArtifacts, ModelArtifactsInfo, WeightSpec } from './types.js';
import { checkWeightSpecs, specBytes } from './weights.js';

/** The name kerasm gives the weight file next to model.json (TF.js's). */
export const WEIGHTS_FILE = 'weights.bin';
const MAX_PATHS = 10_000;

/** The model.json text for artifacts (their weights as one file, `weights.bin`). */
export function modelJsonText(artifacts: ModelArtifacts): string {
  const json: JsonObject = {};
  if (artifacts.modelTopology !== undefined) json.modelTopology = artifacts.modelTopology;
  json.format = artifacts.format ?? 'layers-model';
  json.generatedBy = artifacts.generatedBy;
  json.convertedBy = artifacts.convertedBy ?? null;
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  json.weightsManifest = [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }];
  if (artifacts.userDefinedMetadata !== undefined) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return JSON.stringify(json);
}

/** TF.js `getModelArtifactsInfoForJSON`. */
export function artifactsInfo(artifacts: ModelArtifacts): ModelArtifactsInfo {
  const data = artifacts.weightData;
  const dataBytes = data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, d) => n + d.byteLength, 0) : data.byteLength;
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: artifacts.modelTopology === undefined ? 0 : utf8Length(JSON.stringify(artifacts.modelTopology)),
    weightSpecsBytes: artifacts.weightSpecs === undefined ? 0 : utf8Length(JSON.stringify(artifacts.weightSpecs)),
    weightDataBytes: dataBytes,
  };
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).byteLength;
}

/**
 * A weight file named in a manifest: a plain relative path inside the model's folder (no
 * `..`, no absolute path, no URL scheme), so a file from elsewhere cannot make kerasm read
 * other files or hosts.
 */
export function checkWeightPath(p: unknown): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > 1000 || p.includes('\0')) throw formatError('Invalid weights manifest', `weight path ${JSON.stringify(p)} is not a file name`);
  if (p.startsWith('/') || p.startsWith('\\') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(p) || p.split(/[\\/]/).includes('..')) {
    throw formatError('Invalid weights manifest', `weight path ${JSON.stringify(p)} must be relative to model.json, inside its folder`);
  }
  return p;
}

/** Reads one weight file; refuses it (before reading) if it is larger than `limit` bytes. */
export type ShardReader = (path: string, limit: number) => Promise<ArrayBuffer>;

/** Parse model.json text and read its weight files into artifacts. */
export async function artifactsFromModelJson(text: string, source: string, read: ShardReader): Promise<ModelArtifacts> {
  const what = `Invalid model.json (${source})`;
  const json = parseJson(text, what);
  if (!isObject(json)) throw formatError(what, 'expected a JSON object { modelTopology, weightsManifest }');
  const manifest = own(json, 'weightsManifest');
  const artifacts: ModelArtifacts = {
    modelTopology: own(json, 'modelTopology'),
    format: typeof json.format === 'string' ? json.format : undefined,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : null,
    trainingConfig: own(json, 'trainingConfig'),
    userDefinedMetadata: isObject(json.userDefinedMetadata) ? json.userDefinedMetadata : undefined,
  };
  if (manifest === undefined || manifest === null) return artifacts;
  if (!Array.isArray(manifest)) throw formatError(what, '`weightsManifest` is not an array');
  const specs: WeightSpec[] = [];
  const groups: { paths: string[]; bytes: number }[] = [];
  let pathCount = 0;
  for (const [i, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw formatError(what, `weightsManifest[${i}] is not { paths: [...], weights: [...] }`);
    }
    pathCount += group.paths.length;
    if (pathCount > MAX_PATHS) throw formatError(what, `more than ${MAX_PATHS} weight files`);
    const paths = group.paths.map(checkWeightPath);
    const checked = checkWeightSpecs(group.weights);
    const bytes = specBytes(checked);
    if (bytes > 0 && paths.length === 0) throw formatError(what, `weightsManifest[${i}] lists weights but no files`);
    groups.push({ paths, bytes });
    specs.push(...(group.weights as WeightSpec[]));
  }
  const total = groups.reduce((n, g) => n + g.bytes, 0);
  if (total > MAX_WEIGHT_BYTES) throw formatError(what, `the weights add up to more than ${MAX_WEIGHT_BYTES} bytes`);
  const out = new Uint8Array(total);
  let at = 0;
  for (const g of groups) {
    let got = 0;
    for (const p of g.paths) {
      const buf = await read(p, g.bytes - got);
      if (got + buf.byteLength > g.bytes) throw tooLong(what, g.paths, g.bytes);
      out.set(new Uint8Array(buf), at + got);
      got += buf.byteLength;
    }
    if (got !== g.bytes) {
      throw formatError(what, `the weight file${g.paths.length > 1 ? 's' : ''} ${g.paths.join(', ')} hold${g.paths.length > 1 ? '' : 's'} ${got} bytes, but the manifest's tensors take ${g.bytes} (truncated weights)`);
    }
    at += g.bytes;
  }
  artifacts.weightSpecs = specs;
  artifacts.weightData = out.buffer;
  return artifacts;
}

function tooLong(what: string, paths: string[], bytes: number): KerasmError {
  return formatError(what, `the weight file${paths.length > 1 ? 's' : ''} ${paths.join(', ')} hold${paths.length > 1 ? '' : 's'} more than the ${bytes} bytes the manifest's tensors take (oversized weights)`);
}

/** Refuse model.json text that is too large, before reading it. */
export function checkJsonSize(bytes: number, source: string): void {
  if (bytes > MAX_JSON_BYTES) throw formatError(`Invalid model.json (${source})`, `${bytes} bytes is more than the ${MAX_JSON_BYTES} a model.json may have`);
}

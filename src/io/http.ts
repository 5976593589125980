// http(s):// loading with `fetch`: model.json, then each weight file relative to its URL.
import { KerasmError } from '../errors.js';
import { MAX_JSON_BYTES } from './json.js';
import { artifactsFromModelJson } from './model-json.js';
import type { IOHandler, ModelArtifacts } from './types.js';

/** Options of `km.io.http(url, options)`: how requests are made. */
export interface HttpOptions {
  /** Passed to every `fetch` (headers, credentials…). */
  requestInit?: RequestInit;
  /** A `fetch` to use instead of the global one. */
  fetchFunc?: typeof fetch;
}

function oversized(url: string, limit: number, size?: number): KerasmError {
  const has = size === undefined ? 'is longer than' : `has ${size} bytes, more than`;
  return new KerasmError(`Invalid weights: ${url} ${has} the ${limit} bytes the manifest leaves for it (oversized weights)`);
}

async function get(url: string, options: HttpOptions, limit: number, what: string, tooBig: (size?: number) => KerasmError): Promise<Response> {
  const f = options.fetchFunc ?? globalThis.fetch;
  if (typeof f !== 'function') throw new KerasmError('http(s):// loading needs fetch (Node 18+, browsers, edge runtimes).');
  let res: Response;
  try {
    res = await f(url, options.requestInit);
  } catch (e) {
    throw new KerasmError(`Cannot fetch ${what} ${url}: ${(e as Error).message ?? String(e)}`);
  }
  if (!res.ok) throw new KerasmError(`Cannot fetch ${what} ${url}: HTTP ${res.status} ${res.statusText}`);
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooBig(length);
  }
  return res;
}

/** Read a response body, stopping as soon as it passes `limit` bytes. */
async function bodyBytes(res: Response, limit: number, tooBig: (size?: number) => KerasmError): Promise<ArrayBuffer> {
  const reader = res.body?.getReader();
  if (reader === undefined) return new ArrayBuffer(0);
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooBig();
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out.buffer;
}

async function loadHttp(url: string, options: HttpOptions): Promise<ModelArtifacts> {
  const jsonTooBig = () => new KerasmError(`Invalid model.json (${url}): longer than the ${MAX_JSON_BYTES} bytes a model.json may have`);
  const res = await get(url, options, MAX_JSON_BYTES, 'the model', jsonTooBig);
  const text = new TextDecoder().decode(await readBody(res, MAX_JSON_BYTES, jsonTooBig, url));
  return artifactsFromModelJson(text, url, async (path, limit) => {
    const shardUrl = new URL(path, url).toString();
    const tooBig = (size?: number) => oversized(shardUrl, limit, size);
    return readBody(await get(shardUrl, options, limit, 'the weight file', tooBig), limit, tooBig, shardUrl);
  });
}

async function readBody(res: Response, limit: number, tooBig: (size?: number) => KerasmError, url: string): Promise<ArrayBuffer> {
  try {
    return await bodyBytes(res, limit, tooBig);
  } catch (e) {
    if (e instanceof KerasmError) throw e;
    throw new KerasmError(`Cannot read ${url}: ${(e as Error).message ?? String(e)}`);
  }
}

/** The bytes at `url` (a `.keras` or `.h5` model), stopping past `limit` bytes. */
export async function fetchBytes(url: string, limit: number, options: HttpOptions = {}): Promise<Uint8Array> {
  const tooBig = (size?: number) => new KerasmError(`Cannot load ${url}: ${size === undefined ? 'longer than' : `${size} bytes, more than`} the ${limit} bytes a model file may have`);
  return new Uint8Array(await readBody(await get(url, options, limit, 'the model', tooBig), limit, tooBig, url));
}

/** A loading handler for an http(s):// URL of a model.json. TF.js: `tf.io.http`. */
export function http(url: string, options: HttpOptions = {}): IOHandler {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new KerasmError(`Invalid URL ${JSON.stringify(url)}: expected http(s)://…/model.json`);
  return {
    load: () => loadHttp(url, options),
    save: () => Promise.reject(new KerasmError('Saving to http(s):// is not supported: save through an IO handler (km.io.withSaveHandler) and upload its artifacts.')),
  };
}

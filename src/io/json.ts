// Untrusted JSON: model files are data, never code. Sizes are bounded before anything is
// allocated, and every object is copied into a plain object without `__proto__`,
// `constructor` or `prototype` keys.
import { KerasmError } from '../errors.js';

/** Largest model.json text accepted (bytes or UTF-16 units). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Largest total of weight bytes accepted (2^31; wasm32 memory is 4 GiB in all). */
export const MAX_WEIGHT_BYTES = 2 ** 31;
/** Deepest nesting accepted in a model file. */
const MAX_DEPTH = 64;
/** Most values (objects, arrays, scalars) accepted in one model file. */
const MAX_NODES = 2_000_000;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** A plain JSON object (a parsed config or topology). */
export type JsonObject = Record<string, unknown>;

/** A KerasmError about a model file: `<what>: <problem>`. */
export function formatError(what: string, problem: string): KerasmError {
  return new KerasmError(`${what}: ${problem}`);
}

/** Parse a model file's text; the result is already sanitized. */
export function parseJson(text: string, what: string): unknown {
  if (typeof text !== 'string') throw formatError(what, `expected JSON text, received ${typeof text}`);
  if (text.length > MAX_JSON_BYTES) throw formatError(what, `${text.length} characters is more than the ${MAX_JSON_BYTES} a model file may have`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw formatError(what, `not valid JSON (${(e as Error).message})`);
  }
  return sanitize(value, what);
}

/**
 * A deep copy of JSON-like data with plain objects only: forbidden keys are dropped, nesting
 * and size are bounded, and anything that is not JSON data (functions, symbols, class
 * instances other than plain objects and arrays) is refused.
 */
export function sanitize(value: unknown, what: string): unknown {
  const state = { nodes: 0 };
  return copy(value, what, 0, state, '$');
}

function copy(v: unknown, what: string, depth: number, state: { nodes: number }, path: string): unknown {
  if (++state.nodes > MAX_NODES) throw formatError(what, `more than ${MAX_NODES} values`);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw formatError(what, `${path} is ${v}; model files hold finite numbers`);
    return v;
  }
  if (v === undefined) return undefined;
  if (depth >= MAX_DEPTH) throw formatError(what, `nested deeper than ${MAX_DEPTH} levels at ${path}`);
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], what, depth + 1, state, `${path}[${i}]`);
    return out;
  }
  if (typeof v === 'object') {
    // A plain object of any realm: its prototype is null or an Object.prototype (whose own prototype is null).
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto !== null && Object.getPrototypeOf(proto) !== null) throw formatError(what, `${path} is not plain JSON data`);
    const out: JsonObject = {};
    for (const key of Object.keys(v)) {
      if (FORBIDDEN.has(key)) continue;
      const item = copy((v as JsonObject)[key], what, depth + 1, state, `${path}.${key}`);
      if (item !== undefined) out[key] = item;
    }
    return out;
  }
  throw formatError(what, `${path} is a ${typeof v}, not JSON data`);
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `o[key]` if `o` owns it (never an inherited property). */
export function own(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** An ArrayBuffer, from this realm or another (a worker's, a vm context's). */
export function isArrayBuffer(v: unknown): v is ArrayBuffer {
  return Object.prototype.toString.call(v) === '[object ArrayBuffer]';
}

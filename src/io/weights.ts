// Weights in the TF.js layers format: a manifest of specs `{ name, shape, dtype, group }` and
// one little-endian byte stream holding the tensors in manifest order. Reading checks every
// spec and byte count before anything is allocated; values go through a wasm staging buffer,
// are scanned for non-finite numbers, and only then copied into the model, so a failed load
// leaves an existing model's weights as they were.
import type { Backend } from '../backend/loader.js';
import type { Region } from '../backend/memory.js';
import { KerasmError } from '../errors.js';
import type { Layer, LayerWeight } from '../layers/layer.js';
import type { Optimizer } from '../optimizers/index.js';
import { MAX_WEIGHT_BYTES, formatError, isArrayBuffer, isObject } from './json.js';
import type { JsonObject } from './json.js';
import { isGraphLayer } from './types.js';
import type { WeightSpec } from './types.js';

/** Bytes per element of the dtypes a manifest may name (TF.js `DTYPE_VALUE_SIZE_MAP`; strings are refused). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };
/** Bytes per element of quantized weights (tensorflowjs_converter --quantize_uint8 / uint16 / float16). */
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };
/** Most specs accepted in one manifest. */
const MAX_SPECS = 100_000;
const MAX_RANK = 8;

/** A manifest entry after validation, with its place in the byte stream. */
export interface CheckedSpec {
  name: string;
  shape: number[];
  dtype: string;
  group: string | null;
  quantized: boolean;
  size: number;
  offset: number;
  bytes: number;
}

const WHAT = 'Invalid weights';

/** Validate a list of weight specs and lay them out one after another. */
export function checkWeightSpecs(specs: unknown): CheckedSpec[] {
  if (!Array.isArray(specs)) throw formatError(WHAT, 'weightSpecs is not an array');
  if (specs.length > MAX_SPECS) throw formatError(WHAT, `${specs.length} weight specs is more than ${MAX_SPECS}`);
  const out: CheckedSpec[] = [];
  let offset = 0;
  specs.forEach((s, i) => {
    if (!isObject(s)) throw formatError(WHAT, `weight spec ${i} is not an object { name, shape, dtype }`);
    const name = s.name;
    if (typeof name !== 'string' || name.length === 0 || name.length > 1000) throw formatError(WHAT, `weight spec ${i} has no valid name`);
    const shape = s.shape;
    if (!Array.isArray(shape) || shape.length > MAX_RANK || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
      throw formatError(WHAT, `weight '${name}' has shape ${JSON.stringify(shape)}; expected up to ${MAX_RANK} non-negative integers`);
    }
    const dtype = s.dtype;
    if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
      throw formatError(WHAT, `weight '${name}' has dtype ${JSON.stringify(dtype)}; expected one of ${Object.keys(DTYPE_BYTES).join(', ')}`);
    }
    let elemBytes = DTYPE_BYTES[dtype]!;
    let quantized = false;
    if (s.quantization !== undefined && s.quantization !== null) {
      const q = s.quantization;
      if (!isObject(q) || typeof q.dtype !== 'string' || !Object.hasOwn(QUANTIZED_BYTES, q.dtype)) throw formatError(WHAT, `weight '${name}' has an invalid quantization`);
      elemBytes = QUANTIZED_BYTES[q.dtype]!;
      quantized = true;
    }
    const group = s.group === undefined || s.group === null ? null : s.group;
    if (group !== null && typeof group !== 'string') throw formatError(WHAT, `weight '${name}' has a group that is not a string`);
    let size = 1;
    for (const d of shape as number[]) {
      size *= d;
      if (size * elemBytes > MAX_WEIGHT_BYTES) throw formatError(WHAT, `weight '${name}' of shape [${shape.join(', ')}] is larger than ${MAX_WEIGHT_BYTES} bytes`);
    }
    const bytes = size * elemBytes;
    if (offset + bytes > MAX_WEIGHT_BYTES) throw formatError(WHAT, `the weights add up to more than ${MAX_WEIGHT_BYTES} bytes`);
    out.push({ name, shape: (shape as number[]).slice(), dtype, group, quantized, size, offset, bytes });
    offset += bytes;
  });
  return out;
}

/** Total bytes the specs describe. */
export function specBytes(specs: readonly CheckedSpec[]): number {
  const last = specs[specs.length - 1];
  return last === undefined ? 0 : last.offset + last.bytes;
}

/** One byte view of `weightData` (an ArrayBuffer or an array of them, concatenated). */
/**
 * FNV-1a (32-bit) of the weight bytes, with their length: written into kerasm's record so that a
 * model.json never silently loads with the weights.bin of another save (an interrupted save over
 * an existing folder renames the two files one after the other).
 */
export function weightsHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return `${bytes.length}:${(h >>> 0).toString(16)}`;
}

export function joinWeightData(data: unknown): Uint8Array {
  if (isArrayBuffer(data)) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!Array.isArray(data)) throw formatError(WHAT, 'weightData is not an ArrayBuffer or an array of ArrayBuffers');
  let total = 0;
  for (const part of data) {
    if (!isArrayBuffer(part)) throw formatError(WHAT, 'weightData is an array with an element that is not an ArrayBuffer');
    total += part.byteLength;
    if (total > MAX_WEIGHT_BYTES) throw formatError(WHAT, `weightData has more than ${MAX_WEIGHT_BYTES} bytes`);
  }
  if (data.length === 1) return new Uint8Array(data[0] as ArrayBuffer);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of data as ArrayBuffer[]) {
    out.set(new Uint8Array(part), at);
    at += part.byteLength;
  }
  return out;
}

/** Specs and bytes checked against each other: every tensor is there, and nothing else. */
export function checkWeightData(specs: readonly CheckedSpec[], bytes: Uint8Array): void {
  const want = specBytes(specs);
  if (bytes.byteLength !== want) {
    const kind = bytes.byteLength < want ? 'truncated' : 'too long';
    throw formatError(WHAT, `the weight data is ${kind}: ${bytes.byteLength} bytes, but the manifest's ${specs.length} tensors take ${want}`);
  }
}

/** A model's weight with the layer it belongs to and its index in the layer. */
interface Owned {
  layer: Layer;
  weight: LayerWeight;
  index: number;
}

/** What weight matching and encoding read of a model. */
export interface WeightOwners {
  readonly layers: readonly Layer[];
  readonly weights: readonly LayerWeight[];
}

/** The layers of a model with nested models expanded into theirs, each once, in order. */
export function leafLayers(model: { readonly layers: readonly Layer[] }): Layer[] {
  const out: Layer[] = [];
  const seen = new Set<Layer>();
  const walk = (layers: readonly Layer[]): void => {
    for (const layer of layers) {
      if (isGraphLayer(layer)) walk(layer.layers);
      else if (!seen.has(layer)) seen.add(layer) && out.push(layer);
    }
  };
  walk(model.layers);
  return out;
}

/**
 * Every weight of the model in `model.weights` order, with the layer that owns it: the innermost
 * one, so a nested model's weights are named after its own layers (`dense_1/kernel`), as TF.js
 * and Keras name them.
 */
function owned(model: WeightOwners): Owned[] {
  const owner = new Map<LayerWeight, { layer: Layer; index: number }>();
  for (const layer of leafLayers(model)) {
    layer.weights.forEach((weight, index) => {
      if (!owner.has(weight)) owner.set(weight, { layer, index });
    });
  }
  return model.weights.map((weight) => {
    const o = owner.get(weight);
    if (o === undefined) throw new KerasmError(`internal: the weight ${weight.name} belongs to no layer of the model`);
    return { weight, ...o };
  });
}

/** `dense/kernel`: the name kerasm writes (TF.js's `originalName`). */
export function weightName(layer: Layer, w: LayerWeight): string {
  return `${layer.name}/${w.name}`;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Pair every model weight with a spec of the file's model weights. Names are tried first
 * (`dense/kernel`, `…/dense/kernel`, Keras 3's `dense/vars/0`; a `:0` suffix is ignored), then
 * the order of the manifest when the names say nothing but count and shapes agree (as Keras
 * loads HDF5 weights by order). Extra or missing tensors and shape mismatches are errors.
 */
export function matchWeights(source: WeightOwners, specs: readonly CheckedSpec[]): [LayerWeight, CheckedSpec][] {
  const model = owned(source);
  const fileSpecs = specs.filter((s) => s.group !== 'optimizer');
  const byName = new Map<string, CheckedSpec>();
  for (const s of fileSpecs) {
    const key = s.name.endsWith(':0') ? s.name.slice(0, -2) : s.name;
    if (byName.has(key)) throw formatError(WHAT, `the manifest names the weight '${key}' twice`);
    byName.set(key, s);
  }
  const find = (o: Owned): CheckedSpec | undefined => {
    const candidates = [`${o.layer.name}/${o.weight.name}`, `${o.layer.name}/vars/${o.index}`];
    for (const c of candidates) {
      const exact = byName.get(c);
      if (exact !== undefined) return exact;
    }
    for (const c of candidates) {
      const hits = [...byName.keys()].filter((k) => k.endsWith(`/${c}`));
      if (hits.length === 1) return byName.get(hits[0]!);
    }
    // a recurrent layer's weights under its cell (Keras 2: `lstm/lstm_cell/kernel`)
    const cell = [...byName.keys()].filter((k) => k.startsWith(`${o.layer.name}/`) && k.endsWith(`/${o.weight.name}`) &&
      k.split('/').length === o.layer.name.split('/').length + 2);
    if (cell.length === 1) return byName.get(cell[0]!);
    return undefined;
  };
  const pairs: [LayerWeight, CheckedSpec][] = [];
  const missing: Owned[] = [];
  for (const o of model) {
    const s = find(o);
    if (s === undefined) missing.push(o);
    else pairs.push([o.weight, s]);
  }
  let matched = pairs;
  if (missing.length > 0) {
    const positional = fileSpecs.length === model.length && model.every((o, i) => sameShape(o.weight.shape, fileSpecs[i]!.shape));
    if (!positional) {
      const names = missing.map((o) => `${weightName(o.layer, o.weight)} ${shapeText(o.weight.shape)}`).join(', ');
      const have = fileSpecs.slice(0, 20).map((s) => `${s.name} ${shapeText(s.shape)}`).join(', ');
      throw new KerasmError(`${WHAT}: the file has no tensor for ${names}. It has ${fileSpecs.length} model tensors: ${have}${fileSpecs.length > 20 ? ', …' : ''}`);
    }
    matched = model.map((o, i) => [o.weight, fileSpecs[i]!]);
  }
  const used = new Set<CheckedSpec>();
  for (const [w, s] of matched) {
    if (used.has(s)) throw formatError(WHAT, `the tensor '${s.name}' matches more than one weight of the model`);
    used.add(s);
    const o = model.find((m) => m.weight === w)!;
    if (!sameShape(w.shape, s.shape)) {
      throw formatError(WHAT, `the tensor '${s.name}' has shape ${shapeText(s.shape)}, but ${weightName(o.layer, w)} has shape ${shapeText(w.shape)}`);
    }
    checkFloat32(s);
  }
  const extra = fileSpecs.filter((s) => !used.has(s));
  if (extra.length > 0) {
    throw formatError(WHAT, `the file has tensors the model does not: ${extra.slice(0, 10).map((s) => s.name).join(', ')}${extra.length > 10 ? ', …' : ''}`);
  }
  return matched;
}

function checkFloat32(s: CheckedSpec): void {
  if (s.quantized) throw formatError(WHAT, `the tensor '${s.name}' is quantized; kerasm reads float32 weights (convert without --quantize_*)`);
  if (s.dtype !== 'float32') throw formatError(WHAT, `the tensor '${s.name}' has dtype '${s.dtype}'; model weights must be float32`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Copy float32 tensors from the file into wasm regions: all of them go to a staging buffer
 * first and are scanned for NaN/Inf there; the destinations change only if every one is finite.
 */
export function writeTensors(b: Backend, items: readonly { spec: CheckedSpec; dst: Region }[], bytes: Uint8Array): void {
  let total = 0;
  for (const it of items) total += it.spec.bytes;
  if (total === 0) return;
  const staging = b.arena.alloc(total);
  try {
    const u8 = b.arena.u8;
    let at = staging.ptr;
    for (const it of items) {
      u8.set(bytes.subarray(it.spec.offset, it.spec.offset + it.spec.bytes), at);
      const bad = b.k.f32_find_nonfinite(it.spec.size, at);
      if (bad >= 0) throw formatError(WHAT, `the tensor '${it.spec.name}' holds a non-finite value (${new DataView(bytes.buffer, bytes.byteOffset + it.spec.offset + bad * 4, 4).getFloat32(0, true)}) at index ${bad}`);
      at += it.spec.bytes;
    }
    at = staging.ptr;
    for (const it of items) {
      b.k.f32_vcopy(it.spec.size, at, it.dst.ptr);
      at += it.spec.bytes;
    }
  } finally {
    b.arena.release(staging);
  }
}

/** What the encoder needs of a model. */
export interface WeightSource extends WeightOwners {
  ensureAllocated(): Backend;
}

/** Names of an optimizer's state slots in the file (TF.js's suffixes where TF.js has the optimizer). */
const SLOT_NAMES: Record<string, readonly string[]> = {
  Adam: ['m', 'v', 'vhat'], AdamW: ['m', 'v', 'vhat'], SGD: ['momentum'], RMSprop: ['rms', 'mg', 'momentum'], Adagrad: ['accumulator'],
};

export function slotNames(opt: Optimizer): string[] {
  const table = Object.hasOwn(SLOT_NAMES, opt.className) ? SLOT_NAMES[opt.className]! : [];
  return Array.from({ length: opt.stateSlotCount }, (_, s) => table[s] ?? `slot${s}`);
}

/**
 * Specs and one ArrayBuffer for the model's weights and, when asked, the optimizer's state in
 * TF.js's layout: group `optimizer`, `iter` first, then every weight's first slot, then the second…
 */
export function encodeWeights(model: WeightSource, optimizer: Optimizer | null): { specs: WeightSpec[]; data: ArrayBuffer } {
  const b = model.ensureAllocated();
  const items: { spec: WeightSpec; region: Region | null; size: number }[] = [];
  const all = owned(model);
  for (const o of all) items.push({ spec: { name: weightName(o.layer, o.weight), shape: o.weight.shape.slice(), dtype: 'float32' }, region: o.weight.region, size: o.weight.size });
  // Files name weights `layer/weight`: two layers of one name (possible across nested models)
  // would write a file no reader can match, so it is refused here, where the fix is known.
  const names = new Set<string>();
  for (const it of items) {
    if (names.has(it.spec.name)) throw new KerasmError(`Cannot save the model: two weights are named '${it.spec.name}' (layers of nested models share the name '${it.spec.name.split('/')[0]}'); give one of them another name.`);
    names.add(it.spec.name);
  }
  let iterAt = -1;
  if (optimizer !== null) {
    iterAt = items.length;
    items.push({ spec: { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }, region: null, size: 1 });
    const names = slotNames(optimizer);
    for (let s = 0; s < names.length; s++) {
      for (const o of all) {
        const state = optimizer.stateOf(o.weight);
        if (state === undefined) continue;
        items.push({ spec: { name: `${weightName(o.layer, o.weight)}/${names[s]}`, shape: o.weight.shape.slice(), dtype: 'float32', group: 'optimizer' }, region: state[s]!, size: o.weight.size });
      }
    }
  }
  let total = 0;
  for (const it of items) total += it.size * 4;
  if (total > MAX_WEIGHT_BYTES) throw new KerasmError(`The model's weights take ${total} bytes, more than the ${MAX_WEIGHT_BYTES} a file may hold.`);
  const data = new ArrayBuffer(total);
  const out = new Uint8Array(data);
  let at = 0;
  items.forEach((it, i) => {
    if (i === iterAt) new DataView(data, at, 4).setInt32(0, optimizer!.iterations, true);
    else out.set(new Uint8Array(b.arena.memory.buffer, it.region!.ptr, it.size * 4), at);
    at += it.size * 4;
  });
  return { specs: items.map((it) => it.spec), data };
}

/**
 * Restore optimizer state written by kerasm (`iter` and slots named `<file weight name>/<slot>`),
 * for the model weights `pairs` matched to the file's tensors.
 */
export function restoreOptimizer(b: Backend, pairs: readonly [LayerWeight, CheckedSpec][], optimizer: Optimizer, info: JsonObject, specs: readonly CheckedSpec[], bytes: Uint8Array): void {
  const what = 'Invalid optimizer state';
  if (info.class_name !== optimizer.className) {
    throw formatError(what, `the file holds ${JSON.stringify(info.class_name)} state but the model is compiled with ${optimizer.className}`);
  }
  const names = slotNames(optimizer);
  if (!Array.isArray(info.slot_names) || info.slot_names.length !== names.length || info.slot_names.some((n, i) => n !== names[i])) {
    throw formatError(what, `the file's slots ${JSON.stringify(info.slot_names)} differ from ${optimizer.className}'s [${names.join(', ')}] (check amsgrad / momentum / centered)`);
  }
  const group = new Map<string, CheckedSpec>();
  for (const s of specs) if (s.group === 'optimizer') group.set(s.name, s);
  const iter = group.get('iter');
  if (iter === undefined || iter.dtype !== 'int32' || iter.size !== 1 || iter.quantized) throw formatError(what, "no int32 scalar 'iter'");
  const iterations = new DataView(bytes.buffer, bytes.byteOffset + iter.offset, 4).getInt32(0, true);
  if (iterations < 0) throw formatError(what, `'iter' is ${iterations}`);
  const withState: LayerWeight[] = [];
  const items: { spec: CheckedSpec; weight: LayerWeight; slot: number }[] = [];
  for (const [weight, spec] of pairs) {
    const found = names.map((n) => group.get(`${spec.name}/${n}`));
    if (found.every((s) => s === undefined)) continue;
    found.forEach((s, slot) => {
      const label = `${spec.name}/${names[slot]}`;
      if (s === undefined) throw formatError(what, `'${label}' is missing`);
      if (!sameShape(s.shape, weight.shape)) throw formatError(what, `'${label}' has shape ${shapeText(s.shape)}, expected ${shapeText(weight.shape)}`);
      checkFloat32(s);
      items.push({ spec: s, weight, slot });
    });
    withState.push(weight);
  }
  optimizer.build(b.arena, b.k, withState);
  writeTensors(b, items.map((it) => ({ spec: it.spec, dst: optimizer.stateOf(it.weight)![it.slot]! })), bytes);
  optimizer.iterations = iterations;
}

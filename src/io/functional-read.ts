// A functional topology (`class_name` Model or Functional): `{ name, layers: [{ name, class_name,
// config, inbound_nodes }], input_layers, output_layers }`, with `inbound_nodes` in either form:
//   Keras 2 / TF.js: one list per call, `[[layer, node, tensor, kwargs], ...]`;
//   Keras 3: one `{ args, kwargs }` per call, tensors as `{ class_name: '__keras_tensor__',
//   config: { keras_history: [layer, node, tensor] } }` anywhere in `args` (a list for merges).
// Node numbers are the file's; they differ between writers for nested models (see `offsets`), and
// are turned here into "call k of that layer in this graph", which is all the builder needs.
import { formatError, isObject, own } from './json.js';
import type { JsonObject } from './json.js';
import { MAX_LAYERS, MODEL_CLASSES, WHAT, entryClass, modelName } from './parsed.js';
import type { ParsedFunctional, ParsedGraphLayer, ParsedLayer, ReadContext, TensorRef } from './parsed.js';

/** Parses one layer entry's class and config (topology-read.ts), nested models included. */
export type EntryParser = (className: string, config: unknown, index: number) => ParsedLayer;

/** A reference as the file writes it, before its node number is made relative to this graph. */
interface RawRef {
  layer: string;
  node: number;
  tensor: number;
}

/** Most tensors accepted in one call (a merge of many branches is still far below). */
const MAX_CALL_INPUTS = 10_000;

/** Parse a functional model's config; `parseEntry` makes each layer (or nested model). */
export function parseFunctional(config: unknown, ctx: ReadContext, parseEntry: EntryParser): ParsedFunctional {
  if (!isObject(config)) throw formatError(WHAT, 'the functional model config is missing');
  const list = own(config, 'layers');
  if (!Array.isArray(list)) throw formatError(WHAT, '`config.layers` is not an array');
  if (list.length === 0) throw formatError(WHAT, 'the model has no layers');
  if (list.length > MAX_LAYERS) throw formatError(WHAT, `${list.length} layers is more than ${MAX_LAYERS}`);
  if (own(config, 'input_layers') === undefined || own(config, 'output_layers') === undefined) {
    throw formatError(WHAT, 'the functional model config has no `input_layers` / `output_layers`');
  }
  const entries = list.map((entry, i) => ({ entry: entry as JsonObject, cls: entryClass(entry, i), name: entryName(entry as JsonObject, i) }));
  const raw = entries.map(({ entry, name }) => callsOf(own(entry, 'inbound_nodes'), name));
  // Keras 3 writes the { args, kwargs } form; its numbering of nested models differs (below).
  const keras3 = ctx.keras3 || raw.some((calls) => calls.some((c) => c.dict));
  const classOf = new Map(entries.map((e) => [e.name, e.cls]));
  const { inbound, io } = offsets(classOf, keras3);
  const layers: ParsedGraphLayer[] = entries.map(({ entry, cls, name }, i) => ({
    name,
    spec: parseEntry(cls, own(entry, 'config'), i),
    calls: raw[i]!.map((c) => c.refs.map((r) => relative(r, c.dict ? 0 : inbound(r.layer), `layer '${name}'`))),
  }));
  const inputs = tensorList(own(config, 'input_layers'), 'input_layers').map((r) => relative(r, io(r.layer), '`input_layers`'));
  const outputs = tensorList(own(config, 'output_layers'), 'output_layers').map((r) => relative(r, io(r.layer), '`output_layers`'));
  return { kind: 'functional', name: modelName(own(config, 'name')), layers, inputs, outputs };
}

/**
 * How far each writer's node numbers for a nested model are from its calls in this graph. Keras 2
 * and TF.js give every nested model (Sequential too) a call 0 of its own, linking its inputs to
 * its outputs, so its calls in the graph are 1, 2, …, in `inbound_nodes` and in
 * `input_layers`/`output_layers` alike. Keras 3 writes `inbound_nodes` without that offset, but
 * `input_layers`/`output_layers` with it for a Functional (not for a Sequential, which is no
 * Functional there): Keras 3 `functional.py`, `get_config` and `functional_from_config`.
 */
function offsets(classOf: ReadonlyMap<string, string>, keras3: boolean): { inbound: (layer: string) => number; io: (layer: string) => number } {
  const nested = (layer: string) => MODEL_CLASSES.includes(classOf.get(layer) ?? '');
  return {
    inbound: (layer) => (nested(layer) ? 1 : 0),
    io: (layer) => (nested(layer) && !(keras3 && classOf.get(layer) === 'Sequential') ? 1 : 0),
  };
}

function relative(r: RawRef, offset: number, where: string): TensorRef {
  const node = r.node - offset;
  if (node < 0) throw formatError(WHAT, `${where} refers to node ${r.node} of '${r.layer}', which has no such node`);
  return { layer: r.layer, node, tensor: r.tensor };
}

function entryName(entry: JsonObject, i: number): string {
  const name = own(entry, 'name') ?? (isObject(entry.config) ? own(entry.config, 'name') : undefined);
  if (typeof name !== 'string' || name.length === 0) throw formatError(WHAT, `layer ${i} of the functional model has no name`);
  return name;
}

/** The calls of one layer entry (`inbound_nodes`), each a list of references; empty calls are dropped. */
function callsOf(v: unknown, layer: string): { dict: boolean; refs: RawRef[] }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw formatError(WHAT, `the inbound_nodes of '${layer}' are not a list`);
  const calls = v.map((call, i) => {
    const where = `inbound node ${i} of '${layer}'`;
    if (Array.isArray(call)) return { dict: false, refs: call.map((item) => listRef(item, where)) };
    if (isObject(call)) return { dict: true, refs: kerasTensors(own(call, 'args'), where) };
    throw formatError(WHAT, `${where} is neither a list of [layer, node, tensor] nor { args, kwargs }`);
  });
  return calls.filter((c) => c.refs.length > 0);
}

/** `[layer, node, tensor]` or `[layer, node, tensor, kwargs]` (kwargs ignored: kerasm layers take none). */
function listRef(item: unknown, where: string): RawRef {
  if (!Array.isArray(item) || item.length < 3 || item.length > 4) throw formatError(WHAT, `${where} has an entry that is not [layer, node, tensor, kwargs]`);
  return ref(item[0], item[1], item[2], where);
}

function ref(layer: unknown, node: unknown, tensor: unknown, where: string): RawRef {
  const index = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
  if (typeof layer !== 'string' || !index(node) || !index(tensor)) {
    throw formatError(WHAT, `${where} has a tensor reference ${JSON.stringify([layer, node, tensor])}; expected [layer name, node index, tensor index]`);
  }
  return { layer, node: node as number, tensor: tensor as number };
}

/** Every `__keras_tensor__` in a Keras 3 call's `args`, in order (other arguments are not tensors). */
function kerasTensors(args: unknown, where: string): RawRef[] {
  const out: RawRef[] = [];
  const walk = (v: unknown): void => {
    if (out.length > MAX_CALL_INPUTS) throw formatError(WHAT, `${where} has more than ${MAX_CALL_INPUTS} inputs`);
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v) && v.class_name === '__keras_tensor__') {
      const history = isObject(v.config) ? own(v.config, 'keras_history') : undefined;
      if (!Array.isArray(history) || history.length !== 3) throw formatError(WHAT, `${where} has a tensor without keras_history [layer, node, tensor]`);
      out.push(ref(history[0], history[1], history[2], where));
    } else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(args);
  return out;
}

/**
 * `input_layers` / `output_layers`: a list of `[layer, node, tensor]`, one such triple alone
 * (Keras 3, one input), or an object of them keyed by name (Keras 3 dict inputs), in order.
 */
function tensorList(v: unknown, key: string): RawRef[] {
  const isLeaf = (x: unknown) => Array.isArray(x) && x.length === 3 && typeof x[0] === 'string';
  const out: RawRef[] = [];
  const walk = (x: unknown, depth: number): void => {
    if (isLeaf(x)) out.push(ref((x as unknown[])[0], (x as unknown[])[1], (x as unknown[])[2], `\`${key}\``));
    else if (Array.isArray(x) && depth < 4) x.forEach((y) => walk(y, depth + 1));
    else if (isObject(x) && depth < 4) Object.values(x).forEach((y) => walk(y, depth + 1));
    else throw formatError(WHAT, `\`${key}\` is not a list of [layer name, node index, tensor index]`);
  };
  walk(v, 0);
  if (out.length === 0) throw formatError(WHAT, `\`${key}\` is empty`);
  return out;
}

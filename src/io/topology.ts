// Writing the model topology in the TF.js layers format, so TF.js 4 `loadLayersModel` reads it:
// a Sequential as `{ class_name: 'Sequential', config: { name, layers } }`, a functional model as
// TF.js saves its own (`class_name: 'Model'`, layers with `inbound_nodes` in the Keras 2 list
// form, `input_layers`, `output_layers`), nested models as layers. Reading: topology-read.ts.
import type { Layer } from '../layers/layer.js';
import { isObject } from './json.js';
import type { JsonObject } from './json.js';
import { isGraphLayer } from './types.js';
import type { GraphNodeView, GraphTensorView, SavableModel } from './types.js';

/** Written as `keras_version` and `generatedBy`. */
export const KERASM_VERSION = '0.1.0';
export const GENERATED_BY = `kerasm ${KERASM_VERSION}`;

/** What the writer needs of a model (`Model` and `Sequential` satisfy it). */
export type TopologySource = Pick<SavableModel, 'name' | 'className' | 'layers' | 'inputs' | 'outputs' | 'nodes'>;

/** `model.toJSON()`: the topology as a JSON string (TF.js `model.toJSON()`). */
export function modelToJSON(model: TopologySource & Pick<SavableModel, 'checkAlive'>): string {
  model.checkAlive();
  return JSON.stringify(modelTopology(model));
}

/** `{ class_name, config, keras_version, backend }`, TF.js-readable. */
export function modelTopology(model: TopologySource): JsonObject {
  return { class_name: modelClassName(model), config: modelConfig(model), keras_version: GENERATED_BY, backend: 'kerasm' };
}

/**
 * `'Sequential'`, or `'Model'` for a functional model: the name TF.js writes for its own
 * `tf.model` and every TF.js version reads (`'Functional'`, Keras ≥ 2.4's name, is read by TF.js
 * from 2.4 on only). kerasm reads both.
 */
function modelClassName(model: { readonly className: string }): string {
  return model.className === 'Sequential' ? 'Sequential' : 'Model';
}

function modelConfig(model: TopologySource): JsonObject {
  if (model.className === 'Sequential') return { name: model.name, layers: model.layers.map(layerToJson) };
  return functionalConfig(model);
}

/** One layer as `{ class_name, config }`, with TF.js's value conventions; a nested model with its whole config. */
export function layerToJson(layer: Layer): JsonObject {
  if (isGraphLayer(layer)) return { class_name: modelClassName(layer), config: modelConfig(layer) };
  const config = layer.getConfig();
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) out[key] = key.endsWith('_regularizer') ? regularizerForTfjs(value) : value;
  return { class_name: layer.className, config: out };
}

/**
 * TF.js knows only `L1L2`: Keras's `L1` and `L2` are written as `L1L2` with the other
 * coefficient 0 (the same penalty). Other keys of the config (kerasm-only options) stay, where
 * TF.js ignores them.
 */
function regularizerForTfjs(value: unknown): unknown {
  if (!isObject(value) || (value.class_name !== 'L1' && value.class_name !== 'L2')) return value;
  const { l1, l2, ...rest } = isObject(value.config) ? value.config : {};
  return { class_name: 'L1L2', config: { l1: l1 ?? 0, l2: l2 ?? 0, ...rest } };
}

/**
 * Keras's node numbering in a file: a layer's calls that belong to this model, counted from 0
 * (calls made in other models are left out), and from 1 for a nested model, whose call 0 in
 * Keras 2 and TF.js is the one linking its own inputs to its outputs (TF.js
 * `buildNodeConversionMap`, Keras `node_reindexing_map`).
 */
function nodeNumbering(model: TopologySource): (node: GraphNodeView) => number {
  const calls = new Map<Layer, GraphNodeView[]>();
  const ownNodes = [...model.inputs.map((t) => t.node), ...model.nodes];
  for (const node of ownNodes) {
    const list = calls.get(node.layer) ?? [];
    if (!list.includes(node)) list.push(node);
    calls.set(node.layer, list);
  }
  for (const list of calls.values()) list.sort((a, b) => a.index - b.index);
  return (node) => calls.get(node.layer)!.indexOf(node) + (isGraphLayer(node.layer) ? 1 : 0);
}

/** `{ name, layers: [{ name, class_name, config, inbound_nodes }], input_layers, output_layers }`. */
function functionalConfig(model: TopologySource): JsonObject {
  const number = nodeNumbering(model);
  const ref = (t: GraphTensorView): [string, number, number] => [t.node.layer.name, number(t.node), t.index];
  const layers = model.layers.map((layer) => {
    // An InputLayer's own call reads nothing: Keras writes no inbound node for it.
    const calls = model.nodes.filter((n) => n.layer === layer && n.inputs.length > 0).sort((a, b) => a.index - b.index);
    // One list per call, one `[layer, node, tensor, kwargs]` per input (Keras 2 / TF.js form).
    const inbound = calls.map((n) => n.inputs.map((t) => [...ref(t), {}]));
    return { name: layer.name, ...layerToJson(layer), inbound_nodes: inbound };
  });
  return { name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) };
}

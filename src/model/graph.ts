// Graphs of layers (the functional API): symbolic tensors, the nodes that layer calls make, and
// the walk from a model's outputs back to its inputs. Keras: `keras.src.ops.node`,
// `keras.src.ops.function`; TF.js: `SymbolicTensor`, `Node`, `Container`.
import { ValueError, invalidArgument } from '../errors.js';
import type { Layer, Shape } from '../layers/layer.js';

let tensorCount = 0;

/**
 * A placeholder for a value while a graph of layers is built: the output `index` of one call
 * (`node`) of a layer. `shape` is per sample (no batch); `batchShape` puts `null` in front.
 */
export class SymbolicTensor {
  /** A number unique in the process: the engine keys its buffers by it. @internal */
  readonly id = tensorCount++;
  /** The per-sample shape (without the batch dimension). */
  readonly shape: Shape;
  /** The layer call that makes this tensor. @internal */
  readonly node: Node;
  /** Which output of that call this is (0 but for layers with several outputs, such as an RNN with `returnState`). */
  readonly index: number;
  /** @internal */
  constructor(shape: Shape, node: Node, index: number) {
    this.shape = shape;
    this.node = node;
    this.index = index;
  }

  /** The layer that produces this tensor. */
  get layer(): Layer {
    return this.node.layer;
  }

  /** `[null, ...shape]`, as Keras prints it. */
  get batchShape(): (number | null)[] {
    return [null, ...this.shape];
  }

  /** `<layer>/<node>/<index>`, the reference a file writes (`[name, node, index]`). */
  get name(): string {
    return `${this.node.layer.name}/${this.node.index}/${this.index}`;
  }
}

/** One call of a layer: the tensors it read and the tensors it made. */
export class Node {
  outputs: SymbolicTensor[] = [];
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  /** Which call of the layer this is (0 for the first). */
  readonly index: number;
  constructor(layer: Layer, inputs: readonly SymbolicTensor[], index: number) {
    this.layer = layer;
    this.inputs = inputs;
    this.index = index;
  }
}

/** Every call made of each layer, in order (Keras `layer._inbound_nodes`). */
const nodesOfLayer = new WeakMap<Layer, Node[]>();

export function inboundNodes(layer: Layer): readonly Node[] {
  return nodesOfLayer.get(layer) ?? [];
}

/** Record a call of `layer` on `inputs` whose outputs have `shapes`. */
export function addNode(layer: Layer, inputs: readonly SymbolicTensor[], shapes: readonly Shape[]): Node {
  const list = nodesOfLayer.get(layer) ?? [];
  const node = new Node(layer, inputs, list.length);
  node.outputs = shapes.map((s, i) => new SymbolicTensor(s.slice(), node, i));
  list.push(node);
  nodesOfLayer.set(layer, list);
  return node;
}

/** `inputs` as a list of symbolic tensors, or a ValueError that says what `apply` takes. */
export function symbolicList(layer: Layer, inputs: unknown): SymbolicTensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) {
      const where = Array.isArray(inputs) ? `inputs[${i}]` : 'inputs';
      throw invalidArgument(where, `a symbolic tensor from km.input(...) or another layer's apply(...) (layer ${layer.name} builds a graph here; ` +
        'to compute on data, build a model and call model.predict)', t);
    }
  });
  return list as SymbolicTensor[];
}

/** Keras's message for an input whose shape the built layer cannot take. */
export function checkInputShapes(layer: Layer, expected: readonly Shape[], got: readonly Shape[]): void {
  if (expected.length !== got.length) {
    throw new ValueError(`Layer "${layer.name}" expects ${expected.length} input(s), but it received ${got.length} input tensors.`);
  }
  got.forEach((s, i) => {
    if (s.length !== expected[i]!.length || s.some((d, j) => d !== expected[i]![j])) {
      throw new ValueError(`Input ${i} of layer "${layer.name}" is incompatible with the layer: expected shape=(None, ${expected[i]!.join(', ')}), ` +
        `found shape=(None, ${s.join(', ')})`);
    }
  });
}

/** A graph between given inputs and outputs: its nodes in execution order and its layers in Keras order. */
export interface GraphMap {
  /** Nodes from the inputs to the outputs, in the order a depth-first walk finished them (a topological order). */
  nodes: Node[];
  /** Every layer once, in the order Keras lists `model.layers` (and so orders weights). */
  layers: Layer[];
}

/**
 * Walk back from `outputs` to `inputs` (Keras `map_graph` / TF.js `Container`): depth of a node
 * = its longest distance to an output; layers are listed by depth, deepest first, ties in the order
 * a depth-first walk first met them (so weights come in TF.js's and Keras's order). A tensor that cannot be reached from the inputs
 * is Keras's "Graph disconnected" error; two layers of one name are refused.
 */
export function mapGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): GraphMap {
  const inputSet = new Set(inputs);
  const order: Node[] = [];
  const finished = new Set<Node>();
  const visiting = new Set<Node>();
  const layerIndex = new Map<Layer, number>();
  const visit = (node: Node): void => {
    if (finished.has(node)) return;
    if (visiting.has(node)) throw new ValueError(`The graph has a cycle at layer "${node.layer.name}".`);
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    visiting.add(node);
    for (const t of node.inputs) visit(t.node);
    visiting.delete(node);
    finished.add(node);
    order.push(node);
  };
  for (const t of outputs) visit(t.node);
  checkConnected(inputSet, order);

  // Depths as Keras and TF.js count them: from the outputs back, a layer at the depth of its deepest call.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const d = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, d);
    nodeDepth.set(node, d);
    for (const t of node.inputs) nodeDepth.set(t.node, Math.max(d + 1, nodeDepth.get(t.node) ?? 0));
  }
  const layers = [...layerIndex.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!);
  checkUniqueNames(layers);
  return { nodes: order, layers };
}

/** Every node's inputs are model inputs or outputs of nodes met before; an input-layer node not given as an input is a disconnect. */
function checkConnected(inputs: ReadonlySet<SymbolicTensor>, order: readonly Node[]): void {
  const ok: string[] = [...inputs].map((t) => t.node.layer.name);
  for (const node of order) {
    if (node.inputs.length === 0 && node.outputs.some((t) => inputs.has(t))) continue;
    if (node.inputs.length === 0) {
      const t = node.outputs[0]!;
      throw new ValueError(`Graph disconnected: cannot obtain value for tensor ${t.name} (layer "${node.layer.name}"). ` +
        `The following previous layers were accessed without issue: [${ok.map((n) => `'${n}'`).join(', ')}]`);
    }
    ok.push(node.layer.name);
  }
}

function checkUniqueNames(layers: readonly Layer[]): void {
  const names = new Set<string>();
  for (const l of layers) {
    if (names.has(l.name)) {
      throw new ValueError(`The name "${l.name}" is used 2 times in the model. All layer names should be unique.`);
    }
    names.add(l.name);
  }
}

/** Keyword arguments of `layer.apply` (Keras call arguments). */
export interface ApplyArgs {
  /** An RNN's initial state: its tensors follow the input (TF.js's `apply([x, h, c])` is the same call). */
  initialState?: SymbolicTensor | SymbolicTensor[];
}

/**
 * `layer.apply(inputs)`: build the layer on the first call (from the inputs' shapes), check the
 * shapes on later calls (a shared layer: one set of weights), and record the call as a node. One
 * tensor back, or the list of a layer with several outputs (`outputCount`, an RNN's returnState).
 */
export function applyLayer(layer: Layer, inputs: unknown, kwargs: ApplyArgs = {}): SymbolicTensor | SymbolicTensor[] {
  const outs = applyLayerMany(layer, inputs, kwargs);
  return layer.outputCount > 1 ? outs : outs[0]!;
}

/** `applyLayer` that always returns the list of outputs (`layer.applyMany`). */
export function applyLayerMany(layer: Layer, inputs: unknown, kwargs: ApplyArgs = {}): SymbolicTensor[] {
  if (kwargs === null || typeof kwargs !== 'object') throw invalidArgument('kwargs', 'an object such as { initialState: [h, c] }', kwargs);
  const states = kwargs.initialState === undefined ? [] : symbolicList(layer, kwargs.initialState);
  if (states.length > 0 && !layer.takesStates) {
    throw invalidArgument('initialState', `nothing for layer ${layer.name} (${layer.className}): only recurrent layers take an initial state`, `${states.length} tensor(s)`);
  }
  const list = [...symbolicList(layer, inputs), ...states];
  const isList = Array.isArray(inputs);
  if (layer.takesList ? !isList || list.length < 2 : isList && !layer.takesStates) {
    throw layer.takesList
      ? invalidArgument('inputs', `a list of at least 2 symbolic tensors (layer ${layer.name} merges its inputs)`, inputs)
      : invalidArgument('inputs', `one symbolic tensor (layer ${layer.name} takes one input)`, `a list of ${list.length}`);
  }
  const shapes = list.map((t) => t.shape);
  if (layer.outputShape === null) {
    const declared = layer.batchInputShape?.slice(1) as Shape | undefined;
    if (declared !== undefined && !layer.takesList) checkInputShapes(layer, [declared], shapes.slice(0, 1));
    layer.buildFrom(shapes);
  } else {
    checkInputShapes(layer, layer.inputShapes, shapes);
  }
  const outShapes = layer.outputCount > 1 ? layer.computeOutputShapes(shapes) : [layer.outputShape!];
  return addNode(layer, list, outShapes).outputs;
}

// The ONNX graph under construction: nodes in execution order, initializers (weights and
// constants), unique names, and the few helpers every layer's conversion shares (constants,
// transposes, reductions whose `axes` moved from an attribute to an input at opset 18).
import { DataType } from './protobuf.js';
import type { AttributeValue, NodeMessage, TensorMessage } from './protobuf.js';

/** Attribute constructors: ONNX types each attribute, so an integer-valued float says so. */
export const attr = {
  f: (value: number): AttributeValue => ({ kind: 'float', value }),
  i: (value: number): AttributeValue => ({ kind: 'int', value }),
  s: (value: string): AttributeValue => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
};

export type Attributes = Readonly<Record<string, AttributeValue>>;

function floatBytes(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return bytes;
}

function int64Bytes(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

export class OnnxGraph {
  readonly opset: number;
  readonly nodes: NodeMessage[] = [];
  readonly initializers: TensorMessage[] = [];
  private readonly used = new Set<string>();
  /** The node that makes each tensor (for renaming a layer's last output). */
  private readonly producer = new Map<string, NodeMessage>();
  /** Name prefix of the nodes and tensors being emitted: the layer's name. */
  scope = '';

  constructor(opset: number) {
    this.opset = opset;
  }

  /** `base`, or `base_1`, `base_2`… if taken. Every node, tensor and initializer name is unique. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserve a name given from outside (a graph input). */
  claim(name: string): string {
    return this.unique(name);
  }

  /** Append a node with one output; returns the output's name (`<scope>/<op>`). */
  node(opType: string, inputs: readonly string[], attributes: Attributes = {}): string {
    return this.nodeOutputs(opType, inputs, 1, attributes)[0]!;
  }

  /** Append a node with `count` outputs (`<scope>/<op>`, then `…/<op>:1`, …); returns their names. */
  nodeOutputs(opType: string, inputs: readonly string[], count: number, attributes: Attributes = {}): string[] {
    const name = this.unique(`${this.scope}/${opType}`);
    const outputs = [name, ...Array.from({ length: count - 1 }, (_, i) => this.unique(`${name}:${i + 1}`))];
    const node: NodeMessage = {
      name, opType, inputs, outputs,
      attributes: Object.entries(attributes).map(([key, value]) => ({ name: key, value })),
    };
    this.nodes.push(node);
    for (const o of outputs) this.producer.set(o, node);
    return outputs;
  }

  /**
   * Give `tensor` the name `name` where this graph made it (its node's output), so a layer's
   * output carries the layer's name; returns the name it has afterwards. A tensor made before
   * the current layer (a pass-through) keeps its name.
   */
  rename(tensor: string, name: string, since: number): string {
    const node = this.producer.get(tensor);
    if (node === undefined || this.nodes.indexOf(node) < since) return tensor;
    const to = this.unique(name);
    const outputs = node.outputs as string[];
    outputs[outputs.indexOf(tensor)] = to;
    this.producer.delete(tensor);
    this.producer.set(to, node);
    return to;
  }

  /** A float32 initializer (weights, folded constants). */
  floats(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const n = this.unique(`${this.scope}/${name}`);
    this.initializers.push({ name: n, dims: dims.slice(), dataType: DataType.FLOAT, raw: floatBytes(values) });
    return n;
  }

  /** A float32 scalar constant. */
  scalar(name: string, value: number): string {
    return this.floats(name, [], [value]);
  }

  /** A 1-D int64 initializer (shapes, axes, pads). */
  int64s(name: string, values: readonly number[]): string {
    const n = this.unique(`${this.scope}/${name}`);
    this.initializers.push({ name: n, dims: [values.length], dataType: DataType.INT64, raw: int64Bytes(values) });
    return n;
  }

  transpose(x: string, perm: readonly number[]): string {
    return this.node('Transpose', [x], { perm: attr.ints(perm) });
  }

  /**
   * ReduceMean / ReduceMax / ReduceSum over `axes`: `axes` is an attribute before opset 18
   * (ReduceSum: before 13) and an input from then on.
   */
  reduce(op: 'ReduceMean' | 'ReduceMax' | 'ReduceSum', x: string, axes: readonly number[], keepdims: boolean): string {
    const asInput = this.opset >= (op === 'ReduceSum' ? 13 : 18);
    const keep = { keepdims: attr.i(keepdims ? 1 : 0) };
    if (asInput) return this.node(op, [x, this.int64s('axes', axes)], keep);
    return this.node(op, [x], { ...keep, axes: attr.ints(axes) });
  }
}

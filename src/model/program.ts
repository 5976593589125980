// A model's graph flattened into what the engine runs: values (one per tensor) and ops (one per
// call of a layer with weights or work to do), nested models expanded in place, in execution
// order. Built once per model graph; plans (buffers per batch size) are made from it.
import { ValueError } from '../errors.js';
import { InputLayer } from '../layers/core.js';
import type { Layer, Shape } from '../layers/layer.js';
import type { Node, SymbolicTensor } from './graph.js';

/** What the engine needs of a model's graph (Model satisfies it). */
export interface GraphModel {
  readonly name: string;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Nodes in execution order (deepest first). */
  readonly nodes: readonly Node[];
  /** True for a nested model: the engine expands its nodes instead of calling it. */
  readonly isGraph: true;
}

export function isGraphModel(layer: Layer): layer is Layer & GraphModel {
  return (layer as Partial<GraphModel>).isGraph === true;
}

/** One layer call the engine runs. */
export interface Op {
  /**
   * The layer, or for a shared layer's later calls an object that inherits from it (same weights
   * and settings) and keeps its own per-call scratch buffers (`plan` writes them on it).
   */
  readonly layer: Layer;
  /** The layer as created (the same object for every call of a shared layer). */
  readonly base: Layer;
  readonly inputs: readonly number[];
  /** The first output (`outputs[0]`). */
  readonly output: number;
  /** Every output of the call (one value each; several for an RNN with returnState). */
  readonly outputs: readonly number[];
  /** The mask slot that reaches the op's first input, for a layer that reads masks (`consumesMask`); -1: none. */
  mask: number;
  /** The mask slot the op writes (`producesMask`); -1: none. */
  maskOut: number;
  /** This op is not the first call of its layer, counted in backward order: it adds its weight gradients. */
  accumulate: boolean;
}

export interface Program {
  /** Per value: its per-sample shape, and the op that makes it (-1 for a model input). */
  readonly shapes: readonly Shape[];
  readonly producer: readonly number[];
  /** Per value: the ops that read it, in order (an op reading it twice is listed twice). */
  readonly consumers: readonly number[][];
  readonly ops: readonly Op[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Every layer the ops call, once each, in op order (penalties, planning). */
  readonly layers: readonly Layer[];
  /** Per mask slot: floats per sample (the steps of the value it masks), and whether any op reads it. */
  readonly masks: readonly { readonly size: number; read: boolean }[];
}

/** Flatten `model`'s graph. A layer called more than once must say it can share its weights. */
export function buildProgram(model: GraphModel): Program {
  const shapes: Shape[] = [];
  const producer: number[] = [];
  const ops: Op[] = [];
  const newValue = (shape: Shape, op: number): number => {
    shapes.push(shape.slice());
    producer.push(op);
    return shapes.length - 1;
  };
  const inputs = model.inputs.map((t) => newValue(t.shape, -1));
  const outputs = expand(model, inputs, ops, newValue);
  const masks = flowMasks(ops, shapes);
  const calls = new Map<Layer, number>();
  for (const op of ops) calls.set(op.base, (calls.get(op.base) ?? 0) + 1);
  for (const [layer, n] of calls) {
    if (n > 1 && !layer.sharesWeights) {
      throw new ValueError(`Layer "${layer.name}" (${layer.className}) is called ${n} times in model "${model.name}": kerasm cannot share its weights ` +
        'across calls yet. Use a separate layer for each call.');
    }
  }
  // Backward runs in reverse: the last call of a shared layer writes its gradients, earlier ones add.
  const seen = new Set<Layer>();
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    op.accumulate = seen.has(op.base);
    seen.add(op.base);
  }
  const consumers: number[][] = shapes.map(() => []);
  ops.forEach((op, i) => op.inputs.forEach((v) => consumers[v]!.push(i)));
  return { shapes, producer, consumers, ops, inputs, outputs, layers: [...calls.keys()], masks };
}

/**
 * Which mask reaches which op, as Keras passes `mask` from call to call: a layer that makes one
 * (`producesMask`) starts a slot for its output; one that `propagatesMask` hands its first input's
 * on to its first output; any other layer drops it (Keras does too). A slot is laid out only where
 * an op that `consumesMask` reads it. Model inputs carry none.
 */
function flowMasks(ops: Op[], shapes: readonly Shape[]): { size: number; read: boolean }[] {
  const masks: { size: number; read: boolean }[] = [];
  const maskOf: number[] = shapes.map(() => -1);
  for (const op of ops) {
    const incoming = op.inputs.length > 0 ? maskOf[op.inputs[0]!]! : -1;
    op.mask = op.layer.consumesMask ? incoming : -1;
    if (op.mask >= 0) masks[op.mask]!.read = true;
    op.maskOut = -1;
    if (op.layer.producesMask) {
      const shape = shapes[op.output]!;
      op.maskOut = masks.length;
      masks.push({ size: shape.slice(0, -1).reduce((a, d) => a * d, 1), read: false });
      maskOf[op.output] = op.maskOut;
    } else if (op.layer.propagatesMask) {
      maskOf[op.output] = incoming;
    }
  }
  return masks;
}

/** Append `model`'s ops reading `inputs`; returns the values of its outputs. */
function expand(model: GraphModel, inputs: readonly number[], ops: Op[], newValue: (shape: Shape, op: number) => number): number[] {
  const valueOf = new Map<SymbolicTensor, number>();
  model.inputs.forEach((t, i) => valueOf.set(t, inputs[i]!));
  for (const node of model.nodes) {
    if (node.layer instanceof InputLayer) continue;
    const args = node.inputs.map((t) => {
      const v = valueOf.get(t);
      if (v === undefined) throw new ValueError(`Graph disconnected: cannot obtain value for tensor ${t.name} at layer "${node.layer.name}".`);
      return v;
    });
    if (isGraphModel(node.layer)) {
      const outs = expand(node.layer, args, ops, newValue);
      node.outputs.forEach((t, i) => valueOf.set(t, outs[i]!));
      continue;
    }
    const base = node.layer;
    const again = ops.some((op) => op.base === base);
    const layer = again ? (Object.create(base) as Layer) : base;
    const outs = node.outputs.map((t) => newValue(t.shape, ops.length));
    ops.push({ layer, base, inputs: args, output: outs[0]!, outputs: outs, mask: -1, maskOut: -1, accumulate: false });
    node.outputs.forEach((t, i) => valueOf.set(t, outs[i]!));
  }
  return model.outputs.map((t) => {
    const v = valueOf.get(t);
    if (v === undefined) throw new ValueError(`Graph disconnected: cannot obtain value for output ${t.name}.`);
    return v;
  });
}

// km.input: the start of a graph of layers (Keras `keras.Input`, TF.js `tf.input`).
import { checkOptions, invalidArgument } from '../errors.js';
import { InputLayer } from '../layers/core.js';
import { addNode, inboundNodes } from './graph.js';
import type { SymbolicTensor } from './graph.js';

/** Options of `km.input({ shape })` (Keras `keras.Input`, TF.js `tf.input`). */
export interface InputArgs {
  /** Shape of one sample, without the batch: `[784]`, `[28, 28, 1]`. */
  shape?: number[];
  /** Shape with the batch first (`[null, 784]`); instead of `shape`. */
  batchShape?: (number | null)[];
  /** Name of the input (the key of this input when `fit`/`predict` take an object). */
  name?: string;
  /** Only `'float32'`. */
  dtype?: string;
  /** Only false: kerasm inputs are dense. */
  sparse?: false;
}

/** A symbolic input tensor: `const x = km.input({ shape: [784] })`, then `layer.apply(x)`. */
export function input(args: InputArgs): SymbolicTensor {
  checkOptions(args, ['shape', 'batchShape', 'name', 'dtype', 'sparse'], 'input', false);
  if (args.shape === undefined && args.batchShape === undefined) {
    throw invalidArgument('shape', 'the shape of one sample, e.g. km.input({ shape: [784] })', args.shape);
  }
  const layer = args.shape !== undefined
    ? new InputLayer({ inputShape: args.shape, name: args.name, dtype: args.dtype, sparse: args.sparse })
    : new InputLayer({ batchInputShape: args.batchShape, name: args.name, dtype: args.dtype, sparse: args.sparse });
  const shape = layer.batchInputShape!.slice(1) as number[];
  layer.build(shape);
  return addNode(layer, [], [shape]).outputs[0]!;
}

/** The symbolic tensor an InputLayer stands for (its first call), made on first use. */
export function inputTensorOf(layer: InputLayer): SymbolicTensor {
  const made = inboundNodes(layer)[0];
  if (made !== undefined) return made.outputs[0]!;
  const shape = layer.batchInputShape!.slice(1) as number[];
  if (layer.outputShape === null) layer.build(shape);
  return addNode(layer, [], [shape]).outputs[0]!;
}

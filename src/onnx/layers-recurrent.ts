// Conversions of SimpleRNN, LSTM and GRU to ONNX's RNN, LSTM and GRU ops. ONNX reads
// [steps, batch, features] and weights [directions, gates·units, in] with its own gate order:
// an LSTM's Keras blocks i, f, c, o become ONNX's i, o, f, c; GRU's z, r, h are ONNX's; a GRU with
// resetAfter is `linear_before_reset` = 1 and its two bias rows are ONNX's Wb and Rb. goBackwards
// reverses the input first and runs forward, since Keras returns the sequence in processing order
// (ONNX's 'reverse' direction returns it in input order).
import { ValueError } from '../errors.js';
import type { ActivationInfo } from '../activations/index.js';
import { attr } from './graph.js';
import type { Attributes, OnnxGraph } from './graph.js';
import { permute, x0 } from './convert.js';
import type { Converter, LayerCall } from './convert.js';
import type { AttributeValue } from './protobuf.js';

/** What the conversions read of a recurrent layer (src/layers/recurrent*.ts). */
interface Recurrent {
  readonly name: string;
  readonly className: string;
  readonly units: number;
  readonly activation: ActivationInfo;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly recurrentActivation?: ActivationInfo;
  /** The cell kernel's code of the gate activation: 5 is Keras 2's hard sigmoid, clip(0.2·x + 0.5, 0, 1). */
  readonly ractCode?: number;
  readonly resetAfter?: boolean;
}

const KERAS2_HARD_SIGMOID_CODE = 5;

/** An activation as ONNX's recurrent ops name it, with its α/β where they differ from the op's defaults. */
function cellActivation(layer: Recurrent, a: ActivationInfo, keras2HardSigmoid: boolean): { name: string; alpha?: number; beta?: number } {
  switch (a.name) {
    case 'sigmoid': return { name: 'Sigmoid' };
    case 'tanh': return { name: 'Tanh' };
    case 'relu': return { name: 'Relu' };
    case 'softsign': return { name: 'Softsign' };
    // HardSigmoid's defaults are Keras 2's α = 0.2, β = 0.5; Keras 3's is relu6(x + 3)/6.
    case 'hard_sigmoid': return keras2HardSigmoid ? { name: 'HardSigmoid' } : { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'elu': return a.alpha === 1 ? { name: 'Elu' } : { name: 'Elu', alpha: a.alpha };
    case 'leaky_relu': return { name: 'LeakyRelu', alpha: a.alpha };
    default:
      throw new ValueError(`exportOnnx: layer "${layer.name}" (${layer.className}) uses the activation '${a.name}', which ONNX's recurrent ops do not take ` +
        '(they take sigmoid, tanh, relu, softsign, hard_sigmoid, elu, leaky_relu).');
  }
}

/**
 * The `activations` attributes. ONNX lists the α and β values in the order of the functions that
 * read them; this writes them only where every function that has one comes before every function
 * that has none, so readers that count α by function and readers that count them by position
 * agree. Otherwise it refuses.
 */
function activationAttributes(layer: Recurrent, funcs: { name: string; alpha?: number; beta?: number }[]): Attributes {
  const withParams = funcs.map((f) => f.alpha !== undefined || f.beta !== undefined);
  const firstWithout = withParams.indexOf(false);
  if (firstWithout !== -1 && withParams.slice(firstWithout).some(Boolean)) {
    throw new ValueError(`exportOnnx: layer "${layer.name}" (${layer.className}): its activation needs a parameter after its gate activation's defaults; ` +
      'ONNX readers disagree on how such lists are read. Use tanh, sigmoid, relu or softsign as the activation.');
  }
  const out: Record<string, AttributeValue> = { activations: { kind: 'strings', value: funcs.map((f) => f.name) } };
  const params = funcs.filter((_, i) => withParams[i]);
  if (params.length > 0) {
    out.activation_alpha = { kind: 'floats', value: params.map((f) => f.alpha ?? defaultAlpha(f.name)) };
    out.activation_beta = { kind: 'floats', value: params.map((f) => f.beta ?? defaultBeta(f.name)) };
  }
  return out;
}

function defaultAlpha(name: string): number {
  return name === 'HardSigmoid' ? 0.2 : name === 'LeakyRelu' ? 0.01 : 1;
}

function defaultBeta(name: string): number {
  return name === 'HardSigmoid' ? 0.5 : 0;
}

/** A Keras [rows, gates·units] matrix as ONNX's [1, gates·units, rows], gate blocks in `order`. */
function gateMatrix(g: OnnxGraph, name: string, values: Float32Array, rows: number, units: number, order: readonly number[]): string {
  const gates = order.length;
  const t = permute(values, [rows, gates * units], [1, 0]);
  const out = new Float32Array(t.length);
  order.forEach((from, to) => out.set(t.subarray(from * units * rows, (from + 1) * units * rows), to * units * rows));
  return g.floats(name, [1, gates * units, rows], out);
}

/** ONNX's B [1, 2·gates·units]: the input bias then the recurrent one, gate blocks in `order`. */
function gateBias(g: OnnxGraph, layer: Recurrent, bias: Float32Array, order: readonly number[]): string {
  const gu = order.length * layer.units;
  const out = new Float32Array(2 * gu);
  const rowsOfBias = bias.length / gu;
  for (let r = 0; r < rowsOfBias; r++) {
    order.forEach((from, to) => out.set(bias.subarray(r * gu + from * layer.units, r * gu + (from + 1) * layer.units), r * gu + to * layer.units));
  }
  return g.floats('B', [1, 2 * gu], out);
}

/** Keras's gate blocks in ONNX's order, per class. */
const GATE_ORDER: Readonly<Record<string, { op: string; order: readonly number[] }>> = {
  SimpleRNN: { op: 'RNN', order: [0] },
  LSTM: { op: 'LSTM', order: [0, 3, 1, 2] },
  GRU: { op: 'GRU', order: [0, 1, 2] },
};

const recurrent: Converter = (c: LayerCall) => {
  const layer = c.layer as unknown as Recurrent;
  const { op, order } = GATE_ORDER[layer.className]!;
  const g = c.g;
  const units = layer.units;
  const inDim = c.inputShapes[0]!.at(-1)!;
  let x = x0(c);
  if (layer.goBackwards) {
    x = g.node('Slice', [x, g.int64s('starts', [-1]), g.int64s('ends', [-Number.MAX_SAFE_INTEGER]), g.int64s('axes', [1]), g.int64s('steps', [-1])]);
  }
  x = g.transpose(x, [1, 0, 2]);
  const inputs = [x, gateMatrix(g, 'W', c.weight('kernel'), inDim, units, order), gateMatrix(g, 'R', c.weight('recurrent_kernel'), units, units, order)];
  inputs.push(layer.useBias ? gateBias(g, layer, c.weight('bias'), order) : '');
  // Initial states, when the call gives them: [batch, units] → ONNX's [1, batch, units].
  const states = c.inputs.slice(1).map((s) => g.node('Unsqueeze', [s, g.int64s('axes', [0])]));
  if (states.length > 0) inputs.push('', states[0]!);
  if (states.length > 1) inputs.push(states[1]!);
  while (inputs.at(-1) === '') inputs.pop();

  const main = cellActivation(layer, layer.activation, false);
  const gate = layer.recurrentActivation === undefined ? null : cellActivation(layer, layer.recurrentActivation, layer.ractCode === KERAS2_HARD_SIGMOID_CODE);
  const funcs = op === 'RNN' ? [main] : op === 'LSTM' ? [gate!, main, main] : [gate!, main];
  const attributes: Record<string, AttributeValue> = { hidden_size: attr.i(units), ...activationAttributes(layer, funcs) };
  if (op === 'GRU') attributes.linear_before_reset = attr.i(layer.resetAfter === true ? 1 : 0);
  const [y, yh, yc] = g.nodeOutputs(op, inputs, op === 'LSTM' ? 3 : 2, attributes);
  const squeeze = (t: string, axis: number) => g.node('Squeeze', [t, g.int64s('axes', [axis])]);
  const out = layer.returnSequences ? g.transpose(squeeze(y!, 1), [1, 0, 2]) : squeeze(yh!, 0);
  if (!layer.returnState) return out;
  return op === 'LSTM' ? [out, squeeze(yh!, 0), squeeze(yc!, 0)] : [out, squeeze(yh!, 0)];
};

/** The conversions of the layers in this file, by Keras class name. */
export const RECURRENT_CONVERTERS: Readonly<Record<string, Converter>> = {
  SimpleRNN: recurrent,
  LSTM: recurrent,
  GRU: recurrent,
};

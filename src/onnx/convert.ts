// What a layer's conversion gets and gives, and the activations every family shares. Each
// activation is the ONNX op of the same formula where there is one (Keras 3's hard sigmoid is
// HardSigmoid with α = 1/6, β = 1/2), else a few ops of its definition (GELU before opset 20,
// swish).
import { ValueError } from '../errors.js';
import type { ActivationInfo } from '../activations/index.js';
import type { Layer, Shape } from '../layers/layer.js';
import { attr } from './graph.js';
import type { OnnxGraph } from './graph.js';

/** One call of a layer, as its conversion sees it. */
export interface LayerCall {
  readonly g: OnnxGraph;
  readonly layer: Layer;
  /** The ONNX names of its input tensors (each [batch, ...shape]). */
  readonly inputs: readonly string[];
  /** Per-sample input shapes (no batch). */
  readonly inputShapes: readonly Shape[];
  /** Per-sample output shape. */
  readonly outputShape: Shape;
  /** The values of the layer's weight `name` (kernel, bias, gamma…), Keras layout. */
  weight(name: string): Float32Array;
  /** Whether the layer has the weight `name` (an optional bias, γ or β). */
  hasWeight(name: string): boolean;
  /**
   * Convert another layer (a wrapper's inner layer, built on `inputShapes`) on `inputs`, its
   * nodes and weights named under this layer's; its output tensors.
   */
  convert(layer: Layer, inputs: readonly string[], inputShapes: readonly Shape[]): string[];
}

/** Emits a layer's ops and returns the name of the tensor that is its output (a list for several). */
export type Converter = (c: LayerCall) => string | string[];

/** The first input (layers of one input). */
export function x0(c: LayerCall): string {
  return c.inputs[0]!;
}

/** Keras's SELU constants (keras/src/activations/activations.py). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** x·Φ(x) = x·(1 + erf(x/√2))/2, or its tanh approximation, from opset-13 ops. */
function geluOps(g: OnnxGraph, x: string, approximate: boolean): string {
  let inner: string;
  if (approximate) {
    // tanh(√(2/π)·(x + 0.044715·x³))
    const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const sum = g.node('Add', [x, g.node('Mul', [cube, g.scalar('c', 0.044715)])]);
    inner = g.node('Tanh', [g.node('Mul', [sum, g.scalar('sqrt_2_over_pi', Math.sqrt(2 / Math.PI))])]);
  } else {
    inner = g.node('Erf', [g.node('Mul', [x, g.scalar('sqrt_half', Math.SQRT1_2)])]);
  }
  const half = g.node('Mul', [x, g.scalar('half', 0.5)]);
  return g.node('Mul', [half, g.node('Add', [inner, g.scalar('one', 1)])]);
}

/** `activation(x)`; `x` itself for linear. Softmax and log-softmax act on the last axis. */
export function emitActivation(g: OnnxGraph, x: string, a: ActivationInfo): string {
  switch (a.name) {
    case 'linear': return x;
    case 'relu': return g.node('Relu', [x]);
    case 'relu6': return g.node('Clip', [x, g.scalar('min', 0), g.scalar('max', 6)]);
    case 'leaky_relu': return g.node('LeakyRelu', [x], { alpha: attr.f(a.alpha) });
    case 'elu': return g.node('Elu', [x], { alpha: attr.f(a.alpha) });
    case 'selu': return g.node('Selu', [x], { alpha: attr.f(SELU_ALPHA), gamma: attr.f(SELU_SCALE) });
    case 'gelu': return g.opset >= 20 ? g.node('Gelu', [x]) : geluOps(g, x, false);
    case 'gelu_new': return g.opset >= 20 ? g.node('Gelu', [x], { approximate: attr.s('tanh') }) : geluOps(g, x, true);
    case 'sigmoid': return g.node('Sigmoid', [x]);
    case 'hard_sigmoid': return g.node('HardSigmoid', [x], { alpha: attr.f(1 / 6), beta: attr.f(0.5) });
    case 'tanh': return g.node('Tanh', [x]);
    case 'softplus': return g.node('Softplus', [x]);
    case 'softsign': return g.node('Softsign', [x]);
    case 'swish': case 'silu': return g.node('Mul', [x, g.node('Sigmoid', [x])]);
    case 'exponential': return g.node('Exp', [x]);
    case 'softmax': return g.node('Softmax', [x], { axis: attr.i(-1) });
    case 'log_softmax': return g.node('LogSoftmax', [x], { axis: attr.i(-1) });
    default: throw new ValueError(`exportOnnx: the activation '${a.name}' has no ONNX conversion in kerasm yet.`);
  }
}

/** Whether the activation acts on each element alone (so it may run in either layout). */
export function isElementwise(a: ActivationInfo): boolean {
  return a.kind === 'elementwise' || a.kind === 'linear';
}

/** `values` (row-major, `shape`) with its axes reordered: out axis i is in axis perm[i]. */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const idx = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < idx.length; i++) src += idx[i]! * strides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

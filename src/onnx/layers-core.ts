// Conversions of the layers that act on the last axis or on whole tensors: Dense, the
// activation layers, normalization, merges, reshapes, and the layers that vanish at inference
// (the dropout family, noise, activity regularization, the random augmentations: their input
// passes through).
import { plainRelu } from '../activations/layer-configs.js';
import type { ELU, LeakyReLU, ReLU, ThresholdedReLU } from '../layers/activations.js';
import type { BatchNormalization } from '../layers/batch-normalization.js';
import type { Concatenate } from '../layers/concatenate.js';
import type { Activation } from '../layers/core.js';
import type { Dense } from '../layers/dense.js';
import type { LayerNormalization } from '../layers/normalization.js';
import { attr } from './graph.js';
import type { OnnxGraph } from './graph.js';
import { emitActivation, x0 } from './convert.js';
import type { Converter, LayerCall } from './convert.js';

const identity: Converter = (c) => x0(c);

/** x·W (+ b), then the activation: MatMul takes inputs of any rank ≥ 2 against a 2-D kernel. */
const dense: Converter = (c) => {
  const layer = c.layer as Dense;
  const kernel = c.g.floats('kernel', [c.inputShapes[0]!.at(-1)!, layer.units], c.weight('kernel'));
  let y = c.g.node('MatMul', [x0(c), kernel]);
  if (layer.useBias) y = c.g.node('Add', [y, c.g.floats('bias', [layer.units], c.weight('bias'))]);
  return emitActivation(c.g, y, layer.activation);
};

/** Keras 3 ReLU: x > t ? min(x, max) : slope·(x − t), as one op where the arguments allow. */
const relu: Converter = (c) => {
  const l = c.layer as ReLU;
  const g = c.g;
  const plain = plainRelu(l.maxValue, l.negativeSlope, l.threshold);
  if (plain !== null) {
    if (plain.name === 'relu') return g.node('Relu', [x0(c)]);
    if (plain.name === 'relu6') return g.node('Clip', [x0(c), g.scalar('min', 0), g.scalar('max', 6)]);
    return g.node('LeakyRelu', [x0(c)], { alpha: attr.f(plain.alpha!) });
  }
  const x = x0(c);
  const t = g.scalar('threshold', l.threshold);
  const above = l.maxValue === null ? x : g.node('Min', [x, g.scalar('max_value', l.maxValue)]);
  const below = g.node('Mul', [g.node('Sub', [x, t]), g.scalar('negative_slope', l.negativeSlope)]);
  return g.node('Where', [g.node('Greater', [x, t]), above, below]);
};

/**
 * Inference BatchNormalization folded into x·s + o per channel (the last axis), with
 * s = γ/√(var + ε) and o = β − mean·s computed in float64.
 */
const batchNormalization: Converter = (c) => {
  const l = c.layer as BatchNormalization;
  const mean = c.weight('moving_mean');
  const variance = c.weight('moving_variance');
  const n = mean.length;
  const scale = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scale[i] = (l.scale ? c.weight('gamma')[i]! : 1) / Math.sqrt(variance[i]! + l.epsilon);
    offset[i] = (l.center ? c.weight('beta')[i]! : 0) - mean[i]! * scale[i]!;
  }
  const y = c.g.node('Mul', [x0(c), c.g.floats('scale', [n], scale)]);
  return c.g.node('Add', [y, c.g.floats('offset', [n], offset)]);
};

/** LayerNormalization over the last axis: the op from opset 17, its formula before. */
const layerNormalization: Converter = (c) => {
  const l = c.layer as LayerNormalization;
  const g = c.g;
  const n = c.inputShapes[0]!.at(-1)!;
  const gamma = l.scale ? g.floats('gamma', [n], c.weight('gamma')) : null;
  const beta = l.center ? g.floats('beta', [n], c.weight('beta')) : null;
  if (g.opset >= 17) {
    const inputs = [x0(c), gamma ?? g.floats('ones', [n], new Float32Array(n).fill(1))];
    if (beta !== null) inputs.push(beta);
    return g.node('LayerNormalization', inputs, { axis: attr.i(-1), epsilon: attr.f(l.epsilon) });
  }
  const d = g.node('Sub', [x0(c), g.reduce('ReduceMean', x0(c), [-1], true)]);
  const variance = g.reduce('ReduceMean', g.node('Mul', [d, d]), [-1], true);
  let y = g.node('Div', [d, g.node('Sqrt', [g.node('Add', [variance, g.scalar('epsilon', l.epsilon)])])]);
  if (gamma !== null) y = g.node('Mul', [y, gamma]);
  if (beta !== null) y = g.node('Add', [y, beta]);
  return y;
};

/** A binary op folded over the inputs, left to right (as the merge kernels add and multiply). */
function fold(g: OnnxGraph, op: string, inputs: readonly string[]): string {
  return inputs.slice(1).reduce((acc, x) => g.node(op, [acc, x]), inputs[0]!);
}

/** Dot of two [batch, d] inputs over axis 1: Σ a·b, kept as [batch, 1]. */
const dot: Converter = (c) => c.g.reduce('ReduceSum', c.g.node('Mul', [c.inputs[0]!, c.inputs[1]!]), [1], true);

const concatenate: Converter = (c) => {
  const axis = (c.layer as Concatenate).axis;
  return c.g.node('Concat', c.inputs, { axis: attr.i(axis < 0 ? axis + c.inputShapes[0]!.length + 1 : axis) });
};

/** Reshape to the layer's output shape (any −1 resolved), the batch inferred. */
const reshape: Converter = (c) => c.g.node('Reshape', [x0(c), c.g.int64s('shape', [-1, ...c.outputShape])]);

/** Rescaling: x·scale + offset (one number each). */
const rescaling: Converter = (c) => {
  const { scale, offset } = c.layer as unknown as { readonly scale: number; readonly offset: number };
  const y = c.g.node('Mul', [x0(c), c.g.scalar('scale', scale)]);
  return offset === 0 ? y : c.g.node('Add', [y, c.g.scalar('offset', offset)]);
};

/** The conversions of the layers in this file, by Keras class name. */
export const CORE_CONVERTERS: Readonly<Record<string, Converter>> = {
  Dense: dense,
  Activation: (c) => emitActivation(c.g, x0(c), (c.layer as Activation).activation),
  ReLU: relu,
  LeakyReLU: (c) => c.g.node('LeakyRelu', [x0(c)], { alpha: attr.f((c.layer as LeakyReLU).alpha) }),
  ELU: (c) => c.g.node('Elu', [x0(c)], { alpha: attr.f((c.layer as ELU).alpha) }),
  ThresholdedReLU: (c) => c.g.node('ThresholdedRelu', [x0(c)], { alpha: attr.f((c.layer as ThresholdedReLU).theta) }),
  Softmax: (c) => c.g.node('Softmax', [x0(c)], { axis: attr.i(-1) }),
  PReLU: (c: LayerCall) => c.g.node('PRelu', [x0(c), c.g.floats('alpha', c.layer.weights[0]!.shape, c.weight('alpha'))]),
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  Add: (c) => fold(c.g, 'Add', c.inputs),
  Subtract: (c) => c.g.node('Sub', [c.inputs[0]!, c.inputs[1]!]),
  Multiply: (c) => fold(c.g, 'Mul', c.inputs),
  Average: (c) => c.g.node('Mean', c.inputs),
  Maximum: (c) => c.g.node('Max', c.inputs),
  Minimum: (c) => c.g.node('Min', c.inputs),
  Concatenate: concatenate,
  Dot: dot,
  Flatten: (c) => c.g.node('Flatten', [x0(c)], { axis: attr.i(1) }),
  Reshape: reshape,
  Dropout: identity,
  SpatialDropout1D: identity,
  SpatialDropout2D: identity,
  AlphaDropout: identity,
  GaussianDropout: identity,
  GaussianNoise: identity,
  ActivityRegularization: identity,
  // The random augmentation layers are the identity at inference (RandomCrop: layers-spatial.ts).
  RandomFlip: identity,
  RandomRotation: identity,
  RandomTranslation: identity,
  RandomZoom: identity,
  RandomContrast: identity,
  RandomBrightness: identity,
  Rescaling: rescaling,
};

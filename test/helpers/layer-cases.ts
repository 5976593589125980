// The layer harness's cases (layer-harness.ts): at least one per class in the layer registry
// (src/layers/registry.ts), keyed by the Keras class_name; test/layers/harness.test.ts fails
// for a registered class without one. A new layer class adds its row here: a factory call that
// spreads `o` into its options, the input shape(s), the output shape and the weights. A layer
// that takes a list of inputs (a merge layer) gives `inputShapes: [[4], [4]]` instead of
// `inputShape`; one with noise or batch statistics adds `training: true`; one whose derivative
// jumps gives the points (`kinks`) or, for Maximum and Minimum, `distinctInputs`.
import * as km from '../../src/index.js';
import type { LayerTestSpec } from './layer-harness.js';

/** One harness run: a spec and what it covers. */
export interface LayerCase extends LayerTestSpec {
  readonly title: string;
}

const L = km.layers;
const reg = km.regularizers;

export const LAYER_CASES: Readonly<Record<string, readonly LayerCase[]>> = {
  // Merge layers (src/layers/merge.ts, concatenate.ts) and activation layers (activations.ts, prelu.ts).
  Add: [
    { title: 'three inputs, rank 3', make: (o) => L.add({ ...o }), inputShapes: [[2, 3], [2, 3], [2, 3]], expectedOutputShape: [2, 3] },
  ],
  Subtract: [
    { title: 'two inputs', make: (o) => L.subtract({ ...o }), inputShapes: [[4], [4]], expectedOutputShape: [4] },
  ],
  Multiply: [
    { title: 'two inputs', make: (o) => L.multiply({ ...o }), inputShapes: [[5], [5]], expectedOutputShape: [5] },
    { title: 'three inputs (each gradient the product of the others)', make: (o) => L.multiply({ ...o }), inputShapes: [[2, 2], [2, 2], [2, 2]], expectedOutputShape: [2, 2] },
  ],
  Average: [
    { title: 'three inputs', make: (o) => L.average({ ...o }), inputShapes: [[3], [3], [3]], expectedOutputShape: [3] },
  ],
  Maximum: [
    { title: 'two inputs', make: (o) => L.maximum({ ...o }), inputShapes: [[4], [4]], expectedOutputShape: [4], distinctInputs: true },
    { title: 'three inputs', make: (o) => L.maximum({ ...o }), inputShapes: [[3], [3], [3]], expectedOutputShape: [3], distinctInputs: true },
  ],
  Minimum: [
    { title: 'three inputs, rank 3', make: (o) => L.minimum({ ...o }), inputShapes: [[2, 2], [2, 2], [2, 2]], expectedOutputShape: [2, 2], distinctInputs: true },
  ],
  Concatenate: [
    { title: 'last axis', make: (o) => L.concatenate({ ...o }), inputShapes: [[2, 3], [2, 5]], expectedOutputShape: [2, 8] },
    { title: 'axis 1 of rank 3, three inputs', make: (o) => L.concatenate({ axis: 1, ...o }), inputShapes: [[2, 3], [1, 3], [3, 3]], expectedOutputShape: [6, 3] },
    { title: 'axis -2 of rank 4', make: (o) => L.concatenate({ axis: -2, ...o }), inputShapes: [[2, 1, 3], [2, 2, 3]], expectedOutputShape: [2, 3, 3] },
  ],
  Dot: [
    { title: 'axes 1', make: (o) => L.dot({ axes: 1, ...o }), inputShapes: [[5], [5]], expectedOutputShape: [1] },
    { title: 'axes [-1, -1]', make: (o) => L.dot({ axes: [-1, -1], ...o }), inputShapes: [[3], [3]], expectedOutputShape: [1] },
  ],
  ReLU: [
    { title: 'defaults (the relu kernel)', make: (o) => L.reLU({ ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0] },
    { title: 'maxValue, negativeSlope, threshold (the general kernel)', make: (o) => L.reLU({ maxValue: 1, negativeSlope: 0.1, threshold: 0.5, ...o }), inputShape: [2, 3], expectedOutputShape: [2, 3], kinks: [0.5, 1] },
    { title: 'negativeSlope only (the leaky kernel)', make: (o) => L.reLU({ negativeSlope: 0.25, ...o }), inputShape: [5], expectedOutputShape: [5], kinks: [0] },
  ],
  LeakyReLU: [
    { title: 'alpha (TF.js)', make: (o) => L.leakyReLU({ alpha: 0.2, ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0] },
    { title: 'negativeSlope (Keras 3)', make: (o) => L.leakyReLU({ negativeSlope: 0.4, ...o }), inputShape: [2, 3], expectedOutputShape: [2, 3], kinks: [0] },
  ],
  PReLU: [
    { title: 'one alpha per element', make: (o) => L.pReLU({ ...o }), inputShape: [5], expectedOutputShape: [5], kinks: [0], expectedWeights: [['alpha', [5]]] },
    {
      title: 'sharedAxes [1, 2] (one alpha per channel), l2, nonNeg', make: (o) => L.pReLU({ sharedAxes: [1, 2], alphaRegularizer: reg.l2(0.1), alphaConstraint: km.constraints.nonNeg(), ...o }),
      inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], kinks: [0], expectedWeights: [['alpha', [1, 1, 4]]],
    },
    { title: 'sharedAxes [2] (unshared, shared, unshared)', make: (o) => L.pReLU({ sharedAxes: [2], ...o }), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 4], kinks: [0], expectedWeights: [['alpha', [2, 1, 4]]] },
    { title: 'sharedAxes 2 (trailing shared run)', make: (o) => L.pReLU({ sharedAxes: 2, alphaRegularizer: reg.l1(0.05), ...o }), inputShape: [3, 5], expectedOutputShape: [3, 5], kinks: [0], expectedWeights: [['alpha', [3, 1]]] },
  ],
  ELU: [
    { title: 'default alpha', make: (o) => L.elu({ ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0] },
    { title: 'alpha 0.5', make: (o) => L.elu({ alpha: 0.5, ...o }), inputShape: [2, 3], expectedOutputShape: [2, 3], kinks: [0] },
  ],
  Softmax: [
    { title: 'rank 2', make: (o) => L.softmax({ ...o }), inputShape: [5], expectedOutputShape: [5] },
    { title: 'rank 3, axis 2 (the last)', make: (o) => L.softmax({ axis: 2, ...o }), inputShape: [2, 4], expectedOutputShape: [2, 4] },
  ],
  ThresholdedReLU: [
    { title: 'theta 0.5', make: (o) => L.thresholdedReLU({ theta: 0.5, ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0.5] },
  ],
  Activation: [
    { title: 'tanh', make: (o) => L.activation({ activation: 'tanh', ...o }), inputShape: [5], expectedOutputShape: [5] },
    { title: 'softmax over the last axis of a rank-3 input', make: (o) => L.activation({ activation: 'softmax', ...o }), inputShape: [2, 4], expectedOutputShape: [2, 4] },
    { title: 'relu', make: (o) => L.activation({ activation: 'relu', ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0] },
  ],
  ActivityRegularization: [
    { title: 'l1 and l2 (the penalty in the loss)', make: (o) => L.activityRegularization({ l1: 0.03, l2: 0.05, ...o }), inputShape: [6], expectedOutputShape: [6], kinks: [0] },
  ],
  AlphaDropout: [
    { title: 'per unit, seeded', make: (o) => L.alphaDropout({ rate: 0.4, seed: 3, ...o }), inputShape: [6], expectedOutputShape: [6], training: true },
    { title: 'noiseShape [null, 1, null], unseeded', make: (o) => L.alphaDropout({ rate: 0.4, noiseShape: [null, 1, null], ...o }), inputShape: [3, 5], expectedOutputShape: [3, 5], training: true },
  ],
  BatchNormalization: [
    {
      title: 'rank 2, batch statistics in training', make: (o) => L.batchNormalization({ ...o }), inputShape: [5], expectedOutputShape: [5], training: true,
      expectedWeights: [['gamma', [5]], ['beta', [5]], ['moving_mean', [5], false], ['moving_variance', [5], false]],
    },
    {
      title: 'rank 3, γ and β regularized', make: (o) => L.batchNormalization({ epsilon: 0.01, gammaRegularizer: reg.l2(0.1), betaRegularizer: reg.l1(0.2), ...o }),
      inputShape: [3, 4], expectedOutputShape: [3, 4], training: true,
      expectedWeights: [['gamma', [4]], ['beta', [4]], ['moving_mean', [4], false], ['moving_variance', [4], false]],
    },
    {
      title: 'no γ, no β', make: (o) => L.batchNormalization({ center: false, scale: false, ...o }), inputShape: [4], expectedOutputShape: [4], training: true,
      expectedWeights: [['moving_mean', [4], false], ['moving_variance', [4], false]],
    },
    {
      title: 'frozen (moving statistics in training too)', make: (o) => L.batchNormalization({ trainable: false, ...o }), inputShape: [5], expectedOutputShape: [5], training: true,
      expectedWeights: [['gamma', [5]], ['beta', [5]], ['moving_mean', [5], false], ['moving_variance', [5], false]],
    },
  ],
  Dense: [
    { title: 'linear, with bias', make: (o) => L.dense({ units: 3, ...o }), inputShape: [4], expectedOutputShape: [3], expectedWeights: [['kernel', [4, 3]], ['bias', [3]]] },
    {
      title: 'relu (clamped in the GEMM), bias l1, kernel constraint', make: (o) => L.dense({ units: 4, activation: 'relu', biasRegularizer: reg.l1(0.1), kernelConstraint: km.constraints.maxNorm(2), ...o }),
      inputShape: [5], expectedOutputShape: [4], expectedWeights: [['kernel', [5, 4]], ['bias', [4]]],
    },
    {
      title: 'softmax on a rank-3 input, no bias, kernel and activity l2', make: (o) => L.dense({ units: 3, activation: 'softmax', useBias: false, kernelRegularizer: reg.l2(0.05), activityRegularizer: reg.l2(0.02), ...o }),
      inputShape: [2, 4], expectedOutputShape: [2, 3], expectedWeights: [['kernel', [4, 3]]],
    },
    { title: 'tanh, frozen', make: (o) => L.dense({ units: 2, activation: 'tanh', trainable: false, ...o }), inputShape: [3], expectedOutputShape: [2], expectedWeights: [['kernel', [3, 2]], ['bias', [2]]] },
  ],
  Dropout: [
    { title: 'full mask, seeded', make: (o) => L.dropout({ rate: 0.4, seed: 8, ...o }), inputShape: [7], expectedOutputShape: [7], training: true },
    { title: 'noiseShape [1, features]', make: (o) => L.dropout({ rate: 0.4, seed: 9, noiseShape: [1, 6], ...o }), inputShape: [6], expectedOutputShape: [6], training: true },
    { title: 'noiseShape [null, 1], unseeded', make: (o) => L.dropout({ rate: 0.4, noiseShape: [null, 1], ...o }), inputShape: [6], expectedOutputShape: [6], training: true },
  ],
  Flatten: [
    { title: 'rank 4 to rank 2', make: (o) => L.flatten({ ...o }), inputShape: [2, 3, 2], expectedOutputShape: [12] },
  ],
  GaussianDropout: [
    { title: 'unseeded', make: (o) => L.gaussianDropout({ rate: 0.3, ...o }), inputShape: [7], expectedOutputShape: [7], training: true },
  ],
  GaussianNoise: [
    { title: 'seeded', make: (o) => L.gaussianNoise({ stddev: 0.3, seed: 1, ...o }), inputShape: [2, 3], expectedOutputShape: [2, 3], training: true },
  ],
  InputLayer: [
    { title: 'passes its input through', make: (o) => L.inputLayer({ inputShape: [3], ...o }), inputShape: [3], expectedOutputShape: [3] },
  ],
  LayerNormalization: [
    { title: 'rank 2', make: (o) => L.layerNormalization({ ...o }), inputShape: [7], expectedOutputShape: [7], training: true, expectedWeights: [['gamma', [7]], ['beta', [7]]] },
    {
      title: 'rank 3, γ regularized', make: (o) => L.layerNormalization({ epsilon: 1e-2, gammaRegularizer: reg.l2(0.1), ...o }), inputShape: [2, 5], expectedOutputShape: [2, 5],
      expectedWeights: [['gamma', [5]], ['beta', [5]]],
    },
    { title: 'no β', make: (o) => L.layerNormalization({ center: false, ...o }), inputShape: [6], expectedOutputShape: [6], expectedWeights: [['gamma', [6]]] },
    { title: 'no γ', make: (o) => L.layerNormalization({ scale: false, ...o }), inputShape: [6], expectedOutputShape: [6], expectedWeights: [['beta', [6]]] },
  ],
  SpatialDropout1D: [
    { title: 'seeded', make: (o) => L.spatialDropout1d({ rate: 0.5, seed: 5, ...o }), inputShape: [4, 3], expectedOutputShape: [4, 3], training: true },
  ],
  // Convolutions (src/layers/conv.ts, conv-depthwise.ts): channels-last, kernels [kh, kw, in, out].
  Conv2D: [
    // 18 terms per output (|y| up to ~8): float32 rounding of y alone moves the differences by ~3e-4 (the float64 references in
    // test/layers/conv-layers.test.ts check this layer exactly).
    {
      title: 'valid, linear, with bias', make: (o) => L.conv2d({ filters: 3, kernelSize: 3, ...o }), inputShape: [5, 5, 2], expectedOutputShape: [3, 3, 3],
      expectedWeights: [['kernel', [3, 3, 2, 3]], ['bias', [3]]], tolerance: 2e-3,
    },
    {
      title: 'same, strides 2, [3, 2] kernel, relu (the epilogue clamp), kernel l2, activity l1',
      make: (o) => L.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu', kernelRegularizer: reg.l2(0.05), activityRegularizer: reg.l1(0.01), ...o }),
      inputShape: [5, 4, 3], expectedOutputShape: [3, 2, 2], expectedWeights: [['kernel', [3, 2, 3, 2]], ['bias', [2]]],
    },
    {
      title: 'dilation 2, no bias, tanh (after the GEMM), per-filter maxNorm',
      make: (o) => L.conv2d({ filters: 2, kernelSize: 2, dilationRate: 2, useBias: false, activation: 'tanh', kernelConstraint: km.constraints.maxNorm({ maxValue: 2, axis: [0, 1, 2] }), ...o }),
      inputShape: [5, 5, 2], expectedOutputShape: [3, 3, 2], expectedWeights: [['kernel', [2, 2, 2, 2]]],
    },
    { title: '1×1 (the plain GEMM), softmax over the channels', make: (o) => L.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', ...o }), inputShape: [2, 3, 4], expectedOutputShape: [2, 3, 3], expectedWeights: [['kernel', [1, 1, 4, 3]], ['bias', [3]]] },
    { title: 'frozen', make: (o) => L.conv2d({ filters: 2, kernelSize: 2, trainable: false, ...o }), inputShape: [3, 3, 1], expectedOutputShape: [2, 2, 2], expectedWeights: [['kernel', [2, 2, 1, 2]], ['bias', [2]]] },
  ],
  Conv1D: [
    { title: 'causal, dilation 2', make: (o) => L.conv1d({ filters: 3, kernelSize: 3, padding: 'causal', dilationRate: 2, ...o }), inputShape: [6, 2], expectedOutputShape: [6, 3], expectedWeights: [['kernel', [3, 2, 3]], ['bias', [3]]] },
    { title: 'valid, strides 2, bias l1', make: (o) => L.conv1d({ filters: 2, kernelSize: 2, strides: 2, biasRegularizer: reg.l1(0.1), ...o }), inputShape: [7, 3], expectedOutputShape: [3, 2], expectedWeights: [['kernel', [2, 3, 2]], ['bias', [2]]] },
    { title: 'same, even kernel, sigmoid', make: (o) => L.conv1d({ filters: 2, kernelSize: 4, padding: 'same', activation: 'sigmoid', ...o }), inputShape: [5, 2], expectedOutputShape: [5, 2], expectedWeights: [['kernel', [4, 2, 2]], ['bias', [2]]] },
  ],
  DepthwiseConv2D: [
    {
      title: 'depthMultiplier 2, same', make: (o) => L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', ...o }), inputShape: [4, 4, 3], expectedOutputShape: [4, 4, 6],
      expectedWeights: [['depthwise_kernel', [3, 3, 3, 2]], ['bias', [6]]],
    },
    {
      title: 'strides 2, valid, relu6, depthwise l2', make: (o) => L.depthwiseConv2d({ kernelSize: 2, strides: 2, activation: 'relu6', depthwiseRegularizer: reg.l2(0.1), ...o }),
      inputShape: [5, 5, 2], expectedOutputShape: [2, 2, 2], expectedWeights: [['depthwise_kernel', [2, 2, 2, 1]], ['bias', [2]]],
    },
    { title: 'dilation 2, no bias', make: (o) => L.depthwiseConv2d({ kernelSize: 2, dilationRate: 2, useBias: false, ...o }), inputShape: [4, 4, 2], expectedOutputShape: [2, 2, 2], expectedWeights: [['depthwise_kernel', [2, 2, 2, 1]]] },
  ],
  SeparableConv2D: [
    {
      title: 'defaults', make: (o) => L.separableConv2d({ filters: 3, kernelSize: 3, ...o }), inputShape: [4, 4, 2], expectedOutputShape: [2, 2, 3],
      expectedWeights: [['depthwise_kernel', [3, 3, 2, 1]], ['pointwise_kernel', [1, 1, 2, 3]], ['bias', [3]]],
    },
    {
      title: 'depthMultiplier 2, same, strides 2, elu, depthwise and pointwise l2',
      make: (o) => L.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'elu', depthwiseRegularizer: reg.l2(0.05), pointwiseRegularizer: reg.l2(0.02), ...o }),
      inputShape: [5, 5, 2], expectedOutputShape: [3, 3, 4], expectedWeights: [['depthwise_kernel', [3, 3, 2, 2]], ['pointwise_kernel', [1, 1, 4, 4]], ['bias', [4]]],
    },
    {
      title: 'dilation 2, no bias', make: (o) => L.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 2, useBias: false, ...o }), inputShape: [4, 4, 3], expectedOutputShape: [2, 2, 2],
      expectedWeights: [['depthwise_kernel', [2, 2, 3, 1]], ['pointwise_kernel', [1, 1, 3, 2]]],
    },
  ],
  SpatialDropout2D: [
    { title: 'channels last', make: (o) => L.spatialDropout2d({ rate: 0.5, seed: 6, ...o }), inputShape: [2, 3, 5], expectedOutputShape: [2, 3, 5], training: true },
    { title: 'channels first', make: (o) => L.spatialDropout2d({ rate: 0.5, seed: 7, dataFormat: 'channelsFirst', ...o }), inputShape: [5, 2, 3], expectedOutputShape: [5, 2, 3], training: true },
  ],
  // Pooling and reshaping (src/layers/pooling.ts, global-pooling.ts, reshaping.ts). Max pools: the
  // random inputs of these seeds have no two values of a window within the differences' step.
  MaxPooling2D: [
    { title: 'default pool 2, valid on odd sizes (remainder dropped)', make: (o) => L.maxPooling2d({ ...o }), inputShape: [5, 4, 3], expectedOutputShape: [2, 2, 3] },
    { title: 'pool 3, strides 1, same (overlapping windows, borders)', make: (o) => L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same', ...o }), inputShape: [4, 3, 2], expectedOutputShape: [4, 3, 2] },
    { title: 'poolSize [2, 3], strides [1, 2]', make: (o) => L.maxPooling2d({ poolSize: [2, 3], strides: [1, 2], ...o }), inputShape: [3, 5, 2], expectedOutputShape: [2, 2, 2] },
  ],
  AveragePooling2D: [
    { title: 'pool 2, same on odd sizes (partial border windows)', make: (o) => L.averagePooling2d({ padding: 'same', ...o }), inputShape: [5, 3, 3], expectedOutputShape: [3, 2, 3] },
    { title: 'pool 3, strides 2, valid (overlapping windows)', make: (o) => L.averagePooling2d({ poolSize: 3, strides: 2, ...o }), inputShape: [5, 5, 2], expectedOutputShape: [2, 2, 2] },
  ],
  MaxPooling1D: [
    { title: 'default pool 2, valid on odd steps', make: (o) => L.maxPooling1d({ ...o }), inputShape: [7, 3], expectedOutputShape: [3, 3] },
    { title: 'pool 3, strides 1, same', make: (o) => L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same', ...o }), inputShape: [5, 2], expectedOutputShape: [5, 2] },
  ],
  AveragePooling1D: [
    { title: 'pool 3, strides 2, same', make: (o) => L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', ...o }), inputShape: [6, 4], expectedOutputShape: [3, 4] },
    { title: 'poolSize [2], valid', make: (o) => L.averagePooling1d({ poolSize: [2], ...o }), inputShape: [5, 2], expectedOutputShape: [2, 2] },
  ],
  GlobalAveragePooling2D: [
    { title: 'default', make: (o) => L.globalAveragePooling2d({ ...o }), inputShape: [3, 2, 5], expectedOutputShape: [5] },
    { title: 'keepdims', make: (o) => L.globalAveragePooling2d({ keepdims: true, ...o }), inputShape: [2, 2, 3], expectedOutputShape: [1, 1, 3] },
  ],
  GlobalMaxPooling2D: [
    { title: 'default', make: (o) => L.globalMaxPooling2d({ ...o }), inputShape: [2, 3, 4], expectedOutputShape: [4] },
    { title: 'keepdims', make: (o) => L.globalMaxPooling2d({ keepdims: true, ...o }), inputShape: [2, 2, 3], expectedOutputShape: [1, 1, 3] },
  ],
  GlobalAveragePooling1D: [
    { title: 'default', make: (o) => L.globalAveragePooling1d({ ...o }), inputShape: [4, 3], expectedOutputShape: [3] },
    { title: 'with a mask: the mean over the real steps', make: (o) => L.globalAveragePooling1d({ ...o }), inputShape: [5, 3], expectedOutputShape: [3], mask: true },
  ],
  // Sequence layers (src/layers/embedding.ts, masking.ts).
  Embedding: [
    { title: 'ids [4] → [4, 3]', make: (o) => L.embedding({ inputDim: 7, outputDim: 3, ...o }), inputShape: [4], expectedOutputShape: [4, 3],
      expectedWeights: [['embeddings', [7, 3]]], ids: 7 },
    { title: 'maskZero, L2 penalty, activity L1, ids [2, 3]', make: (o) => L.embedding({ inputDim: 5, outputDim: 2, maskZero: true,
      embeddingsRegularizer: reg.l2({ l2: 0.01 }), activityRegularizer: reg.l1({ l1: 0.01 }), ...o }), inputShape: [2, 3], expectedOutputShape: [2, 3, 2],
      expectedWeights: [['embeddings', [5, 2]]], ids: 5 },
  ],
  TimeDistributed: [
    { title: 'Dense(2, tanh) on every step', make: (o) => L.timeDistributed({ layer: L.dense({ units: 2, activation: 'tanh' }), ...o }), inputShape: [3, 4],
      expectedOutputShape: [3, 2], expectedWeights: [['kernel', [4, 2]], ['bias', [2]]] },
  ],
  Bidirectional: [
    { title: 'LSTM, concat', make: (o) => L.bidirectional({ layer: L.lstm({ units: 2, name: 'l' }), ...o }), inputShape: [3, 2], expectedOutputShape: [4],
      expectedWeights: [['forward_l/kernel', [2, 8]], ['forward_l/recurrent_kernel', [2, 8]], ['forward_l/bias', [8]],
        ['backward_l/kernel', [2, 8]], ['backward_l/recurrent_kernel', [2, 8]], ['backward_l/bias', [8]]] },
    { title: 'GRU returnSequences, mul, with a mask', make: (o) => L.bidirectional({ layer: L.gru({ units: 2, returnSequences: true, name: 'g' }), mergeMode: 'mul', ...o }),
      inputShape: [3, 2], expectedOutputShape: [3, 2], mask: true,
      expectedWeights: [['forward_g/kernel', [2, 6]], ['forward_g/recurrent_kernel', [2, 6]], ['forward_g/bias', [2, 6]],
        ['backward_g/kernel', [2, 6]], ['backward_g/recurrent_kernel', [2, 6]], ['backward_g/bias', [2, 6]]] },
    { title: 'SimpleRNN returnSequences, ave', make: (o) => L.bidirectional({ layer: L.simpleRNN({ units: 2, returnSequences: true, name: 's' }), mergeMode: 'ave', ...o }),
      inputShape: [4, 1], expectedOutputShape: [4, 2],
      expectedWeights: [['forward_s/kernel', [1, 2]], ['forward_s/recurrent_kernel', [2, 2]], ['forward_s/bias', [2]],
        ['backward_s/kernel', [1, 2]], ['backward_s/recurrent_kernel', [2, 2]], ['backward_s/bias', [2]]] },
  ],
  Masking: [
    { title: 'maskValue 0 (random inputs: no step masked)', make: (o) => L.masking({ ...o }), inputShape: [4, 3], expectedOutputShape: [4, 3] },
  ],
  GlobalMaxPooling1D: [
    { title: 'default', make: (o) => L.globalMaxPooling1d({ ...o }), inputShape: [5, 2], expectedOutputShape: [2] },
    { title: 'keepdims', make: (o) => L.globalMaxPooling1d({ keepdims: true, ...o }), inputShape: [3, 4], expectedOutputShape: [1, 4] },
  ],
  Reshape: [
    { title: 'rank 4 to rank 3 with -1', make: (o) => L.reshape({ targetShape: [3, -1], ...o }), inputShape: [2, 3, 2], expectedOutputShape: [3, 4] },
    { title: 'rank 2 to rank 4', make: (o) => L.reshape({ targetShape: [2, 2, 3], ...o }), inputShape: [12], expectedOutputShape: [2, 2, 3] },
  ],
  ZeroPadding2D: [
    { title: 'default (1 on every side)', make: (o) => L.zeroPadding2d({ ...o }), inputShape: [2, 3, 2], expectedOutputShape: [4, 5, 2] },
    { title: '[[1, 0], [2, 1]]', make: (o) => L.zeroPadding2d({ padding: [[1, 0], [2, 1]], ...o }), inputShape: [3, 2, 3], expectedOutputShape: [4, 5, 3] },
    { title: '[0, 2] (symmetric, none on the rows)', make: (o) => L.zeroPadding2d({ padding: [0, 2], ...o }), inputShape: [2, 2, 1], expectedOutputShape: [2, 6, 1] },
  ],
  UpSampling2D: [
    { title: 'nearest, size 2', make: (o) => L.upSampling2d({ ...o }), inputShape: [2, 3, 2], expectedOutputShape: [4, 6, 2] },
    { title: 'bilinear, size [3, 2]', make: (o) => L.upSampling2d({ size: [3, 2], interpolation: 'bilinear', ...o }), inputShape: [3, 2, 5], expectedOutputShape: [9, 4, 5] },
  ],
  // Augmentation (src/layers/augment-*.ts): random in training (the harness holds the draw fixed),
  // the identity (RandomCrop: the centre crop) in inference; each is linear in x for a fixed
  // draw, and the colour layers get a value range the inputs do not reach (no clip kinks).
  RandomFlip: [
    { title: 'horizontal_and_vertical (default), seeded', make: (o) => L.randomFlip({ seed: 3, ...o }), inputShape: [3, 4, 2], expectedOutputShape: [3, 4, 2], training: true },
    { title: 'horizontal', make: (o) => L.randomFlip({ mode: 'horizontal', seed: 4, ...o }), inputShape: [2, 5, 1], expectedOutputShape: [2, 5, 1], training: true },
  ],
  RandomTranslation: [
    { title: 'reflect, bilinear (defaults)', make: (o) => L.randomTranslation({ heightFactor: 0.3, widthFactor: [-0.4, 0.2], seed: 5, ...o }), inputShape: [4, 5, 2], expectedOutputShape: [4, 5, 2], training: true },
    { title: 'constant fill 0.5, nearest', make: (o) => L.randomTranslation({ heightFactor: 0.5, widthFactor: 0.5, fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest', seed: 6, ...o }), inputShape: [5, 3, 1], expectedOutputShape: [5, 3, 1], training: true },
  ],
  RandomRotation: [
    { title: 'wrap, bilinear', make: (o) => L.randomRotation({ factor: 0.2, fillMode: 'wrap', seed: 7, ...o }), inputShape: [5, 4, 3], expectedOutputShape: [5, 4, 3], training: true },
  ],
  RandomZoom: [
    { title: 'nearest fill, aspect kept', make: (o) => L.randomZoom({ heightFactor: [-0.3, 0.4], fillMode: 'nearest', seed: 8, ...o }), inputShape: [4, 6, 2], expectedOutputShape: [4, 6, 2], training: true },
    { title: 'width factor of its own', make: (o) => L.randomZoom({ heightFactor: 0.2, widthFactor: 0.5, seed: 9, ...o }), inputShape: [5, 5, 1], expectedOutputShape: [5, 5, 1], training: true },
  ],
  RandomCrop: [
    { title: 'random window in training, centre in inference', make: (o) => L.randomCrop({ height: 3, width: 2, seed: 10, ...o }), inputShape: [5, 4, 2], expectedOutputShape: [3, 2, 2], training: true },
  ],
  RandomContrast: [
    { title: 'factor [0.3, 0.5], wide value range', make: (o) => L.randomContrast({ factor: [0.3, 0.5], valueRange: [-100, 100], seed: 11, ...o }), inputShape: [3, 4, 3], expectedOutputShape: [3, 4, 3], training: true },
  ],
  RandomBrightness: [
    { title: 'factor 0.2, wide value range', make: (o) => L.randomBrightness({ factor: 0.2, valueRange: [-10, 10], seed: 12, ...o }), inputShape: [3, 3, 2], expectedOutputShape: [3, 3, 2], training: true },
  ],
  Rescaling: [
    { title: 'scale and offset', make: (o) => L.rescaling({ scale: 1 / 255, offset: -0.5, ...o }), inputShape: [2, 3, 1], expectedOutputShape: [2, 3, 1] },
  ],
  // Recurrent layers (src/layers/recurrent*.ts): gradient checks through time (3 or 4 steps).
  SimpleRNN: [
    { title: 'tanh, last output', make: (o) => L.simpleRNN({ units: 3, ...o }), inputShape: [3, 2], expectedOutputShape: [3], expectedWeights: [['kernel', [2, 3]], ['recurrent_kernel', [3, 3]], ['bias', [3]]] },
    {
      title: 'returnSequences, goBackwards, kernel l2, sigmoid', make: (o) => L.simpleRNN({ units: 2, returnSequences: true, goBackwards: true, activation: 'sigmoid', kernelRegularizer: reg.l2(0.1), ...o }),
      inputShape: [4, 3], expectedOutputShape: [4, 2], expectedWeights: [['kernel', [3, 2]], ['recurrent_kernel', [2, 2]], ['bias', [2]]],
    },
    {
      title: 'with a mask, returnSequences (masked steps repeat the last output)', make: (o) => L.simpleRNN({ units: 2, returnSequences: true, ...o }),
      inputShape: [5, 2], expectedOutputShape: [5, 2], expectedWeights: [['kernel', [2, 2]], ['recurrent_kernel', [2, 2]], ['bias', [2]]], mask: true,
    },
  ],
  LSTM: [
    { title: 'defaults, last output', make: (o) => L.lstm({ units: 3, ...o }), inputShape: [3, 2], expectedOutputShape: [3], expectedWeights: [['kernel', [2, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]] },
    {
      title: 'returnSequences, goBackwards, recurrent l2, no bias', make: (o) => L.lstm({ units: 2, returnSequences: true, goBackwards: true, useBias: false, recurrentRegularizer: reg.l2(0.1), ...o }),
      inputShape: [4, 3], expectedOutputShape: [4, 2], expectedWeights: [['kernel', [3, 8]], ['recurrent_kernel', [2, 8]]],
    },
    {
      title: 'dropout and recurrentDropout (training), softsign', make: (o) => L.lstm({ units: 3, dropout: 0.3, recurrentDropout: 0.4, activation: 'softsign', returnSequences: true, seed: 5, ...o }),
      inputShape: [3, 4], expectedOutputShape: [3, 3], expectedWeights: [['kernel', [4, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]], training: true,
    },
    {
      title: 'with a mask, last output (masked steps carry h and c)', make: (o) => L.lstm({ units: 3, ...o }),
      inputShape: [5, 2], expectedOutputShape: [3], expectedWeights: [['kernel', [2, 12]], ['recurrent_kernel', [3, 12]], ['bias', [12]]], mask: true,
    },
  ],
  GRU: [
    { title: 'defaults (resetAfter), last output', make: (o) => L.gru({ units: 3, ...o }), inputShape: [3, 2], expectedOutputShape: [3], expectedWeights: [['kernel', [2, 9]], ['recurrent_kernel', [3, 9]], ['bias', [2, 9]]] },
    {
      title: 'resetAfter false, returnSequences, goBackwards, bias l2', make: (o) => L.gru({ units: 2, resetAfter: false, returnSequences: true, goBackwards: true, biasRegularizer: reg.l2(0.1), ...o }),
      inputShape: [4, 3], expectedOutputShape: [4, 2], expectedWeights: [['kernel', [3, 6]], ['recurrent_kernel', [2, 6]], ['bias', [6]]],
    },
    {
      title: 'dropout and recurrentDropout (training), resetAfter false', make: (o) => L.gru({ units: 3, resetAfter: false, dropout: 0.25, recurrentDropout: 0.5, returnSequences: true, seed: 7, ...o }),
      inputShape: [3, 2], expectedOutputShape: [3, 3], expectedWeights: [['kernel', [2, 9]], ['recurrent_kernel', [3, 9]], ['bias', [9]]], training: true,
    },
    {
      title: 'recurrentDropout (training), resetAfter', make: (o) => L.gru({ units: 2, recurrentDropout: 0.5, returnSequences: true, seed: 3, ...o }),
      inputShape: [4, 2], expectedOutputShape: [4, 2], expectedWeights: [['kernel', [2, 6]], ['recurrent_kernel', [2, 6]], ['bias', [2, 6]]], training: true,
    },
    {
      title: 'with a mask, resetAfter, returnSequences, goBackwards (masked steps carry the state)', make: (o) => L.gru({ units: 3, returnSequences: true, goBackwards: true, ...o }),
      inputShape: [5, 2], expectedOutputShape: [5, 3], expectedWeights: [['kernel', [2, 9]], ['recurrent_kernel', [3, 9]], ['bias', [2, 9]]], mask: true,
    },
    {
      title: 'with a mask, resetAfter false, recurrentDropout (training)', make: (o) => L.gru({ units: 2, resetAfter: false, recurrentDropout: 0.3, seed: 2, ...o }),
      inputShape: [5, 2], expectedOutputShape: [2], expectedWeights: [['kernel', [2, 6]], ['recurrent_kernel', [2, 6]], ['bias', [6]]], mask: true, training: true,
    },
  ],
};

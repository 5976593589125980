// Layer factories, TF.js style: km.layers.dense({...}).
import { Activation, Flatten, InputLayer } from './core.js';
import type { ActivationArgs, FlattenArgs, InputLayerArgs } from './core.js';
import { Dense } from './dense.js';
import type { DenseArgs } from './dense.js';
import { Dropout } from './dropout.js';
import type { DropoutArgs } from './dropout.js';
import type { LayerArgs } from './layer.js';
import { GaussianDropout, GaussianNoise } from './noise.js';
import type { GaussianDropoutArgs, GaussianNoiseArgs } from './noise.js';
import { AlphaDropout, SpatialDropout1D, SpatialDropout2D } from './broadcast-dropout.js';
import type { AlphaDropoutArgs, SpatialDropout1DArgs, SpatialDropout2DArgs } from './broadcast-dropout.js';
import { ActivityRegularization } from './activity-regularization.js';
import type { ActivityRegularizationArgs } from './activity-regularization.js';
import { BatchNormalization } from './batch-normalization.js';
import type { BatchNormalizationArgs } from './batch-normalization.js';
import { LayerNormalization } from './normalization.js';
import type { LayerNormalizationArgs } from './normalization.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import type { MergeArgs } from './merge.js';
import { Concatenate, Dot } from './concatenate.js';
import type { ConcatenateArgs, DotArgs } from './concatenate.js';
import { ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU } from './activations.js';
import type { ELUArgs, LeakyReLUArgs, ReLUArgs, SoftmaxArgs, ThresholdedReLUArgs } from './activations.js';
import { PReLU } from './prelu.js';
import type { PReLUArgs } from './prelu.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from './pooling.js';
import type { Pooling1DArgs, Pooling2DArgs } from './pooling.js';
import { GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D } from './global-pooling.js';
import type { GlobalPoolingArgs } from './global-pooling.js';
import { Reshape, UpSampling2D, ZeroPadding2D } from './reshaping.js';
import type { ReshapeArgs, UpSampling2DArgs, ZeroPadding2DArgs } from './reshaping.js';
import { Conv1D, Conv2D } from './conv.js';
import type { ConvArgs } from './conv.js';
import { DepthwiseConv2D, SeparableConv2D } from './conv-depthwise.js';
import type { DepthwiseConv2DArgs, SeparableConv2DArgs } from './conv-depthwise.js';
import { GRU, LSTM, SimpleRNN } from './recurrent-cells.js';
import type { GRUArgs, LSTMArgs, SimpleRNNArgs } from './recurrent-cells.js';
import { RandomBrightness, RandomContrast, Rescaling } from './augment-color.js';
import type { RandomBrightnessArgs, RandomContrastArgs, RescalingArgs } from './augment-color.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './augment-geometry.js';
import { RandomCrop, RandomFlip } from './augment-flip-crop.js';
import type { RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs } from './augment-geometry.js';
import type { RandomCropArgs, RandomFlipArgs } from './augment-flip-crop.js';

import { Embedding } from './embedding.js';
import type { EmbeddingArgs } from './embedding.js';
import { Masking } from './masking.js';
import type { MaskingArgs } from './masking.js';
import { Bidirectional } from './bidirectional.js';
import type { BidirectionalArgs, MergeMode } from './bidirectional.js';
import { TimeDistributed } from './wrappers.js';
import type { TimeDistributedArgs } from './wrappers.js';

/** A densely connected layer, `activation(x·W + b)` (Keras `Dense`, TF.js `tf.layers.dense`): see {@link DenseArgs}. */
export const dense = (args: DenseArgs) => new Dense(args);
/** Inverted dropout (Keras `Dropout`): in training, zeroes each input with probability `rate` and scales the kept ones by `1/(1 − rate)`; the identity otherwise. */
export const dropout = (args: DropoutArgs) => new Dropout(args);
/** Applies an activation elementwise (Keras `Activation`): `km.layers.activation({ activation: 'relu' })`. */
export const activation = (args: ActivationArgs) => new Activation(args);
/** Flattens each sample to a vector (Keras `Flatten`): `[batch, 7, 7, 32]` → `[batch, 1568]`. */
export const flatten = (args?: FlattenArgs) => new Flatten(args);
/** Declares a model's input shape (Keras `InputLayer`); `km.input({ shape })` is the functional API's way. */
export const inputLayer = (args: InputLayerArgs) => new InputLayer(args);
/** Adds zero-mean Gaussian noise of standard deviation `stddev` in training (Keras `GaussianNoise`). */
export const gaussianNoise = (args: GaussianNoiseArgs) => new GaussianNoise(args);
/** Multiplies the inputs by Gaussian noise of mean 1 in training (Keras `GaussianDropout`). */
export const gaussianDropout = (args: GaussianDropoutArgs) => new GaussianDropout(args);
/** Dropout that keeps the mean and variance of self-normalizing (SELU) activations (Keras `AlphaDropout`). */
export const alphaDropout = (args: AlphaDropoutArgs) => new AlphaDropout(args);
/** Drops whole channels of a sequence `[batch, steps, channels]` in training (Keras `SpatialDropout1D`). */
export const spatialDropout1d = (args: SpatialDropout1DArgs) => new SpatialDropout1D(args);
/** Drops whole channels of an image `[batch, h, w, channels]` in training (Keras `SpatialDropout2D`). */
export const spatialDropout2d = (args: SpatialDropout2DArgs) => new SpatialDropout2D(args);
/** Passes its input through and adds an L1/L2 penalty on it to the loss (Keras `ActivityRegularization`). */
export const activityRegularization = (args?: ActivityRegularizationArgs) => new ActivityRegularization(args);
/** Batch normalization (Keras `BatchNormalization`): batch statistics in training, moving statistics at inference. */
export const batchNormalization = (args?: BatchNormalizationArgs) => new BatchNormalization(args);
/** Layer normalization (Keras `LayerNormalization`): normalizes each sample over its last axis. */
export const layerNormalization = (args?: LayerNormalizationArgs) => new LayerNormalization(args);

// Merge layers: call them on a list, `km.layers.add().apply([a, b])`.
/** Adds its inputs elementwise (Keras `Add`): `km.layers.add().apply([a, b])`. */
export const add = (args?: MergeArgs) => new Add(args);
/** Subtracts its second input from its first (Keras `Subtract`): `km.layers.subtract().apply([a, b])`. */
export const subtract = (args?: MergeArgs) => new Subtract(args);
/** Multiplies its inputs elementwise (Keras `Multiply`). */
export const multiply = (args?: MergeArgs) => new Multiply(args);
/** Averages its inputs elementwise (Keras `Average`). */
export const average = (args?: MergeArgs) => new Average(args);
/** Elementwise maximum of its inputs (Keras `Maximum`). */
export const maximum = (args?: MergeArgs) => new Maximum(args);
/** Elementwise minimum of its inputs (Keras `Minimum`). */
export const minimum = (args?: MergeArgs) => new Minimum(args);
/** Joins its inputs along an axis, the last by default (Keras `Concatenate`): `km.layers.concatenate().apply([a, b])`. */
export const concatenate = (args?: ConcatenateArgs) => new Concatenate(args);
/** Dot product of two inputs along the given axes (Keras `Dot`): `km.layers.dot({ axes: 1 }).apply([a, b])`. */
export const dot = (args: DotArgs) => new Dot(args);

// Activation layers.
/** ReLU as a layer, with optional cap, slope and threshold (Keras `ReLU`, TF.js `tf.layers.reLU`). */
export const reLU = (args?: ReLUArgs) => new ReLU(args);
/** Leaky ReLU as a layer: `x` for `x > 0`, `alpha·x` otherwise (Keras `LeakyReLU`). */
export const leakyReLU = (args?: LeakyReLUArgs) => new LeakyReLU(args);
/** Parametric ReLU (Keras `PReLU`): a leaky ReLU whose slopes are trainable weights. */
export const pReLU = (args?: PReLUArgs) => new PReLU(args);
/** TF.js's name of {@link pReLU} (`tf.layers.prelu`). */
export const prelu = pReLU;
/** ELU as a layer: `x` for `x > 0`, `alpha·(exp(x) − 1)` otherwise (Keras `ELU`). */
export const elu = (args?: ELUArgs) => new ELU(args);
/** Softmax as a layer, over the last axis (Keras `Softmax`). */
export const softmax = (args?: SoftmaxArgs) => new Softmax(args);
/** `x` where `x > theta`, 0 elsewhere (Keras 2 / TF.js `ThresholdedReLU`). */
export const thresholdedReLU = (args?: ThresholdedReLUArgs) => new ThresholdedReLU(args);

// Pooling and reshaping (images [batch, h, w, c], sequences [batch, steps, c]).
/** Max pooling over windows of an image `[batch, h, w, c]` (Keras `MaxPooling2D`). */
export const maxPooling2d = (args?: Pooling2DArgs) => new MaxPooling2D(args);
/** Average pooling over windows of an image `[batch, h, w, c]` (Keras `AveragePooling2D`). */
export const averagePooling2d = (args?: Pooling2DArgs) => new AveragePooling2D(args);
/** Max pooling over windows of steps of a sequence `[batch, steps, c]` (Keras `MaxPooling1D`). */
export const maxPooling1d = (args?: Pooling1DArgs) => new MaxPooling1D(args);
/** Average pooling over windows of steps of a sequence `[batch, steps, c]` (Keras `AveragePooling1D`). */
export const averagePooling1d = (args?: Pooling1DArgs) => new AveragePooling1D(args);
/** Mean over the height and width of an image: `[batch, h, w, c]` → `[batch, c]` (Keras `GlobalAveragePooling2D`). */
export const globalAveragePooling2d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args);
/** Maximum over the height and width of an image: `[batch, h, w, c]` → `[batch, c]` (Keras `GlobalMaxPooling2D`). */
export const globalMaxPooling2d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args);
/** Mean over the steps of a sequence: `[batch, steps, c]` → `[batch, c]`; masked steps left out (Keras `GlobalAveragePooling1D`). */
export const globalAveragePooling1d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args);
/** Maximum over the steps of a sequence: `[batch, steps, c]` → `[batch, c]` (Keras `GlobalMaxPooling1D`). */
export const globalMaxPooling1d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args);
/** Reshapes each sample to `targetShape` (Keras `Reshape`); no copy. */
export const reshape = (args: ReshapeArgs) => new Reshape(args);
/** Pads an image `[batch, h, w, c]` with rows and columns of zeros (Keras `ZeroPadding2D`). */
export const zeroPadding2d = (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args);
/** Repeats the rows and columns of an image (Keras `UpSampling2D`). */
export const upSampling2d = (args?: UpSampling2DArgs) => new UpSampling2D(args);
// TF.js's other names of the pooling factories (`tf.layers.maxPool2d`, `avgPool2d`, …).
/** TF.js's name of {@link maxPooling2d} (`tf.layers.maxPool2d`). */
export const maxPool2d = maxPooling2d;
/** TF.js's name of {@link averagePooling2d} (`tf.layers.avgPool2d`). */
export const avgPool2d = averagePooling2d;
/** TF.js's name of {@link averagePooling2d} (`tf.layers.avgPooling2d`). */
export const avgPooling2d = averagePooling2d;
/** TF.js's name of {@link maxPooling1d} (`tf.layers.maxPool1d`). */
export const maxPool1d = maxPooling1d;
/** TF.js's name of {@link averagePooling1d} (`tf.layers.avgPool1d`). */
export const avgPool1d = averagePooling1d;
/** TF.js's name of {@link averagePooling1d} (`tf.layers.avgPooling1d`). */
export const avgPooling1d = averagePooling1d;
/** TF.js's name of {@link globalMaxPooling2d} (`tf.layers.globalMaxPool2d`). */
export const globalMaxPool2d = globalMaxPooling2d;
/** TF.js's name of {@link globalMaxPooling1d} (`tf.layers.globalMaxPool1d`). */
export const globalMaxPool1d = globalMaxPooling1d;

// Convolutions (channels-last): kernels [kh, kw, in, filters]; depthwise [kh, kw, in, multiplier].
/** 2-D convolution over images `[batch, h, w, channels]` (Keras `Conv2D`): kernel `[kh, kw, in, filters]`. */
export const conv2d = (args: ConvArgs) => new Conv2D(args);
/** 1-D convolution over sequences `[batch, steps, channels]` (Keras `Conv1D`): kernel `[k, in, filters]`. */
export const conv1d = (args: ConvArgs) => new Conv1D(args);
/** Depthwise 2-D convolution (Keras `DepthwiseConv2D`): each input channel convolved with its own `depthMultiplier` filters. */
export const depthwiseConv2d = (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args);
/** Separable 2-D convolution (Keras `SeparableConv2D`): a depthwise convolution, then a 1×1 pointwise one. */
export const separableConv2d = (args: SeparableConv2DArgs) => new SeparableConv2D(args);

// Sequences: token ids → vectors, masks (id 0 or a mask value) for the layers that read them.
/** Turns integer ids into dense vectors (Keras `Embedding`): `[batch, steps]` → `[batch, steps, outputDim]`. */
export const embedding = (args: EmbeddingArgs) => new Embedding(args);
/** Masks the steps whose features all equal `maskValue` (Keras `Masking`) for the layers after it. */
export const masking = (args?: MaskingArgs) => new Masking(args);
// Wrappers: a recurrent layer both ways (forward then backward weights), a layer on every step.
/** Runs a recurrent layer forwards and a copy backwards over the sequence and merges the two (Keras `Bidirectional`). */
export const bidirectional = (args: BidirectionalArgs) => new Bidirectional(args);
/** Applies a layer to every step of a sequence (Keras `TimeDistributed`). */
export const timeDistributed = (args: TimeDistributedArgs) => new TimeDistributed(args);

// Recurrent layers (sequences [batch, steps, features]): weights kernel, recurrent_kernel, bias in Keras's layout.
/** A fully connected recurrent layer, `h = activation(x·W + h·U + b)` (Keras `SimpleRNN`). */
export const simpleRNN = (args: SimpleRNNArgs) => new SimpleRNN(args);
/** Long short-term memory layer (Keras `LSTM`). */
export const lstm = (args: LSTMArgs) => new LSTM(args);
/** Gated recurrent unit layer (Keras `GRU`). */
export const gru = (args: GRUArgs) => new GRU(args);

// Data augmentation (Keras 3 preprocessing layers, channels-last images): the random ones act in
// training steps only; rescaling always.
/** Flips images at random in training (Keras `RandomFlip`). */
export const randomFlip = (args?: RandomFlipArgs) => new RandomFlip(args);
/** Shifts images at random in training (Keras `RandomTranslation`). */
export const randomTranslation = (args: RandomTranslationArgs) => new RandomTranslation(args);
/** Rotates images at random in training (Keras `RandomRotation`). */
export const randomRotation = (args: RandomRotationArgs) => new RandomRotation(args);
/** Zooms images in or out at random in training (Keras `RandomZoom`). */
export const randomZoom = (args: RandomZoomArgs) => new RandomZoom(args);
/** Changes the contrast of images at random in training (Keras `RandomContrast`). */
export const randomContrast = (args: RandomContrastArgs) => new RandomContrast(args);
/** Changes the brightness of images at random in training (Keras `RandomBrightness`). */
export const randomBrightness = (args: RandomBrightnessArgs) => new RandomBrightness(args);
/** Crops images to `height × width`: at a random place in training, the center otherwise (Keras `RandomCrop`). */
export const randomCrop = (args: RandomCropArgs) => new RandomCrop(args);
/** `x·scale + offset`, always (Keras `Rescaling`): e.g. `scale: 1 / 255` for pixel values. */
export const rescaling = (args: RescalingArgs) => new Rescaling(args);

export { Activation, Dense, Dropout, Flatten, InputLayer };
export type { ActivationArgs, DenseArgs, DropoutArgs, FlattenArgs, InputLayerArgs, LayerArgs };
export { Layer } from './layer.js';
export { ActivityRegularization, AlphaDropout, BatchNormalization, GaussianDropout, GaussianNoise, LayerNormalization, SpatialDropout1D, SpatialDropout2D };
export type {
  ActivityRegularizationArgs, AlphaDropoutArgs, BatchNormalizationArgs, GaussianDropoutArgs, GaussianNoiseArgs, LayerNormalizationArgs,
  SpatialDropout1DArgs, SpatialDropout2DArgs,
};
export { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract };
export type { ConcatenateArgs, DotArgs, MergeArgs };
export { ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU };
export type { ELUArgs, LeakyReLUArgs, PReLUArgs, ReLUArgs, SoftmaxArgs, ThresholdedReLUArgs };
export { Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D };
export type { ConvArgs, DepthwiseConv2DArgs, SeparableConv2DArgs };
export { GRU, LSTM, SimpleRNN };
export type { GRUArgs, LSTMArgs, SimpleRNNArgs };
export { AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D };
export type { GlobalPoolingArgs, Pooling1DArgs, Pooling2DArgs };
export { Reshape, UpSampling2D, ZeroPadding2D };
export type { ReshapeArgs, UpSampling2DArgs, ZeroPadding2DArgs };
export { RandomBrightness, RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling };
export type { RandomBrightnessArgs, RandomContrastArgs, RandomCropArgs, RandomFlipArgs, RandomRotationArgs, RandomTranslationArgs, RandomZoomArgs, RescalingArgs };
export { Bidirectional, Embedding, Masking, TimeDistributed };
export type { BidirectionalArgs, EmbeddingArgs, MaskingArgs, MergeMode, TimeDistributedArgs };

// Types that the options and properties above refer to.
export type { LayerWeight, Shape } from './layer.js';
export type { RecurrentBase } from './recurrent.js';
export type { RecurrentArgs } from './recurrent-args.js';
export type { GatedArgs } from './recurrent-cells.js';
export type { BaseConvArgs } from './conv-base.js';
export type { DepthwiseKernelArgs } from './conv-depthwise.js';
export type { ConvSize, DataFormat } from './spatial-args.js';
export type { ConvPadding } from '../backend/conv.js';
export type { NormalizationArgs } from './normalization.js';
export type { RandomImageArgs, FillMode, Interpolation } from './augment-base.js';
export type { AffineArgs, Factor } from './augment-geometry.js';

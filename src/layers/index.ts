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

export const dense = (args: DenseArgs) => new Dense(args);
export const dropout = (args: DropoutArgs) => new Dropout(args);
export const activation = (args: ActivationArgs) => new Activation(args);
export const flatten = (args?: FlattenArgs) => new Flatten(args);
export const inputLayer = (args: InputLayerArgs) => new InputLayer(args);
export const gaussianNoise = (args: GaussianNoiseArgs) => new GaussianNoise(args);
export const gaussianDropout = (args: GaussianDropoutArgs) => new GaussianDropout(args);
export const alphaDropout = (args: AlphaDropoutArgs) => new AlphaDropout(args);
export const spatialDropout1d = (args: SpatialDropout1DArgs) => new SpatialDropout1D(args);
export const spatialDropout2d = (args: SpatialDropout2DArgs) => new SpatialDropout2D(args);
export const activityRegularization = (args?: ActivityRegularizationArgs) => new ActivityRegularization(args);
export const batchNormalization = (args?: BatchNormalizationArgs) => new BatchNormalization(args);
export const layerNormalization = (args?: LayerNormalizationArgs) => new LayerNormalization(args);

// Merge layers: call them on a list, `km.layers.add().apply([a, b])`.
export const add = (args?: MergeArgs) => new Add(args);
export const subtract = (args?: MergeArgs) => new Subtract(args);
export const multiply = (args?: MergeArgs) => new Multiply(args);
export const average = (args?: MergeArgs) => new Average(args);
export const maximum = (args?: MergeArgs) => new Maximum(args);
export const minimum = (args?: MergeArgs) => new Minimum(args);
export const concatenate = (args?: ConcatenateArgs) => new Concatenate(args);
export const dot = (args: DotArgs) => new Dot(args);

// Activation layers.
export const reLU = (args?: ReLUArgs) => new ReLU(args);
export const leakyReLU = (args?: LeakyReLUArgs) => new LeakyReLU(args);
export const pReLU = (args?: PReLUArgs) => new PReLU(args);
/** TF.js's name of {@link pReLU} (`tf.layers.prelu`). */
export const prelu = pReLU;
export const elu = (args?: ELUArgs) => new ELU(args);
export const softmax = (args?: SoftmaxArgs) => new Softmax(args);
export const thresholdedReLU = (args?: ThresholdedReLUArgs) => new ThresholdedReLU(args);

// Pooling and reshaping (images [batch, h, w, c], sequences [batch, steps, c]).
export const maxPooling2d = (args?: Pooling2DArgs) => new MaxPooling2D(args);
export const averagePooling2d = (args?: Pooling2DArgs) => new AveragePooling2D(args);
export const maxPooling1d = (args?: Pooling1DArgs) => new MaxPooling1D(args);
export const averagePooling1d = (args?: Pooling1DArgs) => new AveragePooling1D(args);
export const globalAveragePooling2d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args);
export const globalMaxPooling2d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args);
export const globalAveragePooling1d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args);
export const globalMaxPooling1d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args);
export const reshape = (args: ReshapeArgs) => new Reshape(args);
export const zeroPadding2d = (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args);
export const upSampling2d = (args?: UpSampling2DArgs) => new UpSampling2D(args);
/** TF.js's other names of the pooling factories (`tf.layers.maxPool2d`, `avgPool2d`, …). */
export const maxPool2d = maxPooling2d;
export const avgPool2d = averagePooling2d;
export const avgPooling2d = averagePooling2d;
export const maxPool1d = maxPooling1d;
export const avgPool1d = averagePooling1d;
export const avgPooling1d = averagePooling1d;
export const globalMaxPool2d = globalMaxPooling2d;
export const globalMaxPool1d = globalMaxPooling1d;

// Convolutions (channels-last): kernels [kh, kw, in, filters]; depthwise [kh, kw, in, multiplier].
export const conv2d = (args: ConvArgs) => new Conv2D(args);
export const conv1d = (args: ConvArgs) => new Conv1D(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DArgs) => new SeparableConv2D(args);

// Sequences: token ids → vectors, masks (id 0 or a mask value) for the layers that read them.
export const embedding = (args: EmbeddingArgs) => new Embedding(args);
export const masking = (args?: MaskingArgs) => new Masking(args);
/** Wrappers: a recurrent layer both ways (forward then backward weights), a layer on every step. */
export const bidirectional = (args: BidirectionalArgs) => new Bidirectional(args);
export const timeDistributed = (args: TimeDistributedArgs) => new TimeDistributed(args);

// Recurrent layers (sequences [batch, steps, features]): weights kernel, recurrent_kernel, bias in Keras's layout.
export const simpleRNN = (args: SimpleRNNArgs) => new SimpleRNN(args);
export const lstm = (args: LSTMArgs) => new LSTM(args);
export const gru = (args: GRUArgs) => new GRU(args);

// Data augmentation (Keras 3 preprocessing layers, channels-last images): the random ones act in
// training steps only; rescaling always.
export const randomFlip = (args?: RandomFlipArgs) => new RandomFlip(args);
export const randomTranslation = (args: RandomTranslationArgs) => new RandomTranslation(args);
export const randomRotation = (args: RandomRotationArgs) => new RandomRotation(args);
export const randomZoom = (args: RandomZoomArgs) => new RandomZoom(args);
export const randomContrast = (args: RandomContrastArgs) => new RandomContrast(args);
export const randomBrightness = (args: RandomBrightnessArgs) => new RandomBrightness(args);
export const randomCrop = (args: RandomCropArgs) => new RandomCrop(args);
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

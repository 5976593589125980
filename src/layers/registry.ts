// Layer deserialization: Keras `class_name` → the class's `fromConfig`. An explicit table
// (no registration as an import side effect, STYLE.md §4): a new layer class adds one row here.
import { KerasmError } from '../errors.js';
import { ELU, LeakyReLU, ReLU, Softmax, ThresholdedReLU } from './activations.js';
import { ActivityRegularization } from './activity-regularization.js';
import { BatchNormalization } from './batch-normalization.js';
import { AlphaDropout, SpatialDropout1D, SpatialDropout2D } from './broadcast-dropout.js';
import { Concatenate, Dot } from './concatenate.js';
import { Conv1D, Conv2D } from './conv.js';
import { DepthwiseConv2D, SeparableConv2D } from './conv-depthwise.js';
import { Activation, Flatten, InputLayer } from './core.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { Masking } from './masking.js';
import { Bidirectional } from './bidirectional.js';
import { TimeDistributed } from './wrappers.js';
import { Add, Average, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { GaussianDropout, GaussianNoise } from './noise.js';
import { GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D } from './global-pooling.js';
import { LayerNormalization } from './normalization.js';
import { PReLU } from './prelu.js';
import { AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D } from './pooling.js';
import { Reshape, UpSampling2D, ZeroPadding2D } from './reshaping.js';
import { RandomBrightness, RandomContrast, Rescaling } from './augment-color.js';
import { RandomRotation, RandomTranslation, RandomZoom } from './augment-geometry.js';
import { RandomCrop, RandomFlip } from './augment-flip-crop.js';
import { GRU, LSTM, SimpleRNN } from './recurrent-cells.js';
import type { Layer } from './layer.js';

/** Builds a layer from its Keras config (snake_case keys, nested `{class_name, config}` objects). */
export type LayerFromConfig = (config: Record<string, unknown>) => Layer;

/** One row per layer class kerasm can rebuild from a saved file, keyed by its Keras `class_name`. */
export const LAYER_CLASSES: Readonly<Record<string, LayerFromConfig>> = {
  Activation: (c) => Activation.fromConfig(c),
  ActivityRegularization: (c) => ActivityRegularization.fromConfig(c),
  Add: (c) => Add.fromConfig(c),
  AlphaDropout: (c) => AlphaDropout.fromConfig(c),
  Average: (c) => Average.fromConfig(c),
  AveragePooling1D: (c) => AveragePooling1D.fromConfig(c),
  AveragePooling2D: (c) => AveragePooling2D.fromConfig(c),
  BatchNormalization: (c) => BatchNormalization.fromConfig(c),
  Bidirectional: (c) => Bidirectional.fromConfig(c),
  Concatenate: (c) => Concatenate.fromConfig(c),
  Conv1D: (c) => Conv1D.fromConfig(c),
  Conv2D: (c) => Conv2D.fromConfig(c),
  Dense: (c) => Dense.fromConfig(c),
  DepthwiseConv2D: (c) => DepthwiseConv2D.fromConfig(c),
  Dot: (c) => Dot.fromConfig(c),
  Dropout: (c) => Dropout.fromConfig(c),
  ELU: (c) => ELU.fromConfig(c),
  Embedding: (c) => Embedding.fromConfig(c),
  Flatten: (c) => Flatten.fromConfig(c),
  GaussianDropout: (c) => GaussianDropout.fromConfig(c),
  GRU: (c) => GRU.fromConfig(c),
  GaussianNoise: (c) => GaussianNoise.fromConfig(c),
  GlobalAveragePooling1D: (c) => GlobalAveragePooling1D.fromConfig(c),
  GlobalAveragePooling2D: (c) => GlobalAveragePooling2D.fromConfig(c),
  GlobalMaxPooling1D: (c) => GlobalMaxPooling1D.fromConfig(c),
  GlobalMaxPooling2D: (c) => GlobalMaxPooling2D.fromConfig(c),
  InputLayer: (c) => InputLayer.fromConfig(c),
  LayerNormalization: (c) => LayerNormalization.fromConfig(c),
  LeakyReLU: (c) => LeakyReLU.fromConfig(c),
  LSTM: (c) => LSTM.fromConfig(c),
  Masking: (c) => Masking.fromConfig(c),
  Maximum: (c) => Maximum.fromConfig(c),
  MaxPooling1D: (c) => MaxPooling1D.fromConfig(c),
  MaxPooling2D: (c) => MaxPooling2D.fromConfig(c),
  Minimum: (c) => Minimum.fromConfig(c),
  Multiply: (c) => Multiply.fromConfig(c),
  PReLU: (c) => PReLU.fromConfig(c),
  RandomBrightness: (c) => RandomBrightness.fromConfig(c),
  RandomContrast: (c) => RandomContrast.fromConfig(c),
  RandomCrop: (c) => RandomCrop.fromConfig(c),
  RandomFlip: (c) => RandomFlip.fromConfig(c),
  RandomRotation: (c) => RandomRotation.fromConfig(c),
  RandomTranslation: (c) => RandomTranslation.fromConfig(c),
  RandomZoom: (c) => RandomZoom.fromConfig(c),
  Rescaling: (c) => Rescaling.fromConfig(c),
  ReLU: (c) => ReLU.fromConfig(c),
  SeparableConv2D: (c) => SeparableConv2D.fromConfig(c),
  SimpleRNN: (c) => SimpleRNN.fromConfig(c),
  Reshape: (c) => Reshape.fromConfig(c),
  Softmax: (c) => Softmax.fromConfig(c),
  SpatialDropout1D: (c) => SpatialDropout1D.fromConfig(c),
  SpatialDropout2D: (c) => SpatialDropout2D.fromConfig(c),
  Subtract: (c) => Subtract.fromConfig(c),
  TimeDistributed: (c) => TimeDistributed.fromConfig(c),
  ThresholdedReLU: (c) => ThresholdedReLU.fromConfig(c),
  UpSampling2D: (c) => UpSampling2D.fromConfig(c),
  ZeroPadding2D: (c) => ZeroPadding2D.fromConfig(c),
};

/** Every `class_name` the table knows, sorted. */
export function knownLayerClasses(): string[] {
  return Object.keys(LAYER_CLASSES).sort();
}

/**
 * Rebuild one layer. An unknown class gets an error naming the layer and its class (Keras:
 * "Unknown layer: 'Conv2D'"), since a model file is data and never names code to run.
 */
export function layerFromConfig(className: string, config: Record<string, unknown>): Layer {
  const make = Object.hasOwn(LAYER_CLASSES, className) ? LAYER_CLASSES[className] : undefined;
  if (make === undefined) {
    const name = typeof config.name === 'string' ? `'${config.name}'` : '(unnamed)';
    throw new KerasmError(`Unsupported layer ${name} of class '${className}': kerasm can load ${knownLayerClasses().join(', ')}.`);
  }
  return make(config);
}

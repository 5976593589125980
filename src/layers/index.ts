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

export { Activation, Dense, Dropout, Flatten, InputLayer };
export type { ActivationArgs, DenseArgs, DropoutArgs, FlattenArgs, InputLayerArgs, LayerArgs };
export { Layer } from './layer.js';
export { ActivityRegularization, AlphaDropout, BatchNormalization, GaussianDropout, GaussianNoise, LayerNormalization, SpatialDropout1D, SpatialDropout2D };
export type {
  ActivityRegularizationArgs, AlphaDropoutArgs, BatchNormalizationArgs, GaussianDropoutArgs, GaussianNoiseArgs, LayerNormalizationArgs,
  SpatialDropout1DArgs, SpatialDropout2DArgs,
};

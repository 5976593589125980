// Layer factories, TF.js style: km.layers.dense({...}).
import { Activation, Flatten, InputLayer } from './core.js';
import type { ActivationArgs, InputLayerArgs } from './core.js';
import { Dense } from './dense.js';
import type { DenseArgs } from './dense.js';
import { Dropout } from './dropout.js';
import type { DropoutArgs } from './dropout.js';
import type { LayerArgs } from './layer.js';

export const dense = (args: DenseArgs) => new Dense(args);
export const dropout = (args: DropoutArgs) => new Dropout(args);
export const activation = (args: ActivationArgs) => new Activation(args);
export const flatten = (args?: LayerArgs) => new Flatten(args);
export const inputLayer = (args: InputLayerArgs) => new InputLayer(args);

export { Activation, Dense, Dropout, Flatten, InputLayer };
export type { ActivationArgs, DenseArgs, DropoutArgs, InputLayerArgs, LayerArgs };
export { Layer } from './layer.js';

// The description of a model that a topology file gives, as io reads it (topology-read.ts) and
// src/model/load.ts builds it: layers already made from their configs, nested models, and for a
// functional model the calls to replay. No model class appears here (io never imports them).
import { KerasmError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { formatError, isObject, own } from './json.js';

/** A layer entry of a topology: a layer made from its config, or a model nested as a layer. */
export type ParsedLayer = { kind: 'layer'; layer: Layer } | ParsedModel;

/** A Sequential: its layers in order. */
export interface ParsedSequential {
  kind: 'sequential';
  name: string | undefined;
  layers: ParsedLayer[];
}

/**
 * Output `tensor` of call `node` of the layer named `layer`. `node` counts the calls made in this
 * model's graph from 0 (an InputLayer's 0 is the input itself): the file's own numbering, where
 * nested models start at 1, is undone by the reader.
 */
export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** A layer of a functional model and the calls to replay, each a list of input tensors. */
export interface ParsedGraphLayer {
  name: string;
  spec: ParsedLayer;
  calls: TensorRef[][];
}

/** A functional model: its layers (file order), its inputs and outputs. */
export interface ParsedFunctional {
  kind: 'functional';
  name: string | undefined;
  layers: ParsedGraphLayer[];
  inputs: TensorRef[];
  outputs: TensorRef[];
}

export type ParsedModel = ParsedSequential | ParsedFunctional;

/** What the whole file says about how it numbers nodes (see functional-read.ts). */
export interface ReadContext {
  /** Written by Keras 3 (`keras_version` 3.x): a nested Sequential has no call of its own. */
  keras3: boolean;
  /** Written by Keras 2 or TF.js (not Keras 3, not kerasm): `hard_sigmoid` there is clip(0.2·x + 0.5, 0, 1). */
  keras2Activations?: boolean;
}

export const WHAT = 'Invalid model topology';
/** Most layers accepted in one file (nested models' layers included). */
export const MAX_LAYERS = 10_000;
/** Model class names; a layer entry with one of them is a nested model. */
export const MODEL_CLASSES: readonly string[] = ['Sequential', 'Model', 'Functional'];

/** The error for a TF.js graph model (model.json `"format": "graph-model"`, or a topology of graph nodes). */
export function graphModelError(): KerasmError {
  return new KerasmError(`${WHAT}: this is a TF.js graph model (converted from a TensorFlow SavedModel or frozen graph), which kerasm does not load. ` +
    'kerasm loads layers models: convert the Keras model instead (tf.keras .h5 → tensorflowjs_converter --input_format keras --output_format tfjs_layers_model), or save it from TF.js with model.save.');
}

/** The class_name of layer entry `i` (checked to be an object with one). */
export function entryClass(entry: unknown, i: number): string {
  if (!isObject(entry)) throw formatError(WHAT, `layer ${i} is not an object { class_name, config }`);
  const cls = own(entry, 'class_name');
  if (typeof cls !== 'string') throw formatError(WHAT, `layer ${i} has no class_name`);
  return cls;
}

/** A config's `name`: a non-empty string or absent. */
export function modelName(name: unknown): string | undefined {
  if (name === undefined || name === null) return undefined;
  if (typeof name !== 'string' || name.length === 0) throw formatError(WHAT, '`config.name` is not a non-empty string');
  return name;
}

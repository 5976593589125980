// The shapes TF.js's `tf.io` uses, so artifacts and handlers pass between the two libraries,
// and the narrow view of a model that io reads (io never imports the model classes: model/
// imports io/, not the reverse).
import type { Backend } from '../backend/loader.js';
import type { Layer, LayerWeight, Shape } from '../layers/layer.js';
import type { Loss } from '../losses/index.js';
import type { Optimizer } from '../optimizers/index.js';

/** One tensor in the weights manifest (TF.js `WeightsManifestEntry`). */
export interface WeightSpec {
  /** `layer/weight`, e.g. `dense/kernel`; optimizer state: `dense/kernel/m`, `iter`. */
  name: string;
  /** The tensor's shape. */
  shape: number[];
  /** kerasm writes `'float32'` (and `'int32'` for the optimizer's iteration count). */
  dtype: string;
  /** `'optimizer'` for optimizer state (TF.js and kerasm); model weights have none. */
  group?: string;
  /** Quantized weights (tensorflowjs_converter --quantize_*): read as an error, never written. */
  quantization?: {
    /** The stored integer type (`'uint8'`, `'uint16'`) or `'float16'`. */
    dtype: string;
    /** The scale of affine quantization. */
    scale?: number;
    /** The offset of affine quantization. */
    min?: number;
  };
}

/** One ArrayBuffer, or several concatenated in order (TF.js 4 `WeightData`). */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** Model artifacts: TF.js `ModelArtifacts` (layers format). */
export interface ModelArtifacts {
  /** `{ class_name: 'Sequential', config: { name, layers } , keras_version, backend }`; absent for weights alone. */
  modelTopology?: unknown;
  /** The manifest of the weights in `weightData`, in order. */
  weightSpecs?: WeightSpec[];
  /** The weights' bytes, little-endian, in the order of `weightSpecs`. */
  weightData?: WeightData;
  /** `'layers-model'`. */
  format?: string;
  /** The library that wrote the artifacts (kerasm writes `kerasm <version>`). */
  generatedBy?: string;
  /** The converter, if any (null for kerasm's own files). */
  convertedBy?: string | null;
  /** TF.js's training config (read; kerasm writes its own in `userDefinedMetadata.kerasm`). */
  trainingConfig?: unknown;
  /** Carried by TF.js untouched; kerasm keeps its compile config and training state under `kerasm`. */
  userDefinedMetadata?: Record<string, unknown>;
}

/** TF.js `ModelArtifactsInfo`. */
export interface ModelArtifactsInfo {
  /** When the artifacts were saved. */
  dateSaved: Date;
  /** Always `'JSON'`. */
  modelTopologyType: 'JSON';
  /** The size of the topology JSON, in bytes. */
  modelTopologyBytes?: number;
  /** The size of the weights manifest JSON, in bytes. */
  weightSpecsBytes?: number;
  /** The size of the weight data, in bytes. */
  weightDataBytes?: number;
}

/** What `model.save` resolves to (TF.js `SaveResult`). */
export interface SaveResult {
  /** Sizes and date of what was saved. */
  modelArtifactsInfo: ModelArtifactsInfo;
  /** HTTP responses, for handlers that upload (TF.js). */
  responses?: unknown[];
}

/** TF.js `IOHandler`: `save` for `model.save`, `load` for `km.loadModel`. */
export interface IOHandler {
  /** Write the artifacts (`model.save(handler)` calls it). */
  save?: (artifacts: ModelArtifacts) => Promise<SaveResult>;
  /** Read artifacts (`km.loadModel(handler)` calls it). */
  load?: () => Promise<ModelArtifacts>;
}

/** Options of `model.save` and `model.saveWeights`. */
export interface SaveOptions {
  /**
   * Also save the optimizer's state (group `optimizer`: its iteration count and slots), each
   * Dropout layer's mask-stream position and the global random stream's, so that training
   * resumes bit-identically after `km.loadModel(source, { restoreGlobalRandomState: true })`.
   * Default false.
   */
  includeOptimizer?: boolean;
}

/** Options of `model.loadWeights`. */
export interface LoadWeightsOptions {
  /**
   * Set the process-wide random stream (`km.setSeed`'s: shuffling, initializers, the keys of
   * unseeded dropout layers) to where it was when the file was saved with `includeOptimizer`,
   * so that the next `fit` shuffles as the saving process's next `fit` did: a bit-identical
   * resume. Default false: loading leaves the process-wide stream alone, so other models
   * training in the same process are not affected. The layers' own streams (Dropout masks)
   * always come from the file when it has them.
   */
  restoreGlobalRandomState?: boolean;
}

/** Options of `km.loadModel`. */
export interface LoadOptions extends LoadWeightsOptions {
  /** Compile the model from the file's training config, when it has one (Keras `compile=True`). Default true. */
  compile?: boolean;
}

/** Where `model.save` writes: a `file://` directory (Node) or an IO handler. */
export type SaveTarget = string | IOHandler;
/** Where `km.loadModel` reads: `file://…/model.json`, `http(s)://…/model.json`, an IO handler or artifacts. */
export type LoadSource = string | IOHandler | ModelArtifacts | ArrayBuffer | Uint8Array;

/**
 * A symbolic tensor as io reads it (model/graph.ts `SymbolicTensor`): output `index` of a call.
 */
export interface GraphTensorView {
  readonly node: GraphNodeView;
  readonly index: number;
  readonly shape: readonly number[];
}

/**
 * One call of a layer as io reads it (model/graph.ts `Node`): `index` counts the layer's calls.
 */
export interface GraphNodeView {
  readonly layer: Layer;
  readonly inputs: readonly GraphTensorView[];
  readonly outputs: readonly GraphTensorView[];
  readonly index: number;
}

/**
 * One compiled output as io writes it: its loss (null: not trained), weight and metric names.
 */
export interface HeadView {
  readonly name: string;
  readonly loss: Loss | null;
  readonly weight: number;
  readonly metricIds: readonly string[];
}

/**
 * What io reads of a compiled model (model/compile.ts `Compiled`).
 */
export interface CompiledView {
  readonly optimizer: Optimizer;
  readonly heads: readonly HeadView[];
}

/**
 * What io reads of a model: `Model` and `Sequential` (src/model) satisfy it. A layer of `layers`
 * that is itself a model (nested) has `isGraph: true` and the same members.
 */
export interface SavableModel {
  readonly name: string;
  /** `'Sequential'` or `'Functional'`. */
  readonly className: string;
  readonly isGraph: true;
  /** Keras order; a functional model's InputLayers included, a Sequential's made input not. */
  readonly layers: readonly Layer[];
  /** Keras order (layer by layer, nested models expanded, each weight once). */
  readonly weights: readonly LayerWeight[];
  readonly inputs: readonly GraphTensorView[];
  readonly outputs: readonly GraphTensorView[];
  /** The calls of this graph (InputLayers' own calls not included). */
  readonly nodes: readonly GraphNodeView[];
  readonly inputShapes: Shape[];
  readonly compiled: CompiledView | null;
  checkAlive(): void;
  /** Allocate the weights (those in `provided` without running their initializers). */
  ensureAllocated(provided?: ReadonlySet<LayerWeight>): Backend;
}

/**
 * Whether a layer of a model is itself a model (nested).
 */
export function isGraphLayer(layer: Layer): layer is Layer & SavableModel {
  return (layer as { isGraph?: unknown }).isGraph === true;
}

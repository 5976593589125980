// The shapes TF.js's `tf.io` uses, so artifacts and handlers pass between the two libraries.

/** One tensor in the weights manifest (TF.js `WeightsManifestEntry`). */
export interface WeightSpec {
  /** `layer/weight`, e.g. `dense/kernel`; optimizer state: `dense/kernel/m`, `iter`. */
  name: string;
  shape: number[];
  /** kerasm writes `'float32'` (and `'int32'` for the optimizer's iteration count). */
  dtype: string;
  /** `'optimizer'` for optimizer state (TF.js and kerasm); model weights have none. */
  group?: string;
  /** Quantized weights (tensorflowjs_converter --quantize_*): read as an error, never written. */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** One ArrayBuffer, or several concatenated in order (TF.js 4 `WeightData`). */
export type WeightData = ArrayBuffer | ArrayBuffer[];

/** Model artifacts: TF.js `ModelArtifacts` (layers format). */
export interface ModelArtifacts {
  /** `{ class_name: 'Sequential', config: { name, layers } , keras_version, backend }`; absent for weights alone. */
  modelTopology?: unknown;
  weightSpecs?: WeightSpec[];
  weightData?: WeightData;
  /** `'layers-model'`. */
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** TF.js's training config (read; kerasm writes its own in `userDefinedMetadata.kerasm`). */
  trainingConfig?: unknown;
  /** Carried by TF.js untouched; kerasm keeps its compile config and training state under `kerasm`. */
  userDefinedMetadata?: Record<string, unknown>;
}

/** TF.js `ModelArtifactsInfo`. */
export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

/** What `model.save` resolves to (TF.js `SaveResult`). */
export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  /** HTTP responses, for handlers that upload (TF.js). */
  responses?: unknown[];
}

/** TF.js `IOHandler`: `save` for `model.save`, `load` for `km.loadModel`. */
export interface IOHandler {
  save?: (artifacts: ModelArtifacts) => Promise<SaveResult>;
  load?: () => Promise<ModelArtifacts>;
}

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
export type LoadSource = string | IOHandler | ModelArtifacts;

// km.loadModel and km.modelFromJSON as the core exports them: the reader (model/load.ts and the
// io/ code behind it) is loaded on first use, so a program that never loads a file does not ship
// it (docs/design.md, "Size budget").
import type { LoadOptions, LoadSource } from '../io/types.js';
import type { Model } from './model.js';

/**
 * Load a model saved by kerasm, TF.js (`model.save`), converted from Keras
 * (tensorflowjs_converter), or Keras's own `.keras` / `.h5` file: `file://…/model.json`,
 * `file://…/model.keras`, `file://…/model.h5` (Node), the same over `http(s)://`, the bytes of a
 * `.keras` or `.h5` file (`ArrayBuffer` / `Uint8Array`), an IO handler `{ load }` or artifacts
 * `{ modelTopology, weightSpecs, weightData }`. A Sequential comes back as a `Sequential`, a
 * functional model (`Model`, `Functional`) as a `Model`. With a training config the model comes
 * back compiled; with state saved by `{ includeOptimizer: true }`, the optimizer and the dropout
 * layers' streams continue where they stopped.
 *
 * Loading draws nothing from the process-wide random stream (the file's weights are not
 * initialized first) and leaves it where it is, so another model training in the same process
 * is not affected. `{ restoreGlobalRandomState: true }` sets it back to where the saving
 * process had it: with `includeOptimizer`, the next `fit` then continues bit-identically.
 */
export async function loadModel(source: LoadSource, options?: LoadOptions): Promise<Model> {
  return (await import('./io-entry.js')).loadModel(source, options);
}

/**
 * A model from its topology JSON (`model.toJSON()`, a model.json, or the object itself),
 * uncompiled, with fresh weights. TF.js: `tf.models.modelFromJSON`. Nothing is drawn from the
 * random stream until the model is used (its initializers run at the first fit, predict or
 * getWeights).
 */
export async function modelFromJSON(json: string | object): Promise<Model> {
  return (await import('./io-entry.js')).modelFromJSON(json);
}

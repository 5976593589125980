/**
 * kerasm: Keras-style neural networks for JavaScript and TypeScript, trained and run by AssemblyScript
 * WebAssembly SIMD kernels. `import * as km from 'kerasm'`; `await km.ready()` loads the best wasm build
 * for the runtime (fit waits for it by itself). Keras's `.keras` and `.h5` files: {@link "kerasm/keras"}.
 * @module kerasm
 */
export { ready, backendInfo, setThreads, shutdown } from './backend/loader.js';
export type { Backend, BackendInfo, BuildName, ReadyOptions, WasmSource } from './backend/loader.js';
export type { GemmTile } from './backend/tiles.js';
export { KerasmError, ValueError, StateError } from './errors.js';
export { Tensor, tensor, tensor1d, tensor2d, oneHot } from './tensor.js';
export { setSeed } from './random.js';
export { Sequential } from './model/sequential.js';
export type { SequentialArgs } from './model/sequential.js';
export { Model } from './model/model.js';
export type { ModelArgs } from './model/model.js';
export type { CompileArgs } from './model/compile.js';
export { SymbolicTensor } from './model/graph.js';
export type { ApplyArgs } from './model/graph.js';
export { input } from './model/input.js';
export type { InputArgs } from './model/input.js';
export type { FitArgs, EvaluateArgs, PredictArgs, FitDatasetArgs, DatasetSource, DatasetBatch } from './model/args.js';

import { Sequential } from './model/sequential.js';
import type { SequentialArgs } from './model/sequential.js';
import type { Layer } from './layers/layer.js';
import { Model } from './model/model.js';
import type { ModelArgs } from './model/model.js';

/** `km.model({ inputs, outputs, name })`: a graph of layers (Keras `keras.Model`, TF.js `tf.model`). */
export function model(args: ModelArgs): Model {
  return new Model(args);
}
/** `km.sequential({ layers: [...] })`, or Keras's `Sequential([layer, ...])`: `km.sequential([layer, ...])`. */
export function sequential(args?: SequentialArgs | Layer[]): Sequential {
  return new Sequential(args);
}

export * as layers from './layers/index.js';
export * as regularizers from './regularizers/index.js';
export * as initializers from './initializers/index.js';
export * as optimizers from './optimizers/index.js';
export * as losses from './losses/index.js';
export * as activations from './activations/index.js';
export * as callbacks from './callbacks/index.js';
export * as constraints from './constraints/index.js';
export * as schedules from './schedules/index.js';
export { mcPredict } from './model/mc.js';
export type { McPredictArgs } from './model/mc.js';
export { sparsity } from './model/sparsity.js';
export type { LayerSparsity } from './model/sparsity.js';
export type { ClassWeight } from './data/class-weight.js';
export { loadModel, modelFromJSON } from './model/load-lazy.js';
export type { IOHandler, LoadOptions, LoadSource, ModelArtifacts, SaveOptions, SaveResult, SaveTarget } from './io/types.js';
export * as io from './io/handlers.js';
export * as plot from './plot/index.js';
export { diagnose } from './diagnose.js';
export { exportOnnx } from './onnx/index.js';
export type { ExportOnnxOptions } from './onnx/index.js';
export type { Diagnosis, DiagnoseOptions } from './diagnose.js';

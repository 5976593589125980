// Sequential: a stack of layers, its weights in wasm memory, compile and the public calls.
// The loops themselves live in training.ts.
import { backend, ready } from '../backend/loader.js';
import type { Backend } from '../backend/loader.js';
import { KerasmError, StateError, ValueError, checkOptionNames, checkOptions, invalidArgument, invalidArgumentAt } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { InputLayer } from '../layers/core.js';
import { Layer, shapesEqual } from '../layers/layer.js';
import type { LayerWeight, Shape } from '../layers/layer.js';
import * as losses from '../losses/index.js';
import type { Loss, LossIdentifier } from '../losses/index.js';
import * as metricsLib from '../metrics/index.js';
import type { Metric } from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import type { Optimizer, OptimizerIdentifier } from '../optimizers/index.js';
import { Tensor, shapeSize } from '../tensor.js';
import type { History } from '../callbacks/index.js';
import { Engine } from './training.js';
import type { DatasetSource, EvaluateArgs, FitArgs, FitDatasetArgs, PredictArgs } from './training.js';
import { summaryLines } from './summary.js';
import { WeightSnapshotBuffer } from './snapshot.js';
import { loadModelWeights } from '../io/restore.js';
import { modelToJSON, saveModel, saveModelWeights } from '../io/save.js';
import type { LoadSource, LoadWeightsOptions, SaveOptions, SaveResult, SaveTarget } from '../io/types.js';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

export interface CompileArgs {
  /** An optimizer instance or name (`'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'`, `'adamw'`). */
  optimizer: OptimizerIdentifier;
  /** A loss instance or name, either spelling (`'categoricalCrossentropy'`, `'mse'`…). */
  loss: LossIdentifier;
  /** Metric names: `'accuracy'` (resolved from the loss, as Keras), `'mse'`, … */
  metrics?: string[];
}

export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metricIds: string[];
}

let modelCounter = 0;

/** A linear stack of layers. Keras: `keras.Sequential`; TF.js: `tf.sequential`. */
export class Sequential {
  static readonly className = 'Sequential';
  readonly name: string;
  readonly layers: Layer[] = [];
  /** Set by a callback to end `fit` after the current batch/epoch. */
  stopTraining = false;
  compiled: Compiled | null = null;
  private inputShape_: Shape | null = null;
  private allocated = false;
  private disposed = false;
  private engine_: Engine | null = null;
  private readonly snapshots = new Set<WeightSnapshotBuffer>();
  /** The long call in progress (`fit`, `fitDataset`, `mcPredict`), or null: one at a time per model. */
  private running: string | null = null;

  /** `new Sequential({ layers, name })`, or Keras's `Sequential([layer, ...])`. */
  constructor(argsOrLayers: SequentialArgs | Layer[] = {}) {
    const args = Array.isArray(argsOrLayers) ? { layers: argsOrLayers } : checkOptions(argsOrLayers, ['layers', 'name'], 'sequential', false);
    this.name = args.name ?? (modelCounter++ === 0 ? 'sequential' : `sequential_${modelCounter - 1}`);
    if (args.layers !== undefined) {
      if (!Array.isArray(args.layers)) throw invalidArgument('layers', 'an array of layers', args.layers);
      for (const layer of args.layers) this.add(layer);
    }
  }

  /** Append a layer; its shape is checked against the previous layer's output at once. */
  add(layer: Layer): void {
    this.checkAlive();
    if (!(layer instanceof Layer)) throw invalidArgument('layer', 'a kerasm layer (km.layers.*)', layer);
    if (this.allocated) throw new StateError('Layers cannot be added to a model whose weights exist (after fit/predict/getWeights).');
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new ValueError(`All layers added to a Sequential model should have unique names. Name '${layer.name}' is already the name of a layer in this model.`);
    }
    if (this.layers.length === 0) {
      if (layer.batchInputShape === null) {
        throw new ValueError(`The first layer of a Sequential model needs an input shape: pass \`inputShape\` (e.g. km.layers.dense({ units: 10, inputShape: [784] })) or start with km.layers.inputLayer. Layer: ${layer.name}`);
      }
      this.inputShape_ = layer.batchInputShape.slice(1) as number[];
      if (layer instanceof InputLayer) {
        this.layers.push(layer);
        layer.build(this.inputShape_);
        return;
      }
    } else if (layer.batchInputShape !== null && !(layer instanceof InputLayer)) {
      const declared = layer.batchInputShape.slice(1) as number[];
      const prev = this.outputShapeOrThrow();
      if (!shapesEqual(declared, prev)) {
        throw new ValueError(`Layer ${layer.name} declares input shape [${declared.join(', ')}] but the previous layer outputs [${prev.join(', ')}]`);
      }
    }
    if (layer instanceof InputLayer) throw new ValueError('An InputLayer can only be the first layer of a Sequential model.');
    const inShape = this.layers.length === 0 ? this.inputShape_! : this.outputShapeOrThrow();
    layer.build(inShape);
    this.layers.push(layer);
    this.compiled = this.compiled === null ? null : this.compiled;
  }

  private outputShapeOrThrow(): Shape {
    const last = this.layers[this.layers.length - 1];
    if (last === undefined) return this.inputShape_!;
    return last.outputShape!;
  }

  /** Per-sample input shape (without the batch). */
  get inputShape(): Shape {
    if (this.inputShape_ === null) throw new StateError('The model has no layers yet.');
    return this.inputShape_.slice();
  }

  /** Per-sample output shape (without the batch). */
  get outputShape(): Shape {
    if (this.layers.length === 0) throw new StateError('The model has no layers yet.');
    return this.outputShapeOrThrow().slice();
  }

  /** Every weight, in Keras order (per layer: kernel, bias, …). */
  get weights(): LayerWeight[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): LayerWeight[] {
    return this.layers.flatMap((l) => (l.trainable ? l.weights.filter((w) => w.trainable) : []));
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Configure training. Can be called again (a new optimizer starts from fresh state). */
  compile(args: CompileArgs): void {
    this.checkAlive();
    this.checkIdle('compile');
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { optimizer, loss, metrics }', args);
    checkOptionNames(args, ['optimizer', 'loss', 'metrics'], 'compile');
    if (this.layers.length === 0) throw new StateError('Add layers before compiling the model.');
    if (args.loss === undefined) throw invalidArgument('loss', 'a loss name or instance', args.loss);
    if (args.optimizer === undefined) throw invalidArgument('optimizer', 'an optimizer name or instance', args.optimizer);
    const loss = losses.get(args.loss);
    const optimizer = optimizers.get(args.optimizer);
    const metricIds = args.metrics ?? [];
    if (!Array.isArray(metricIds)) throw invalidArgument('metrics', 'an array of metric names', args.metrics);
    const out = this.outputShapeOrThrow();
    const units = out[out.length - 1]!;
    for (const id of metricIds) metricsLib.resolve(id, { sparseLabels: loss.sparse, outputUnits: units, binaryLoss: loss.kind === 'binaryCrossentropy' });
    if (this.compiled !== null && this.compiled.optimizer !== optimizer) this.compiled.optimizer.dispose();
    this.compiled = { optimizer, loss, metricIds: metricIds.slice() };
    this.engine_?.invalidate();
  }

  /** Metrics as compiled against the loss and output. */
  resolvedMetrics(): Metric[] {
    const c = this.compiledOrThrow('evaluate');
    const out = this.outputShapeOrThrow();
    const units = out[out.length - 1]!;
    return c.metricIds.map((id) => metricsLib.resolve(id, { sparseLabels: c.loss.sparse, outputUnits: units, binaryLoss: c.loss.kind === 'binaryCrossentropy' }));
  }

  compiledOrThrow(call: string): Compiled {
    this.checkAlive();
    if (this.compiled === null) throw new StateError(`You must call compile() before ${call}().`);
    return this.compiled;
  }

  checkAlive(): void {
    if (this.disposed) throw new StateError(`Model ${this.name} has been disposed and cannot be used.`);
  }

  /**
   * Refuse `call` while a long call (fit, fitDataset, mcPredict) runs on this model: the two
   * would interleave steps on the same weights and buffers. Calls a callback makes that leave
   * training alone (predict, save, getWeights, stopTraining) are not checked. TF.js refuses
   * a second fit in the same way.
   * @internal
   */
  checkIdle(call: string): void {
    if (this.running === null) return;
    throw new StateError(`Cannot call ${call}() on model ${this.name}: a previous ${this.running}() call is still running ` +
      `(a missing \`await\`?). Await it first: \`await model.${this.running}(...)\`.`);
  }

  /**
   * Run a long asynchronous call with the model marked busy (see `checkIdle`); the mark is
   * set before the first await, so a call made right after without `await` is refused.
   * @internal
   */
  async exclusive<T>(call: string, run: () => Promise<T>): Promise<T> {
    this.checkAlive();
    this.checkIdle(call);
    this.running = call;
    try {
      return await run();
    } finally {
      this.running = null;
    }
  }

  /**
   * Allocate and initialize every weight in wasm memory (once). Weights in `provided` (those a
   * loaded file is about to write) are allocated zero-filled and not initialized, so loading
   * draws nothing from the random stream.
   */
  ensureAllocated(provided?: ReadonlySet<LayerWeight>): Backend {
    this.checkAlive();
    if (this.layers.length === 0) throw new StateError('The model has no layers yet.');
    let b: Backend;
    try {
      b = backend();
    } catch {
      throw new StateError('kerasm is not ready: await km.ready() before predict/evaluate/getWeights (fit waits for it by itself).');
    }
    if (!this.allocated) {
      const made: LayerWeight[] = [];
      try {
        for (const w of this.weights) {
          w.region = b.arena.alloc(w.size * 4);
          made.push(w);
          if (provided?.has(w) !== true) w.initializer.fill(w.shape, b.arena.view(w.region, w.size));
        }
      } catch (e) {
        for (const w of made) {
          b.arena.release(w.region!);
          w.region = null;
        }
        throw e;
      }
      this.allocated = true;
    }
    return b;
  }

  get engine(): Engine {
    if (this.engine_ === null) this.engine_ = new Engine(this);
    return this.engine_;
  }

  /** Train for a number of epochs. Resolves to a History. */
  fit(x: unknown, y: unknown, args: FitArgs = {}): Promise<History> {
    return this.exclusive('fit', async () => {
      await ready();
      return this.engine.fit(x, y, args);
    });
  }

  /** Loss and metrics in inference mode (penalties included, as Keras). */
  evaluate(x: unknown, y: unknown, args: EvaluateArgs = {}): Record<string, number> {
    this.checkIdle('evaluate');
    return this.engine.evaluate(x, y, args);
  }

  /** Outputs for `x`, batched; `{ training: true }` keeps dropout on (MC dropout). */
  predict(x: unknown, args: PredictArgs = {}): Tensor {
    return this.engine.predict(x, args);
  }

  /** Train from an iterable or async iterable of `{ xs, ys }` batches (TF.js `fitDataset`). */
  fitDataset(source: DatasetSource, args: FitDatasetArgs = {}): Promise<History> {
    return this.exclusive('fitDataset', async () => {
      await ready();
      return this.engine.fitDataset(source, args);
    });
  }

  /** One gradient step on one batch. Returns the loss, or [loss, ...metrics] when metrics are compiled. */
  trainOnBatch(x: unknown, y: unknown): number | number[] {
    this.checkIdle('trainOnBatch');
    return this.engine.trainOnBatch(x, y);
  }

  /** Copies of every weight, Keras order. */
  getWeights(): Tensor[] {
    const b = this.ensureAllocated();
    return this.weights.map((w) => new Tensor(b.arena.view(w.region!, w.size).slice(), w.shape.slice()));
  }

  /** Replace every weight (Keras order); counts and shapes are checked before anything changes. */
  setWeights(weights: readonly (Tensor | { data: ArrayLike<number>; shape: number[] })[]): void {
    this.checkIdle('setWeights');
    const b = this.ensureAllocated();
    const all = this.weights;
    if (!Array.isArray(weights) || weights.length !== all.length) {
      throw Array.isArray(weights) ? invalidArgumentAt('weights', `an array of ${all.length} tensors (${all.map((w) => `[${w.shape.join(', ')}]`).join(', ')})`, `${weights.length} tensors`) : invalidArgument('weights', `an array of ${all.length} tensors`, weights);
    }
    all.forEach((w, i) => {
      const t = weights[i]!;
      if (t === null || typeof t !== 'object' || !Array.isArray(t.shape) || !shapesEqual(t.shape, w.shape) || t.data?.length !== w.size) {
        throw new ValueError(`Invalid value received for argument \`weights[${i}]\`: expected shape [${w.shape.join(', ')}] for ${this.layerOf(w).name}/${w.name}. Received: shape ${Array.isArray(t?.shape) ? `[${t.shape.join(', ')}]` : String(t?.shape)}`);
      }
      for (let j = 0; j < t.data.length; j++) {
        if (!Number.isFinite(t.data[j]!)) throw invalidArgumentAt(`weights[${i}]`, 'finite numbers', `${t.data[j]} at index ${j}`);
      }
    });
    all.forEach((w, i) => b.arena.view(w.region!, w.size).set(weights[i]!.data));
  }

  layerOf(w: LayerWeight): Layer {
    const l = this.layers.find((layer) => layer.weights.includes(w));
    if (l === undefined) throw new KerasmError('weight not in model');
    return l;
  }

  getLayer(name: string): Layer {
    const l = this.layers.find((layer) => layer.name === name);
    if (l === undefined) throw invalidArgument('name', `a layer name (${this.layers.map((x) => x.name).join(', ')})`, name);
    return l;
  }

  /** Print (or pass to `printFn`) a Keras-style table of layers, shapes and parameter counts. */
  summary(printFn: (line: string) => void = console.log): void {
    this.checkAlive();
    for (const line of summaryLines(this)) printFn(line);
  }

  /**
   * Save to a `file://` folder (Node: `model.json` + `weights.bin`) or an IO handler `{ save }`,
   * in the TF.js layers format. `{ includeOptimizer: true }` adds the optimizer and random
   * state so that training resumes bit-identically after
   * `km.loadModel(source, { restoreGlobalRandomState: true })`.
   */
  save(target: SaveTarget, options?: SaveOptions): Promise<SaveResult> {
    return saveModel(this, target, options);
  }

  /** Save the weights alone (a manifest without topology, and `weights.bin`). */
  saveWeights(target: SaveTarget, options?: SaveOptions): Promise<SaveResult> {
    return saveModelWeights(this, target, options);
  }

  /** Load weights by name (or, when the names differ, by order) from a file, URL, handler or artifacts. */
  loadWeights(source: LoadSource, options?: LoadWeightsOptions): Promise<void> {
    return this.exclusive('loadWeights', () => loadModelWeights(this, source, options));
  }

  /** The topology as a TF.js-style JSON string (`km.modelFromJSON` rebuilds it). */
  toJSON(): string {
    return modelToJSON(this);
  }

  /** Free every wasm buffer of this model. The model cannot be used afterwards. */
  /** The compiled optimizer (Keras `model.optimizer`), null before compile. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /**
   * A buffer in wasm memory the size of all weights: `capture()` copies them in, `restore()`
   * back (earlyStopping's restoreBestWeights). Freed by its `dispose()` or with the model.
   */
  weightSnapshot(): WeightSnapshotBuffer {
    const b = this.ensureAllocated();
    const s = new WeightSnapshotBuffer(b.arena, b.k, this.weights, (x) => this.snapshots.delete(x));
    this.snapshots.add(s);
    return s;
  }

  dispose(): void {
    if (this.disposed) return;
    this.checkIdle('dispose');
    for (const s of [...this.snapshots]) s.dispose();
    this.engine_?.dispose();
    this.compiled?.optimizer.dispose();
    if (this.allocated) {
      const b = backend();
      for (const w of this.weights) {
        if (w.region !== null) b.arena.release(w.region);
        w.region = null;
      }
    }
    this.allocated = false;
    this.disposed = true;
  }

  /** The output layer if it is a Dense (for fusing the output activation into the loss). */
  get outputDense(): Dense | null {
    const last = this.layers[this.layers.length - 1];
    return last instanceof Dense ? last : null;
  }

  /** Feature count of one input sample. */
  get inputFeatures(): number {
    return shapeSize(this.inputShape);
  }
}

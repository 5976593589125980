// Model: a graph of layers from inputs to outputs (Keras's functional `Model`, TF.js
// `tf.model`), its weights in wasm memory, compile and the public calls. Sequential is a Model
// whose graph is a chain. A Model is a Layer too: `model.apply(x)` nests it in another graph.
import { backend, ready } from '../backend/loader.js';
import type { Backend } from '../backend/loader.js';
import type { History, WeightSnapshot } from '../callbacks/index.js';
import { KerasmError, StateError, ValueError, checkOptions, invalidArgument, invalidArgumentAt } from '../errors.js';
import { InputLayer } from '../layers/core.js';
import { Layer, shapesEqual } from '../layers/layer.js';
import type { LayerWeight, Shape, StepContext } from '../layers/layer.js';
import type { Optimizer } from '../optimizers/index.js';
import { Tensor } from '../tensor.js';
import type { DatasetSource, EvaluateArgs, FitArgs, FitDatasetArgs, PredictArgs } from './args.js';
import { resolveCompile } from './compile.js';
import type { CompileArgs, Compiled } from './compile.js';
import { addNode, checkInputShapes, mapGraph, symbolicList } from './graph.js';
import type { Node, SymbolicTensor } from './graph.js';
import { buildProgram } from './program.js';
import type { Program } from './program.js';
import { WeightSnapshotBuffer } from './snapshot.js';
import { Engine } from './training.js';
import { allocateWeights, releaseWeights } from './weights.js';
import { summaryLines } from './summary.js';
import { modelToJSON } from '../io/topology.js';
import type { LoadSource, LoadWeightsOptions, SaveOptions, SaveResult, SaveTarget } from '../io/types.js';

/** Options of `km.model({ inputs, outputs, name })`. */
export interface ModelArgs {
  /** The model's input(s): from `km.input(...)`. */
  inputs: SymbolicTensor | SymbolicTensor[];
  /** The model's output(s): tensors the layers made from the inputs. */
  outputs: SymbolicTensor | SymbolicTensor[];
  /** The model's name (default: a unique `functional`, `functional_1`...). */
  name?: string;
}

/** A graph of layers. Keras: `keras.Model(inputs, outputs)`; TF.js: `tf.model({ inputs, outputs })`. */
export class Model extends Layer {
  /** The Keras class name written to files: `'Functional'` (Sequential: `'Sequential'`). */
  static override readonly className: string = 'Functional';
  /** @internal */
  static override readonly argNames: readonly string[] = ['inputs', 'outputs', 'name', 'trainable'];
  /** The engine expands a model's nodes instead of calling it (program.ts); io knows a nested model by it. @internal */
  readonly isGraph = true as const;
  /** Every layer, in Keras order (inputs first, by depth). */
  layers: Layer[] = [];
  /** The symbolic inputs the model was built from (`km.input(...)`), in order. */
  inputs: SymbolicTensor[] = [];
  /** The symbolic outputs, in order. */
  outputs: SymbolicTensor[] = [];
  /** Nodes in execution order. @internal */
  nodes: Node[] = [];
  /** Set by a callback to end `fit` after the current batch/epoch. */
  stopTraining = false;
  /** What `compile` resolved (optimizer, losses and metrics per output), null before it. @internal */
  compiled: Compiled | null = null;
  private allocated = false;
  private disposed = false;
  private engine_: Engine | null = null;
  private program_: Program | null = null;
  private readonly snapshots = new Set<WeightSnapshotBuffer>();
  /** The long call in progress (`fit`, `fitDataset`, `mcPredict`, `loadWeights`), or null: one at a time per model. */
  private running: string | null = null;

  constructor(args: ModelArgs) {
    const a = checkOptions(args, Model.argNames, 'model', false);
    super({ name: a.name });
    // A Sequential starts empty and grows with `add`; a functional model has its graph at once.
    if (new.target === Model || a.inputs !== undefined || a.outputs !== undefined) this.setGraph(a.inputs, a.outputs);
  }

  /**
   * Set (or reset) the graph: its nodes, weights and layers (Keras order, or `layers` as given:
   * Sequential lists its layers without the input it made for them).
   */
  protected setGraph(inputs: SymbolicTensor | SymbolicTensor[] | undefined, outputs: SymbolicTensor | SymbolicTensor[] | undefined, layerList?: Layer[]): void {
    const ins = symbolicList(this, inputs);
    const outs = symbolicList(this, outputs);
    if (ins.length === 0 || outs.length === 0) throw invalidArgument(ins.length === 0 ? 'inputs' : 'outputs', 'at least one symbolic tensor', ins.length === 0 ? inputs : outputs);
    for (const t of ins) {
      if (!(t.node.layer instanceof InputLayer)) {
        throw invalidArgument('inputs', 'tensors made by km.input(...) (a model starts from its inputs)', `a tensor of layer "${t.node.layer.name}"`);
      }
    }
    const map = mapGraph(ins, outs);
    const { nodes } = map;
    const layers = layerList ?? map.layers;
    this.inputs = ins;
    this.outputs = outs;
    this.nodes = nodes;
    this.layers = layers;
    const seen = new Set<LayerWeight>();
    this.weights.length = 0;
    for (const l of layers) for (const w of l.weights) if (!seen.has(w)) seen.add(w) && this.weights.push(w);
    this.inputShape = ins[0]!.shape.slice();
    this.outputShape = outs[0]!.shape.slice();
    this.program_ = null;
    this.engine_?.invalidate();
  }

  /** The graph flattened for the engine (made on first use). @internal */
  get program(): Program {
    if (this.program_ === null) this.program_ = buildProgram(this);
    return this.program_;
  }

  /** Input names: the input layers' names (keys when fit/predict take an object). */
  get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  /** Output names: the names of the layers that make the outputs (keys of losses, metrics and history). */
  get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  override get inputShapes(): Shape[] {
    return this.inputs.map((t) => t.shape.slice());
  }

  /** Per-sample shapes of the outputs (without the batch dimension), in order. */
  get outputShapes(): Shape[] {
    return this.outputs.map((t) => t.shape.slice());
  }

  /** Weights the optimizer updates: of trainable layers (in trainable nested models). */
  get trainableWeights(): LayerWeight[] {
    const out = new Set<LayerWeight>();
    const walk = (l: Layer): void => {
      if (!l.trainable) return;
      if (l instanceof Model) l.layers.forEach(walk);
      else for (const w of l.weights) if (w.trainable) out.add(w);
    };
    this.layers.forEach(walk);
    return this.weights.filter((w) => out.has(w));
  }

  /** The number of weights' elements (scalars), trainable or not, shared ones counted once. */
  override countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** A nested model may be called again (its layers share their weights) when all of its layers may. @internal */
  override get sharesWeights(): boolean {
    return this.layers.every((l) => l.sharesWeights);
  }

  // --- As a layer inside another graph -------------------------------------------------------

  /** Call the model on symbolic tensors: a node of this model in another graph (one output). */
  override apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    const outs = this.applyMany(inputs);
    if (outs.length !== 1) throw new ValueError(`Model "${this.name}" has ${outs.length} outputs: call model.applyMany(inputs) for the list.`);
    return outs[0]!;
  }

  /** Call the model on symbolic tensors; one tensor per output. */
  override applyMany(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor[] {
    const list = symbolicList(this, inputs);
    checkInputShapes(this, this.inputShapes, list.map((t) => t.shape));
    return addNode(this, list, this.outputShapes).outputs;
  }

  /** The first output's per-sample shape, whatever the input shape (a model's shapes are fixed by its graph). */
  computeOutputShape(_inputShape: Shape): Shape {
    return this.outputShape!.slice();
  }

  /** @internal */
  forward(_ctx: StepContext): void {
    throw new KerasmError('internal: a nested model runs through its layers (the engine expands it)');
  }

  /** @internal */
  backward(_ctx: StepContext): void {
    throw new KerasmError('internal: a nested model runs through its layers (the engine expands it)');
  }

  // --- State ------------------------------------------------------------------------------------

  /** Configure training. Can be called again (a new optimizer starts from fresh state). */
  compile(args: CompileArgs): void {
    this.checkAlive();
    this.checkIdle('compile');
    if (this.layers.length === 0) throw new StateError('Add layers before compiling the model.');
    const compiled = resolveCompile(args, this.outputNames, this.outputShapes);
    if (this.compiled !== null && this.compiled.optimizer !== compiled.optimizer) this.compiled.optimizer.dispose();
    this.compiled = compiled;
    this.engine_?.invalidate();
  }

  /** @internal */
  compiledOrThrow(call: string): Compiled {
    this.checkAlive();
    if (this.compiled === null) throw new StateError(`You must call compile() before ${call}().`);
    return this.compiled;
  }

  /** @internal */
  checkAlive(): void {
    if (this.disposed) throw new StateError(`Model ${this.name} has been disposed and cannot be used.`);
  }

  /**
   * Refuse `call` while a long call (fit, fitDataset, mcPredict, loadWeights) runs on this model:
   * the two would interleave steps on the same weights and buffers. Calls a callback makes that
   * leave training alone (predict, save, getWeights, stopTraining) are not checked. TF.js refuses
   * a second fit in the same way.
   * @internal
   */
  checkIdle(call: string): void {
    if (this.running === null) return;
    throw new StateError(`Cannot call ${call}() on model ${this.name}: a previous ${this.running}() call is still running ` +
      `(a missing \`await\`?). Await it first: \`await model.${this.running}(...)\`.`);
  }

  /**
   * Run a long asynchronous call with the model marked busy (see `checkIdle`); the mark is set
   * before the first await, so a call made right after without `await` is refused.
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
   * Allocate and initialize every weight in wasm memory (once). Weights in `provided` (a file's)
   * are allocated without running their initializers, so loading draws nothing from the stream.
   * @internal
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
      allocateWeights(b, this.weights, provided);
      this.allocated = true;
    }
    return b;
  }

  /** Whether the weights exist in wasm memory (after fit, predict, getWeights…). */
  protected get isAllocated(): boolean {
    return this.allocated;
  }

  /** @internal */
  get engine(): Engine {
    if (this.engine_ === null) this.engine_ = new Engine(this);
    return this.engine_;
  }

  // --- The public calls -------------------------------------------------------------------------

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

  /** Outputs for `x`, batched (one Tensor per output for several); `{ training: true }` keeps dropout on (MC dropout). */
  predict(x: unknown, args: PredictArgs = {}): Tensor | Tensor[] {
    this.checkAlive();
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

  /** The layer (nested models searched) that owns a weight. @internal */
  layerOf(w: LayerWeight): Layer {
    for (const l of this.layers) {
      if (l instanceof Model && l.weights.includes(w)) return l.layerOf(w);
      if (l.weights.includes(w)) return l;
    }
    throw new KerasmError('weight not in model');
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
    return import('./io-entry.js').then((io) => io.saveModel(this, target, options));
  }

  /** Save the weights alone (a manifest without topology, and `weights.bin`). */
  saveWeights(target: SaveTarget, options?: SaveOptions): Promise<SaveResult> {
    return import('./io-entry.js').then((io) => io.saveModelWeights(this, target, options));
  }

  /** Load weights by name (or, when the names differ, by order) from a file, URL, handler or artifacts. */
  loadWeights(source: LoadSource, options?: LoadWeightsOptions): Promise<void> {
    return this.exclusive('loadWeights', () => import('./io-entry.js').then((io) => io.loadModelWeights(this, source, options)));
  }

  /** The topology as a TF.js-style JSON string (`km.modelFromJSON` rebuilds it). */
  toJSON(): string {
    return modelToJSON(this);
  }

  /** A layer by name (Keras `model.get_layer(name)`). */
  getLayer(name: string): Layer {
    const l = this.layers.find((layer) => layer.name === name);
    if (l === undefined) throw invalidArgument('name', `a layer name (${this.layers.map((x) => x.name).join(', ')})`, name);
    return l;
  }

  /** The compiled optimizer (Keras `model.optimizer`), null before compile. */
  get optimizer(): Optimizer | null {
    return this.compiled?.optimizer ?? null;
  }

  /**
   * A buffer in wasm memory the size of all weights: `capture()` copies them in, `restore()`
   * back (earlyStopping's restoreBestWeights). Freed by its `dispose()` or with the model.
   */
  weightSnapshot(): WeightSnapshot {
    const b = this.ensureAllocated();
    const s = new WeightSnapshotBuffer(b.arena, b.k, this.weights, (x) => this.snapshots.delete(x));
    this.snapshots.add(s);
    return s;
  }

  /** Free every wasm buffer of this model (weights other models still use stay). The model cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.checkIdle('dispose');
    for (const s of [...this.snapshots]) s.dispose();
    this.engine_?.dispose();
    this.compiled?.optimizer.dispose();
    if (this.allocated) releaseWeights(backend(), this.weights);
    this.allocated = false;
    this.disposed = true;
  }
}

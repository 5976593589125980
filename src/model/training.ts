// The loops: fit and fitDataset share one epoch loop over a batch source; evaluate, predict,
// trainOnBatch and lossAndGradients run the same step (step.ts) on batches of arrays.
import type { Backend } from '../backend/loader.js';
import { CallbackList, History } from '../callbacks/index.js';
import type { CallbackHooks, CallbackModel, Logs } from '../callbacks/index.js';
import { checkCallbacks } from '../callbacks/check.js';
import { classWeightsToSampleWeights } from '../data/class-weight.js';
import { scanFinite } from '../data/staging.js';
import { KerasmError, ValueError, checkOptionNames, checkPositiveInt, invalidArgument, invalidArgumentAt } from '../errors.js';
import { addDeferredPenaltyGradients } from '../layers/layer.js';
import { Tensor, shapeSize } from '../tensor.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, PREDICT_OPTIONS } from './args.js';
import type { EvaluateArgs, FitArgs, PredictArgs } from './args.js';
import { ArrayBatches, ArraySource, splitArrays, toArrays, toInputs, toSampleWeightsPerOutput } from './batches.js';
import type { Arrays, IOModel } from './batches.js';
import type { Compiled } from './compile.js';
import { DatasetBatches } from './dataset.js';
import type { DatasetSource, FitDatasetArgs } from './dataset.js';
import { ProgressBar } from './progress.js';
import { Executor, metricSlots } from './step.js';
import { Tally } from './tally.js';
import type { StepModel } from './step.js';

export { fusion } from '../layers/layer.js';
export type { EvaluateArgs, FitArgs, PredictArgs } from './args.js';
export type { DatasetBatch, DatasetSource, FitDatasetArgs } from './dataset.js';

/** What the loops need of a model. */
export interface EngineModel extends StepModel, IOModel, CallbackModel {
  readonly name: string;
  ensureAllocated(): Backend;
  compiledOrThrow(call: string): Compiled;
}

/** What the epoch loop reads batches from: arrays (synchronous) or a dataset of batches. */
export interface EpochSource {
  begin(epoch: number): void;
  /** Advance to the next batch: its rows, or 0 at the end of the epoch (a promise for async sources). */
  pull(): number | Promise<number>;
  /** Stage the pulled batch into the plan (after onBatchBegin, which may look at or change it). */
  stage(): void;
  beforeStep?(): void;
  afterStep?(): void;
  readonly hasSw: boolean;
  /** Steps per epoch where known (the progress bar). */
  readonly steps: number | null;
}

interface TrainOptions {
  epochs: number;
  initialEpoch: number;
  verbose: 0 | 1 | 2;
  callbacks: CallbackHooks[];
  val: Arrays | null;
  valBatchSize: number;
  params: Record<string, unknown>;
}

function checkVerbose(v: unknown): 0 | 1 | 2 {
  if (v !== undefined && v !== 0 && v !== 1 && v !== 2) throw invalidArgument('verbose', '0, 1 or 2', v);
  return (v ?? 1) as 0 | 1 | 2;
}

export class Engine {
  readonly exec: Executor;
  private readonly model: EngineModel;

  constructor(model: EngineModel) {
    this.model = model;
    this.exec = new Executor(model);
  }

  /** Drop the plan (after compile or a layer change); it is laid out again on next use. */
  invalidate(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.exec.current !== null) this.exec.release(this.model.ensureAllocated());
  }

  /** Run a training call with the plan pinned (see `Executor.pinned`). */
  private async pinnedRun<T>(run: () => Promise<T>): Promise<T> {
    this.exec.pinned = true;
    try {
      return await run();
    } finally {
      this.exec.pinned = false;
    }
  }

  fit(x: unknown, y: unknown, args: FitArgs): Promise<History> {
    return this.pinnedRun(() => this.fitArrays(x, y, args));
  }

  fitDataset(source: DatasetSource, args: FitDatasetArgs): Promise<History> {
    return this.pinnedRun(() => {
      const model = this.model;
      const compiled = model.compiledOrThrow('fitDataset');
      const src = new DatasetBatches(model, compiled, source, args);
      const b = model.ensureAllocated();
      src.attach(b, this.exec);
      const verbose = checkVerbose(args.verbose);
      const callbacks = checkCallbacks(args.callbacks);
      const val = args.validationData === undefined ? null : toArrays(model, compiled.heads, args.validationData[0], args.validationData[1], ['validationData[0]', 'validationData[1]']);
      return this.train(b, src, { epochs: src.epochs, initialEpoch: 0, verbose, callbacks, val, valBatchSize: 0, params: { epochs: src.epochs, verbose } });
    });
  }

  private async fitArrays(xIn: unknown, yIn: unknown, args: FitArgs): Promise<History> {
    const model = this.model;
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    const compiled = model.compiledOrThrow('fit');
    checkOptionNames(args, FIT_OPTIONS, 'fit');
    const epochs = args.epochs === undefined ? 1 : checkPositiveInt('epochs', args.epochs);
    const batchSize = args.batchSize === undefined ? 32 : checkPositiveInt('batchSize', args.batchSize);
    const initialEpoch = args.initialEpoch ?? 0;
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw invalidArgument('initialEpoch', 'a non-negative integer', args.initialEpoch);
    const verbose = checkVerbose(args.verbose);
    const shuffle = args.shuffle ?? true;
    if (typeof shuffle !== 'boolean') throw invalidArgument('shuffle', 'a boolean', args.shuffle);
    const split = args.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw invalidArgument('validationSplit', 'a number in [0, 1)', args.validationSplit);
    const callbacks = checkCallbacks(args.callbacks);
    let data = toArrays(model, compiled.heads, xIn, yIn);
    data.sw = toSampleWeightsPerOutput(model, args.sampleWeight, data.rows);
    let val = args.validationData === undefined ? null : this.validationArrays(args.validationData);
    if (val === null && split > 0) [data, val] = splitArrays(data, split);
    if (args.classWeight !== undefined) data.sw[0] = this.classWeights(args.classWeight, data);

    const b = model.ensureAllocated();
    // Buffers for at most one batch of the data at hand (batchSize 1e9 on 40 samples plans 40 rows).
    const p = this.exec.plan(b, Math.min(batchSize, Math.max(data.rows, val?.rows ?? 0)), true);
    // All data is scanned (in wasm, batch by batch) before the first step, so a bad value
    // rejects the call before anything changes (once per array); each step still scans its batch.
    for (const d of val === null ? [data] : [data, val]) this.scanAll(b, d, p.rows);
    this.exec.buildOptimizer(b);
    const src = new ArraySource(new ArrayBatches(b, p, data, batchSize, shuffle), shuffle);
    // With a thread pool, the next batch's inputs are staged while a GEMM runs on the workers; not
    // with batch hooks, which may look at or change the data between batches.
    src.batches.prefetch = !new CallbackList(callbacks).wantsBatchHooks;
    const params = { epochs, steps: src.steps, verbose, batchSize, samples: data.rows };
    return this.train(b, src, { epochs, initialEpoch, verbose, callbacks, val, valBatchSize: batchSize, params });
  }

  private validationArrays(v: unknown): Arrays {
    if (!Array.isArray(v) || v.length < 2) throw invalidArgument('validationData', '[xVal, yVal]', v);
    const compiled = this.model.compiled!;
    const val = toArrays(this.model, compiled.heads, v[0], v[1], ['validationData[0]', 'validationData[1]'], '');
    val.sw = toSampleWeightsPerOutput(this.model, v[2], val.rows, 'validationData[2]');
    return val;
  }

  private scanAll(b: Backend, d: Arrays, rows: number): void {
    const p = this.exec.current!;
    d.x.forEach((x, i) => scanFinite(b, x, rows, p.act[i]!, 'x'));
    d.y.forEach((y, h) => {
      if (y !== null) scanFinite(b, y, rows, p.y[h]!, 'y');
    });
  }

  /** Per-sample weights from `classWeight` (× `sampleWeight`); the output must be [batch, classes]. */
  private classWeights(classWeight: unknown, data: Arrays): Float32Array {
    const shape = this.model.outputShapes[0]!;
    if (this.model.outputShapes.length !== 1 || shape.length !== 1) {
      throw invalidArgumentAt('classWeight', 'a model with one output of shape [batch, classes]', `output shape [${shape.join(', ')}]`);
    }
    return classWeightsToSampleWeights(classWeight, data.y[0]!, data.sw[0] ?? null);
  }

  /** The epoch loop of fit and fitDataset. */
  private async train(b: Backend, src: EpochSource, o: TrainOptions): Promise<History> {
    const model = this.model;
    const compiled = model.compiled!;
    const history = new History();
    // History last, as Keras 3, so it records what callbacks add to the logs (learning_rate).
    const callbacks = new CallbackList([...o.callbacks, history]);
    callbacks.setModel(model);
    callbacks.setParams(o.params);
    model.stopTraining = false;
    const tally = new Tally(compiled, model.outputShapes);
    await callbacks.onTrainBegin();
    for (let epoch = o.initialEpoch; epoch < o.epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin(epoch);
      src.begin(epoch);
      tally.reset();
      const bar = o.verbose === 1 && src.steps !== null ? new ProgressBar(src.steps) : null;
      if (bar !== null) ProgressBar.epochHeader(epoch + 1, o.epochs);
      bar?.begin();
      const steps = await this.trainEpoch(b, src, callbacks, tally, epoch, bar);
      if (tally.seen === 0) throw new ValueError(`Invalid value received for argument \`source\`: expected at least one batch in epoch ${epoch + 1}. Received: an empty source`);
      const logs = tally.logs();
      if (o.val !== null) {
        const v = this.evaluateArrays(b, o.val, o.valBatchSize || this.exec.current!.rows);
        for (const [key, value] of Object.entries(v)) logs[`val_${key}`] = value;
      }
      bar?.end(Object.entries(logs));
      const line = Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ');
      if (o.verbose === 2 || (o.verbose === 1 && bar === null)) console.log(`Epoch ${epoch + 1}/${o.epochs} - ${src.steps === null ? `${steps} batches - ` : ''}${line}`);
      await callbacks.onEpochEnd(epoch, logs);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
    }
    await callbacks.onTrainEnd();
    return history;
  }

  /** One epoch's steps; returns how many ran. */
  private async trainEpoch(b: Backend, src: EpochSource, callbacks: CallbackList, tally: Tally, epoch: number, bar: ProgressBar | null): Promise<number> {
    const model = this.model;
    const hooks = callbacks.wantsBatchHooks;
    const batchLogs: Logs = { batch: 0, size: 0 };
    const running = (): [string, number][] => tally.running();
    let step = 0;
    for (;;) {
      let pulled = src.pull();
      if (typeof pulled !== 'number') pulled = await pulled;
      const rows = pulled;
      if (rows === 0) break;
      if (hooks) {
        batchLogs.batch = step;
        batchLogs.size = rows;
        await callbacks.onBatchBegin(step, batchLogs);
      }
      src.stage();
      src.beforeStep?.();
      let loss: number;
      try {
        loss = this.exec.trainStep(b, rows, src.hasSw, tally.sums);
      } finally {
        src.afterStep?.();
      }
      tally.add(loss, rows, this.exec.headLoss);
      step++;
      if (hooks) {
        // The batch hooks see a non-finite loss first: a callback that stops training
        // (terminateOnNaN) ends fit normally (the epoch's loss is then non-finite).
        batchLogs.loss = loss;
        await callbacks.onBatchEnd(step - 1, batchLogs);
      }
      if (!Number.isFinite(loss)) {
        if (model.stopTraining) break;
        throw new KerasmError(`Training stopped: the loss became ${loss} at epoch ${epoch + 1}, batch ${step}. ` +
          'The weights are those of the last completed step. Lower the learning rate, check the data, or clip gradients (clipnorm).');
      }
      bar?.update(step, running);
      if (model.stopTraining) break;
    }
    return step;
  }

  /** Loss and metrics over arrays in inference mode, penalties included (as Keras). */
  private evaluateArrays(b: Backend, data: Arrays, batchSizeAsked: number): Record<string, number> {
    const p = this.exec.plan(b, Math.min(batchSizeAsked, Math.max(data.rows, 1)), false);
    const batches = new ArrayBatches(b, p, data, Math.min(batchSizeAsked, p.rows), false);
    const tally = new Tally(this.model.compiled!, this.model.outputShapes);
    for (let rows = batches.pull(); rows > 0; rows = batches.pull()) {
      batches.stage();
      const activity = this.exec.forward(rows, false, true, true);
      tally.add(this.exec.lossAndMetrics(b, rows, false, true, batches.hasSw, tally.sums) + activity, rows, this.exec.headLoss);
    }
    return tally.logs(this.exec.weightPenalty(b));
  }

  evaluate(xIn: unknown, yIn: unknown, args: EvaluateArgs): Record<string, number> {
    const compiled = this.model.compiledOrThrow('evaluate');
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    checkOptionNames(args, EVALUATE_OPTIONS, 'evaluate');
    const batchSize = args.batchSize === undefined ? 32 : checkPositiveInt('batchSize', args.batchSize);
    const data = toArrays(this.model, compiled.heads, xIn, yIn);
    data.sw = toSampleWeightsPerOutput(this.model, args.sampleWeight, data.rows);
    if (args.classWeight !== undefined) data.sw[0] = this.classWeights(args.classWeight, data);
    return this.evaluateArrays(this.model.ensureAllocated(), data, batchSize);
  }

  /** Outputs for `x`, batched: a Tensor, or one per output for several. */
  predict(xIn: unknown, args: PredictArgs): Tensor | Tensor[] {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    checkOptionNames(args, PREDICT_OPTIONS, 'predict');
    const batchSize = args.batchSize === undefined ? 32 : checkPositiveInt('batchSize', args.batchSize);
    const training = args.training ?? false;
    if (typeof training !== 'boolean') throw invalidArgument('training', 'a boolean', args.training);
    const xs = toInputs(this.model, xIn);
    const rows = xs[0]!.rows;
    const b = this.model.ensureAllocated();
    const p = this.exec.plan(b, Math.min(batchSize, Math.max(rows, 1)), false);
    const batches = new ArrayBatches(b, p, { x: xs, y: [], sw: [], rows }, Math.min(batchSize, p.rows), false);
    // In training mode each batch advances the noise layers' streams: check all input first,
    // so a bad value rejects the call before any state moves.
    if (training) xs.forEach((x, i) => scanFinite(b, x, batches.batchSize, p.act[i]!, 'x'));
    const outputs = this.model.program.outputs;
    const sizes = this.model.outputShapes.map(shapeSize);
    const out = sizes.map((n) => new Float32Array(rows * n));
    for (let start = 0, n = batches.pull(); n > 0; start += n, n = batches.pull()) {
      batches.stage();
      this.exec.forward(n, training, false, false);
      outputs.forEach((v, h) => {
        const src = this.exec.current!.act[v]! >> 2;
        out[h]!.set(b.arena.f32.subarray(src, src + n * sizes[h]!), start * sizes[h]!);
      });
    }
    const tensors = out.map((d, h) => new Tensor(d, [rows, ...this.model.outputShapes[h]!]));
    return tensors.length === 1 ? tensors[0]! : tensors;
  }

  trainOnBatch(xIn: unknown, yIn: unknown): number | number[] {
    const model = this.model;
    const compiled = model.compiledOrThrow('trainOnBatch');
    const data = toArrays(model, compiled.heads, xIn, yIn);
    const b = model.ensureAllocated();
    const p = this.exec.plan(b, data.rows, true);
    this.exec.buildOptimizer(b);
    const tally = new Tally(compiled, model.outputShapes);
    const batches = new ArrayBatches(b, p, data, data.rows, false);
    batches.pull();
    batches.stage();
    const loss = this.exec.trainStep(b, data.rows, false, tally.sums);
    if (!Number.isFinite(loss)) throw new KerasmError(`trainOnBatch: the loss became ${loss}; the weights were not updated.`);
    tally.add(loss, data.rows, this.exec.headLoss);
    const values = Object.values(tally.logs());
    return values.length === 1 ? loss : [loss, ...values.slice(1)];
  }

  /**
   * Loss (penalties included) and the gradient of every weight for one batch, in inference
   * mode (dropout off), without updating anything. For gradient checks and tooling.
   */
  lossAndGradients(xIn: unknown, yIn: unknown): { loss: number; grads: Tensor[] } {
    const model = this.model;
    const compiled = model.compiledOrThrow('lossAndGradients');
    const data = toArrays(model, compiled.heads, xIn, yIn);
    const b = model.ensureAllocated();
    const p = this.exec.plan(b, data.rows, true);
    const batches = new ArrayBatches(b, p, data, data.rows, false);
    batches.pull();
    batches.stage();
    const activity = this.exec.forward(data.rows, false, true, true);
    const loss = this.exec.lossAndMetrics(b, data.rows, true, true, false, new Float64Array(metricSlots(compiled))) + activity + this.exec.weightPenalty(b);
    this.exec.backward(data.rows);
    addDeferredPenaltyGradients(b.k, model.trainableWeights); // penalties an optimizer would fuse into its update
    const grads = model.weights.map((w) => new Tensor(b.arena.view(w.grad!, w.size).slice(), w.shape.slice()));
    return { loss, grads };
  }
}

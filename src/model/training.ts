// The loops: fit, evaluate, predict, trainOnBatch. Buffers are planned once per batch size;
// a step stages one batch into wasm and makes a fixed list of kernel calls.
import type { Backend } from '../backend/loader.js';
import type { Ptr } from '../backend/kernels.js';
import type { Region } from '../backend/memory.js';
import { CallbackList, History } from '../callbacks/index.js';
import type { CallbackHooks, Logs } from '../callbacks/index.js';
import { toDataset, toSampleWeights, toSparseLabels, toTargets } from '../data/coerce.js';
import { classWeightsToSampleWeights } from '../data/class-weight.js';
import type { ClassWeight } from '../data/class-weight.js';
import type { Dataset } from '../data/coerce.js';
import { KerasmError, ValueError, aliasOf, checkOptionNames, checkPositiveInt, invalidArgument, invalidArgumentAt } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import type { Layer, StepContext } from '../layers/layer.js';
import { addDeferredPenaltyGradients } from '../layers/layer.js';
import * as metricsLib from '../metrics/index.js';
import type { Metric } from '../metrics/index.js';
import { globalRandom } from '../random.js';
import { Tensor, shapeSize } from '../tensor.js';
import { ProgressBar } from './progress.js';
import type { Sequential } from './sequential.js';

export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the data, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** `[xVal, yVal]` (or `[xVal, yVal, sampleWeightVal]`), overrides validationSplit. */
  validationData?: [unknown, unknown] | [unknown, unknown, unknown];
  /** Epoch to start at (for resuming). Default 0. */
  initialEpoch?: number;
  /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  callbacks?: CallbackHooks[] | CallbackHooks;
  /** One weight per training sample, scaling its loss. */
  sampleWeight?: ArrayLike<number>;
  /**
   * Weight per class index (`{ 0: 1, 1: 5 }`), applied to the training samples (not to
   * validation data, as Keras); multiplied with `sampleWeight` when both are given.
   */
  classWeight?: ClassWeight;
}

/** A batch from a dataset source: inputs and targets for up to the planned number of rows. */
export interface DatasetBatch {
  xs: unknown;
  ys: unknown;
}

/** Anything `fitDataset` can read one epoch from: a (re-iterable) sync or async iterable, or a function returning one. */
export type DatasetSource = Iterable<DatasetBatch> | AsyncIterable<DatasetBatch> | (() => Iterable<DatasetBatch> | AsyncIterable<DatasetBatch>);

export interface FitDatasetArgs {
  epochs?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: CallbackHooks[] | CallbackHooks;
  /** Validation arrays `[xVal, yVal]`, evaluated at the end of each epoch. */
  validationData?: [unknown, unknown];
  /** Stop an epoch after this many batches (for endless sources). */
  batchesPerEpoch?: number;
}

export interface EvaluateArgs {
  batchSize?: number;
  sampleWeight?: ArrayLike<number>;
  /** Weight per class index, multiplied with `sampleWeight` (a kerasm extension: Keras's evaluate has none). */
  classWeight?: ClassWeight;
  verbose?: 0 | 1;
}

export interface PredictArgs {
  batchSize?: number;
  /** Run dropout as in training (MC dropout). Default false. */
  training?: boolean;
}

/** Every buffer a batch needs, laid out once for up to `rows` rows. */
interface Plan {
  rows: number;
  training: boolean;
  /** acts[i]: input of layer i (acts[0] is the staged batch); acts[L] the output. */
  acts: Ptr[];
  /** grads[i]: gradient with respect to acts[i] (0 where no one needs it). */
  grads: Ptr[];
  y: Region;
  sw: Region;
  ws: Region;
  /**
   * A second input buffer (training with a thread pool): the next batch is staged into it while a
   * GEMM of this step runs on the workers, then the two swap (see `prefetch` in fit).
   */
  xNext: Ptr;
  regions: Region[];
}

/** Labels or targets in the layout the loss kernel reads. */
function toLabels(model: Sequential, y: unknown, name: string): Dataset {
  const out = model.outputShape;
  const units = out[out.length - 1]!;
  const loss = model.compiled!.loss;
  if (loss.sparse) {
    const d = toSparseLabels(y, units, name);
    if (out.length !== 1) throw new ValueError('Sparse labels need an output of shape [batch, classes].');
    return d;
  }
  return toTargets(y, shapeSize(out), name);
}

export class Engine {
  private readonly model: Sequential;
  private plan_: Plan | null = null;
  private ctx: StepContext | null = null;
  /**
   * True while fit or fitDataset runs: an inference call from one of its callbacks (predict,
   * validation) then works in the training plan's buffers, in batches of its rows, instead of
   * laying out a larger plan and freeing the buffers the running step holds.
   */
  private pinned = false;

  constructor(model: Sequential) {
    this.model = model;
  }

  /** Drop the plan (after compile or a layer change); it is laid out again on next use. */
  invalidate(): void {
    this.dispose();
  }

  dispose(): void {
    if (this.plan_ === null) return;
    const { arena } = this.model.ensureAllocated();
    for (const l of this.model.layers) l.unplan(arena);
    for (const r of this.plan_.regions) arena.release(r);
    for (const w of this.model.weights) {
      if (w.grad !== null) arena.release(w.grad);
      w.grad = null;
    }
    this.plan_ = null;
  }

  /** A plan for at least `rows` rows, with gradient buffers if `training`. Reused when it fits. */
  private plan(b: Backend, rows: number, training: boolean): Plan {
    const p = this.plan_;
    if (p !== null && ((p.rows >= rows && (p.training || !training)) || (this.pinned && !training))) return p;
    const want = Math.max(rows, p?.rows ?? 0);
    const withGrads = training || (p?.training ?? false);
    this.dispose();
    const { arena, k } = b;
    const layers = this.model.layers;
    const regions: Region[] = [];
    const alloc = (bytes: number): Region => {
      const r = arena.alloc(bytes);
      regions.push(r);
      return r;
    };
    try {
      const acts: Ptr[] = [alloc(want * this.model.inputFeatures * 4).ptr];
      const grads: Ptr[] = [0];
      let wsBytes = 16;
      layers.forEach((layer, i) => {
        const outSize = shapeSize(layer.outputShape!);
        acts.push(layer.aliasesInput ? acts[i]! : alloc(want * outSize * 4).ptr);
        layer.plan(arena, want);
        const ws = (layer as { workspaceBytes?: (kk: typeof k, r: number) => number }).workspaceBytes;
        if (ws !== undefined) wsBytes = Math.max(wsBytes, ws.call(layer, k, want));
      });
      linkFusedDropouts(layers);
      // Gradient buffers: grads[i] exists where some layer before i has weights.
      if (withGrads) {
        let anyBefore = false;
        for (let i = 1; i <= layers.length; i++) {
          if (layers[i - 1]!.weights.length > 0) anyBefore = true;
          if (i === layers.length || anyBefore) {
            grads[i] = layers[i - 1]!.aliasesInput && grads[i - 1]! !== 0 ? grads[i - 1]! : alloc(want * shapeSize(layers[i - 1]!.outputShape!) * 4).ptr;
          } else {
            grads[i] = 0;
          }
        }
        for (const w of this.model.weights) w.grad = arena.alloc(w.size * 4);
      } else {
        for (let i = 1; i <= layers.length; i++) grads[i] = 0;
      }
      const outCols = shapeSize(this.model.outputShape);
      const y = alloc(want * Math.max(outCols, 1) * 4);
      const sw = alloc(want * 4);
      const ws = alloc(wsBytes);
      b.pool?.reserve(wsBytes);
      const xNext = withGrads && b.pool !== null && b.pool.threads > 1 ? alloc(want * this.model.inputFeatures * 4).ptr : 0;
      this.plan_ = { rows: want, training: withGrads, acts, grads, y, sw, ws, xNext, regions };
    } catch (e) {
      for (const l of layers) l.unplan(arena);
      for (const r of regions) arena.release(r);
      for (const w of this.model.weights) {
        if (w.grad !== null) arena.release(w.grad);
        w.grad = null;
      }
      throw e;
    }
    this.ctx = {
      k, arena, rows: 0, training: false, x: 0, y: 0, dy: 0, dx: 0, ws: this.plan_.ws.ptr, lossFused: false,
      trackPenalty: false, penalty: 0, updateStatistics: false,
    };
    return this.plan_;
  }

  /** Which output activation the loss fuses with, if any. */
  private fusedKind(): 'softmax' | 'sigmoid' | null {
    const dense = this.model.outputDense;
    const loss = this.model.compiled?.loss;
    if (dense === null || loss === undefined || dense.activityRegularizer !== null) return null;
    return loss.fusesWith(dense.activation.name);
  }

  /**
   * Copy rows `order[start..start+rows)` of a dataset into a wasm buffer: one `TypedArray.set`
   * (a memcpy) per row through row views made once per array, so staging allocates nothing.
   */
  private stage(b: Backend, d: Dataset, order: Int32Array | null, start: number, rows: number, dst: Ptr): void {
    const f32 = b.arena.f32;
    const cols = d.cols;
    let o = dst >> 2;
    if (cols < MIN_VIEW_COLS) {
      // Labels and sample weights: a few floats a row, cheaper to copy than to call `set` on.
      const src = d.data;
      for (let r = start; r < start + rows; r++, o += cols) {
        const s = (order === null ? r : order[r]!) * cols;
        for (let j = 0; j < cols; j++) f32[o + j] = src[s + j]!;
      }
      return;
    }
    const views = rowViews(d);
    if (order === null) {
      for (let r = start; r < start + rows; r++, o += cols) f32.set(views[r]!, o);
    } else {
      for (let r = start; r < start + rows; r++, o += cols) f32.set(views[order[r]!]!, o);
    }
  }

  private checkFinite(b: Backend, d: Dataset, order: Int32Array | null, start: number, rows: number, ptr: Ptr, name: string): void {
    const bad = b.k.f32_find_nonfinite(rows * d.cols, ptr);
    if (bad >= 0) {
      const r = Math.floor(bad / d.cols);
      const sample = order === null ? start + r : order[start + r]!;
      const value = d.data[sample * d.cols + (bad % d.cols)];
      throw invalidArgumentAt(name, 'finite numbers', `${value} at sample ${sample}, feature ${bad % d.cols}`);
    }
  }

  /** Stage a whole dataset batch by batch and reject its first non-finite value. */
  private scanFinite(b: Backend, d: Dataset, rows: number, ptr: Ptr, name: string): void {
    if (isKnownFinite(d.data)) return;
    for (let start = 0; start < d.rows; start += rows) {
      const n = Math.min(rows, d.rows - start);
      this.stage(b, d, null, start, n, ptr);
      this.checkFinite(b, d, null, start, n, ptr, name);
    }
    markFinite(d.data);
  }

  /** Forward over all layers; returns the activity penalty accumulated. */
  private forward(p: Plan, rows: number, training: boolean, trackPenalty: boolean, fused: boolean, updateStatistics = false): number {
    const ctx = this.ctx!;
    const layers = this.model.layers;
    ctx.rows = rows;
    ctx.training = training;
    ctx.updateStatistics = training && updateStatistics;
    ctx.trackPenalty = trackPenalty;
    ctx.penalty = 0;
    for (let i = 0; i < layers.length; i++) {
      ctx.x = p.acts[i]!;
      ctx.y = p.acts[i + 1]!;
      ctx.lossFused = fused && i === layers.length - 1;
      layers[i]!.forward(ctx);
    }
    return ctx.penalty;
  }

  private backward(p: Plan, rows: number, fused: boolean): void {
    const ctx = this.ctx!;
    const layers = this.model.layers;
    ctx.rows = rows;
    for (let i = layers.length - 1; i >= 0; i--) {
      ctx.x = p.acts[i]!;
      ctx.y = p.acts[i + 1]!;
      ctx.dy = p.grads[i + 1]!;
      ctx.dx = p.grads[i]!;
      ctx.lossFused = fused && i === layers.length - 1;
      layers[i]!.backward(ctx);
    }
  }

  private weightPenalty(b: Backend): number {
    let s = 0;
    for (const l of this.model.layers) s += l.weightPenalty(b.k);
    return s;
  }

  /**
   * Loss of the staged batch (data loss mean + penalties); with `grad`, its gradient goes
   * into the output gradient buffer. Metric sums are added into `sums`.
   */
  private lossAndMetrics(b: Backend, p: Plan, rows: number, grad: boolean, fusedKind: 'softmax' | 'sigmoid' | null,
    hasSw: boolean, metrics: Metric[], sums: Float64Array): number {
    const L = this.model.layers.length;
    const loss = this.model.compiled!.loss;
    const out = this.model.outputShape;
    const cols = out[out.length - 1]!;
    const lossRows = (rows * shapeSize(out)) / cols;
    const dense = this.model.outputDense;
    const pred = fusedKind !== null ? dense!.logits : p.acts[L]!;
    const probs = fusedKind !== null ? p.acts[L]! : 0;
    const sum = loss.compute(b.k, lossRows, cols, pred, p.y.ptr, hasSw ? p.sw.ptr : 0, grad ? p.grads[L]! : 0, 1 / lossRows, fusedKind, probs);
    for (let m = 0; m < metrics.length; m++) sums[m]! += metricsLib.batchSum(b.k, metrics[m]!, lossRows, cols, p.acts[L]!, p.y.ptr);
    return sum / lossRows;
  }

  /** Run a training call with the plan pinned (see `pinned`). */
  private async pinnedRun<T>(run: () => Promise<T>): Promise<T> {
    this.pinned = true;
    try {
      return await run();
    } finally {
      this.pinned = false;
    }
  }

  fit(xIn: unknown, yIn: unknown, args: FitArgs): Promise<History> {
    return this.pinnedRun(() => this.fitArrays(xIn, yIn, args));
  }

  fitDataset(source: DatasetSource, args: FitDatasetArgs): Promise<History> {
    return this.pinnedRun(() => this.fitSource(source, args));
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
    const verbose = args.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument('verbose', '0, 1 or 2', args.verbose);
    const shuffle = args.shuffle ?? true;
    if (typeof shuffle !== 'boolean') throw invalidArgument('shuffle', 'a boolean', args.shuffle);
    const split = args.validationSplit ?? 0;
    if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw invalidArgument('validationSplit', 'a number in [0, 1)', args.validationSplit);
    const userCallbacks = checkCallbacks(args.callbacks);

    let x = toDataset(xIn, 'x');
    this.checkInputShape(x, 'x');
    let y = toLabels(model, yIn, 'y');
    checkSameRows(x, y, this.model);
    let sw = args.sampleWeight === undefined ? null : toSampleWeights(args.sampleWeight, x.rows);
    let val: { x: Dataset; y: Dataset; sw: Float32Array | null } | null = null;
    if (args.validationData !== undefined) {
      if (!Array.isArray(args.validationData) || args.validationData.length < 2) throw invalidArgument('validationData', '[xVal, yVal]', args.validationData);
      const vx = toDataset(args.validationData[0], 'validationData[0]');
      this.checkInputShape(vx, 'validationData[0]');
      const vy = toLabels(model, args.validationData[1], 'validationData[1]');
      if (vx.rows !== vy.rows) throw new ValueError(`Invalid value received for argument \`validationData\`: x has ${vx.rows} samples but y has ${vy.rows}`);
      const vsw = args.validationData[2] === undefined ? null : toSampleWeights(args.validationData[2], vx.rows, 'validationData[2]');
      val = { x: vx, y: vy, sw: vsw };
    } else if (split > 0) {
      const at = Math.floor(x.rows * (1 - split));
      if (at === 0 || at === x.rows) throw new ValueError(`Invalid value received for argument \`validationSplit\`: ${split} of ${x.rows} samples leaves an empty training or validation set`);
      val = { x: sliceRows(x, at, x.rows), y: sliceRows(y, at, y.rows), sw: sw === null ? null : sw.subarray(at) };
      x = sliceRows(x, 0, at);
      y = sliceRows(y, 0, at);
      sw = sw === null ? null : sw.subarray(0, at);
    }
    if (x.rows === 0) throw new ValueError('Invalid value received for argument `x`: expected at least one sample. Received: 0 samples');
    if (args.classWeight !== undefined) sw = this.classWeights(args.classWeight, y, sw);

    const b = model.ensureAllocated();
    // Buffers for at most one batch of the data at hand (batchSize 1e9 on 40 samples plans 40 rows).
    const p = this.plan(b, Math.min(batchSize, Math.max(x.rows, val?.x.rows ?? 0)), true);
    // All data is scanned (in wasm, batch by batch) before the first step, so a bad value
    // rejects the call before anything changes (once per array: see finiteRanges); each step
    // still scans its staged batch.
    this.scanFinite(b, x, p.rows, p.acts[0]!, 'x');
    this.scanFinite(b, y, p.rows, p.y.ptr, 'y');
    if (val !== null) {
      this.scanFinite(b, val.x, p.rows, p.acts[0]!, 'x');
      this.scanFinite(b, val.y, p.rows, p.y.ptr, 'y');
    }
    const trainable = model.trainableWeights;
    compiled.optimizer.build(b.arena, b.k, trainable);
    const metrics = model.resolvedMetrics();
    const fusedKind = this.fusedKind();
    const history = new History();
    const user = userCallbacks;
    // History last, as Keras 3, so it records what callbacks add to the logs (learning_rate).
    const callbacks = new CallbackList([...user, history]);
    callbacks.setModel(model);
    const steps = Math.ceil(x.rows / batchSize);
    callbacks.setParams({ epochs, steps, verbose, batchSize, samples: x.rows });
    model.stopTraining = false;
    const order = new Int32Array(x.rows);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const sums = new Float64Array(metrics.length);
    const rng = globalRandom();
    const cols = shapeSize(model.outputShape);
    const batchLogs: Logs = { batch: 0, size: 0 };
    const swData = sw === null ? null : sampleWeightData(sw);

    // With a thread pool, the next batch's inputs are staged (a JS copy the workers cannot do)
    // while a GEMM of this step runs on the workers, which take a larger share of it. Not with
    // batch hooks, which may look at or change the data between batches.
    const pool = b.pool;
    const prefetch = pool !== null && p.xNext !== 0 && !callbacks.wantsBatchHooks;
    let prefetchStart = 0;
    let prefetchRows = 0;
    const prefetchJob = (): void => this.stage(b, x, order, prefetchStart, prefetchRows, p.xNext);

    await callbacks.onTrainBegin();
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await callbacks.onEpochBegin(epoch);
      if (shuffle) rng.shuffle(order);
      let lossSum = 0;
      let seen = 0;
      sums.fill(0);
      const bar = verbose === 1 ? new ProgressBar(steps) : null;
      if (verbose === 1) ProgressBar.epochHeader(epoch + 1, epochs);
      bar?.begin();
      let staged = false;
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        const rows = Math.min(batchSize, x.rows - start);
        if (callbacks.wantsBatchHooks) {
          batchLogs.batch = step;
          batchLogs.size = rows;
          await callbacks.onBatchBegin(step, batchLogs);
        }
        if (!staged) this.stage(b, x, order, start, rows, p.acts[0]!);
        staged = false;
        this.checkFinite(b, x, order, start, rows, p.acts[0]!, 'x');
        this.stage(b, y, order, start, rows, p.y.ptr);
        this.checkFinite(b, y, order, start, rows, p.y.ptr, 'y');
        if (swData !== null) this.stage(b, swData, order, start, rows, p.sw.ptr);
        const ahead = prefetch && step + 1 < steps;
        if (ahead) {
          prefetchStart = start + batchSize;
          prefetchRows = Math.min(batchSize, x.rows - prefetchStart);
          pool.sideJob = prefetchJob;
        }
        let batchLoss: number;
        try {
          batchLoss = this.trainStep(b, p, rows, fusedKind, sw !== null, metrics, sums);
        } finally {
          // No GEMM of this step took the job (small layers): stage now.
          if (ahead) pool.runSideJob();
        }
        if (ahead) {
          // Swap the input buffers, in every layer that aliases its input (InputLayer, Flatten).
          const cur = p.acts[0]!;
          for (let i = 0; i < p.acts.length && p.acts[i] === cur; i++) p.acts[i] = p.xNext;
          p.xNext = cur;
          staged = true;
        }
        if (!Number.isFinite(batchLoss)) {
          // The batch hooks see the loss first: a callback that stops training (terminateOnNaN)
          // ends fit normally (the epoch's loss is then non-finite); otherwise fit rejects.
          if (callbacks.wantsBatchHooks) {
            batchLogs.loss = batchLoss;
            await callbacks.onBatchEnd(step, batchLogs);
          }
          if (!model.stopTraining) {
            throw new KerasmError(`Training stopped: the loss became ${batchLoss} at epoch ${epoch + 1}, batch ${step + 1}. ` +
              'The weights are those of the last completed step. Lower the learning rate, check the data, or clip gradients (clipnorm).');
          }
          lossSum += batchLoss * rows;
          seen += rows;
          break;
        }
        lossSum += batchLoss * rows;
        seen += rows;
        if (callbacks.wantsBatchHooks) {
          batchLogs.loss = batchLoss;
          await callbacks.onBatchEnd(step, batchLogs);
        }
        bar?.update(step + 1, () => this.runningValues(metrics, sums, lossSum, seen, cols));
        if (model.stopTraining) break;
      }
      const logs: Logs = {};
      logs.loss = lossSum / Math.max(seen, 1);
      metrics.forEach((m, i) => (logs[m.name] = sums[i]! / (metricsLib.batchCount(m, seen, cols) || 1)));
      if (val !== null) {
        const v = this.evaluateDatasets(b, val.x, val.y, val.sw, batchSize);
        for (const [key, value] of Object.entries(v)) logs[`val_${key}`] = value;
      }
      bar?.end(Object.entries(logs));
      if (verbose === 2) console.log(`Epoch ${epoch + 1}/${epochs} - ${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}`);
      await callbacks.onEpochEnd(epoch, logs);
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      if (model.stopTraining) break;
    }
    await callbacks.onTrainEnd();
    return history;
  }

  private runningValues(metrics: Metric[], sums: Float64Array, lossSum: number, seen: number, cols: number): [string, number][] {
    const out: [string, number][] = [['loss', lossSum / Math.max(seen, 1)]];
    metrics.forEach((m, i) => out.push([m.name, sums[i]! / (metricsLib.batchCount(m, seen, cols) || 1)]));
    return out;
  }

  /** One step on the staged batch: forward, loss, backward, update. Returns the batch loss. */
  private trainStep(b: Backend, p: Plan, rows: number, fusedKind: 'softmax' | 'sigmoid' | null, hasSw: boolean,
    metrics: Metric[], sums: Float64Array): number {
    const activity = this.forward(p, rows, true, true, fusedKind !== null, true);
    const penalty = activity + this.weightPenalty(b);
    const loss = this.lossAndMetrics(b, p, rows, true, fusedKind, hasSw, metrics, sums) + penalty;
    if (!Number.isFinite(loss)) return loss;
    this.backward(p, rows, fusedKind !== null);
    this.model.compiled!.optimizer.apply(b.k, this.model.trainableWeights);
    return loss;
  }

  /** Per-sample weights from `classWeight` (× `sampleWeight`); the output must be [batch, classes]. */
  private classWeights(classWeight: unknown, y: Dataset, sw: Float32Array | null): Float32Array {
    if (this.model.outputShape.length !== 1) {
      throw invalidArgumentAt('classWeight', 'a model whose output is [batch, classes]', `output shape [${this.model.outputShape.join(', ')}]`);
    }
    return classWeightsToSampleWeights(classWeight, y, sw);
  }

  private checkInputShape(x: Dataset, name: string): void {
    const want = this.model.inputShape;
    if (shapeSize(x.shape) !== shapeSize(want) || (x.shape.length > 1 && x.shape.join() !== want.join())) {
      // A flat array of one sample's values reads as that many samples of one feature.
      const flat = x.cols === 1 && x.rows === shapeSize(want)
        ? `. A flat array of ${x.rows} numbers is read as ${x.rows} samples of one value each; for one sample pass [[...values]] or km.tensor(values, [1, ${want.join(', ')}])` : '';
      throw new ValueError(`Invalid value received for argument \`${name}\`: expected samples of shape [${want.join(', ')}] (the model's input shape). Received: samples of shape [${x.shape.join(', ')}]${flat}`);
    }
  }

  private evaluateDatasets(b: Backend, x: Dataset, y: Dataset, sw: Float32Array | null, batchSizeAsked: number): Record<string, number> {
    const p = this.plan(b, Math.min(batchSizeAsked, Math.max(x.rows, 1)), false);
    const batchSize = Math.min(batchSizeAsked, p.rows);
    const metrics = this.model.resolvedMetrics();
    const sums = new Float64Array(metrics.length);
    const fusedKind = this.fusedKind();
    const cols = shapeSize(this.model.outputShape);
    const swData = sw === null ? null : sampleWeightData(sw);
    let lossSum = 0;
    for (let start = 0; start < x.rows; start += batchSize) {
      const rows = Math.min(batchSize, x.rows - start);
      this.stage(b, x, null, start, rows, p.acts[0]!);
      this.checkFinite(b, x, null, start, rows, p.acts[0]!, 'x');
      this.stage(b, y, null, start, rows, p.y.ptr);
      this.checkFinite(b, y, null, start, rows, p.y.ptr, 'y');
      if (swData !== null) this.stage(b, swData, null, start, rows, p.sw.ptr);
      const activity = this.forward(p, rows, false, true, fusedKind !== null);
      lossSum += (this.lossAndMetrics(b, p, rows, false, fusedKind, sw !== null, metrics, sums) + activity) * rows;
    }
    const out: Record<string, number> = { loss: lossSum / x.rows + this.weightPenalty(b) };
    metrics.forEach((m, i) => (out[m.name] = sums[i]! / (metricsLib.batchCount(m, x.rows, cols) || 1)));
    return out;
  }

  evaluate(xIn: unknown, yIn: unknown, args: EvaluateArgs): Record<string, number> {
    this.model.compiledOrThrow('evaluate');
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    checkOptionNames(args, ['batchSize', 'sampleWeight', 'classWeight', 'verbose'], 'evaluate');
    const batchSize = args.batchSize === undefined ? 32 : checkPositiveInt('batchSize', args.batchSize);
    const x = toDataset(xIn, 'x');
    this.checkInputShape(x, 'x');
    const y = toLabels(this.model, yIn, 'y');
    checkSameRows(x, y, this.model);
    let sw = args.sampleWeight === undefined ? null : toSampleWeights(args.sampleWeight, x.rows);
    if (args.classWeight !== undefined) sw = this.classWeights(args.classWeight, y, sw);
    const b = this.model.ensureAllocated();
    return this.evaluateDatasets(b, x, y, sw, batchSize);
  }

  predict(xIn: unknown, args: PredictArgs): Tensor {
    this.model.checkAlive();
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    checkOptionNames(args, ['batchSize', 'training', 'verbose'], 'predict');
    const batchSize = args.batchSize === undefined ? 32 : checkPositiveInt('batchSize', args.batchSize);
    const training = args.training ?? false;
    if (typeof training !== 'boolean') throw invalidArgument('training', 'a boolean', args.training);
    const x = toDataset(xIn, 'x');
    this.checkInputShape(x, 'x');
    const b = this.model.ensureAllocated();
    const outShape = this.model.outputShape;
    const outSize = shapeSize(outShape);
    const out = new Float32Array(x.rows * outSize);
    const p = this.plan(b, Math.min(batchSize, Math.max(x.rows, 1)), false);
    const step = Math.min(batchSize, p.rows);
    const L = this.model.layers.length;
    // In training mode each batch advances the noise layers' streams: check all input first,
    // so a bad value rejects the call before any state moves.
    if (training) this.scanFinite(b, x, step, p.acts[0]!, 'x');
    for (let start = 0; start < x.rows; start += step) {
      const rows = Math.min(step, x.rows - start);
      this.stage(b, x, null, start, rows, p.acts[0]!);
      this.checkFinite(b, x, null, start, rows, p.acts[0]!, 'x');
      this.forward(p, rows, training, false, false);
      const src = p.acts[L]! >> 2;
      out.set(b.arena.f32.subarray(src, src + rows * outSize), start * outSize);
    }
    return new Tensor(out, [x.rows, ...outShape]);
  }

  /**
   * Loss (penalties included) and the gradient of every weight for one batch, in inference
   * mode (dropout off), without updating anything. For gradient checks and tooling.
   */
  lossAndGradients(xIn: unknown, yIn: unknown): { loss: number; grads: Tensor[] } {
    const model = this.model;
    model.compiledOrThrow('lossAndGradients');
    const x = toDataset(xIn, 'x');
    this.checkInputShape(x, 'x');
    const y = toLabels(model, yIn, 'y');
    checkSameRows(x, y, model);
    const b = model.ensureAllocated();
    const p = this.plan(b, x.rows, true);
    this.stage(b, x, null, 0, x.rows, p.acts[0]!);
    this.stage(b, y, null, 0, x.rows, p.y.ptr);
    const fusedKind = this.fusedKind();
    const activity = this.forward(p, x.rows, false, true, fusedKind !== null);
    const loss = this.lossAndMetrics(b, p, x.rows, true, fusedKind, false, [], new Float64Array(0)) + activity + this.weightPenalty(b);
    this.backward(p, x.rows, fusedKind !== null);
    addDeferredPenaltyGradients(b.k, model.trainableWeights); // penalties an optimizer would fuse into its update
    const grads = model.weights.map((w) => new Tensor(b.arena.view(w.grad!, w.size).slice(), w.shape.slice()));
    return { loss, grads };
  }

  /**
   * Train from batches that arrive one at a time (data that does not fit in memory): one
   * source pass per epoch. Buffers are planned for the largest batch seen.
   */
  private async fitSource(source: DatasetSource, args: FitDatasetArgs): Promise<History> {
    const model = this.model;
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    model.compiledOrThrow('fitDataset');
    checkOptionNames(args, ['epochs', 'verbose', 'callbacks', 'validationData', 'batchesPerEpoch'], 'fitDataset');
    const epochs = args.epochs === undefined ? 1 : checkPositiveInt('epochs', args.epochs);
    const verbose = args.verbose ?? 1;
    if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw invalidArgument('verbose', '0, 1 or 2', args.verbose);
    const limit = args.batchesPerEpoch === undefined ? Infinity : checkPositiveInt('batchesPerEpoch', args.batchesPerEpoch);
    const userCallbacks = checkCallbacks(args.callbacks);
    const open = (): Iterable<DatasetBatch> | AsyncIterable<DatasetBatch> => {
      const src = typeof source === 'function' ? source() : source;
      if (src === null || typeof src !== 'object' || (!(Symbol.asyncIterator in src) && !(Symbol.iterator in src))) {
        throw invalidArgument('source', 'an iterable or async iterable of { xs, ys } batches, or a function returning one', src);
      }
      return src;
    };
    let val: { x: Dataset; y: Dataset } | null = null;
    if (args.validationData !== undefined) {
      const vx = toDataset(args.validationData[0], 'validationData[0]');
      this.checkInputShape(vx, 'validationData[0]');
      val = { x: vx, y: toLabels(model, args.validationData[1], 'validationData[1]') };
    }
    const b = model.ensureAllocated();
    const metrics = model.resolvedMetrics();
    const sums = new Float64Array(metrics.length);
    const fusedKind = this.fusedKind();
    const cols = shapeSize(model.outputShape);
    const history = new History();
    const user = userCallbacks;
    const callbacks = new CallbackList([...user, history]);
    callbacks.setModel(model);
    callbacks.setParams({ epochs, verbose });
    model.stopTraining = false;
    await callbacks.onTrainBegin();
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin(epoch);
      let lossSum = 0;
      let seen = 0;
      let step = 0;
      sums.fill(0);
      for await (const batch of open()) {
        if (batch === null || typeof batch !== 'object') throw invalidArgument(`batch ${step}`, 'an object { xs, ys }', batch);
        const x = toDataset(batch.xs, 'xs');
        this.checkInputShape(x, 'xs');
        const y = toLabels(model, batch.ys, 'ys');
        checkSameRows(x, y, model, ['xs', 'ys'], ` in batch ${step}`);
        const p = this.plan(b, x.rows, true);
        model.compiled!.optimizer.build(b.arena, b.k, model.trainableWeights);
        this.stage(b, x, null, 0, x.rows, p.acts[0]!);
        this.checkFinite(b, x, null, 0, x.rows, p.acts[0]!, 'xs');
        this.stage(b, y, null, 0, x.rows, p.y.ptr);
        this.checkFinite(b, y, null, 0, x.rows, p.y.ptr, 'ys');
        const loss = this.trainStep(b, p, x.rows, fusedKind, false, metrics, sums);
        if (!Number.isFinite(loss)) {
          throw new KerasmError(`Training stopped: the loss became ${loss} at epoch ${epoch + 1}, batch ${step + 1}. The weights are those of the last completed step.`);
        }
        lossSum += loss * x.rows;
        seen += x.rows;
        step++;
        if (step >= limit || model.stopTraining) break;
      }
      if (seen === 0) throw new ValueError(`Invalid value received for argument \`source\`: expected at least one batch in epoch ${epoch + 1}. Received: an empty source`);
      const logs: Logs = { loss: lossSum / seen };
      metrics.forEach((m, i) => (logs[m.name] = sums[i]! / (metricsLib.batchCount(m, seen, cols) || 1)));
      if (val !== null) {
        const v = this.evaluateDatasets(b, val.x, val.y, null, this.plan_?.rows ?? 32);
        for (const [key, value] of Object.entries(v)) logs[`val_${key}`] = value;
      }
      if (verbose > 0) console.log(`Epoch ${epoch + 1}/${epochs} - ${step} batches - ${Object.entries(logs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}`);
      await callbacks.onEpochEnd(epoch, logs);
    }
    await callbacks.onTrainEnd();
    return history;
  }

  trainOnBatch(xIn: unknown, yIn: unknown): number | number[] {
    const model = this.model;
    const compiled = model.compiledOrThrow('trainOnBatch');
    const x = toDataset(xIn, 'x');
    this.checkInputShape(x, 'x');
    const y = toLabels(model, yIn, 'y');
    checkSameRows(x, y, this.model);
    const b = model.ensureAllocated();
    const p = this.plan(b, x.rows, true);
    compiled.optimizer.build(b.arena, b.k, model.trainableWeights);
    const metrics = model.resolvedMetrics();
    const sums = new Float64Array(metrics.length);
    this.stage(b, x, null, 0, x.rows, p.acts[0]!);
    this.checkFinite(b, x, null, 0, x.rows, p.acts[0]!, 'x');
    this.stage(b, y, null, 0, x.rows, p.y.ptr);
    this.checkFinite(b, y, null, 0, x.rows, p.y.ptr, 'y');
    const loss = this.trainStep(b, p, x.rows, this.fusedKind(), false, metrics, sums);
    if (!Number.isFinite(loss)) throw new KerasmError(`trainOnBatch: the loss became ${loss}; the weights were not updated.`);
    if (metrics.length === 0) return loss;
    const cols = shapeSize(model.outputShape);
    return [loss, ...metrics.map((m, i) => sums[i]! / (metricsLib.batchCount(m, x.rows, cols) || 1))];
  }
}

/**
 * Ranges of JS buffers already scanned and found finite, so repeated `fit` calls on the same
 * arrays (one epoch at a time, say) pay for the up-front scan once. The per-batch scan before
 * every step stays, so data changed in place later is still caught before its step.
 */
const finiteRanges = new WeakMap<ArrayBufferLike, string[]>();

function rangeKey(a: Float32Array): string {
  return `${a.byteOffset}:${a.length}`;
}

/** Per-sample weights as a one-column dataset, so they are staged like the labels. */
function sampleWeightData(sw: Float32Array): Dataset {
  return { data: sw, rows: sw.length, shape: [1], cols: 1 };
}

/**
 * Kernel fusions that span two layers; tests turn them off to compare with the unfused path,
 * which must give bit-identical results.
 */
export const fusion = { dropoutActivationGrad: true };

/**
 * Dense(ReLU or ReLU6, applied in its GEMM epilogue) followed by Dropout with a full mask: the
 * dropout's backward applies its mask and the activation's derivative in one pass (the Dense then
 * skips its own pass). Not with an activity regularizer, whose gradient comes between the two.
 */
function linkFusedDropouts(layers: readonly Layer[]): void {
  for (const l of layers) if (l instanceof Dropout) l.fusedActivation = null;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    const next = layers[i + 1];
    if (!(l instanceof Dense)) continue;
    const act = l.activation;
    const fuse = fusion.dropoutActivationGrad && next instanceof Dropout && next.fusesActivationGrad &&
      (act.name === 'relu' || act.name === 'relu6') && l.activityRegularizer === null;
    l.activationGradFused = fuse;
    if (fuse) (next as Dropout).fusedActivation = act;
  }
}

/**
 * One view per row of a dataset's array, made on first use and kept as long as the array lives:
 * staging a batch then copies rows with `set` (a memcpy) instead of an element loop, and makes no
 * object per step. About 110 bytes a row (6.5 MB for 60,000 rows next to their 188 MB of floats).
 */
const MIN_VIEW_COLS = 32;
const rowViewCache = new WeakMap<Float32Array, Float32Array[]>();

function rowViews(d: Dataset): Float32Array[] {
  const cached = rowViewCache.get(d.data);
  if (cached !== undefined && cached.length === d.rows && (d.rows === 0 || cached[0]!.length === d.cols)) return cached;
  const views = new Array<Float32Array>(d.rows);
  for (let r = 0; r < d.rows; r++) views[r] = d.data.subarray(r * d.cols, (r + 1) * d.cols);
  rowViewCache.set(d.data, views);
  return views;
}

function isKnownFinite(a: Float32Array): boolean {
  return finiteRanges.get(a.buffer)?.includes(rangeKey(a)) ?? false;
}

function markFinite(a: Float32Array): void {
  const list = finiteRanges.get(a.buffer) ?? [];
  if (list.length >= 16) list.shift();
  list.push(rangeKey(a));
  finiteRanges.set(a.buffer, list);
}

const FIT_OPTIONS = ['epochs', 'batchSize', 'shuffle', 'validationSplit', 'validationData', 'initialEpoch', 'verbose', 'callbacks',
  'sampleWeight', 'classWeight'];

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'setModel', 'setParams'] as const;

/** Hook names of Keras and TF.js that kerasm spells or runs differently: a plain object using one is refused. */
const FOREIGN_HOOKS: Readonly<Record<string, string>> = {
  on_train_batch_begin: 'use `onBatchBegin`',
  on_train_batch_end: 'use `onBatchEnd`',
  onTrainBatchBegin: 'use `onBatchBegin`',
  onTrainBatchEnd: 'use `onBatchEnd`',
  onYield: 'kerasm does not call `onYield` (TF.js); use `onBatchEnd`',
};

/**
 * A hook spelt another way (`on_epoch_end`, `onepochend`): refused, since training would run
 * without it. Other own fields of a callback object are the user's and stay allowed.
 */
function misspeltHook(key: string): string | null {
  if (Object.hasOwn(FOREIGN_HOOKS, key)) return FOREIGN_HOOKS[key]!;
  if ((HOOKS as readonly string[]).includes(key)) return null;
  const alias = aliasOf(key, HOOKS);
  return alias === null ? null : `use \`${alias}\``;
}

/** `callbacks`: a callback object or an array of them, each hook a function (checked before training). */
function checkCallbacks(arg: unknown): CallbackHooks[] {
  if (arg === undefined) return [];
  const list = Array.isArray(arg) ? arg : [arg];
  list.forEach((c, i) => {
    const where = Array.isArray(arg) ? `callbacks[${i}]` : 'callbacks';
    if (typeof c === 'function') throw invalidArgumentAt(where, 'a callback object with hooks such as onEpochEnd (wrap a function as { onEpochEnd: fn })', 'a function');
    if (c === null || typeof c !== 'object') throw invalidArgument(where, 'a callback object with hooks such as onEpochEnd', c);
    for (const hook of HOOKS) {
      const h = (c as Record<string, unknown>)[hook];
      if (h !== undefined && typeof h !== 'function') throw invalidArgument(`${where}.${hook}`, 'a function', h);
    }
    for (const key of Object.keys(c)) {
      const fix = misspeltHook(key);
      if (fix !== null) throw new ValueError(`Unrecognized callback hook \`${key}\` in ${where}: ${fix} (kerasm's hooks: ${HOOKS.join(', ')}).`);
    }
  });
  return list as CallbackHooks[];
}

/**
 * x and y hold the same number of samples, at least one. A y with exactly `outputs` times as
 * many values as x has samples is flat one-hot or multi-output targets given without a shape.
 */
function checkSameRows(x: Dataset, y: Dataset, model: Sequential, names: [string, string] = ['x', 'y'], where = ''): void {
  const [xn, yn] = names;
  if (x.rows === 0) throw new ValueError(`Invalid value received for argument \`${xn}\`: expected at least one sample. Received: 0 samples${where}`);
  if (x.rows === y.rows) return;
  const outputs = shapeSize(model.outputShape);
  const flat = y.cols === 1 && outputs > 1 && y.rows === x.rows * outputs
    ? `. These look like ${outputs} values per sample given flat (one-hot labels?): pass them with their shape, km.tensor(values, [${x.rows}, ${outputs}]), with the loss 'categoricalCrossentropy' for one-hot labels` : '';
  throw new ValueError(`Invalid value received for argument \`${yn}\`: expected ${x.rows} samples to match ${xn}${where}. Received: ${y.rows} samples${flat}`);
}

function sliceRows(d: Dataset, from: number, to: number): Dataset {
  return { data: d.data.subarray(from * d.cols, to * d.cols), rows: to - from, shape: d.shape, cols: d.cols };
}

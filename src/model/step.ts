// One step on a staged batch: forward over the program's ops, each output's loss and metrics,
// backward in reverse (gradients of values read several times summed), the optimizer update.
// Every loop (fit, fitDataset, evaluate, predict, trainOnBatch) goes through here.
import type { Backend } from '../backend/loader.js';
import type { LayerWeight, StepContext } from '../layers/layer.js';
import * as metricsLib from '../metrics/index.js';
import { shapeSize } from '../tensor.js';
import type { Compiled } from './compile.js';
import { makePlan, releasePlan } from './plan.js';
import type { Plan } from './plan.js';
import type { Program } from './program.js';

/** What the step needs of a model. */
export interface StepModel {
  readonly program: Program;
  /** Every weight of the model (each once). */
  readonly weights: readonly LayerWeight[];
  readonly trainableWeights: readonly LayerWeight[];
  readonly compiled: Compiled | null;
}

/** Metric sums over the batches of an epoch: per output, per metric, in one flat array. */
export function metricSlots(compiled: Compiled): number {
  return compiled.heads.reduce((n, h) => n + h.metrics.length, 0);
}

export class Executor {
  private readonly model: StepModel;
  private plan_: Plan | null = null;
  private ctx: StepContext | null = null;
  /** Per output, this batch's loss (before its weight). */
  readonly headLoss: number[] = [];
  /**
   * True while fit or fitDataset runs: an inference call from one of its callbacks (predict,
   * validation) then works in the training plan's buffers, in batches of its rows, instead of
   * laying out a larger plan and freeing the buffers the running step holds.
   */
  pinned = false;
  /**
   * The weights the optimizer updates, as of the optimizer's build (`buildOptimizer`): read once
   * per call, not per step (`model.trainableWeights` makes a new array each time).
   */
  private trainable: readonly LayerWeight[] = [];

  constructor(model: StepModel) {
    this.model = model;
  }

  get current(): Plan | null {
    return this.plan_;
  }

  /** A plan for at least `rows` rows, with gradient buffers if `training`. Reused when it fits. */
  plan(b: Backend, rows: number, training: boolean): Plan {
    const p = this.plan_;
    if (p !== null && ((p.rows >= rows && (p.training || !training)) || (this.pinned && !training))) return p;
    const want = Math.max(rows, p?.rows ?? 0);
    const withGrads = training || (p?.training ?? false);
    this.release(b);
    const losses = this.model.compiled?.heads.map((h) => h.loss) ?? [];
    this.plan_ = makePlan(b, this.model.program, this.model.weights, want, withGrads, losses);
    this.ctx = {
      k: b.k, arena: b.arena, rows: 0, training: false, x: 0, y: 0, dy: 0, dx: 0, xs: [], dxs: [], ys: [0], dys: [0], mask: 0, maskOut: 0, accumulate: false,
      ws: this.plan_.ws, lossFused: false, trackPenalty: false, penalty: 0, updateStatistics: false,
    };
    return this.plan_;
  }

  /** Free the plan (after compile, a layer change, or dispose). */
  release(b: Backend): void {
    if (this.plan_ === null) return;
    releasePlan(b.arena, this.model.program, this.plan_, this.model.weights);
    this.plan_ = null;
  }

  /** Forward over every op; returns the activity penalty accumulated. `fused`: outputs stay for a fused loss. */
  forward(rows: number, training: boolean, trackPenalty: boolean, fused: boolean, updateStatistics = false): number {
    const ctx = this.ctx!;
    const p = this.plan_!;
    ctx.rows = rows;
    ctx.training = training;
    ctx.updateStatistics = training && updateStatistics;
    ctx.trackPenalty = trackPenalty;
    ctx.penalty = 0;
    ctx.accumulate = false;
    const { ops } = this.model.program;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      this.bindInputs(p, i);
      ctx.y = p.act[op.output]!;
      ctx.ys = p.ys[i]!;
      ctx.mask = p.mask[i]!;
      ctx.maskOut = p.maskOut[i]!;
      ctx.lossFused = fused && p.lossHead[i]! >= 0;
      op.layer.forward(ctx);
    }
    return ctx.penalty;
  }

  /** Backward in reverse; a value read by several ops gets the sum of their gradients. */
  backward(rows: number): void {
    const ctx = this.ctx!;
    const p = this.plan_!;
    const { k } = ctx;
    ctx.rows = rows;
    const { ops } = this.model.program;
    for (let i = ops.length - 1; i >= 0; i--) {
      const op = ops[i]!;
      const dy = p.grad[op.output]!;
      if (dy === 0) continue;
      this.bindInputs(p, i);
      ctx.y = p.act[op.output]!;
      ctx.dy = dy;
      ctx.ys = p.ys[i]!;
      ctx.dys = p.dys[i]!;
      ctx.mask = p.mask[i]!;
      ctx.maskOut = p.maskOut[i]!;
      ctx.dxs = p.dxs[i]!;
      ctx.dx = ctx.dxs[0] ?? 0;
      ctx.accumulate = op.accumulate;
      ctx.lossFused = p.lossHead[i]! >= 0;
      const zero = p.zero[i]!;
      for (let j = 0; j < zero.length; j++) k.f32_vfill(rows * zero[j]![1], zero[j]![0], 0);
      op.layer.backward(ctx);
      const adds = p.adds[i]!;
      for (let j = 0; j < adds.length; j++) k.f32_vadd(rows * adds[j]![2], adds[j]![0], adds[j]![1], adds[j]![0]);
    }
  }

  /** ctx.x and ctx.xs for op i (the arrays are the plan's: nothing is allocated). */
  private bindInputs(p: Plan, i: number): void {
    const ctx = this.ctx!;
    const inputs = this.model.program.ops[i]!.inputs;
    const xs = p.xs[i]!;
    for (let j = 0; j < inputs.length; j++) xs[j] = p.act[inputs[j]!]!;
    ctx.xs = xs;
    ctx.x = xs[0] ?? 0;
  }

  /** Σ of the penalties of every weight (each layer once, shared or not). */
  weightPenalty(b: Backend): number {
    let s = 0;
    for (const l of this.model.program.layers) s += l.weightPenalty(b.k);
    return s;
  }

  /**
   * Each output's loss on the staged batch (its mean, before its weight, in `headLoss`); with
   * `grad`, the gradient of weight × loss goes into the output's gradient buffer. Metric sums are
   * added into `sums`. Returns Σ weight × loss.
   */
  lossAndMetrics(b: Backend, rows: number, grad: boolean, fused: boolean, hasSw: boolean, sums: Float64Array): number {
    const p = this.plan_!;
    const { program } = this.model;
    const heads = this.model.compiled!.heads;
    let total = 0;
    let slot = 0;
    for (let h = 0; h < heads.length; h++) {
      const head = heads[h]!;
      const v = program.outputs[h]!;
      const shape = program.shapes[v]!;
      const cols = shape[shape.length - 1]!;
      const n = rows * shapeSize(shape);
      if (head.loss === null) {
        if (grad && p.grad[v] !== 0) b.k.f32_vfill(n, p.grad[v]!, 0);
        this.headLoss[h] = 0;
        continue;
      }
      const lossRows = n / cols;
      const kind = fused ? p.fused[h]! : null;
      const pred = kind !== null ? program.ops[program.producer[v]!]!.layer.lossLogits : p.act[v]!;
      const probs = kind !== null ? p.act[v]! : 0;
      const sum = head.loss.compute(b.k, lossRows, cols, pred, p.y[h]!, hasSw ? p.sw[h]! : 0, grad ? p.grad[v]! : 0, head.weight / lossRows, kind, probs);
      for (let j = 0; j < head.metrics.length; j++) sums[slot++]! += metricsLib.batchSum(b.k, head.metrics[j]!, lossRows, cols, p.act[v]!, p.y[h]!);
      this.headLoss[h] = sum / lossRows;
      total += head.weight * this.headLoss[h]!;
    }
    return total;
  }

  /** Build the optimizer for the trainable weights of now (its slots exist once) and keep their list for the steps. */
  buildOptimizer(b: Backend): void {
    this.trainable = this.model.trainableWeights;
    this.model.compiled!.optimizer.build(b.arena, b.k, this.trainable);
  }

  /** One step on the staged batch: forward, loss, backward, update. Returns the batch loss (penalties included). */
  trainStep(b: Backend, rows: number, hasSw: boolean, sums: Float64Array): number {
    const fused = true;
    const activity = this.forward(rows, true, true, fused, true);
    const penalty = activity + this.weightPenalty(b);
    const loss = this.lossAndMetrics(b, rows, true, fused, hasSw, sums) + penalty;
    if (!Number.isFinite(loss)) return loss;
    this.backward(rows);
    this.model.compiled!.optimizer.apply(b.k, this.trainable);
    return loss;
  }
}

// Optimizers (Keras 3: keras/src/optimizers/): one in-place wasm update per parameter buffer.
// Order of one step, as Keras 3 `BaseOptimizer.apply`: clip the gradients (clipvalue,
// clipnorm, globalClipnorm), decay the weights (w -= w·weightDecay·lr), then the update; then,
// per weight, the proximal L1 step of a `proximal: true` regularizer (kerasm; f32-prox kernels,
// threshold λ × the step size this optimizer applied to each coordinate) and the weight's
// constraint (Keras: "Apply variable constraints after applying gradients").
// `learningRate` may be a schedule (km.schedules.*), evaluated once per step at `iterations`.
//
// Fused pass: the weight penalty's gradient (Keras: the regularizer is part of the loss, so it
// is clipped with the data gradient), the clipping and an elementwise constraint (NonNeg) run
// inside the update kernel, through a block of options in wasm memory allocated once per
// optimizer (FUSED in backend/kernels-optim.ts): one pass over each buffer, bit-identical to the
// separate passes. clipnorm and globalClipnorm first take the norm of g + penalty in one
// reduction (f32_l1l2_grad_sumsq). The proximal L1 step and norm constraints (MaxNorm, UnitNorm,
// MinMaxNorm: column norms of the updated weight) stay separate passes after the update; so does
// NonNeg when a proximal step follows, to keep Keras's order (constraint last).
import type { KernelExports } from '../backend/kernels.js';
import { FUSED, FUSED_BLOCK_BYTES } from '../backend/kernels-optim.js';
import type { Ptr } from '../backend/kernels-optim.js';
import type { Arena, Region } from '../backend/memory.js';
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import type { LayerWeight } from '../layers/layer.js';
import * as schedules from '../schedules/index.js';
import { LearningRateSchedule } from '../schedules/index.js';

/**
 * The options every optimizer takes, on top of its own (Keras 3 `BaseOptimizer`). Only one of `clipnorm`,
 * `clipvalue` and `globalClipnorm` may be set.
 */
export interface OptimizerArgs {
  /** A positive number, or a schedule (`km.schedules.exponentialDecay({...})`) evaluated at each step. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay (Keras 3 `weight_decay`): w -= w·weightDecay·lr before each update. */
  weightDecay?: number | null;
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number | null;
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number | null;
}

/**
 * The options every optimizer takes (OptimizerArgs).
 * @internal
 */
export const OPTIMIZER_ARG_NAMES: readonly string[] = ['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'];

/** @internal */
export function positive(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw invalidArgument(name, 'a positive finite number', v);
  return v;
}
/** @internal */
export function nonNegative(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(name, 'a non-negative finite number', v);
  return v;
}
/** @internal */
export function optionalPositive(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  return positive(name, v, 0);
}
/** @internal */
export function bool(name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidArgument(name, 'a boolean', v);
  return v;
}
/** @internal */
export function inUnit(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw invalidArgument(name, 'a number in [0, 1)', v);
  return v;
}

/**
 * The base class of the optimizers (Keras `keras.optimizers.Optimizer`). `model.compile({ optimizer })` takes an
 * instance or a name (`'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'`, `'adamw'`, `'ftrl'`). One step clips the
 * gradients, applies the decoupled weight decay, then the update; then each weight's proximal L1 step and
 * constraint. State buffers live in wasm memory: {@link Optimizer.dispose} frees them (`model.dispose()` does too).
 */
export abstract class Optimizer {
  /** The Keras class name (`'Adam'`...); `getConfig().name` is its lower case. */
  static readonly className: string = 'Optimizer';
  /**
   * The option names the constructor takes: others are refused, with kerasm's name for a Keras
   * one (`learning_rate`, `lr` → `learningRate`) rather than training at the default rate.
   * @internal
   */
  static readonly argNames: readonly string[] = OPTIMIZER_ARG_NAMES;
  private lr_: number | LearningRateSchedule;
  /** The decoupled weight decay (w -= w·weightDecay·lr before each update), or null for none. */
  readonly weightDecay: number | null;
  /** The L2 norm each gradient tensor is clipped to, or null. */
  readonly clipnorm: number | null;
  /** The bound each gradient element is clipped to ([-clipvalue, clipvalue]), or null. */
  readonly clipvalue: number | null;
  /** The L2 norm all gradients together are clipped to, or null. */
  readonly globalClipnorm: number | null;
  /** Steps applied so far (Keras `iterations`). */
  iterations = 0;
  /** @internal */
  protected slots = new Map<LayerWeight, Region[]>();
  private arena: Arena | null = null;
  /** The fused-options block the update kernels read (FUSED_BLOCK_BYTES), rewritten before each call. */
  private fused: Region | null = null;

  /** @internal */
  constructor(args: OptimizerArgs, defaultLr: number) {
    const cls = new.target as typeof Optimizer;
    checkOptions(args, cls.argNames, cls.className, false);
    this.lr_ = args.learningRate instanceof LearningRateSchedule ? args.learningRate : positive('learningRate', args.learningRate, defaultLr);
    this.weightDecay = args.weightDecay === undefined || args.weightDecay === null ? null : nonNegative('weightDecay', args.weightDecay, 0);
    this.clipnorm = optionalPositive('clipnorm', args.clipnorm);
    this.clipvalue = optionalPositive('clipvalue', args.clipvalue);
    this.globalClipnorm = optionalPositive('globalClipnorm', args.globalClipnorm);
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((v) => v !== null).length > 1) {
      throw new KerasmError('Only one of `clipnorm`, `clipvalue` and `globalClipnorm` can be set (as in Keras).');
    }
  }

  /** The Keras class name of this optimizer (`'Adam'`...). */
  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The learning rate of the next step (a schedule is evaluated at `iterations`), as Keras `optimizer.learning_rate`. */
  get learningRate(): number {
    return this.lr_ instanceof LearningRateSchedule ? schedules.evaluate(this.lr_, this.iterations) : this.lr_;
  }

  /** Set a new constant rate (callbacks: reduceLROnPlateau, learningRateScheduler). Not allowed over a schedule, as Keras. */
  set learningRate(lr: number) {
    if (this.lr_ instanceof LearningRateSchedule) {
      throw new KerasmError('This optimizer was created with a `LearningRateSchedule` object as its `learningRate` constructor argument, ' +
        'hence its learning rate is not settable. If you need the learning rate to be settable, create the optimizer with a number `learningRate`.');
    }
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw invalidArgument('learningRate', 'a non-negative finite number', lr);
    this.lr_ = lr;
  }

  /** The schedule given as `learningRate`, or null for a constant rate. */
  get learningRateSchedule(): LearningRateSchedule | null {
    return this.lr_ instanceof LearningRateSchedule ? this.lr_ : null;
  }

  /**
   * Number of state buffers per weight, each the weight's size.
   * @internal
   */
  protected abstract get slotCount(): number;
  /**
   * Initial value of the state buffers.
   * @internal
   */
  protected slotInit(_slot: number): number {
    return 0;
  }

  /**
   * Allocate state for these weights (idempotent per weight) and the fused-options block. From
   * here on their layers leave the penalty gradient to `apply` (`penaltyInUpdate`).
   * @internal
   */
  build(arena: Arena, k: KernelExports, weights: readonly LayerWeight[]): void {
    this.arena = arena;
    if (this.fused === null) this.fused = arena.alloc(FUSED_BLOCK_BYTES);
    for (const w of weights) {
      w.penaltyInUpdate = true;
      if (this.slots.has(w)) continue;
      const regions: Region[] = [];
      for (let s = 0; s < this.slotCount; s++) {
        const r = arena.alloc(w.size * 4);
        const v = this.slotInit(s);
        if (v !== 0) k.f32_vfill(w.size, r.ptr, v);
        regions.push(r);
      }
      this.slots.set(w, regions);
    }
  }

  /**
   * One step over all trainable weights (built by `build`; their gradients are filled, without
   * the penalty gradient of weights marked `penaltyInUpdate`, which the update adds). One kernel
   * call per weight (plus the proximal step and a norm constraint where set); `grad` is left as is.
   * @internal
   */
  apply(k: KernelExports, weights: readonly LayerWeight[]): void {
    const arena = this.arena;
    const block = this.fused;
    if (arena === null || block === null) throw new KerasmError('Optimizer.apply: call build(arena, k, weights) first.');
    const lr = this.learningRate;
    let globalScale = 1;
    if (this.globalClipnorm !== null) {
      let sq = 0;
      for (const w of weights) sq += gradientSumsq(k, w);
      const norm = Math.sqrt(sq);
      if (norm > this.globalClipnorm) globalScale = this.globalClipnorm / norm;
    }
    const wd = this.weightDecay === null ? 0 : this.weightDecay * lr;
    arena.refresh();
    const f32 = arena.f32;
    const o = block.ptr >> 2;
    for (const w of weights) {
      const reg = w.regularizer;
      const prox = reg !== null && reg.proximal && reg.l1 > 0;
      let flags = 0;
      if (reg !== null && w.penaltyInUpdate === true) {
        flags |= FUSED.PENALTY;
        f32[o + FUSED.L1] = reg.gradientL1;
        f32[o + FUSED.L2] = reg.l2;
      }
      if (this.clipvalue !== null) {
        flags |= FUSED.CLIP;
        f32[o + FUSED.CLIP_LO] = -this.clipvalue;
        f32[o + FUSED.CLIP_HI] = this.clipvalue;
      } else if (this.clipnorm !== null) {
        const norm = Math.sqrt(gradientSumsq(k, w));
        if (norm > this.clipnorm) {
          flags |= FUSED.SCALE;
          f32[o + FUSED.SCALE_WORD] = this.clipnorm / norm;
        }
      } else if (globalScale !== 1) {
        flags |= FUSED.SCALE;
        f32[o + FUSED.SCALE_WORD] = globalScale;
      }
      // An elementwise constraint joins the pass unless a proximal step must come between.
      const range = w.constraint && !prox ? w.constraint.clampRange : null;
      if (range !== null) {
        flags |= FUSED.CLAMP;
        f32[o + FUSED.W_LO] = range[0];
        f32[o + FUSED.W_HI] = range[1];
      }
      arena.i32[o] = flags;
      const slots = this.slots.get(w)!;
      this.update(k, w, slots, lr, wd, flags === 0 ? 0 : block.ptr);
      if (prox) this.proxL1(k, w, slots, reg.l1, lr);
      if (w.constraint && range === null) w.constraint.apply(k, w.region!.ptr, w.shape, w.size);
    }
    this.iterations++;
  }

  /**
   * The update kernel of this optimizer on `w`; `params` is the fused-options block (0: none) to pass on as its last argument.
   * @internal
   */
  protected abstract update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void;

  /**
   * The proximal L1 step after this optimizer's update of `w`: soft-threshold with τ = λ × the
   * step size the update applied to each coordinate. Plain and momentum SGD: τ = λ·lr.
   * @internal
   */
  protected proxL1(k: KernelExports, w: LayerWeight, _slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1(w.size, w.region!.ptr, lambda * lr);
  }

  /**
   * State buffers per weight, each the weight's size (io saves and restores them).
   * @internal
   */
  get stateSlotCount(): number {
    return this.slotCount;
  }

  /**
   * The state buffers of `w` once `build` has run (io reads and writes them), else undefined.
   * @internal
   */
  stateOf(w: LayerWeight): readonly Region[] | undefined {
    return this.slots.get(w);
  }

  /** Free the state buffers and the fused-options block. */
  dispose(): void {
    if (this.arena !== null) {
      for (const regions of this.slots.values()) for (const r of regions) this.arena.release(r);
      if (this.fused !== null) this.arena.release(this.fused);
    }
    this.fused = null;
    this.slots.clear();
    this.iterations = 0;
  }

  /**
   * The Keras config: `name`, `learning_rate` (a number or a schedule's `{ class_name, config }`), `weight_decay`,
   * `clipnorm`, `clipvalue`, `global_clipnorm`, and each optimizer's own keys (`beta_1`...).
   */
  getConfig(): Record<string, unknown> {
    return {
      name: this.className.toLowerCase(),
      learning_rate: this.lr_ instanceof LearningRateSchedule ? schedules.serialize(this.lr_) : this.lr_,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm, clipvalue: this.clipvalue, global_clipnorm: this.globalClipnorm,
    };
  }
}

/**
 * Σ g'² of a weight's gradient, g' = g plus the penalty gradient the update will add
 * (`penaltyInUpdate`): the f32_sumsq of the gradient the separate passes wrote, bit for bit.
 */
function gradientSumsq(k: KernelExports, w: LayerWeight): number {
  const reg = w.regularizer;
  if (reg !== null && w.penaltyInUpdate === true) return k.f32_l1l2_grad_sumsq(w.size, w.region!.ptr, w.grad!.ptr, reg.gradientL1, reg.l2);
  return k.f32_sumsq(w.size, w.grad!.ptr);
}

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

/** The options every optimizer takes (OptimizerArgs). */
const OPTIMIZER_ARG_NAMES: readonly string[] = ['learningRate', 'weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'];

function positive(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw invalidArgument(name, 'a positive finite number', v);
  return v;
}
function nonNegative(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(name, 'a non-negative finite number', v);
  return v;
}
function optionalPositive(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  return positive(name, v, 0);
}
function bool(name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw invalidArgument(name, 'a boolean', v);
  return v;
}
function inUnit(name: string, v: unknown, def: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw invalidArgument(name, 'a number in [0, 1)', v);
  return v;
}

export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  /**
   * The option names the constructor takes: others are refused, with kerasm's name for a Keras
   * one (`learning_rate`, `lr` → `learningRate`) rather than training at the default rate.
   */
  static readonly argNames: readonly string[] = OPTIMIZER_ARG_NAMES;
  private lr_: number | LearningRateSchedule;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  /** Steps applied so far (Keras `iterations`). */
  iterations = 0;
  protected slots = new Map<LayerWeight, Region[]>();
  private arena: Arena | null = null;
  /** The fused-options block the update kernels read (FUSED_BLOCK_BYTES), rewritten before each call. */
  private fused: Region | null = null;

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

  /** Number of state buffers per weight, each the weight's size. */
  protected abstract get slotCount(): number;
  /** Initial value of the state buffers. */
  protected slotInit(_slot: number): number {
    return 0;
  }

  /**
   * Allocate state for these weights (idempotent per weight) and the fused-options block. From
   * here on their layers leave the penalty gradient to `apply` (`penaltyInUpdate`).
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

  /** The update kernel of this optimizer on `w`; `params` is the fused-options block (0: none) to pass on as its last argument. */
  protected abstract update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void;

  /**
   * The proximal L1 step after this optimizer's update of `w`: soft-threshold with τ = λ × the
   * step size the update applied to each coordinate. Plain and momentum SGD: τ = λ·lr.
   */
  protected proxL1(k: KernelExports, w: LayerWeight, _slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1(w.size, w.region!.ptr, lambda * lr);
  }

  /** State buffers per weight, each the weight's size (io saves and restores them). */
  get stateSlotCount(): number {
    return this.slotCount;
  }

  /** The state buffers of `w` once `build` has run (io reads and writes them), else undefined. */
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

  getConfig(): Record<string, unknown> {
    return {
      name: this.className.toLowerCase(),
      learning_rate: this.lr_ instanceof LearningRateSchedule ? schedules.serialize(this.lr_) : this.lr_,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm, clipvalue: this.clipvalue, global_clipnorm: this.globalClipnorm,
    };
  }
}

export interface SGDArgs extends OptimizerArgs {
  momentum?: number;
  nesterov?: boolean;
}

/** Keras 3 SGD: m = momentum·m − lr·g; w += m (Nesterov: w += momentum·m − lr·g). lr 0.01. */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'momentum', 'nesterov'];
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = inUnit('momentum', args.momentum, 0);
    this.nesterov = bool('nesterov', args.nesterov);
  }
  protected get slotCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    if (this.momentum > 0) k.f32_sgd_momentum(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, lr, this.momentum, this.nesterov ? 1 : 0, wd, params);
    else k.f32_sgd(w.size, w.region!.ptr, w.grad!.ptr, lr, wd, params);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

/**
 * Keras 3 Adam: m += (g − m)(1 − β1); v += (g² − v)(1 − β2);
 * w −= lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m/(√v + ε). (TF.js adds ε to the bias-corrected √v̂ instead.)
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'beta1', 'beta2', 'epsilon', 'amsgrad'];
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  constructor(args: AdamArgs = {}, defaultWeightDecay: number | null = null) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    super({ ...args, weightDecay: args.weightDecay === undefined ? defaultWeightDecay : args.weightDecay }, 0.001);
    this.beta1 = inUnit('beta1', args.beta1, 0.9);
    this.beta2 = inUnit('beta2', args.beta2, 0.999);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
    this.amsgrad = bool('amsgrad', args.amsgrad);
  }
  protected get slotCount(): number {
    return this.amsgrad ? 3 : 2;
  }
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    const t = this.iterations + 1;
    const lrT = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const vhat = this.amsgrad ? slots[2]!.ptr : 0;
    k.f32_adam(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, slots[1]!.ptr, vhat, lrT, this.beta1, this.beta2, this.epsilon, wd, params);
  }
  /** τ_i = λ·lrT/(√v_i + ε), v̂ for AMSGrad: Adam's step size on coordinate i. */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    const t = this.iterations + 1;
    const lrT = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    k.f32_prox_l1_adam(w.size, w.region!.ptr, (this.amsgrad ? slots[2]! : slots[1]!).ptr, lambda * lrT, this.epsilon);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** Keras 3 AdamW: Adam with decoupled weight decay, default weightDecay 0.004. */
export class AdamW extends Adam {
  static override readonly className = 'AdamW';
  constructor(args: AdamArgs = {}) {
    super(args, 0.004);
  }
}

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** Keras 3 RMSprop: v = ρv + (1−ρ)g²; w −= lr·g/√(v + ε) (centered: √(v − ḡ² + ε)), optional momentum. */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'rho', 'momentum', 'epsilon', 'centered'];
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.rho = inUnit('rho', args.rho, 0.9);
    this.momentum = inUnit('momentum', args.momentum, 0);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
    this.centered = bool('centered', args.centered);
  }
  protected get slotCount(): number {
    return 3;
  }
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    const mg = this.centered ? slots[1]!.ptr : 0;
    const mom = this.momentum > 0 ? slots[2]!.ptr : 0;
    k.f32_rmsprop(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, mg, mom, lr, this.rho, this.momentum, this.epsilon, wd, params);
  }
  /** τ_i = λ·lr/√(v_i + ε) (centered: √(v_i − mg_i² + ε)): RMSprop's step size on coordinate i, momentum or not. */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_rms(w.size, w.region!.ptr, slots[0]!.ptr, this.centered ? slots[1]!.ptr : 0, lambda * lr, this.epsilon);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

export interface AdagradArgs extends OptimizerArgs {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

/** Keras 3 Adagrad: acc += g²; w −= lr·g/√(acc + ε). Accumulators start at 0.1. */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'initialAccumulatorValue', 'epsilon'];
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.initialAccumulatorValue = nonNegative('initialAccumulatorValue', args.initialAccumulatorValue, 0.1);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
  }
  protected get slotCount(): number {
    return 1;
  }
  protected override slotInit(): number {
    return this.initialAccumulatorValue;
  }
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    k.f32_adagrad(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, lr, this.epsilon, wd, params);
  }
  /** τ_i = λ·lr/√(acc_i + ε): Adagrad's step size on coordinate i. */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_rms(w.size, w.region!.ptr, slots[0]!.ptr, 0, lambda * lr, this.epsilon);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

export interface FtrlArgs extends OptimizerArgs {
  /** ≤ 0; how the step shrinks as gradients accumulate (−0.5: 1/√acc). Default −0.5. */
  learningRatePower?: number;
  /** ≥ 0; starting value of the accumulators. Default 0.1. */
  initialAccumulatorValue?: number;
  /** ≥ 0; L1 strength (weights with |linear| ≤ l1 are exactly 0). Default 0. */
  l1RegularizationStrength?: number;
  /** ≥ 0; L2 strength (stabilization). Default 0. */
  l2RegularizationStrength?: number;
  /** ≥ 0; L2 shrinkage: adds 2·strength·w to the gradient (magnitude penalty). Default 0. */
  l2ShrinkageRegularizationStrength?: number;
  /** ≥ 0; the β of the FTRL paper, folded into the L2 term as β/(2·lr). Default 0. */
  beta?: number;
}

/**
 * Keras 3 FTRL-Proximal (keras/src/optimizers/ftrl.py; McMahan et al. 2013): per coordinate,
 * acc' = acc + g²; lin += g + 2·l2s·w − (acc'^−p − acc^−p)/lr·w;
 * w = (clip(lin, −l1, l1) − lin)/(acc'^−p/lr + 2·(l2 + β/(2·lr))). lr 0.001.
 */
export class Ftrl extends Optimizer {
  static override readonly className = 'Ftrl';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'learningRatePower', 'initialAccumulatorValue', 'l1RegularizationStrength',
    'l2RegularizationStrength', 'l2ShrinkageRegularizationStrength', 'beta'];
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;
  constructor(args: FtrlArgs = {}) {
    super(args, 0.001);
    const p = args.learningRatePower ?? -0.5;
    if (typeof p !== 'number' || !Number.isFinite(p) || p > 0) throw invalidArgument('learningRatePower', 'a number ≤ 0', args.learningRatePower);
    this.learningRatePower = p;
    this.initialAccumulatorValue = nonNegative('initialAccumulatorValue', args.initialAccumulatorValue, 0.1);
    this.l1RegularizationStrength = nonNegative('l1RegularizationStrength', args.l1RegularizationStrength, 0);
    this.l2RegularizationStrength = nonNegative('l2RegularizationStrength', args.l2RegularizationStrength, 0);
    this.l2ShrinkageRegularizationStrength = nonNegative('l2ShrinkageRegularizationStrength', args.l2ShrinkageRegularizationStrength, 0);
    this.beta = nonNegative('beta', args.beta, 0);
  }
  protected get slotCount(): number {
    return 2;
  }
  protected override slotInit(slot: number): number {
    return slot === 0 ? this.initialAccumulatorValue : 0;
  }
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    k.f32_ftrl(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, slots[1]!.ptr, lr, -this.learningRatePower,
      this.l1RegularizationStrength, 2 * this.l2RegularizationStrength + this.beta / lr, 2 * this.l2ShrinkageRegularizationStrength, wd, params);
  }
  /** τ_i = λ/q_i with q_i = acc_i^−p/lr + 2·l2_reg: the reciprocal of FTRL's `quadratic`, its step size. */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_ftrl(w.size, w.region!.ptr, slots[0]!.ptr, lambda * lr, 2 * this.l2RegularizationStrength * lr + this.beta, -this.learningRatePower);
  }
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), learning_rate_power: this.learningRatePower, initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength, l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength, beta: this.beta,
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

export type OptimizerIdentifier = string | Optimizer;

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(), adam: () => new Adam(), adamw: () => new AdamW(), rmsprop: () => new RMSprop(), adagrad: () => new Adagrad(), ftrl: () => new Ftrl(),
};

export function get(id: OptimizerIdentifier): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const f = BY_NAME[id.toLowerCase()];
    if (f !== undefined && Object.hasOwn(BY_NAME, id.toLowerCase())) return f();
  }
  throw invalidArgument('optimizer', `an optimizer instance or one of ${Object.keys(BY_NAME).join(', ')}`, id);
}

export const sgd = (args?: SGDArgs) => new SGD(args);
export const adam = (args?: AdamArgs) => new Adam(args);
export const adamw = (args?: AdamArgs) => new AdamW(args);
export const rmsprop = (args?: RMSpropArgs) => new RMSprop(args);
export const adagrad = (args?: AdagradArgs) => new Adagrad(args);
/** Keras 3 FTRL: `km.optimizers.ftrl({ learningRate, learningRatePower, l1RegularizationStrength, … })`. */
export const ftrl = (args?: FtrlArgs) => new Ftrl(args);

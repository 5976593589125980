// The optimizers (Keras 3: keras/src/optimizers/): SGD, Adam, AdamW, RMSprop, Adagrad, FTRL, each
// one in-place wasm update per buffer on the base in optimizer.ts; lookup by name and factories.
import type { KernelExports } from '../backend/kernels.js';
import type { Ptr } from '../backend/kernels-optim.js';
import type { Region } from '../backend/memory.js';
import { invalidArgument } from '../errors.js';
import type { LayerWeight } from '../layers/layer.js';
import { OPTIMIZER_ARG_NAMES, Optimizer, bool, inUnit, nonNegative, positive } from './optimizer.js';
import type { OptimizerArgs } from './optimizer.js';

export { Optimizer } from './optimizer.js';
export type { OptimizerArgs } from './optimizer.js';
/** Options of {@link SGD}: {@link OptimizerArgs} (learningRate default 0.01) plus momentum. */
export interface SGDArgs extends OptimizerArgs {
  /** Momentum, in [0, 1). Default 0 (plain SGD, no state buffer). */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

/** Keras 3 SGD: m = momentum·m − lr·g; w += m (Nesterov: w += momentum·m − lr·g). lr 0.01. */
export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'momentum', 'nesterov'];
  /** The momentum (0: plain SGD). */
  readonly momentum: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  constructor(args: SGDArgs = {}) {
    super(args, 0.01);
    this.momentum = inUnit('momentum', args.momentum, 0);
    this.nesterov = bool('nesterov', args.nesterov);
  }
  /** @internal */
  protected get slotCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }
  /** @internal */
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    if (this.momentum > 0) k.f32_sgd_momentum(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, lr, this.momentum, this.nesterov ? 1 : 0, wd, params);
    else k.f32_sgd(w.size, w.region!.ptr, w.grad!.ptr, lr, wd, params);
  }
  /** The base config plus `momentum` and `nesterov`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}

/** Options of {@link Adam} and {@link AdamW}: {@link OptimizerArgs} (learningRate default 0.001) plus the moment decays. */
export interface AdamArgs extends OptimizerArgs {
  /** Decay of the first-moment (mean) estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment (uncentered variance) estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** A small positive constant added to √v for numerical stability. Default 1e-7. */
  epsilon?: number;
  /** AMSGrad (Reddi et al. 2018): divide by the running maximum of v instead of v. Default false. */
  amsgrad?: boolean;
}

/**
 * Keras 3 Adam: m += (g − m)(1 − β1); v += (g² − v)(1 − β2);
 * w −= lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m/(√v + ε). (TF.js adds ε to the bias-corrected √v̂ instead.)
 */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'beta1', 'beta2', 'epsilon', 'amsgrad'];
  /** The first-moment decay. */
  readonly beta1: number;
  /** The second-moment decay. */
  readonly beta2: number;
  /** The stability constant. */
  readonly epsilon: number;
  /** Whether the AMSGrad variant is used. */
  readonly amsgrad: boolean;
  /**
   * @param args The options.
   * @param defaultWeightDecay The weight decay when `args.weightDecay` is not given (AdamW passes 0.004).
   */
  constructor(args: AdamArgs = {}, defaultWeightDecay: number | null = null) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    super({ ...args, weightDecay: args.weightDecay === undefined ? defaultWeightDecay : args.weightDecay }, 0.001);
    this.beta1 = inUnit('beta1', args.beta1, 0.9);
    this.beta2 = inUnit('beta2', args.beta2, 0.999);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
    this.amsgrad = bool('amsgrad', args.amsgrad);
  }
  /** @internal */
  protected get slotCount(): number {
    return this.amsgrad ? 3 : 2;
  }
  /** @internal */
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    const t = this.iterations + 1;
    const lrT = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const vhat = this.amsgrad ? slots[2]!.ptr : 0;
    k.f32_adam(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, slots[1]!.ptr, vhat, lrT, this.beta1, this.beta2, this.epsilon, wd, params);
  }
  /**
   * τ_i = λ·lrT/(√v_i + ε), v̂ for AMSGrad: Adam's step size on coordinate i.
   * @internal
   */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    const t = this.iterations + 1;
    const lrT = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    k.f32_prox_l1_adam(w.size, w.region!.ptr, (this.amsgrad ? slots[2]! : slots[1]!).ptr, lambda * lrT, this.epsilon);
  }
  /** The base config plus `beta_1`, `beta_2`, `epsilon` and `amsgrad`. */
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

/** Options of {@link RMSprop}: {@link OptimizerArgs} (learningRate default 0.001) plus these. */
export interface RMSpropArgs extends OptimizerArgs {
  /** Decay of the moving average of squared gradients, in [0, 1). Default 0.9. */
  rho?: number;
  /** Momentum, in [0, 1). Default 0. */
  momentum?: number;
  /** A small positive constant for numerical stability. Default 1e-7. */
  epsilon?: number;
  /**
   * Normalize by the estimated variance (subtract the squared mean gradient) instead of the raw second moment. Default false.
   */
  centered?: boolean;
}

/** Keras 3 RMSprop: v = ρv + (1−ρ)g²; w −= lr·g/√(v + ε) (centered: √(v − ḡ² + ε)), optional momentum. */
export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'rho', 'momentum', 'epsilon', 'centered'];
  /** The decay of the squared-gradient average. */
  readonly rho: number;
  /** The momentum (0: none). */
  readonly momentum: number;
  /** The stability constant. */
  readonly epsilon: number;
  /** Whether the centered variant is used. */
  readonly centered: boolean;
  constructor(args: RMSpropArgs = {}) {
    super(args, 0.001);
    this.rho = inUnit('rho', args.rho, 0.9);
    this.momentum = inUnit('momentum', args.momentum, 0);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
    this.centered = bool('centered', args.centered);
  }
  /** @internal */
  protected get slotCount(): number {
    return 3;
  }
  /** @internal */
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    const mg = this.centered ? slots[1]!.ptr : 0;
    const mom = this.momentum > 0 ? slots[2]!.ptr : 0;
    k.f32_rmsprop(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, mg, mom, lr, this.rho, this.momentum, this.epsilon, wd, params);
  }
  /**
   * τ_i = λ·lr/√(v_i + ε) (centered: √(v_i − mg_i² + ε)): RMSprop's step size on coordinate i, momentum or not.
   * @internal
   */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_rms(w.size, w.region!.ptr, slots[0]!.ptr, this.centered ? slots[1]!.ptr : 0, lambda * lr, this.epsilon);
  }
  /** The base config plus `rho`, `momentum`, `epsilon` and `centered`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/** Options of {@link Adagrad}: {@link OptimizerArgs} (learningRate default 0.001) plus these. */
export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the squared-gradient accumulators, ≥ 0. Default 0.1. */
  initialAccumulatorValue?: number;
  /** A small positive constant for numerical stability. Default 1e-7. */
  epsilon?: number;
}

/** Keras 3 Adagrad: acc += g²; w −= lr·g/√(acc + ε). Accumulators start at 0.1. */
export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  static override readonly argNames: readonly string[] = [...OPTIMIZER_ARG_NAMES, 'initialAccumulatorValue', 'epsilon'];
  /** The accumulators' starting value. */
  readonly initialAccumulatorValue: number;
  /** The stability constant. */
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001);
    this.initialAccumulatorValue = nonNegative('initialAccumulatorValue', args.initialAccumulatorValue, 0.1);
    this.epsilon = positive('epsilon', args.epsilon, 1e-7);
  }
  /** @internal */
  protected get slotCount(): number {
    return 1;
  }
  /** @internal */
  protected override slotInit(): number {
    return this.initialAccumulatorValue;
  }
  /** @internal */
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    k.f32_adagrad(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, lr, this.epsilon, wd, params);
  }
  /**
   * τ_i = λ·lr/√(acc_i + ε): Adagrad's step size on coordinate i.
   * @internal
   */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_rms(w.size, w.region!.ptr, slots[0]!.ptr, 0, lambda * lr, this.epsilon);
  }
  /** The base config plus `initial_accumulator_value` and `epsilon`. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

/** Options of {@link Ftrl}: {@link OptimizerArgs} (learningRate default 0.001) plus these. */
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
  /** How the step shrinks as gradients accumulate (≤ 0). */
  readonly learningRatePower: number;
  /** The accumulators' starting value. */
  readonly initialAccumulatorValue: number;
  /** The L1 strength. */
  readonly l1RegularizationStrength: number;
  /** The L2 (stabilization) strength. */
  readonly l2RegularizationStrength: number;
  /** The L2 shrinkage (magnitude penalty) strength. */
  readonly l2ShrinkageRegularizationStrength: number;
  /** The FTRL paper's β. */
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
  /** @internal */
  protected get slotCount(): number {
    return 2;
  }
  /** @internal */
  protected override slotInit(slot: number): number {
    return slot === 0 ? this.initialAccumulatorValue : 0;
  }
  /** @internal */
  protected update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void {
    k.f32_ftrl(w.size, w.region!.ptr, w.grad!.ptr, slots[0]!.ptr, slots[1]!.ptr, lr, -this.learningRatePower,
      this.l1RegularizationStrength, 2 * this.l2RegularizationStrength + this.beta / lr, 2 * this.l2ShrinkageRegularizationStrength, wd, params);
  }
  /**
   * τ_i = λ/q_i with q_i = acc_i^−p/lr + 2·l2_reg: the reciprocal of FTRL's `quadratic`, its step size.
   * @internal
   */
  protected override proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void {
    k.f32_prox_l1_ftrl(w.size, w.region!.ptr, slots[0]!.ptr, lambda * lr, 2 * this.l2RegularizationStrength * lr + this.beta, -this.learningRatePower);
  }
  /** The base config plus the FTRL keys (`learning_rate_power`, `l1_regularization_strength`...). */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), learning_rate_power: this.learningRatePower, initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength, l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength, beta: this.beta,
    };
  }
}


/**
 * What `compile({ optimizer })` accepts: an {@link Optimizer}, or a name, case-insensitive: `'sgd'`, `'adam'`, `'adamw'`, `'rmsprop'`, `'adagrad'`, `'ftrl'` (with default options).
 */
export type OptimizerIdentifier = string | Optimizer;

const BY_NAME: Record<string, () => Optimizer> = {
  sgd: () => new SGD(), adam: () => new Adam(), adamw: () => new AdamW(), rmsprop: () => new RMSprop(), adagrad: () => new Adagrad(), ftrl: () => new Ftrl(),
};

/** Keras `optimizers.get`: the instance itself, or a new optimizer with default options for a name. */
export function get(id: OptimizerIdentifier): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') {
    const f = BY_NAME[id.toLowerCase()];
    if (f !== undefined && Object.hasOwn(BY_NAME, id.toLowerCase())) return f();
  }
  throw invalidArgument('optimizer', `an optimizer instance or one of ${Object.keys(BY_NAME).join(', ')}`, id);
}

/** Keras `SGD`: a new {@link SGD} (learningRate 0.01). */
export const sgd = (args?: SGDArgs) => new SGD(args);
/** Keras `Adam`: a new {@link Adam} (learningRate 0.001). */
export const adam = (args?: AdamArgs) => new Adam(args);
/** Keras `AdamW`: a new {@link AdamW} (learningRate 0.001, weightDecay 0.004). */
export const adamw = (args?: AdamArgs) => new AdamW(args);
/** Keras `RMSprop`: a new {@link RMSprop} (learningRate 0.001). */
export const rmsprop = (args?: RMSpropArgs) => new RMSprop(args);
/** Keras `Adagrad`: a new {@link Adagrad} (learningRate 0.001). */
export const adagrad = (args?: AdagradArgs) => new Adagrad(args);
/** Keras 3 FTRL: `km.optimizers.ftrl({ learningRate, learningRatePower, l1RegularizationStrength, … })`. */
export const ftrl = (args?: FtrlArgs) => new Ftrl(args);

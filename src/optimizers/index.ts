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

import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import type { KernelExports, Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, checkPositiveInt, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, fusion, layerArgsFromConfig } from './layer.js';
import type { Fusion, LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';
import type { Loss } from '../losses/index.js';

/** Arguments for {@link Dense}. Keras: `keras.layers.Dense`. */
export interface DenseArgs extends LayerArgs {
  /** Positive integer: size of the output space. */
  units: number;
  /** Applied to `x·W + b`. Default: none (linear). relu, relu6 and linear fuse into the GEMM epilogue. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer adds a bias vector. Default true. */
  useBias?: boolean;
  /** Initial values of the kernel. Default `glorotUniform` (Keras; TF.js's default is glorotNormal). */
  kernelInitializer?: InitializerIdentifier;
  /** Initial values of the bias. Default `zeros`. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on `W` added to the loss, e.g. `l2(0.01)` adds `0.01·Σw²`. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Penalty on `b` added to the loss. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  activityRegularizer?: RegularizerIdentifier | null;
  /** Applied to `W` after each optimizer update, e.g. `maxNorm({ maxValue: 3 })` (axis 0: one norm per unit). */
  kernelConstraint?: ConstraintIdentifier | null;
  /** Applied to `b` after each optimizer update. */
  biasConstraint?: ConstraintIdentifier | null;
  /** Alias of `inputShape: [inputDim]` (TF.js). */
  inputDim?: number;
}

/** `output = activation(x·W + b)`. Input `[batch, ..., inDim]`, output `[batch, ..., units]`. */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer',
    'kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint', 'inputDim'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer',
    'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'];
  /** Positive integer: size of the output space. */
  readonly units: number;
  /** Applied to `x·W + b`. Default: none (linear). relu, relu6 and linear fuse into the GEMM epilogue. */
  readonly activation: ActivationInfo;
  /** Whether the layer adds a bias vector. Default true. */
  readonly useBias: boolean;
  /** Initial values of the kernel. Default `glorotUniform` (Keras; TF.js's default is glorotNormal). */
  readonly kernelInitializer: initializers.Initializer;
  /** Initial values of the bias. Default `zeros`. */
  readonly biasInitializer: initializers.Initializer;
  /** Penalty on `W` added to the loss, e.g. `l2(0.01)` adds `0.01·Σw²`. */
  readonly kernelRegularizer: Regularizer | null;
  /** Penalty on `b` added to the loss. */
  readonly biasRegularizer: Regularizer | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  readonly activityRegularizer: Regularizer | null;
  /** Applied to `W` after each optimizer update, e.g. `maxNorm({ maxValue: 3 })` (axis 0: one norm per unit). */
  readonly kernelConstraint: Constraint | null;
  /** Applied to `b` after each optimizer update. */
  readonly biasConstraint: Constraint | null;
  /** The kernel `W`, `[inDim, units]`; null until the layer is built. */
  kernel: LayerWeight | null = null;
  /** The bias `b`, `[units]`; null until built or without `useBias`. */
  bias: LayerWeight | null = null;
  /** Pre-activation scratch (rows × units), for activations that do not fuse as a clamp. */
  private z: Region | null = null;

  constructor(args: DenseArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { units, ... }', args);
    const inputShape = args.inputShape ?? (args.inputDim !== undefined ? [args.inputDim] : undefined);
    super({ ...args, inputShape });
    this.units = checkPositiveInt('units', args.units);
    this.activation = activations.get(args.activation, 'activation');
    this.useBias = args.useBias ?? true;
    if (typeof this.useBias !== 'boolean') throw invalidArgument('useBias', 'a boolean', args.useBias);
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros', 'biasInitializer');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer, 'kernelRegularizer');
    this.biasRegularizer = regularizers.get(args.biasRegularizer, 'biasRegularizer');
    this.activityRegularizer = regularizers.get(args.activityRegularizer, 'activityRegularizer');
    if (this.activityRegularizer?.proximal) {
      throw invalidArgument('activityRegularizer', 'a regularizer without `proximal` (the proximal step applies to weights only)', this.activityRegularizer.getConfig());
    }
    this.kernelConstraint = constraints.get(args.kernelConstraint, 'kernelConstraint');
    this.biasConstraint = constraints.get(args.biasConstraint, 'biasConstraint');
  }

  /** Passes its input's mask on unchanged (Keras `supports_masking`). @internal */
  override get propagatesMask(): boolean {
    return true;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 1) throw new ValueError(`Layer ${this.name} needs inputs of rank ≥ 2 (with the batch). Received input shape: [null]`);
    return [...inputShape.slice(0, -1), this.units];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    const inDim = inputShape[inputShape.length - 1]!;
    this.kernelConstraint?.validate([inDim, this.units]);
    if (this.useBias) this.biasConstraint?.validate([this.units]);
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, this.kernelRegularizer);
    this.kernel.constraint = this.kernelConstraint;
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.biasRegularizer);
      this.bias.constraint = this.biasConstraint;
    }
  }

  private get inDim(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }

  /** Rows of the GEMM per sample (1 for [batch, features] inputs). */
  private get rowsPerSample(): number {
    return shapeSize(this.inputShape!.slice(0, -1));
  }

  /**
   * True while the next layer (a Dropout, see `fuseWith`) applies this layer's ReLU / ReLU6
   * derivative together with its mask: backward skips it.
   * @internal
   */
  activationGradFused = false;

  /**
   * Dense(ReLU or ReLU6, applied in its GEMM epilogue) followed by a layer that accepts the
   * derivative (Dropout with a full mask): that layer applies its mask and the derivative in one
   * pass. Not with an activity regularizer, whose gradient comes between the two.
   * @internal
   */
  override fuseWith(next: Layer | null): Fusion | null {
    const act = this.activation;
    this.activationGradFused = fusion.dropoutActivationGrad && next !== null && (act.name === 'relu' || act.name === 'relu6') &&
      this.activityRegularizer === null && next.acceptsFusion(act);
    return this.activationGradFused ? { activation: act } : null;
  }

  /** Softmax or sigmoid outputs fuse with their cross-entropy (not with an activity regularizer, which reads the output). @internal */
  override lossFusion(loss: Loss): 'softmax' | 'sigmoid' | null {
    return this.activityRegularizer === null ? loss.fusesWith(this.activation.name) : null;
  }

  /** @internal */
  override get lossLogits(): Ptr {
    return this.logits;
  }

  /** Backward honours `ctx.accumulate`: a Dense can be shared by several calls. @internal */
  override get sharesWeights(): boolean {
    return true;
  }

  private get fusesClamp(): boolean {
    return this.activation.clamp !== null;
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    if (!this.fusesClamp) this.z = arena.alloc(rows * this.rowsPerSample * this.units * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.z !== null) arena.release(this.z);
    this.z = null;
  }

  /** The pre-activation buffer the loss kernel reads when it fuses the output activation. @internal */
  get logits(): Ptr {
    return this.z === null ? 0 : this.z.ptr;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const m = ctx.rows * this.rowsPerSample;
    const n = this.units;
    const w = this.kernel!.region!.ptr;
    const b = this.bias === null ? 0 : this.bias.region!.ptr;
    const act = this.activation;
    if (act.clamp !== null) {
      k.f32_gemm_nn_minmax(m, n, this.inDim, ctx.x, this.inDim, w, n, b, 0, ctx.y, n, act.clamp[0], act.clamp[1], ctx.ws);
    } else {
      const z = this.z!.ptr;
      k.f32_gemm_nn_minmax(m, n, this.inDim, ctx.x, this.inDim, w, n, b, 0, z, n, -Infinity, Infinity, ctx.ws);
      if (!ctx.lossFused) applyActivation(k, act, m, n, z, ctx.y);
    }
    if (this.activityRegularizer !== null && ctx.trackPenalty) {
      ctx.penalty += k.f32_l1l2_penalty(m * n, ctx.y, this.activityRegularizer.l1, this.activityRegularizer.l2);
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k } = ctx;
    const m = ctx.rows * this.rowsPerSample;
    const n = this.units;
    const inDim = this.inDim;
    const dz = ctx.dy;
    if (!ctx.lossFused && !this.activationGradFused) {
      if (this.activityRegularizer !== null) {
        k.f32_l1l2_grad(m * n, ctx.y, ctx.dy, this.activityRegularizer.l1, this.activityRegularizer.l2);
      }
      const z = this.z === null ? ctx.y : this.z.ptr;
      applyActivationGrad(k, this.activation, m, n, z, ctx.y, ctx.dy);
    }
    if (this.trainable) {
      const beta = ctx.accumulate ? 1 : 0;
      k.f32_gemm_tn_minmax(inDim, n, m, ctx.x, inDim, dz, n, 0, beta, this.kernel!.grad!.ptr, n, -Infinity, Infinity, ctx.ws);
      if (this.bias !== null) k.f32_colsum(m, n, dz, n, this.bias.grad!.ptr, beta);
      if (!ctx.accumulate) this.addPenaltyGradients(k);
    }
    if (ctx.dx !== 0) {
      k.f32_gemm_nt_minmax(m, inDim, n, dz, n, this.kernel!.region!.ptr, n, 0, 0, ctx.dx, inDim, -Infinity, Infinity, ctx.ws);
    }
  }

  /** Largest GEMM workspace this layer's passes need for `rows` rows. @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    const m = rows * this.rowsPerSample;
    const n = this.units;
    const inDim = this.inDim;
    return Math.max(k.f32_gemm_workspace_bytes(m, n, inDim), k.f32_gemm_workspace_bytes(inDim, n, m), k.f32_gemm_workspace_bytes(m, inDim, n));
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }

  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(config: Record<string, unknown>): Dense {
    return denseFromConfig(config);
  }
}

type Kern = KernelExports & Record<string, unknown>;
type FwdFn = (n: number, x: Ptr, y: Ptr, alpha: number) => void;
type GradFn = (n: number, x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, alpha: number) => void;

/** y = act(z) over rows × cols (y may alias z). */
export function applyActivation(k: KernelExports, act: ActivationInfo, rows: number, cols: number, z: Ptr, y: Ptr): void {
  if (act.kind === 'softmax') k.f32_softmax(rows, cols, z, y);
  else if (act.kind === 'logSoftmax') k.f32_log_softmax(rows, cols, z, y);
  else if (act.kind === 'linear') {
    if (z !== y) k.f32_vcopy(rows * cols, z, y);
  } else ((k as Kern)[act.fwd] as FwdFn)(rows * cols, z, y, act.alpha);
}

/** dy ← dy·act'(z), in place (z: forward input, y: forward output). */
export function applyActivationGrad(k: KernelExports, act: ActivationInfo, rows: number, cols: number, z: Ptr, y: Ptr, dy: Ptr): void {
  if (act.kind === 'softmax') k.f32_softmax_grad(rows, cols, y, dy, dy);
  else if (act.kind === 'logSoftmax') k.f32_log_softmax_grad(rows, cols, y, dy, dy);
  else if (act.kind !== 'linear') ((k as Kern)[act.grad] as GradFn)(rows * cols, z, y, dy, dy, act.alpha);
}

export function denseFromConfig(config: Record<string, unknown>): Dense {
  return new Dense(denseArgsFromConfig(config));
}

export function denseArgsFromConfig(c: Record<string, unknown>): DenseArgs {
  return {
    ...layerArgsFromConfig(c, Dense),
    units: c.units as number,
    // a name, or an activation layer's config (Keras 2): activations.get folds or refuses it
    activation: (c.activation as ActivationIdentifier | null | undefined) ?? null,
    useBias: c.use_bias as boolean | undefined,
    kernelInitializer: (c.kernel_initializer as InitializerIdentifier | undefined) ?? undefined,
    biasInitializer: (c.bias_initializer as InitializerIdentifier | undefined) ?? undefined,
    kernelRegularizer: (c.kernel_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    biasRegularizer: (c.bias_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    activityRegularizer: (c.activity_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    kernelConstraint: (c.kernel_constraint as ConstraintIdentifier | null | undefined) ?? null,
    biasConstraint: (c.bias_constraint as ConstraintIdentifier | null | undefined) ?? null,
  };
}

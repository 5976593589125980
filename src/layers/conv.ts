// Conv2D and Conv1D (Keras 3 keras/src/layers/convolutional/conv2d.py, conv1d.py): a kernel
// [kh, kw, in, filters] ([k, in, filters] in 1-D) convolved over channels-last inputs, on the
// im2col + GEMM kernels of src/backend/conv.ts. A Conv1D is the 2-D convolution of a height-1
// image: its kernel has the same memory layout as [1, k, in, filters].
import { conv2dBackwardFilter, conv2dBackwardInput, conv2dForward, conv2dWorkspaceBytes } from '../backend/conv.js';
import type { Clamp } from '../backend/conv.js';
import type { KernelExports, Ptr } from '../backend/kernels.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import { checkPositiveInt } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { checkGroups } from './spatial-args.js';
import { BASE_CONV_ARG_NAMES, BASE_CONV_CONFIG_KEYS, BaseConv, baseConvArgsFromConfig } from './conv-base.js';
import type { BaseConvArgs } from './conv-base.js';
import type { LayerWeight, StepContext } from './layer.js';

/** Arguments for {@link Conv2D} and {@link Conv1D}. Keras: `keras.layers.Conv2D`; TF.js: `tf.layers.conv2d`. */
export interface ConvArgs extends BaseConvArgs {
  /** Positive integer: output channels (the number of filters). */
  filters: number;
  /** Default `glorotUniform` (Keras; TF.js defaults to glorotNormal). */
  kernelInitializer?: InitializerIdentifier;
  /** Penalty on the kernel added to the loss, e.g. `l2(0.01)` adds `0.01·Σw²`. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** Applied to the kernel after each optimizer update, e.g. `maxNorm({ maxValue: 2, axis: [0, 1, 2] })` (one norm per filter). */
  kernelConstraint?: ConstraintIdentifier | null;
}

const CONV_ARG_NAMES: readonly string[] = [...BASE_CONV_ARG_NAMES, 'filters', 'kernelInitializer', 'kernelRegularizer', 'kernelConstraint'];
const CONV_CONFIG_KEYS: readonly string[] = [...BASE_CONV_CONFIG_KEYS, 'filters', 'groups', 'kernel_initializer', 'kernel_regularizer', 'kernel_constraint'];

/** A convolution that sums over the input channels (Conv1D, Conv2D). */
abstract class Conv extends BaseConv {
  /** Positive integer: output channels (the number of filters). */
  readonly filters: number;
  /** Default `glorotUniform` (Keras; TF.js defaults to glorotNormal). */
  readonly kernelInitializer: initializers.Initializer;
  /** Penalty on the kernel added to the loss, e.g. `l2(0.01)` adds `0.01·Σw²`. */
  readonly kernelRegularizer: Regularizer | null;
  /** Applied to the kernel after each optimizer update, e.g. `maxNorm({ maxValue: 2, axis: [0, 1, 2] })` (one norm per filter). */
  readonly kernelConstraint: Constraint | null;
  /** The kernel `[...kernelSize, in, filters]` (Keras's layout); null until built. */
  kernel: LayerWeight | null = null;

  constructor(rank: 1 | 2, args: ConvArgs) {
    super(rank, args);
    this.filters = checkPositiveInt('filters', args.filters);
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorotUniform', 'kernelInitializer');
    this.kernelRegularizer = regularizers.get(args.kernelRegularizer, 'kernelRegularizer');
    this.kernelConstraint = constraints.get(args.kernelConstraint, 'kernelConstraint');
  }

  /** @internal */
  protected outChannels(): number {
    return this.filters;
  }

  /** @internal */
  protected buildKernels(cin: number): void {
    const shape = [...this.kernelSize, cin, this.filters];
    this.kernelConstraint?.validate(shape);
    this.kernel = this.addWeight('kernel', shape, this.kernelInitializer, this.kernelRegularizer);
    this.kernel.constraint = this.kernelConstraint;
  }

  /** @internal */
  protected linearForward(ctx: StepContext, y: Ptr, clamp: Clamp): void {
    conv2dForward(ctx, this.geom!, ctx.x, this.kernel!.region!.ptr, this.biasPtr, y, ctx.ws, clamp);
  }

  /** @internal */
  protected linearBackward(ctx: StepContext, weights: boolean, beta: 0 | 1): void {
    if (weights) conv2dBackwardFilter(ctx, this.geom!, ctx.x, ctx.dy, this.kernel!.grad!.ptr, ctx.ws, beta);
    if (ctx.dx !== 0) conv2dBackwardInput(ctx, this.geom!, ctx.dy, this.kernel!.region!.ptr, ctx.dx, ctx.ws);
  }

  /** @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    return conv2dWorkspaceBytes(k, this.geom!, rows);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      groups: 1,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
    };
  }
}

/** The ConvArgs of a Keras Conv1D/Conv2D config; `groups` other than 1 is refused. */
function convArgsFromConfig(c: Record<string, unknown>, cls: typeof Conv2D | typeof Conv1D): ConvArgs {
  checkGroups(cls.className, c.groups);
  return {
    ...baseConvArgsFromConfig(c, cls),
    filters: c.filters as number,
    kernelInitializer: (c.kernel_initializer as InitializerIdentifier | null | undefined) ?? undefined,
    kernelRegularizer: (c.kernel_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    kernelConstraint: (c.kernel_constraint as ConstraintIdentifier | null | undefined) ?? null,
  };
}

/**
 * 2-D convolution: `[batch, height, width, in]` → `[batch, outH, outW, filters]`, output =
 * activation(conv(x, kernel) + bias) with kernel `[kh, kw, in, filters]`.
 */
export class Conv2D extends Conv {
  static override readonly className = 'Conv2D';
  /** @internal */
  static override readonly argNames: readonly string[] = CONV_ARG_NAMES;
  /** @internal */
  static override readonly configKeys: readonly string[] = CONV_CONFIG_KEYS;
  constructor(args: ConvArgs) {
    super(2, args);
  }
  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(config: Record<string, unknown>): Conv2D {
    return new Conv2D(convArgsFromConfig(config, Conv2D));
  }
}

/**
 * 1-D convolution over steps: `[batch, steps, in]` → `[batch, outSteps, filters]`, kernel
 * `[k, in, filters]`; padding also `'causal'` (all of dilation·(k − 1) on the left: output t
 * sees inputs up to t only).
 */
export class Conv1D extends Conv {
  static override readonly className = 'Conv1D';
  /** @internal */
  static override readonly argNames: readonly string[] = CONV_ARG_NAMES;
  /** @internal */
  static override readonly configKeys: readonly string[] = CONV_CONFIG_KEYS;
  constructor(args: ConvArgs) {
    super(1, args);
  }
  /** @internal */
  protected override get allowsCausal(): boolean {
    return true;
  }
  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(config: Record<string, unknown>): Conv1D {
    return new Conv1D(convArgsFromConfig(config, Conv1D));
  }
}

// DepthwiseConv2D and SeparableConv2D (Keras 3 keras/src/layers/convolutional/
// depthwise_conv2d.py, separable_conv2d.py). Depthwise: input channel c convolved with
// kernel[:, :, c, j] gives output channel c·m + j, on the direct depthwise kernels. Separable: that
// depthwise convolution (no bias) into a scratch D [pixels, in·m], then a 1×1 pointwise
// convolution, which is a plain GEMM with the bias and the clamp in its epilogue.
import {
  depthwiseConv2dBackwardFilter, depthwiseConv2dBackwardInput, depthwiseConv2dForward, depthwiseConv2dWorkspaceBytes,
} from '../backend/conv.js';
import type { Clamp, ConvGeometry } from '../backend/conv.js';
import type { KernelExports, Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import { checkPositiveInt } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { BASE_CONV_ARG_NAMES, BASE_CONV_CONFIG_KEYS, BaseConv, baseConvArgsFromConfig } from './conv-base.js';
import type { BaseConvArgs } from './conv-base.js';
import type { LayerWeight, StepContext } from './layer.js';

/** The depthwise kernel's options (Keras `depthwise_*`), shared by both layers. */
export interface DepthwiseKernelArgs extends BaseConvArgs {
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default `glorotUniform` (Keras; TF.js's DepthwiseConv2D defaults to glorotNormal). */
  depthwiseInitializer?: InitializerIdentifier;
  /** Penalty on the depthwise kernel added to the loss. */
  depthwiseRegularizer?: RegularizerIdentifier | null;
  /** Applied to the depthwise kernel after each optimizer update. */
  depthwiseConstraint?: ConstraintIdentifier | null;
}

/** Arguments for {@link DepthwiseConv2D}. Keras: `keras.layers.DepthwiseConv2D`; TF.js: `tf.layers.depthwiseConv2d`. */
export type DepthwiseConv2DArgs = DepthwiseKernelArgs;

/** Arguments for {@link SeparableConv2D}. Keras: `keras.layers.SeparableConv2D`; TF.js: `tf.layers.separableConv2d`. */
export interface SeparableConv2DArgs extends DepthwiseKernelArgs {
  /** Positive integer: output channels of the pointwise convolution. */
  filters: number;
  /** Initial values of the pointwise kernel. Default `glorotUniform`. */
  pointwiseInitializer?: InitializerIdentifier;
  /** Penalty on the pointwise kernel added to the loss. */
  pointwiseRegularizer?: RegularizerIdentifier | null;
  /** Applied to the pointwise kernel after each optimizer update. */
  pointwiseConstraint?: ConstraintIdentifier | null;
}

const DEPTHWISE_ARG_NAMES = ['depthMultiplier', 'depthwiseInitializer', 'depthwiseRegularizer', 'depthwiseConstraint'];
const DEPTHWISE_CONFIG_KEYS = ['depth_multiplier', 'depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint'];

/** A layer with a depthwise kernel [kh, kw, in, depthMultiplier]. */
abstract class DepthwiseBase extends BaseConv {
  /** Output channels per input channel. Default 1. */
  readonly depthMultiplier: number;
  /** Default `glorotUniform` (Keras; TF.js's DepthwiseConv2D defaults to glorotNormal). */
  readonly depthwiseInitializer: initializers.Initializer;
  /** Penalty on the depthwise kernel added to the loss. */
  readonly depthwiseRegularizer: Regularizer | null;
  /** Applied to the depthwise kernel after each optimizer update. */
  readonly depthwiseConstraint: Constraint | null;
  /** The depthwise kernel `[kh, kw, in, depthMultiplier]`; null until built. */
  depthwiseKernel: LayerWeight | null = null;

  constructor(args: DepthwiseKernelArgs) {
    super(2, args);
    this.depthMultiplier = checkPositiveInt('depthMultiplier', args.depthMultiplier ?? 1);
    this.depthwiseInitializer = initializers.get(args.depthwiseInitializer ?? 'glorotUniform', 'depthwiseInitializer');
    this.depthwiseRegularizer = regularizers.get(args.depthwiseRegularizer, 'depthwiseRegularizer');
    this.depthwiseConstraint = constraints.get(args.depthwiseConstraint, 'depthwiseConstraint');
  }

  /** @internal */
  protected addDepthwiseKernel(cin: number): void {
    const shape = [...this.kernelSize, cin, this.depthMultiplier];
    this.depthwiseConstraint?.validate(shape);
    this.depthwiseKernel = this.addWeight('depthwise_kernel', shape, this.depthwiseInitializer, this.depthwiseRegularizer);
    this.depthwiseKernel.constraint = this.depthwiseConstraint;
  }

  /** @internal */
  protected depthwiseConfig(): Record<string, unknown> {
    return {
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: initializers.serialize(this.depthwiseInitializer),
      depthwise_regularizer: regularizers.serialize(this.depthwiseRegularizer),
      depthwise_constraint: constraints.serialize(this.depthwiseConstraint),
    };
  }
}

function depthwiseArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): DepthwiseKernelArgs {
  return {
    ...baseConvArgsFromConfig(c, cls),
    depthMultiplier: (c.depth_multiplier as number | null | undefined) ?? undefined,
    depthwiseInitializer: (c.depthwise_initializer as InitializerIdentifier | null | undefined) ?? undefined,
    depthwiseRegularizer: (c.depthwise_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    depthwiseConstraint: (c.depthwise_constraint as ConstraintIdentifier | null | undefined) ?? null,
  };
}

/**
 * Depthwise 2-D convolution: `[batch, h, w, in]` → `[batch, outH, outW, in·depthMultiplier]`;
 * each input channel is convolved with its own `depthMultiplier` filters (kernel `[kh, kw, in,
 * depthMultiplier]`), then the bias and the activation.
 */
export class DepthwiseConv2D extends DepthwiseBase {
  static override readonly className = 'DepthwiseConv2D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...BASE_CONV_ARG_NAMES, ...DEPTHWISE_ARG_NAMES];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...BASE_CONV_CONFIG_KEYS, ...DEPTHWISE_CONFIG_KEYS];

  /** @internal */
  protected outChannels(cin: number): number {
    return cin * this.depthMultiplier;
  }
  /** @internal */
  protected buildKernels(cin: number): void {
    this.addDepthwiseKernel(cin);
  }
  /** @internal */
  protected linearForward(ctx: StepContext, y: Ptr, clamp: Clamp): void {
    depthwiseConv2dForward(ctx, this.geom!, ctx.x, this.depthwiseKernel!.region!.ptr, this.biasPtr, y, ctx.ws, clamp);
  }
  /** @internal */
  protected linearBackward(ctx: StepContext, weights: boolean, beta: 0 | 1): void {
    if (weights) depthwiseConv2dBackwardFilter(ctx, this.geom!, ctx.x, ctx.dy, this.depthwiseKernel!.grad!.ptr, ctx.ws, beta);
    if (ctx.dx !== 0) depthwiseConv2dBackwardInput(ctx, this.geom!, ctx.dy, this.depthwiseKernel!.region!.ptr, ctx.dx, ctx.ws);
  }
  /** @internal */
  override workspaceBytes(): number {
    return depthwiseConv2dWorkspaceBytes();
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.depthwiseConfig() };
  }
  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(config: Record<string, unknown>): DepthwiseConv2D {
    return new DepthwiseConv2D(depthwiseArgsFromConfig(config, DepthwiseConv2D));
  }
}

/**
 * Depthwise separable 2-D convolution: the depthwise convolution above (strides, padding and
 * dilation apply to it; no bias), then a pointwise kernel `[1, 1, in·depthMultiplier, filters]`
 * mixing the channels, the bias and the activation. Weights: depthwise_kernel, pointwise_kernel,
 * bias (Keras's order).
 */
export class SeparableConv2D extends DepthwiseBase {
  static override readonly className = 'SeparableConv2D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...BASE_CONV_ARG_NAMES, ...DEPTHWISE_ARG_NAMES, 'filters', 'pointwiseInitializer',
    'pointwiseRegularizer', 'pointwiseConstraint'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...BASE_CONV_CONFIG_KEYS, ...DEPTHWISE_CONFIG_KEYS, 'filters', 'pointwise_initializer',
    'pointwise_regularizer', 'pointwise_constraint'];
  /** Positive integer: output channels of the pointwise convolution. */
  readonly filters: number;
  /** Initial values of the pointwise kernel. Default `glorotUniform`. */
  readonly pointwiseInitializer: initializers.Initializer;
  /** Penalty on the pointwise kernel added to the loss. */
  readonly pointwiseRegularizer: Regularizer | null;
  /** Applied to the pointwise kernel after each optimizer update. */
  readonly pointwiseConstraint: Constraint | null;
  /** The 1×1 pointwise kernel `[1, 1, in·depthMultiplier, filters]`; null until built. */
  pointwiseKernel: LayerWeight | null = null;
  /** The depthwise convolution's sizes (its output has in·depthMultiplier channels). */
  private dgeom: ConvGeometry | null = null;
  /** The depthwise output D and its gradient, pixels × in·depthMultiplier. */
  private d: Region | null = null;
  private dd: Region | null = null;

  constructor(args: SeparableConv2DArgs) {
    super(args);
    this.filters = checkPositiveInt('filters', args.filters);
    this.pointwiseInitializer = initializers.get(args.pointwiseInitializer ?? 'glorotUniform', 'pointwiseInitializer');
    this.pointwiseRegularizer = regularizers.get(args.pointwiseRegularizer, 'pointwiseRegularizer');
    this.pointwiseConstraint = constraints.get(args.pointwiseConstraint, 'pointwiseConstraint');
  }

  /** @internal */
  protected outChannels(): number {
    return this.filters;
  }
  /** Channels of the depthwise output: the pointwise GEMM's inner dimension. */
  private get mid(): number {
    return this.dgeom!.cout;
  }
  /** @internal */
  protected buildKernels(cin: number): void {
    this.dgeom = { ...this.geom!, cout: cin * this.depthMultiplier };
    this.addDepthwiseKernel(cin);
    const shape = [1, 1, cin * this.depthMultiplier, this.filters];
    this.pointwiseConstraint?.validate(shape);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', shape, this.pointwiseInitializer, this.pointwiseRegularizer);
    this.pointwiseKernel.constraint = this.pointwiseConstraint;
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    super.plan(arena, rows);
    const bytes = this.pixels(rows) * this.mid * 4;
    this.d = arena.alloc(bytes);
    this.dd = arena.alloc(bytes);
  }
  /** @internal */
  override unplan(arena: Arena): void {
    super.unplan(arena);
    for (const r of [this.d, this.dd]) if (r !== null) arena.release(r);
    this.d = null;
    this.dd = null;
  }

  /** @internal */
  protected linearForward(ctx: StepContext, y: Ptr, clamp: Clamp): void {
    const g = this.dgeom!;
    g.batch = ctx.rows;
    const d = this.d!.ptr;
    depthwiseConv2dForward(ctx, g, ctx.x, this.depthwiseKernel!.region!.ptr, 0, d, ctx.ws);
    const m = this.pixels(ctx.rows);
    const n = this.filters;
    ctx.k.f32_gemm_nn_minmax(m, n, this.mid, d, this.mid, this.pointwiseKernel!.region!.ptr, n, this.biasPtr, 0, y, n, clamp[0], clamp[1], ctx.ws);
  }

  /** @internal */
  protected linearBackward(ctx: StepContext, weights: boolean, beta: 0 | 1): void {
    const { k } = ctx;
    const g = this.dgeom!;
    g.batch = ctx.rows;
    const m = this.pixels(ctx.rows);
    const n = this.filters;
    const mid = this.mid;
    if (weights) k.f32_gemm_tn_minmax(mid, n, m, this.d!.ptr, mid, ctx.dy, n, 0, beta, this.pointwiseKernel!.grad!.ptr, n, -Infinity, Infinity, ctx.ws);
    if (!weights && ctx.dx === 0) return;
    const dd = this.dd!.ptr;
    k.f32_gemm_nt_minmax(m, mid, n, ctx.dy, n, this.pointwiseKernel!.region!.ptr, n, 0, 0, dd, mid, -Infinity, Infinity, ctx.ws);
    if (weights) depthwiseConv2dBackwardFilter(ctx, g, ctx.x, dd, this.depthwiseKernel!.grad!.ptr, ctx.ws, beta);
    if (ctx.dx !== 0) depthwiseConv2dBackwardInput(ctx, g, dd, this.depthwiseKernel!.region!.ptr, ctx.dx, ctx.ws);
  }

  /** The GEMMs' workspace (the depthwise calls need only their 64-byte geometry block, before or after them). @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    const m = this.pixels(rows);
    const n = this.filters;
    const mid = this.mid;
    return Math.max(depthwiseConv2dWorkspaceBytes(), k.f32_gemm_workspace_bytes(m, n, mid), k.f32_gemm_workspace_bytes(mid, n, m),
      k.f32_gemm_workspace_bytes(m, mid, n));
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.depthwiseConfig(),
      filters: this.filters,
      pointwise_initializer: initializers.serialize(this.pointwiseInitializer),
      pointwise_regularizer: regularizers.serialize(this.pointwiseRegularizer),
      pointwise_constraint: constraints.serialize(this.pointwiseConstraint),
    };
  }

  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(c: Record<string, unknown>): SeparableConv2D {
    return new SeparableConv2D({
      ...depthwiseArgsFromConfig(c, SeparableConv2D),
      filters: c.filters as number,
      pointwiseInitializer: (c.pointwise_initializer as InitializerIdentifier | null | undefined) ?? undefined,
      pointwiseRegularizer: (c.pointwise_regularizer as RegularizerIdentifier | null | undefined) ?? null,
      pointwiseConstraint: (c.pointwise_constraint as ConstraintIdentifier | null | undefined) ?? null,
    });
  }
}

// What every convolution layer shares (Keras 3 keras/src/layers/convolutional/base_conv.py):
// the window arguments, the bias, the activation and the activity penalty. A subclass supplies
// the linear part (its weights, forward into a buffer with a clamp, weight and input gradients)
// on the kernels of src/backend/conv.ts; this class wraps it as Dense wraps its GEMM: ReLU, ReLU6
// and linear are the clamp of the kernel's epilogue, other activations run after it on a
// pre-activation scratch `z` (which a fused loss reads), the bias gradient is a column sum over
// the output pixels, and a shared layer's later calls add their gradients (ctx.accumulate).
import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import { convGeometry } from '../backend/conv.js';
import type { Clamp, ConvGeometry, ConvPadding } from '../backend/conv.js';
import type { Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import { checkBoolean, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import type { Loss } from '../losses/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { applyActivation, applyActivationGrad } from './dense.js';
import { checkChannelsLast, checkInputRank, checkStridesWithDilation, standardizePadding, standardizeTuple } from './spatial-args.js';
import type { ConvSize, DataFormat } from './spatial-args.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, fusion, layerArgsFromConfig } from './layer.js';
import type { Fusion, LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';

/** Options every convolution layer takes (Keras BaseConv's; TF.js's BaseConvLayerArgs). */
export interface BaseConvArgs extends LayerArgs {
  /** Window size: one number for every spatial axis, or one per axis (`[kh, kw]`). */
  kernelSize: ConvSize;
  /** Step of the window per axis. Default 1. More than 1 together with a dilation above 1 is refused, as Keras. */
  strides?: ConvSize;
  /** `'valid'` (default: no padding) or `'same'` (TensorFlow's: the extra cell at the bottom/right); Conv1D also `'causal'`. */
  padding?: ConvPadding;
  /** `'channelsLast'` (default; Keras spelling too). Channels-first is refused: kerasm's convolutions are NHWC. */
  dataFormat?: DataFormat;
  /** Spacing of the window's taps per axis. Default 1. */
  dilationRate?: ConvSize;
  /** Applied to the output. Default none (linear). relu, relu6 and linear fuse into the kernel's epilogue. */
  activation?: ActivationIdentifier | null;
  /** Whether the layer adds a bias per output channel. Default true. */
  useBias?: boolean;
  /** Initial values of the bias. Default `zeros`. */
  biasInitializer?: InitializerIdentifier;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  activityRegularizer?: RegularizerIdentifier | null;
  /** Applied to the bias after each optimizer update. */
  biasConstraint?: ConstraintIdentifier | null;
}

export const BASE_CONV_ARG_NAMES: readonly string[] = [...LAYER_ARG_NAMES, 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'useBias',
  'biasInitializer', 'biasRegularizer', 'activityRegularizer', 'biasConstraint'];
export const BASE_CONV_CONFIG_KEYS: readonly string[] = [...LAYER_CONFIG_KEYS, 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias',
  'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint'];

const NO_CLAMP: Clamp = [-Infinity, Infinity];

/** Abstract convolution layer: 1-D ([batch, steps, channels]) or 2-D ([batch, height, width, channels]). */
export abstract class BaseConv extends Layer {
  /** Spatial axes: 1 (Conv1D) or 2. */
  readonly rank: 1 | 2;
  /** Window size: one number for every spatial axis, or one per axis (`[kh, kw]`). */
  readonly kernelSize: number[];
  /** Step of the window per axis. Default 1. More than 1 together with a dilation above 1 is refused, as Keras. */
  readonly strides: number[];
  /** Spacing of the window's taps per axis. Default 1. */
  readonly dilationRate: number[];
  /** `'valid'` (default: no padding) or `'same'` (TensorFlow's: the extra cell at the bottom/right); Conv1D also `'causal'`. */
  readonly padding: ConvPadding;
  /** Applied to the output. Default none (linear). relu, relu6 and linear fuse into the kernel's epilogue. */
  readonly activation: ActivationInfo;
  /** Whether the layer adds a bias per output channel. Default true. */
  readonly useBias: boolean;
  /** Initial values of the bias. Default `zeros`. */
  readonly biasInitializer: initializers.Initializer;
  /** Penalty on the bias added to the loss. */
  readonly biasRegularizer: Regularizer | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  readonly activityRegularizer: Regularizer | null;
  /** Applied to the bias after each optimizer update. */
  readonly biasConstraint: Constraint | null;
  /** The bias, one per output channel; null until built or without `useBias`. */
  bias: LayerWeight | null = null;
  /** Sizes of the output's convolution (set by build; its `batch` by each pass). @internal */
  protected geom: ConvGeometry | null = null;
  /** Pre-activation scratch (pixels × channels), for activations that do not fuse as a clamp. */
  private z: Region | null = null;
  /** True while the next layer (a Dropout) applies this layer's ReLU / ReLU6 derivative with its mask. @internal */
  activationGradFused = false;

  constructor(rank: 1 | 2, args: BaseConvArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { kernelSize, ... }', args);
    super(args);
    this.rank = rank;
    this.kernelSize = standardizeTuple(args.kernelSize, rank, 'kernelSize');
    this.strides = standardizeTuple(args.strides ?? 1, rank, 'strides');
    this.dilationRate = standardizeTuple(args.dilationRate ?? 1, rank, 'dilationRate');
    this.padding = standardizePadding(args.padding ?? 'valid', rank === 1 && this.allowsCausal);
    checkChannelsLast(this.className, this.name, args.dataFormat);
    checkStridesWithDilation(this.strides, this.dilationRate);
    this.activation = activations.get(args.activation, 'activation');
    this.useBias = checkBoolean('useBias', args.useBias ?? true);
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros', 'biasInitializer');
    this.biasRegularizer = regularizers.get(args.biasRegularizer, 'biasRegularizer');
    this.activityRegularizer = regularizers.get(args.activityRegularizer, 'activityRegularizer');
    if (this.activityRegularizer?.proximal) {
      throw invalidArgument('activityRegularizer', 'a regularizer without `proximal` (the proximal step applies to weights only)', this.activityRegularizer.getConfig());
    }
    this.biasConstraint = constraints.get(args.biasConstraint, 'biasConstraint');
  }

  /** Whether a 1-D layer of this class takes padding 'causal' (Conv1D). @internal */
  protected get allowsCausal(): boolean {
    return false;
  }

  /** Output channels for `cin` input channels. @internal */
  protected abstract outChannels(cin: number): number;
  /** Add the weights before the bias (Keras's order), for `cin` input channels. @internal */
  protected abstract buildKernels(cin: number): void;
  /** y = clamp(linear part + bias) for ctx.rows samples (geom.batch is set). @internal */
  protected abstract linearForward(ctx: StepContext, y: Ptr, clamp: Clamp): void;
  /** From dz = ctx.dy: the kernels' gradients (if `weights`, β = `beta`) and ctx.dx (if wanted). @internal */
  protected abstract linearBackward(ctx: StepContext, weights: boolean, beta: 0 | 1): void;

  /** The convolution's sizes for an input shape (without the batch); Keras's errors on a mismatch. @internal */
  protected geometryFor(inputShape: Shape): ConvGeometry {
    checkInputRank(this, inputShape, this.rank + 2, true);
    const two = this.rank === 2;
    const [inH, inW] = two ? [inputShape[0]!, inputShape[1]!] : [1, inputShape[0]!];
    const cin = inputShape[inputShape.length - 1]!;
    const pick = (v: readonly number[]): [number, number] => (two ? [v[0]!, v[1]!] : [1, v[0]!]);
    const [kh, kw] = pick(this.kernelSize);
    const [strideH, strideW] = pick(this.strides);
    const [dilH, dilW] = pick(this.dilationRate);
    return convGeometry({ inH, inW, cin, kh, kw, cout: this.outChannels(cin), strideH, strideW, dilH, dilW, padding: this.padding, rank: this.rank });
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    const g = this.geometryFor(inputShape);
    return this.rank === 2 ? [g.outH, g.outW, g.cout] : [g.outW, g.cout];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    const g = this.geometryFor(inputShape);
    super.build(inputShape);
    this.geom = g;
    this.buildKernels(g.cin);
    if (this.useBias) {
      this.biasConstraint?.validate([g.cout]);
      this.bias = this.addWeight('bias', [g.cout], this.biasInitializer, this.biasRegularizer);
      this.bias.constraint = this.biasConstraint;
    }
  }

  /** Output pixels of `rows` samples (the GEMM's rows). @internal */
  protected pixels(rows: number): number {
    const g = this.geom!;
    return rows * g.outH * g.outW;
  }

  /** @internal */
  protected get biasPtr(): Ptr {
    return this.bias === null ? 0 : this.bias.region!.ptr;
  }

  /** Backward honours `ctx.accumulate`: a convolution can be shared by several calls. @internal */
  override get sharesWeights(): boolean {
    return true;
  }

  /** Conv(ReLU or ReLU6) followed by a Dropout with a full mask: mask and derivative in one pass, as Dense. @internal */
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
    return this.z === null ? 0 : this.z.ptr;
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    if (this.activation.clamp === null) this.z = arena.alloc(this.pixels(rows) * this.geom!.cout * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.z !== null) arena.release(this.z);
    this.z = null;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const g = this.geom!;
    g.batch = ctx.rows;
    const m = this.pixels(ctx.rows);
    const act = this.activation;
    if (act.clamp !== null) {
      this.linearForward(ctx, ctx.y, act.clamp);
    } else {
      const z = this.z!.ptr;
      this.linearForward(ctx, z, NO_CLAMP);
      if (!ctx.lossFused) applyActivation(k, act, m, g.cout, z, ctx.y);
    }
    if (this.activityRegularizer !== null && ctx.trackPenalty) {
      ctx.penalty += k.f32_l1l2_penalty(m * g.cout, ctx.y, this.activityRegularizer.l1, this.activityRegularizer.l2);
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k } = ctx;
    const g = this.geom!;
    g.batch = ctx.rows;
    const m = this.pixels(ctx.rows);
    const n = g.cout;
    if (!ctx.lossFused && !this.activationGradFused) {
      if (this.activityRegularizer !== null) k.f32_l1l2_grad(m * n, ctx.y, ctx.dy, this.activityRegularizer.l1, this.activityRegularizer.l2);
      applyActivationGrad(k, this.activation, m, n, this.z === null ? ctx.y : this.z.ptr, ctx.y, ctx.dy);
    }
    const beta = ctx.accumulate ? 1 : 0;
    this.linearBackward(ctx, this.trainable, beta);
    if (this.trainable) {
      // f32_colsum's sums, split across threads by channels (a serial pass of the step otherwise).
      if (this.bias !== null) k.f32_conv_bias_grad(n, ctx.dy, this.bias.grad!.ptr, m, n, 0, beta);
      if (!ctx.accumulate) this.addPenaltyGradients(k);
    }
  }

  /** The keys every convolution writes (Keras 3's names and forms: lists per axis, lower-case padding). */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernel_size: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate.slice(),
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      bias_initializer: initializers.serialize(this.biasInitializer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      bias_constraint: constraints.serialize(this.biasConstraint),
    };
  }
}

/** The BaseConvArgs of a Keras config (snake_case keys), for `cls.fromConfig`. */
export function baseConvArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): BaseConvArgs {
  const or = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));
  return {
    ...layerArgsFromConfig(c, cls),
    kernelSize: c.kernel_size as ConvSize,
    strides: or<ConvSize>(c.strides),
    padding: or<ConvPadding>(c.padding),
    dataFormat: or<DataFormat>(c.data_format),
    dilationRate: or<ConvSize>(c.dilation_rate),
    // a name, or an activation layer's config (Keras 2): activations.get folds or refuses it
    activation: (c.activation as ActivationIdentifier | null | undefined) ?? null,
    useBias: or<boolean>(c.use_bias),
    biasInitializer: or<InitializerIdentifier>(c.bias_initializer),
    biasRegularizer: (c.bias_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    activityRegularizer: (c.activity_regularizer as RegularizerIdentifier | null | undefined) ?? null,
    biasConstraint: (c.bias_constraint as ConstraintIdentifier | null | undefined) ?? null,
  };
}

// Global pooling (Keras 3 keras/src/layers/pooling/global_*): the mean or maximum over every
// spatial position of each sample, per channel — GlobalAveragePooling2D / GlobalMaxPooling2D on
// [batch, h, w, c], the 1D ones on [batch, steps, c] — on the f32-pool kernels, which see both
// as [batch, positions, c]. `keepdims` keeps the pooled axes as size 1; the buffer is the same.
// The mean is summed in f64 and rounded once. GlobalMaxPooling's gradient is Keras's (TensorFlow's
// reduce_max gradient): dy split evenly among the positions equal to the maximum, where TF.js
// gives each of them all of dy; the two differ only on exact ties.
import { checkBoolean, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { checkChannelsLast, checkInputRank } from './spatial-args.js';
import type { DataFormat } from './spatial-args.js';

/** Arguments of the global pooling layers. Keras: `keras.layers.GlobalAveragePooling2D`. */
export interface GlobalPoolingArgs extends LayerArgs {
  /** Only channels-last. */
  dataFormat?: DataFormat;
  /** Keep the pooled axes as size 1 (`[batch, 1, 1, c]`). Default false (`[batch, c]`). */
  keepdims?: boolean;
}

const GLOBAL_ARGS: readonly string[] = [...LAYER_ARG_NAMES, 'dataFormat', 'keepdims'];
const GLOBAL_CONFIG: readonly string[] = [...LAYER_CONFIG_KEYS, 'data_format', 'keepdims'];

/** The global pools: the output shape and the position count the kernels take. */
abstract class GlobalPooling extends Layer {
  /** Keep the pooled axes as size 1 (`[batch, 1, 1, c]`). Default false (`[batch, c]`). */
  readonly keepdims: boolean;
  /** Spatial dimensions: 2 for images, 1 for sequences. */
  private readonly rank: 1 | 2;

  constructor(args: GlobalPoolingArgs, rank: 1 | 2) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    super(args);
    this.rank = rank;
    checkChannelsLast((this.constructor as typeof Layer).className, this.name, args.dataFormat);
    this.keepdims = checkBoolean('keepdims', args.keepdims ?? false);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    checkInputRank(this, inputShape, this.rank + 2);
    const c = inputShape[this.rank]!;
    return this.keepdims ? [...Array<number>(this.rank).fill(1), c] : [c];
  }

  /** Positions pooled per sample and channel. @internal */
  protected get positions(): number {
    return shapeSize(this.inputShape!.slice(0, this.rank));
  }

  /** @internal */
  protected get channels(): number {
    return this.inputShape![this.rank]!;
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last', keepdims: this.keepdims };
  }
}

function globalArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): GlobalPoolingArgs {
  return { ...layerArgsFromConfig(c, cls), dataFormat: (c.data_format ?? undefined) as DataFormat, keepdims: (c.keepdims ?? undefined) as boolean | undefined };
}

abstract class GlobalAveragePooling extends GlobalPooling {
  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_global_avgpool_nhwc(ctx.rows, ctx.x, ctx.y, 0, this.positions, this.channels);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_global_avgpool_nhwc_grad(ctx.rows, ctx.dy, ctx.dx, 0, this.positions, this.channels);
  }
}

abstract class GlobalMaxPooling extends GlobalPooling {
  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_global_maxpool_nhwc(ctx.rows, ctx.x, ctx.y, 0, this.positions, this.channels);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_global_maxpool_nhwc_grad(ctx.rows, ctx.x, ctx.y, ctx.dy, ctx.dx, 0, this.positions, this.channels);
  }
}

/** Keras `GlobalAveragePooling2D`: `[batch, h, w, c]` → `[batch, c]`, the mean over h·w. */
export class GlobalAveragePooling2D extends GlobalAveragePooling {
  static override readonly className = 'GlobalAveragePooling2D';
  /** @internal */
  static override readonly argNames = GLOBAL_ARGS;
  /** @internal */
  static override readonly configKeys = GLOBAL_CONFIG;
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(globalArgsFromConfig(c, GlobalAveragePooling2D));
  }
}

/** Keras `GlobalMaxPooling2D`: `[batch, h, w, c]` → `[batch, c]`, the maximum over h·w. */
export class GlobalMaxPooling2D extends GlobalMaxPooling {
  static override readonly className = 'GlobalMaxPooling2D';
  /** @internal */
  static override readonly argNames = GLOBAL_ARGS;
  /** @internal */
  static override readonly configKeys = GLOBAL_CONFIG;
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 2);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(globalArgsFromConfig(c, GlobalMaxPooling2D));
  }
}

/** Keras `GlobalAveragePooling1D`: `[batch, steps, c]` → `[batch, c]`, the mean over the steps. */
export class GlobalAveragePooling1D extends GlobalAveragePooling {
  static override readonly className = 'GlobalAveragePooling1D';
  /** @internal */
  static override readonly argNames = GLOBAL_ARGS;
  /** @internal */
  static override readonly configKeys = GLOBAL_CONFIG;
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
  }
  /** With a mask (Embedding maskZero, Masking): the mean over the real steps, as Keras (0/0 = NaN when all are masked). @internal */
  override get consumesMask(): boolean {
    return true;
  }
  /** @internal */
  override forward(ctx: StepContext): void {
    if (ctx.mask === 0) super.forward(ctx);
    else ctx.k.f32_masked_mean_steps(ctx.rows, this.positions, this.channels, ctx.x, ctx.mask, ctx.y);
  }
  /** @internal */
  override backward(ctx: StepContext): void {
    if (ctx.mask === 0) super.backward(ctx);
    else if (ctx.dx !== 0) ctx.k.f32_masked_mean_steps_grad(ctx.rows, this.positions, this.channels, ctx.dy, ctx.mask, ctx.dx);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(globalArgsFromConfig(c, GlobalAveragePooling1D));
  }
}

/** Keras `GlobalMaxPooling1D`: `[batch, steps, c]` → `[batch, c]`, the maximum over the steps. */
export class GlobalMaxPooling1D extends GlobalMaxPooling {
  static override readonly className = 'GlobalMaxPooling1D';
  /** @internal */
  static override readonly argNames = GLOBAL_ARGS;
  /** @internal */
  static override readonly configKeys = GLOBAL_CONFIG;
  constructor(args: GlobalPoolingArgs = {}) {
    super(args, 1);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(globalArgsFromConfig(c, GlobalMaxPooling1D));
  }
}

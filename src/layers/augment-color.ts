// Keras 3's colour augmentation layers RandomContrast and RandomBrightness (random, training
// only: augment-base.ts) and Rescaling (always applied), on the f32-augment kernels.
import type { Arena, Region } from '../backend/memory.js';
import { checkFinite, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { RANDOM_IMAGE_ARGS, RANDOM_IMAGE_CONFIG, RandomImageLayer, parseFactor, parseValueRange } from './augment-base.js';
import type { RandomImageArgs } from './augment-base.js';
import type { Factor } from './augment-geometry.js';

/** Arguments for {@link RandomContrast}. Keras: `keras.layers.RandomContrast`. */
export interface RandomContrastArgs extends RandomImageArgs {
  /**
   * The contrast factor is drawn from [1 − lower, 1 + upper]: a pair [lower, upper] in [0, 1],
   * or a number f in [0, 1], which Keras 3 reads as [0, f] (so [1, 1 + f]; pass [f, f] for [1 − f, 1 + f]).
   */
  factor: Factor;
  /** [low, high] of the pixel values; outputs are clipped to it. Default [0, 255]. */
  valueRange?: [number, number];
}

/** y = clip((x − mean)·f + mean, low, high), mean per image and channel, f drawn per image. */
export class RandomContrast extends RandomImageLayer {
  static override readonly className = 'RandomContrast';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, ...RANDOM_IMAGE_ARGS, 'factor', 'valueRange'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, ...RANDOM_IMAGE_CONFIG, 'factor', 'value_range'];
  /** [lower, upper] (Keras keeps and saves the pair). */
  readonly factor: [number, number];
  /** [low, high] of the pixel values; outputs are clipped to it. Default [0, 255]. */
  readonly valueRange: [number, number];
  private mean: Region | null = null;

  constructor(args: RandomContrastArgs) {
    super(args);
    this.factor = parseFactor('factor', args.factor, 0, 1);
    this.valueRange = parseValueRange(args.valueRange ?? [0, 255]);
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 1;
  }

  /** @internal */
  protected get paramsPerSample(): number {
    return 1;
  }

  /** @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const lo = 1 - this.factor[0];
    m[p] = lo + m[u]! * (1 + this.factor[1] - lo);
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    super.plan(arena, rows);
    this.mean = arena.alloc(Math.max(1, rows * this.hwc[2]) * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    super.unplan(arena);
    if (this.mean !== null) arena.release(this.mean);
    this.mean = null;
  }

  /** @internal */
  protected transform(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_contrast_nhwc(ctx.rows, ctx.x, ctx.y, this.params!.ptr, this.mean!.ptr, 0, h * w, c, this.valueRange[0], this.valueRange[1]);
  }

  /** @internal */
  protected transformGrad(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_contrast_nhwc_grad(ctx.rows, ctx.x, ctx.dy, ctx.dx, this.params!.ptr, this.mean!.ptr, 0, h * w, c, this.valueRange[0], this.valueRange[1]);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange] };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomContrast {
    return new RandomContrast({
      ...layerArgsFromConfig(c, RandomContrast), seed: c.seed as number | null, dataFormat: c.data_format as string | null,
      factor: c.factor as Factor, valueRange: (c.value_range ?? undefined) as [number, number],
    });
  }
}

/** Arguments for {@link RandomBrightness}. Keras: `keras.layers.RandomBrightness`. */
export interface RandomBrightnessArgs extends RandomImageArgs {
  /** The shift as a fraction of the value range: f for [−f, f], or [lower, upper], in [−1, 1]. */
  factor: Factor;
  /** [low, high] of the pixel values; outputs are clipped to it. Default [0, 255]. */
  valueRange?: [number, number];
}

/** y = clip(x + d, low, high), d = U(factor)·(high − low) drawn per image (all channels). */
export class RandomBrightness extends RandomImageLayer {
  static override readonly className = 'RandomBrightness';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, ...RANDOM_IMAGE_ARGS, 'factor', 'valueRange'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, ...RANDOM_IMAGE_CONFIG, 'factor', 'value_range'];
  /** The shift as a fraction of the value range: f for [−f, f], or [lower, upper], in [−1, 1]. */
  readonly factor: [number, number];
  /** [low, high] of the pixel values; outputs are clipped to it. Default [0, 255]. */
  readonly valueRange: [number, number];

  constructor(args: RandomBrightnessArgs) {
    super(args);
    this.factor = parseFactor('factor', args.factor, -1, 1);
    this.valueRange = parseValueRange(args.valueRange ?? [0, 255]);
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 1;
  }

  /** @internal */
  protected get paramsPerSample(): number {
    return 1;
  }

  /** @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const [lo, hi] = this.factor;
    m[p] = (lo + m[u]! * (hi - lo)) * (this.valueRange[1] - this.valueRange[0]);
  }

  /** @internal */
  protected transform(ctx: StepContext): void {
    ctx.k.f32_brightness_nhwc(ctx.rows, ctx.x, ctx.y, this.params!.ptr, 0, shapeSize(this.inputShape!), this.valueRange[0], this.valueRange[1]);
  }

  /** @internal */
  protected transformGrad(ctx: StepContext): void {
    ctx.k.f32_brightness_nhwc_grad(ctx.rows, ctx.x, ctx.dy, ctx.dx, this.params!.ptr, 0, shapeSize(this.inputShape!), this.valueRange[0], this.valueRange[1]);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor], value_range: [...this.valueRange] };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomBrightness {
    return new RandomBrightness({
      ...layerArgsFromConfig(c, RandomBrightness), seed: c.seed as number | null, dataFormat: c.data_format as string | null,
      factor: c.factor as Factor, valueRange: (c.value_range ?? undefined) as [number, number],
    });
  }
}

/** Arguments for {@link Rescaling}. Keras: `keras.layers.Rescaling`. */
export interface RescalingArgs extends LayerArgs {
  /** The factor, e.g. 1 / 255. A number (per-channel arrays are not supported). */
  scale: number;
  /** Added after scaling. Default 0. */
  offset?: number;
}

/** y = x·scale + offset, in training and inference alike. Any input shape. */
export class Rescaling extends Layer {
  static override readonly className = 'Rescaling';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'scale', 'offset'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'scale', 'offset'];
  /** The factor, e.g. 1 / 255. A number (per-channel arrays are not supported). */
  readonly scale: number;
  /** Added after scaling. Default 0. */
  readonly offset: number;

  constructor(args: RescalingArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { scale, offset }', args);
    super(args);
    if (Array.isArray(args.scale)) throw invalidArgument('scale', 'a number (per-channel scales are not supported; use a depthwiseConv2d 1×1 with fixed weights)', args.scale);
    this.scale = checkFinite('scale', args.scale);
    this.offset = checkFinite('offset', args.offset ?? 0);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_rescale(ctx.rows * shapeSize(this.inputShape!), ctx.x, ctx.y, this.scale, this.offset);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    ctx.k.f32_vscale(ctx.rows * shapeSize(this.inputShape!), ctx.dy, ctx.dx, this.scale);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Rescaling {
    return new Rescaling({ ...layerArgsFromConfig(c, Rescaling), scale: c.scale as number, offset: (c.offset ?? undefined) as number });
  }
}

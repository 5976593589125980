// Keras 3's RandomFlip and RandomCrop on the f32_flip_nhwc and f32_crop_nhwc kernels. See
// augment-base.ts for the training/inference rule and the draws.
import { checkPositiveInt, ValueError } from '../errors.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, layerArgsFromConfig } from './layer.js';
import type { Shape, StepContext } from './layer.js';
import { RANDOM_IMAGE_ARGS, RANDOM_IMAGE_CONFIG, RandomImageLayer, checkChoice } from './augment-base.js';
import type { RandomImageArgs } from './augment-base.js';

/** Arguments for {@link RandomFlip}. Keras: `keras.layers.RandomFlip`. */
export interface RandomFlipArgs extends RandomImageArgs {
  /** 'horizontal', 'vertical' or 'horizontal_and_vertical' (default; Keras flips both axes together, on one draw). */
  mode?: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
}

const FLIP_MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;

/** Flips each image with probability ½ (Keras: uniform ≤ 0.5). Its own adjoint. */
export class RandomFlip extends RandomImageLayer {
  static override readonly className = 'RandomFlip';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, ...RANDOM_IMAGE_ARGS, 'mode'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, ...RANDOM_IMAGE_CONFIG, 'mode'];
  /** 'horizontal', 'vertical' or 'horizontal_and_vertical' (default; Keras flips both axes together, on one draw). */
  readonly mode: 'horizontal' | 'vertical' | 'horizontal_and_vertical';
  private readonly flags: number;

  constructor(args: RandomFlipArgs = {}) {
    super(args);
    this.mode = checkChoice('mode', args.mode ?? 'horizontal_and_vertical', FLIP_MODES);
    this.flags = FLIP_MODES.indexOf(this.mode) + 1;
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
    m[p] = m[u]! <= 0.5 ? this.flags : 0;
  }

  /** @internal */
  protected transform(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_flip_nhwc(ctx.rows, ctx.x, ctx.y, this.params!.ptr, 0, h, w, c);
  }

  /** @internal */
  protected transformGrad(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_flip_nhwc(ctx.rows, ctx.dy, ctx.dx, this.params!.ptr, 0, h, w, c);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mode: this.mode };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomFlip {
    return new RandomFlip({ ...layerArgsFromConfig(c, RandomFlip), seed: c.seed as number | null, dataFormat: c.data_format as string | null, mode: (c.mode ?? undefined) as RandomFlipArgs['mode'] });
  }
}

/** Arguments for {@link RandomCrop}. Keras: `keras.layers.RandomCrop`. */
export interface RandomCropArgs extends RandomImageArgs {
  /** Height of the crop (≤ the input's). */
  height: number;
  /** Width of the crop (≤ the input's). */
  width: number;
}

/**
 * Crops a height × width window: in training at a uniform offset per sample when the input is
 * larger on both axes (else centred, as Keras), in inference the centre crop.
 */
export class RandomCrop extends RandomImageLayer {
  static override readonly className = 'RandomCrop';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, ...RANDOM_IMAGE_ARGS, 'height', 'width'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, ...RANDOM_IMAGE_CONFIG, 'height', 'width'];
  /** Height of the crop (≤ the input's). */
  readonly height: number;
  /** Width of the crop (≤ the input's). */
  readonly width: number;

  constructor(args: RandomCropArgs) {
    super(args);
    this.height = checkPositiveInt('height', args.height);
    this.width = checkPositiveInt('width', args.width);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  override computeOutputShape(inputShape: Shape): Shape {
    const [h, w, c] = inputShape as [number, number, number];
    if (h < this.height || w < this.width) {
      throw new ValueError(`RandomCrop layer "${this.name}": the crop (height=${this.height}, width=${this.width}) must fit in the input ` +
        `(${h} × ${w}); Keras would resize a smaller input up, kerasm does not: pad it first (zeroPadding2d) or crop smaller. Received input shape: [null, ${inputShape.join(', ')}]`);
    }
    return [this.height, this.width, c];
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 2;
  }

  /** @internal */
  protected get paramsPerSample(): number {
    return 2;
  }

  /** Keras's offsets: uniform in [0, H − height + 1) cast to an integer when both axes are larger, else the centre. @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const [h, w] = this.hwc;
    const random = h > this.height && w > this.width;
    m[p] = random ? Math.trunc(m[u]! * (h - this.height + 1)) : Math.trunc((h - this.height) / 2);
    m[p + 1] = random ? Math.trunc(m[u + 1]! * (w - this.width + 1)) : Math.trunc((w - this.width) / 2);
  }

  private crop(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_crop_nhwc(ctx.rows, ctx.x, ctx.y, this.params!.ptr, 0, h, w, c, this.height, this.width);
  }

  private cropGrad(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_crop_nhwc_grad(ctx.rows, ctx.dy, ctx.dx, this.params!.ptr, 0, h, w, c, this.height, this.width);
  }

  /** Inference: the centre crop, every sample at ((H − height)/2, (W − width)/2) rounded down. @internal */
  protected override identity(ctx: StepContext): void {
    const [h, w] = this.hwc;
    const m = ctx.arena.f32;
    const p0 = this.params!.ptr >> 2;
    for (let b = 0; b < ctx.rows; b++) {
      m[p0 + 2 * b] = Math.trunc((h - this.height) / 2);
      m[p0 + 2 * b + 1] = Math.trunc((w - this.width) / 2);
    }
    this.crop(ctx);
  }

  /** @internal */
  protected override identityGrad(ctx: StepContext): void {
    this.cropGrad(ctx);
  }

  /** @internal */
  protected transform(ctx: StepContext): void {
    this.crop(ctx);
  }

  /** @internal */
  protected transformGrad(ctx: StepContext): void {
    this.cropGrad(ctx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomCrop {
    return new RandomCrop({ ...layerArgsFromConfig(c, RandomCrop), seed: c.seed as number | null, dataFormat: c.data_format as string | null, height: c.height as number, width: c.width as number });
  }
}

// Keras 3's resampling augmentation layers: RandomTranslation, RandomRotation, RandomZoom (each
// resamples on its own through f32_affine_nhwc, TensorFlow's ImageProjectiveTransformV3 with
// Keras's matrices; RandomFlip and RandomCrop are in augment-flip-crop.ts). See augment-base.ts
// for the training/inference rule and the draws.
import { checkFinite } from '../errors.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, layerArgsFromConfig } from './layer.js';
import type { StepContext } from './layer.js';
import { FILL_MODES, INTERPOLATIONS, RANDOM_IMAGE_ARGS, RANDOM_IMAGE_CONFIG, RandomImageLayer, checkChoice, parseFactor } from './augment-base.js';
import type { FillMode, Interpolation, RandomImageArgs } from './augment-base.js';

/** A factor as Keras takes it: f for [−f, f], or [lower, upper]. */
export type Factor = number | [number, number];

/** The options of the resampling layers. */
export interface AffineArgs extends RandomImageArgs {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant' (fillValue) or 'nearest'. */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
  /** The value of points outside the image with fillMode 'constant'. Default 0. */
  fillValue?: number;
}

const AFFINE_ARGS = [...LAYER_ARG_NAMES, ...RANDOM_IMAGE_ARGS, 'fillMode', 'interpolation', 'fillValue'];
const AFFINE_CONFIG = [...LAYER_CONFIG_KEYS, ...RANDOM_IMAGE_CONFIG, 'fill_mode', 'interpolation', 'fill_value'];

function affineArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): AffineArgs {
  return {
    ...layerArgsFromConfig(c, cls), seed: c.seed as number | null, dataFormat: c.data_format as string | null,
    fillMode: (c.fill_mode ?? undefined) as FillMode, interpolation: (c.interpolation ?? undefined) as Interpolation, fillValue: (c.fill_value ?? undefined) as number,
  };
}

/** A layer that resamples each image by a per-sample 2×3 transform (output pixel → input point). */
export abstract class AffineLayer extends RandomImageLayer {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant' (fillValue) or 'nearest'. */
  readonly fillMode: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  readonly interpolation: Interpolation;
  /** The value of points outside the image with fillMode 'constant'. Default 0. */
  readonly fillValue: number;

  constructor(args: AffineArgs) {
    super(args);
    this.fillMode = checkChoice('fillMode', args.fillMode ?? 'reflect', FILL_MODES);
    this.interpolation = checkChoice('interpolation', args.interpolation ?? 'bilinear', INTERPOLATIONS);
    this.fillValue = checkFinite('fillValue', args.fillValue ?? 0);
  }

  /** @internal */
  protected get paramsPerSample(): number {
    return 6;
  }

  /** Write the transform (a0, a1, a2, b0, b1, b2) of one sample at m[p …]. @internal */
  protected static setTransform(m: Float32Array, p: number, t: readonly [number, number, number, number, number, number]): void {
    for (let i = 0; i < 6; i++) m[p + i] = t[i]!;
  }

  /** @internal */
  protected transform(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_affine_nhwc(ctx.rows * h, ctx.x, ctx.y, this.params!.ptr, 0, h, w, c, FILL_MODES.indexOf(this.fillMode), this.interpolation === 'bilinear' ? 1 : 0, this.fillValue);
  }

  /** @internal */
  protected transformGrad(ctx: StepContext): void {
    const [h, w, c] = this.hwc;
    ctx.k.f32_affine_nhwc_grad(ctx.rows, ctx.dy, ctx.dx, this.params!.ptr, 0, h, w, c, FILL_MODES.indexOf(this.fillMode), this.interpolation === 'bilinear' ? 1 : 0);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), fill_mode: this.fillMode, interpolation: this.interpolation, fill_value: this.fillValue };
  }
}

/** Arguments for {@link RandomTranslation}. Keras: `keras.layers.RandomTranslation`. */
export interface RandomTranslationArgs extends AffineArgs {
  /** Vertical shift as a fraction of the height: f for [−f, f], or [lower, upper], in [−1, 1]; positive moves the image down. */
  heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, as heightFactor; positive moves the image right. */
  widthFactor: Factor;
}

/** Shifts each image by (dy, dx) = (U(h range)·height, U(w range)·width) pixels (not rounded), filling per fillMode. */
export class RandomTranslation extends AffineLayer {
  static override readonly className = 'RandomTranslation';
  /** @internal */
  static override readonly argNames: readonly string[] = [...AFFINE_ARGS, 'heightFactor', 'widthFactor'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...AFFINE_CONFIG, 'height_factor', 'width_factor'];
  /** Vertical shift as a fraction of the height: f for [−f, f], or [lower, upper], in [−1, 1]; positive moves the image down. */
  readonly heightFactor: Factor;
  /** Horizontal shift as a fraction of the width, as heightFactor; positive moves the image right. */
  readonly widthFactor: Factor;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args);
    this.hRange = parseFactor('heightFactor', args.heightFactor, -1, 1);
    this.wRange = parseFactor('widthFactor', args.widthFactor, -1, 1);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 2;
  }

  /** @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const [h, w] = this.hwc;
    const ty = (this.hRange[0] + m[u]! * (this.hRange[1] - this.hRange[0])) * h;
    const tx = (this.wRange[0] + m[u + 1]! * (this.wRange[1] - this.wRange[0])) * w;
    AffineLayer.setTransform(m, p, [1, 0, -tx, 0, 1, -ty]);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height_factor: this.heightFactor, width_factor: this.widthFactor };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomTranslation {
    return new RandomTranslation({ ...affineArgsFromConfig(c, RandomTranslation), heightFactor: c.height_factor as Factor, widthFactor: c.width_factor as Factor });
  }
}

/** Arguments for {@link RandomRotation}. Keras: `keras.layers.RandomRotation`. */
export interface RandomRotationArgs extends AffineArgs {
  /** Rotation in fractions of a full turn: f for [−f, f]·360°, or [lower, upper], in [−1, 1]; positive is counter-clockwise. */
  factor: Factor;
}

/** Rotates each image by U(factor)·2π about ((w − 1)/2, (h − 1)/2) (Keras's affine matrix). */
export class RandomRotation extends AffineLayer {
  static override readonly className = 'RandomRotation';
  /** @internal */
  static override readonly argNames: readonly string[] = [...AFFINE_ARGS, 'factor'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...AFFINE_CONFIG, 'factor'];
  /** [lower, upper] in turns (Keras keeps and saves the pair). */
  readonly factor: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args);
    this.factor = parseFactor('factor', args.factor, -1, 1);
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 1;
  }

  /** @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const [h, w] = this.hwc;
    const [lo, hi] = this.factor;
    const degrees = lo * 360 + m[u]! * (hi * 360 - lo * 360);
    const angle = degrees * (Math.PI / 180);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const cx = 0.5 * (w - 1);
    const cy = 0.5 * (h - 1);
    AffineLayer.setTransform(m, p, [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos]);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), factor: [...this.factor] };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomRotation {
    return new RandomRotation({ ...affineArgsFromConfig(c, RandomRotation), factor: c.factor as Factor });
  }
}

/** Arguments for {@link RandomZoom}. Keras: `keras.layers.RandomZoom`. */
export interface RandomZoomArgs extends AffineArgs {
  /** Zoom as a fraction: f for [−f, f], or [lower, upper], in (−1, 1]; positive zooms out (the image shrinks). */
  heightFactor: Factor;
  /** The same for the width; unset (null): the height's draw, keeping the aspect ratio. */
  widthFactor?: Factor | null;
}

/** Scales each image by (1 + U(width), 1 + U(height)) about ((w − 1)/2, (h − 1)/2). */
export class RandomZoom extends AffineLayer {
  static override readonly className = 'RandomZoom';
  /** @internal */
  static override readonly argNames: readonly string[] = [...AFFINE_ARGS, 'heightFactor', 'widthFactor'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...AFFINE_CONFIG, 'height_factor', 'width_factor'];
  /** Zoom as a fraction: f for [−f, f], or [lower, upper], in (−1, 1]; positive zooms out (the image shrinks). */
  readonly heightFactor: Factor;
  /** The same for the width; unset (null): the height's draw, keeping the aspect ratio. */
  readonly widthFactor: Factor | null;
  private readonly hRange: [number, number];
  private readonly wRange: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args);
    this.hRange = parseFactor('heightFactor', args.heightFactor, -1, 1, true);
    this.wRange = args.widthFactor === undefined || args.widthFactor === null ? null : parseFactor('widthFactor', args.widthFactor, -1, 1, true);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
  }

  /** @internal */
  protected get drawsPerSample(): number {
    return 2;
  }

  /** @internal */
  protected setParams(m: Float32Array, u: number, p: number): void {
    const [h, w] = this.hwc;
    const zy = 1 + this.hRange[0] + m[u]! * (this.hRange[1] - this.hRange[0]);
    const zx = this.wRange === null ? zy : 1 + this.wRange[0] + m[u + 1]! * (this.wRange[1] - this.wRange[0]);
    AffineLayer.setTransform(m, p, [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy)]);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), height_factor: this.heightFactor, width_factor: this.widthFactor };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): RandomZoom {
    return new RandomZoom({ ...affineArgsFromConfig(c, RandomZoom), heightFactor: c.height_factor as Factor, widthFactor: c.width_factor as Factor | null });
  }
}

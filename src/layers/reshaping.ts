// Reshaping layers (Keras 3 keras/src/layers/reshaping/): Reshape (the input's buffer
// reinterpreted, as Flatten), ZeroPadding2D and UpSampling2D on [batch, h, w, c] (f32-pool kernels).
import { ValueError, invalidArgument, show } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { checkChannelsLast, checkInputRank, pyTuple, standardizeTuple } from './spatial-args.js';
import type { DataFormat } from './spatial-args.js';

/** Arguments for {@link Reshape}. Keras: `keras.layers.Reshape`. */
export interface ReshapeArgs extends LayerArgs {
  /**
   * The output shape without the batch; one dimension may be -1 (inferred from the input's size),
   * or null as TF.js writes it in files.
   */
  targetShape: (number | null)[];
}

/** Keras `Reshape`: `[batch, ...]` → `[batch, ...targetShape]`, same elements in the same order; no copy. */
export class Reshape extends Layer {
  static override readonly className = 'Reshape';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'targetShape'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'target_shape'];
  /**
   * The output shape without the batch; one dimension may be -1 (inferred from the input's size),
   * or null as TF.js writes it in files.
   */
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { targetShape }', args);
    super(args);
    const given: unknown = args.targetShape;
    // TF.js keeps an unknown dimension as null (and writes it so); kerasm keeps and writes Keras's -1.
    const t = Array.isArray(given) ? given.map((d: unknown) => (d === null ? -1 : d)) : given;
    if (!Array.isArray(t) || t.length === 0 || t.some((d) => typeof d !== 'number' || !Number.isInteger(d) || (d <= 0 && d !== -1))) {
      throw invalidArgument('targetShape', 'a list of positive integers, one of which may be -1', given);
    }
    if (t.filter((d) => d === -1).length > 1) {
      throw new ValueError(`The \`targetShape\` argument must not contain more than one \`-1\` value. Received: targetShape=${show(given)}`);
    }
    this.targetShape = (t as number[]).slice();
  }

  /** Keras's compute_reshape_output_shape, with its messages. */
  computeOutputShape(inputShape: Shape): Shape {
    const size = shapeSize(inputShape);
    const t = this.targetShape;
    const unknown = t.indexOf(-1);
    if (unknown < 0) {
      if (shapeSize(t) !== size) {
        throw new ValueError(`The total size of the tensor must be unchanged. Received: input_shape=${pyTuple(inputShape)}, target_shape=${pyTuple(t)}`);
      }
      return t.slice();
    }
    const known = t.reduce((p, d) => (d === -1 ? p : p * d), 1);
    if (size % known !== 0) {
      throw new ValueError('The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified dimensions in ' +
        `target_shape. Received: input_shape=${pyTuple(inputShape)}, target_shape=${pyTuple(t)}`);
    }
    const out = t.slice();
    out[unknown] = size / known;
    return out;
  }

  /** @internal */
  override get aliasesInput(): boolean {
    return true;
  }
  /** @internal */
  forward(_ctx: StepContext): void {}
  /** The gradient is the output's, reinterpreted; copied only where the engine gave the input its own buffer (a value read twice). @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0 && ctx.dx !== ctx.dy) ctx.k.f32_vcopy(ctx.rows * shapeSize(this.inputShape!), ctx.dy, ctx.dx);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), target_shape: this.targetShape.slice() };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Reshape {
    return new Reshape({ ...layerArgsFromConfig(c, Reshape), targetShape: c.target_shape as (number | null)[] });
  }
}

/** Arguments for {@link ZeroPadding2D}. Keras: `keras.layers.ZeroPadding2D`. */
export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Zeros added: an integer for every side, `[h, w]` (symmetric), or `[[top, bottom], [left, right]]`.
   * Default 1.
   */
  padding?: number | [number, number] | [[number, number], [number, number]];
  /** Only channels-last. */
  dataFormat?: DataFormat;
}

/** `[[top, bottom], [left, right]]` from Keras's three forms, with its messages. */
function paddingPairs(value: unknown): [[number, number], [number, number]] {
  if (typeof value === 'number') {
    const p = standardizeTuple(value, 2, 'padding', true);
    return [[p[0]!, p[1]!], [p[0]!, p[1]!]];
  }
  if (!Array.isArray(value)) {
    throw new ValueError('`padding` should be either an int, a tuple of 2 ints (symmetric_height_crop, symmetric_width_crop), or a tuple of 2 tuples of 2 ints ' +
      `((top_crop, bottom_crop), (left_crop, right_crop)). Received: padding=${show(value)}.`);
  }
  if (value.length !== 2) throw new ValueError(`\`padding\` should have two elements. Received: padding=${show(value)}.`);
  const h = standardizeTuple(value[0], 2, '1st entry of padding', true);
  const w = standardizeTuple(value[1], 2, '2nd entry of padding', true);
  return [[h[0]!, h[1]!], [w[0]!, w[1]!]];
}

/** Keras `ZeroPadding2D`: `[batch, h, w, c]` → `[batch, top + h + bottom, left + w + right, c]`, zeros around. */
export class ZeroPadding2D extends Layer {
  static override readonly className = 'ZeroPadding2D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'padding', 'dataFormat'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'padding', 'data_format'];
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args);
    checkChannelsLast(ZeroPadding2D.className, this.name, args.dataFormat);
    this.padding = paddingPairs(args.padding ?? 1);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    checkInputRank(this, inputShape, 4);
    const [[top, bottom], [left, right]] = this.padding;
    return [inputShape[0]! + top + bottom, inputShape[1]! + left + right, inputShape[2]!];
  }

  /** The kernels' size arguments: h, w, c, top, bottom, left, right. */
  private get sizes(): [number, number, number, number, number, number, number] {
    const [h, w, c] = this.inputShape as [number, number, number];
    const [[top, bottom], [left, right]] = this.padding;
    return [h, w, c, top, bottom, left, right];
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_zeropad2d_nhwc(ctx.rows, ctx.x, ctx.y, 0, ...this.sizes);
  }
  /** dx = dy without the padding (a crop). @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_zeropad2d_nhwc_grad(ctx.rows, ctx.dy, ctx.dx, 0, ...this.sizes);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => p.slice()), data_format: 'channels_last' };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): ZeroPadding2D {
    return new ZeroPadding2D({
      ...layerArgsFromConfig(c, ZeroPadding2D), padding: (c.padding ?? undefined) as ZeroPadding2DArgs['padding'], dataFormat: (c.data_format ?? undefined) as DataFormat,
    });
  }
}

/** Arguments for {@link UpSampling2D}. Keras: `keras.layers.UpSampling2D`. */
export interface UpSampling2DArgs extends LayerArgs {
  /** Factors [rows, columns], or one integer for both. Default [2, 2]. */
  size?: number | [number, number];
  /** `'nearest'` (default: each pixel repeated) or `'bilinear'` (TensorFlow's resize with half-pixel centres, as Keras). */
  interpolation?: 'nearest' | 'bilinear';
  /** Only channels-last. */
  dataFormat?: DataFormat;
}

/** Keras 3's other resize methods: known, refused by name. */
const OTHER_INTERPOLATIONS = ['bicubic', 'lanczos3', 'lanczos5', 'area'];

/**
 * Keras `UpSampling2D`: `[batch, h, w, c]` → `[batch, h·sh, w·sw, c]`. Bilinear follows Keras 2 and
 * 3 (tf.image.resize: half-pixel centres); TF.js's UpSampling2D calls resizeBilinear without them,
 * so a TF.js bilinear layer gives other values (see docs/design.md).
 */
export class UpSampling2D extends Layer {
  static override readonly className = 'UpSampling2D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'size', 'interpolation', 'dataFormat'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'size', 'interpolation', 'data_format'];
  /** Factors [rows, columns], or one integer for both. Default [2, 2]. */
  readonly size: number[];
  /** `'nearest'` (default: each pixel repeated) or `'bilinear'` (TensorFlow's resize with half-pixel centres, as Keras). */
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args);
    checkChannelsLast(UpSampling2D.className, this.name, args.dataFormat);
    this.size = standardizeTuple(args.size ?? 2, 2, 'size');
    const i: unknown = args.interpolation ?? 'nearest';
    const lower = typeof i === 'string' ? i.toLowerCase() : i;
    if (lower !== 'nearest' && lower !== 'bilinear') {
      const known = typeof lower === 'string' && OTHER_INTERPOLATIONS.includes(lower);
      throw new ValueError(`${known ? `UpSampling2D interpolation ${show(i)} is not supported by kerasm` : 'Invalid value for argument `interpolation`'}: ` +
        `expected 'nearest' or 'bilinear'. Received: interpolation=${show(i)}`);
    }
    this.interpolation = lower;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    checkInputRank(this, inputShape, 4);
    return [inputShape[0]! * this.size[0]!, inputShape[1]! * this.size[1]!, inputShape[2]!];
  }

  /** The kernels' size arguments: h, w, c, sh, sw. */
  private get sizes(): [number, number, number, number, number] {
    const [h, w, c] = this.inputShape as [number, number, number];
    return [h, w, c, this.size[0]!, this.size[1]!];
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const s = this.sizes;
    if (this.interpolation === 'nearest') ctx.k.f32_upsample2d_nearest_nhwc(ctx.rows * s[0], ctx.x, ctx.y, 0, ...s);
    else ctx.k.f32_upsample2d_bilinear_nhwc(ctx.rows * s[0] * s[3], ctx.x, ctx.y, 0, ...s, 1);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const s = this.sizes;
    if (this.interpolation === 'nearest') ctx.k.f32_upsample2d_nearest_nhwc_grad(ctx.rows * s[0], ctx.dy, ctx.dx, 0, ...s);
    else ctx.k.f32_upsample2d_bilinear_nhwc_grad(ctx.rows, ctx.dy, ctx.dx, 0, ...s, 1);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size.slice(), data_format: 'channels_last', interpolation: this.interpolation };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): UpSampling2D {
    return new UpSampling2D({
      ...layerArgsFromConfig(c, UpSampling2D), size: (c.size ?? undefined) as UpSampling2DArgs['size'],
      interpolation: (c.interpolation ?? undefined) as UpSampling2DArgs['interpolation'], dataFormat: (c.data_format ?? undefined) as DataFormat,
    });
  }
}

// Windowed pooling (Keras 3 keras/src/layers/pooling/): MaxPooling2D, AveragePooling2D on
// [batch, height, width, channels] and MaxPooling1D, AveragePooling1D on [batch, steps, channels],
// on the f32-pool kernels. A pool is a convolution's window without weights, so its sizes are the
// f32-conv geometry (src/backend/conv.ts convGeometry, dilation 1, cout = cin): TensorFlow's
// 'same' pads (the extra cell at the bottom/right), 'valid' dropping the remainder. A 1-D pool is
// a 2-D one of height 1. The geometry block is written into the step's workspace before each call,
// as the convolutions do. Max pooling sends each gradient to the first maximum of its window
// (TensorFlow's MaxPoolGrad); average pooling averages over a window's real cells ('same' too).
import { GEOMETRY_BYTES, convGeometry, writeGeometry } from '../backend/conv.js';
import type { ConvGeometry } from '../backend/conv.js';
import type { KernelExports } from '../backend/kernels.js';
import { ValueError, invalidArgument } from '../errors.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { checkChannelsLast, checkInputRank, standardizePadding, standardizeTuple } from './spatial-args.js';
import type { DataFormat } from './spatial-args.js';

/** Arguments of {@link MaxPooling2D} and {@link AveragePooling2D}. Keras: `keras.layers.MaxPooling2D`. */
export interface Pooling2DArgs extends LayerArgs {
  /** Window [height, width], or one integer for both. Default [2, 2]. */
  poolSize?: number | [number, number];
  /** Step of the window; default (or null) the pool size. */
  strides?: number | [number, number] | null;
  /** `'valid'` (default: windows inside the input) or `'same'` (output ceil(in / stride), TensorFlow's pads). */
  padding?: 'valid' | 'same';
  /** Only channels-last (`'channelsLast'`, Keras `'channels_last'`); channels-first is refused. */
  dataFormat?: DataFormat;
}

/** Arguments of {@link MaxPooling1D} and {@link AveragePooling1D}. Keras: `keras.layers.MaxPooling1D`. */
export interface Pooling1DArgs extends LayerArgs {
  /** Window length (or a one-element list). Default 2. */
  poolSize?: number | [number];
  /** Step of the window; default (or null) the pool size. */
  strides?: number | [number] | null;
  /** `'valid'` (default: windows inside the input) or `'same'` (output ceil(steps / stride), TensorFlow's pads). */
  padding?: 'valid' | 'same';
  /** Only channels-last ([batch, steps, channels]). */
  dataFormat?: DataFormat;
}

const POOL_ARGS: readonly string[] = [...LAYER_ARG_NAMES, 'poolSize', 'strides', 'padding', 'dataFormat'];
const POOL_CONFIG: readonly string[] = [...LAYER_CONFIG_KEYS, 'pool_size', 'strides', 'padding', 'data_format'];

/** Keras's output size of one axis, before the check that it is positive. */
function outputSize(size: number, pool: number, stride: number, padding: 'valid' | 'same'): number {
  return padding === 'valid' ? Math.floor((size - pool) / stride) + 1 : Math.ceil(size / stride);
}

/** NumPy's printing of an int array, as Keras's pooling error shows its shapes: `[None 1 1 3]`. */
function npArray(values: readonly (number | null)[]): string {
  return `[${values.map((v) => (v === null ? 'None' : String(v))).join(' ')}]`;
}

/** The windowed pools: the arguments, the output shape and geometry, the four kernels' calls. */
abstract class Pooling extends Layer {
  /** Window [height, width], or one integer for both. Default [2, 2]. */
  readonly poolSize: number[];
  /** Step of the window; default (or null) the pool size. */
  readonly strides: number[];
  /** `'valid'` (default: windows inside the input) or `'same'` (output ceil(in / stride), TensorFlow's pads). */
  readonly padding: 'valid' | 'same';
  /** Spatial dimensions: 2 for images, 1 for sequences. */
  private readonly rank: 1 | 2;
  private geometry: ConvGeometry | null = null;

  constructor(args: Pooling1DArgs | Pooling2DArgs, rank: 1 | 2) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { poolSize, strides, padding }', args);
    super(args);
    this.rank = rank;
    const cls = this.constructor as typeof Layer;
    checkChannelsLast(cls.className, this.name, args.dataFormat);
    this.poolSize = standardizeTuple(args.poolSize ?? 2, rank, 'poolSize');
    this.strides = args.strides === undefined || args.strides === null ? this.poolSize.slice() : standardizeTuple(args.strides, rank, 'strides');
    this.padding = standardizePadding(args.padding ?? 'valid');
  }

  /** [..., channels] → pooled spatial sizes, channels; Keras's error where a 'valid' pool does not fit. */
  computeOutputShape(inputShape: Shape): Shape {
    checkInputRank(this, inputShape, this.rank + 2);
    const spatial = inputShape.slice(0, this.rank);
    const out = spatial.map((s, i) => outputSize(s, this.poolSize[i]!, this.strides[i]!, this.padding));
    if (out.some((o) => o <= 0)) {
      // Keras refuses a negative size; a zero one it would compute as an empty tensor, which kerasm does not make.
      const which = out.some((o) => o < 0) ? 'negative' : 'zero (kerasm makes no empty tensors)';
      throw new ValueError(`Computed output size would be ${which}. Received: \`inputs.shape=${npArray([null, ...inputShape])}\` and ` +
        `\`pool_size=${npArray(this.poolSize)}\`.`);
    }
    return [...out, inputShape[this.rank]!];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    const [inH, inW] = this.rank === 2 ? [inputShape[0]!, inputShape[1]!] : [1, inputShape[0]!];
    const [kh, kw] = this.rank === 2 ? [this.poolSize[0]!, this.poolSize[1]!] : [1, this.poolSize[0]!];
    const [strideH, strideW] = this.rank === 2 ? [this.strides[0]!, this.strides[1]!] : [1, this.strides[0]!];
    const c = inputShape[this.rank]!;
    this.geometry = convGeometry({ inH, inW, cin: c, kh, kw, cout: c, strideH, strideW, padding: this.padding, rank: this.rank });
  }

  /** The geometry block, in the workspace. @internal */
  override workspaceBytes(_k: KernelExports, _rows: number): number {
    return GEOMETRY_BYTES;
  }

  /** The geometry for this step, written at ctx.ws. @internal */
  protected window(ctx: StepContext): ConvGeometry {
    const g = this.geometry!;
    g.batch = ctx.rows;
    writeGeometry(ctx, g, ctx.ws);
    return g;
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), pool_size: this.poolSize.slice(), padding: this.padding, strides: this.strides.slice(), data_format: 'channels_last' };
  }
}

/** What layerArgsFromConfig reads of a class. */
type ConfigClass = { readonly className: string; readonly configKeys: readonly string[] };

/** The arguments of a pooling layer's config (Keras and TF.js: pool_size, strides, padding, data_format). */
function poolArgsFromConfig(c: Record<string, unknown>, cls: ConfigClass): Pooling2DArgs {
  return {
    ...layerArgsFromConfig(c, cls), poolSize: (c.pool_size ?? undefined) as Pooling2DArgs['poolSize'], strides: c.strides as Pooling2DArgs['strides'],
    padding: (c.padding ?? undefined) as Pooling2DArgs['padding'], dataFormat: (c.data_format ?? undefined) as DataFormat,
  };
}

/** Max pooling: the first maximum of each window's real cells. */
abstract class MaxPooling extends Pooling {
  /** @internal */
  forward(ctx: StepContext): void {
    const g = this.window(ctx);
    ctx.k.f32_maxpool2d_nhwc(ctx.rows * g.outH, ctx.x, ctx.y, ctx.ws, 0);
  }
  /** Each dy to the first cell of its window equal to y (found again from x and y: no argmax buffer). @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    this.window(ctx);
    ctx.k.f32_maxpool2d_nhwc_grad(ctx.rows, ctx.x, ctx.y, ctx.dy, ctx.dx, ctx.ws, 0);
  }
}

/** Average pooling: the mean of each window's real cells. */
abstract class AveragePooling extends Pooling {
  /** @internal */
  forward(ctx: StepContext): void {
    const g = this.window(ctx);
    ctx.k.f32_avgpool2d_nhwc(ctx.rows * g.outH, ctx.x, ctx.y, ctx.ws, 0);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const g = this.window(ctx);
    ctx.k.f32_avgpool2d_nhwc_grad(ctx.rows * g.inH, ctx.dy, ctx.dx, ctx.ws, 0);
  }
}

/** Keras `MaxPooling2D`: `[batch, h, w, c]` → `[batch, outH, outW, c]`, the maximum of each window. */
export class MaxPooling2D extends MaxPooling {
  static override readonly className = 'MaxPooling2D';
  /** @internal */
  static override readonly argNames = POOL_ARGS;
  /** @internal */
  static override readonly configKeys = POOL_CONFIG;
  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): MaxPooling2D {
    return new MaxPooling2D(poolArgsFromConfig(c, MaxPooling2D));
  }
}

/** Keras `AveragePooling2D`: `[batch, h, w, c]` → `[batch, outH, outW, c]`, the mean of each window. */
export class AveragePooling2D extends AveragePooling {
  static override readonly className = 'AveragePooling2D';
  /** @internal */
  static override readonly argNames = POOL_ARGS;
  /** @internal */
  static override readonly configKeys = POOL_CONFIG;
  constructor(args: Pooling2DArgs = {}) {
    super(args, 2);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): AveragePooling2D {
    return new AveragePooling2D(poolArgsFromConfig(c, AveragePooling2D));
  }
}

/** Keras `MaxPooling1D`: `[batch, steps, c]` → `[batch, outSteps, c]`. */
export class MaxPooling1D extends MaxPooling {
  static override readonly className = 'MaxPooling1D';
  /** @internal */
  static override readonly argNames = POOL_ARGS;
  /** @internal */
  static override readonly configKeys = POOL_CONFIG;
  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): MaxPooling1D {
    return new MaxPooling1D(poolArgsFromConfig(c, MaxPooling1D) as Pooling1DArgs);
  }
}

/** Keras `AveragePooling1D`: `[batch, steps, c]` → `[batch, outSteps, c]`. */
export class AveragePooling1D extends AveragePooling {
  static override readonly className = 'AveragePooling1D';
  /** @internal */
  static override readonly argNames = POOL_ARGS;
  /** @internal */
  static override readonly configKeys = POOL_CONFIG;
  constructor(args: Pooling1DArgs = {}) {
    super(args, 1);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): AveragePooling1D {
    return new AveragePooling1D(poolArgsFromConfig(c, AveragePooling1D) as Pooling1DArgs);
  }
}

// Keras 3 keras/src/layers/regularization/alpha_dropout.py and spatial_dropout.py: dropout
// whose mask may be shared along a run of axes (a Keras `noise_shape` with 1s), applied with the
// f32_vmul_bcast kernel. Training only, as the other noise layers (noise.ts).
import { ValueError, checkRate, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { NoiseLayer } from './noise.js';

/** SELU's constants (Klambauer et al., "Self-normalizing neural networks", 2017), as Keras AlphaDropout. */
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * A mask over `[batch, ...dims]` that broadcasts over one contiguous run of axes [lo, hi): the
 * input is then p×q×r (p = the axes before, q = the run, r = the axes after) and the mask p×r.
 */
abstract class BroadcastMaskLayer extends NoiseLayer {
  private lo = 0;
  private hi = 0;
  /** Sizes of the input axes (without the batch) before, in and after the run. */
  private before = 1;
  private run = 1;
  private after = 1;
  /** The current batch as p×q×r (set by `layout`). @internal */
  protected p = 1;
  /** @internal */
  protected q = 1;
  /** @internal */
  protected r = 1;

  /** Resolve a Keras noise shape (with the batch; null = the input's size, 1 = broadcast). @internal */
  protected setNoiseShape(noiseShape: readonly (number | null)[] | null, inputShape: Shape, argName: string): void {
    this.lo = 0;
    this.hi = 0;
    if (noiseShape !== null) {
      const full = [null, ...inputShape];
      const shown = `[${noiseShape.map((d) => (d === null ? 'null' : d)).join(', ')}]`;
      const bad = (why: string) => new ValueError(`Invalid value received for argument \`${argName}\`: expected ${why}. Received: ${argName}=${shown}`);
      if (noiseShape.length !== full.length) throw bad(`${full.length} dimensions (with the batch) to match the input shape [null, ${inputShape.join(', ')}]`);
      const axes: number[] = [];
      noiseShape.forEach((d, a) => {
        const size = full[a];
        if (d === 1 && size !== 1) axes.push(a);
        else if (!(d === null || (a === 0 && Number.isInteger(d) && d > 0) || d === size)) throw bad(`null, 1 or the input's size on every axis (input shape [null, ${inputShape.join(', ')}])`);
      });
      if (axes.length > 0 && axes[axes.length - 1]! - axes[0]! + 1 !== axes.length) throw bad('the axes of size 1 to be adjacent (one broadcast run, e.g. [null, 1, 1, channels])');
      if (axes.length > 0) {
        this.lo = axes[0]!;
        this.hi = axes[axes.length - 1]! + 1;
      }
    }
    // Product of the input's sizes on axes [from, to), counted with the batch (axis a ≥ 1 is inputShape[a − 1]).
    const prod = (from: number, to: number) => shapeSize(inputShape.slice(Math.max(from, 1) - 1, Math.max(to, 1) - 1));
    this.before = prod(1, this.lo);
    this.run = prod(this.lo, this.hi);
    this.after = prod(this.hi, inputShape.length + 1);
  }

  /** p×q×r of a batch of `rows` rows: the mask is p×r. @internal */
  protected layout(rows: number): void {
    if (this.lo === this.hi) {
      this.p = 1;
      this.q = 1;
      this.r = rows * this.features;
    } else {
      this.p = this.lo === 0 ? 1 : rows * this.before;
      this.q = this.lo === 0 ? rows * this.run : this.run;
      this.r = this.after;
    }
  }

  /** @internal */
  protected noiseFloats(rows: number): number {
    this.layout(rows);
    return this.p * this.r;
  }

  /** @internal */
  protected drawGrad(ctx: StepContext): void {
    this.layout(ctx.rows);
    ctx.k.f32_vmul_bcast(this.p, this.q, this.r, ctx.dy, this.noise!.ptr, ctx.dx, 0, 0);
  }
}

/** Arguments for {@link AlphaDropout}. Keras: `keras.layers.AlphaDropout`. */
export interface AlphaDropoutArgs extends LayerArgs {
  /** Drop probability in [0, 1). */
  rate: number;
  /** Shape of the mask with the batch (null = the input's size, 1 = shared), as Dropout's; default: one value per unit. */
  noiseShape?: (number | null)[] | null;
  /** Seed of this layer's mask stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
}

/**
 * Dropout for SELU networks that keeps the mean and variance: in training each unit is kept with
 * probability 1 − rate, dropped units are set to SELU's saturation α' = −λα, and the result is
 * mapped by `a·x + b` with a = ((1 − rate)(1 + rate·α'²))^(−½), b = −a·α'·rate. Identity otherwise.
 */
export class AlphaDropout extends BroadcastMaskLayer {
  static override readonly className = 'AlphaDropout';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'rate', 'noiseShape', 'seed'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'rate', 'noise_shape', 'seed'];
  /** Drop probability in [0, 1). */
  readonly rate: number;
  /** Shape of the mask with the batch (null = the input's size, 1 = shared), as Dropout's; default: one value per unit. */
  readonly noiseShape: (number | null)[] | null;
  constructor(args: AlphaDropoutArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { rate }', args);
    super(args);
    this.rate = checkRate('rate', args.rate);
    this.noiseShape = args.noiseShape ?? null;
    if (this.noiseShape !== null && (!Array.isArray(this.noiseShape) || this.noiseShape.some((d) => d !== null && !(Number.isInteger(d) && d > 0)))) {
      throw invalidArgument('noiseShape', 'an array of positive integers or nulls', args.noiseShape);
    }
  }
  /** @internal */
  override build(inputShape: Shape): void {
    this.setNoiseShape(this.noiseShape, inputShape, 'noiseShape');
    super.build(inputShape);
  }
  /** @internal */
  protected get enabled(): boolean {
    return this.rate > 0;
  }
  /** @internal */
  protected draw(ctx: StepContext, key0: number, key1: number, counter: number): void {
    this.layout(ctx.rows);
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * this.rate;
    ctx.k.f32_bernoulli(this.p * this.r, this.noise!.ptr, this.rate, a, key0, key1, counter);
    ctx.k.f32_vmul_bcast(this.p, this.q, this.r, ctx.x, this.noise!.ptr, ctx.y, b, a * alphaP + b);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, noise_shape: this.noiseShape };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): AlphaDropout {
    return new AlphaDropout({ ...layerArgsFromConfig(c, AlphaDropout), rate: c.rate as number, seed: c.seed as number | null, noiseShape: c.noise_shape as (number | null)[] | null });
  }
}

/** Arguments for {@link SpatialDropout1D}. Keras: `keras.layers.SpatialDropout1D`. */
export interface SpatialDropout1DArgs extends LayerArgs {
  /** Fraction of the channels to drop, in [0, 1). */
  rate: number;
  /** Seed of this layer's mask stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
}

/** Arguments for {@link SpatialDropout2D}. Keras: `keras.layers.SpatialDropout2D`. */
export interface SpatialDropout2DArgs extends SpatialDropout1DArgs {
  /** `'channelsLast'` (default, `[batch, h, w, channels]`) or `'channelsFirst'` (`[batch, channels, h, w]`); Keras spellings too. */
  dataFormat?: 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first';
}

/** Inverted dropout of whole feature maps: one mask value per (sample, channel), scaled by 1/(1 − rate). */
abstract class SpatialDropout extends BroadcastMaskLayer {
  /** Fraction of the channels to drop, in [0, 1). */
  readonly rate: number;
  constructor(args: SpatialDropout1DArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { rate }', args);
    super(args);
    this.rate = checkRate('rate', args.rate);
  }
  /** Input rank without the batch, and the Keras noise shape for it. @internal */
  protected abstract readonly rank: number;
  /** @internal */
  protected abstract noiseShapeFor(inputShape: Shape): (number | null)[];
  /** @internal */
  override build(inputShape: Shape): void {
    if (inputShape.length !== this.rank) {
      throw new ValueError(`Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=${this.rank + 1}, found ndim=${inputShape.length + 1}. Full shape received: (None, ${inputShape.join(', ')})`);
    }
    this.setNoiseShape(this.noiseShapeFor(inputShape), inputShape, 'noiseShape');
    super.build(inputShape);
  }
  /** @internal */
  protected get enabled(): boolean {
    return this.rate > 0;
  }
  /** @internal */
  protected draw(ctx: StepContext, key0: number, key1: number, counter: number): void {
    this.layout(ctx.rows);
    ctx.k.f32_dropout_mask(this.p * this.r, this.noise!.ptr, this.rate, key0, key1, counter, 0);
    ctx.k.f32_vmul_bcast(this.p, this.q, this.r, ctx.x, this.noise!.ptr, ctx.y, 0, 0);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Drops whole channels of `[batch, steps, channels]` (Keras noise shape `[batch, 1, channels]`). */
export class SpatialDropout1D extends SpatialDropout {
  static override readonly className = 'SpatialDropout1D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'rate', 'seed'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'rate', 'seed'];
  /** @internal */
  protected readonly rank = 2;
  /** @internal */
  protected noiseShapeFor(): (number | null)[] {
    return [null, 1, null];
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): SpatialDropout1D {
    return new SpatialDropout1D({ ...layerArgsFromConfig(c, SpatialDropout1D), rate: c.rate as number, seed: c.seed as number | null });
  }
}

/** Drops whole feature maps of `[batch, h, w, channels]` (or `[batch, channels, h, w]` with channelsFirst). */
export class SpatialDropout2D extends SpatialDropout {
  static override readonly className = 'SpatialDropout2D';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'rate', 'seed', 'dataFormat'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'rate', 'seed', 'data_format'];
  /** @internal */
  protected readonly rank = 3;
  /** `'channelsLast'` (default, `[batch, h, w, channels]`) or `'channelsFirst'` (`[batch, channels, h, w]`); Keras spellings too. */
  readonly dataFormat: 'channelsLast' | 'channelsFirst';
  constructor(args: SpatialDropout2DArgs) {
    super(args);
    const f = args.dataFormat ?? 'channelsLast';
    if (f === 'channelsLast' || f === 'channels_last') this.dataFormat = 'channelsLast';
    else if (f === 'channelsFirst' || f === 'channels_first') this.dataFormat = 'channelsFirst';
    else throw invalidArgument('dataFormat', "'channelsLast' or 'channelsFirst'", f);
  }
  /** @internal */
  protected noiseShapeFor(): (number | null)[] {
    return this.dataFormat === 'channelsLast' ? [null, 1, 1, null] : [null, null, 1, 1];
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: this.dataFormat === 'channelsLast' ? 'channels_last' : 'channels_first' };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): SpatialDropout2D {
    const dataFormat = (c.data_format ?? undefined) as SpatialDropout2DArgs['dataFormat'];
    return new SpatialDropout2D({ ...layerArgsFromConfig(c, SpatialDropout2D), rate: c.rate as number, seed: c.seed as number | null, dataFormat });
  }
}

// The noise layers of Keras 3 keras/src/layers/regularization/: gaussian_noise.py and
// gaussian_dropout.py here, alpha_dropout.py and spatial_dropout.py in broadcast-dropout.ts.
// Active in training only (fit, and predict with `training: true`, i.e. MC dropout), the
// identity otherwise. Each layer draws from its own Philox stream in wasm, keyed as Dropout keys
// its masks (seed → key0, key1) with one counter step per training forward, so every step gets
// fresh noise.
import type { Arena, Region } from '../backend/memory.js';
import { checkNonNegative, checkRate, invalidArgument } from '../errors.js';
import { KeyedStream } from '../random.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Seeding, the stream position, the noise buffer and the training flag shared by the noise layers. */
export abstract class NoiseLayer extends Layer {
  /** Seed of this layer's random stream (masks or noise); null: keys drawn from the global stream (`km.setSeed`) at its first training step. */
  readonly seed: number | null;
  private readonly stream = new KeyedStream();
  /** @internal */
  protected noise: Region | null = null;
  /** Whether the last forward pass drew noise (training, with a non-zero rate or stddev). @internal */
  protected active = false;

  constructor(args: LayerArgs & { seed?: number | null }) {
    super(args);
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) throw invalidArgument('seed', 'an integer or null', args.seed);
    this.seed = args.seed ?? null;
  }

  /** Passes its input's mask on unchanged (Keras `supports_masking`). @internal */
  override get propagatesMask(): boolean {
    return true;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.stream.reset(this.seed);
  }

  /** Training forwards so far: the position in this layer's stream. @internal */
  get counter(): number {
    return this.stream.counter;
  }

  /** @internal */
  set counter(c: number) {
    this.stream.counter = c | 0;
  }

  /** The stream's keys and position `[key0, key1, counter]`, as Dropout's (null before an unseeded layer's first draw). @internal */
  get streamState(): [number, number, number] | null {
    return this.stream.state;
  }

  /** @internal */
  set streamState(s: [number, number, number] | null) {
    this.stream.state = s;
  }

  /** @internal */
  protected get features(): number {
    return shapeSize(this.inputShape!);
  }

  /** False when the layer is the identity even in training (rate or stddev 0). @internal */
  protected abstract get enabled(): boolean;
  /** Floats of noise kept between the passes for `rows` rows. @internal */
  protected abstract noiseFloats(rows: number): number;
  /** The training forward, with this step's stream position. @internal */
  protected abstract draw(ctx: StepContext, key0: number, key1: number, counter: number): void;
  /** dx from dy after a training forward. @internal */
  protected abstract drawGrad(ctx: StepContext): void;

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    const n = this.noiseFloats(rows);
    this.noise = n > 0 ? arena.alloc(n * 4) : null;
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.noise !== null) arena.release(this.noise);
    this.noise = null;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    this.active = ctx.training && this.enabled;
    if (!this.active) {
      if (ctx.x !== ctx.y) ctx.k.f32_vcopy(ctx.rows * this.features, ctx.x, ctx.y);
      return;
    }
    const counter = this.stream.next();
    this.draw(ctx, this.stream.key0, this.stream.key1, counter);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    if (this.active) this.drawGrad(ctx);
    else if (ctx.dx !== ctx.dy) ctx.k.f32_vcopy(ctx.rows * this.features, ctx.dy, ctx.dx);
  }
}

/** Arguments for {@link GaussianNoise}. Keras: `keras.layers.GaussianNoise`. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the additive noise, ≥ 0. */
  stddev: number;
  /** Seed of this layer's noise stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
}

/** `y = x + N(0, stddev²)` in training, `y = x` otherwise. Any input shape. */
export class GaussianNoise extends NoiseLayer {
  static override readonly className = 'GaussianNoise';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'stddev', 'seed'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'stddev', 'seed'];
  /** Standard deviation of the additive noise, ≥ 0. */
  readonly stddev: number;
  constructor(args: GaussianNoiseArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { stddev }', args);
    super(args);
    this.stddev = checkNonNegative('stddev', args.stddev);
  }
  /** @internal */
  protected get enabled(): boolean {
    return this.stddev > 0;
  }
  /** @internal */
  protected noiseFloats(): number {
    return 0; // the normals are drawn into y, then x is added
  }
  /** @internal */
  protected draw(ctx: StepContext, key0: number, key1: number, counter: number): void {
    const n = ctx.rows * this.features;
    ctx.k.f32_normal(n, ctx.y, 0, this.stddev, key0, key1, counter);
    ctx.k.f32_vadd(n, ctx.x, ctx.y, ctx.y);
  }
  /** @internal */
  protected drawGrad(ctx: StepContext): void {
    ctx.k.f32_vcopy(ctx.rows * this.features, ctx.dy, ctx.dx);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GaussianNoise {
    return new GaussianNoise({ ...layerArgsFromConfig(c, GaussianNoise), stddev: c.stddev as number, seed: c.seed as number | null });
  }
}

/** Arguments for {@link GaussianDropout}. Keras: `keras.layers.GaussianDropout`. */
export interface GaussianDropoutArgs extends LayerArgs {
  /** Drop probability as in Dropout, in [0, 1): the noise has standard deviation √(rate/(1 − rate)). */
  rate: number;
  /** Seed of this layer's noise stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
}

/** `y = x·N(1, rate/(1 − rate))` in training (the noise kept for the backward pass), `y = x` otherwise. */
export class GaussianDropout extends NoiseLayer {
  static override readonly className = 'GaussianDropout';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'rate', 'seed'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'rate', 'seed'];
  /** Drop probability as in Dropout, in [0, 1): the noise has standard deviation √(rate/(1 − rate)). */
  readonly rate: number;
  constructor(args: GaussianDropoutArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { rate }', args);
    super(args);
    this.rate = checkRate('rate', args.rate);
  }
  /** @internal */
  protected get enabled(): boolean {
    return this.rate > 0;
  }
  /** @internal */
  protected noiseFloats(rows: number): number {
    return rows * this.features;
  }
  /** @internal */
  protected draw(ctx: StepContext, key0: number, key1: number, counter: number): void {
    const n = ctx.rows * this.features;
    ctx.k.f32_normal(n, this.noise!.ptr, 1, Math.sqrt(this.rate / (1 - this.rate)), key0, key1, counter);
    ctx.k.f32_vmul(n, ctx.x, this.noise!.ptr, ctx.y);
  }
  /** @internal */
  protected drawGrad(ctx: StepContext): void {
    ctx.k.f32_vmul(ctx.rows * this.features, ctx.dy, this.noise!.ptr, ctx.dx);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): GaussianDropout {
    return new GaussianDropout({ ...layerArgsFromConfig(c, GaussianDropout), rate: c.rate as number, seed: c.seed as number | null });
  }
}

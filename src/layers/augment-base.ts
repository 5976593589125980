// The base of Keras 3's random image layers (keras/src/layers/preprocessing/image_preprocessing/):
// channels-last images [batch, height, width, channels]; active in training steps (fit, and
// predict with `training: true`), the identity otherwise. Each training forward draws
// `drawsPerSample` uniforms per sample from the layer's own Philox stream in wasm (f32_uniform,
// keyed as Dropout keys its masks, one counter step per forward), turns them into per-sample
// parameters on the host (a few floats a sample, written into the arena: nothing is allocated)
// and runs the layer's kernel; the backward is the kernel's adjoint with the same parameters.
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, invalidArgument, show } from '../errors.js';
import { KeyedStream } from '../random.js';
import { shapeSize } from '../tensor.js';
import { Layer } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { checkChannelsLast, checkInputRank } from './spatial-args.js';

/** The options every random image layer takes besides its own. */
export interface RandomImageArgs extends LayerArgs {
  /** Seed of this layer's stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
  /** Only `'channelsLast'` (Keras `'channels_last'`): kerasm's kernels are NHWC. */
  dataFormat?: string | null;
}

/** The argument names of {@link RandomImageArgs} (besides LayerArgs). */
export const RANDOM_IMAGE_ARGS: readonly string[] = ['seed', 'dataFormat'];
/** The config keys of a random image layer (besides the base ones). */
export const RANDOM_IMAGE_CONFIG: readonly string[] = ['seed', 'data_format', 'bounding_box_format'];

/**
 * Keras's factor forms: a number f gives [−|f|, |f|] (clipped below at `min`), a pair [a, b]
 * gives its sorted values; every number in [min, max] (`openMin`: min excluded, as RandomZoom's
 * −1). Returns [lower, upper].
 */
export function parseFactor(name: string, value: unknown, min: number, max: number, openMin = false): [number, number] {
  const inRange = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && (openMin ? v > min : v >= min) && v <= max;
  const expected = `a number or a list of two numbers in ${openMin ? '(' : '['}${min}, ${max}]`;
  if (typeof value === 'number') {
    if (!inRange(value)) throw invalidArgument(name, expected, value);
    const f = Math.abs(value);
    return [Math.max(-f, min), f];
  }
  if (Array.isArray(value) && value.length === 2 && inRange(value[0]) && inRange(value[1])) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument(name, expected, value);
}

/**
 * How the affine layers fill pixels that come from outside the image (Keras's `fill_mode`):
 * `reflect` mirrors about the edge, `wrap` tiles the image, `constant` uses `fillValue`,
 * `nearest` repeats the edge pixel.
 */
export type FillMode = 'reflect' | 'wrap' | 'constant' | 'nearest';
/** How the affine layers sample between pixels (Keras's `interpolation`). */
export type Interpolation = 'bilinear' | 'nearest';
/** Keras's fill modes and interpolations of the affine layers. */
export const FILL_MODES: readonly FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
export const INTERPOLATIONS: readonly Interpolation[] = ['bilinear', 'nearest'];

/** One of `allowed` (Keras's lower-case spellings). */
export function checkChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalidArgument(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
}

/** Keras's `value_range`: two numbers, sorted. */
export function parseValueRange(value: unknown): [number, number] {
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const [a, b] = value as [number, number];
    return a <= b ? [a, b] : [b, a];
  }
  throw invalidArgument('valueRange', 'a list of two numbers [low, high], e.g. [0, 255] or [0, 1]', value);
}

/** Seeding, the stream position, the draw buffers and the training flag shared by the random image layers. */
export abstract class RandomImageLayer extends Layer {
  /** Seed of this layer's stream; default: drawn from the global stream at the layer's first training step. */
  readonly seed: number | null;
  private readonly stream = new KeyedStream();
  /** Uniforms drawn this step, `drawsPerSample` per sample. */
  private draws: Region | null = null;
  /** Per-sample parameters computed from the draws, `paramsPerSample` per sample. @internal */
  protected params: Region | null = null;
  /** Whether the last forward pass transformed its input (training). @internal */
  protected active = false;
  /**
   * Test-only hook: uniforms in [0, 1) used instead of the drawn ones (`drawsPerSample` per
   * sample, cycled over the batch), so a test can fix the transform. Null: draw from the stream.
   */
  fixedDraws: Float32Array | null = null;

  constructor(args: RandomImageArgs) {
    super(args);
    if (args.seed !== undefined && args.seed !== null && !Number.isInteger(args.seed)) throw invalidArgument('seed', 'an integer or null', args.seed);
    this.seed = args.seed ?? null;
    checkChannelsLast(this.className, this.name, args.dataFormat);
  }

  /** Uniforms drawn per sample in a training forward. @internal */
  protected abstract get drawsPerSample(): number;
  /** Floats of parameters kept per sample between the passes. @internal */
  protected abstract get paramsPerSample(): number;
  /** Turn one sample's uniforms m[u …] into its parameters m[p …] (m: the arena's floats). @internal */
  protected abstract setParams(m: Float32Array, u: number, p: number): void;
  /** The training forward with this step's parameters in `params`. @internal */
  protected abstract transform(ctx: StepContext): void;
  /** dx from dy after a training forward. @internal */
  protected abstract transformGrad(ctx: StepContext): void;

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  override build(inputShape: Shape): void {
    checkInputRank(this, inputShape, 4);
    super.build(inputShape);
    this.stream.reset(this.seed);
  }

  /** [height, width, channels] of the input. @internal */
  protected get hwc(): [number, number, number] {
    const s = this.inputShape!;
    return [s[0]!, s[1]!, s[2]!];
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
  override plan(arena: Arena, rows: number): void {
    this.draws = arena.alloc(Math.max(1, rows * this.drawsPerSample) * 4);
    this.params = arena.alloc(Math.max(1, rows * this.paramsPerSample) * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.draws !== null) arena.release(this.draws);
    if (this.params !== null) arena.release(this.params);
    this.draws = null;
    this.params = null;
  }

  /** Outside training: a copy (RandomCrop: its center crop). @internal */
  protected identity(ctx: StepContext): void {
    ctx.k.f32_vcopy(ctx.rows * shapeSize(this.inputShape!), ctx.x, ctx.y);
  }

  /** The backward of `identity`. @internal */
  protected identityGrad(ctx: StepContext): void {
    if (ctx.dx !== ctx.dy) ctx.k.f32_vcopy(ctx.rows * shapeSize(this.inputShape!), ctx.dy, ctx.dx);
  }

  /** @internal */
  forward(ctx: StepContext): void {
    this.active = ctx.training;
    if (!this.active) {
      this.identity(ctx);
      return;
    }
    const per = this.drawsPerSample;
    const q = this.paramsPerSample;
    const n = ctx.rows * per;
    const counter = this.stream.next();
    const u0 = this.draws!.ptr >> 2;
    ctx.k.f32_uniform(n, this.draws!.ptr, this.stream.key0, this.stream.key1, counter, 0);
    const f32 = ctx.arena.f32;
    const fixed = this.fixedDraws;
    if (fixed !== null) {
      if (fixed.length === 0 || fixed.length % per !== 0) throw new ValueError(`fixedDraws: expected a multiple of ${per} uniforms. Received: ${show(fixed.length)}`);
      for (let i = 0; i < n; i++) f32[u0 + i] = fixed[i % fixed.length]!;
    }
    const p0 = this.params!.ptr >> 2;
    for (let b = 0; b < ctx.rows; b++) this.setParams(f32, u0 + b * per, p0 + b * q);
    this.transform(ctx);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    if (this.active) this.transformGrad(ctx);
    else this.identityGrad(ctx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), seed: this.seed, data_format: 'channels_last' };
  }
}

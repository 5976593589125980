import type { ActivationInfo } from '../activations/index.js';
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, checkRate, invalidArgument } from '../errors.js';
import { KeyedStream } from '../random.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { Fusion, LayerArgs, Shape, StepContext } from './layer.js';

type GradFn = (n: number, x: number, y: number, dy: number, dx: number, alpha: number) => void;

/** Arguments for {@link Dropout}. Keras: `keras.layers.Dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of the input units to drop, in [0, 1). */
  rate: number;
  /**
   * Shape of the binary mask, with the batch: `[batch, features]` by default; a 1 (or null
   * for "same as the input") broadcasts, e.g. `[null, 1]` drops whole samples' features together.
   */
  noiseShape?: (number | null)[] | null;
  /** Seed of this layer's mask stream; default: drawn from the global stream at the layer's first training step. */
  seed?: number | null;
}

/**
 * Inverted dropout: in training, each unit is zeroed with probability `rate` and the kept ones
 * are scaled by `1/(1 − rate)`; a new mask is drawn every step from a counter-based stream in
 * wasm. Outside training it is the identity. Input and output shapes are equal.
 */
export class Dropout extends Layer {
  static override readonly className = 'Dropout';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'rate', 'noiseShape', 'seed'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'rate', 'noise_shape', 'seed'];
  /** Fraction of the input units to drop, in [0, 1). */
  readonly rate: number;
  /**
   * Shape of the binary mask, with the batch: `[batch, features]` by default; a 1 (or null
   * for "same as the input") broadcasts, e.g. `[null, 1]` drops whole samples' features together.
   */
  readonly noiseShape: (number | null)[] | null;
  /** Seed of this layer's mask stream; default: drawn from the global stream at the layer's first training step. */
  readonly seed: number | null;
  private readonly stream = new KeyedStream();
  private mask: Region | null = null;
  /** Whether the last forward pass applied a mask (training with rate > 0). */
  private maskActive = false;
  /** How the mask broadcasts: over everything ('full'), one mask row for all samples ('cols') or one value per sample ('rows'). */
  private mode: 'full' | 'cols' | 'rows' = 'full';
  /**
   * The activation of the layer before (a Dense with ReLU or ReLU6 in its GEMM epilogue) whose
   * derivative this layer's backward applies with the mask in one pass (`takeFusion`); the
   * Dense then skips its own activation-gradient pass.
   * @internal
   */
  fusedActivation: ActivationInfo | null = null;

  /** Whether this layer can take over the activation gradient of the layer before (full masks only). @internal */
  get fusesActivationGrad(): boolean {
    return this.mode === 'full';
  }

  /** @internal */
  override acceptsFusion(_activation: ActivationInfo): boolean {
    return this.fusesActivationGrad;
  }

  /** @internal */
  override takeFusion(f: Fusion | null): void {
    this.fusedActivation = f?.activation ?? null;
  }

  constructor(args: DropoutArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { rate }', args);
    super(args);
    this.rate = checkRate('rate', args.rate);
    this.noiseShape = args.noiseShape ?? null;
    if (this.noiseShape !== null && (!Array.isArray(this.noiseShape) || this.noiseShape.some((d) => d !== null && !(Number.isInteger(d) && d > 0)))) {
      throw invalidArgument('noiseShape', 'an array of positive integers or nulls', args.noiseShape);
    }
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

  /**
   * The mask stream's keys and position `[key0, key1, counter]` (io saves it so training resumes
   * identically); null until an unseeded layer's first training step draws its keys.
   * @internal
   */
  get streamState(): [number, number, number] | null {
    return this.stream.state;
  }

  /** @internal */
  set streamState(s: [number, number, number] | null) {
    this.stream.state = s;
  }

  /** Steps drawn so far: the position in this layer's mask stream. @internal */
  get counter(): number {
    return this.stream.counter;
  }

  /** @internal */
  set counter(c: number) {
    this.stream.counter = c | 0;
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.stream.reset(this.seed);
    this.mode = 'full';
    if (this.noiseShape !== null) {
      const full = [null, ...inputShape];
      if (this.noiseShape.length !== full.length) {
        throw new ValueError(`Invalid value received for argument \`noiseShape\`: expected ${full.length} dimensions (with the batch) to match the input. Received: noiseShape=[${this.noiseShape.join(', ')}]`);
      }
      const batchOne = this.noiseShape[0] === 1;
      const featOnes = this.noiseShape.slice(1).every((d) => d === 1);
      const featFull = this.noiseShape.slice(1).every((d, i) => d === null || d === inputShape[i]);
      if (batchOne && featFull) this.mode = 'cols';
      else if (!batchOne && featOnes) this.mode = 'rows';
      else if (!batchOne && featFull) this.mode = 'full';
      else throw new ValueError(`Invalid value received for argument \`noiseShape\`: expected [null|batch, ...input dims] with 1 for whole broadcast axes ([1, ...dims] or [null, 1, ...]). Received: noiseShape=[${this.noiseShape.join(', ')}]`);
    }
  }

  private get features(): number {
    return shapeSize(this.inputShape!);
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    const n = this.mode === 'cols' ? this.features : this.mode === 'rows' ? rows : rows * this.features;
    this.mask = arena.alloc(Math.max(1, n) * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.mask !== null) arena.release(this.mask);
    this.mask = null;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const f = this.features;
    const n = ctx.rows * f;
    this.maskActive = ctx.training && this.rate > 0;
    if (!this.maskActive) {
      if (ctx.x !== ctx.y) k.f32_vcopy(n, ctx.x, ctx.y);
      return;
    }
    const counter = this.stream.next();
    const { key0, key1 } = this.stream;
    const mask = this.mask!.ptr;
    if (this.mode === 'full') {
      k.f32_dropout(n, ctx.x, ctx.y, mask, this.rate, key0, key1, counter, 0);
    } else if (this.mode === 'cols') {
      k.f32_dropout_mask(f, mask, this.rate, key0, key1, counter, 0);
      k.f32_vmul_cols(ctx.rows, f, ctx.x, mask, ctx.y);
    } else {
      k.f32_dropout_mask(ctx.rows, mask, this.rate, key0, key1, counter, 0);
      const m = ctx.arena.f32;
      for (let r = 0; r < ctx.rows; r++) k.f32_vscale(f, ctx.x + r * f * 4, ctx.y + r * f * 4, m[(mask >> 2) + r]!);
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const { k } = ctx;
    const f = this.features;
    const n = ctx.rows * f;
    if (!this.maskActive && this.fusedActivation === null) {
      k.f32_vcopy(n, ctx.dy, ctx.dx);
      return;
    }
    const mask = this.mask!.ptr;
    const act = this.fusedActivation;
    if (act !== null) {
      // ctx.x is the Dense's output: the activation's derivative is read from it.
      if (this.maskActive) k.f32_dropout_clamp_grad(n, ctx.dy, mask, ctx.x, ctx.dx, act.clamp![0], act.clamp![1]);
      else ((k as unknown as Record<string, GradFn>)[act.grad]!)(n, ctx.x, ctx.x, ctx.dy, ctx.dx, act.alpha);
      return;
    }
    if (this.mode === 'full') k.f32_vmul(n, ctx.dy, mask, ctx.dx);
    else if (this.mode === 'cols') k.f32_vmul_cols(ctx.rows, f, ctx.dy, mask, ctx.dx);
    else {
      const m = ctx.arena.f32;
      for (let r = 0; r < ctx.rows; r++) k.f32_vscale(f, ctx.dy + r * f * 4, ctx.dx + r * f * 4, m[(mask >> 2) + r]!);
    }
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape, seed: this.seed };
  }

  /** Keras `from_config`: the inverse of `getConfig()`. */
  static fromConfig(c: Record<string, unknown>): Dropout {
    return new Dropout({ ...layerArgsFromConfig(c, Dropout), rate: c.rate as number, noiseShape: c.noise_shape as (number | null)[] | null, seed: c.seed as number | null });
  }
}

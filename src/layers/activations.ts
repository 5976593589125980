// Standalone activation layers (Keras 3 keras/src/layers/activations/: ReLU, LeakyReLU, ELU,
// Softmax; ThresholdedReLU from Keras 2 and TF.js). Weightless, elementwise (softmax: per row
// of the last axis). PReLU, which has a weight, is in prelu.ts.
import * as activations from '../activations/index.js';
import type { ActivationInfo } from '../activations/index.js';
import { isLastAxis, plainRelu } from '../activations/layer-configs.js';
import type { KernelExports } from '../backend/kernels.js';
import type { VunaryBackward, VunaryForward } from '../backend/kernels-vunary.js';
import { ValueError, checkNonNegative, checkFinite, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** A weightless layer whose output has its input's shape, computed over `rows × size` elements. */
abstract class ActivationLayer extends Layer {
  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
  /** Elements of a batch of `rows` samples. @internal */
  protected size(rows: number): number {
    return rows * shapeSize(this.inputShape!);
  }
}

/** y = act(x) by a plain activation's kernel pair (elementwise kinds). */
function forwardPlain(k: KernelExports, act: ActivationInfo, n: number, ctx: StepContext): void {
  (k[act.fwd] as unknown as VunaryForward)(n, ctx.x, ctx.y, act.alpha);
}

/** dx = dy·act'(x), dy left as it is. */
function backwardPlain(k: KernelExports, act: ActivationInfo, n: number, ctx: StepContext): void {
  (k[act.grad] as unknown as VunaryBackward)(n, ctx.x, ctx.y, ctx.dy, ctx.dx, act.alpha);
}

/** A number ≥ 0 from an option (undefined: the default). */
function nonNegative(name: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : checkNonNegative(name, value);
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link ReLU}. Keras: `keras.layers.ReLU`; TF.js: `tf.layers.reLU`. */
export interface ReLUArgs extends LayerArgs {
  /** Largest output (≥ 0); null or undefined: none. */
  maxValue?: number | null;
  /** Slope below the threshold (≥ 0). Default 0. Keras 3's argument (TF.js has only maxValue). */
  negativeSlope?: number;
  /** Inputs at or below it are on the negative side (≥ 0). Default 0. Keras 3's argument. */
  threshold?: number;
}

/**
 * Keras 3 `ReLU`: `y = min(x, maxValue)` for `x > threshold`, `negativeSlope·(x − threshold)`
 * otherwise. The plain relu, relu6 and leaky_relu kernels run where the arguments reduce to them.
 */
export class ReLU extends ActivationLayer {
  static override readonly className = 'ReLU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'maxValue', 'negativeSlope', 'threshold'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'max_value', 'negative_slope', 'threshold'];
  /** Largest output (≥ 0); null or undefined: none. */
  readonly maxValue: number | null;
  /** Slope below the threshold (≥ 0). Default 0. Keras 3's argument (TF.js has only maxValue). */
  readonly negativeSlope: number;
  /** Inputs at or below it are on the negative side (≥ 0). Default 0. Keras 3's argument. */
  readonly threshold: number;
  /** The plain activation the arguments reduce to, or null (the general kernel). */
  private readonly plain: ActivationInfo | null;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? null : checkNonNegative('maxValue', args.maxValue);
    this.negativeSlope = nonNegative('negativeSlope', args.negativeSlope, 0);
    this.threshold = nonNegative('threshold', args.threshold, 0);
    const p = plainRelu(this.maxValue, this.negativeSlope, this.threshold);
    this.plain = p === null ? null : { ...activations.get(p.name), alpha: p.alpha ?? 0 };
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    if (this.plain !== null) forwardPlain(ctx.k, this.plain, n, ctx);
    else ctx.k.f32_vrelu_ext(n, ctx.x, ctx.y, this.maxValue ?? Infinity, this.negativeSlope, this.threshold);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const n = this.size(ctx.rows);
    if (this.plain !== null) backwardPlain(ctx.k, this.plain, n, ctx);
    else ctx.k.f32_vrelu_ext_grad(n, ctx.x, ctx.dy, ctx.dx, this.maxValue ?? Infinity, this.negativeSlope, this.threshold);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), max_value: this.maxValue, negative_slope: this.negativeSlope, threshold: this.threshold };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): ReLU {
    return new ReLU({
      ...layerArgsFromConfig(c, ReLU), maxValue: c.max_value as number | null | undefined,
      negativeSlope: (c.negative_slope ?? undefined) as number | undefined, threshold: (c.threshold ?? undefined) as number | undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link LeakyReLU}. Keras: `keras.layers.LeakyReLU`; TF.js: `tf.layers.leakyReLU`. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x ≤ 0 (≥ 0). Default 0.3. TF.js's (and Keras 2's) name. */
  alpha?: number;
  /** Keras 3's name of `alpha`; give one of the two. */
  negativeSlope?: number;
}

/** `y = x > 0 ? x : alpha·x` (f32_vleaky_relu). */
export class LeakyReLU extends ActivationLayer {
  static override readonly className = 'LeakyReLU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'alpha', 'negativeSlope'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'alpha', 'negative_slope'];
  /** Slope for x ≤ 0 (≥ 0). Default 0.3. TF.js's (and Keras 2's) name. */
  readonly alpha: number;
  private readonly act: ActivationInfo;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    if (args.alpha !== undefined && args.negativeSlope !== undefined) {
      throw new ValueError('LeakyReLU takes `alpha` (TF.js) or `negativeSlope` (Keras 3), the same slope under two names: give one. ' +
        `Received: alpha=${String(args.alpha)}, negativeSlope=${String(args.negativeSlope)}`);
    }
    this.alpha = args.negativeSlope !== undefined ? checkNonNegative('negativeSlope', args.negativeSlope) : nonNegative('alpha', args.alpha, 0.3);
    this.act = { ...activations.get('leaky_relu'), alpha: this.alpha };
  }

  /** @internal */
  forward(ctx: StepContext): void {
    forwardPlain(ctx.k, this.act, this.size(ctx.rows), ctx);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) backwardPlain(ctx.k, this.act, this.size(ctx.rows), ctx);
  }

  /** Written as `alpha`, the key TF.js, Keras 2 and Keras 3 (as its deprecated alias) all read. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): LeakyReLU {
    const alpha = (c.alpha ?? c.negative_slope ?? undefined) as number | undefined;
    return new LeakyReLU({ ...layerArgsFromConfig(c, LeakyReLU), alpha });
  }
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link ELU}. Keras: `keras.layers.ELU`; TF.js: `tf.layers.elu`. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative side. Default 1. (TF.js's layer takes only 1; kerasm any finite number, as Keras.) */
  alpha?: number;
}

/** `y = x > 0 ? x : alpha·(eˣ − 1)` (f32_velu). */
export class ELU extends ActivationLayer {
  static override readonly className = 'ELU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'alpha'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'alpha'];
  /** Scale of the negative side. Default 1. (TF.js's layer takes only 1; kerasm any finite number, as Keras.) */
  readonly alpha: number;
  private readonly act: ActivationInfo;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha === undefined ? 1 : checkFinite('alpha', args.alpha);
    this.act = { ...activations.get('elu'), alpha: this.alpha };
  }

  /** @internal */
  forward(ctx: StepContext): void {
    forwardPlain(ctx.k, this.act, this.size(ctx.rows), ctx);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) backwardPlain(ctx.k, this.act, this.size(ctx.rows), ctx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): ELU {
    return new ELU({ ...layerArgsFromConfig(c, ELU), alpha: (c.alpha ?? undefined) as number | undefined });
  }
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link ThresholdedReLU}. Keras 2: `keras.layers.ThresholdedReLU`; TF.js: `tf.layers.thresholdedReLU`. */
export interface ThresholdedReLUArgs extends LayerArgs {
  /** Inputs at or below it give 0 (≥ 0). Default 1. */
  theta?: number;
}

/**
 * `y = x > theta ? x : 0` (Keras 2 and TF.js; Keras 3 has `ReLU({ threshold })` instead):
 * the general ReLU kernel with slope 0 and no maximum.
 */
export class ThresholdedReLU extends ActivationLayer {
  static override readonly className = 'ThresholdedReLU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'theta'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'theta'];
  /** Inputs at or below it give 0 (≥ 0). Default 1. */
  readonly theta: number;

  constructor(args: ThresholdedReLUArgs = {}) {
    super(args);
    this.theta = nonNegative('theta', args.theta, 1);
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_vrelu_ext(this.size(ctx.rows), ctx.x, ctx.y, Infinity, 0, this.theta);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_vrelu_ext_grad(this.size(ctx.rows), ctx.x, ctx.dy, ctx.dx, Infinity, 0, this.theta);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), theta: this.theta };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): ThresholdedReLU {
    return new ThresholdedReLU({ ...layerArgsFromConfig(c, ThresholdedReLU), theta: (c.theta ?? undefined) as number | undefined });
  }
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link Softmax}. Keras: `keras.layers.Softmax`; TF.js: `tf.layers.softmax`. */
export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized over: the last one only (−1, the default, or its positive index). */
  axis?: number | number[];
}

/** Softmax over the last axis, per row (f32_softmax / f32_softmax_grad). */
export class Softmax extends ActivationLayer {
  static override readonly className = 'Softmax';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'axis'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'axis'];
  /** As given (written back so): −1, a positive index of the last axis, or a one-element list of either. */
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    const one = Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
    if (typeof one !== 'number' || !Number.isInteger(one) || one === 0 || one < -1) {
      throw invalidArgument('axis', 'the last axis (-1, or its index ≥ 1 counting the batch as 0): kerasm\'s Softmax normalizes over the last axis only', axis);
    }
    this.axis = Array.isArray(axis) ? axis.slice() : axis;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  override computeOutputShape(inputShape: Shape): Shape {
    const one = Array.isArray(this.axis) ? this.axis[0]! : this.axis;
    if (!isLastAxis(one) && one !== inputShape.length) {
      throw new ValueError(`Softmax layer ${this.name}: axis=${JSON.stringify(this.axis)} is not the last axis of its input of shape ` +
        `[null, ${inputShape.join(', ')}] (axis ${inputShape.length}, or -1): kerasm's Softmax normalizes over the last axis only`);
    }
    return inputShape.slice();
  }

  private get cols(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_softmax(this.size(ctx.rows) / this.cols, this.cols, ctx.x, ctx.y);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_softmax_grad(this.size(ctx.rows) / this.cols, this.cols, ctx.y, ctx.dy, ctx.dx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Softmax {
    return new Softmax({ ...layerArgsFromConfig(c, Softmax), axis: (c.axis ?? undefined) as number | number[] | undefined });
  }
}

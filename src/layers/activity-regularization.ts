// Keras 3 keras/src/layers/regularization/activity_regularization.py: an identity layer whose
// input pays l1·Σ|x| + l2·Σx² into the loss (summed over the batch, as Keras 3's activity
// regularizers; TF.js has no such layer and its activity regularizers throw, tfjs#8022).
import { invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Arguments for {@link ActivityRegularization}. Keras: `keras.layers.ActivityRegularization`. */
export interface ActivityRegularizationArgs extends LayerArgs {
  /** L1 factor, ≥ 0. Default 0 (Keras). */
  l1?: number;
  /** L2 factor, ≥ 0. Default 0 (Keras). */
  l2?: number;
}

function checkFactor(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(name, 'a non-negative finite number', v);
  return v;
}

/**
 * `y = x`; fit and evaluate add `l1·Σ|x| + l2·Σx²` to the loss and backward adds its gradient
 * `l1·sign(x) + 2·l2·x` (sign(0) = 0) to dx. The output is the input's memory (no copy).
 */
export class ActivityRegularization extends Layer {
  static override readonly className = 'ActivityRegularization';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'l1', 'l2'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'l1', 'l2'];
  /** L1 factor, ≥ 0. Default 0 (Keras). */
  readonly l1: number;
  /** L2 factor, ≥ 0. Default 0 (Keras). */
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { l1, l2 }', args);
    super(args);
    this.l1 = checkFactor('l1', args.l1 ?? 0);
    this.l2 = checkFactor('l2', args.l2 ?? 0);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  override get aliasesInput(): boolean {
    return true;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    if (ctx.trackPenalty) ctx.penalty += ctx.k.f32_l1l2_penalty(ctx.rows * shapeSize(this.inputShape!), ctx.x, this.l1, this.l2);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const n = ctx.rows * shapeSize(this.inputShape!);
    if (ctx.dx !== ctx.dy) ctx.k.f32_vcopy(n, ctx.dy, ctx.dx);
    ctx.k.f32_l1l2_grad(n, ctx.x, ctx.dx, this.l1, this.l2);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), l1: this.l1, l2: this.l2 };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): ActivityRegularization {
    return new ActivityRegularization({ ...layerArgsFromConfig(c, ActivityRegularization), l1: c.l1 as number | undefined, l2: c.l2 as number | undefined });
  }
}

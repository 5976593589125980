// Keras `Masking` (keras/src/layers/core/masking.py): a step whose features all equal `maskValue`
// is masked — zeroed in the output, and 0 in the mask the layer writes for the layers after it
// that read masks (RNNs, GlobalAveragePooling1D). Input [batch, steps, features] (any rank ≥ 2 per
// sample: the last axis is the features, the others are steps). Kernels: f32_mask_steps(_grad).
import { ValueError, checkFinite, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Arguments for {@link Masking}. Keras: `keras.layers.Masking`. */
export interface MaskingArgs extends LayerArgs {
  /** Steps whose features all equal this value are masked. Default 0. */
  maskValue?: number;
}

/** Masks (and zeroes) the steps whose every feature equals `maskValue`. */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'maskValue'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'mask_value'];
  /** Steps whose features all equal this value are masked. Default 0. */
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { maskValue }', args);
    super(args);
    this.maskValue = checkFinite('maskValue', args.maskValue ?? 0);
    if (Math.fround(this.maskValue) !== this.maskValue) {
      throw invalidArgument('maskValue', 'a value float32 represents exactly (the data is float32: another value never matches)', args.maskValue);
    }
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 2) {
      throw new ValueError(`Layer ${this.name} (Masking) needs inputs of rank ≥ 3 ([batch, steps, features]). Received input shape: [null, ${inputShape.join(', ')}]`);
    }
    return inputShape.slice();
  }

  /** @internal */
  override get producesMask(): boolean {
    return true;
  }

  private get features(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }

  /** Steps per sample (every axis but the last). */
  private get steps(): number {
    return shapeSize(this.inputShape!) / this.features;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_mask_steps(ctx.rows * this.steps, this.features, ctx.x, this.maskValue, ctx.y, ctx.maskOut);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx !== 0) ctx.k.f32_mask_steps_grad(ctx.rows * this.steps, this.features, ctx.x, this.maskValue, ctx.dy, ctx.dx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Masking {
    return new Masking({ ...layerArgsFromConfig(c, Masking), maskValue: (c.mask_value as number | undefined) ?? undefined });
  }
}

// Small layers without weights: Activation, Flatten, InputLayer.
import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import type { Arena, Region } from '../backend/memory.js';
import { invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { applyActivation, applyActivationGrad } from './dense.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Arguments for {@link Activation}. Keras: `keras.layers.Activation`. */
export interface ActivationArgs extends LayerArgs {
  /** The activation's name, e.g. `'relu'`. */
  activation: ActivationIdentifier;
}

/** `output = activation(input)`, elementwise (softmax over the last axis). */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'activation'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'activation'];
  /** The activation applied; its `name` is Keras's (`'relu'`, `'softmax'`, …). */
  readonly activation: ActivationInfo;
  constructor(args: ActivationArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { activation }', args);
    super(args);
    this.activation = activations.get(args.activation, 'activation');
  }

  /** Passes its input's mask on unchanged (Keras `supports_masking`). @internal */
  override get propagatesMask(): boolean {
    return true;
  }
  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
  private get cols(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }
  private rowsOf(ctx: StepContext): number {
    return (ctx.rows * shapeSize(this.inputShape!)) / this.cols;
  }
  /** @internal */
  forward(ctx: StepContext): void {
    applyActivation(ctx.k, this.activation, this.rowsOf(ctx), this.cols, ctx.x, ctx.y);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const rows = this.rowsOf(ctx);
    applyActivationGrad(ctx.k, this.activation, rows, this.cols, ctx.x, ctx.y, ctx.dy);
    ctx.k.f32_vcopy(rows * this.cols, ctx.dy, ctx.dx);
  }
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Activation {
    return new Activation({ ...layerArgsFromConfig(c, Activation), activation: c.activation as ActivationIdentifier });
  }
}

/** Arguments for {@link Flatten}. Keras: `keras.layers.Flatten`. */
export interface FlattenArgs extends LayerArgs {
  /** `'channelsLast'` (TF.js's name; `'channels_last'` too): kerasm's only layout. */
  dataFormat?: 'channelsLast' | 'channels_last';
}

/** Keras: `keras.layers.Flatten`. `[batch, d1, d2, …]` → `[batch, d1·d2·…]`; no copy. */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'dataFormat'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'data_format'];
  constructor(args: FlattenArgs = {}) {
    super(args);
    const f: unknown = args.dataFormat;
    // TF.js's channelsFirst permutes to channels-last before flattening; kerasm has one layout.
    if (f !== undefined && f !== 'channelsLast' && f !== 'channels_last') throw invalidArgument('dataFormat', "'channelsLast' (kerasm is channels-last only)", f);
  }
  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return [shapeSize(inputShape)];
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
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Flatten {
    if (c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last') {
      throw invalidArgument('data_format', "'channels_last' (kerasm is channels-last only)", c.data_format);
    }
    return new Flatten(layerArgsFromConfig(c, Flatten));
  }
}

/** Arguments for {@link InputLayer}. */
export interface InputLayerArgs extends LayerArgs {
  /** Alias of `inputShape` (Keras 3 `shape`). */
  shape?: number[];
  /** TF.js: only false (kerasm inputs are dense). */
  sparse?: false;
}

/** Keras: `keras.layers.InputLayer`. Declares the model's input shape; passes data through. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'shape', 'sparse'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'sparse', 'ragged', 'optional'];
  constructor(args: InputLayerArgs = {}) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { inputShape }', args);
    super({ ...args, inputShape: args.inputShape ?? args.shape });
    if (args.sparse !== undefined && args.sparse !== false) throw invalidArgument('sparse', 'false (kerasm inputs are dense)', args.sparse);
    if (this.batchInputShape === null) throw invalidArgument('inputShape', 'an array of positive integers', args.inputShape);
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
  forward(_ctx: StepContext): void {}
  /** @internal */
  backward(_ctx: StepContext): void {}
  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    const { name, dtype, batch_input_shape } = super.getConfig();
    return { batch_input_shape, dtype, sparse: false, name };
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): InputLayer {
    if (c.sparse === true || c.ragged === true) throw invalidArgument(c.sparse === true ? 'sparse' : 'ragged', 'false (kerasm inputs are dense)', true);
    return new InputLayer(layerArgsFromConfig(c, InputLayer));
  }
}

export type { Arena, Region };

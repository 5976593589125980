// Small layers without weights: Activation, Flatten, InputLayer.
import * as activations from '../activations/index.js';
import type { ActivationIdentifier, ActivationInfo } from '../activations/index.js';
import type { Arena, Region } from '../backend/memory.js';
import { invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { applyActivation, applyActivationGrad } from './dense.js';
import { Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Arguments for {@link Activation}. Keras: `keras.layers.Activation`. */
export interface ActivationArgs extends LayerArgs {
  /** The activation's name, e.g. `'relu'`. */
  activation: ActivationIdentifier;
}

/** `output = activation(input)`, elementwise (softmax over the last axis). */
export class Activation extends Layer {
  static override readonly className = 'Activation';
  readonly activation: ActivationInfo;
  constructor(args: ActivationArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { activation }', args);
    super(args);
    this.activation = activations.get(args.activation, 'activation');
  }
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
  private get cols(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }
  private rowsOf(ctx: StepContext): number {
    return (ctx.rows * shapeSize(this.inputShape!)) / this.cols;
  }
  forward(ctx: StepContext): void {
    applyActivation(ctx.k, this.activation, this.rowsOf(ctx), this.cols, ctx.x, ctx.y);
  }
  backward(ctx: StepContext): void {
    if (ctx.dx === 0) return;
    const rows = this.rowsOf(ctx);
    applyActivationGrad(ctx.k, this.activation, rows, this.cols, ctx.x, ctx.y, ctx.dy);
    ctx.k.f32_vcopy(rows * this.cols, ctx.dy, ctx.dx);
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
  static fromConfig(c: Record<string, unknown>): Activation {
    return new Activation({ ...layerArgsFromConfig(c), activation: c.activation as ActivationIdentifier });
  }
}

/** Keras: `keras.layers.Flatten`. `[batch, d1, d2, …]` → `[batch, d1·d2·…]`; no copy. */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  computeOutputShape(inputShape: Shape): Shape {
    return [shapeSize(inputShape)];
  }
  override get aliasesInput(): boolean {
    return true;
  }
  forward(_ctx: StepContext): void {}
  backward(_ctx: StepContext): void {}
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }
  static fromConfig(c: Record<string, unknown>): Flatten {
    if (c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last') {
      throw invalidArgument('data_format', "'channels_last' (kerasm is channels-last only)", c.data_format);
    }
    return new Flatten(layerArgsFromConfig(c));
  }
}

/** Arguments for {@link InputLayer}. */
export interface InputLayerArgs extends LayerArgs {
  /** Alias of `inputShape` (Keras 3 `shape`). */
  shape?: number[];
}

/** Keras: `keras.layers.InputLayer`. Declares the model's input shape; passes data through. */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  constructor(args: InputLayerArgs = {}) {
    super({ ...args, inputShape: args.inputShape ?? args.shape });
    if (this.batchInputShape === null) throw invalidArgument('inputShape', 'an array of positive integers', args.inputShape);
  }
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }
  override get aliasesInput(): boolean {
    return true;
  }
  forward(_ctx: StepContext): void {}
  backward(_ctx: StepContext): void {}
  override getConfig(): Record<string, unknown> {
    const { name, dtype, batch_input_shape } = super.getConfig();
    return { batch_input_shape, dtype, sparse: false, name };
  }
  static fromConfig(c: Record<string, unknown>): InputLayer {
    if (c.sparse === true || c.ragged === true) throw invalidArgument(c.sparse === true ? 'sparse' : 'ragged', 'false (kerasm inputs are dense)', true);
    return new InputLayer(layerArgsFromConfig(c));
  }
}

export type { Arena, Region };

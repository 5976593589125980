// Keras `Embedding` (keras/src/layers/core/embedding.py): integer ids [batch, ...steps] → rows of
// a table, [batch, ...steps, outputDim]. The forward is a gather (f32_embed_gather); the table's
// gradient is zero-filled and then the output gradient is scatter-added into the rows that occur
// (f32_embed_scatter_add, in sample order), so every row reaches the optimizer, as in Keras (its
// dense update of the embeddings). `maskZero` makes id 0 padding: the layer then writes a mask
// (1 where the id is not 0) for the layers after it that read masks. Ids arrive as the f32 the
// batch is staged in (exact integers below 2^24); an id out of range is a ValueError naming the
// sample, found in the data before any wasm call (`checkInputData`) and again by the gather.
import { ValueError, checkBoolean, checkPositiveInt, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';

/** Arguments for {@link Embedding}. Keras: `keras.layers.Embedding`. */
export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: ids are integers in [0, inputDim). */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** Default `randomUniform` (±0.05, Keras's `'uniform'`). */
  embeddingsInitializer?: InitializerIdentifier;
  /** Penalty on the table added to the loss, e.g. `l2(1e-4)`. */
  embeddingsRegularizer?: RegularizerIdentifier | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  activityRegularizer?: RegularizerIdentifier | null;
  /** Applied to the table after each optimizer update. */
  embeddingsConstraint?: ConstraintIdentifier | null;
  /** Id 0 is padding: later layers that read masks (RNNs, GlobalAveragePooling1D) skip its steps. Default false. */
  maskZero?: boolean;
  /** TF.js and Keras 2: the sequence length, as `inputShape: [inputLength]`. */
  inputLength?: number;
}

/** Integer ids → learned vectors: `[batch, steps]` → `[batch, steps, outputDim]`. */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'inputDim', 'outputDim', 'embeddingsInitializer',
    'embeddingsRegularizer', 'activityRegularizer', 'embeddingsConstraint', 'maskZero', 'inputLength'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'input_dim', 'output_dim', 'embeddings_initializer',
    'embeddings_regularizer', 'activity_regularizer', 'embeddings_constraint', 'mask_zero', 'input_length'];
  /** Size of the vocabulary: ids are integers in [0, inputDim). */
  readonly inputDim: number;
  /** Size of each embedding vector. */
  readonly outputDim: number;
  /** Default `randomUniform` (±0.05, Keras's `'uniform'`). */
  readonly embeddingsInitializer: initializers.Initializer;
  /** Penalty on the table added to the loss, e.g. `l2(1e-4)`. */
  readonly embeddingsRegularizer: Regularizer | null;
  /** Penalty on the layer's output added to the loss (summed over the batch, as Keras 3). */
  readonly activityRegularizer: Regularizer | null;
  /** Applied to the table after each optimizer update. */
  readonly embeddingsConstraint: Constraint | null;
  /** Id 0 is padding: later layers that read masks (RNNs, GlobalAveragePooling1D) skip its steps. Default false. */
  readonly maskZero: boolean;
  /** The embedding table `[inputDim, outputDim]`: row i is the vector of id i; null until built. */
  embeddings: LayerWeight | null = null;

  constructor(args: EmbeddingArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { inputDim, outputDim, ... }', args);
    let inputShape = args.inputShape;
    if (args.inputLength !== undefined && args.inputLength !== null) {
      checkPositiveInt('inputLength', args.inputLength);
      inputShape ??= args.batchInputShape === undefined ? [args.inputLength] : undefined;
    }
    super({ ...args, inputShape });
    this.inputDim = checkPositiveInt('inputDim', args.inputDim);
    this.outputDim = checkPositiveInt('outputDim', args.outputDim);
    if (this.inputDim > 1 << 24) {
      throw invalidArgument('inputDim', 'at most 2^24 = 16777216 (ids travel as float32, exact up to there)', args.inputDim);
    }
    this.embeddingsInitializer = initializers.get(args.embeddingsInitializer ?? 'randomUniform', 'embeddingsInitializer');
    this.embeddingsRegularizer = regularizers.get(args.embeddingsRegularizer, 'embeddingsRegularizer');
    this.activityRegularizer = regularizers.get(args.activityRegularizer, 'activityRegularizer');
    if (this.activityRegularizer?.proximal) {
      throw invalidArgument('activityRegularizer', 'a regularizer without `proximal` (the proximal step applies to weights only)', this.activityRegularizer.getConfig());
    }
    this.embeddingsConstraint = constraints.get(args.embeddingsConstraint, 'embeddingsConstraint');
    this.maskZero = checkBoolean('maskZero', args.maskZero ?? false);
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 1) throw new ValueError(`Layer ${this.name} needs ids of rank ≥ 2 ([batch, steps]). Received input shape: [null]`);
    return [...inputShape, this.outputDim];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.embeddingsConstraint?.validate([this.inputDim, this.outputDim]);
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, this.embeddingsRegularizer);
    this.embeddings.constraint = this.embeddingsConstraint;
  }

  /** @internal */
  override get producesMask(): boolean {
    return this.maskZero;
  }

  /** Backward honours `ctx.accumulate` (a table shared by two inputs, as in a siamese model). @internal */
  override get sharesWeights(): boolean {
    return true;
  }

  /** Ids per sample. */
  private get idsPerSample(): number {
    return shapeSize(this.inputShape!);
  }

  /**
   * Check model-input data this layer reads (before any wasm call): every id an integer in
   * [0, inputDim). The error names the sample and the position.
   * @internal
   */
  override checkInputData(data: Float32Array, name: string): void {
    const per = this.idsPerSample;
    for (let i = 0; i < data.length; i++) {
      const id = data[i]!;
      if (!(id >= 0 && id < this.inputDim && Number.isInteger(id))) throw this.badId(name, Math.floor(i / per), i % per, id);
    }
  }

  private badId(name: string, sample: number, position: number, id: number): ValueError {
    return new ValueError(`Invalid value received for argument \`${name}\`: expected token ids that are integers in [0, ${this.inputDim}) ` +
      `(layer "${this.name}", inputDim=${this.inputDim}). Received: ${id} at sample ${sample}, position ${position}` +
      (id === this.inputDim ? ` (ids count from 0: a vocabulary of ${this.inputDim} words has ids 0 to ${this.inputDim - 1}; raise inputDim to ${this.inputDim + 1} if ${id} is a real word)` : ''));
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const n = ctx.rows * this.idsPerSample;
    const bad = k.f32_embed_gather(n, this.outputDim, ctx.x, this.embeddings!.region!.ptr, this.inputDim, ctx.y);
    if (bad >= 0) {
      const id = ctx.arena.view({ ptr: ctx.x + bad * 4, bytes: 4 }, 1)[0]!;
      throw this.badId('x', Math.floor(bad / this.idsPerSample), bad % this.idsPerSample, id);
    }
    if (ctx.maskOut !== 0) k.f32_ids_nonzero(n, ctx.x, ctx.maskOut);
    if (this.activityRegularizer !== null && ctx.trackPenalty) {
      ctx.penalty += k.f32_l1l2_penalty(n * this.outputDim, ctx.y, this.activityRegularizer.l1, this.activityRegularizer.l2);
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k } = ctx;
    if (!this.trainable) return;
    const n = ctx.rows * this.idsPerSample;
    const table = this.embeddings!;
    if (this.activityRegularizer !== null) k.f32_l1l2_grad(n * this.outputDim, ctx.y, ctx.dy, this.activityRegularizer.l1, this.activityRegularizer.l2);
    if (!ctx.accumulate) k.f32_vfill(table.size, table.grad!.ptr, 0);
    k.f32_embed_scatter_add(n, this.outputDim, ctx.x, ctx.dy, this.inputDim, table.grad!.ptr);
    if (!ctx.accumulate) this.addPenaltyGradients(k);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializers.serialize(this.embeddingsInitializer),
      embeddings_regularizer: regularizers.serialize(this.embeddingsRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      embeddings_constraint: constraints.serialize(this.embeddingsConstraint),
      mask_zero: this.maskZero,
    };
  }

  /** Keras `from_config`; Keras 2's and TF.js's `input_length` is read as the input shape. */
  static fromConfig(c: Record<string, unknown>): Embedding {
    return new Embedding({
      ...layerArgsFromConfig(c, Embedding),
      inputDim: c.input_dim as number,
      outputDim: c.output_dim as number,
      embeddingsInitializer: (c.embeddings_initializer as InitializerIdentifier | undefined) ?? undefined,
      embeddingsRegularizer: (c.embeddings_regularizer as RegularizerIdentifier | null | undefined) ?? null,
      activityRegularizer: (c.activity_regularizer as RegularizerIdentifier | null | undefined) ?? null,
      embeddingsConstraint: (c.embeddings_constraint as ConstraintIdentifier | null | undefined) ?? null,
      maskZero: (c.mask_zero as boolean | undefined) ?? undefined,
      inputLength: (c.input_length as number | null | undefined) ?? undefined,
    });
  }
}

// The layer base: shapes, weights, configs, and the two passes the model calls.
import type { Ptr, KernelExports } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, checkOptions, checkPositiveInt, invalidArgument, warnUnknownConfigKeys } from '../errors.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import type { Constraint } from '../constraints/index.js';
import { shapeSize } from '../tensor.js';
import { applyLayer, applyLayerMany } from '../model/graph.js';
import type { ApplyArgs, SymbolicTensor } from '../model/graph.js';
import type { ActivationInfo } from '../activations/index.js';
import type { Loss } from '../losses/index.js';

/**
 * Part of a layer's backward that the layer reading its output does instead (`fuseWith`): the
 * derivative of `activation`, applied in the same pass as that layer's own (Dense(ReLU) →
 * Dropout: mask and ReLU derivative in one pass).
 */
export interface Fusion {
  readonly activation: ActivationInfo;
}

/**
 * Kernel fusions that span two layers; tests turn them off to compare with the unfused path,
 * which must give bit-identical results.
 */
export const fusion = { dropoutActivationGrad: true };

/** A shape without the batch dimension: `[784]` for vectors, `[28, 28, 1]` for images, `[steps, features]` for sequences. */
export type Shape = number[];

/**
 * Options every layer takes, on top of its own (TF.js's `LayerArgs`). Unknown option names are
 * refused with a ValueError that names kerasm's spelling of a Keras one (`use_bias` → `useBias`).
 */
export interface LayerArgs {
  /** Unique name; default: snake_case class name plus a counter (`dense`, `dense_1`, …). */
  name?: string;
  /** False freezes the layer's weights (they still take part in the forward pass). */
  trainable?: boolean;
  /** Input shape without the batch dimension, for the first layer of a model. */
  inputShape?: number[];
  /** Input shape with the batch dimension (null for any). */
  batchInputShape?: (number | null)[];
  /** With `inputShape`: the batch dimension recorded in `batchInputShape` (TF.js). Default null (any). */
  batchSize?: number;
  /** Only `'float32'` is supported. */
  dtype?: string;
  /** TF.js's older name of `dtype`: only `'float32'`. */
  inputDType?: string;
  /**
   * TF.js's initial weight values. Not supported (a ValueError says so): kerasm allocates
   * weights when the model is built; set them with `model.setWeights(...)` afterwards.
   */
  weights?: never;
}

/**
 * One weight tensor of a layer (Keras's `layer.weights` entries). Its values live in wasm memory
 * for the life of the model: read them with `model.getWeights()` (copies, in `model.weights` order)
 * and write them with `model.setWeights(...)`.
 */
export interface LayerWeight {
  /** Keras's variable name inside the layer: `kernel`, `bias`, `recurrent_kernel`, `gamma`, `moving_mean`, … */
  readonly name: string;
  /** Its shape, e.g. `[inDim, units]` for a Dense kernel. */
  readonly shape: number[];
  /** Number of values: the product of `shape`. */
  readonly size: number;
  /** Fills the values when the model allocates them. */
  readonly initializer: Initializer;
  /** Penalty on these values added to the loss (null: none). */
  readonly regularizer: Regularizer | null;
  /** Values (allocated when the model is built). @internal */
  region: Region | null;
  /** Gradient (allocated when the model is planned for training). @internal */
  grad: Region | null;
  /** False for non-trainable state (moving statistics). */
  readonly trainable: boolean;
  /** Applied in wasm right after each optimizer update of this weight (Keras `variable.constraint`). */
  constraint?: Constraint | null;
  /**
   * Set by `Optimizer.build`: the regularizer's gradient is added inside the optimizer's update
   * pass (fused, src/optimizers), so the layer's backward pass leaves it out of `grad`.
   * `addDeferredPenaltyGradients` writes it into `grad` where the full gradient is needed.
   * @internal
   */
  penaltyInUpdate?: boolean;
}

/** What a pass needs: pointers for this layer's input/output and their gradients. */
export interface StepContext {
  k: KernelExports;
  arena: Arena;
  /** Rows in this batch (≤ the planned batch size). */
  rows: number;
  /** Training mode: the dropout family and noise layers are active (fit, and predict with `training: true`). */
  training: boolean;
  /**
   * A training step (fit, trainOnBatch): BatchNormalization uses batch statistics and updates
   * its moving ones. False in MC inference (`predict(x, { training: true })`), where it keeps
   * its moving statistics while dropout and noise stay on.
   */
  updateStatistics: boolean;
  x: Ptr;
  y: Ptr;
  /** Gradient with respect to the output (may be overwritten in place). */
  dy: Ptr;
  /** Where to write the gradient with respect to the input, 0 if no one needs it. */
  dx: Ptr;
  /** Inputs of a layer that takes a list (`takesList`: the merge layers), in call order; `x` is `xs[0]`. */
  xs: Ptr[];
  /** Where to write the gradient of each input of a list-taking layer (0 where no one needs it). */
  dxs: Ptr[];
  /** Every output of a layer with several (`outputCount` > 1), in order; `ys[0] === y`. */
  ys: Ptr[];
  /** The gradient of each output (`dys[0] === dy`); an output no one reads gets a zero-filled buffer. */
  dys: Ptr[];
  /**
   * The mask of the input (of `xs[0]`), f32 [rows × steps]: 1 for a real step, 0 for a masked one.
   * 0 when no mask reaches this layer; only layers with `consumesMask` are given one.
   */
  mask: Ptr;
  /** Where a layer with `producesMask` writes its output's mask, f32 [rows × steps]; 0 when nothing reads it. */
  maskOut: Ptr;
  /**
   * Backward of a shared layer's second or later call: add the weight gradients to `grad` (GEMM
   * β = 1, colsum β = 1) instead of overwriting, and leave the penalty gradient out (the first
   * call added it). Only layers whose `sharesWeights` is true are called so.
   */
  accumulate: boolean;
  /** GEMM workspace. */
  ws: Ptr;
  /** True when the loss kernel already turned dy into the gradient before the activation. */
  lossFused: boolean;
  /** Whether forward passes add activity penalties to `penalty` (fit and evaluate, not predict). */
  trackPenalty: boolean;
  /** Activity penalties added by forward passes of this step. */
  penalty: number;
}

const counters = new Map<string, number>();

/** Keras-style unique default names: `dense`, `dense_1`, … */
export function uniqueName(base: string): string {
  const n = counters.get(base) ?? 0;
  counters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Keras's `to_snake_case`: `Conv2D` → `conv2d`, `SpatialDropout1D` → `spatial_dropout1d`, `PReLU` → `p_re_lu`. */
function snake(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The option names every layer takes (LayerArgs; TF.js's LayerArgs). */
export const LAYER_ARG_NAMES: readonly string[] = ['name', 'trainable', 'inputShape', 'batchInputShape', 'batchSize', 'dtype', 'inputDType', 'weights'];

/** The config keys every layer's `fromConfig` reads (`dtype` is checked by io before). */
export const LAYER_CONFIG_KEYS: readonly string[] = ['name', 'trainable', 'dtype', 'batch_input_shape', 'batch_shape'];

/**
 * The base of every layer (Keras `keras.layers.Layer`, TF.js `tf.layers.Layer`). Make layers with the
 * factories (`km.layers.dense({ units: 10 })`) and put them in `km.sequential` or call them with
 * `apply` (functional API). Custom layers written in JS are not supported: the passes run as
 * wasm kernels planned by the model.
 */
export abstract class Layer {
  /** The Keras class name (`'Dense'`, `'LSTM'`, …), as written in saved configs. */
  static readonly className: string = 'Layer';
  /**
   * The option names the constructor takes (camelCase, TF.js's): anything else is refused by the
   * base constructor, naming kerasm's spelling for a Keras one. Each class lists its own.
   * @internal
   */
  static readonly argNames: readonly string[] = LAYER_ARG_NAMES;
  /** The Keras config keys `fromConfig` reads (snake_case); others in a file get a warning, once. @internal */
  static readonly configKeys: readonly string[] = LAYER_CONFIG_KEYS;
  /** Unique name: the `name` option, or snake_case class name plus a counter (`dense`, `dense_1`, …). */
  readonly name: string;
  /**
   * False freezes the layer's weights: the optimizer leaves them alone (it still runs forward and
   * passes gradients back). Read when `fit` or `trainOnBatch` starts, so no new `compile` is needed.
   * A frozen BatchNormalization uses its moving statistics, as in Keras 3.
   */
  trainable: boolean;
  /** Declared input shape with the batch dimension (null for any batch size); null when no input shape was given. */
  readonly batchInputShape: (number | null)[] | null;
  /** Input shape without the batch dimension; null until the layer is built (in a model). */
  inputShape: Shape | null = null;
  /**
   * Output shape without the batch dimension; null until the layer is built. Unlike Keras's
   * `output_shape`, it has no leading `null`.
   */
  outputShape: Shape | null = null;
  /**
   * The layer's weights in Keras order (`kernel`, `bias`, …); for a model, every layer's, in
   * `model.getWeights()` order. Empty until the layer is built (in a model).
   */
  readonly weights: LayerWeight[] = [];

  constructor(args: LayerArgs = {}) {
    const cls = new.target as typeof Layer;
    checkOptions(args, cls.argNames, cls.className, false);
    if (args.weights !== undefined) {
      throw new ValueError(`${cls.className} does not take \`weights\` (TF.js's initial values): kerasm allocates weights when the model is built; ` +
        'set them afterwards with model.setWeights(...)');
    }
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name.length === 0)) {
      throw invalidArgument('name', 'a non-empty string', args.name);
    }
    this.name = args.name ?? uniqueName(snake(cls.className));
    this.trainable = args.trainable ?? true;
    if (typeof this.trainable !== 'boolean') throw invalidArgument('trainable', 'a boolean', args.trainable);
    if (args.dtype !== undefined && args.dtype !== 'float32') throw invalidArgument('dtype', "'float32'", args.dtype);
    if (args.inputDType !== undefined && args.inputDType !== 'float32') throw invalidArgument('inputDType', "'float32'", args.inputDType);
    if (args.batchSize !== undefined) {
      checkPositiveInt('batchSize', args.batchSize);
      if (args.inputShape === undefined) {
        throw invalidArgument('batchSize', 'to come with `inputShape` (or give batchInputShape: [batch, ...dims])', args.batchSize);
      }
    }
    if (args.inputShape !== undefined) {
      checkShape('inputShape', args.inputShape);
      this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    } else if (args.batchInputShape !== undefined) {
      if (!Array.isArray(args.batchInputShape) || args.batchInputShape.length < 2) {
        throw invalidArgument('batchInputShape', 'an array [batch, ...dims]', args.batchInputShape);
      }
      checkShape('batchInputShape', args.batchInputShape.slice(1) as number[]);
      this.batchInputShape = args.batchInputShape.slice();
    } else {
      this.batchInputShape = null;
    }
  }

  /** The Keras class name of this layer (`'Dense'`, …): the static `className` of its class. */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  abstract computeOutputShape(inputShape: Shape): Shape;

  /** Declare weights for this input shape. Values are allocated by the model afterwards. @internal */
  build(inputShape: Shape): void {
    this.inputShape = inputShape.slice();
    this.outputShape = this.computeOutputShape(inputShape);
  }

  /** @internal */
  protected addWeight(name: string, shape: number[], initializer: Initializer, regularizer: Regularizer | null, trainable = true): LayerWeight {
    const w: LayerWeight = { name, shape, size: shapeSize(shape), initializer, regularizer, region: null, grad: null, trainable };
    this.weights.push(w);
    return w;
  }

  /**
   * Call the layer on symbolic tensors (the functional API): `dense.apply(x)`, or a list for
   * layers that merge several inputs (`concatenate().apply([a, b])`). Builds the layer on its
   * first call; a second call shares its weights. `kwargs.initialState` gives an RNN its initial
   * state. A layer with several outputs (an RNN with `returnState`) returns their list, as in
   * Keras; typed code gets it with {@link applyMany}.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: ApplyArgs): SymbolicTensor {
    // A layer with several outputs (an RNN with returnState) returns their list here, as Keras and
    // TF.js do; its type stays one tensor so the common one-output call needs no cast: typed code
    // asks for the list with `applyMany`.
    return applyLayer(this, inputs, kwargs) as SymbolicTensor;
  }

  /** Call the layer on symbolic tensors and get every output as a list (`[output, h, c]` for an LSTM with returnState). */
  applyMany(inputs: SymbolicTensor | SymbolicTensor[], kwargs?: ApplyArgs): SymbolicTensor[] {
    return applyLayerMany(this, inputs, kwargs);
  }

  /**
   * True where backward honours `ctx.accumulate`, so the layer may be called more than once in
   * one model (a shared layer). Layers with weights say so; weightless layers always may.
   * @internal
   */
  get sharesWeights(): boolean {
    return this.weights.length === 0;
  }

  /** True for layers that take a list of inputs (the merge layers): they implement `buildMany` and read `ctx.xs`. @internal */
  get takesList(): boolean {
    return false;
  }

  /** Reads `ctx.mask` (the RNNs, GlobalAveragePooling1D, Bidirectional, TimeDistributed): the engine hands it the input's mask. @internal */
  get consumesMask(): boolean {
    return false;
  }

  /** Makes a mask (Embedding with maskZero, Masking): its forward also writes `ctx.maskOut` when that is not 0. @internal */
  get producesMask(): boolean {
    return false;
  }

  /** Passes its input's mask on unchanged (Keras `supports_masking` without `compute_mask`): Dropout, Activation, ... @internal */
  get propagatesMask(): boolean {
    return false;
  }

  /** How many tensors one call makes (an RNN with returnState: 1 + its states). @internal */
  get outputCount(): number {
    return 1;
  }

  /** The shapes of every output for these input shapes (layers with `outputCount` > 1 override it). @internal */
  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    return [this.computeOutputShape(inputShapes[0]!)];
  }

  /**
   * True for layers that take one input plus optional initial-state tensors (the RNNs:
   * `apply(x, { initialState: [h, c] })` or TF.js's `apply([x, h, c])`); they read `ctx.xs`.
   * @internal
   */
  get takesStates(): boolean {
    return false;
  }

  /** The input shapes the layer was built for (one per input). */
  get inputShapes(): Shape[] {
    return this.inputShape === null ? [] : [this.inputShape];
  }

  /** Build from the shapes of the first call's inputs. @internal */
  buildFrom(shapes: readonly Shape[]): void {
    this.build(shapes[0]!);
  }

  /** True when the output is the input's memory, reinterpreted (Flatten, Reshape). @internal */
  get aliasesInput(): boolean {
    return false;
  }

  /**
   * Check model-input data this layer reads directly, before any wasm call (Embedding: ids in
   * range); throws a ValueError naming the sample. `data` holds the samples row-major.
   * @internal
   */
  checkInputData(_data: Float32Array, _name: string): void {}

  /** Bytes of GEMM workspace the layer's passes need for `rows` rows (0: none). @internal */
  workspaceBytes(_k: KernelExports, _rows: number): number {
    return 0;
  }

  /**
   * Fusion hook. The engine offers each layer, once per plan, the layer that alone reads its
   * output in training (null: none, several, or an inference plan). A layer that hands part of its
   * backward to `next` returns it and skips that part itself; the engine then gives it to `next`
   * through `takeFusion`. Every layer is offered, so `fuseWith(null)` undoes an earlier fusion.
   * @internal
   */
  fuseWith(_next: Layer | null): Fusion | null {
    return null;
  }

  /** Whether this layer can apply `activation`'s derivative in its own backward pass. @internal */
  acceptsFusion(_activation: ActivationInfo): boolean {
    return false;
  }

  /** The fusion the layer before hands over (null: none); see `fuseWith`. @internal */
  takeFusion(_fusion: Fusion | null): void {}

  /**
   * The output activation `loss` can compute together with it from this layer's pre-activation
   * (`lossLogits`): softmax with cross-entropy, sigmoid with binary cross-entropy. Null: none.
   * @internal
   */
  lossFusion(_loss: Loss): 'softmax' | 'sigmoid' | null {
    return null;
  }

  /** Where a fused loss reads the pre-activation (see `lossFusion`). @internal */
  get lossLogits(): Ptr {
    return 0;
  }

  /** Allocate per-batch scratch for up to `rows` rows. @internal */
  plan(_arena: Arena, _rows: number): void {}
  /** Free per-batch scratch. @internal */
  unplan(_arena: Arena): void {}

  /** @internal */
  abstract forward(ctx: StepContext): void;
  /** @internal */
  abstract backward(ctx: StepContext): void;

  /** Penalty of this layer's weights (Σ over regularized weights), from wasm. @internal */
  weightPenalty(k: KernelExports): number {
    let p = 0;
    for (const w of this.weights) {
      if (w.regularizer !== null && w.region !== null) p += k.f32_l1l2_penalty(w.size, w.region.ptr, w.regularizer.l1, w.regularizer.l2);
    }
    return p;
  }

  /** Add the regularizers' gradients into the weight gradients (except where the optimizer fuses them: `penaltyInUpdate`). @internal */
  protected addPenaltyGradients(k: KernelExports): void {
    for (const w of this.weights) if (w.penaltyInUpdate !== true) addPenaltyGradient(k, w);
  }

  /** Number of weight values (trainable and not), as in `model.summary()`; 0 before the layer is built. */
  countParams(): number {
    let n = 0;
    for (const w of this.weights) n += w.size;
    return n;
  }

  /**
   * The layer's Keras config (`get_config()`): snake_case keys as Keras writes them in a `.keras`
   * or TF.js `model.json` file (`units`, `use_bias`, `kernel_regularizer`, …).
   */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape !== null) config.batch_input_shape = this.batchInputShape.slice();
    return config;
  }
}

/**
 * Add the regularizer gradients the backward pass left to the optimizer (`penaltyInUpdate`) into
 * `grad`, so it holds the full gradient (`lossAndGradients`). Pass the weights whose layers are
 * trainable: a frozen layer computes no weight gradients.
 */
export function addDeferredPenaltyGradients(k: KernelExports, weights: readonly LayerWeight[]): void {
  for (const w of weights) if (w.penaltyInUpdate === true) addPenaltyGradient(k, w);
}

/** grad += the gradient of w's regularizer (L1 subgradient, 2·l2·w), where w has one and a gradient. */
function addPenaltyGradient(k: KernelExports, w: LayerWeight): void {
  if (w.regularizer !== null && w.region !== null && w.grad !== null) {
    k.f32_l1l2_grad(w.size, w.region.ptr, w.grad.ptr, w.regularizer.gradientL1, w.regularizer.l2);
  }
}


export function checkShape(name: string, shape: unknown): void {
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d <= 0)) {
    throw invalidArgument(name, 'an array of positive integers', shape);
  }
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Layers that work on the last axis: [batch, ..., features] treated as rows × features. */
export function featuresOf(layer: Layer, inputShape: Shape): number {
  const f = inputShape[inputShape.length - 1];
  if (f === undefined) throw new ValueError(`Layer ${layer.name} needs an input of rank ≥ 2 (with the batch). Received input shape: [null]`);
  return f;
}

/**
 * The base arguments in a Keras layer config (`name`, `trainable`, `batch_input_shape` or Keras
 * 3's `batch_shape`), for `fromConfig` of `cls`. Keys `cls` does not read are not an error: a
 * newer Keras writes more than kerasm knows, and a file is data. They get a warning, once per
 * class and key set; null-valued ones none (Keras writes `lora_rank: null`,
 * `quantization_config: null`: the feature is off, as kerasm has it).
 */
export function layerArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): LayerArgs {
  const set = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null));
  warnUnknownConfigKeys(set, cls.configKeys, cls.className);
  const args: LayerArgs = {};
  if (c.name !== undefined) args.name = c.name as string;
  if (c.trainable !== undefined) args.trainable = c.trainable as boolean;
  const shape = c.batch_input_shape ?? c.batch_shape;
  if (shape !== undefined && shape !== null) {
    if (!Array.isArray(shape) || (shape[0] !== null && !(Number.isInteger(shape[0]) && shape[0] > 0))) {
      throw invalidArgument('batch_input_shape', 'an array [batch or null, ...dims]', shape);
    }
    args.batchInputShape = shape as (number | null)[];
  }
  return args;
}

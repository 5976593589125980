// Sequential: a Model whose graph is a chain, grown one layer at a time with `add`.
import { StateError, ValueError, checkOptions, invalidArgument } from '../errors.js';
import { InputLayer } from '../layers/core.js';
import { Layer, shapesEqual } from '../layers/layer.js';
import type { Shape } from '../layers/layer.js';
import type { Tensor } from '../tensor.js';
import type { PredictArgs } from './args.js';
import type { SymbolicTensor } from './graph.js';
import { input, inputTensorOf } from './input.js';
import { Model } from './model.js';

/** Options of `km.sequential({ layers, name })`. */
export interface SequentialArgs {
  /** The layers, in order; the first needs an `inputShape` (or is an `inputLayer`). More can be added with `add`. */
  layers?: Layer[];
  /** The model's name (default: a unique `sequential`, `sequential_1`...). */
  name?: string;
}

/** A linear stack of layers. Keras: `keras.Sequential`; TF.js: `tf.sequential`. */
export class Sequential extends Model {
  /** The Keras class name written to files. */
  static override readonly className: string = 'Sequential';
  /** @internal */
  static override readonly argNames: readonly string[] = ['layers', 'name', 'trainable'];
  /** Per-sample input shape (without the batch); null before the first layer. */
  declare inputShape: Shape;
  /** Per-sample output shape (without the batch); null before the first layer. */
  declare outputShape: Shape;
  private input_: SymbolicTensor | null = null;

  /** `new Sequential({ layers, name })`, or Keras's `Sequential([layer, ...])`. */
  constructor(argsOrLayers: SequentialArgs | Layer[] = {}) {
    const args = Array.isArray(argsOrLayers) ? { layers: argsOrLayers } : checkOptions(argsOrLayers, Sequential.argNames, 'sequential', false);
    super({ name: args.name } as never);
    if (args.layers !== undefined) {
      if (!Array.isArray(args.layers)) throw invalidArgument('layers', 'an array of layers', args.layers);
      for (const layer of args.layers) this.add(layer);
    }
  }

  /** Append a layer; its shape is checked against the previous layer's output at once. */
  add(layer: Layer): void {
    this.checkAlive();
    if (!(layer instanceof Layer)) throw invalidArgument('layer', 'a kerasm layer (km.layers.*)', layer);
    if (this.isAllocated) throw new StateError('Layers cannot be added to a model whose weights exist (after fit/predict/getWeights).');
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new ValueError(`All layers added to a Sequential model should have unique names. Name '${layer.name}' is already the name of a layer in this model.`);
    }
    if (this.input_ === null) {
      if (layer instanceof InputLayer) {
        this.input_ = inputTensorOf(layer);
        this.setChain([layer], this.input_, this.input_);
        return;
      }
      const declared = layer instanceof Model ? [null, ...layer.inputShapes[0]!] : layer.batchInputShape;
      if (declared === null) {
        throw new ValueError(`The first layer of a Sequential model needs an input shape: pass \`inputShape\` (e.g. km.layers.dense({ units: 10, inputShape: [784] })) or start with km.layers.inputLayer. Layer: ${layer.name}`);
      }
      this.input_ = input({ batchShape: declared });
    } else if (layer.batchInputShape !== null && !(layer instanceof InputLayer)) {
      const want = layer.batchInputShape.slice(1) as number[];
      const prev = this.outputs[0]!.shape;
      if (!shapesEqual(want, prev)) throw new ValueError(`Layer ${layer.name} declares input shape [${want.join(', ')}] but the previous layer outputs [${prev.join(', ')}]`);
    }
    if (layer instanceof InputLayer) throw new ValueError('An InputLayer can only be the first layer of a Sequential model.');
    const out = layer.apply(this.outputs[0] ?? this.input_);
    this.setChain([...this.layers, layer], this.input_, out);
  }

  private setChain(layers: Layer[], from: SymbolicTensor, to: SymbolicTensor): void {
    this.setGraph(from, to, layers);
  }

  /** The outputs for `x`, batched: one Tensor (a Sequential has one output). */
  override predict(x: unknown, args: PredictArgs = {}): Tensor {
    return super.predict(x, args) as Tensor;
  }
}

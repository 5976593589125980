// Keras 3 `Bidirectional` (keras/src/layers/rnn/bidirectional.py): a copy of a recurrent layer
// run forwards and another with goBackwards flipped, the backward one's sequence output flipped
// back on the step axis (Keras's ops.flip(y, 1)), the two merged. Weights forward then backward.
import type { KernelExports, Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import { ValueError, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';
import { RecurrentBase } from './recurrent.js';
import { layerFromConfig, serializeLayer, subContext } from './wrappers.js';

/** How Bidirectional combines its two outputs: concatenated on the last axis, summed, multiplied, averaged, or `null`: both returned as two outputs. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES: readonly (string | null)[] = ['concat', 'sum', 'mul', 'ave', null];

/** Arguments for {@link Bidirectional}. Keras: `keras.layers.Bidirectional`. */
export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer (simpleRNN, lstm, gru) run forwards; a copy with goBackwards flipped runs backwards. */
  layer: Layer;
  /** How the two outputs combine. Default 'concat'; null returns both (two outputs). */
  mergeMode?: MergeMode;
  /** The backward layer, instead of a copy of `layer` (its goBackwards must differ from `layer`'s). */
  backwardLayer?: Layer;
}

/** A copy of a recurrent layer through its config, with `name` and `go_backwards` set. */
function copyRecurrent(layer: RecurrentBase, name: string, goBackwards: boolean): RecurrentBase {
  const config = { ...layer.getConfig(), name, go_backwards: goBackwards };
  return layerFromConfig({ class_name: layer.className, config }, 'layer') as RecurrentBase;
}

/** Per-call scratch of a Bidirectional: the two layers' outputs and gradients in natural step order. */
interface BidiBuffers {
  yF: Ptr;
  /** The backward layer's output as it writes it (reversed steps with returnSequences). */
  yB: Ptr;
  /** yB in natural step order (yB itself without returnSequences). */
  yBn: Ptr;
  dyF: Ptr;
  dyB: Ptr;
  dyBn: Ptr;
  dxB: Ptr;
}

/** Runs a recurrent layer in both directions and merges the outputs (Keras `Bidirectional`). */
export class Bidirectional extends Layer {
  static override readonly className = 'Bidirectional';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'layer', 'mergeMode', 'backwardLayer'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'layer', 'merge_mode', 'backward_layer'];
  /** The copy of `layer` that runs forwards, named `forward_<name>` (Keras's naming). */
  readonly forwardLayer: RecurrentBase;
  /** The copy of `layer` with `goBackwards` flipped, named `backward_<name>`; or the given `backwardLayer`, as it is. */
  readonly backwardLayer: RecurrentBase;
  /** How the two outputs combine. Default 'concat'; null returns both (two outputs). */
  readonly mergeMode: MergeMode;
  private readonly regions: Region[] = [];
  private buf: BidiBuffers | null = null;
  private subF: StepContext | null = null;
  private subB: StepContext | null = null;

  constructor(args: BidirectionalArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { layer, mergeMode }', args);
    super(args);
    const layer = args.layer;
    if (!(layer instanceof RecurrentBase)) {
      throw invalidArgument('layer', 'a recurrent layer instance (km.layers.lstm, gru or simpleRNN)', layer instanceof Layer ? layer.className : layer);
    }
    if (layer.outputShape !== null) throw invalidArgument('layer', 'an unbuilt recurrent layer (Bidirectional builds two copies of it)', layer.name);
    const mode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mode)) throw invalidArgument('mergeMode', "one of 'concat', 'sum', 'mul', 'ave' or null", args.mergeMode);
    this.mergeMode = mode;
    // Keras names the copies forward_<name> and backward_<name>; a file's `layer` is already the
    // forward copy, so its prefix is taken off first (the names then survive a save and load).
    const base = layer.name.startsWith('forward_') ? layer.name.slice('forward_'.length) : layer.name;
    this.forwardLayer = copyRecurrent(layer, `forward_${base}`, layer.goBackwards);
    if (args.backwardLayer === undefined) {
      this.backwardLayer = copyRecurrent(layer, `backward_${base}`, !layer.goBackwards);
    } else {
      const b = args.backwardLayer;
      if (!(b instanceof RecurrentBase)) throw invalidArgument('backwardLayer', 'a recurrent layer instance', b instanceof Layer ? b.className : b);
      for (const key of ['returnSequences', 'returnState'] as const) {
        if (b[key] !== layer[key]) throw new ValueError(`Forward layer and backward layer should have the same \`${key}\`. Received: forward ${layer[key]}, backward ${b[key]}`);
      }
      if (b.goBackwards === layer.goBackwards) {
        throw new ValueError('Forward layer and backward layer should have different `go_backwards` values. Received: both ' + String(b.goBackwards));
      }
      if (b.outputShape !== null) throw invalidArgument('backwardLayer', 'an unbuilt recurrent layer', b.name);
      this.backwardLayer = b;
    }
    if (mode !== 'concat' && mode !== null && this.forwardLayer.units !== this.backwardLayer.units) {
      throw invalidArgument('mergeMode', `'concat' or null when the two layers' units differ (${this.forwardLayer.units} and ${this.backwardLayer.units})`, mode);
    }
  }

  private get returnSequences(): boolean {
    return this.forwardLayer.returnSequences;
  }

  private get states(): number {
    return this.forwardLayer.returnState ? this.forwardLayer.stateCount : 0;
  }

  /** Merged outputs: 1, or 2 with mergeMode null. */
  private get merged(): number {
    return this.mergeMode === null ? 2 : 1;
  }

  /** @internal */
  override get outputCount(): number {
    return this.merged + 2 * this.states;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return this.computeOutputShapes([inputShape])[0]!;
  }

  /** @internal */
  override computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    const f = this.forwardLayer.computeOutputShapes(inputShapes);
    const b = this.backwardLayer.computeOutputShapes(inputShapes);
    const yf = f[0]!;
    const yb = b[0]!;
    const last = yf.length - 1;
    const merged = this.mergeMode === 'concat' ? [[...yf.slice(0, last), yf[last]! + yb[last]!]] : this.mergeMode === null ? [yf, yb] : [yf];
    return [...merged, ...f.slice(1), ...b.slice(1)];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
    // Keras's order: forward then backward. Named `forward_lstm/kernel`, … so the two sets differ in files.
    for (const inner of [this.forwardLayer, this.backwardLayer]) {
      for (const w of inner.weights) this.weights.push(prefixed(w, `${inner.name}/${w.name}`));
    }
  }

  /** @internal */
  override get consumesMask(): boolean {
    return true;
  }

  /** @internal */
  override get propagatesMask(): boolean {
    return this.returnSequences;
  }

  /** @internal */
  override get sharesWeights(): boolean {
    return this.forwardLayer.sharesWeights && this.backwardLayer.sharesWeights;
  }

  /** Output floats per sample of each direction (steps·units with returnSequences). */
  private outSize(layer: RecurrentBase): number {
    return shapeSize(layer.outputShape!);
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    this.forwardLayer.plan(arena, rows);
    this.backwardLayer.plan(arena, rows);
    const alloc = (floats: number): Ptr => {
      const r = arena.alloc(Math.max(1, floats) * 4);
      this.regions.push(r);
      return r.ptr;
    };
    const nF = rows * this.outSize(this.forwardLayer);
    const nB = rows * this.outSize(this.backwardLayer);
    const yB = alloc(nB);
    const dyB = alloc(nB);
    this.buf = {
      yF: alloc(nF), yB, yBn: this.returnSequences ? alloc(nB) : yB,
      dyF: alloc(nF), dyB, dyBn: this.returnSequences ? alloc(nB) : dyB,
      dxB: alloc(rows * shapeSize(this.inputShape!)),
    };
  }

  /** @internal */
  override unplan(arena: Arena): void {
    this.forwardLayer.unplan(arena);
    this.backwardLayer.unplan(arena);
    for (const r of this.regions) arena.release(r);
    this.regions.length = 0;
    this.buf = null;
  }

  /** @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    return Math.max(this.forwardLayer.workspaceBytes(k, rows), this.backwardLayer.workspaceBytes(k, rows));
  }

  /** Contexts for the two layers: input, mask, outputs (their states straight into this layer's). */
  private bind(ctx: StepContext): void {
    const b = this.buf!;
    this.subF = this.bindOne(ctx, this.subF, this.forwardLayer, b.yF, b.dyF, this.merged);
    this.subB = this.bindOne(ctx, this.subB, this.backwardLayer, b.yB, b.dyB, this.merged + this.states);
  }

  /** One layer's context; its states are this layer's outputs from `first` on. */
  private bindOne(ctx: StepContext, into: StepContext | null, layer: RecurrentBase, y: Ptr, dy: Ptr, first: number): StepContext {
    const sub = subContext(ctx, into);
    sub.x = sub.xs[0] = ctx.x;
    sub.mask = ctx.mask;
    sub.y = sub.ys[0] = y;
    sub.dy = sub.dys[0] = dy;
    for (let i = 0; i < this.states; i++) {
      sub.ys[1 + i] = ctx.ys[first + i]!;
      sub.dys[1 + i] = ctx.dys[first + i] ?? 0;
    }
    layer.trainable = this.trainable;
    return sub;
  }

  /** Reverse the steps of [rows, steps, units] from src into dst (Keras's flip on axis 1). */
  private reverseSteps(k: KernelExports, rows: number, units: number, src: Ptr, dst: Ptr): void {
    const t = this.inputShape![0]!;
    for (let s = 0; s < t; s++) k.f32_copy_block(rows, units, src + s * units * 4, t * units, dst + (t - 1 - s) * units * 4, t * units);
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const b = this.buf!;
    this.bind(ctx);
    const f = this.subF!;
    const r = this.subB!;
    this.forwardLayer.forward(f);
    this.backwardLayer.forward(r);
    ctx.penalty += f.penalty + r.penalty;
    const uF = this.forwardLayer.units;
    const uB = this.backwardLayer.units;
    const rowsT = ctx.rows * (this.returnSequences ? this.inputShape![0]! : 1);
    if (this.returnSequences) this.reverseSteps(k, ctx.rows, uB, b.yB, b.yBn);
    const n = rowsT * uF;
    switch (this.mergeMode) {
      case 'concat':
        k.f32_copy_block(rowsT, uF, b.yF, uF, ctx.y, uF + uB);
        k.f32_copy_block(rowsT, uB, b.yBn, uB, ctx.y + uF * 4, uF + uB);
        break;
      case 'sum':
        k.f32_vadd(n, b.yF, b.yBn, ctx.y);
        break;
      case 'ave':
        k.f32_vadd(n, b.yF, b.yBn, ctx.y);
        k.f32_vscale(n, ctx.y, ctx.y, 0.5);
        break;
      case 'mul':
        k.f32_vmul(n, b.yF, b.yBn, ctx.y);
        break;
      case null:
        k.f32_vcopy(n, b.yF, ctx.ys[0]!);
        k.f32_vcopy(rowsT * uB, b.yBn, ctx.ys[1]!);
        break;
    }
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k } = ctx;
    const b = this.buf!;
    this.bind(ctx);
    const f = this.subF!;
    const r = this.subB!;
    const uF = this.forwardLayer.units;
    const uB = this.backwardLayer.units;
    const rowsT = ctx.rows * (this.returnSequences ? this.inputShape![0]! : 1);
    const n = rowsT * uF;
    switch (this.mergeMode) {
      case 'concat':
        k.f32_copy_block(rowsT, uF, ctx.dy, uF + uB, b.dyF, uF);
        k.f32_copy_block(rowsT, uB, ctx.dy + uF * 4, uF + uB, b.dyBn, uB);
        break;
      case 'sum':
        k.f32_vcopy(n, ctx.dy, b.dyF);
        k.f32_vcopy(n, ctx.dy, b.dyBn);
        break;
      case 'ave':
        k.f32_vscale(n, ctx.dy, b.dyF, 0.5);
        k.f32_vscale(n, ctx.dy, b.dyBn, 0.5);
        break;
      case 'mul':
        k.f32_vmul(n, ctx.dy, b.yBn, b.dyF);
        k.f32_vmul(n, ctx.dy, b.yF, b.dyBn);
        break;
      case null:
        k.f32_vcopy(n, ctx.dys[0]!, b.dyF);
        k.f32_vcopy(rowsT * uB, ctx.dys[1]!, b.dyBn);
        break;
    }
    if (this.returnSequences) this.reverseSteps(k, ctx.rows, uB, b.dyBn, b.dyB);
    f.dx = f.dxs[0] = ctx.dx;
    r.dx = r.dxs[0] = ctx.dx === 0 ? 0 : b.dxB;
    this.forwardLayer.backward(f);
    this.backwardLayer.backward(r);
    if (ctx.dx !== 0) k.f32_vadd(ctx.rows * shapeSize(this.inputShape!), ctx.dx, b.dxB, ctx.dx);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    // `layer` under the wrapped layer's own name (forward_ taken off): TF.js prefixes it again
    // without looking, and its weight names (`bidirectional/forward_gru/kernel`) must match.
    const inner = serializeLayer(this.forwardLayer) as { class_name: string; config: Record<string, unknown> };
    inner.config.name = this.forwardLayer.name.slice('forward_'.length);
    const config: Record<string, unknown> = { ...super.getConfig(), layer: inner, merge_mode: this.mergeMode };
    // Keras writes the backward layer only when one was given; a plain copy is rebuilt from `layer`.
    const copy = copyRecurrent(this.forwardLayer, this.backwardLayer.name, !this.forwardLayer.goBackwards).getConfig();
    if (JSON.stringify(copy) !== JSON.stringify(this.backwardLayer.getConfig())) config.backward_layer = serializeLayer(this.backwardLayer);
    return config;
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Bidirectional {
    return new Bidirectional({
      ...layerArgsFromConfig(c, Bidirectional),
      layer: layerFromConfig(c.layer, 'layer'),
      mergeMode: c.merge_mode === undefined ? undefined : (c.merge_mode as MergeMode),
      backwardLayer: c.backward_layer === undefined || c.backward_layer === null ? undefined : layerFromConfig(c.backward_layer, 'backward_layer'),
    });
  }
}

/**
 * A view of a wrapped layer's weight under the wrapper's name for it (`forward_lstm/kernel`): reads
 * and writes go to the weight itself, so the optimizer, io and the wrapped layer see one tensor.
 */
function prefixed(w: LayerWeight, name: string): LayerWeight {
  return new Proxy(w, {
    get: (target, key) => (key === 'name' ? name : Reflect.get(target, key)),
    set: (target, key, value) => Reflect.set(target, key, value),
  });
}

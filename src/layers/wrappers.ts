// Layer wrappers (Keras 3 keras/src/layers/rnn/time_distributed.py; Bidirectional is in
// bidirectional.ts): what wrappers share — nested layer configs and a StepContext per wrapped
// layer, made once and refreshed field by field each pass (no allocation per step) — and
// TimeDistributed, which runs its layer on [batch·steps, ...features]: the buffers are the same
// memory, only the row count changes.
import type { KernelExports, Ptr } from '../backend/kernels.js';
import type { Arena } from '../backend/memory.js';
import { ValueError, invalidArgument } from '../errors.js';
import type { Loss } from '../losses/index.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { LAYER_CLASSES } from './registry.js';

/** A nested `{class_name, config}` layer (Keras and TF.js write wrappers' layers so). */
export function layerFromConfig(value: unknown, where: string): Layer {
  const v = value as { class_name?: unknown; config?: unknown } | null;
  if (v === null || typeof v !== 'object' || typeof v.class_name !== 'string' || v.config === null || typeof v.config !== 'object') {
    throw invalidArgument(where, 'a layer config {class_name, config}', value);
  }
  const make = Object.hasOwn(LAYER_CLASSES, v.class_name) ? LAYER_CLASSES[v.class_name] : undefined;
  if (make === undefined) throw new ValueError(`Unknown layer class '${v.class_name}' in \`${where}\`: kerasm does not have it`);
  return make(v.config as Record<string, unknown>);
}

export function serializeLayer(layer: Layer): Record<string, unknown> {
  return { class_name: layer.className, config: layer.getConfig() };
}

/** A context for a wrapped layer's passes: the wrapper's, with its own buffers set per pass. */
export function subContext(ctx: StepContext, into: StepContext | null): StepContext {
  const sub = into ?? { ...ctx, xs: [0], dxs: [0], ys: [0], dys: [0] };
  sub.k = ctx.k;
  sub.arena = ctx.arena;
  sub.rows = ctx.rows;
  sub.training = ctx.training;
  sub.updateStatistics = ctx.updateStatistics;
  sub.accumulate = ctx.accumulate;
  sub.ws = ctx.ws;
  sub.lossFused = false;
  sub.trackPenalty = ctx.trackPenalty;
  sub.penalty = 0;
  sub.mask = 0;
  sub.maskOut = 0;
  return sub;
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link TimeDistributed}. Keras: `keras.layers.TimeDistributed`. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every step (a Dense, typically), built on one step's shape. */
  layer: Layer;
}

/** Applies `layer` to every step of `[batch, steps, ...features]`: `[batch, steps, ...layer's output]`. */
export class TimeDistributed extends Layer {
  static override readonly className = 'TimeDistributed';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'layer'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'layer'];
  /** The layer applied to every step (a Dense, typically), built on one step's shape. */
  readonly layer: Layer;
  private sub: StepContext | null = null;

  constructor(args: TimeDistributedArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { layer }', args);
    super(args);
    if (!(args.layer instanceof Layer)) throw invalidArgument('layer', 'a layer instance, e.g. km.layers.dense({ units: 8 })', args.layer);
    const inner = args.layer;
    if (inner.takesList || inner.outputCount !== 1 || inner.outputShape !== null) {
      throw invalidArgument('layer', 'an unbuilt layer with one input and one output (TimeDistributed builds it on one step)', inner.name);
    }
    this.layer = inner;
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    if (inputShape.length < 2) {
      throw new ValueError(`\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: [null, ${inputShape.join(', ')}]`);
    }
    return [inputShape[0]!, ...this.layer.computeOutputShape(inputShape.slice(1))];
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    this.layer.build(inputShape.slice(1));
    this.weights.push(...this.layer.weights);
  }

  private get steps(): number {
    return this.inputShape![0]!;
  }

  /** The mask passes through unchanged (Keras: the wrapped layer computes none). @internal */
  override get propagatesMask(): boolean {
    return true;
  }

  /** @internal */
  override get sharesWeights(): boolean {
    return this.layer.sharesWeights;
  }

  /** @internal */
  override lossFusion(loss: Loss): 'softmax' | 'sigmoid' | null {
    return this.layer.lossFusion(loss);
  }

  /** @internal */
  override get lossLogits(): Ptr {
    return this.layer.lossLogits;
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    this.layer.plan(arena, rows * this.steps);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    this.layer.unplan(arena);
  }

  /** @internal */
  override workspaceBytes(k: KernelExports, rows: number): number {
    return this.layer.workspaceBytes(k, rows * this.steps);
  }

  private bind(ctx: StepContext): StepContext {
    const sub = (this.sub = subContext(ctx, this.sub));
    sub.rows = ctx.rows * this.steps;
    sub.lossFused = ctx.lossFused;
    sub.x = sub.xs[0] = ctx.x;
    sub.y = sub.ys[0] = ctx.y;
    sub.dy = sub.dys[0] = ctx.dy;
    sub.dx = sub.dxs[0] = ctx.dx;
    this.layer.trainable = this.trainable;
    return sub;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const sub = this.bind(ctx);
    this.layer.forward(sub);
    ctx.penalty += sub.penalty;
  }

  /** @internal */
  backward(ctx: StepContext): void {
    this.layer.backward(this.bind(ctx));
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): TimeDistributed {
    return new TimeDistributed({ ...layerArgsFromConfig(c, TimeDistributed), layer: layerFromConfig(c.layer, 'layer') });
  }
}

// PReLU (Keras 3 keras/src/layers/activations/prelu.py): y = x for x > 0, alpha·x otherwise,
// with alpha a weight of the input's shape except along `sharedAxes` (size 1 there, broadcast).
// Forward and backward in one kernel each (assembly/f32-vunary/prelu.ts) over the input seen as
// [p, a, q, c] with alpha [a, c]: see `broadcastPattern`.
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import { ValueError, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';

/** Arguments for {@link PReLU}. Keras: `keras.layers.PReLU`; TF.js: `tf.layers.pReLU`. */
export interface PReLUArgs extends LayerArgs {
  /** Initial alpha. Default `zeros` (the layer starts as a ReLU). */
  alphaInitializer?: InitializerIdentifier;
  /** Penalty on alpha added to the loss. */
  alphaRegularizer?: RegularizerIdentifier | null;
  /** Applied to alpha after each optimizer update (e.g. `nonNeg()`). */
  alphaConstraint?: ConstraintIdentifier | null;
  /**
   * Axes (counting the batch as 0) along which one alpha is shared, e.g. `[1, 2]` for one alpha
   * per channel of [batch, height, width, channels] maps. Default: none (one alpha per element).
   */
  sharedAxes?: number | number[] | null;
}

/** The input as [p, a, q, c] per sample (p is multiplied by the batch) and alpha as [a, c]. */
export interface BroadcastPattern {
  readonly p: number;
  readonly a: number;
  readonly q: number;
  readonly c: number;
}

/**
 * Collapse a sample shape and its shared axes into the kernel's pattern: axes of size 1 are
 * dropped, neighbours of one kind are merged into runs, a leading shared run joins p (with the
 * batch). What is left must be [a], [a, q] or [a, q, c] (unshared, shared, unshared); null if not
 * (three alternations, only possible for samples of rank ≥ 4).
 */
export function broadcastPattern(shape: Shape, shared: readonly boolean[]): BroadcastPattern | null {
  const runs: { shared: boolean; size: number }[] = [];
  shape.forEach((d, i) => {
    if (d === 1) return;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.shared === shared[i]) last.size *= d;
    else runs.push({ shared: shared[i]!, size: d });
  });
  const p = runs[0]?.shared === true ? runs.shift()!.size : 1;
  const [a, q, c, ...rest] = runs;
  if (a === undefined) return { p: 1, a: 1, q: p, c: 1 }; // one alpha for the whole sample: one run
  if (rest.length > 0) return null;
  if (q === undefined) return { p, a: 1, q: 1, c: a.size };
  return { p, a: a.size, q: q.size, c: c?.size ?? 1 };
}

/** Keras `PReLU`: a ReLU whose negative slope alpha is learned, per element or shared along axes. */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'];
  /** Initial alpha. Default `zeros` (the layer starts as a ReLU). */
  readonly alphaInitializer: Initializer;
  /** Penalty on alpha added to the loss. */
  readonly alphaRegularizer: Regularizer | null;
  /** Applied to alpha after each optimizer update (e.g. `nonNeg()`). */
  readonly alphaConstraint: Constraint | null;
  /** As Keras keeps it: a list, or null. */
  readonly sharedAxes: number[] | null;
  /** The slopes, the input's shape with 1 on the `sharedAxes`; null until built. */
  alpha: LayerWeight | null = null;
  private pattern: BroadcastPattern = { p: 1, a: 1, q: 1, c: 1 };

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? 'zeros', 'alphaInitializer');
    this.alphaRegularizer = regularizers.get(args.alphaRegularizer, 'alphaRegularizer');
    this.alphaConstraint = constraints.get(args.alphaConstraint, 'alphaConstraint');
    const axes: unknown = args.sharedAxes;
    if (axes === undefined || axes === null) this.sharedAxes = null;
    else {
      const list = Array.isArray(axes) ? axes : [axes];
      if (list.some((a) => !Number.isInteger(a) || (a as number) < 1)) throw invalidArgument('sharedAxes', 'axes ≥ 1 (the batch is axis 0), a number or a list', axes);
      this.sharedAxes = list.slice() as number[];
    }
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  override build(inputShape: Shape): void {
    const shared = inputShape.map((_, i) => this.sharedAxes?.includes(i + 1) ?? false);
    const beyond = this.sharedAxes?.find((a) => a > inputShape.length);
    if (beyond !== undefined) {
      throw new ValueError(`PReLU layer ${this.name}: shared axis ${beyond} is not an axis of its input of shape [null, ${inputShape.join(', ')}]`);
    }
    const pattern = broadcastPattern(inputShape, shared);
    if (pattern === null) {
      throw new ValueError(`PReLU layer ${this.name}: sharedAxes ${JSON.stringify(this.sharedAxes)} on input shape [null, ${inputShape.join(', ')}] alternate ` +
        'shared and unshared axes more than kerasm\'s kernel follows (unshared, shared, unshared after the leading shared axes)');
    }
    super.build(inputShape);
    this.pattern = pattern;
    const paramShape = inputShape.map((d, i) => (shared[i] ? 1 : d));
    this.alphaConstraint?.validate(paramShape);
    this.alpha = this.addWeight('alpha', paramShape, this.alphaInitializer, this.alphaRegularizer);
    this.alpha.constraint = this.alphaConstraint;
  }

  /** Backward honours `ctx.accumulate` (β = 1 on the alpha gradient): a PReLU can be shared. @internal */
  override get sharesWeights(): boolean {
    return true;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { p, a, q, c } = this.pattern;
    ctx.k.f32_prelu(ctx.rows * p, a, q, c, ctx.x, this.alpha!.region!.ptr, ctx.y);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { p, a, q, c } = this.pattern;
    const dalpha = this.trainable ? this.alpha!.grad!.ptr : 0;
    if (ctx.dx === 0 && dalpha === 0) return;
    ctx.k.f32_prelu_grad(ctx.rows * p, a, q, c, ctx.x, this.alpha!.region!.ptr, ctx.dy, ctx.dx, dalpha, ctx.accumulate ? 1 : 0);
    if (this.trainable && !ctx.accumulate) this.addPenaltyGradients(ctx.k);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha_initializer: initializers.serialize(this.alphaInitializer),
      alpha_regularizer: regularizers.serialize(this.alphaRegularizer),
      alpha_constraint: constraints.serialize(this.alphaConstraint),
      shared_axes: this.sharedAxes === null ? null : this.sharedAxes.slice(),
    };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): PReLU {
    return new PReLU({
      ...layerArgsFromConfig(c, PReLU),
      alphaInitializer: (c.alpha_initializer ?? undefined) as InitializerIdentifier | undefined,
      alphaRegularizer: (c.alpha_regularizer ?? null) as RegularizerIdentifier | null,
      alphaConstraint: (c.alpha_constraint ?? null) as ConstraintIdentifier | null,
      sharedAxes: (c.shared_axes ?? null) as number[] | null,
    });
  }
}

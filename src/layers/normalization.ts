// Normalization over the last axis: the base both normalization layers share (gamma, beta,
// their initializers, regularizers and constraints) and LayerNormalization (Keras 3
// keras/src/layers/normalization/layer_normalization.py), forward and backward in the f32-norm
// kernels. BatchNormalization is in batch-normalization.ts.
import type { Arena, Region } from '../backend/memory.js';
import * as constraints from '../constraints/index.js';
import type { Constraint, ConstraintIdentifier } from '../constraints/index.js';
import { ValueError, invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import * as regularizers from '../regularizers/index.js';
import type { Regularizer, RegularizerIdentifier } from '../regularizers/index.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, Layer, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, LayerWeight, Shape, StepContext } from './layer.js';

/** Options both normalization layers share (TF.js names). */
export interface NormalizationArgs extends LayerArgs {
  /** The normalized axis, counted with the batch: -1 (default) or the last axis's index. */
  axis?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Add the learned offset beta. Default true. */
  center?: boolean;
  /** Multiply by the learned scale gamma. Default true. */
  scale?: boolean;
  /** Initial values of beta. Default `zeros`. */
  betaInitializer?: InitializerIdentifier;
  /** Initial values of gamma. Default `ones`. */
  gammaInitializer?: InitializerIdentifier;
  /** Penalty on beta added to the loss. Default none. */
  betaRegularizer?: RegularizerIdentifier | null;
  /** Penalty on gamma added to the loss. Default none. */
  gammaRegularizer?: RegularizerIdentifier | null;
  /** Applied to beta after each optimizer update. */
  betaConstraint?: ConstraintIdentifier | null;
  /** Applied to gamma after each optimizer update. */
  gammaConstraint?: ConstraintIdentifier | null;
}

/** The option names of NormalizationArgs. */
export const NORMALIZATION_ARG_NAMES: readonly string[] = [...LAYER_ARG_NAMES, 'axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer',
  'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'];

/** The Keras config keys of NormalizationArgs. */
export const NORMALIZATION_CONFIG_KEYS: readonly string[] = [...LAYER_CONFIG_KEYS, 'axis', 'epsilon', 'center', 'scale', 'beta_initializer', 'gamma_initializer',
  'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'];

/** Arguments for {@link LayerNormalization}. Keras: `keras.layers.LayerNormalization`. */
export type LayerNormalizationArgs = NormalizationArgs;

function checkBool(name: string, v: unknown, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw invalidArgument(name, 'a boolean', v);
  return v;
}

/** gamma/beta (optional), their initializers, regularizers and constraints, and the axis check. */
export abstract class Normalization extends Layer {
  /** The normalized axis, counted with the batch: -1 (default) or the last axis's index. */
  readonly axis: number;
  /** Added to the variance before the square root. Default 1e-3. */
  readonly epsilon: number;
  /** Add the learned offset beta. Default true. */
  readonly center: boolean;
  /** Multiply by the learned scale gamma. Default true. */
  readonly scale: boolean;
  /** Initial values of beta. Default `zeros`. */
  readonly betaInitializer: Initializer;
  /** Initial values of gamma. Default `ones`. */
  readonly gammaInitializer: Initializer;
  /** Penalty on beta added to the loss. Default none. */
  readonly betaRegularizer: Regularizer | null;
  /** Penalty on gamma added to the loss. Default none. */
  readonly gammaRegularizer: Regularizer | null;
  /** Applied to beta after each optimizer update. */
  readonly betaConstraint: Constraint | null;
  /** Applied to gamma after each optimizer update. */
  readonly gammaConstraint: Constraint | null;
  /** The scale γ, one per channel; null until built or with `scale: false`. */
  gamma: LayerWeight | null = null;
  /** The offset β, one per channel; null until built or with `center: false`. */
  beta: LayerWeight | null = null;

  constructor(args: NormalizationArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw invalidArgument('axis', 'an integer (-1: the last axis)', args.axis);
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0) || !Number.isFinite(this.epsilon)) throw invalidArgument('epsilon', 'a positive finite number', args.epsilon);
    this.center = checkBool('center', args.center, true);
    this.scale = checkBool('scale', args.scale, true);
    this.betaInitializer = initializers.get(args.betaInitializer ?? 'zeros', 'betaInitializer');
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? 'ones', 'gammaInitializer');
    this.betaRegularizer = regularizers.get(args.betaRegularizer, 'betaRegularizer');
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer, 'gammaRegularizer');
    this.betaConstraint = constraints.get(args.betaConstraint, 'betaConstraint');
    this.gammaConstraint = constraints.get(args.gammaConstraint, 'gammaConstraint');
  }

  /** Output shape (without batch) for an input shape (without batch); throws a ValueError when the layer cannot take that shape. */
  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /** @internal */
  override build(inputShape: Shape): void {
    const rank = inputShape.length + 1;
    if (inputShape.length < 1 || (this.axis !== -1 && this.axis !== rank - 1)) {
      throw invalidArgument('axis', `-1 or ${rank - 1} (kerasm normalizes the last axis of an input of rank ${rank})`, this.axis);
    }
    super.build(inputShape);
    const c = [this.channels];
    if (this.scale) {
      this.gammaConstraint?.validate(c);
      this.gamma = this.addWeight('gamma', c, this.gammaInitializer, this.gammaRegularizer);
      this.gamma.constraint = this.gammaConstraint;
    }
    if (this.center) {
      this.betaConstraint?.validate(c);
      this.beta = this.addWeight('beta', c, this.betaInitializer, this.betaRegularizer);
      this.beta.constraint = this.betaConstraint;
    }
  }

  /** Size of the normalized (last) axis. */
  get channels(): number {
    return this.inputShape![this.inputShape!.length - 1]!;
  }

  /** Rows of the m×c matrix a batch of `rows` samples is. @internal */
  protected matrixRows(rows: number): number {
    return rows * shapeSize(this.inputShape!.slice(0, -1));
  }

  /** @internal */
  protected ptrOf(w: LayerWeight | null): number {
    return w === null ? 0 : w.region!.ptr;
  }

  /** Gradient pointer of gamma or beta when this layer trains, else 0. @internal */
  protected gradOf(w: LayerWeight | null): number {
    return w === null || !this.trainable || w.grad === null ? 0 : w.grad.ptr;
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }
}

/** The NormalizationArgs of a Keras config, for `fromConfig` of `cls` (layerArgsFromConfig). */
export function normalizationArgsFromConfig(c: Record<string, unknown>, cls: { readonly className: string; readonly configKeys: readonly string[] }): NormalizationArgs {
  const axis = Array.isArray(c.axis) && c.axis.length === 1 ? (c.axis[0] as number) : (c.axis as number | undefined);
  return {
    ...layerArgsFromConfig(c, cls),
    axis,
    epsilon: c.epsilon as number | undefined,
    center: c.center as boolean | undefined,
    scale: c.scale as boolean | undefined,
    betaInitializer: (c.beta_initializer ?? undefined) as InitializerIdentifier | undefined,
    gammaInitializer: (c.gamma_initializer ?? undefined) as InitializerIdentifier | undefined,
    betaRegularizer: (c.beta_regularizer ?? null) as RegularizerIdentifier | null,
    gammaRegularizer: (c.gamma_regularizer ?? null) as RegularizerIdentifier | null,
    betaConstraint: (c.beta_constraint ?? null) as ConstraintIdentifier | null,
    gammaConstraint: (c.gamma_constraint ?? null) as ConstraintIdentifier | null,
  };
}

/**
 * `y = γ·(x − μ)/√(σ² + ε) + β` with μ, σ² (biased) of each sample over its last axis; the same
 * in training and inference. Input `[batch, ..., features]`.
 */
export class LayerNormalization extends Normalization {
  static override readonly className = 'LayerNormalization';
  /** @internal */
  static override readonly argNames: readonly string[] = NORMALIZATION_ARG_NAMES;
  /** @internal */
  static override readonly configKeys: readonly string[] = [...NORMALIZATION_CONFIG_KEYS, 'rms_scaling'];
  /** Per matrix row: μ, then ρ = 1/√(σ² + ε), of the last forward. */
  private stats: Region | null = null;
  private plannedRows = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
  }

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    this.plannedRows = this.matrixRows(rows);
    this.stats = arena.alloc(2 * this.plannedRows * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.stats !== null) arena.release(this.stats);
    this.stats = null;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const m = this.matrixRows(ctx.rows);
    const mean = this.stats!.ptr;
    ctx.k.f32_layernorm(m, this.channels, ctx.x, this.ptrOf(this.gamma), this.ptrOf(this.beta), ctx.y, mean, mean + this.plannedRows * 4, this.epsilon);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const dgamma = this.gradOf(this.gamma);
    const dbeta = this.gradOf(this.beta);
    if (ctx.dx !== 0 || dgamma !== 0 || dbeta !== 0) {
      const mean = this.stats!.ptr;
      ctx.k.f32_layernorm_grad(this.matrixRows(ctx.rows), this.channels, ctx.x, ctx.dy, mean, mean + this.plannedRows * 4,
        this.ptrOf(this.gamma), ctx.dx, dgamma, dbeta);
    }
    if (this.trainable) this.addPenaltyGradients(ctx.k);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rms_scaling: false };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): LayerNormalization {
    if (c.rms_scaling === true) throw invalidArgument('rms_scaling', 'false (RMS scaling is not supported)', true);
    if (Array.isArray(c.axis) && c.axis.length !== 1) throw new ValueError(`Invalid value received for argument \`axis\`: expected one axis (the last). Received: axis=[${c.axis.join(', ')}]`);
    return new LayerNormalization(normalizationArgsFromConfig(c, LayerNormalization));
  }
}

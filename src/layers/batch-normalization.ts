// BatchNormalization over the last axis (Keras 3 keras/src/layers/normalization/
// batch_normalization.py), forward and backward in the f32-norm kernels. Weights in Keras order:
// gamma, beta, then the non-trainable moving_mean and moving_variance.
import type { Arena, Region } from '../backend/memory.js';
import { invalidArgument } from '../errors.js';
import * as initializers from '../initializers/index.js';
import type { Initializer, InitializerIdentifier } from '../initializers/index.js';
import type { LayerWeight, Shape, StepContext } from './layer.js';
import { NORMALIZATION_ARG_NAMES, NORMALIZATION_CONFIG_KEYS, Normalization, normalizationArgsFromConfig } from './normalization.js';
import type { NormalizationArgs } from './normalization.js';

/** Arguments for {@link BatchNormalization}. Keras: `keras.layers.BatchNormalization`. */
export interface BatchNormalizationArgs extends NormalizationArgs {
  /** Moving statistics: moving = moving·momentum + batch·(1 − momentum). Default 0.99. */
  momentum?: number;
  /** Initial moving mean. Default `zeros`. */
  movingMeanInitializer?: InitializerIdentifier;
  /** Initial moving variance. Default `ones`. */
  movingVarianceInitializer?: InitializerIdentifier;
}

/**
 * `y = γ·(x − μ)/√(σ² + ε) + β` per channel (the last axis), over all other axes. In a training
 * step μ, σ² are the batch's (biased variance) and the moving statistics follow
 * `moving = moving·momentum + batch·(1 − momentum)`; otherwise, MC inference
 * (`predict(x, { training: true })`) included, the moving statistics are used. A frozen layer
 * (`trainable: false`) always uses its moving statistics, as in Keras 3.
 */
export class BatchNormalization extends Normalization {
  static override readonly className = 'BatchNormalization';
  /** @internal */
  static override readonly argNames: readonly string[] = [...NORMALIZATION_ARG_NAMES, 'momentum', 'movingMeanInitializer', 'movingVarianceInitializer'];
  /** Keras 2 writes the renorm keys, Keras 3 `synchronized`: read to refuse what kerasm cannot do. @internal */
  static override readonly configKeys: readonly string[] = [...NORMALIZATION_CONFIG_KEYS, 'momentum', 'moving_mean_initializer', 'moving_variance_initializer',
    'synchronized', 'renorm', 'renorm_clipping', 'renorm_momentum'];
  /** Moving statistics: moving = moving·momentum + batch·(1 − momentum). Default 0.99. */
  readonly momentum: number;
  /** Initial moving mean. Default `zeros`. */
  readonly movingMeanInitializer: Initializer;
  /** Initial moving variance. Default `ones`. */
  readonly movingVarianceInitializer: Initializer;
  /** The moving mean per channel (non-trainable, `moving_mean`); null until built. */
  movingMean: LayerWeight | null = null;
  /** The moving variance per channel (non-trainable, `moving_variance`); null until built. */
  movingVariance: LayerWeight | null = null;
  /** Per channel: batch mean, batch variance, then the affine s and t of the last forward. */
  private scratch: Region | null = null;
  /** Whether the last forward normalized with the batch's statistics. */
  private usedBatch = false;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) throw invalidArgument('momentum', 'a number in [0, 1]', args.momentum);
    this.movingMeanInitializer = initializers.get(args.movingMeanInitializer ?? 'zeros', 'movingMeanInitializer');
    this.movingVarianceInitializer = initializers.get(args.movingVarianceInitializer ?? 'ones', 'movingVarianceInitializer');
  }

  /** @internal */
  override build(inputShape: Shape): void {
    super.build(inputShape);
    const c = [this.channels];
    this.movingMean = this.addWeight('moving_mean', c, this.movingMeanInitializer, null, false);
    this.movingVariance = this.addWeight('moving_variance', c, this.movingVarianceInitializer, null, false);
  }

  /** @internal */
  override plan(arena: Arena): void {
    this.scratch = arena.alloc(4 * this.channels * 4);
  }

  /** @internal */
  override unplan(arena: Arena): void {
    if (this.scratch !== null) arena.release(this.scratch);
    this.scratch = null;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const { k } = ctx;
    const c = this.channels;
    const m = this.matrixRows(ctx.rows);
    const mean = this.scratch!.ptr;
    const variance = mean + c * 4;
    const s = variance + c * 4;
    const t = s + c * 4;
    this.usedBatch = ctx.updateStatistics && this.trainable;
    if (this.usedBatch) {
      k.f32_batchnorm_stats(m, c, ctx.x, mean, variance);
      k.f32_batchnorm_coeffs(c, mean, variance, this.ptrOf(this.gamma), this.ptrOf(this.beta), s, t, this.epsilon);
    } else {
      k.f32_batchnorm_coeffs(c, this.ptrOf(this.movingMean), this.ptrOf(this.movingVariance), this.ptrOf(this.gamma), this.ptrOf(this.beta), s, t, this.epsilon);
    }
    k.f32_vaffine_cols(m, c, ctx.x, s, t, ctx.y);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const { k } = ctx;
    const c = this.channels;
    const mean = this.scratch!.ptr;
    const variance = mean + c * 4;
    const mm = this.ptrOf(this.movingMean);
    const mv = this.ptrOf(this.movingVariance);
    const dgamma = this.gradOf(this.gamma);
    const dbeta = this.gradOf(this.beta);
    if (ctx.dx !== 0 || dgamma !== 0 || dbeta !== 0) {
      k.f32_batchnorm_grad(this.matrixRows(ctx.rows), c, ctx.x, ctx.dy, this.usedBatch ? mean : mm, this.usedBatch ? variance : mv,
        this.ptrOf(this.gamma), ctx.dx, dgamma, dbeta, this.epsilon, this.usedBatch ? 1 : 0);
    }
    if (this.trainable) this.addPenaltyGradients(k);
    if (this.usedBatch) {
      // The moving statistics move once the step's backward pass runs, so a step abandoned
      // for a non-finite loss leaves them as they were (as it leaves every weight).
      k.f32_vscale(c, mm, mm, this.momentum);
      k.f32_vaxpy(c, mean, mm, 1 - this.momentum);
      k.f32_vscale(c, mv, mv, this.momentum);
      k.f32_vaxpy(c, variance, mv, 1 - this.momentum);
      this.usedBatch = false;
    }
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      momentum: this.momentum,
      moving_mean_initializer: initializers.serialize(this.movingMeanInitializer),
      moving_variance_initializer: initializers.serialize(this.movingVarianceInitializer),
    };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): BatchNormalization {
    if (c.synchronized === true) throw invalidArgument('synchronized', 'false (kerasm trains on one device)', true);
    if (c.renorm === true) throw invalidArgument('renorm', 'false (batch renormalization is not supported)', true);
    return new BatchNormalization({
      ...normalizationArgsFromConfig(c, BatchNormalization),
      momentum: c.momentum as number | undefined,
      movingMeanInitializer: (c.moving_mean_initializer ?? undefined) as InitializerIdentifier | undefined,
      movingVarianceInitializer: (c.moving_variance_initializer ?? undefined) as InitializerIdentifier | undefined,
    });
  }
}

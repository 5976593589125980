// Concatenate and Dot (Keras 3 keras/src/layers/merging/concatenate.py, dot.py): merges whose
// output shape differs from their inputs'. See merge.ts for what merge layers share.
import { ValueError, invalidArgument } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { LAYER_ARG_NAMES, LAYER_CONFIG_KEYS, layerArgsFromConfig } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';
import { Merge, batchShapes } from './merge.js';

/** Arguments for {@link Concatenate}. Keras: `keras.layers.Concatenate`; TF.js: `tf.layers.concatenate`. */
export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along, counting the batch as 0 (negative from the end). Default −1. */
  axis?: number;
}

/**
 * Joins its inputs along `axis`; all other dimensions must match. In memory each input is a
 * block of columns of the output's rows (rows: the batch times the dimensions before the axis),
 * copied in (forward) and out (backward) by f32_copy_block.
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'axis'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'axis'];
  /** The axis to join along, counting the batch as 0 (negative from the end). Default −1. */
  readonly axis: number;
  /** Per sample: rows of the block copy, and each input's block width. */
  private outer = 0;
  private widths: number[] = [];

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw invalidArgument('axis', 'an integer', args.axis);
  }

  /** @internal */
  protected mergedShape(shapes: readonly Shape[]): Shape {
    const rank = shapes[0]!.length + 1;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const mismatch = () => new ValueError('A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. ' +
      `Received: input_shape=${batchShapes(shapes)}`);
    if (shapes.some((s) => s.length + 1 !== rank)) throw mismatch();
    if (axis < 1 || axis >= rank) {
      throw invalidArgument('axis', `an axis of the inputs other than the batch (1 to ${rank - 1}, or −1 to −${rank - 1}) for inputs of shapes ${batchShapes(shapes)}`, this.axis);
    }
    const at = axis - 1;
    if (shapes.some((s) => s.some((d, i) => i !== at && d !== shapes[0]![i]))) throw mismatch();
    this.outer = shapeSize(shapes[0]!.slice(0, at));
    this.widths = shapes.map((s) => shapeSize(s.slice(at)));
    const out = shapes[0]!.slice();
    out[at] = shapes.reduce((sum, s) => sum + s[at]!, 0);
    return out;
  }

  private get rowWidth(): number {
    return this.widths.reduce((a, b) => a + b, 0);
  }

  /** @internal */
  forward(ctx: StepContext): void {
    const rows = ctx.rows * this.outer;
    const ld = this.rowWidth;
    let off = 0;
    this.widths.forEach((w, j) => {
      ctx.k.f32_copy_block(rows, w, ctx.xs[j]!, w, ctx.y + off * 4, ld);
      off += w;
    });
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const rows = ctx.rows * this.outer;
    const ld = this.rowWidth;
    let off = 0;
    this.widths.forEach((w, j) => {
      if (ctx.dxs[j] !== 0) ctx.k.f32_copy_block(rows, w, ctx.dy + off * 4, ld, ctx.dxs[j]!, w);
      off += w;
    });
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Concatenate {
    return new Concatenate({ ...layerArgsFromConfig(c, Concatenate), axis: (c.axis ?? undefined) as number | undefined });
  }
}

// ---------------------------------------------------------------------------------------------

/** Arguments for {@link Dot}. Keras: `keras.layers.Dot`; TF.js: `tf.layers.dot`. */
export interface DotArgs extends LayerArgs {
  /** The axis of each input summed over: a number for both, or `[a1, a2]`. kerasm: 1 or −1 (inputs [batch, d]). */
  axes: number | [number, number];
  /** L2-normalize before the product (cosine proximity). kerasm: false only. */
  normalize?: boolean;
}

/**
 * Keras `Dot` for two inputs of shape [batch, d]: `y[i] = Σ_j a[i, j]·b[i, j]`, output
 * [batch, 1] (f32_rowdot; backward da = dy·b, db = dy·a by f32_scale_rows). Higher ranks (a
 * batched matrix product) and `normalize: true` are refused with that reason.
 */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  /** @internal */
  static override readonly argNames: readonly string[] = [...LAYER_ARG_NAMES, 'axes', 'normalize'];
  /** @internal */
  static override readonly configKeys: readonly string[] = [...LAYER_CONFIG_KEYS, 'axes', 'normalize'];
  /** The axis of each input summed over: a number for both, or `[a1, a2]`. kerasm: 1 or −1 (inputs [batch, d]). */
  readonly axes: number | [number, number];
  /** L2-normalize before the product (cosine proximity). kerasm: false only. */
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object { axes }', args);
    super(args);
    const axes: unknown = args.axes;
    const pair = Array.isArray(axes) && axes.length === 2 && axes.every((a) => Number.isInteger(a));
    if (!Number.isInteger(axes) && !pair) throw invalidArgument('axes', 'an integer or a list of two integers', axes);
    this.axes = Array.isArray(axes) ? [axes[0] as number, axes[1] as number] : (axes as number);
    this.normalize = args.normalize ?? false;
    if (this.normalize !== false) {
      throw invalidArgument('normalize', 'false (kerasm\'s Dot has no L2 normalization yet: put a layer that normalizes before it)', args.normalize);
    }
  }

  /** @internal */
  protected mergedShape(shapes: readonly Shape[]): Shape {
    if (shapes.length !== 2) throw new ValueError(`A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${batchShapes(shapes)}`);
    const [a, b] = shapes as [Shape, Shape];
    const axes = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const at = axes.map((x, i) => (x < 0 ? x + shapes[i]!.length + 1 : x));
    if (a.length !== 1 || b.length !== 1 || at.some((x) => x !== 1)) {
      throw new ValueError(`Dot layer ${this.name}: kerasm's Dot takes two inputs of shape [batch, d] and axes 1 (or -1); ` +
        `received input shapes ${batchShapes(shapes)} with axes=${JSON.stringify(this.axes)} (a batched matrix product is not supported)`);
    }
    if (a[0] !== b[0]) {
      throw new ValueError(`Incompatible input shapes: axis values ${a[0]} (at axis 1) != ${b[0]} (at axis 1). Full input shapes: ${batchShapes(shapes)}`);
    }
    return [1];
  }

  private get cols(): number {
    return this.inputShape![0]!;
  }

  /** @internal */
  forward(ctx: StepContext): void {
    ctx.k.f32_rowdot(ctx.rows, this.cols, ctx.xs[0]!, ctx.xs[1]!, ctx.y);
  }

  /** @internal */
  backward(ctx: StepContext): void {
    const [da, db] = ctx.dxs;
    if (da !== undefined && da !== 0) ctx.k.f32_scale_rows(ctx.rows, this.cols, ctx.xs[1]!, ctx.dy, da);
    if (db !== undefined && db !== 0) ctx.k.f32_scale_rows(ctx.rows, this.cols, ctx.xs[0]!, ctx.dy, db);
  }

  /** The layer's Keras config (`get_config()`): snake_case keys, as in a saved file. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: Array.isArray(this.axes) ? this.axes.slice() : this.axes, normalize: this.normalize };
  }

  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Dot {
    return new Dot({ ...layerArgsFromConfig(c, Dot), axes: c.axes as number | [number, number], normalize: (c.normalize ?? undefined) as boolean | undefined });
  }
}

// Merge layers (Keras 3 keras/src/layers/merging/): Add, Subtract, Multiply, Average, Maximum,
// Minimum on inputs of one shape; Concatenate and Dot are in concatenate.ts. A merge layer takes
// a list (`takesList`): the engine passes its inputs as `ctx.xs` and wants each input's gradient
// in `ctx.dxs` (0: not wanted), and `ctx.dy` is only read, since several gradients come from it.
// Unlike Keras, inputs are not broadcast against each other: every input has the first one's
// shape (a broadcast merge would need a reduction in backward; it is refused with that reason).
import type { Arena, Region } from '../backend/memory.js';
import { ValueError } from '../errors.js';
import { shapeSize } from '../tensor.js';
import { Layer, layerArgsFromConfig, shapesEqual } from './layer.js';
import type { LayerArgs, Shape, StepContext } from './layer.js';

/** Arguments of the merge layers (the base layer's). */
export type MergeArgs = LayerArgs;

/** `[null, 4]`: a shape with its batch dimension, as the messages print it. */
export function batchShape(s: Shape): string {
  return `[${['null', ...s].join(', ')}]`;
}

/** `[[null, 4], [null, 3]]`. */
export function batchShapes(shapes: readonly Shape[]): string {
  return `[${shapes.map(batchShape).join(', ')}]`;
}

/**
 * The base of the layers that merge a list of inputs: the list checks, the input shapes it was
 * built for, and one input's element count. Subclasses give the output shape (`mergedShape`).
 */
export abstract class Merge extends Layer {
  private shapes: Shape[] = [];

  /** @internal */
  override get takesList(): boolean {
    return true;
  }

  override get inputShapes(): Shape[] {
    return this.shapes.map((s) => s.slice());
  }

  /** Merge layers take a list: the one-shape route (a Sequential model) is refused. */
  computeOutputShape(inputShape: Shape): Shape {
    throw new ValueError(`A merge layer should be called on a list of inputs. Received: input_shape=${batchShape(inputShape)} (not a list of shapes); ` +
      `${this.className} layer ${this.name} merges the outputs of several layers: call it on a list (layer.apply([a, b])) in a functional model`);
  }

  /** @internal */
  override build(inputShape: Shape): void {
    this.computeOutputShape(inputShape);
  }

  /** @internal */
  override buildFrom(shapes: readonly Shape[]): void {
    if (shapes.length < 2) {
      throw new ValueError(`A merge layer should be called on a list of at least 2 inputs. Got ${shapes.length} inputs. Full input_shape received: ${batchShapes(shapes)}`);
    }
    const output = this.mergedShape(shapes);
    this.shapes = shapes.map((s) => s.slice());
    this.inputShape = shapes[0]!.slice();
    this.outputShape = output;
  }

  /** The output shape for these input shapes; a ValueError if they do not merge. @internal */
  protected abstract mergedShape(shapes: readonly Shape[]): Shape;

  /** Elements of one input (all have the same shape) in a batch of `rows`. @internal */
  protected size(rows: number): number {
    return rows * shapeSize(this.inputShape!);
  }
}

/** Keras's check for the elementwise merges, without the broadcasting kerasm does not do. */
function sameShapes(layer: Merge, shapes: readonly Shape[]): Shape {
  const first = shapes[0]!;
  for (const s of shapes.slice(1)) {
    if (shapesEqual(s, first)) continue;
    const n = Math.min(s.length, first.length);
    const clash = s.slice(s.length - n).some((d, i) => d !== 1 && first[first.length - n + i] !== 1 && d !== first[first.length - n + i]);
    if (clash) throw new ValueError(`Inputs have incompatible shapes. Received shapes ${batchShape(first)} and ${batchShape(s)}`);
    throw new ValueError(`${layer.className} layer ${layer.name}: kerasm merges inputs of one shape and does not broadcast them against each other. ` +
      `Received shapes ${batchShapes(shapes)}: reshape or repeat the smaller input first`);
  }
  return first.slice();
}

/** The elementwise merges: output of the inputs' shape. */
abstract class ElementwiseMerge extends Merge {
  /** @internal */
  protected mergedShape(shapes: readonly Shape[]): Shape {
    return sameShapes(this, shapes);
  }
}

// ---------------------------------------------------------------------------------------------

/** Keras `Add`: the sum of the inputs. Each input's gradient is dy. */
export class Add extends ElementwiseMerge {
  static override readonly className = 'Add';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    const { k, xs } = ctx;
    k.f32_vadd(n, xs[0]!, xs[1]!, ctx.y);
    for (let j = 2; j < xs.length; j++) k.f32_vadd(n, ctx.y, xs[j]!, ctx.y);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    for (const dx of ctx.dxs) if (dx !== 0) ctx.k.f32_vcopy(n, ctx.dy, dx);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Add {
    return new Add(layerArgsFromConfig(c, Add));
  }
}

/** Keras `Subtract`: inputs[0] − inputs[1], exactly two inputs. */
export class Subtract extends ElementwiseMerge {
  static override readonly className = 'Subtract';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  protected override mergedShape(shapes: readonly Shape[]): Shape {
    if (shapes.length !== 2) throw new ValueError(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${batchShapes(shapes)}`);
    return super.mergedShape(shapes);
  }
  /** y = x0 + (−1)·x1: exactly x0 − x1 in both builds (−1·x1 is exact, so fused or not, one rounding). @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    ctx.k.f32_vcopy(n, ctx.xs[0]!, ctx.y);
    ctx.k.f32_vaxpy(n, ctx.xs[1]!, ctx.y, -1);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    if (ctx.dxs[0] !== 0) ctx.k.f32_vcopy(n, ctx.dy, ctx.dxs[0]!);
    if (ctx.dxs[1] !== 0) ctx.k.f32_vscale(n, ctx.dy, ctx.dxs[1]!, -1);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Subtract {
    return new Subtract(layerArgsFromConfig(c, Subtract));
  }
}

/** Keras `Multiply`: the elementwise product. Input j's gradient is dy times the other inputs. */
export class Multiply extends ElementwiseMerge {
  static override readonly className = 'Multiply';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    const { k, xs } = ctx;
    k.f32_vmul(n, xs[0]!, xs[1]!, ctx.y);
    for (let j = 2; j < xs.length; j++) k.f32_vmul(n, ctx.y, xs[j]!, ctx.y);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    const { k, xs } = ctx;
    for (let j = 0; j < ctx.dxs.length; j++) {
      const dx = ctx.dxs[j]!;
      if (dx === 0) continue;
      let from = ctx.dy;
      for (let i = 0; i < xs.length; i++) {
        if (i === j) continue;
        k.f32_vmul(n, from, xs[i]!, dx);
        from = dx;
      }
    }
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Multiply {
    return new Multiply(layerArgsFromConfig(c, Multiply));
  }
}

/** Keras `Average`: the sum of the inputs times 1/k. Each input's gradient is dy/k. */
export class Average extends ElementwiseMerge {
  static override readonly className = 'Average';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    const { k, xs } = ctx;
    k.f32_vadd(n, xs[0]!, xs[1]!, ctx.y);
    for (let j = 2; j < xs.length; j++) k.f32_vadd(n, ctx.y, xs[j]!, ctx.y);
    k.f32_vscale(n, ctx.y, ctx.y, 1 / xs.length);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    const s = 1 / ctx.dxs.length;
    for (let j = 0; j < ctx.dxs.length; j++) if (ctx.dxs[j] !== 0) ctx.k.f32_vscale(n, ctx.dy, ctx.dxs[j]!, s);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Average {
    return new Average(layerArgsFromConfig(c, Average));
  }
}

/**
 * Maximum and Minimum: the kernel folded over the inputs. Backward routes dy, element by element,
 * to the first input equal to the output (TensorFlow's gradient: ties go to the first input),
 * through a scratch copy of dy that each input in turn takes its share of.
 */
abstract class Extremum extends ElementwiseMerge {
  private remaining: Region | null = null;
  /** @internal */
  protected abstract fold(ctx: StepContext, n: number, a: number, b: number): void;

  /** @internal */
  override plan(arena: Arena, rows: number): void {
    this.remaining = arena.alloc(Math.max(1, this.size(rows)) * 4);
  }
  /** @internal */
  override unplan(arena: Arena): void {
    if (this.remaining !== null) arena.release(this.remaining);
    this.remaining = null;
  }
  /** @internal */
  forward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    this.fold(ctx, n, ctx.xs[0]!, ctx.xs[1]!);
    for (let j = 2; j < ctx.xs.length; j++) this.fold(ctx, n, ctx.y, ctx.xs[j]!);
  }
  /** @internal */
  backward(ctx: StepContext): void {
    const n = this.size(ctx.rows);
    let last = ctx.dxs.length - 1;
    while (last >= 0 && ctx.dxs[last] === 0) last--;
    if (last < 0) return;
    const r = this.remaining!.ptr;
    ctx.k.f32_vcopy(n, ctx.dy, r);
    for (let j = 0; j <= last; j++) ctx.k.f32_vroute_grad(n, ctx.xs[j]!, ctx.y, r, ctx.dxs[j]!);
  }
}

/** Keras `Maximum`: the elementwise maximum (NaN if an input is NaN). */
export class Maximum extends Extremum {
  static override readonly className = 'Maximum';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  protected fold(ctx: StepContext, n: number, a: number, b: number): void {
    ctx.k.f32_vmax(n, a, b, ctx.y);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Maximum {
    return new Maximum(layerArgsFromConfig(c, Maximum));
  }
}

/** Keras `Minimum`: the elementwise minimum (NaN if an input is NaN). */
export class Minimum extends Extremum {
  static override readonly className = 'Minimum';
  constructor(args: MergeArgs = {}) {
    super(args);
  }
  /** @internal */
  protected fold(ctx: StepContext, n: number, a: number, b: number): void {
    ctx.k.f32_vmin(n, a, b, ctx.y);
  }
  /** Keras `from_config`: the layer a config from `getConfig()` (or a Keras or TF.js file) describes. */
  static fromConfig(c: Record<string, unknown>): Minimum {
    return new Minimum(layerArgsFromConfig(c, Minimum));
  }
}

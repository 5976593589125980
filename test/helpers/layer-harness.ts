// One test of a layer class, after Keras 3's `run_layer_test` (keras/src/testing/test_case.py):
// every class in the layer registry goes through it (test/layers/harness.test.ts, cases in
// layer-cases.ts). The layer is driven directly on a StepContext, its buffers in wasm memory
// with guard words after each one, and checked for
//   1. shapes: computeOutputShape/buildFrom, and a forward and backward on batches of 1 and 3
//      rows (a plan for 3) that write exactly rows × size elements of y and dx, leave x and the
//      guards alone, and write finite numbers;
//   2. weights: names, shapes, order and trainable flags;
//   3. config: `getConfig()` survives JSON, the registry's `fromConfig` gives back the same config
//      without a warning, and the rebuilt layer computes the same output from the same weights
//      (in training too, for a seeded noise layer: the seed is in the config);
//   4. gradients: central differences of L = Σ r·y + penalties (summed in float64 over the
//      float32 outputs) against dx and every trainable weight's gradient, in inference mode and,
//      with `training`, in training mode with the noise held fixed; the weight gradients are the
//      same whether or not dx is wanted (ctx.dx = 0);
//   5. accumulate: a layer whose `sharesWeights` is true adds its weight gradients to `grad`
//      when `ctx.accumulate` is set (and leaves its weight penalty's gradient out);
//   6. options: the factory refuses an unknown option name with a ValueError naming it.
// A list-taking layer (`takesList`: the merge layers) gives `inputShapes`; it reads `ctx.xs` and
// writes `ctx.dxs`, and every check above covers each of its inputs.
import { expect, vi } from 'vitest';
import { backend } from '../../src/backend/loader.js';
import type { Backend } from '../../src/backend/loader.js';
import { ValueError } from '../../src/errors.js';
import type { Layer, LayerWeight, Shape, StepContext } from '../../src/layers/layer.js';
import { LAYER_CLASSES } from '../../src/layers/registry.js';
import { shapeSize } from '../../src/tensor.js';
import { Rng } from './rng.js';
import { GuardedBuffer } from './wasm-buffers.js';

/** `[name, shape]` or `[name, shape, trainable]` (default true), in the layer's weight order. */
export type ExpectedWeight = readonly [name: string, shape: readonly number[], trainable?: boolean];

/** Options of a layer factory call, as a test passes them (the unknown-option check adds one). */
export type ExtraOptions = Record<string, unknown>;

/** What one harness run is told about a layer. */
export interface LayerTestSpec {
  /** A fresh, unbuilt layer; `extra` must be spread into the factory's options object. */
  make: (extra?: ExtraOptions) => Layer;
  /** Input shape without the batch, for a one-input layer. */
  inputShape?: Shape;
  /** Input shapes without the batch, one per input, for a list-taking layer (`takesList`). */
  inputShapes?: Shape[];
  expectedOutputShape: Shape;
  /** The weights once built; default none. */
  expectedWeights?: readonly ExpectedWeight[];
  /** Also run the passes and the gradient check in training mode (noise on, batch statistics). */
  training?: boolean;
  /**
   * Called after the layer's first training forward; returns what puts its noise back before
   * each later forward, so the gradient check sees one function. Default: restore `streamState`
   * (the Philox stream position of the dropout and noise layers).
   */
  fixNoise?: (layer: Layer) => () => void;
  /** Where the layer's derivative jumps (ReLU: [0]; L1: [0]): inputs are kept 0.1 or more away, so differences do not straddle them. */
  kinks?: readonly number[];
  /** Integer ids in [0, ids) as the input (Embedding): no input gradient, the checks cover the weights. */
  ids?: number;
  /**
   * Feed a mask (f32 [rows × steps], 1 real, 0 masked: a fixed random pattern with every sample's
   * first step real) in `ctx.mask`, for layers that read masks (`consumesMask`).
   */
  mask?: boolean;
  /** Inputs of a list-taking layer 0.1 or more apart at every element (Maximum, Minimum: no ties within a step). */
  distinctInputs?: boolean;
  /** Seed of the inputs, weights and loss weights. Default 1. */
  seed?: number;
  /** Relative tolerance of the gradient check, max(1, |g|)-scaled. Default 5e-4 (test/helpers/gradcheck.ts). */
  tolerance?: number;
  /** Rebuilds the layer from its config; default the registry's row for its class. */
  fromConfig?: (config: Record<string, unknown>) => Layer;
}

/** Which optional checks ran: `accumulate` only for layers that share weights and have trainable ones. */
export interface LayerTestReport {
  accumulate: boolean;
  modes: string[];
}

interface Mode {
  training: boolean;
  updateStatistics: boolean;
}

const INFERENCE: Mode = { training: false, updateStatistics: false };
const TRAINING: Mode = { training: true, updateStatistics: true };
/** Rows the rigs are planned for; batches of 1 and 3 run in them. */
const PLANNED = 3;
/**
 * Central-difference step. The differences at h and h/2 are combined (Richardson: (4·D(h/2) −
 * D(h))/3) so the h² truncation term cancels: BatchNormalization over 3 rows curves enough for a
 * plain difference at h = 5e-3 to miss by 3e-3, while float32 rounding keeps h from shrinking.
 */
const H = 5e-3;
const TOLERANCE = 5e-4;
/** Bits of a NaN written into outputs before a pass; a pass must overwrite exactly its rows. */
const SENTINEL = 0x7fc0beef;

/** Run every check on one layer spec; throws (an assertion error) at the first that fails. */
export function runLayerTest(spec: LayerTestSpec): LayerTestReport {
  const b = backend();
  const shapes = spec.inputShapes ?? (spec.inputShape === undefined ? [] : [spec.inputShape]);
  if (shapes.length === 0) throw new Error('runLayerTest: give inputShape (or inputShapes for a list-taking layer)');
  const modes = spec.training === true ? [INFERENCE, TRAINING] : [INFERENCE];
  checkShapes(b, spec, shapes, modes);
  checkWeights(spec, shapes);
  checkConfig(b, spec, shapes);
  for (const mode of modes) checkGradients(b, spec, shapes, mode);
  const accumulate = checkAccumulate(b, spec, shapes);
  checkUnknownOption(spec);
  return { accumulate, modes: modes.map((m) => (m.training ? 'training' : 'inference')) };
}

/** A fresh layer built for `shapes`. */
function built(spec: LayerTestSpec, shapes: Shape[]): Layer {
  const layer = spec.make({});
  layer.buildFrom(shapes);
  return layer;
}

// ---------------------------------------------------------------------------------------------
// The rig: a built layer, its weights, gradients, scratch, workspace and pass buffers in wasm.

class LayerRig {
  readonly inSizes: number[];
  readonly outSize: number;
  private readonly alias: boolean;
  private readonly xs: GuardedBuffer[];
  private readonly y: GuardedBuffer;
  private readonly dy: GuardedBuffer;
  private readonly dxs: GuardedBuffer[];
  private readonly owned: GuardedBuffer[] = [];
  readonly ctx: StepContext;
  private readonly b: Backend;
  readonly layer: Layer;

  /** No input gradient (integer inputs): backward passes run with dx = 0. */
  private readonly noDx: boolean;
  private readonly ids: number | undefined;

  constructor(b: Backend, layer: Layer, spec: Pick<LayerTestSpec, 'ids' | 'mask'> = {}) {
    this.b = b;
    this.layer = layer;
    this.ids = spec.ids;
    this.noDx = spec.ids !== undefined;
    this.inSizes = layer.inputShapes.map(shapeSize);
    this.outSize = shapeSize(layer.outputShape!);
    this.alias = layer.aliasesInput;
    for (const w of layer.weights) {
      w.region = this.buffer(w.size).region;
      w.grad = this.buffer(w.size).region;
    }
    layer.plan(b.arena, PLANNED);
    const wsBytes = (layer as { workspaceBytes?: (k: Backend['k'], rows: number) => number }).workspaceBytes?.call(layer, b.k, PLANNED) ?? 0;
    const ws = this.buffer(Math.max(4, Math.ceil(wsBytes / 4)));
    this.xs = this.inSizes.map((n) => this.buffer(PLANNED * n));
    this.y = this.alias ? this.xs[0]! : this.buffer(PLANNED * this.outSize);
    this.dy = this.buffer(PLANNED * this.outSize);
    this.dxs = this.alias ? [this.dy] : this.inSizes.map((n) => this.buffer(PLANNED * n));
    this.ctx = {
      k: b.k, arena: b.arena, rows: 0, training: false, updateStatistics: false, x: this.xs[0]!.ptr, y: this.y.ptr, dy: this.dy.ptr,
      dx: this.dxs[0]!.ptr, xs: this.xs.map((x) => x.ptr), dxs: this.dxs.map((d) => d.ptr), ys: [this.y.ptr], dys: [this.dy.ptr], mask: 0, maskOut: 0, accumulate: false, ws: ws.ptr,
      lossFused: false, trackPenalty: true, penalty: 0,
    };
    const steps = (shape: Shape): number => shapeSize(shape.slice(0, -1));
    if (spec.mask === true) {
      const n = steps(layer.inputShapes[0]!);
      const rng = new Rng(97);
      this.ctx.mask = this.buffer(PLANNED * n).set(Array.from({ length: PLANNED * n }, (_, i) => (i % n === 0 || rng.next() < 0.6 ? 1 : 0))).ptr;
    }
    if (layer.producesMask) this.ctx.maskOut = this.buffer(PLANNED * steps(layer.outputShape!)).ptr;
  }

  private buffer(n: number): GuardedBuffer {
    const buf = new GuardedBuffer(this.b, n);
    this.owned.push(buf);
    return buf;
  }

  weight(i: number): Float32Array {
    const w = this.layer.weights[i]!;
    return this.b.arena.view(w.region!, w.size);
  }

  grad(i: number): Float32Array {
    const w = this.layer.weights[i]!;
    return this.b.arena.view(w.grad!, w.size);
  }

  /** Trainable weights ±U(0.5, 1.5) (away from 0 for L1 and kinks), the others (moving statistics) U(0.5, 1.5). */
  randomizeWeights(rng: Rng): void {
    this.layer.weights.forEach((w, i) => {
      this.weight(i).set(Float32Array.from({ length: w.size }, () => rng.uniform(0.5, 1.5) * (w.trainable && rng.next() < 0.5 ? -1 : 1)));
    });
  }

  /** Random inputs in [-1.5, 1.5) for `rows` rows, one array per input, kept off the spec's kinks and ties. */
  inputs(rng: Rng, rows: number, spec: Pick<LayerTestSpec, 'kinks' | 'distinctInputs'> = {}): Float32Array[] {
    const kinks = spec.kinks ?? [];
    const draw = (taken: readonly number[]): number => {
      for (;;) {
        const v = Math.fround(rng.uniform(-1.5, 1.5));
        if (kinks.every((k) => Math.abs(v - k) >= 0.1) && (spec.distinctInputs !== true || taken.every((t) => Math.abs(v - t) >= 0.1))) return v;
      }
    };
    const xs = this.inSizes.map((n) => new Float32Array(rows * n));
    if (this.ids !== undefined) {
      // Every id once at least where there is room (row 0 and the last row among them), then random ones.
      for (const x of xs) for (let i = 0; i < x.length; i++) x[i] = i < this.ids ? (i * 7) % this.ids : rng.int(this.ids);
      return xs;
    }
    for (let i = 0; i < xs[0]!.length; i++) {
      const column: number[] = [];
      for (const x of xs) if (i < x.length) column.push((x[i] = draw(column)));
    }
    for (const x of xs) for (let i = xs[0]!.length; i < x.length; i++) x[i] = draw([]);
    return xs;
  }

  /** One forward pass; y (a copy of `rows` rows) and the activity penalty it added. */
  forward(xs: readonly Float32Array[], rows: number, mode: Mode): { y: Float32Array; penalty: number } {
    const where = `${this.layer.className} forward (${rows} rows, ${mode.training ? 'training' : 'inference'})`;
    xs.forEach((x, j) => this.xs[j]!.set(x));
    if (!this.alias) poison(this.b, this.y);
    Object.assign(this.ctx, { rows, training: mode.training, updateStatistics: mode.updateStatistics, penalty: 0 });
    this.layer.forward(this.ctx);
    this.checkGuards(where);
    if (!this.alias) {
      expectWritten(this.b, this.y, rows * this.outSize, `${where}: y`);
      xs.forEach((x, j) => expect(firstDiff(this.xs[j]!.data.subarray(0, x.length), x), `${where}: input ${j} changed at`).toBe(-1));
    }
    return { y: this.y.data.slice(0, rows * this.outSize), penalty: this.ctx.penalty };
  }

  /** One backward pass after a forward; dx of each input (copies, `rows` rows; empty without `needDx`). */
  backward(dy: ArrayLike<number>, rows: number, opts: { needDx?: boolean; accumulate?: boolean } = {}): Float32Array[] {
    const needDx = !this.noDx && (opts.needDx ?? true);
    const where = `${this.layer.className} backward (${rows} rows${opts.accumulate === true ? ', accumulate' : ''}${needDx ? '' : ', dx = 0'})`;
    this.dy.set(dy);
    if (!this.alias) for (const d of this.dxs) poison(this.b, d);
    Object.assign(this.ctx, { rows, accumulate: opts.accumulate ?? false });
    this.ctx.dxs = this.dxs.map((d) => (needDx ? d.ptr : 0));
    this.ctx.dx = this.ctx.dxs[0]!;
    this.layer.backward(this.ctx);
    this.checkGuards(where);
    if (!needDx) return [];
    if (!this.alias) this.dxs.forEach((d, j) => expectWritten(this.b, d, rows * this.inSizes[j]!, `${where}: dx of input ${j}`));
    return this.dxs.map((d, j) => d.data.slice(0, rows * this.inSizes[j]!));
  }

  private checkGuards(where: string): void {
    for (const buf of this.owned) buf.checkGuards(where);
  }

  free(): void {
    this.layer.unplan(this.b.arena);
    for (const w of this.layer.weights) {
      w.region = null;
      w.grad = null;
    }
    for (const buf of this.owned) buf.free();
  }
}

/** Run `fn` on a rig of `layer`, freeing its memory however `fn` ends. */
function withRig<T>(b: Backend, layer: Layer, fn: (rig: LayerRig) => T, spec: Pick<LayerTestSpec, 'ids' | 'mask'> = {}): T {
  const rig = new LayerRig(b, layer, spec);
  try {
    return fn(rig);
  } finally {
    rig.free();
  }
}

function poison(b: Backend, buf: GuardedBuffer): void {
  b.arena.refresh();
  b.arena.i32.fill(SENTINEL, buf.ptr >> 2, (buf.ptr >> 2) + buf.length);
}

/** Elements [0, n) written and finite, [n, length) untouched. */
function expectWritten(b: Backend, buf: GuardedBuffer, n: number, where: string): void {
  b.arena.refresh();
  const i32 = b.arena.i32;
  const base = buf.ptr >> 2;
  const data = buf.data;
  let unwritten = -1;
  for (let i = 0; i < n && unwritten < 0; i++) if (i32[base + i] === SENTINEL || !Number.isFinite(data[i]!)) unwritten = i;
  expect(unwritten, `${where}: element not written (or not finite) of ${n}`).toBe(-1);
  let beyond = -1;
  for (let i = n; i < buf.length && beyond < 0; i++) if (i32[base + i] !== SENTINEL) beyond = i;
  expect(beyond, `${where}: element written past the ${n} of this batch`).toBe(-1);
}

/** Index of the first element where a and c differ (NaN equal to NaN: bit-identity of outputs), or -1. */
function firstDiff(a: ArrayLike<number>, c: ArrayLike<number>): number {
  if (a.length !== c.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], c[i]) && !(a[i] === 0 && c[i] === 0)) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// 1, 2: shapes, buffers and weights.

function checkShapes(b: Backend, spec: LayerTestSpec, shapes: Shape[], modes: Mode[]): void {
  const layer = spec.make({});
  const name = layer.className;
  expect(layer.takesList, `${name}.takesList (inputShapes is for list-taking layers)`).toBe(spec.inputShapes !== undefined);
  expect(layer.outputShape, `${name} is built before its first call`).toBeNull();
  if (!layer.takesList) expect(layer.computeOutputShape(shapes[0]!), `${name}.computeOutputShape`).toEqual(spec.expectedOutputShape);
  layer.buildFrom(shapes);
  expect(layer.outputShape, `${name}.outputShape`).toEqual(spec.expectedOutputShape);
  expect(layer.inputShapes, `${name}.inputShapes`).toEqual(shapes);
  const rng = new Rng(spec.seed ?? 1);
  withRig(b, layer, (rig) => {
    rig.randomizeWeights(rng);
    for (const mode of modes) {
      for (const rows of [1, PLANNED]) {
        rig.forward(rig.inputs(rng, rows), rows, mode);
        rig.backward(Float32Array.from({ length: rows * rig.outSize }, () => rng.uniform(-1, 1)), rows);
      }
    }
  }, spec);
}

function checkWeights(spec: LayerTestSpec, shapes: Shape[]): void {
  const layer = built(spec, shapes);
  const want = (spec.expectedWeights ?? []).map(([n, s, t]) => ({ name: n, shape: [...s], trainable: t ?? true }));
  const got = layer.weights.map((w) => ({ name: w.name, shape: w.shape, trainable: w.trainable }));
  expect(got, `${layer.className} weights (names, shapes, order, trainable)`).toEqual(want);
  expect(layer.countParams(), `${layer.className}.countParams()`).toBe(want.reduce((s, w) => s + shapeSize(w.shape), 0));
  layer.weights.forEach((w) => expect(w.size, `${layer.className} ${w.name}.size`).toBe(shapeSize(w.shape)));
}

// ---------------------------------------------------------------------------------------------
// 3: the config round trip.

function checkConfig(b: Backend, spec: LayerTestSpec, shapes: Shape[]): void {
  const layer = built(spec, shapes);
  const name = layer.className;
  const config = layer.getConfig();
  const json = JSON.stringify(config);
  expect(JSON.parse(json), `${name} config through JSON`).toStrictEqual(config);
  const fromConfig = spec.fromConfig ?? (Object.hasOwn(LAYER_CLASSES, name) ? LAYER_CLASSES[name] : undefined);
  expect(fromConfig, `${name} has a row in LAYER_CLASSES`).toBeDefined();
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  let clone: Layer;
  try {
    clone = fromConfig!(JSON.parse(json) as Record<string, unknown>);
    expect(warn, `${name}: its own config reads without a warning`).not.toHaveBeenCalled();
  } finally {
    warn.mockRestore();
  }
  expect(clone.className).toBe(name);
  expect(clone.getConfig(), `${name} fromConfig(getConfig()).getConfig()`).toStrictEqual(config);
  expect(JSON.stringify(clone.getConfig())).toBe(json);
  clone.buildFrom(shapes);
  expect(clone.weights.map((w) => [w.name, w.shape])).toEqual(layer.weights.map((w) => [w.name, w.shape]));
  const seeded = spec.training === true && typeof config.seed === 'number';
  const rng = new Rng(spec.seed ?? 1);
  withRig(b, layer, (a) => withRig(b, clone, (c) => {
    a.randomizeWeights(rng);
    layer.weights.forEach((_, i) => c.weight(i).set(a.weight(i)));
    const x = a.inputs(rng, PLANNED);
    for (const mode of seeded ? [INFERENCE, TRAINING] : [INFERENCE]) {
      const ya = a.forward(x, PLANNED, mode).y;
      const yc = c.forward(x, PLANNED, mode).y;
      expect(firstDiff(yc, ya), `${name} rebuilt from its config: output (${mode.training ? 'training, same seed' : 'inference'}) differs at`).toBe(-1);
    }
  }, spec), spec);
}

// ---------------------------------------------------------------------------------------------
// 4: gradients by central differences.

/** Default `fixNoise`: put the layer's random stream back where it was after the first draw. */
function holdStream(layer: Layer): () => void {
  const s = layer as unknown as { streamState?: [number, number, number] | null };
  if (!('streamState' in s)) return () => {};
  const state = s.streamState === null || s.streamState === undefined ? null : ([...s.streamState] as [number, number, number]);
  return () => {
    s.streamState = state === null ? null : [...state];
  };
}

/** d loss / d v[i] by central differences at H and H/2, extrapolated; `v` (float32) is left as it was. */
function derivative(v: Float32Array, i: number, loss: () => number): number {
  const orig = v[i]!;
  const diff = (h: number): number => {
    v[i] = orig + h;
    const [hp, lp] = [v[i]!, loss()];
    v[i] = orig - h;
    const [hm, lm] = [v[i]!, loss()];
    v[i] = orig;
    return (lp - lm) / (hp - hm);
  };
  return (4 * diff(H / 2) - diff(H)) / 3;
}

function checkGradients(b: Backend, spec: LayerTestSpec, shapes: Shape[], mode: Mode): void {
  const layer = built(spec, shapes);
  const name = `${layer.className} (${mode.training ? 'training' : 'inference'})`;
  const rng = new Rng(spec.seed ?? 1);
  const tol = spec.tolerance ?? TOLERANCE;
  withRig(b, layer, (rig) => {
    const rows = PLANNED;
    rig.randomizeWeights(rng);
    const xs = rig.inputs(rng, rows, spec);
    const r = Float64Array.from({ length: rows * rig.outSize }, () => rng.uniform(-1, 1));
    rig.forward(xs, rows, mode);
    const restore = (spec.fixNoise ?? holdStream)(layer);
    const loss = (inputs: readonly Float32Array[]): number => {
      restore();
      const { y, penalty } = rig.forward(inputs, rows, mode);
      let s = penalty + layer.weightPenalty(b.k);
      for (let i = 0; i < y.length; i++) s += r[i]! * y[i]!;
      return s;
    };
    loss(xs);
    const dxs = rig.backward(r, rows);
    const grads = layer.weights.map((_, i) => rig.grad(i).slice());
    loss(xs);
    rig.backward(r, rows, { needDx: false });
    layer.weights.forEach((w, i) => {
      if (w.trainable && layer.trainable) expect(firstDiff(rig.grad(i), grads[i]!), `${name} ${w.name} gradient with dx = 0 differs at`).toBe(-1);
    });
    const bad: string[] = [];
    const compare = (what: string, analytic: number, numeric: number) => {
      if (!(Math.abs(numeric - analytic) < tol * Math.max(1, Math.abs(analytic)))) bad.push(`${what}: analytic ${analytic}, numeric ${numeric}`);
    };
    if (spec.ids === undefined) xs.forEach((x, j) => {
      for (let i = 0; i < x.length; i++) {
        compare(`dx${xs.length > 1 ? `${j}` : ''}[${i}]`, dxs[j]![i]!, derivative(x, i, () => loss(xs)));
      }
    });
    layer.weights.forEach((w, wi) => {
      if (!w.trainable || !layer.trainable) return;
      for (let i = 0; i < w.size; i++) compare(`${w.name}[${i}]`, grads[wi]![i]!, derivative(rig.weight(wi), i, () => loss(xs)));
    });
    expect(bad.length, `${name}: gradients against central differences (tolerance ${tol}): ${bad.slice(0, 4).join('; ')}`).toBe(0);
  }, spec);
}

// ---------------------------------------------------------------------------------------------
// 5: accumulate (a shared layer's later calls add their weight gradients).

/** The gradient of w's regularizer the backward pass adds (none where the optimizer fuses it). */
function penaltyGrad(w: LayerWeight, values: Float32Array): Float64Array {
  const g = new Float64Array(w.size);
  const reg = w.regularizer;
  if (reg === null || w.penaltyInUpdate === true) return g;
  for (let i = 0; i < w.size; i++) g[i] = reg.gradientL1 * Math.sign(values[i]!) + 2 * reg.l2 * values[i]!;
  return g;
}

function checkAccumulate(b: Backend, spec: LayerTestSpec, shapes: Shape[]): boolean {
  const layer = built(spec, shapes);
  if (!layer.sharesWeights || !layer.trainable || !layer.weights.some((w) => w.trainable)) return false;
  const name = layer.className;
  const rng = new Rng((spec.seed ?? 1) + 1);
  withRig(b, layer, (rig) => {
    const rows = PLANNED;
    rig.randomizeWeights(rng);
    const xs = rig.inputs(rng, rows, spec);
    const dy = () => Float32Array.from({ length: rows * rig.outSize }, () => rng.uniform(-1, 1));
    const [r1, r2] = [dy(), dy()];
    const pass = (r: Float32Array, accumulate: boolean, before: (i: number) => ArrayLike<number> | null) => {
      layer.weights.forEach((_, i) => {
        const v = before(i);
        if (v !== null) rig.grad(i).set(v);
      });
      rig.forward(xs, rows, INFERENCE);
      const dx = rig.backward(r, rows, { accumulate });
      return { dx, grads: layer.weights.map((_, i) => rig.grad(i).slice()) };
    };
    const first = pass(r1, false, () => null);
    const fresh = pass(r2, false, (i) => new Float32Array(layer.weights[i]!.size).fill(NaN));
    const fromZero = pass(r2, true, (i) => new Float32Array(layer.weights[i]!.size));
    const added = pass(r2, true, (i) => first.grads[i]!);
    const bad: string[] = [];
    layer.weights.forEach((w, i) => {
      if (!w.trainable) return;
      const p = penaltyGrad(w, rig.weight(i));
      for (let j = 0; j < w.size; j++) {
        const want = fresh.grads[i]![j]! - p[j]!;
        if (!(Math.abs(fromZero.grads[i]![j]! - want) <= 1e-5 * Math.max(1, Math.abs(want)))) bad.push(`${w.name}[${j}] from 0: ${fromZero.grads[i]![j]}, want ${want} (the gradient without the penalty's)`);
        const sum = first.grads[i]![j]! + fromZero.grads[i]![j]!;
        if (!(Math.abs(added.grads[i]![j]! - sum) <= 1e-5 * Math.max(1, Math.abs(sum)))) bad.push(`${w.name}[${j}]: ${added.grads[i]![j]}, want grad1 + g = ${sum}`);
      }
    });
    expect(bad.length, `${name}: backward with ctx.accumulate adds to the weight gradients: ${bad.slice(0, 4).join('; ')}`).toBe(0);
    added.dx.forEach((d, j) => expect(firstDiff(d, fresh.dx[j]!), `${name}: dx with ctx.accumulate (dx is written, not added) differs at`).toBe(-1));
  }, spec);
  return true;
}

// ---------------------------------------------------------------------------------------------
// 6: unknown option names.

function checkUnknownOption(spec: LayerTestSpec): void {
  const className = spec.make({}).className;
  let error: unknown = null;
  try {
    spec.make({ bogusOption: 1 });
  } catch (e) {
    error = e;
  }
  expect(error, `${className}: an unknown option is refused (does make() pass its extra options on?)`).toBeInstanceOf(ValueError);
  expect((error as Error).message).toContain(`Unrecognized options passed to ${className}: bogusOption.`);
}

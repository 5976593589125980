// The fused optimizer pass (assembly/f32-optim/common.ts) against the separate passes it
// replaces: f32_l1l2_grad (the layer's backward), f32_vscale (clipnorm / globalClipnorm) or
// f32_clip_by_value (clipvalue), the update kernel without a block, then the constraint
// (f32_nonneg, or a clamp); and Optimizer.apply against the multi-pass step. Shared by
// test/kernels, test/optimizers and test/threads.
import { expect } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { KernelExports, Ptr } from '../../src/backend/kernels.js';
import { FUSED, FUSED_BLOCK_BYTES } from '../../src/backend/kernels-optim.js';
import type { Region } from '../../src/backend/memory.js';
import type { Constraint } from '../../src/constraints/index.js';
import type { LayerWeight } from '../../src/layers/layer.js';
import type { Optimizer } from '../../src/optimizers/index.js';
import type { Regularizer } from '../../src/regularizers/index.js';
import { Rng } from './rng.js';

/** What the block asks for; a field left out is off. */
export interface FusedOptions {
  /** Weight penalty (l1, l2): g + l1·sign(w) + 2·l2·w. (0, 0) still runs it, as the backward pass does for a proximal-only regularizer. */
  penalty?: readonly [number, number];
  /** clipnorm / globalClipnorm factor. */
  scale?: number;
  /** clipvalue: g clipped to [−clip, clip]. */
  clip?: number;
  /** Elementwise constraint after the update: [lo, hi]; [0, ∞) is NonNeg. */
  clamp?: readonly [number, number];
}

export function describeOptions(o: FusedOptions): string {
  const parts: string[] = [];
  if (o.penalty) parts.push(`penalty(${o.penalty[0]}, ${o.penalty[1]})`);
  if (o.scale !== undefined) parts.push(`scale ${o.scale}`);
  if (o.clip !== undefined) parts.push(`clip ${o.clip}`);
  if (o.clamp) parts.push(`clamp [${o.clamp[0]}, ${o.clamp[1]}]`);
  return parts.length === 0 ? 'none' : parts.join(' + ');
}

/** Allocate a block in wasm memory. */
export function allocBlock(b: Backend): Region {
  return b.arena.alloc(FUSED_BLOCK_BYTES);
}

/** Fill the block at `block` for `o`; returns its flags. */
export function writeBlock(b: Backend, block: Ptr, o: FusedOptions): number {
  b.arena.refresh();
  const f32 = b.arena.f32;
  const base = block >> 2;
  let flags = 0;
  if (o.penalty) {
    flags |= FUSED.PENALTY;
    f32[base + FUSED.L1] = o.penalty[0];
    f32[base + FUSED.L2] = o.penalty[1];
  }
  if (o.scale !== undefined) {
    flags |= FUSED.SCALE;
    f32[base + FUSED.SCALE_WORD] = o.scale;
  }
  if (o.clip !== undefined) {
    flags |= FUSED.CLIP;
    f32[base + FUSED.CLIP_LO] = -o.clip;
    f32[base + FUSED.CLIP_HI] = o.clip;
  }
  if (o.clamp) {
    flags |= FUSED.CLAMP;
    f32[base + FUSED.W_LO] = o.clamp[0];
    f32[base + FUSED.W_HI] = o.clamp[1];
  }
  b.arena.i32[base] = flags;
  return flags;
}

/** The gradient passes before the update, in place on g, as they ran before the fusion. */
export function oldGradientPasses(k: KernelExports, n: number, w: Ptr, g: Ptr, o: FusedOptions): void {
  if (o.penalty) k.f32_l1l2_grad(n, w, g, o.penalty[0], o.penalty[1]);
  if (o.scale !== undefined) k.f32_vscale(n, g, g, o.scale);
  if (o.clip !== undefined) k.f32_clip_by_value(n, g, g, o.clip);
}

/** The constraint pass after the update: f32_nonneg for [0, ∞), else min(max(w, lo), hi) element by element in f32. */
export function oldConstraintPass(b: Backend, n: number, w: Ptr, o: FusedOptions): void {
  if (!o.clamp) return;
  const [lo, hi] = o.clamp;
  if (lo === 0 && hi === Infinity) {
    b.k.f32_nonneg(n, w, w);
    return;
  }
  b.arena.refresh();
  const f32 = b.arena.f32;
  const flo = Math.fround(lo);
  const fhi = Math.fround(hi);
  for (let i = w >> 2; i < (w >> 2) + n; i++) f32[i] = Math.min(Math.max(f32[i]!, flo), fhi);
}

export type StateName = 'm' | 'v' | 'vhat' | 'mg' | 'mom' | 'acc' | 'lin';

/** One update kernel configuration: its state buffers, their start values, and the call with a block pointer. */
export interface KernelVariant {
  readonly name: string;
  readonly states: readonly StateName[];
  /** Start value of each state for one element (consistent: v ≥ mg², acc > 0). */
  init(u: () => number): Partial<Record<StateName, number>>;
  call(k: KernelExports, n: number, w: Ptr, g: Ptr, s: Partial<Record<StateName, Ptr>>, wd: number, params: Ptr, it: number): void;
}

const f = Math.fround;

/** Every optimizer kernel, in each of its modes (AMSGrad, centered, momentum, Nesterov, FTRL powers). */
export const KERNEL_VARIANTS: readonly KernelVariant[] = [
  {
    name: 'f32_sgd', states: [], init: () => ({}),
    call: (k, n, w, g, _s, wd, p) => k.f32_sgd(n, w, g, f(0.1), wd, p),
  },
  ...[0, 1].map((nesterov): KernelVariant => ({
    name: `f32_sgd_momentum nesterov=${nesterov}`, states: ['m'], init: (u) => ({ m: 0.1 * (u() - 0.5) }),
    call: (k, n, w, g, s, wd, p) => k.f32_sgd_momentum(n, w, g, s.m!, f(0.1), f(0.9), nesterov, wd, p),
  })),
  ...[false, true].map((ams): KernelVariant => ({
    name: `f32_adam amsgrad=${ams}`, states: ams ? ['m', 'v', 'vhat'] : ['m', 'v'],
    init: (u) => {
      const m = 0.1 * (u() - 0.5);
      const v = m * m + 0.01 * u();
      return { m, v, vhat: u() < 0.5 ? 0.5 * v : v + 0.01 * u() };
    },
    call: (k, n, w, g, s, wd, p, it) => {
      const t = it + 1;
      const lrT = (0.01 * Math.sqrt(1 - f(0.999) ** t)) / (1 - f(0.9) ** t);
      k.f32_adam(n, w, g, s.m!, s.v!, ams ? s.vhat! : 0, lrT, f(0.9), f(0.999), f(1e-7), wd, p);
    },
  })),
  ...[[false, false], [true, false], [false, true], [true, true]].map(([centered, mom]): KernelVariant => ({
    name: `f32_rmsprop centered=${centered} momentum=${mom}`,
    states: ['v', ...(centered ? ['mg' as const] : []), ...(mom ? ['mom' as const] : [])],
    init: (u) => {
      const mg = 0.1 * (u() - 0.5);
      return { mg, v: mg * mg + 0.001 + 0.01 * u(), mom: 0.01 * (u() - 0.5) };
    },
    call: (k, n, w, g, s, wd, p) => k.f32_rmsprop(n, w, g, s.v!, centered ? s.mg! : 0, mom ? s.mom! : 0,
      f(0.001), f(0.9), mom ? f(0.5) : 0, f(1e-7), wd, p),
  })),
  {
    name: 'f32_adagrad', states: ['acc'], init: (u) => ({ acc: 0.1 + 0.1 * u() }),
    call: (k, n, w, g, s, wd, p) => k.f32_adagrad(n, w, g, s.acc!, f(0.1), f(1e-7), wd, p),
  },
  ...[0.5, 0.7].map((e): KernelVariant => ({
    name: `f32_ftrl power=-${e}`, states: ['acc', 'lin'], init: (u) => ({ acc: 0.1 + 0.1 * u(), lin: 0.1 * (u() - 0.5) }),
    call: (k, n, w, g, s, wd, p) => k.f32_ftrl(n, w, g, s.acc!, s.lin!, f(0.05), e, f(0.01), f(2 * 0.001 + 0.1 / 0.05), f(2 * 0.002), wd, p),
  })),
];

/** A copy of the bits of a Float32Array, for exact comparisons (NaN payloads and the sign of zero included). */
export function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.slice().buffer);
}

/** Where two lists of bit arrays first differ (a sentence), or null when they are equal. */
export function firstDifference(got: readonly Uint32Array[], want: readonly Uint32Array[]): string | null {
  if (got.length !== want.length) return `${got.length} buffers, want ${want.length}`;
  for (let j = 0; j < got.length; j++) {
    const a = got[j]!;
    const b = want[j]!;
    if (a.length !== b.length) return `buffer ${j}: ${a.length} elements, want ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) {
        const f = (x: number) => new Float32Array(new Uint32Array([x]).buffer)[0];
        return `buffer ${j}[${i}]: got ${f(a[i]!)} (0x${a[i]!.toString(16)}), want ${f(b[i]!)} (0x${b[i]!.toString(16)})`;
      }
    }
  }
  return null;
}

/** Fails with the first differing element unless the bits are equal (a loop: fast on 100k-element buffers). */
export function expectSameBits(got: readonly Uint32Array[], want: readonly Uint32Array[], label: string): void {
  expect(firstDifference(got, want), label).toBeNull();
}

// Optimizer.apply against the step before the fusion.

/** The protected parts of an optimizer the multi-pass reference calls (the kernel call without a block, the proximal step). */
export interface OptimizerInternals {
  iterations: number;
  slots: Map<LayerWeight, Region[]>;
  update(k: KernelExports, w: LayerWeight, slots: Region[], lr: number, wd: number, params: Ptr): void;
  proxL1(k: KernelExports, w: LayerWeight, slots: Region[], lambda: number, lr: number): void;
}

/**
 * The step as it ran before the fusion: the layer's backward added the penalty gradient into
 * g, then clipping wrote g in place, then the kernel (no block), the proximal step and the
 * constraint, each a pass of its own.
 */
export function multiPassApply(opt: Optimizer, k: KernelExports, weights: readonly LayerWeight[]): void {
  const o = opt as unknown as OptimizerInternals;
  for (const w of weights) {
    const reg = w.regularizer;
    if (reg !== null) k.f32_l1l2_grad(w.size, w.region!.ptr, w.grad!.ptr, reg.gradientL1, reg.l2);
  }
  const lr = opt.learningRate;
  let globalScale = 1;
  if (opt.globalClipnorm !== null) {
    let sq = 0;
    for (const w of weights) sq += k.f32_sumsq(w.size, w.grad!.ptr);
    const norm = Math.sqrt(sq);
    if (norm > opt.globalClipnorm) globalScale = opt.globalClipnorm / norm;
  }
  const wd = opt.weightDecay === null ? 0 : opt.weightDecay * lr;
  for (const w of weights) {
    const g = w.grad!.ptr;
    if (opt.clipvalue !== null) k.f32_clip_by_value(w.size, g, g, opt.clipvalue);
    else if (opt.clipnorm !== null) {
      const norm = Math.sqrt(k.f32_sumsq(w.size, g));
      if (norm > opt.clipnorm) k.f32_vscale(w.size, g, g, opt.clipnorm / norm);
    } else if (globalScale !== 1) k.f32_vscale(w.size, g, g, globalScale);
    const slots = o.slots.get(w)!;
    o.update(k, w, slots, lr, wd, 0);
    const reg = w.regularizer;
    if (reg !== null && reg.proximal && reg.l1 > 0) o.proxL1(k, w, slots, reg.l1, lr);
    if (w.constraint) w.constraint.apply(k, w.region!.ptr, w.shape, w.size);
  }
  o.iterations++;
}

export const OPTIMIZERS: readonly [string, (extra: km.optimizers.OptimizerArgs) => Optimizer][] = [
  ['sgd', (a) => km.optimizers.sgd({ learningRate: 0.1, ...a })],
  ['sgd momentum', (a) => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, ...a })],
  ['sgd nesterov', (a) => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, ...a })],
  ['adam', (a) => km.optimizers.adam({ learningRate: 0.01, ...a })],
  ['adam amsgrad', (a) => km.optimizers.adam({ learningRate: 0.01, amsgrad: true, ...a })],
  ['adamw', (a) => km.optimizers.adamw({ learningRate: 0.01, ...a })],
  ['rmsprop', (a) => km.optimizers.rmsprop({ learningRate: 0.01, ...a })],
  ['rmsprop centered momentum', (a) => km.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5, ...a })],
  ['adagrad', (a) => km.optimizers.adagrad({ learningRate: 0.1, ...a })],
  ['ftrl', (a) => km.optimizers.ftrl({ learningRate: 0.05, l1RegularizationStrength: 0.01, l2RegularizationStrength: 0.001, l2ShrinkageRegularizationStrength: 0.002, beta: 0.1, ...a })],
  ['ftrl power -0.7', (a) => km.optimizers.ftrl({ learningRate: 0.05, learningRatePower: -0.7, ...a })],
];

export const OPTIMIZER_OPTIONS: readonly km.optimizers.OptimizerArgs[] = [
  {}, { clipvalue: 0.05 }, { clipnorm: 0.5 }, { clipnorm: 1e6 }, { globalClipnorm: 1 },
  { weightDecay: 0.05 }, { weightDecay: 0.05, clipvalue: 0.05 }, { weightDecay: 0.05, clipnorm: 0.5 }, { weightDecay: 0.05, globalClipnorm: 1 },
];

const REGULARIZERS: readonly (() => Regularizer | null)[] = [
  () => km.regularizers.l1(0.05),
  () => km.regularizers.l2(0.2),
  () => km.regularizers.l1l2({ l1: 0.05, l2: 0.2 }),
  () => null,
  () => km.regularizers.l1({ l1: 0.05, proximal: true }),
  () => km.regularizers.l1l2({ l1: 0.05, l2: 0.2, proximal: true }),
];
const CONSTRAINTS: readonly (() => Constraint | null)[] = [
  () => km.constraints.nonNeg(),
  () => null,
  () => km.constraints.maxNorm({ maxValue: 1, axis: 0 }),
  () => km.constraints.nonNeg(),
  () => km.constraints.minMaxNorm({ minValue: 0.5, maxValue: 2, axis: 0 }),
];

/** Rotations of `makeWeights` that put every penalty on every size. */
export const ROTATIONS = REGULARIZERS.length;

/** Weights of sizes 1, 3, 5, 17, 1031 (or `sizes`) with a rotation of the penalties and constraints. */
export function makeWeights(backend: Backend, rotation: number, sizes: readonly number[] = [1, 3, 5, 17, 1031]): LayerWeight[] {
  return sizes.map((size, i) => ({
    name: `w${i}`, shape: [size], size, initializer: km.initializers.zeros(),
    regularizer: REGULARIZERS[(i + rotation) % REGULARIZERS.length]!(),
    constraint: CONSTRAINTS[(2 * i + rotation) % CONSTRAINTS.length]!(),
    region: backend.arena.alloc(size * 4), grad: backend.arena.alloc(size * 4), trainable: true,
  }));
}

export function freeWeights(backend: Backend, ws: readonly LayerWeight[]): void {
  for (const w of ws) {
    backend.arena.release(w.region!);
    backend.arena.release(w.grad!);
  }
}

/** Bits of every weight and every optimizer state buffer. */
export function snapshot(backend: Backend, opt: Optimizer, ws: readonly LayerWeight[]): Uint32Array[] {
  const out: Uint32Array[] = [];
  for (const w of ws) {
    out.push(bits(backend.arena.view(w.region!, w.size)));
    for (const r of opt.stateOf(w) ?? []) out.push(bits(backend.arena.view(r, w.size)));
  }
  return out;
}

/**
 * `steps` steps of `make()` fused and of its multi-pass reference from the same weights and
 * gradients; returns the snapshots after each step.
 */
export function compareRuns(backend: Backend, make: () => Optimizer, rotation: number, steps: number, seed: number,
  sizes?: readonly number[], scale = 1): { fused: Uint32Array[][]; multi: Uint32Array[][] } {
  const rng = new Rng(seed);
  const wf = makeWeights(backend, rotation, sizes);
  const wm = makeWeights(backend, rotation, sizes);
  for (let i = 0; i < wf.length; i++) {
    const v = Float32Array.from({ length: wf[i]!.size }, () => rng.awkward(1));
    backend.arena.view(wf[i]!.region!, v.length).set(v);
    backend.arena.view(wm[i]!.region!, v.length).set(v);
  }
  const fused = make();
  const multi = make();
  fused.build(backend.arena, backend.k, wf);
  multi.build(backend.arena, backend.k, wm);
  const out = { fused: [] as Uint32Array[][], multi: [] as Uint32Array[][] };
  for (let step = 0; step < steps; step++) {
    const gs = wf.map((w) => Float32Array.from({ length: w.size }, () => scale * rng.awkward(1)));
    gs.forEach((g, i) => {
      backend.arena.view(wf[i]!.grad!, g.length).set(g);
      backend.arena.view(wm[i]!.grad!, g.length).set(g);
    });
    fused.apply(backend.k, wf);
    multiPassApply(multi, backend.k, wm);
    // The fused pass leaves the gradients as the backward pass wrote them.
    expectSameBits(gs.map((g, i) => bits(backend.arena.view(wf[i]!.grad!, g.length))), gs.map(bits), 'gradients after the fused step');
    out.fused.push(snapshot(backend, fused, wf));
    out.multi.push(snapshot(backend, multi, wm));
  }
  fused.dispose();
  multi.dispose();
  freeWeights(backend, wf);
  freeWeights(backend, wm);
  return out;
}

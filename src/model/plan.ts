// Buffers for a program at a batch size, laid out once and reused by every step: a buffer per
// value (in inference, a value's buffer goes back to a pool once its last reader has run), a
// gradient buffer per value that needs one, per-output label and sample-weight buffers, the GEMM
// workspace, and which fusions each op runs with.
import type { Backend } from '../backend/loader.js';
import type { Ptr } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import type { LayerWeight } from '../layers/layer.js';
import type { Loss } from '../losses/index.js';
import { shapeSize } from '../tensor.js';
import type { Program } from './program.js';

export interface Plan {
  rows: number;
  training: boolean;
  /** Per value: its buffer (rows × size floats). */
  act: Ptr[];
  /** Per value: its gradient buffer (0 where nothing upstream has weights). */
  grad: Ptr[];
  /** Per op, per input: where its backward writes that input's gradient (0: not needed). */
  dxs: Ptr[][];
  /** Per op: [grad, scratch, floats per sample] additions to run after its backward (a value read several times). */
  adds: [Ptr, Ptr, number][][];
  /** Per op: its inputs' buffers, refreshed before each call (ctx.xs; no array per step). */
  xs: Ptr[][];
  /** Per op: its outputs' buffers and their gradients (ctx.ys, ctx.dys). */
  ys: Ptr[][];
  dys: Ptr[][];
  /** Per op: the mask that reaches its first input (ctx.mask) and where it writes the mask it makes (ctx.maskOut); 0: none. */
  mask: Ptr[];
  maskOut: Ptr[];
  /** Per op: [gradient, floats per sample] of its outputs nothing reads, zero-filled before its backward. */
  zero: [Ptr, number][][];
  /** Per op: the op's output goes straight into a fused loss (`lossFused`), by output index, or -1. */
  lossHead: number[];
  /** Per output: how the loss fuses with the output layer's activation. */
  fused: ('softmax' | 'sigmoid' | null)[];
  /** Per output: labels and sample weights. */
  y: Ptr[];
  sw: Ptr[];
  ws: Ptr;
  /**
   * A second buffer for the first input (training with a thread pool): the next batch is staged
   * into it while a GEMM of this step runs on the workers, then the two swap.
   */
  xNext: Ptr;
  regions: Region[];
}

/** Per output: the loss to fuse with (training and evaluation plans), or null. */
export type HeadLosses = readonly (Loss | null)[];

/** Lay out every buffer `program` needs for `rows` rows. Frees what it made if an allocation fails. */
export function makePlan(b: Backend, program: Program, weights: readonly LayerWeight[], rows: number, training: boolean, losses: HeadLosses): Plan {
  const { arena } = b;
  const regions: Region[] = [];
  const alloc = (floats: number): Ptr => {
    const r = arena.alloc(Math.max(floats, 1) * 4);
    regions.push(r);
    return r.ptr;
  };
  try {
    const p = layOut(b, program, rows, training, losses, alloc);
    if (training) for (const w of weights) w.grad = arena.alloc(w.size * 4);
    p.regions = regions;
    return p;
  } catch (e) {
    releasePlan(arena, program, { regions } as Plan, weights);
    throw e;
  }
}

/** Free a plan's buffers, the layers' scratch and the weight gradients. */
export function releasePlan(arena: Arena, program: Program, plan: Plan, weights: readonly LayerWeight[]): void {
  for (const op of program.ops) op.layer.unplan(arena);
  for (const r of plan.regions) arena.release(r);
  for (const w of weights) {
    if (w.grad !== null) arena.release(w.grad);
    w.grad = null;
  }
}

function layOut(b: Backend, program: Program, rows: number, training: boolean, losses: HeadLosses, alloc: (floats: number) => Ptr): Plan {
  const { ops, shapes, outputs } = program;
  const size = (v: number): number => rows * shapeSize(shapes[v]!);
  const act = activations(program, rows, training, alloc);
  const fused = outputs.map((v, h) => lossFusion(program, v, losses[h] ?? null));
  const lossHead = ops.map((_, i) => outputs.findIndex((v, h) => program.producer[v] === i && fused[h] !== null));
  let wsBytes = 16;
  ops.forEach((op) => {
    op.layer.plan(b.arena, rows);
    wsBytes = Math.max(wsBytes, op.layer.workspaceBytes(b.k, rows));
  });
  linkFusions(program, training);
  const grad: Ptr[] = shapes.map(() => 0);
  const dxs: Ptr[][] = ops.map((op) => op.inputs.map(() => 0));
  const adds: [Ptr, Ptr, number][][] = ops.map(() => []);
  if (training) gradients(program, size, grad, dxs, adds, alloc);
  const zero = ops.map((op) => op.outputs.filter((v) => grad[v] !== 0 && program.consumers[v]!.length === 0 && !outputs.includes(v))
    .map((v): [Ptr, number] => [grad[v]!, shapeSize(shapes[v]!)]));
  const maskBuf = program.masks.map((m) => (m.read ? alloc(rows * m.size) : 0));
  const slot = (m: number): Ptr => (m >= 0 ? maskBuf[m]! : 0);
  const y = outputs.map((v) => alloc(size(v)));
  const sw = outputs.map(() => alloc(rows));
  const ws = alloc(Math.ceil(wsBytes / 4));
  b.pool?.reserve(wsBytes);
  const xNext = training && b.pool !== null && b.pool.threads > 1 && program.inputs.length === 1 ? alloc(size(program.inputs[0]!)) : 0;
  return {
    rows, training, act, grad, dxs, adds, xs: ops.map((op) => op.inputs.map(() => 0)), lossHead, fused,
    ys: ops.map((op) => op.outputs.map((v) => act[v]!)), dys: ops.map((op) => op.outputs.map((v) => grad[v]!)),
    mask: ops.map((op) => slot(op.mask)), maskOut: ops.map((op) => slot(op.maskOut)), zero,
    y, sw, ws, xNext, regions: [],
  };
}

/**
 * Gradient buffers: one per value that needs one (an output, or made from weights). Backward runs
 * in reverse, so the last reader of a value writes its gradient and earlier readers write a
 * scratch buffer that is added to it after their backward (for an output, the loss wrote first).
 * A layer that reinterprets its input (Flatten) shares its input's gradient buffer where it is
 * that input's only reader.
 */
function gradients(program: Program, size: (v: number) => number, grad: Ptr[], dxs: Ptr[][], adds: [Ptr, Ptr, number][][], alloc: (floats: number) => Ptr): void {
  const { ops, shapes, consumers, outputs, producer } = program;
  const needs = needsGradient(program);
  for (let v = 0; v < shapes.length; v++) {
    if (!needs[v] && !outputs.includes(v)) continue;
    const p = producer[v]!;
    const u = p >= 0 && ops[p]!.layer.aliasesInput ? ops[p]!.inputs[0]! : -1;
    const alias = u >= 0 && grad[u] !== 0 && consumers[u]!.length === 1 && !outputs.includes(u);
    grad[v] = alias ? grad[u]! : alloc(size(v));
  }
  for (let v = 0; v < shapes.length; v++) {
    if (grad[v] === 0) continue;
    let written = outputs.includes(v);
    for (let c = consumers[v]!.length - 1; c >= 0; c--) {
      const i = consumers[v]![c]!;
      const slot = nextSlot(ops[i]!.inputs, v, dxs[i]!);
      if (!written) {
        dxs[i]![slot] = grad[v]!;
        written = true;
      } else {
        const scratch = alloc(size(v));
        dxs[i]![slot] = scratch;
        adds[i]!.push([grad[v]!, scratch, shapeSize(shapes[v]!)]);
      }
    }
  }
}

/**
 * The slot of op's inputs to assign next for value v, scanning from the end: an op that reads v
 * twice (add([x, x])) gets one gradient buffer per slot.
 */
function nextSlot(inputs: readonly number[], v: number, dxs: readonly Ptr[]): number {
  for (let s = inputs.length - 1; s >= 0; s--) if (inputs[s] === v && dxs[s] === 0) return s;
  return inputs.length - 1;
}

/**
 * A buffer per value. Training keeps every value (backward reads them); inference hands a
 * buffer back to a pool once the value's last reader has run, and takes buffers from it first.
 * Layers that reinterpret their input (`aliasesInput`) share its buffer.
 */
function activations(program: Program, rows: number, training: boolean, alloc: (floats: number) => Ptr): Ptr[] {
  const { ops, shapes, consumers, inputs, outputs } = program;
  const act: Ptr[] = shapes.map(() => 0);
  const bytes = new Map<Ptr, number>();
  const users = new Map<Ptr, number>();
  const pool: Ptr[] = [];
  const take = (floats: number): Ptr => {
    const fit = pool.filter((p) => bytes.get(p)! >= floats).sort((a, c) => bytes.get(a)! - bytes.get(c)!)[0];
    if (fit !== undefined) {
      pool.splice(pool.indexOf(fit), 1);
      return fit;
    }
    const p = alloc(floats);
    bytes.set(p, floats);
    return p;
  };
  const pending = shapes.map((_, v) => consumers[v]!.length + (outputs.includes(v) ? 1 : 0));
  const hold = (v: number, p: Ptr): void => {
    act[v] = p;
    users.set(p, (users.get(p) ?? 0) + 1);
  };
  const done = (v: number): void => {
    if (training || --pending[v]! > 0) return;
    const p = act[v]!;
    const n = users.get(p)! - 1;
    users.set(p, n);
    if (n === 0) pool.push(p);
  };
  for (const v of inputs) hold(v, take(rows * shapeSize(shapes[v]!)));
  ops.forEach((op) => {
    for (const v of op.outputs) {
      if (op.layer.aliasesInput) hold(v, act[op.inputs[0]!]!);
      else hold(v, take(rows * shapeSize(shapes[v]!)));
    }
    for (const v of op.outputs) if (pending[v] === 0 && !training) done(v);
    for (const u of op.inputs) done(u);
  });
  return act;
}

/** Which values need a gradient: those made by an op with weights, or from such a value. */
function needsGradient(program: Program): boolean[] {
  const needs = program.shapes.map(() => false);
  program.ops.forEach((op) => {
    const need = op.layer.weights.length > 0 || op.inputs.some((v) => needs[v]);
    for (const v of op.outputs) needs[v] = need;
  });
  return needs;
}

/** The output activation a loss fuses with, where the output's layer offers it and nothing else reads the output. */
function lossFusion(program: Program, v: number, loss: Loss | null): 'softmax' | 'sigmoid' | null {
  const p = program.producer[v]!;
  if (loss === null || p < 0 || program.consumers[v]!.length > 0 || program.ops[p]!.output !== v) return null;
  return program.ops[p]!.layer.lossFusion(loss);
}

/**
 * Offer each op the op that alone reads its output (`fuseWith`), and hand what it gives to that
 * op (`takeFusion`); inference plans and shared values fuse nothing.
 */
function linkFusions(program: Program, training: boolean): void {
  const { ops, consumers, outputs } = program;
  const incoming = ops.map(() => null as ReturnType<typeof ops[0]['layer']['fuseWith']>);
  ops.forEach((op) => {
    const readers = consumers[op.output]!;
    const next = training && readers.length === 1 && op.outputs.length === 1 && !outputs.includes(op.output) ? ops[readers[0]!]! : null;
    const f = op.layer.fuseWith(next === null || next.inputs.length !== 1 ? null : next.layer);
    if (f !== null) incoming[readers[0]!] = f;
  });
  ops.forEach((op, i) => op.layer.takeFusion(incoming[i] ?? null));
}

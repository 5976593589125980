// Running exported ONNX models in ONNX Runtime (onnxruntime-web's wasm backend, which runs in
// Node), a protobuf wire-format reader to look inside the bytes independently of the writer,
// and the comparison the ONNX tests share.
import * as ort from 'onnxruntime-web';
import { expect } from 'vitest';
import type * as km from '../../src/index.js';
import { Rng } from '../helpers/rng.js';

ort.env.wasm.numThreads = 1;

export interface Array32 {
  data: Float32Array;
  shape: number[];
}

/** Run `bytes` in ONNX Runtime on `feeds` (by input name); the outputs by name. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Array32>): Promise<Record<string, Array32>> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor('float32', f.data, f.shape);
    const out = await session.run(inputs);
    const result: Record<string, Array32> = {};
    for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, shape: t.dims.slice() };
    return result;
  } finally {
    await session.release();
  }
}

/** Random float32 inputs in [-2, 2) for a batch of `batch` samples of `shape`. */
export function randomInput(rng: Rng, batch: number, shape: readonly number[]): Array32 {
  const full = [batch, ...shape];
  const data = new Float32Array(full.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-2, 2);
  return { data, shape: full };
}

/**
 * Give every weight seeded random values (not the initializers' zeros and ones, which would
 * hide a swapped γ/β or mean/variance): variances in [0.5, 1.5), the rest in [-1, 1).
 */
export function randomizeWeights(model: km.Model, seed: number): void {
  const rng = new Rng(seed);
  model.setWeights(model.weights.map((w) => {
    const data = new Float32Array(w.size);
    const positive = w.name === 'moving_variance';
    for (let i = 0; i < data.length; i++) data[i] = positive ? rng.uniform(0.5, 1.5) : rng.uniform(-1, 1);
    return { data, shape: w.shape.slice() };
  }));
}

/** |onnx − kerasm| ≤ 1e-5 · max(1, max |kerasm|), same shape. */
export function expectClose(got: Array32, want: { data: ArrayLike<number>; shape: readonly number[] }, what: string): void {
  expect(got.shape, `${what}: shape`).toEqual([...want.shape]);
  let scale = 1;
  for (let i = 0; i < want.data.length; i++) scale = Math.max(scale, Math.abs(want.data[i]!));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const d = Math.abs(got.data[i]! - want.data[i]!);
    if (!(d <= worst)) [worst, at] = [d, i];
  }
  expect(worst / scale, `${what}: worst difference ${worst} at ${at} (onnx ${got.data[at]}, kerasm ${want.data[at]}), scale ${scale}`).toBeLessThanOrEqual(1e-5);
}

// --- Protobuf wire format, read without the ONNX schema's code ------------------------------

/** A message's fields by number: varints as bigint, 32-bit as their bytes' float, the rest bytes. */
export type Fields = Map<number, (bigint | number | Uint8Array)[]>;

export function decode(bytes: Uint8Array): Fields {
  const fields: Fields = new Map();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (p >= bytes.length) throw new Error('truncated varint');
      const b = bytes[p++]!;
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
  };
  while (p < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    let value: bigint | number | Uint8Array;
    switch (key & 7) {
      case 0: value = varint(); break;
      case 1: value = view.getFloat64(p, true); p += 8; break;
      case 2: { const n = Number(varint()); value = bytes.subarray(p, p + n); p += n; if (p > bytes.length) throw new Error('truncated field'); break; }
      case 5: value = view.getFloat32(p, true); p += 4; break;
      default: throw new Error(`wire type ${key & 7} at byte ${p}`);
    }
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

const utf8 = new TextDecoder();

/** The string fields `field` of a message. */
export function strings(f: Fields, field: number): string[] {
  return (f.get(field) ?? []).map((v) => utf8.decode(v as Uint8Array));
}

/** The sub-messages `field` of a message. */
export function messages(f: Fields, field: number): Fields[] {
  return (f.get(field) ?? []).map((v) => decode(v as Uint8Array));
}

/** A graph input's or output's name and shape (sizes, or the symbolic name of a dimension). */
export function valueInfo(f: Fields): { name: string; elemType: number; shape: (number | string)[] } {
  const tensor = messages(messages(f, 2)[0]!, 1)[0]!;
  const dims = messages(messages(tensor, 2)[0]!, 1);
  return {
    name: strings(f, 1)[0]!,
    elemType: Number(tensor.get(1)![0]),
    shape: dims.map((d) => (d.has(1) ? Number(d.get(1)![0]) : strings(d, 2)[0]!)),
  };
}

/** The parts of an exported model the tests look at. */
export function readModel(bytes: Uint8Array): {
  irVersion: number; opset: number; producer: string; graphName: string;
  ops: string[]; nodeNames: string[]; initializers: string[];
  inputs: ReturnType<typeof valueInfo>[]; outputs: ReturnType<typeof valueInfo>[];
} {
  const m = decode(bytes);
  const graph = messages(m, 7)[0]!;
  const nodes = messages(graph, 1);
  return {
    irVersion: Number(m.get(1)![0]),
    opset: Number(messages(m, 8)[0]!.get(2)![0]),
    producer: strings(m, 2)[0]!,
    graphName: strings(graph, 2)[0]!,
    ops: nodes.map((n) => strings(n, 4)[0]!),
    nodeNames: nodes.map((n) => strings(n, 3)[0]!),
    initializers: messages(graph, 5).map((t) => strings(t, 8)[0]!),
    inputs: messages(graph, 11).map(valueInfo),
    outputs: messages(graph, 12).map(valueInfo),
  };
}

// Kernel tests of the f32-conv family (assembly/f32-conv/) through its orchestration
// (src/backend/conv.ts), so the whole path is tested: geometry block, im2col/col2im chunks and the
// GEMMs for Conv2D/Conv1D, the direct depthwise kernels. Against the float64 direct loops of
// test/reference/conv.ts on odd shapes (kernel 1, 2, 3, 5; stride 1, 2, 3; dilation 1, 2; valid,
// same, causal; channels 1, 3, 5, 17; batch 1 and 7; inputs smaller than the kernel), with guard
// words after every buffer (the workspace too), outputs pre-filled with garbage, inputs unchanged.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import type { Clamp, ConvGeometry, ConvGeometryArgs } from '../../src/backend/conv.js';
import {
  conv2dBackwardFilter, conv2dBackwardInput, conv2dForward, conv2dWorkspaceBytes, convChunkRows, convGeometry,
  depthwiseConv2dBackwardFilter, depthwiseConv2dBackwardInput, depthwiseConv2dForward, depthwiseConv2dWorkspaceBytes, isDirect, isPointwise,
  writeGeometry,
} from '../../src/backend/conv.js';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { Ref } from '../reference/conv.js';
import {
  conv2dFilterGradRef, conv2dInputGradRef, conv2dRef, depthwiseFilterGradRef, depthwiseInputGradRef, depthwiseRef,
} from '../reference/conv.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const TOL = 1e-5;
const GARBAGE = 1234.5;
const CLAMPS: readonly Clamp[] = [[-Infinity, Infinity], [0, Infinity], [-0.25, 0.5]];

type Args = Omit<ConvGeometryArgs, 'cout'> & { cout?: number };

/** got within TOL·Σ|terms| of the float64 reference, element by element. */
function close(what: string, got: Float32Array, want: Ref): void {
  expect(got.length, `${what}: length`).toBe(want.value.length);
  for (let i = 0; i < got.length; i++) {
    const w = want.value[i]!;
    const err = Math.abs(got[i]! - w);
    if (!(err <= TOL * want.mag[i]! + 1e-30)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${w} (Σ|terms| ${want.mag[i]})`);
  }
}

function filled(n: number, rng: Rng): GuardedBuffer {
  const buf = new GuardedBuffer(b, Math.max(1, n));
  rng.fill(buf.data);
  return buf;
}

function garbage(n: number): GuardedBuffer {
  const buf = new GuardedBuffer(b, Math.max(1, n));
  buf.data.fill(GARBAGE);
  return buf;
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(Float32Array.from(a).buffer);
}

function sameBits(what: string, got: Float32Array, want: Float32Array): void {
  const g = bits(got);
  const w = bits(want);
  const at = g.findIndex((v, i) => v !== w[i]);
  expect(at, `${what}: first differing element`).toBe(-1);
}

function describeCase(a: Args): string {
  const pad = a.padding;
  const s = a.rank === 1 ? `1-D steps ${a.inW} k${a.kw} s${a.strideW ?? 1} d${a.dilW ?? 1}`
    : `${a.inH}×${a.inW} k${a.kh}×${a.kw} s${a.strideH ?? 1}×${a.strideW ?? 1} d${a.dilH ?? 1}×${a.dilW ?? 1}`;
  return `${s} ${pad} cin ${a.cin} cout ${a.cout} batch ${a.batch}`;
}

/** The outputs of the three Conv2D passes on one geometry (forward with bias and clamp, dx, dw with β = 0 and 1). */
function runConv(g: ConvGeometry, seed: number, clamp: Clamp, wsRows = g.batch): { y: Float32Array; dx: Float32Array; dw: Float32Array; dw1: Float32Array } {
  const rng = new Rng(seed);
  const xN = g.batch * g.inH * g.inW * g.cin;
  const yN = g.batch * g.outH * g.outW * g.cout;
  const wN = g.kh * g.kw * g.cin * g.cout;
  const x = filled(xN, rng);
  const w = filled(wN, rng);
  const bias = filled(g.cout, rng);
  const dy = filled(yN, rng);
  const dw0 = filled(wN, rng);
  const inputs = [x, w, bias, dy].map((buf) => buf.data.slice());
  const y = garbage(yN);
  const dx = garbage(xN);
  const dw = garbage(wN);
  const dw1 = new GuardedBuffer(b, Math.max(1, wN)).set(dw0.data);
  const ws = new GuardedBuffer(b, conv2dWorkspaceBytes(b.k, g, wsRows) / 4);
  conv2dForward(b, g, x.ptr, w.ptr, bias.ptr, y.ptr, ws.ptr, clamp);
  conv2dBackwardInput(b, g, dy.ptr, w.ptr, dx.ptr, ws.ptr);
  conv2dBackwardFilter(b, g, x.ptr, dy.ptr, dw.ptr, ws.ptr);
  conv2dBackwardFilter(b, g, x.ptr, dy.ptr, dw1.ptr, ws.ptr, 1);
  [x, w, bias, dy].forEach((buf, i) => sameBits('input unchanged', buf.data, inputs[i]!));
  for (const buf of [x, w, bias, dy, dw0, y, dx, dw, dw1, ws]) buf.checkGuards('conv');
  const out = { y: y.data.slice(0, yN), dx: dx.data.slice(0, xN), dw: dw.data.slice(0, wN), dw1: dw1.data.slice(0, wN) };
  for (const buf of [x, w, bias, dy, dw0, y, dx, dw, dw1, ws]) buf.free();
  return out;
}

/** Runs the Conv2D passes and checks each against the float64 reference. */
function checkConv(a: Args, seed: number): void {
  const g = convGeometry({ cout: 3, ...a });
  const what = describeCase({ ...a, cout: g.cout });
  const clamp = CLAMPS[seed % CLAMPS.length]!;
  const rng = new Rng(seed);
  const xN = g.batch * g.inH * g.inW * g.cin;
  const yN = g.batch * g.outH * g.outW * g.cout;
  const wN = g.kh * g.kw * g.cin * g.cout;
  // The same draws as runConv.
  const x = rng.fill(new Float32Array(Math.max(1, xN))).subarray(0, xN);
  const w = rng.fill(new Float32Array(Math.max(1, wN))).subarray(0, wN);
  const bias = rng.fill(new Float32Array(g.cout));
  const dy = rng.fill(new Float32Array(Math.max(1, yN))).subarray(0, yN);
  const dw0 = rng.fill(new Float32Array(Math.max(1, wN))).subarray(0, wN);
  const got = runConv(g, seed, clamp);
  close(`${what}: y`, got.y, conv2dRef(g, x, w, bias, clamp[0], clamp[1]));
  close(`${what}: dx`, got.dx, conv2dInputGradRef(g, dy, w));
  close(`${what}: dw`, got.dw, conv2dFilterGradRef(g, x, dy));
  close(`${what}: dw (β = 1)`, got.dw1, conv2dFilterGradRef(g, x, dy, dw0));
}

/** The depthwise passes against the reference; `cout` = cin·multiplier. */
function checkDepthwise(a: Args, multiplier: number, seed: number): void {
  const g = convGeometry({ ...a, cout: a.cin * multiplier });
  const what = `${describeCase({ ...a, cout: g.cout })} multiplier ${multiplier}`;
  const clamp = CLAMPS[seed % CLAMPS.length]!;
  const rng = new Rng(seed);
  const xN = g.batch * g.inH * g.inW * g.cin;
  const yN = g.batch * g.outH * g.outW * g.cout;
  const wN = g.kh * g.kw * g.cout;
  const x = filled(xN, rng);
  const w = filled(wN, rng);
  const bias = filled(g.cout, rng);
  const dy = filled(yN, rng);
  const dw0 = filled(wN, rng);
  const inputs = [x, w, bias, dy, dw0].map((buf) => buf.data.slice());
  const y = garbage(yN);
  const y0 = garbage(yN);
  const dx = garbage(xN);
  const dw = garbage(wN);
  const ws = new GuardedBuffer(b, depthwiseConv2dWorkspaceBytes() / 4);
  depthwiseConv2dForward(b, g, x.ptr, w.ptr, bias.ptr, y.ptr, ws.ptr, clamp);
  depthwiseConv2dForward(b, g, x.ptr, w.ptr, 0, y0.ptr, ws.ptr);
  depthwiseConv2dBackwardInput(b, g, dy.ptr, w.ptr, dx.ptr, ws.ptr);
  depthwiseConv2dBackwardFilter(b, g, x.ptr, dy.ptr, dw.ptr, ws.ptr);
  depthwiseConv2dBackwardFilter(b, g, x.ptr, dy.ptr, dw0.ptr, ws.ptr, 1);
  const [x0, w0, b0, dyv, dwStart] = inputs as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  [x, w, bias, dy].forEach((buf, i) => sameBits(`${what}: input unchanged`, buf.data, inputs[i]!));
  close(`${what}: y`, y.data, depthwiseRef(g, x0, w0, b0, clamp[0], clamp[1]));
  close(`${what}: y without bias or clamp`, y0.data, depthwiseRef(g, x0, w0, null));
  close(`${what}: dx`, dx.data, depthwiseInputGradRef(g, dyv, w0));
  close(`${what}: dw`, dw.data, depthwiseFilterGradRef(g, x0, dyv));
  close(`${what}: dw (β = 1)`, dw0.data, depthwiseFilterGradRef(g, x0, dyv, dwStart));
  for (const buf of [x, w, bias, dy, dw0, y, y0, dx, dw, ws]) {
    buf.checkGuards(what);
    buf.free();
  }
}

/** Conv2D cases chosen so that every kernel size, stride, dilation, padding, channel count and batch occurs. */
const CONV2D: readonly Args[] = [
  { batch: 7, inH: 5, inW: 4, cin: 3, cout: 5, kh: 1, kw: 1, padding: 'valid' }, // pointwise: no im2col
  { batch: 1, inH: 7, inW: 6, cin: 17, cout: 3, kh: 1, kw: 1, strideH: 2, strideW: 2, padding: 'valid' },
  { batch: 7, inH: 3, inW: 5, cin: 5, cout: 17, kh: 1, kw: 1, padding: 'same' }, // pointwise too
  { batch: 1, inH: 4, inW: 5, cin: 1, cout: 3, kh: 1, kw: 1, strideH: 3, strideW: 3, padding: 'same' },
  { batch: 7, inH: 6, inW: 5, cin: 3, cout: 5, kh: 2, kw: 2, padding: 'same' }, // extra pad bottom/right
  { batch: 1, inH: 7, inW: 9, cin: 1, cout: 3, kh: 2, kw: 2, strideH: 2, strideW: 2, padding: 'valid' },
  { batch: 7, inH: 9, inW: 8, cin: 1, cout: 17, kh: 3, kw: 3, padding: 'valid' },
  { batch: 1, inH: 8, inW: 7, cin: 5, cout: 3, kh: 3, kw: 3, dilH: 2, dilW: 2, padding: 'same' },
  { batch: 1, inH: 7, inW: 7, cin: 17, cout: 5, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'same' },
  { batch: 7, inH: 10, inW: 11, cin: 3, cout: 5, kh: 3, kw: 3, strideH: 3, strideW: 3, padding: 'valid' },
  { batch: 1, inH: 8, inW: 7, cin: 5, cout: 1, kh: 3, kw: 3, strideH: 3, strideW: 3, padding: 'same' },
  { batch: 7, inH: 2, inW: 3, cin: 3, cout: 5, kh: 5, kw: 5, padding: 'same' }, // input smaller than the kernel
  { batch: 1, inH: 1, inW: 1, cin: 1, cout: 3, kh: 5, kw: 5, strideH: 2, strideW: 2, padding: 'same' },
  { batch: 7, inH: 9, inW: 10, cin: 17, cout: 5, kh: 5, kw: 5, dilH: 2, dilW: 2, padding: 'valid' },
  { batch: 1, inH: 4, inW: 4, cin: 5, cout: 17, kh: 5, kw: 5, strideH: 3, strideW: 3, padding: 'same' },
  { batch: 7, inH: 6, inW: 5, cin: 3, cout: 3, kh: 3, kw: 2, strideH: 2, strideW: 1, padding: 'same' },
  { batch: 1, inH: 9, inW: 6, cin: 4, cout: 8, kh: 2, kw: 5, dilH: 2, dilW: 1, padding: 'valid' },
  { batch: 7, inH: 13, inW: 13, cin: 32, cout: 16, kh: 3, kw: 3, padding: 'valid' }, // the MNIST convnet's shape, smaller
];

/** Conv1D cases: [batch, steps, channels], 'causal' among them. */
const CONV1D: readonly Args[] = [
  { batch: 7, inH: 1, inW: 11, cin: 3, cout: 5, kh: 1, kw: 3, dilW: 2, padding: 'causal', rank: 1 },
  { batch: 1, inH: 1, inW: 3, cin: 1, cout: 3, kh: 1, kw: 5, padding: 'causal', rank: 1 }, // shorter than the kernel
  { batch: 7, inH: 1, inW: 9, cin: 17, cout: 3, kh: 1, kw: 2, strideW: 2, padding: 'causal', rank: 1 },
  { batch: 1, inH: 1, inW: 7, cin: 5, cout: 17, kh: 1, kw: 5, strideW: 3, padding: 'same', rank: 1 },
  { batch: 7, inH: 1, inW: 8, cin: 3, cout: 1, kh: 1, kw: 3, dilW: 2, padding: 'valid', rank: 1 },
  { batch: 7, inH: 1, inW: 6, cin: 5, cout: 3, kh: 1, kw: 1, padding: 'causal', rank: 1 }, // causal k = 1: pointwise
  { batch: 1, inH: 1, inW: 10, cin: 17, cout: 5, kh: 1, kw: 3, strideW: 3, padding: 'causal', rank: 1 },
];

/** Random geometries over the same ranges (seeded). */
function randomCases(count: number, seed: number): Args[] {
  const rng = new Rng(seed);
  const pick = <T>(v: readonly T[]): T => v[rng.int(v.length)]!;
  const out: Args[] = [];
  while (out.length < count) {
    const k = [pick([1, 2, 3, 5]), pick([1, 2, 3, 5])];
    const dilated = rng.next() < 0.3;
    const a: Args = {
      batch: pick([1, 2, 7]), inH: 1 + rng.int(9), inW: 1 + rng.int(9), cin: pick([1, 3, 4, 5, 8, 17]), cout: pick([1, 3, 5, 8, 17]),
      kh: k[0]!, kw: k[1]!, strideH: dilated ? 1 : pick([1, 2, 3]), strideW: dilated ? 1 : pick([1, 2, 3]),
      dilH: dilated ? pick([1, 2]) : 1, dilW: dilated ? 2 : 1, padding: pick(['valid', 'same'] as const),
    };
    try {
      convGeometry({ cout: 1, ...a });
      out.push(a);
    } catch {
      // a 'valid' input smaller than the kernel: Keras refuses it too (tested below)
    }
  }
  return out;
}

describe('convGeometry: TensorFlow sizes and pads', () => {
  test("'same' splits the total pad with the extra cell at the bottom/right; 'causal' pads the left", () => {
    const g = (a: Partial<ConvGeometryArgs> & { padding: ConvGeometryArgs['padding'] }) =>
      convGeometry({ inH: 5, inW: 4, cin: 1, kh: 3, kw: 3, cout: 1, ...a });
    expect(g({ padding: 'same', strideH: 2, strideW: 2 })).toMatchObject({ outH: 3, outW: 2, padTop: 1, padLeft: 0 });
    expect(g({ padding: 'same' })).toMatchObject({ outH: 5, outW: 4, padTop: 1, padLeft: 1 });
    expect(g({ padding: 'same', kh: 2, kw: 2 })).toMatchObject({ outH: 5, outW: 4, padTop: 0, padLeft: 0 });
    expect(g({ padding: 'same', kh: 5, kw: 5, dilH: 2, dilW: 2 })).toMatchObject({ outH: 5, outW: 4, padTop: 4, padLeft: 4 });
    expect(g({ padding: 'valid', strideH: 3, strideW: 3 })).toMatchObject({ outH: 1, outW: 1, padTop: 0, padLeft: 0 });
    expect(g({ padding: 'valid', dilH: 2, dilW: 1 })).toMatchObject({ outH: 1, outW: 2 });
    expect(convGeometry({ inH: 1, inW: 7, cin: 1, kh: 1, kw: 3, cout: 1, dilW: 2, padding: 'causal', rank: 1 }))
      .toMatchObject({ outH: 1, outW: 7, padTop: 0, padLeft: 4 });
    expect(convGeometry({ inH: 1, inW: 7, cin: 1, kh: 1, kw: 3, cout: 1, strideW: 2, padding: 'causal', rank: 1 }))
      .toMatchObject({ outW: 4, padLeft: 2 });
  });

  test('impossible sizes and paddings are ValueErrors in Keras wording', () => {
    expect(() => convGeometry({ inH: 2, inW: 2, cin: 3, kh: 3, kw: 3, cout: 8, padding: 'valid' })).toThrow(km.ValueError);
    expect(() => convGeometry({ inH: 2, inW: 2, cin: 3, kh: 3, kw: 3, cout: 8, padding: 'valid' })).toThrow(
      'Computed output size would be zero or negative. Received `inputs shape=(None, 2, 2, 3)`, `kernel shape=(3, 3, 3, 8)`, ' +
      '`dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`.');
    expect(() => convGeometry({ batch: 4, inH: 1, inW: 5, cin: 2, kh: 1, kw: 3, cout: 4, dilW: 3, padding: 'valid', rank: 1 })).toThrow(
      'Computed output size would be zero or negative. Received `inputs shape=(4, 5, 2)`, `kernel shape=(3, 2, 4)`, ' +
      '`dilation_rate=[3]`, `strides=(1,)`, `padding=valid`.');
    expect(() => convGeometry({ inH: 5, inW: 5, cin: 1, kh: 3, kw: 3, cout: 1, padding: 'causal' })).toThrow(
      "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal");
    expect(() => convGeometry({ inH: 5, inW: 5, cin: 1, kh: 0, kw: 3, cout: 1, padding: 'same' })).toThrow(km.ValueError);
    expect(() => convGeometry({ inH: 5, inW: 5, cin: 1, kh: 3, kw: 3, cout: 1, strideW: 0, padding: 'same' })).toThrow(km.ValueError);
    expect(() => convGeometry({ inH: 5, inW: 2.5, cin: 1, kh: 3, kw: 3, cout: 1, padding: 'same' })).toThrow(km.ValueError);
  });

  test('pointwise (no patch matrix) only for 1×1, stride 1, no padding', () => {
    const one = { inH: 4, inW: 4, cin: 2, kh: 1, kw: 1, cout: 3 };
    expect(isPointwise(convGeometry({ ...one, padding: 'same' }))).toBe(true);
    expect(isPointwise(convGeometry({ ...one, padding: 'valid', strideW: 2 }))).toBe(false);
    expect(isPointwise(convGeometry({ ...one, kw: 3, padding: 'valid' }))).toBe(false);
  });
});

describe('Conv2D (im2col + GEMM, col2im) against direct float64 loops', () => {
  test.each(CONV2D.map((a, i) => [describeCase(a), a, i] as const))('%s', (_, a, i) => checkConv(a, 100 + i));
  test('40 random geometries', () => randomCases(40, 5).forEach((a, i) => checkConv(a, 1000 + i)));
});

describe('Conv1D (height 1) against direct float64 loops', () => {
  test.each(CONV1D.map((a, i) => [describeCase(a), a, i] as const))('%s', (_, a, i) => checkConv(a, 200 + i));
});

describe('chunks of the patch matrix', () => {
  const big = convGeometry({ batch: 7, inH: 12, inW: 11, cin: 5, kh: 3, kw: 3, cout: 6, strideH: 1, strideW: 1, padding: 'same' });
  const K4 = 3 * 3 * 5 * 4;

  test('chunks of 256 rows give the bits of one chunk; other chunk sizes the same y and dx and a close dw', () => {
    const one = runConv(big, 9, [0, Infinity]);
    expect(convChunkRows(big)).toBe(7 * 12 * 11);
    const by256 = { ...big, chunkBytes: 256 * K4 + 100 };
    expect(convChunkRows(by256)).toBe(256);
    const c256 = runConv(by256, 9, [0, Infinity]);
    for (const key of ['y', 'dx', 'dw', 'dw1'] as const) sameBits(`256-row chunks: ${key}`, c256[key], one[key]);
    const by37 = { ...big, chunkBytes: 37 * K4 };
    expect(convChunkRows(by37)).toBe(37);
    const c37 = runConv(by37, 9, [0, Infinity]);
    sameBits('37-row chunks: y', c37.y, one.y);
    sameBits('37-row chunks: dx', c37.dx, one.dx);
    checkConv({ batch: 7, inH: 12, inW: 11, cin: 5, kh: 3, kw: 3, cout: 6, padding: 'same' }, 9);
  });

  test('chunked passes against the reference (1-row and 37-row chunks, strided and dilated)', () => {
    for (const [a, rows] of [
      [{ batch: 2, inH: 7, inW: 6, cin: 3, kh: 3, kw: 3, cout: 4, strideH: 2, strideW: 2, padding: 'same' }, 1],
      [{ batch: 3, inH: 9, inW: 8, cin: 17, kh: 3, kw: 2, cout: 5, dilH: 2, dilW: 2, padding: 'valid' }, 37],
      [{ batch: 7, inH: 1, inW: 20, cin: 5, kh: 1, kw: 5, cout: 3, padding: 'causal', rank: 1 }, 37],
    ] as const) {
      const g = convGeometry(a);
      const chunked = { ...g, chunkBytes: rows * g.kh * g.kw * g.cin * 4 };
      expect(convChunkRows(chunked)).toBe(rows);
      const rng = new Rng(4);
      const n = (v: number) => rng.fill(new Float32Array(Math.max(1, v))).subarray(0, v);
      const x = n(g.batch * g.inH * g.inW * g.cin);
      const w = n(g.kh * g.kw * g.cin * g.cout);
      const bias = n(g.cout);
      const dy = n(g.batch * g.outH * g.outW * g.cout);
      const got = runConv(chunked, 4, [-Infinity, Infinity]);
      close(`${describeCase(a)} in ${rows}-row chunks: y`, got.y, conv2dRef(g, x, w, bias));
      close(`${describeCase(a)} in ${rows}-row chunks: dx`, got.dx, conv2dInputGradRef(g, dy, w));
      close(`${describeCase(a)} in ${rows}-row chunks: dw`, got.dw, conv2dFilterGradRef(g, x, dy));
    }
  });

  test('a call on fewer samples than the workspace was sized for', () => {
    const g = convGeometry({ batch: 7, inH: 6, inW: 5, cin: 3, kh: 3, kw: 3, cout: 4, padding: 'same' });
    const few = runConv({ ...g, batch: 3 }, 12, [-Infinity, Infinity], 7);
    const exact = runConv({ ...g, batch: 3 }, 12, [-Infinity, Infinity], 3);
    for (const key of ['y', 'dx', 'dw'] as const) sameBits(key, few[key], exact[key]);
  });

  test('the workspace stays bounded: at most CHUNK_BYTES of patches for the MNIST convnet at batch 256', () => {
    const g = convGeometry({ batch: 256, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, cout: 64, padding: 'valid' });
    expect(conv2dWorkspaceBytes(b.k, g)).toBeLessThanOrEqual(16 << 20);
    expect(convChunkRows(g) % 256).toBe(0);
  });
});

describe('direct convolution (few taps: f32_conv2d_nhwc_direct and its filter gradient)', () => {
  // cin·kh·kw ≤ 32 and cout ≥ 8: the forward and dw run direct, dx stays on the GEMM (checked too).
  const CASES: readonly Args[] = [
    { batch: 7, inH: 9, inW: 8, cin: 1, cout: 8, kh: 3, kw: 3, padding: 'valid' },
    { batch: 1, inH: 28, inW: 28, cin: 1, cout: 32, kh: 3, kw: 3, padding: 'valid' }, // the MNIST convnet's first
    { batch: 7, inH: 7, inW: 9, cin: 3, cout: 17, kh: 3, kw: 3, padding: 'same' },
    { batch: 1, inH: 8, inW: 7, cin: 1, cout: 12, kh: 5, kw: 5, dilH: 2, dilW: 2, padding: 'same' },
    { batch: 7, inH: 10, inW: 11, cin: 3, cout: 9, kh: 3, kw: 3, strideH: 2, strideW: 3, padding: 'same' },
    { batch: 1, inH: 11, inW: 13, cin: 1, cout: 33, kh: 5, kw: 5, strideH: 3, strideW: 2, padding: 'valid' },
    { batch: 7, inH: 2, inW: 3, cin: 1, cout: 8, kh: 5, kw: 5, padding: 'same' }, // input smaller than the kernel
    { batch: 1, inH: 6, inW: 14, cin: 5, cout: 20, kh: 2, kw: 2, dilH: 2, dilW: 2, padding: 'valid' },
    { batch: 7, inH: 5, inW: 9, cin: 17, cout: 8, kh: 1, kw: 1, strideH: 2, strideW: 2, padding: 'valid' }, // 1×1 strided
    { batch: 7, inH: 1, inW: 15, cin: 3, cout: 16, kh: 1, kw: 5, padding: 'causal', rank: 1 },
    { batch: 1, inH: 1, inW: 17, cin: 5, cout: 10, kh: 1, kw: 3, strideW: 2, padding: 'same', rank: 1 },
  ];
  test.each(CASES.map((a, i) => [describeCase(a), a, i] as const))('%s', (_, a, i) => {
    expect(isDirect(convGeometry({ cout: 8, ...a }))).toBe(true);
    checkConv(a, 400 + i);
  });

  test('the rule: few taps and at least 8 filters', () => {
    const g = (a: Partial<ConvGeometryArgs>) => convGeometry({ inH: 9, inW: 9, cin: 1, kh: 3, kw: 3, cout: 32, padding: 'valid', ...a });
    expect(isDirect(g({}))).toBe(true);
    expect(isDirect(g({ cin: 3 }))).toBe(true); // 27 taps
    expect(isDirect(g({ cin: 4 }))).toBe(false); // 36 taps: the patch GEMM
    expect(isDirect(g({ cout: 7 }))).toBe(false);
    expect(isDirect(g({ kh: 1, kw: 1 }))).toBe(false); // pointwise: a plain GEMM
  });

  test('any split of rows (forward) or of channels at multiples of 4 (dw) gives the same bits', () => {
    for (const a of [CASES[2]!, CASES[4]!, CASES[5]!]) {
      const g = convGeometry({ cout: 8, ...a });
      const rng = new Rng(77);
      const xN = g.batch * g.inH * g.inW * g.cin;
      const yN = g.batch * g.outH * g.outW * g.cout;
      const wN = g.kh * g.kw * g.cin * g.cout;
      const [x, w, bias, dy, dw0] = [xN, wN, g.cout, yN, wN].map((n) => filled(n, rng)) as [GuardedBuffer, GuardedBuffer, GuardedBuffer, GuardedBuffer, GuardedBuffer];
      const ws = new GuardedBuffer(b, 16);
      writeGeometry(b, g, ws.ptr);
      const rows = g.batch * g.outH;
      const run = (ranges: readonly number[], beta: 0 | 1): { y: Float32Array; dw: Float32Array } => {
        const y = garbage(yN);
        const dw = new GuardedBuffer(b, wN).set(beta ? dw0.data : new Float32Array(wN).fill(GARBAGE));
        for (let i = 0; i + 1 < ranges.length; i++) {
          const r0 = Math.round(ranges[i]! * rows);
          const r1 = Math.round(ranges[i + 1]! * rows);
          b.k.f32_conv2d_nhwc_direct(r1 - r0, x.ptr, w.ptr, bias.ptr, y.ptr, ws.ptr, r0, -0.5, 1);
          const c0 = Math.min(g.cout, 4 * Math.round(ranges[i]! * g.cout / 4));
          const c1 = i + 2 === ranges.length ? g.cout : Math.min(g.cout, 4 * Math.round(ranges[i + 1]! * g.cout / 4));
          b.k.f32_conv2d_nhwc_direct_filter_grad(c1 - c0, x.ptr, dy.ptr, dw.ptr, ws.ptr, c0, beta);
        }
        y.checkGuards('y');
        dw.checkGuards('dw');
        const out = { y: y.data.slice(), dw: dw.data.slice() };
        y.free();
        dw.free();
        return out;
      };
      for (const beta of [0, 1] as const) {
        const whole = run([0, 1], beta);
        for (const split of [[0, 0.5, 1], [0, 0.2, 0.3, 0.9, 1], [0, 0.01, 1]]) {
          const parts = run(split, beta);
          sameBits(`${describeCase(a)} split ${split.join('/')}: y`, parts.y, whole.y);
          sameBits(`${describeCase(a)} split ${split.join('/')}: dw (β = ${beta})`, parts.dw, whole.dw);
        }
      }
      for (const buf of [x, w, bias, dy, dw0, ws]) buf.free();
    }
  });
});

describe('f32_conv_bias_grad: column sums split by channels', () => {
  test("f32_colsum's bits for any channel split, β = 0 and 1, odd widths", () => {
    const rng = new Rng(31);
    for (const [m, n] of [[1, 1], [7, 5], [130, 17], [43, 32], [9, 64]] as const) {
      const x = filled(m * n, rng);
      const y0 = filled(n, rng);
      for (const beta of [0, 1] as const) {
        const want = new GuardedBuffer(b, n).set(y0.data);
        b.k.f32_colsum(m, n, x.ptr, n, want.ptr, beta);
        for (const cuts of [[0, n], [0, 4 * Math.floor(n / 8), n], [0, 4, 8, n]]) {
          const got = new GuardedBuffer(b, n).set(beta ? y0.data : new Float32Array(n).fill(GARBAGE));
          for (let i = 0; i + 1 < cuts.length; i++) {
            const c0 = Math.min(n, cuts[i]!);
            const c1 = Math.max(c0, Math.min(n, cuts[i + 1]!));
            b.k.f32_conv_bias_grad(c1 - c0, x.ptr, got.ptr, m, n, c0, beta);
          }
          got.checkGuards('bias grad');
          sameBits(`m ${m} n ${n} β ${beta} cuts ${cuts.join('/')}`, got.data, want.data);
          got.free();
        }
        want.free();
      }
      x.free();
      y0.free();
    }
  });
});

describe('depthwise (direct) against direct float64 loops', () => {
  const CASES: readonly [Args, number][] = [
    [{ batch: 7, inH: 5, inW: 4, cin: 3, kh: 1, kw: 1, padding: 'valid' }, 1],
    [{ batch: 1, inH: 6, inW: 5, cin: 17, kh: 2, kw: 2, padding: 'same' }, 1],
    [{ batch: 7, inH: 7, inW: 6, cin: 5, kh: 3, kw: 3, padding: 'same' }, 2],
    [{ batch: 1, inH: 8, inW: 7, cin: 1, kh: 3, kw: 3, strideH: 2, strideW: 2, padding: 'valid' }, 3],
    [{ batch: 7, inH: 9, inW: 8, cin: 4, kh: 3, kw: 3, dilH: 2, dilW: 2, padding: 'same' }, 1],
    [{ batch: 1, inH: 10, inW: 11, cin: 17, kh: 5, kw: 5, strideH: 3, strideW: 3, padding: 'same' }, 2],
    [{ batch: 7, inH: 2, inW: 3, cin: 3, kh: 5, kw: 5, padding: 'same' }, 1], // input smaller than the kernel
    [{ batch: 1, inH: 9, inW: 10, cin: 5, kh: 5, kw: 3, dilH: 2, dilW: 1, padding: 'valid' }, 3],
    [{ batch: 7, inH: 6, inW: 7, cin: 8, kh: 2, kw: 3, strideH: 3, strideW: 2, padding: 'valid' }, 1],
    [{ batch: 7, inH: 1, inW: 11, cin: 5, kh: 1, kw: 3, dilW: 2, padding: 'causal', rank: 1 }, 1],
    [{ batch: 1, inH: 3, inW: 3, cin: 1, kh: 3, kw: 3, padding: 'same' }, 5],
    [{ batch: 7, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, padding: 'same' }, 1],
  ];
  test.each(CASES.map(([a, m], i) => [`${describeCase({ ...a, cout: a.cin * m })} multiplier ${m}`, a, m, i] as const))('%s',
    (_, a, m, i) => checkDepthwise(a, m, 300 + i));
  test('30 random geometries', () => {
    const rng = new Rng(17);
    randomCases(30, 6).forEach((a, i) => checkDepthwise(a, 1 + rng.int(3), 3000 + i));
  });
});

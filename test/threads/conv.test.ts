// The f32-conv family on the threads builds: the pool splits im2col and col2im by rows, the
// depthwise kernels by rows (forward, dx) and channels (dw), and the GEMMs between them by rows or
// columns; 1 and 2 threads must give the same bits for every pass, chunked or not.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { ConvGeometry } from '../../src/backend/conv.js';
import {
  conv2dBackwardFilter, conv2dBackwardInput, conv2dForward, conv2dWorkspaceBytes, convChunkRows, convGeometry,
  depthwiseConv2dBackwardFilter, depthwiseConv2dBackwardInput, depthwiseConv2dForward, depthwiseConv2dWorkspaceBytes,
} from '../../src/backend/conv.js';
import { KERNELS } from '../../src/backend/kernels.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
});
afterAll(async () => {
  await km.shutdown();
});

/** The split threshold of a kernel in the table. */
function minSplit(name: keyof typeof KERNELS): number {
  const spec = KERNELS[name];
  return typeof spec !== 'string' && 'split' in spec ? spec.split.minElements ?? 1 << 16 : Infinity;
}

type Pass = (bufs: { x: number; w: number; bias: number; dy: number; out: number; ws: number }) => void;

/** Runs `pass` on fresh buffers with 1 and 2 threads; its output, bit for bit equal. */
async function sameWithThreads(what: string, sizes: { x: number; w: number; y: number; out: number; ws: number }, pass: Pass): Promise<void> {
  const runs: Uint32Array[] = [];
  for (const threads of [1, 2]) {
    await km.setThreads(threads);
    b.pool!.reserve(sizes.ws); // the workers' GEMM workspaces, as planning a model does
    const rng = new Rng(8);
    const x = new GuardedBuffer(b, sizes.x);
    const w = new GuardedBuffer(b, sizes.w);
    const bias = new GuardedBuffer(b, sizes.w); // at least cout
    const dy = new GuardedBuffer(b, sizes.y);
    const out = new GuardedBuffer(b, sizes.out);
    const ws = new GuardedBuffer(b, sizes.ws / 4);
    for (const buf of [x, w, bias, dy, out]) rng.fill(buf.data);
    pass({ x: x.ptr, w: w.ptr, bias: bias.ptr, dy: dy.ptr, out: out.ptr, ws: ws.ptr });
    runs.push(new Uint32Array(Float32Array.from(out.data).buffer));
    for (const buf of [x, w, bias, dy, out, ws]) {
      buf.checkGuards(what);
      buf.free();
    }
  }
  const at = runs[0]!.findIndex((v, j) => v !== runs[1]![j]);
  expect(at, `${what}: first element that differs between 1 and 2 threads`).toBe(-1);
}

async function convPasses(name: string, g: ConvGeometry): Promise<void> {
  const xN = g.batch * g.inH * g.inW * g.cin;
  const yN = g.batch * g.outH * g.outW * g.cout;
  const wN = g.kh * g.kw * g.cin * g.cout;
  const ws = conv2dWorkspaceBytes(b.k, g);
  await sameWithThreads(`${name}: forward`, { x: xN, w: wN, y: yN, out: yN, ws }, (p) => conv2dForward(b, g, p.x, p.w, p.bias, p.out, p.ws, [0, Infinity]));
  await sameWithThreads(`${name}: dx`, { x: xN, w: wN, y: yN, out: xN, ws }, (p) => conv2dBackwardInput(b, g, p.dy, p.w, p.out, p.ws));
  await sameWithThreads(`${name}: dw`, { x: xN, w: wN, y: yN, out: wN, ws }, (p) => conv2dBackwardFilter(b, g, p.x, p.dy, p.out, p.ws));
  await sameWithThreads(`${name}: dw, β = 1`, { x: xN, w: wN, y: yN, out: wN, ws }, (p) => conv2dBackwardFilter(b, g, p.x, p.dy, p.out, p.ws, 1));
}

test('Conv2D forward, dx and dw: 1 and 2 threads give the same bits (one chunk and several)', async () => {
  // The MNIST convnet's second convolution at batch 8: every kernel above its split threshold.
  const g = convGeometry({ batch: 8, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, cout: 64, padding: 'valid' });
  expect(g.batch * g.outH * g.outW).toBeGreaterThanOrEqual(2 * minSplit('f32_im2col_nhwc'));
  expect(g.batch * g.inH).toBeGreaterThanOrEqual(2 * minSplit('f32_col2im_nhwc_add'));
  await convPasses('3×3 valid', g);
  for (const rows of [512, 200]) {
    const chunked = { ...g, chunkBytes: rows * 288 * 4 };
    expect(convChunkRows(chunked)).toBe(rows);
    await convPasses(`3×3 valid in ${rows}-row chunks`, chunked);
  }
  await convPasses('5×5 same stride 2', convGeometry({ batch: 16, inH: 17, inW: 15, cin: 5, kh: 5, kw: 5, cout: 17, strideH: 2, strideW: 2, padding: 'same' }));
  await convPasses('1×1 (plain GEMM)', convGeometry({ batch: 8, inH: 13, inW: 13, cin: 32, kh: 1, kw: 1, cout: 64, padding: 'valid' }));
});

test('depthwise forward, dx and dw: 1 and 2 threads give the same bits', async () => {
  for (const [name, g] of [
    ['3×3 same', convGeometry({ batch: 8, inH: 13, inW: 13, cin: 32, kh: 3, kw: 3, cout: 32, padding: 'same' })],
    ['5×5 stride 2, multiplier 3', convGeometry({ batch: 7, inH: 15, inW: 14, cin: 17, kh: 5, kw: 5, cout: 51, strideH: 2, strideW: 2, padding: 'same' })],
  ] as const) {
    expect(g.batch * g.outH).toBeGreaterThanOrEqual(2 * minSplit('f32_dwconv2d_nhwc'));
    expect(g.batch * g.inH).toBeGreaterThanOrEqual(2 * minSplit('f32_dwconv2d_nhwc_input_grad'));
    expect(g.cin).toBeGreaterThanOrEqual(2 * minSplit('f32_dwconv2d_nhwc_filter_grad'));
    const xN = g.batch * g.inH * g.inW * g.cin;
    const yN = g.batch * g.outH * g.outW * g.cout;
    const wN = g.kh * g.kw * g.cout;
    const ws = depthwiseConv2dWorkspaceBytes();
    await sameWithThreads(`${name}: forward`, { x: xN, w: wN, y: yN, out: yN, ws }, (p) => depthwiseConv2dForward(b, g, p.x, p.w, p.bias, p.out, p.ws, [-1, 1]));
    await sameWithThreads(`${name}: dx`, { x: xN, w: wN, y: yN, out: xN, ws }, (p) => depthwiseConv2dBackwardInput(b, g, p.dy, p.w, p.out, p.ws));
    await sameWithThreads(`${name}: dw`, { x: xN, w: wN, y: yN, out: wN, ws }, (p) => depthwiseConv2dBackwardFilter(b, g, p.x, p.dy, p.out, p.ws));
    await sameWithThreads(`${name}: dw, β = 1`, { x: xN, w: wN, y: yN, out: wN, ws }, (p) => depthwiseConv2dBackwardFilter(b, g, p.x, p.dy, p.out, p.ws, 1));
  }
});

// Convolutions on NHWC tensors, orchestrated: a convolution is a GEMM on the patch matrix
// (im2col, assembly/f32-conv): y = patches·W (+ bias, clamped: the fused activation),
// dpatches = dy·Wᵀ scattered back by col2im, dW = patchesᵀ·dy. The patch matrix is built a chunk
// of output pixels at a time in the workspace (at most CHUNK_BYTES), one GEMM per chunk, so memory
// stays bounded whatever the batch; 1×1 convolutions with stride 1 and no padding need no patches
// at all (the NHWC input is the patch matrix). Depthwise convolutions call their direct kernels, and
// so do the forward and filter gradient of convolutions with few taps (isDirect: cin·kh·kw ≤ 32).
// No element loops here: the kernels do the arithmetic, this file only sizes and sequences them.
//
// Results never depend on the chunk size or the thread count: the forward and dx are sums in an
// order fixed per element (increasing kernel tap; increasing patch row in col2im), and chunks of
// the filter gradient are multiples of the GEMM's k-block (256), which sums each block from zero
// and adds it to C in order — exactly what β = 1 over consecutive chunks does.
import { ValueError, checkPositiveInt } from '../errors.js';
import type { KernelExports, Ptr } from './kernels.js';
import type { Arena } from './memory.js';

/** Keras's `padding` of a convolution ('causal': 1-D only). */
export type ConvPadding = 'valid' | 'same' | 'causal';

/**
 * The sizes of a 2-D convolution on NHWC tensors (a 1-D one has inH = kh = 1). Pads are
 * TensorFlow's explicit top and left pads (the bottom and right ones follow from the output size).
 */
export interface ConvGeometry {
  /** Samples of the next call (≤ the batch its workspace was sized for); a layer sets it per step. */
  batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly cin: number;
  readonly kh: number;
  readonly kw: number;
  /** Output channels: filters, or cin × depthMultiplier for a depthwise convolution. */
  readonly cout: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
  /** Largest patch chunk in bytes (default CHUNK_BYTES); tests lower it to exercise chunking. */
  readonly chunkBytes?: number;
}

/** Keras arguments of a convolution, per dimension. */
export interface ConvGeometryArgs {
  /** Samples per call; omitted: 1 (errors then show the batch as None, as Keras at build time). */
  batch?: number;
  inH: number;
  inW: number;
  cin: number;
  kh: number;
  kw: number;
  cout: number;
  strideH?: number;
  strideW?: number;
  dilH?: number;
  dilW?: number;
  padding: ConvPadding;
  /** 1 for Conv1D (steps in inW, kernel in kw; allows 'causal'), 2 (default) for Conv2D. */
  rank?: 1 | 2;
}

/** The exports and the arena: a Backend or a layer's StepContext. */
export interface ConvBackend {
  readonly k: KernelExports;
  readonly arena: Arena;
}

/** The fused activation as a clamp [min, max] (activations' `clamp`); none by default. */
export type Clamp = readonly [number, number];
const NO_CLAMP: Clamp = [-Infinity, Infinity];

/** The geometry block the kernels read (assembly/f32-conv/geometry.ts), at the start of the workspace. */
const GEOM_BYTES = 64;
/** Bytes of the geometry block writeGeometry writes. */
export const GEOMETRY_BYTES = GEOM_BYTES;
/** Largest patch chunk held in the workspace. */
export const CHUNK_BYTES = 4 << 20;
/** The GEMM's k-block (assembly/f32-gemm): filter-gradient chunks are multiples of it. */
const GEMM_KC = 256;

/**
 * Output size and pads from Keras's arguments, as TensorFlow computes them: 'valid' no padding;
 * 'same' out = ceil(in / stride), the total pad split with the extra cell at the bottom/right;
 * 'causal' (1-D) out as 'same', all of dilation·(k − 1) on the left.
 */
export function convGeometry(args: ConvGeometryArgs): ConvGeometry {
  const rank = args.rank ?? 2;
  const { padding } = args;
  const allowed = rank === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  if (!allowed.includes(padding)) {
    throw new ValueError(`The \`padding\` argument must be a list/tuple or one of {${allowed.map((p) => `'${p}'`).join(', ')}}. Received: ${String(padding)}`);
  }
  const batch = checkPositiveInt('batch', args.batch ?? 1);
  const inH = checkPositiveInt('inH', args.inH);
  const inW = checkPositiveInt('inW', args.inW);
  const cin = checkPositiveInt('cin', args.cin);
  const kh = checkPositiveInt('kh', args.kh);
  const kw = checkPositiveInt('kw', args.kw);
  const cout = checkPositiveInt('cout', args.cout);
  const strideH = checkPositiveInt('strideH', args.strideH ?? 1);
  const strideW = checkPositiveInt('strideW', args.strideW ?? 1);
  const dilH = checkPositiveInt('dilH', args.dilH ?? 1);
  const dilW = checkPositiveInt('dilW', args.dilW ?? 1);
  const h = axis(inH, kh, strideH, dilH, padding === 'causal' ? 'valid' : padding);
  const w = axis(inW, kw, strideW, dilW, padding);
  if (h.out <= 0 || w.out <= 0) throw outputTooSmall(args, rank);
  return { batch, inH, inW, cin, kh, kw, cout, strideH, strideW, dilH, dilW, padTop: h.pad, padLeft: w.pad, outH: h.out, outW: w.out };
}

/** One spatial axis: output size and leading pad. */
function axis(size: number, k: number, stride: number, dil: number, padding: ConvPadding): { out: number; pad: number } {
  const span = dil * (k - 1) + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  if (padding === 'causal') return { out, pad: span - 1 };
  return { out, pad: Math.floor(Math.max((out - 1) * stride + span - size, 0) / 2) };
}

/** Keras's error (ops/operation_utils.py compute_conv_output_shape), shapes printed as Python does. */
function outputTooSmall(args: ConvGeometryArgs, rank: 1 | 2): ValueError {
  const tuple = (v: readonly (number | string)[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);
  const batch = args.batch ?? 'None';
  const two = rank === 2;
  const input = two ? [batch, args.inH, args.inW, args.cin] : [batch, args.inW, args.cin];
  const kernel = two ? [args.kh, args.kw, args.cin, args.cout] : [args.kw, args.cin, args.cout];
  const dil = two ? [args.dilH ?? 1, args.dilW ?? 1] : [args.dilW ?? 1];
  const strides = two ? [args.strideH ?? 1, args.strideW ?? 1] : [args.strideW ?? 1];
  return new ValueError('Computed output size would be zero or negative. Received ' +
    `\`inputs shape=${tuple(input)}\`, \`kernel shape=${tuple(kernel)}\`, \`dilation_rate=[${dil.join(' ')}]\`, ` +
    `\`strides=${tuple(strides)}\`, \`padding=${args.padding}\`.`);
}

/** Largest kh·kw·cin convolved directly (f32_conv2d_nhwc_direct) rather than as a patch GEMM. */
export const DIRECT_MAX_TAPS = 32;

/**
 * Whether the forward and filter gradient run the direct kernels: few taps (the patch GEMM's k-loop
 * would be 9–32 long between packing and stores; measured 22–24 % of the FMA peak for the MNIST
 * convnet's first convolution, K = 9) and at least 8 output channels (one tile's width).
 */
export function isDirect(g: ConvGeometry): boolean {
  return g.kh * g.kw * g.cin <= DIRECT_MAX_TAPS && g.cout >= 8 && !isPointwise(g);
}

/** Whether the NHWC input is its own patch matrix (1×1 kernel, stride 1, no padding). */
export function isPointwise(g: ConvGeometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
}

/** Patch rows per chunk for `batch` samples: whole GEMM k-blocks within CHUNK_BYTES where possible. */
export function convChunkRows(g: ConvGeometry, batch = g.batch): number {
  const total = batch * g.outH * g.outW;
  const fit = Math.floor((g.chunkBytes ?? CHUNK_BYTES) / (4 * g.kh * g.kw * g.cin));
  const rows = fit >= GEMM_KC ? fit - (fit % GEMM_KC) : Math.max(1, fit);
  return Math.min(total, rows);
}

/** Bytes of workspace (16-byte aligned) for calls on up to `rows` samples (default geom.batch). */
export function conv2dWorkspaceBytes(k: KernelExports, g: ConvGeometry, rows = g.batch): number {
  const K = g.kh * g.kw * g.cin;
  if (isPointwise(g)) {
    const m = rows * g.outH * g.outW;
    return GEOM_BYTES + Math.max(k.f32_gemm_workspace_bytes(m, g.cout, K), k.f32_gemm_workspace_bytes(m, K, g.cout),
      k.f32_gemm_workspace_bytes(K, g.cout, m));
  }
  const c = convChunkRows(g, rows);
  return GEOM_BYTES + align16(c * K * 4) + Math.max(k.f32_gemm_workspace_bytes(c, g.cout, K),
    k.f32_gemm_workspace_bytes(c, K, g.cout), k.f32_gemm_workspace_bytes(K, g.cout, c));
}

/**
 * y[batch, outH, outW, cout] = clamp(conv(x, w) + bias): x [batch, inH, inW, cin], w [kh, kw, cin,
 * cout] (Keras's layout), bias [cout] or 0. `ws`: conv2dWorkspaceBytes bytes.
 */
export function conv2dForward(b: ConvBackend, g: ConvGeometry, x: Ptr, w: Ptr, bias: Ptr, y: Ptr, ws: Ptr, clamp: Clamp = NO_CLAMP): void {
  const { k } = b;
  const K = g.kh * g.kw * g.cin;
  const total = g.batch * g.outH * g.outW;
  if (isPointwise(g)) {
    k.f32_gemm_nn_minmax(total, g.cout, K, x, K, w, g.cout, bias, 0, y, g.cout, clamp[0], clamp[1], ws + GEOM_BYTES);
    return;
  }
  writeGeometry(b, g, ws);
  if (isDirect(g)) {
    k.f32_conv2d_nhwc_direct(g.batch * g.outH, x, w, bias, y, ws, 0, clamp[0], clamp[1]);
    return;
  }
  const chunk = convChunkRows(g);
  const cols = ws + GEOM_BYTES;
  const gemmWs = cols + align16(chunk * K * 4);
  for (let r0 = 0; r0 < total; r0 += chunk) {
    const rows = Math.min(chunk, total - r0);
    k.f32_im2col_nhwc(rows, x, cols, ws, r0, r0);
    k.f32_gemm_nn_minmax(rows, g.cout, K, cols, K, w, g.cout, bias, 0, y + r0 * g.cout * 4, g.cout, clamp[0], clamp[1], gemmWs);
  }
}

/** dx[batch, inH, inW, cin] = the input gradient of conv2dForward (without its clamp) for dy. dx is overwritten. */
export function conv2dBackwardInput(b: ConvBackend, g: ConvGeometry, dy: Ptr, w: Ptr, dx: Ptr, ws: Ptr): void {
  const { k } = b;
  const K = g.kh * g.kw * g.cin;
  const total = g.batch * g.outH * g.outW;
  if (isPointwise(g)) {
    k.f32_gemm_nt_minmax(total, K, g.cout, dy, g.cout, w, g.cout, 0, 0, dx, K, -Infinity, Infinity, ws + GEOM_BYTES);
    return;
  }
  writeGeometry(b, g, ws);
  const chunk = convChunkRows(g);
  const cols = ws + GEOM_BYTES;
  const gemmWs = cols + align16(chunk * K * 4);
  // Pixels no patch reads (strides past the kernel, a 'valid' remainder) get no term: start at 0.
  k.f32_vfill(g.batch * g.inH * g.inW * g.cin, dx, 0);
  for (let r0 = 0; r0 < total; r0 += chunk) {
    const rows = Math.min(chunk, total - r0);
    k.f32_gemm_nt_minmax(rows, K, g.cout, dy + r0 * g.cout * 4, g.cout, w, g.cout, 0, 0, cols, K, -Infinity, Infinity, gemmWs);
    const [first, end] = inputRowsRead(g, r0, r0 + rows);
    k.f32_col2im_nhwc_add(end - first, cols, dx, ws, first, r0, rows);
  }
}

/**
 * dw[kh, kw, cin, cout] = β·dw + Σ patchesᵀ·dy, the filter gradient of conv2dForward; beta 0
 * (overwrite) or 1 (accumulate: a shared layer's later calls).
 */
export function conv2dBackwardFilter(b: ConvBackend, g: ConvGeometry, x: Ptr, dy: Ptr, dw: Ptr, ws: Ptr, beta: 0 | 1 = 0): void {
  const { k } = b;
  const K = g.kh * g.kw * g.cin;
  const total = g.batch * g.outH * g.outW;
  if (isPointwise(g)) {
    k.f32_gemm_tn_minmax(K, g.cout, total, x, K, dy, g.cout, 0, beta, dw, g.cout, -Infinity, Infinity, ws + GEOM_BYTES);
    return;
  }
  writeGeometry(b, g, ws);
  if (isDirect(g)) {
    k.f32_conv2d_nhwc_direct_filter_grad(g.cout, x, dy, dw, ws, 0, beta);
    return;
  }
  const chunk = convChunkRows(g);
  const cols = ws + GEOM_BYTES;
  const gemmWs = cols + align16(chunk * K * 4);
  for (let r0 = 0; r0 < total; r0 += chunk) {
    const rows = Math.min(chunk, total - r0);
    k.f32_im2col_nhwc(rows, x, cols, ws, r0, r0);
    k.f32_gemm_tn_minmax(K, g.cout, rows, cols, K, dy + r0 * g.cout * 4, g.cout, 0, r0 === 0 ? beta : 1, dw, g.cout, -Infinity, Infinity, gemmWs);
  }
}

/** Bytes of workspace of the depthwise calls (their geometry block). */
export function depthwiseConv2dWorkspaceBytes(): number {
  return GEOM_BYTES;
}

/**
 * Depthwise: output channel c·m + j of y [batch, outH, outW, cin·m] = clamp(conv of input channel c
 * with w[:, :, c, j] + bias[c·m + j]); w [kh, kw, cin, m] (Keras's layout), g.cout = cin·m.
 * `ws`: depthwiseConv2dWorkspaceBytes() bytes.
 */
export function depthwiseConv2dForward(b: ConvBackend, g: ConvGeometry, x: Ptr, w: Ptr, bias: Ptr, y: Ptr, ws: Ptr, clamp: Clamp = NO_CLAMP): void {
  writeGeometry(b, g, ws);
  b.k.f32_dwconv2d_nhwc(g.batch * g.outH, x, w, bias, y, ws, 0, clamp[0], clamp[1]);
}

/** The input gradient of depthwiseConv2dForward (without its clamp); dx is overwritten. */
export function depthwiseConv2dBackwardInput(b: ConvBackend, g: ConvGeometry, dy: Ptr, w: Ptr, dx: Ptr, ws: Ptr): void {
  writeGeometry(b, g, ws);
  b.k.f32_dwconv2d_nhwc_input_grad(g.batch * g.inH, dy, w, dx, ws, 0);
}

/** The filter gradient of depthwiseConv2dForward: dw = β·dw + Σ over the batch. */
export function depthwiseConv2dBackwardFilter(b: ConvBackend, g: ConvGeometry, x: Ptr, dy: Ptr, dw: Ptr, ws: Ptr, beta: 0 | 1 = 0): void {
  writeGeometry(b, g, ws);
  b.k.f32_dwconv2d_nhwc_filter_grad(g.cin, x, dy, dw, ws, 0, beta);
}

/**
 * The rows of dx (b·inH + ih) that the patch rows [r0, r1) read, as [first, end): from the top
 * tap of the first output row to the bottom tap of the last, clipped to each image.
 */
function inputRowsRead(g: ConvGeometry, r0: number, r1: number): [number, number] {
  const top = Math.floor(r0 / g.outW);
  const bottom = Math.floor((r1 - 1) / g.outW);
  const firstIh = (top % g.outH) * g.strideH - g.padTop;
  const lastIh = (bottom % g.outH) * g.strideH - g.padTop + (g.kh - 1) * g.dilH;
  const first = Math.floor(top / g.outH) * g.inH + Math.max(0, firstIh);
  const end = Math.floor(bottom / g.outH) * g.inH + Math.min(g.inH - 1, lastIh) + 1;
  return [first, Math.max(first, end)];
}

/**
 * Write the kernels' geometry block (assembly/f32-conv/geometry.ts) at `at`: GEOMETRY_BYTES bytes.
 * The pooling layers write their windows with it too (src/layers/pooling.ts).
 */
export function writeGeometry(b: ConvBackend, g: ConvGeometry, at: Ptr): void {
  b.arena.refresh();
  const i32 = b.arena.i32;
  const o = at >> 2;
  i32[o] = g.inH;
  i32[o + 1] = g.inW;
  i32[o + 2] = g.cin;
  i32[o + 3] = g.kh;
  i32[o + 4] = g.kw;
  i32[o + 5] = g.strideH;
  i32[o + 6] = g.strideW;
  i32[o + 7] = g.dilH;
  i32[o + 8] = g.dilW;
  i32[o + 9] = g.padTop;
  i32[o + 10] = g.padLeft;
  i32[o + 11] = g.outH;
  i32[o + 12] = g.outW;
  i32[o + 13] = g.cout;
  i32[o + 14] = g.batch;
}

function align16(bytes: number): number {
  return (bytes + 15) & ~15;
}

// Pooling windows. The windowed kernels read their sizes from the geometry block of the f32-conv
// family (assembly/f32-conv/geometry.ts; src/backend/conv.ts computes and writes it), a pool being
// a convolution's window without weights: kh × kw is the pool, strides and TensorFlow's top/left
// pads as there, outH × outW the output, cin the channels; the dilation, cout and batch fields are
// not read. One block format for every windowed NHWC kernel.
export { IN_H, IN_W, CIN, KH, KW, STRIDE_H, STRIDE_W, PAD_TOP, PAD_LEFT, OUT_H, OUT_W, field } from '../f32-conv/geometry';

/**
 * The first output index whose window (start o·s − pad, size p) covers input index `i`:
 * ceil((i + pad − p + 1) / s), at least 0.
 */
// @ts-ignore: decorator
@inline export function firstCovering(i: i32, pad: i32, p: i32, s: i32): i32 {
  const num = i + pad - p + 1;
  return num <= 0 ? 0 : (num + s - 1) / s;
}

/** The last output index (< out) whose window covers input index `i`: min((i + pad) / s, out − 1). */
// @ts-ignore: decorator
@inline export function lastCovering(i: i32, pad: i32, s: i32, out: i32): i32 {
  return min((i + pad) / s, out - 1);
}

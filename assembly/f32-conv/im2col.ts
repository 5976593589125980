// im2col and col2im on NHWC tensors: the patch matrix that turns a convolution into one GEMM.
// A patch row belongs to an output pixel r = (b·outH + oh)·outW + ow and holds the kh·kw·cin
// inputs under the kernel, ordered (i, j, c) like the rows of a Keras kernel [kh, kw, cin, cout],
// zeros where the kernel overhangs the input (padding). So y = patches · W, dW = patchesᵀ · dy and
// dpatches = dy · Wᵀ. Geometry in the block at `geom` (geometry.ts). Both kernels work on a range
// of rows given by its first index, so the thread pool splits them by range; every pointer is
// read whole (shared), and `origin` names the output pixel of the patch buffer's row 0, so a
// buffer may hold a chunk of the patch matrix.

import { CIN, DIL_H, DIL_W, IN_H, IN_W, KH, KW, OUT_H, OUT_W, PAD_LEFT, PAD_TOP, STRIDE_H, STRIDE_W, field } from './geometry';
import { addRun, copyRun, endTap, firstTap, zeroRun } from './runs';

/**
 * cols[(r − origin)·K + (i·kw + j)·cin + c] = x[b, oh·sH − padTop + i·dH, ow·sW − padLeft + j·dW, c]
 * (0 outside the input) for the n patch rows r = first … first + n − 1, K = kh·kw·cin. x is
 * [batch, inH, inW, cin]; cols may not overlap x.
 */
export function f32_im2col_nhwc(n: i32, x: usize, cols: usize, geom: usize, first: i32, origin: i32): void {
  if (n <= 0) return;
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sH = field(geom, STRIDE_H);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padTop = field(geom, PAD_TOP);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const segFloats = kw * cin;
  const rowBytes = <usize>(kh * segFloats) << 2;
  const segBytes = <usize>segFloats << 2;
  const pixBytes = <usize>cin << 2;
  let ow = first % outW;
  let oh = (first / outW) % outH;
  let img = first / outW / outH;
  let dst = cols + <usize>(first - origin) * rowBytes;
  for (let q = 0; q < n; q++) {
    const ih0 = oh * sH - padTop;
    const iw0 = ow * sW - padLeft;
    const j0 = firstTap(iw0, dW, kw);
    const j1 = endTap(iw0, dW, inW, kw, j0);
    let seg = dst;
    for (let i = 0; i < kh; i++) {
      const ih = ih0 + i * dH;
      if (ih < 0 || ih >= inH) {
        zeroRun(seg, segFloats);
      } else {
        zeroRun(seg, j0 * cin);
        const src = x + (<usize>(((img * inH + ih) * inW + iw0 + j0 * dW) * cin) << 2);
        const at = seg + <usize>(j0 * cin << 2);
        if (dW == 1) {
          copyRun(at, src, (j1 - j0) * cin); // neighbouring taps are neighbouring pixels: one run
        } else {
          for (let j = 0; j < j1 - j0; j++) copyRun(at + <usize>j * pixBytes, src + <usize>(j * dW) * pixBytes, cin);
        }
        zeroRun(seg + <usize>(j1 * cin << 2), (kw - j1) * cin);
      }
      seg += segBytes;
    }
    dst += rowBytes;
    if (++ow == outW) {
      ow = 0;
      if (++oh == outH) {
        oh = 0;
        img++;
      }
    }
  }
}

/**
 * dx[b, ih, iw, c] += cols[(r − origin)·K + (i·kw + j)·cin + c] over every patch row r in
 * [origin, origin + count) whose tap (i, j) read that input pixel, for the n rows of dx
 * (b·inH + ih) = first … first + n − 1 (col2im, the adjoint of f32_im2col_nhwc). Gathered per
 * element of dx, in increasing r: the sum is the one a scatter of the rows in order would
 * make, whatever the chunks and thread ranges, and ranges of dx rows never overlap.
 */
export function f32_col2im_nhwc_add(n: i32, cols: usize, dx: usize, geom: usize, first: i32, origin: i32, count: i32): void {
  if (n <= 0 || count <= 0) return;
  const inH = field(geom, IN_H);
  const inW = field(geom, IN_W);
  const cin = field(geom, CIN);
  const kh = field(geom, KH);
  const kw = field(geom, KW);
  const sH = field(geom, STRIDE_H);
  const sW = field(geom, STRIDE_W);
  const dH = field(geom, DIL_H);
  const dW = field(geom, DIL_W);
  const padTop = field(geom, PAD_TOP);
  const padLeft = field(geom, PAD_LEFT);
  const outH = field(geom, OUT_H);
  const outW = field(geom, OUT_W);
  const K = kh * kw * cin;
  const pixBytes = <usize>cin << 2;
  const dStep = <usize>sW * pixBytes;
  const cStep = <usize>K << 2;
  for (let q = 0; q < n; q++) {
    const row = first + q;
    const img = row / inH;
    const ih = row % inH;
    const dRow = dx + <usize>row * <usize>inW * pixBytes;
    // Taps i, then j, decreasing, then pixels: each element of dx gets its terms in decreasing
    // (i, j), which is increasing patch row r. For one tap, the output pixels of a row that read
    // this row of dx are a range walked by pointers (dx by the stride, cols by a patch row).
    for (let i = kh - 1; i >= 0; i--) {
      const oh = outputIndex(ih + padTop - i * dH, sH);
      if (oh < 0) continue;
      if (oh >= outH) break;
      const rowBase = (img * outH + oh) * outW - origin;
      const owLo = max(0, -rowBase); // the output columns of this row inside the chunk
      const owHi = min(outW, count - rowBase);
      for (let j = kw - 1; j >= 0; j--) {
        const off = j * dW - padLeft; // input column of output column 0
        if (inW - 1 - off < 0) continue;
        const lo = max(owLo, off >= 0 ? 0 : (sW - 1 - off) / sW);
        const hi = min(owHi, (inW - 1 - off) / sW + 1);
        if (lo >= hi) continue;
        let dp = dRow + <usize>(lo * sW + off) * pixBytes;
        let src = cols + (<usize>((rowBase + lo) * K + (i * kw + j) * cin) << 2);
        for (let ow = lo; ow < hi; ow++) {
          addRun(dp, src, cin);
          dp += dStep;
          src += cStep;
        }
      }
    }
  }
}

/**
 * The output index o with o·stride = t, or −1 if there is none below the input (t < 0 or not a
 * multiple of the stride). Division only for strides above 1.
 */
// @ts-ignore: decorator
@inline function outputIndex(t: i32, stride: i32): i32 {
  if (stride == 1) return t < 0 ? -1 : t;
  return t < 0 || t % stride != 0 ? -1 : t / stride;
}

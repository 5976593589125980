// Zero padding of NHWC images (Keras 3 ZeroPadding2D; ZeroPadding1D is height 1) and its
// backward, the crop of the padded gradient (also Cropping2D's forward). The rows of a sample are
// copied by f32_copy_block (assembly/f32-merge, Concatenate's strided copy); the padding is
// written with zeros in the same call, so every output element is written once per step and the
// output buffer may be reused by other layers between steps. Ranges are samples, first ≤ b <
// first + n, so the pool splits them by batch. Copies move bits (NaN payloads, −0) unchanged.

import { f32_copy_block } from '../f32-merge/block';

/**
 * y[b] = x[b] ([h, w, c]) with `top` zero rows above, `bottom` below, `left` zero columns before,
 * `right` after: y is [b, h + top + bottom, w + left + right, c]. y must not overlap x.
 */
export function f32_zeropad2d_nhwc(n: i32, x: usize, y: usize, first: i32, h: i32, w: i32, c: i32, top: i32, bottom: i32, left: i32,
  right: i32): void {
  const pw = w + left + right;
  const inSample = <usize>h * <usize>w * <usize>c << 2;
  const outRow = <usize>pw * <usize>c << 2;
  const outSample = <usize>(h + top + bottom) * outRow;
  const lead = <usize>left * <usize>c << 2;
  const gap = <usize>(left + right) * <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const ys = y + <usize>b * outSample;
    const body = ys + <usize>top * outRow + lead;
    if (h == 0) {
      memory.fill(ys, 0, outSample);
      continue;
    }
    // Zeros before the first copied row, between rows (a row's right margin and the next one's
    // left margin are contiguous) and after the last.
    memory.fill(ys, 0, body - ys);
    let z = body + (<usize>w * <usize>c << 2);
    for (let i = 1; i < h; i++) {
      memory.fill(z, 0, gap);
      z += outRow;
    }
    memory.fill(z, 0, ys + outSample - z);
    f32_copy_block(h, w * c, x + <usize>b * inSample, w * c, body, pw * c);
  }
}

/**
 * dx[b] = dy[b] without its `top`, `bottom` rows and `left`, `right` columns: dy is
 * [b, h + top + bottom, w + left + right, c], dx [b, h, w, c]. dx must not overlap dy.
 */
export function f32_zeropad2d_nhwc_grad(n: i32, dy: usize, dx: usize, first: i32, h: i32, w: i32, c: i32, top: i32, bottom: i32, left: i32,
  right: i32): void {
  const pw = w + left + right;
  const inSample = <usize>h * <usize>w * <usize>c << 2;
  const outRow = <usize>pw * <usize>c << 2;
  const outSample = <usize>(h + top + bottom) * outRow;
  const lead = <usize>left * <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    f32_copy_block(h, w * c, dy + <usize>b * outSample + <usize>top * outRow + lead, pw * c, dx + <usize>b * inSample, w * c);
  }
}

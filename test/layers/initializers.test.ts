// Initializers against their Keras 3 definitions (keras/src/initializers/random_initializers.py).
import { describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';

const I = km.initializers;
const fill = (init: km.initializers.Initializer, shape: number[]) => {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  init.fill(shape, out);
  return out;
};
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: Float32Array) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
};

describe('initializers', () => {
  test('glorotUniform draws within ±√(6/(fanIn + fanOut)) with the uniform variance', () => {
    const a = fill(I.glorotUniform({ seed: 1 }), [300, 200]);
    const limit = Math.sqrt(6 / 500);
    expect(Math.max(...a)).toBeLessThanOrEqual(limit);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-limit);
    expect(std(a)).toBeCloseTo(limit / Math.sqrt(3), 3);
  });
  test('heNormal has std √(2/fanIn), truncated at two standard deviations of the untruncated normal', () => {
    const a = fill(I.heNormal({ seed: 2 }), [400, 300]);
    expect(std(a)).toBeCloseTo(Math.sqrt(2 / 400), 3);
    const bound = 2 * Math.sqrt(2 / 400) / 0.87962566103423978;
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(bound * 1.0001);
  });
  test.each([
    ['heUniform', Math.sqrt(6 / 400) / Math.sqrt(3)],
    ['lecunUniform', Math.sqrt(3 / 400) / Math.sqrt(3)],
    ['lecunNormal', Math.sqrt(1 / 400)],
    ['glorotNormal', Math.sqrt(2 / 700)],
  ] as const)('%s has the Keras standard deviation', (name, want) => {
    const a = fill(I.get(name), [400, 300]);
    expect(std(a)).toBeCloseTo(want, 3);
  });
  test('randomNormal, randomUniform, truncatedNormal, constant, zeros, ones', () => {
    const n = fill(I.randomNormal({ mean: 1, stddev: 0.5, seed: 3 }), [100000]);
    expect(mean(n)).toBeCloseTo(1, 2);
    expect(std(n)).toBeCloseTo(0.5, 2);
    const u = fill(I.randomUniform({ minval: -2, maxval: 3, seed: 3 }), [100000]);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    const t = fill(I.truncatedNormal({ stddev: 1, seed: 3 }), [100000]);
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(Array.from(fill(I.constant({ value: 0.5 }), [3]))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(fill(I.zeros(), [2]))).toEqual([0, 0]);
    expect(Array.from(fill(I.ones(), [2]))).toEqual([1, 1]);
  });
  test('orthogonal gives orthonormal columns (tall) and rows (wide)', () => {
    for (const [r, c] of [[8, 5], [5, 8]] as const) {
      const a = fill(I.orthogonal({ seed: 4 }), [r, c]);
      const tall = r >= c;
      const k = tall ? c : r;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let t = 0; t < (tall ? r : c); t++) dot += tall ? a[t * c + i]! * a[t * c + j]! : a[i * c + t]! * a[j * c + t]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
  });
  test('an explicit seed repeats; the global seed makes a model reproducible', () => {
    expect(Array.from(fill(I.glorotUniform({ seed: 9 }), [4, 4]))).toEqual(Array.from(fill(I.glorotUniform({ seed: 9 }), [4, 4])));
    km.setSeed(5);
    const a = fill(I.glorotUniform(), [3, 3]);
    const b = fill(I.glorotUniform(), [3, 3]);
    km.setSeed(5);
    expect(Array.from(fill(I.glorotUniform(), [3, 3]))).toEqual(Array.from(a));
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });
  test('unknown names list the known ones', () => {
    expect(() => I.get('glorot')).toThrow(/Invalid value received for argument `initializer`: expected a known initializer \(one of Zeros, Ones/);
  });
});

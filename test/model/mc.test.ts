// MC dropout (Gal & Ghahramani 2016): km.mcPredict averages `samples` predictions made with
// `{ training: true }`, giving the mean and the population standard deviation per output
// element; checked against a float64 two-pass computation over the same masks.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { meanStdRef } from '../reference/prox.js';

beforeAll(async () => {
  await testBackend();
});

function build(seed: number, dropout = true) {
  km.setSeed(seed);
  return km.sequential({ layers: [
    km.layers.dense({ units: 16, activation: 'relu', inputShape: [5] }),
    ...(dropout ? [km.layers.dropout({ rate: 0.5 })] : []),
    km.layers.dense({ units: 3 }),
  ] });
}

const rng = new Rng(3);
const x = km.tensor(Float32Array.from({ length: 7 * 5 }, () => rng.uniform(-1, 1)), [7, 5]);

describe('mcPredict', () => {
  test('mean and population std over the samples match float64 over the same dropout masks', async () => {
    // Two identical models (same seed: same weights, same dropout stream), one sampled by hand.
    const byHand = build(11);
    const samples = Array.from({ length: 30 }, () => byHand.predict(x, { training: true, batchSize: 4 }).data);
    const want = meanStdRef(samples, 21);
    const m = build(11);
    const { mean, std } = await km.mcPredict(m, x, { batchSize: 4 });
    expect(mean.shape).toEqual([7, 3]);
    expect(std.shape).toEqual([7, 3]);
    const scale = Math.max(...samples.flatMap((s) => Array.from(s, Math.abs)));
    for (let i = 0; i < 21; i++) {
      expect(Math.abs(mean.data[i]! - want.mean[i]!)).toBeLessThan(1e-6 * scale);
      expect(Math.abs(std.data[i]! - want.std[i]!)).toBeLessThan(1e-5 * scale);
    }
    expect(Math.min(...Array.from(std.data))).toBeGreaterThan(0);
    // Dropout's mean differs from the deterministic prediction; the check would notice a mix-up.
    const plain = m.predict(x).data;
    expect(Array.from(mean.data).some((v, i) => Math.abs(v - plain[i]!) > 1e-3)).toBe(true);
    byHand.dispose();
    m.dispose();
  });
  test('30 samples by default; without dropout the std is exactly 0 and the mean the prediction', async () => {
    const m = build(4, false);
    const spy = vi.spyOn(m, 'predict');
    const { mean, std } = await km.mcPredict(m, x.toArray());
    expect(spy).toHaveBeenCalledTimes(30);
    spy.mockRestore();
    expect(Array.from(std.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(mean.data)).toEqual(Array.from(m.predict(x).data));
    m.dispose();
  });
  test('leaves wasm memory as it found it; bad sample counts are ValueErrors', async () => {
    const b = await testBackend();
    const m = build(5);
    await km.mcPredict(m, x, { samples: 3 });
    const used = b.arena.usedBytes;
    await km.mcPredict(m, x, { samples: 3 });
    expect(b.arena.usedBytes).toBe(used);
    await expect(km.mcPredict(m, x, { samples: 0 })).rejects.toThrow(new km.ValueError('Invalid value received for argument `samples`: expected a positive integer. Received: samples=0'));
    m.dispose();
  });
});

// Model-level finite-difference gradient check: the gradient kerasm computes in wasm for each
// trainable weight (`lossAndGradients`) against central differences of the loss, penalties
// included, that `evaluate` reports (inference mode).
import { expect } from 'vitest';
import * as km from '../../src/index.js';
import type { Sequential } from '../../src/index.js';
import { Rng } from './rng.js';

const N = 6;
/** float32 losses, h = 2e-3: the measured |numeric − analytic| stays below 1e-4. */
const TOLERANCE = 5e-4;

/** Targets that fit the loss: one-hot, class indices, 0/1 or reals. */
function targets(loss: string, n: number, units: number, rng: Rng): unknown {
  if (loss.startsWith('sparse')) return Array.from({ length: n }, () => rng.int(units));
  const y = new Float32Array(n * units);
  if (loss.startsWith('categorical')) for (let i = 0; i < n; i++) y[i * units + rng.int(units)] = 1;
  else if (loss.startsWith('binary')) for (let i = 0; i < y.length; i++) y[i] = rng.next() < 0.5 ? 0 : 1;
  else for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-1, 1);
  return km.tensor(y, [n, units]);
}

/** Check every trainable weight's gradient at up to 12 coordinates; disposes the model. */
export function modelGradCheck(model: Sequential, loss: string | km.losses.Loss, inShape: number[], seed = 1): void {
  const rng = new Rng(seed);
  model.compile({ optimizer: 'sgd', loss });
  const features = inShape.reduce((a, b) => a * b, 1);
  const x = km.tensor(Float32Array.from({ length: N * features }, () => rng.uniform(-1.5, 1.5)), [N, ...inShape]);
  const units = model.outputShape[model.outputShape.length - 1]!;
  const y = targets(typeof loss === 'string' ? loss : loss.kind, N, units, rng);
  const { grads } = model.engine.lossAndGradients(x, y);
  const weights = model.getWeights();
  const trainable = model.weights.map((w) => w.trainable && model.layerOf(w).trainable);
  const h = 2e-3;
  weights.forEach((w, wi) => {
    if (!trainable[wi]) return;
    const picks = w.size <= 12 ? [...Array(w.size).keys()] : Array.from({ length: 12 }, () => rng.int(w.size));
    for (const i of picks) {
      const orig = w.data[i]!;
      const at = (v: number) => {
        const ws = weights.map((t) => ({ data: t.data.slice(), shape: t.shape }));
        ws[wi]!.data[i] = v;
        model.setWeights(ws);
        return model.evaluate(x, y, { batchSize: N }).loss!;
      };
      const fd = (at(orig + h) - at(orig - h)) / (Math.fround(orig + h) - Math.fround(orig - h));
      const g = grads[wi]!.data[i]!;
      expect(Math.abs(fd - g), `weight ${wi}[${i}]: analytic ${g}, numeric ${fd}`).toBeLessThan(TOLERANCE * Math.max(1, Math.abs(g)));
    }
    model.setWeights(weights);
  });
  model.dispose();
}

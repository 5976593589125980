// Weights in wasm memory, counted by the models that hold them: a layer shared by two models (a
// nested model, or one model built from another's layers) keeps one region until the last of its
// models is disposed.
import type { Backend } from '../backend/loader.js';
import type { LayerWeight } from '../layers/layer.js';

const holders = new WeakMap<LayerWeight, number>();

/**
 * Give every weight a region (the first model to hold it allocates and initializes it; weights in
 * `provided` are left for the caller to fill). Frees what it made if an allocation fails.
 */
export function allocateWeights(b: Backend, weights: readonly LayerWeight[], provided?: ReadonlySet<LayerWeight>): void {
  const made: LayerWeight[] = [];
  try {
    for (const w of weights) {
      if (w.region === null) {
        w.region = b.arena.alloc(w.size * 4);
        made.push(w);
        if (provided?.has(w) !== true) w.initializer.fill(w.shape, b.arena.view(w.region, w.size));
      }
    }
  } catch (e) {
    for (const w of made) {
      b.arena.release(w.region!);
      w.region = null;
    }
    throw e;
  }
  for (const w of weights) holders.set(w, (holders.get(w) ?? 0) + 1);
}

/** One model lets go of its weights; a weight's region is freed with its last holder. */
export function releaseWeights(b: Backend, weights: readonly LayerWeight[]): void {
  for (const w of weights) {
    const n = (holders.get(w) ?? 1) - 1;
    holders.set(w, n);
    if (n === 0 && w.region !== null) {
      b.arena.release(w.region);
      w.region = null;
    }
  }
}

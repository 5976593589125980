// How sparse each layer's kernel is: exact zeros counted in wasm (f32_count_zeros). With the
// proximal L1 (`l1({ l1, proximal: true })`) weights reach exactly 0; plain L1 leaves them near it.
import type { Model } from './model.js';

/** How sparse one layer's kernel is ({@link sparsity}). */
export interface LayerSparsity {
  /** Kernel entries exactly 0 (either sign). */
  zeros: number;
  /** Kernel entries. */
  total: number;
  /** zeros / total. */
  fraction: number;
}

/** Per layer name, for every layer with a `kernel` weight: `{ zeros, total, fraction }`. */
export function sparsity(model: Model): Record<string, LayerSparsity> {
  const { k } = model.ensureAllocated();
  const out: Record<string, LayerSparsity> = {};
  for (const layer of model.layers) {
    const kernel = layer.weights.find((w) => w.name === 'kernel');
    if (kernel === undefined || kernel.region === null) continue;
    const zeros = k.f32_count_zeros(kernel.size, kernel.region.ptr);
    out[layer.name] = { zeros, total: kernel.size, fraction: kernel.size === 0 ? 0 : zeros / kernel.size };
  }
  return out;
}

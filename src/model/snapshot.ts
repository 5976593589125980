// A copy of every weight of a model in one wasm buffer (earlyStopping's best weights): laid
// out once, filled and read back with f32_vcopy, no typed array per epoch.
import type { KernelExports } from '../backend/kernels.js';
import type { Arena, Region } from '../backend/memory.js';
import { StateError } from '../errors.js';
import type { LayerWeight } from '../layers/layer.js';
import type { WeightSnapshot } from '../callbacks/index.js';

export class WeightSnapshotBuffer implements WeightSnapshot {
  private region: Region | null;
  private readonly arena: Arena;
  private readonly k: KernelExports;
  private readonly weights: readonly LayerWeight[];
  private readonly onDispose: (s: WeightSnapshotBuffer) => void;

  constructor(arena: Arena, k: KernelExports, weights: readonly LayerWeight[], onDispose: (s: WeightSnapshotBuffer) => void) {
    this.arena = arena;
    this.k = k;
    this.weights = weights.slice();
    this.onDispose = onDispose;
    let floats = 0;
    for (const w of this.weights) floats += w.size;
    this.region = arena.alloc(floats * 4);
  }

  private live(): Region {
    if (this.region === null) throw new StateError('This weight snapshot has been disposed.');
    return this.region;
  }

  /** Copy every weight into the buffer (Keras `model.get_weights()`, without allocating). */
  capture(): void {
    let at = this.live().ptr;
    for (const w of this.weights) {
      this.k.f32_vcopy(w.size, w.region!.ptr, at);
      at += w.size * 4;
    }
  }

  /** Copy the buffer back into the weights (Keras `model.set_weights(best_weights)`). */
  restore(): void {
    let at = this.live().ptr;
    for (const w of this.weights) {
      this.k.f32_vcopy(w.size, at, w.region!.ptr);
      at += w.size * 4;
    }
  }

  dispose(): void {
    if (this.region === null) return;
    this.arena.release(this.region);
    this.region = null;
    this.onDispose(this);
  }
}

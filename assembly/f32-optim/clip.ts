// Gradient clipping by value, for the optimizers' `clipvalue`: Keras 3
// keras/src/optimizers/base_optimizer.py `_clip_gradients` → ops.clip(g, −clipvalue, clipvalue).
// NaN propagates (wasm f32x4.min/max, like Math.min/max); −0 stays −0.

import { ld, st } from './common';

/** out[i] = min(max(g[i], −clip), clip), i < n. out may alias g (in place). */
export function f32_clip_by_value(n: i32, g: usize, out: usize, clip: f32): void {
  if (n <= 0) return;
  const hi = f32x4.splat(clip);
  const lo = f32x4.splat(-clip);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) st(out + o, f32x4.min(f32x4.max(ld(g + o, false), lo), hi), false);
  for (; o < end; o += 4) st(out + o, f32x4.min(f32x4.max(ld(g + o, true), lo), hi), true);
}

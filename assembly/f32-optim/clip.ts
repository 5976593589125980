// Gradient clipping by value, for the optimizers' `clipvalue`: Keras 3
// keras/src/optimizers/base_optimizer.py `_clip_gradients` → ops.clip(g, −clipvalue, clipvalue).
// NaN propagates (wasm f32x4.min/max, like Math.min/max); −0 stays −0.
// And the squared norm clipnorm / global_clipnorm need when the weight penalty's gradient is
// added inside the optimizer's pass (common.ts) rather than written into g beforehand.

import { hsum, sfma, vfma } from '../shared/simd';
import { ld, penaltyGrad, st } from './common';

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

/**
 * Σ_{i<n} (g[i] + l1·sign(w[i]) + 2·l2·w[i])²: the f32_sumsq of the gradient f32_l1l2_grad would
 * leave in g, bit for bit (same per-element rounding, same summation order: four f32x4
 * accumulators over 16-float blocks, then 4-float blocks, then the scalar tail), without writing
 * it. w and g read only.
 */
export function f32_l1l2_grad_sumsq(n: i32, w: usize, g: usize, l1: f32, l2: f32): f32 {
  const vl1 = f32x4.splat(l1);
  const c2: f32 = 2 * l2;
  const vc2 = f32x4.splat(c2);
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const v0 = f32x4.add(v128.load(g + o), penaltyGrad(v128.load(w + o), vl1, vc2));
    const v1 = f32x4.add(v128.load(g + o, 16), penaltyGrad(v128.load(w + o, 16), vl1, vc2));
    const v2 = f32x4.add(v128.load(g + o, 32), penaltyGrad(v128.load(w + o, 32), vl1, vc2));
    const v3 = f32x4.add(v128.load(g + o, 48), penaltyGrad(v128.load(w + o, 48), vl1, vc2));
    a0 = vfma(v0, v0, a0);
    a1 = vfma(v1, v1, a1);
    a2 = vfma(v2, v2, a2);
    a3 = vfma(v3, v3, a3);
  }
  for (; o < end4; o += 16) {
    const v = f32x4.add(v128.load(g + o), penaltyGrad(v128.load(w + o), vl1, vc2));
    a0 = vfma(v, v, a0);
  }
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; o < end; o += 4) {
    const wv = load<f32>(w + o);
    const sg: f32 = wv > 0 ? 1 : wv < 0 ? -1 : 0;
    const v = load<f32>(g + o) + sfma(c2, wv, l1 * sg);   // f32_l1l2_grad's scalar tail
    s = sfma(v, v, s);
  }
  return s;
}

// The L1L2 weight regularizer of Keras 3 (keras/src/regularizers/regularizers.py, class L1L2):
// penalty = l1·Σ|w| + l2·Σw², each term only when its coefficient is non-zero; its gradient
// l1·sign(w) + 2·l2·w, with sign(±0) = 0 (the derivative of |w| taken as 0 at 0).

import { vfma, sfma } from '../shared/simd';
import { sumAbs, sumSquares } from './reduce';

/** l1·Σ_{i<n}|w[i]| + l2·Σ_{i<n} w[i]² (a sum whose coefficient is 0 is skipped, so it cannot overflow into NaN); sums in the f32_sumabs / f32_sumsq order. */
export function f32_l1l2_penalty(n: i32, w: usize, l1: f32, l2: f32): f32 {
  let r: f32 = 0;
  if (l1 != 0) r += l1 * sumAbs(n, w);
  if (l2 != 0) r += l2 * sumSquares(n, w);
  return r;
}

/** g[i] += l1·sign(w[i]) + 2·l2·w[i], i < n, sign(±0) = 0 (a NaN in w gives NaN in g); g must not alias w. */
export function f32_l1l2_grad(n: i32, w: usize, g: usize, l1: f32, l2: f32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const vl1 = f32x4.splat(l1);
  const c2: f32 = 2 * l2;
  const vc2 = f32x4.splat(c2);
  const end8 = <usize>(n & ~7) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end8; o += 32) {
    const w0 = v128.load(w + o);
    const w1 = v128.load(w + o, 16);
    const s0 = f32x4.sub(v128.and(f32x4.gt(w0, zero), one), v128.and(f32x4.lt(w0, zero), one));
    const s1 = f32x4.sub(v128.and(f32x4.gt(w1, zero), one), v128.and(f32x4.lt(w1, zero), one));
    v128.store(g + o, f32x4.add(v128.load(g + o), vfma(vc2, w0, f32x4.mul(vl1, s0))));
    v128.store(g + o, f32x4.add(v128.load(g + o, 16), vfma(vc2, w1, f32x4.mul(vl1, s1))), 16);
  }
  for (; o < end4; o += 16) {
    const w0 = v128.load(w + o);
    const s0 = f32x4.sub(v128.and(f32x4.gt(w0, zero), one), v128.and(f32x4.lt(w0, zero), one));
    v128.store(g + o, f32x4.add(v128.load(g + o), vfma(vc2, w0, f32x4.mul(vl1, s0))));
  }
  for (; o < end; o += 4) {
    const wv = load<f32>(w + o);
    const s: f32 = wv > 0 ? 1 : wv < 0 ? -1 : 0;
    store<f32>(g + o, load<f32>(g + o) + sfma(c2, wv, l1 * s));
  }
}

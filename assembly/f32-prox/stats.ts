// Running mean and population standard deviation over repeated predictions (MC dropout,
// `km.mcPredict`): Welford's online update (Welford 1962, Technometrics 4(3); Knuth TAOCP
// vol. 2, §4.2.2), one sample of n values at a time, in place.

import { ld, st } from '../f32-optim/common';

/**
 * Welford step k (k = 1, 2, …, passed as f32): d = x − mean; mean ← mean + d/k;
 * m2 ← m2 + d·(x − mean). i < n; x read only; mean and m2 distinct (both start at 0).
 */
export function f32_welford(n: i32, x: usize, mean: usize, m2: usize, k: f32): void {
  if (n <= 0) return;
  const vk = f32x4.splat(k);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) welfordAt(x + o, mean + o, m2 + o, vk, false);
  for (; o < end; o += 4) welfordAt(x + o, mean + o, m2 + o, vk, true);
}

// @ts-ignore: decorator
@inline function welfordAt(x: usize, mean: usize, m2: usize, vk: v128, one: bool): void {
  const vx = ld(x, one);
  const vm = ld(mean, one);
  const d = f32x4.sub(vx, vm);
  const nm = f32x4.add(vm, f32x4.div(d, vk));
  st(mean, nm, one);
  st(m2, f32x4.add(ld(m2, one), f32x4.mul(d, f32x4.sub(vx, nm))), one);
}

/** std[i] = √(m2[i]/k), i < n (population standard deviation after k Welford steps). std may alias m2. */
export function f32_welford_std(n: i32, m2: usize, std: usize, k: f32): void {
  if (n <= 0) return;
  const vk = f32x4.splat(k);
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < vecEnd; o += 16) st(std + o, f32x4.sqrt(f32x4.div(ld(m2 + o, false), vk)), false);
  for (; o < end; o += 4) st(std + o, f32x4.sqrt(f32x4.div(ld(m2 + o, true), vk)), true);
}

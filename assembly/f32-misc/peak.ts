import { vfma } from '../shared/simd';

/**
 * The per-core multiply-add peak probe: 12 independent f32x4 multiply-add chains kept in
 * registers, `iters` steps each (96 flops a step). Returns a sum so nothing is optimized away.
 * Fused in the `relaxed` build (the DESIGN.md peak), mul+add in the `simd` build.
 */
export function f32_peak_fma(iters: i32, x: f32, y: f32): f32 {
  const m = f32x4.splat(x);
  const d = f32x4.splat(y);
  let a0 = f32x4.splat(1.0);
  let a1 = f32x4.splat(1.1);
  let a2 = f32x4.splat(1.2);
  let a3 = f32x4.splat(1.3);
  let a4 = f32x4.splat(1.4);
  let a5 = f32x4.splat(1.5);
  let a6 = f32x4.splat(1.6);
  let a7 = f32x4.splat(1.7);
  let a8 = f32x4.splat(1.8);
  let a9 = f32x4.splat(1.9);
  let a10 = f32x4.splat(2.0);
  let a11 = f32x4.splat(2.1);
  for (let i = 0; i < iters; i++) {
    a0 = vfma(a0, m, d);
    a1 = vfma(a1, m, d);
    a2 = vfma(a2, m, d);
    a3 = vfma(a3, m, d);
    a4 = vfma(a4, m, d);
    a5 = vfma(a5, m, d);
    a6 = vfma(a6, m, d);
    a7 = vfma(a7, m, d);
    a8 = vfma(a8, m, d);
    a9 = vfma(a9, m, d);
    a10 = vfma(a10, m, d);
    a11 = vfma(a11, m, d);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7))),
    f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)),
  );
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

// Random normals and Bernoulli masks on the Philox4x32-10 stream of dropout.ts:
// element i always takes the uniform u_i of f32_uniform(key0, key1, counter), so a layer's noise
// depends on (seed, step, index) alone, never on the build, the batch split or n.
//
// Normals use one uniform each, by inversion: z_i = Φ⁻¹(p_i) with p_i = u_i + 2^-25 (the middle
// of u_i's 2^-24 bin, so p ∈ [2^-25, 1 − 2^-25] and |z| ≤ 5.3) and Φ⁻¹ from Wichura, "Algorithm
// AS 241: The percentage points of the normal distribution", Applied Statistics 37 (1988),
// PPND7 (relative error about 1e-7): a rational function of r = 0.180625 − q² for |q| ≤ 0.425,
// q = p − ½, and of √(−ln min(p, 1 − p)) − 1.6 beyond (that root is ≤ 4.2 < 5 here, so
// PPND7's third branch is never needed). q and min(p, 1 − p) are exact in f32.

import { f32_uniform } from './dropout';
import { vlog } from '../f32-loss/math';
import { vfma } from '../shared/simd';

const HALF_BIN: f32 = 2.98023223876953125e-8; // 2^-25
const SPLIT1: f32 = 0.425;
const CONST1: f32 = 0.180625;
const CONST2: f32 = 1.6;
const A0: f32 = 3.3871327179;
const A1: f32 = 50.434271938;
const A2: f32 = 159.29113202;
const A3: f32 = 59.109374720;
const B1: f32 = 17.895169469;
const B2: f32 = 78.757757664;
const B3: f32 = 67.187563600;
const C0: f32 = 1.4234372777;
const C1: f32 = 2.7568153900;
const C2: f32 = 1.3067284816;
const C3: f32 = 0.17023821103;
const D1: f32 = 0.73700164250;
const D2: f32 = 0.12021132975;

/** Φ⁻¹(u + 2^-25), lane-wise, for u = k·2^-24 ∈ [0, 1) (AS 241 PPND7, both branches computed, one kept). */
// @ts-ignore: decorator
@inline function vnormalFromUniform(u: v128): v128 {
  const q = f32x4.add(f32x4.sub(u, f32x4.splat(0.5)), f32x4.splat(HALF_BIN)); // exact
  const aq = f32x4.abs(q);
  // |q| ≤ 0.425: q·A(r)/B(r)
  const r = f32x4.sub(f32x4.splat(CONST1), f32x4.mul(q, q));
  let na = vfma(f32x4.splat(A3), r, f32x4.splat(A2));
  na = vfma(na, r, f32x4.splat(A1));
  na = vfma(na, r, f32x4.splat(A0));
  let da = vfma(f32x4.splat(B3), r, f32x4.splat(B2));
  da = vfma(da, r, f32x4.splat(B1));
  da = vfma(da, r, f32x4.splat(1.0));
  const central = f32x4.div(f32x4.mul(q, na), da);
  // tails: s = √(−ln(½ − |q|)) − 1.6, sign of q
  const pmin = f32x4.sub(f32x4.splat(0.5), aq); // exact, ≥ 2^-25
  const s = f32x4.sub(f32x4.sqrt(f32x4.neg(vlog(pmin))), f32x4.splat(CONST2));
  let nc = vfma(f32x4.splat(C3), s, f32x4.splat(C2));
  nc = vfma(nc, s, f32x4.splat(C1));
  nc = vfma(nc, s, f32x4.splat(C0));
  let dc = vfma(f32x4.splat(D2), s, f32x4.splat(D1));
  dc = vfma(dc, s, f32x4.splat(1.0));
  const tailAbs = f32x4.div(nc, dc);
  const tail = v128.or(tailAbs, v128.and(q, i32x4.splat(0x80000000)));
  return v128.bitselect(central, tail, f32x4.le(aq, f32x4.splat(SPLIT1)));
}

/** y[i] = mean + stddev·Φ⁻¹(u_i + 2^-25), i < n (u_i: f32_uniform with key0, key1, counter). y is written twice (uniforms, then normals): it must not alias anything the caller still needs. */
export function f32_normal(n: i32, y: usize, mean: f32, stddev: f32, key0: i32, key1: i32, counter: i32): void {
  f32_uniform(n, y, key0, key1, counter, 0);
  const vm = f32x4.splat(mean);
  const vs = f32x4.splat(stddev);
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, vfma(vnormalFromUniform(v128.load(y + o)), vs, vm));
  for (; o < end; o += 4) {                  // tail: one lane of the same vector code
    const z = vfma(vnormalFromUniform(f32x4.splat(load<f32>(y + o))), vs, vm);
    store<f32>(y + o, f32x4.extract_lane(z, 0));
  }
}

/** y[i] = u_i ≥ p ? v : 0, i < n (u_i: f32_uniform with key0, key1, counter); p = 0 gives all v. */
export function f32_bernoulli(n: i32, y: usize, p: f32, v: f32, key0: i32, key1: i32, counter: i32): void {
  f32_uniform(n, y, key0, key1, counter, 0);
  const vp = f32x4.splat(p);
  const vv = f32x4.splat(v);
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, v128.and(f32x4.ge(v128.load(y + o), vp), vv));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(y + o) >= p ? v : 0);
}

// Layer normalization of each row of an m×c matrix over its c features (the last axis), as
// Keras 3 keras/src/layers/normalization/layer_normalization.py (ops.moments: biased variance):
// y = (x − μ)·ρ·γ + β with ρ = 1/√(σ² + ε). Ba, Kiros & Hinton, "Layer normalization", 2016.
//
// Row statistics are accumulated in f64 (lanes j mod 4 in two f64x2, combined as
// (l0 + l1) + (h0 + h1), then the tail in increasing j), two passes, then rounded once to f32.
// The per-row μ and ρ are stored for the backward pass. Sizes are elements; c ≥ 1.

import { vfma, sfma } from '../shared/simd';
import { lo64, hi64, hsum64 } from './wide';

/** Σ_j f(x[j]) over a row, f64: f = identity, or (x − mu)² when `centred`. */
// @ts-ignore: decorator
@inline function rowSum64(x: usize, c: i32, centred: bool, mu: f64): f64 {
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  const vmu = f64x2.splat(mu);
  let s0 = f64x2.splat(0);
  let s1 = s0;
  let o: usize = 0;
  for (; o < end4; o += 16) {
    const v = v128.load(x + o);
    if (centred) {
      const d0 = f64x2.sub(lo64(v), vmu);
      const d1 = f64x2.sub(hi64(v), vmu);
      s0 = f64x2.add(s0, f64x2.mul(d0, d0));
      s1 = f64x2.add(s1, f64x2.mul(d1, d1));
    } else {
      s0 = f64x2.add(s0, lo64(v));
      s1 = f64x2.add(s1, hi64(v));
    }
  }
  let s = hsum64(s0, s1);
  for (; o < end; o += 4) {
    const v = <f64>load<f32>(x + o);
    s += centred ? (v - mu) * (v - mu) : v;
  }
  return s;
}

/**
 * Per row i < m: μ = Σ_j x[i,j]/c, σ² = Σ_j (x[i,j] − μ)²/c, ρ = 1/√(σ² + ε) (f64, stored as f32
 * in mean[i], rstd[i]); y[i,j] = (x[i,j] − μ)·(ρ·γ[j]) + β[j] in f32. gamma = 0 means γ = 1,
 * beta = 0 means β = 0. y may alias x; mean and rstd must not alias x or y.
 */
export function f32_layernorm(m: i32, c: i32, x: usize, gamma: usize, beta: usize, y: usize, mean: usize, rstd: usize, eps: f32): void {
  const rowBytes = <usize>c << 2;
  const end4 = <usize>(c & ~3) << 2;
  const fc = <f64>c;
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  for (let i = 0; i < m; i++) {
    const xr = x + <usize>i * rowBytes;
    const yr = y + <usize>i * rowBytes;
    const mu = rowSum64(xr, c, false, 0) / fc;
    const variance = rowSum64(xr, c, true, mu) / fc;
    const rho = <f32>(1 / Math.sqrt(variance + <f64>eps));
    const mu32 = <f32>mu;
    store<f32>(mean + (<usize>i << 2), mu32);
    store<f32>(rstd + (<usize>i << 2), rho);
    const vmu = f32x4.splat(mu32);
    const vrho = f32x4.splat(rho);
    let o: usize = 0;
    for (; o < end4; o += 16) {
      const s = f32x4.mul(vrho, gamma != 0 ? v128.load(gamma + o) : one);
      const b = beta != 0 ? v128.load(beta + o) : zero;
      v128.store(yr + o, vfma(f32x4.sub(v128.load(xr + o), vmu), s, b));
    }
    for (; o < rowBytes; o += 4) {
      const s: f32 = rho * (gamma != 0 ? load<f32>(gamma + o) : 1);
      const b: f32 = beta != 0 ? load<f32>(beta + o) : 0;
      store<f32>(yr + o, sfma(load<f32>(xr + o) - mu32, s, b));
    }
  }
}

/**
 * Backward of f32_layernorm with the stored μ, ρ. Per row, with x̂ = (x − μ)·ρ and g = dy·γ:
 * dx = ρ·((g − mean_j g) − x̂·mean_j(g·x̂)) (row means in f64); over the rows, in increasing i,
 * f32: dγ[j] = Σ_i dy·x̂, dβ[j] = Σ_i dy. gamma = 0 means γ = 1; dx, dgamma, dbeta = 0 skip that
 * output. dx may alias dy or x; dgamma and dbeta must not alias anything else.
 */
export function f32_layernorm_grad(
  m: i32, c: i32, x: usize, dy: usize, mean: usize, rstd: usize, gamma: usize,
  dx: usize, dgamma: usize, dbeta: usize,
): void {
  const rowBytes = <usize>c << 2;
  const end4 = <usize>(c & ~3) << 2;
  const fc = <f64>c;
  const one = f32x4.splat(1);
  for (let o: usize = 0; o < rowBytes; o += 4) {
    if (dgamma != 0) store<f32>(dgamma + o, 0);
    if (dbeta != 0) store<f32>(dbeta + o, 0);
  }
  for (let i = 0; i < m; i++) {
    const xr = x + <usize>i * rowBytes;
    const dr = dy + <usize>i * rowBytes;
    const mu = load<f32>(mean + (<usize>i << 2));
    const rho = load<f32>(rstd + (<usize>i << 2));
    const vmu = f32x4.splat(mu);
    const vrho = f32x4.splat(rho);
    let s0 = f64x2.splat(0);                 // Σ g
    let s1 = s0;
    let t0 = s0;                             // Σ g·x̂
    let t1 = s0;
    let o: usize = 0;
    for (; o < end4; o += 16) {
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), vmu), vrho);
      const d = v128.load(dr + o);
      const g = f32x4.mul(d, gamma != 0 ? v128.load(gamma + o) : one);
      s0 = f64x2.add(s0, lo64(g));
      s1 = f64x2.add(s1, hi64(g));
      t0 = f64x2.add(t0, f64x2.mul(lo64(g), lo64(xh)));
      t1 = f64x2.add(t1, f64x2.mul(hi64(g), hi64(xh)));
      if (dgamma != 0) v128.store(dgamma + o, f32x4.add(v128.load(dgamma + o), f32x4.mul(d, xh)));
      if (dbeta != 0) v128.store(dbeta + o, f32x4.add(v128.load(dbeta + o), d));
    }
    let sg = hsum64(s0, s1);
    let sgx = hsum64(t0, t1);
    for (; o < rowBytes; o += 4) {
      const xh: f32 = (load<f32>(xr + o) - mu) * rho;
      const d = load<f32>(dr + o);
      const g: f32 = d * (gamma != 0 ? load<f32>(gamma + o) : 1);
      sg += <f64>g;
      sgx += <f64>g * <f64>xh;
      if (dgamma != 0) store<f32>(dgamma + o, load<f32>(dgamma + o) + d * xh);
      if (dbeta != 0) store<f32>(dbeta + o, load<f32>(dbeta + o) + d);
    }
    if (dx == 0) continue;
    const a = <f32>(sg / fc);
    const nb = <f32>(-(sgx / fc));
    const va = f32x4.splat(a);
    const vnb = f32x4.splat(nb);
    const xo = dx + <usize>i * rowBytes;
    o = 0;
    for (; o < end4; o += 16) {
      const xh = f32x4.mul(f32x4.sub(v128.load(xr + o), vmu), vrho);
      const g = f32x4.mul(v128.load(dr + o), gamma != 0 ? v128.load(gamma + o) : one);
      v128.store(xo + o, f32x4.mul(vrho, vfma(xh, vnb, f32x4.sub(g, va))));
    }
    for (; o < rowBytes; o += 4) {
      const xh: f32 = (load<f32>(xr + o) - mu) * rho;
      const g: f32 = load<f32>(dr + o) * (gamma != 0 ? load<f32>(gamma + o) : 1);
      store<f32>(xo + o, rho * sfma(xh, nb, g - a));
    }
  }
}

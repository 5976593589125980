// Batch normalization over the rows of an m×c matrix (m = batch·spatial positions, c = channels,
// the last axis), as Keras 3 keras/src/layers/normalization/batch_normalization.py with
// ops.moments (biased variance) and tf.nn.batch_normalization (y = x·s + t, s = γ/√(σ² + ε),
// t = β − μ·s). Ioffe & Szegedy, "Batch normalization", ICML 2015, for the gradient.
//
// Column statistics and the gradient's column sums are accumulated in f64, 4 columns at a time
// (rows in increasing order), two passes (mean, then centred squares), then rounded once to f32.
// Sizes are elements, pointers byte addresses; m ≥ 1.

import { vfma, sfma } from '../shared/simd';
import { lo64, hi64, narrow } from './wide';

/** mean[j] = Σ_i x[i,j]/m, var[j] = Σ_i (x[i,j] − mean[j])²/m (biased), j < c; x packed m×c, m ≥ 1. Outputs must not alias x. */
export function f32_batchnorm_stats(m: i32, c: i32, x: usize, mean: usize, variance: usize): void {
  const rs = <usize>c << 2;
  const fm = <f64>m;
  const vfm = f64x2.splat(fm);
  const zero = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= c; j += 4) {
    const o = <usize>j << 2;
    let s0 = zero;
    let s1 = zero;
    let p = x + o;
    for (let i = 0; i < m; i++) {
      const v = v128.load(p);
      s0 = f64x2.add(s0, lo64(v));
      s1 = f64x2.add(s1, hi64(v));
      p += rs;
    }
    const mu0 = f64x2.div(s0, vfm);
    const mu1 = f64x2.div(s1, vfm);
    let q0 = zero;
    let q1 = zero;
    p = x + o;
    for (let i = 0; i < m; i++) {
      const v = v128.load(p);
      const d0 = f64x2.sub(lo64(v), mu0);
      const d1 = f64x2.sub(hi64(v), mu1);
      q0 = f64x2.add(q0, f64x2.mul(d0, d0));
      q1 = f64x2.add(q1, f64x2.mul(d1, d1));
      p += rs;
    }
    v128.store(mean + o, narrow(mu0, mu1));
    v128.store(variance + o, narrow(f64x2.div(q0, vfm), f64x2.div(q1, vfm)));
  }
  for (; j < c; j++) {                       // tail: c % 4 columns
    const o = <usize>j << 2;
    let s: f64 = 0;
    let p = x + o;
    for (let i = 0; i < m; i++) {
      s += <f64>load<f32>(p);
      p += rs;
    }
    const mu = s / fm;
    let q: f64 = 0;
    p = x + o;
    for (let i = 0; i < m; i++) {
      const d = <f64>load<f32>(p) - mu;
      q += d * d;
      p += rs;
    }
    store<f32>(mean + o, <f32>mu);
    store<f32>(variance + o, <f32>(q / fm));
  }
}

/** s[j] = γ[j]·(1/√(var[j] + ε)), t[j] = β[j] − mean[j]·s[j], j < c, in f32; gamma = 0 means γ = 1, beta = 0 means β = 0. */
export function f32_batchnorm_coeffs(c: i32, mean: usize, variance: usize, gamma: usize, beta: usize, s: usize, t: usize, eps: f32): void {
  const veps = f32x4.splat(eps);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) {
    const inv = f32x4.div(one, f32x4.sqrt(f32x4.add(v128.load(variance + o), veps)));
    const sv = gamma != 0 ? f32x4.mul(inv, v128.load(gamma + o)) : inv;
    const bv = beta != 0 ? v128.load(beta + o) : zero;
    v128.store(s + o, sv);
    v128.store(t + o, f32x4.sub(bv, f32x4.mul(v128.load(mean + o), sv)));
  }
  for (; o < end; o += 4) {
    const inv: f32 = <f32>1 / sqrt<f32>(load<f32>(variance + o) + eps);
    const sv: f32 = gamma != 0 ? inv * load<f32>(gamma + o) : inv;
    const bv: f32 = beta != 0 ? load<f32>(beta + o) : 0;
    store<f32>(s + o, sv);
    store<f32>(t + o, bv - load<f32>(mean + o) * sv);
  }
}

/** y[i,j] = x[i,j]·s[j] + t[j] (one fused multiply-add in the relaxed build), x and y packed m×c. y may alias x. */
export function f32_vaffine_cols(m: i32, c: i32, x: usize, s: usize, t: usize, y: usize): void {
  const rowBytes = <usize>c << 2;
  const end16 = <usize>(c & ~15) << 2;
  const end4 = <usize>(c & ~3) << 2;
  for (let i = 0; i < m; i++) {
    const xr = x + <usize>i * rowBytes;
    const yr = y + <usize>i * rowBytes;
    let o: usize = 0;
    for (; o < end16; o += 64) {
      const r0 = vfma(v128.load(xr + o), v128.load(s + o), v128.load(t + o));
      const r1 = vfma(v128.load(xr + o, 16), v128.load(s + o, 16), v128.load(t + o, 16));
      const r2 = vfma(v128.load(xr + o, 32), v128.load(s + o, 32), v128.load(t + o, 32));
      const r3 = vfma(v128.load(xr + o, 48), v128.load(s + o, 48), v128.load(t + o, 48));
      v128.store(yr + o, r0);
      v128.store(yr + o, r1, 16);
      v128.store(yr + o, r2, 32);
      v128.store(yr + o, r3, 48);
    }
    for (; o < end4; o += 16) v128.store(yr + o, vfma(v128.load(xr + o), v128.load(s + o), v128.load(t + o)));
    for (; o < rowBytes; o += 4) store<f32>(yr + o, sfma(load<f32>(xr + o), load<f32>(s + o), load<f32>(t + o)));
  }
}

/**
 * Backward of y = γ·(x − μ)·ι + β with ι = 1/√(σ² + ε), x packed m×c. With `batch` ≠ 0, μ and σ²
 * are x's own column statistics (training):
 *   dx = γ·ι·(dy − Σdy/m − (x − μ)·ι²·Σ dy·(x − μ)/m);
 * with batch = 0 they are constants (moving statistics): dx = γ·ι·dy. Both: dβ = Σ_i dy,
 * dγ = ι·Σ_i dy·(x − μ). gamma = 0 means γ = 1; dx, dgamma, dbeta = 0 skip that output.
 * Sums in f64, dx in f32 as dy·A + ((x − μ)·B + C). dx may alias dy or x.
 */
export function f32_batchnorm_grad(
  m: i32, c: i32, x: usize, dy: usize, mean: usize, variance: usize, gamma: usize,
  dx: usize, dgamma: usize, dbeta: usize, eps: f32, batch: i32,
): void {
  const rs = <usize>c << 2;
  const fm = <f64>m;
  const zero = f64x2.splat(0);
  const one64 = f64x2.splat(1);
  const vfm = f64x2.splat(fm);
  const veps = f64x2.splat(<f64>eps);
  let j = 0;
  for (; j + 4 <= c; j += 4) {
    const o = <usize>j << 2;
    const mu = v128.load(mean + o);
    const mu0 = lo64(mu);
    const mu1 = hi64(mu);
    let g0 = zero;                           // Σ dy
    let g1 = zero;
    let h0 = zero;                           // Σ dy·(x − μ)
    let h1 = zero;
    let px = x + o;
    let pd = dy + o;
    for (let i = 0; i < m; i++) {
      const v = v128.load(px);
      const g = v128.load(pd);
      const gl = lo64(g);
      const gh = hi64(g);
      g0 = f64x2.add(g0, gl);
      g1 = f64x2.add(g1, gh);
      h0 = f64x2.add(h0, f64x2.mul(gl, f64x2.sub(lo64(v), mu0)));
      h1 = f64x2.add(h1, f64x2.mul(gh, f64x2.sub(hi64(v), mu1)));
      px += rs;
      pd += rs;
    }
    const va = v128.load(variance + o);
    const inv0 = f64x2.div(one64, f64x2.sqrt(f64x2.add(lo64(va), veps)));
    const inv1 = f64x2.div(one64, f64x2.sqrt(f64x2.add(hi64(va), veps)));
    if (dbeta != 0) v128.store(dbeta + o, narrow(g0, g1));
    if (dgamma != 0) v128.store(dgamma + o, narrow(f64x2.mul(h0, inv0), f64x2.mul(h1, inv1)));
    if (dx == 0) continue;
    let a0 = inv0;
    let a1 = inv1;
    if (gamma != 0) {
      const gv = v128.load(gamma + o);
      a0 = f64x2.mul(a0, lo64(gv));
      a1 = f64x2.mul(a1, hi64(gv));
    }
    const va32 = narrow(a0, a1);
    px = x + o;
    pd = dy + o;
    let pdx = dx + o;
    if (batch != 0) {
      // B = −A·ι²·Σdy(x − μ)/m, C = −A·Σdy/m
      const b0 = f64x2.neg(f64x2.div(f64x2.mul(f64x2.mul(a0, f64x2.mul(inv0, inv0)), h0), vfm));
      const b1 = f64x2.neg(f64x2.div(f64x2.mul(f64x2.mul(a1, f64x2.mul(inv1, inv1)), h1), vfm));
      const c0 = f64x2.neg(f64x2.div(f64x2.mul(a0, g0), vfm));
      const c1 = f64x2.neg(f64x2.div(f64x2.mul(a1, g1), vfm));
      const vb = narrow(b0, b1);
      const vc = narrow(c0, c1);
      for (let i = 0; i < m; i++) {
        const d = f32x4.sub(v128.load(px), mu);
        v128.store(pdx, vfma(v128.load(pd), va32, vfma(d, vb, vc)));
        px += rs;
        pd += rs;
        pdx += rs;
      }
    } else {
      for (let i = 0; i < m; i++) {
        v128.store(pdx, f32x4.mul(v128.load(pd), va32));
        pd += rs;
        pdx += rs;
      }
    }
  }
  for (; j < c; j++) {                       // tail: c % 4 columns, the same arithmetic per lane
    const o = <usize>j << 2;
    const mu32 = load<f32>(mean + o);
    const mu = <f64>mu32;
    let g: f64 = 0;
    let h: f64 = 0;
    let px = x + o;
    let pd = dy + o;
    for (let i = 0; i < m; i++) {
      const gi = <f64>load<f32>(pd);
      g += gi;
      h += gi * (<f64>load<f32>(px) - mu);
      px += rs;
      pd += rs;
    }
    const inv: f64 = 1 / Math.sqrt(<f64>load<f32>(variance + o) + <f64>eps);
    if (dbeta != 0) store<f32>(dbeta + o, <f32>g);
    if (dgamma != 0) store<f32>(dgamma + o, <f32>(h * inv));
    if (dx == 0) continue;
    const a = gamma != 0 ? inv * <f64>load<f32>(gamma + o) : inv;
    const a32 = <f32>a;
    px = x + o;
    pd = dy + o;
    let pdx = dx + o;
    if (batch != 0) {
      const b32 = <f32>(-((a * (inv * inv)) * h / fm));
      const c32 = <f32>(-(a * g / fm));
      for (let i = 0; i < m; i++) {
        const d = load<f32>(px) - mu32;
        store<f32>(pdx, sfma(load<f32>(pd), a32, sfma(d, b32, c32)));
        px += rs;
        pd += rs;
        pdx += rs;
      }
    } else {
      for (let i = 0; i < m; i++) {
        store<f32>(pdx, load<f32>(pd) * a32);
        pd += rs;
        pdx += rs;
      }
    }
  }
}

// Scalar float64 references for the f32-norm family (assembly/f32-norm/): random normals and
// masks, the broadcast mask product, batch and layer normalization forward and backward.
import { uniformRef } from './reduce.js';

/**
 * Φ⁻¹(p), Wichura, "Algorithm AS 241", Applied Statistics 37 (1988), PPND7 in float64 (relative
 * error about 1e-7 against the true quantile), all three branches.
 */
export function ppnd7(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * (((59.10937472 * r + 159.29113202) * r + 50.434271938) * r + 3.3871327179)) /
      (((67.1875636 * r + 78.757757664) * r + 17.895169469) * r + 1);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = (((0.17023821103 * r + 1.3067284816) * r + 2.75681539) * r + 1.4234372777) / ((0.12021132975 * r + 0.7370016425) * r + 1);
  } else {
    r -= 5;
    v = (((0.017337203997 * r + 0.42868294337) * r + 3.081226386) * r + 6.657905115) / ((0.012258202635 * r + 0.24197894225) * r + 1);
  }
  return q < 0 ? -v : v;
}

/** Normal CDF Φ(x) = erfc(−x/√2)/2, erfc by the Chebyshev fit of Numerical Recipes (fractional error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** y[i] = mean + stddev·Φ⁻¹(u_i + 2^-25), u_i the Philox uniforms of f32_uniform. */
export function normalRef(n: number, mean: number, stddev: number, key0: number, key1: number, counter: number): Float64Array {
  const u = uniformRef(n, key0, key1, counter);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + stddev * ppnd7(u[i]! + 2 ** -25);
  return out;
}

/** y[i] = u_i ≥ p ? v : 0 (p and v as f32). */
export function bernoulliRef(n: number, p: number, v: number, key0: number, key1: number, counter: number): Float32Array {
  const u = uniformRef(n, key0, key1, counter);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = u[i]! >= Math.fround(p) ? v : 0;
  return out;
}

/** y[i,j,k] = x[i,j,k]·m[i,k] + (m[i,k] ≠ 0 ? on : off); x p×q×r, m p×r. */
export function vmulBcastRef(p: number, q: number, r: number, x: ArrayLike<number>, m: ArrayLike<number>, on: number, off: number): Float64Array {
  const out = new Float64Array(p * q * r);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      for (let k = 0; k < r; k++) {
        const s = m[i * r + k]!;
        const e = (i * q + j) * r + k;
        out[e] = on === 0 && off === 0 ? x[e]! * s : x[e]! * s + (s !== 0 ? on : off);
      }
    }
  }
  return out;
}

/** Column mean and biased variance of x (m×c). */
export function batchnormStatsRef(m: number, c: number, x: ArrayLike<number>): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += x[i * c + j]!;
    const mu = s / m;
    let q = 0;
    for (let i = 0; i < m; i++) q += (x[i * c + j]! - mu) ** 2;
    mean[j] = mu;
    variance[j] = q / m;
  }
  return { mean, variance };
}

/**
 * Batch normalization, Keras 3 / tf.nn.batch_normalization, in float64:
 * y = (x − mean)/√(var + ε)·γ + β over columns (γ, β null: 1, 0).
 */
export function batchnormRef(m: number, c: number, x: ArrayLike<number>, mean: ArrayLike<number>, variance: ArrayLike<number>,
  gamma: ArrayLike<number> | null, beta: ArrayLike<number> | null, eps: number): Float64Array {
  const y = new Float64Array(m * c);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < c; j++) {
      y[i * c + j] = ((x[i * c + j]! - mean[j]!) / Math.sqrt(variance[j]! + eps)) * (gamma === null ? 1 : gamma[j]!) + (beta === null ? 0 : beta[j]!);
    }
  }
  return y;
}

/**
 * Gradient of batch normalization (Ioffe & Szegedy 2015, §3). batch: mean and variance are x's
 * own (biased) statistics and are differentiated through; otherwise they are constants.
 */
export function batchnormGradRef(m: number, c: number, x: ArrayLike<number>, dy: ArrayLike<number>, mean: ArrayLike<number>,
  variance: ArrayLike<number>, gamma: ArrayLike<number> | null, eps: number, batch: boolean):
  { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array; mag: Float64Array } {
  const dx = new Float64Array(m * c);
  const dgamma = new Float64Array(c);
  const dbeta = new Float64Array(c);
  const mag = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const inv = 1 / Math.sqrt(variance[j]! + eps);
    const g = gamma === null ? 1 : gamma[j]!;
    let sdy = 0;
    let sdx = 0;
    let amag = 0;
    for (let i = 0; i < m; i++) {
      const d = dy[i * c + j]!;
      sdy += d;
      sdx += d * (x[i * c + j]! - mean[j]!);
      amag += Math.abs(d) * (1 + Math.abs((x[i * c + j]! - mean[j]!) * inv));
    }
    dbeta[j] = sdy;
    dgamma[j] = sdx * inv;
    mag[j] = amag;
    for (let i = 0; i < m; i++) {
      const xh = (x[i * c + j]! - mean[j]!) * inv;
      const d = dy[i * c + j]!;
      dx[i * c + j] = batch ? g * inv * (d - sdy / m - xh * (sdx * inv) / m) : g * inv * d;
    }
  }
  return { dx, dgamma, dbeta, mag };
}

/** Layer normalization of each row of x (m×c) over its c features, float64 (γ, β null: 1, 0). */
export function layernormRef(m: number, c: number, x: ArrayLike<number>, gamma: ArrayLike<number> | null, beta: ArrayLike<number> | null,
  eps: number): { y: Float64Array; mean: Float64Array; rstd: Float64Array } {
  const y = new Float64Array(m * c);
  const mean = new Float64Array(m);
  const rstd = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += x[i * c + j]!;
    const mu = s / c;
    let q = 0;
    for (let j = 0; j < c; j++) q += (x[i * c + j]! - mu) ** 2;
    const r = 1 / Math.sqrt(q / c + eps);
    mean[i] = mu;
    rstd[i] = r;
    for (let j = 0; j < c; j++) y[i * c + j] = (x[i * c + j]! - mu) * r * (gamma === null ? 1 : gamma[j]!) + (beta === null ? 0 : beta[j]!);
  }
  return { y, mean, rstd };
}

/** Gradient of layer normalization with the given per-row mean and rstd (Ba et al. 2016). */
export function layernormGradRef(m: number, c: number, x: ArrayLike<number>, dy: ArrayLike<number>, mean: ArrayLike<number>,
  rstd: ArrayLike<number>, gamma: ArrayLike<number> | null): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const dx = new Float64Array(m * c);
  const dgamma = new Float64Array(c);
  const dbeta = new Float64Array(c);
  for (let i = 0; i < m; i++) {
    const r = rstd[i]!;
    let sg = 0;
    let sgx = 0;
    for (let j = 0; j < c; j++) {
      const xh = (x[i * c + j]! - mean[i]!) * r;
      const d = dy[i * c + j]!;
      const g = d * (gamma === null ? 1 : gamma[j]!);
      sg += g;
      sgx += g * xh;
      dgamma[j]! += d * xh;
      dbeta[j]! += d;
    }
    for (let j = 0; j < c; j++) {
      const xh = (x[i * c + j]! - mean[i]!) * r;
      const g = dy[i * c + j]! * (gamma === null ? 1 : gamma[j]!);
      dx[i * c + j] = r * (g - sg / c - xh * (sgx / c));
    }
  }
  return { dx, dgamma, dbeta };
}

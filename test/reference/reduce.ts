// Scalar float64 references for the f32-reduce family (assembly/f32-reduce/).
// Sums return the exact-ish float64 value and Σ|terms| (the scale of the allowed rounding error).

/** y[j] = (beta ? y[j] : 0) + Σ_i x[i·ldx + j]; mag[j] = Σ|terms|. */
export function colsumRef(
  m: number, n: number, x: Float32Array, ldx: number, y: Float32Array, beta: number,
): { y: Float64Array; mag: Float64Array } {
  const out = new Float64Array(n);
  const mag = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    let g = 0;
    for (let i = 0; i < m; i++) {
      const v = x[i * ldx + j]!;
      s += v;
      g += Math.abs(v);
    }
    if (beta !== 0) {
      s += y[j]!;
      g += Math.abs(y[j]!);
    }
    out[j] = s;
    mag[j] = g;
  }
  return { y: out, mag };
}

/** Σ x² (mag = the same sum, all terms are non-negative). */
export function sumsqRef(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return s;
}

/** Σ |x|. */
export function sumabsRef(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!);
  return s;
}

/** max |x| (0 if empty, NaN if any NaN). */
export function maxabsRef(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (Number.isNaN(v)) return NaN;
    if (v > s) s = v;
  }
  return s;
}

/** Per row: index of the first NaN if any, else of the first maximum (strict >, so ties keep the first; -0 == +0); -1 if cols = 0. */
export function argmaxRowsRef(rows: number, cols: number, x: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (cols === 0) {
      out[r] = -1;
      continue;
    }
    let idx = -1;
    for (let j = 0; j < cols; j++) {
      if (Number.isNaN(x[r * cols + j]!)) {
        idx = j;
        break;
      }
    }
    if (idx < 0) {
      idx = 0;
      let best = x[r * cols]!;
      for (let j = 1; j < cols; j++) {
        const v = x[r * cols + j]!;
        if (v > best) {
          best = v;
          idx = j;
        }
      }
    }
    out[r] = idx;
  }
  return out;
}

/** Index of the first non-finite element, or -1. */
export function findNonfiniteRef(x: ArrayLike<number>): number {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return i;
  return -1;
}

/**
 * Keras 3 L1L2 (keras/src/regularizers/regularizers.py): l1·Σ|w| + l2·Σw², a term only when its
 * coefficient is non-zero. mag = |l1|·Σ|w| + |l2|·Σw².
 */
export function l1l2PenaltyRef(w: ArrayLike<number>, l1: number, l2: number): { s: number; mag: number } {
  let s = 0;
  let mag = 0;
  if (l1 !== 0) {
    s += l1 * sumabsRef(w);
    mag += Math.abs(l1) * sumabsRef(w);
  }
  if (l2 !== 0) {
    s += l2 * sumsqRef(w);
    mag += Math.abs(l2) * sumsqRef(w);
  }
  return { s, mag };
}

/** g + l1·sign(w) + 2·l2·w with sign(±0) = 0 (the derivative of |w| taken as 0 at 0); mag = Σ|terms|. */
export function l1l2GradRef(
  w: ArrayLike<number>, g: ArrayLike<number>, l1: number, l2: number,
): { g: Float64Array; mag: Float64Array } {
  const out = new Float64Array(w.length);
  const mag = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const wv = w[i]!;
    const s = wv > 0 ? 1 : wv < 0 ? -1 : 0;
    out[i] = g[i]! + l1 * s + 2 * l2 * wv;
    mag[i] = Math.abs(g[i]!) + Math.abs(l1 * s) + Math.abs(2 * l2 * wv);
  }
  return { g: out, mag };
}

/** (hi, lo) 32-bit halves of the exact 64-bit product of two u32, from 16-bit pieces. */
function mulhilo32(a: number, b: number): [number, number] {
  const lo = Math.imul(a, b) >>> 0;
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const hh = aH * bH;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  const hi = (hh + (lh >>> 16) + (hl >>> 16) + Math.floor(mid / 65536)) >>> 0;
  return [hi, lo];
}

/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3",
 * SC'11; Random123's philox.h): 10 rounds of two 32×32→64 multiplies, key bumped by the Weyl
 * constants between rounds. All values are u32 numbers.
 */
export function philox4x32_10(ctr: readonly number[], key: readonly number[]): [number, number, number, number] {
  let [x0, x1, x2, x3] = ctr.map((v) => v >>> 0) as [number, number, number, number];
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 = (k0 + 0x9e3779b9) >>> 0;
      k1 = (k1 + 0xbb67ae85) >>> 0;
    }
    const [hi0, lo0] = mulhilo32(0xd2511f53, x0);
    const [hi1, lo1] = mulhilo32(0xcd9e8d57, x2);
    const n0 = (hi1 ^ x1 ^ k0) >>> 0;
    const n2 = (hi0 ^ x3 ^ k1) >>> 0;
    x0 = n0;
    x1 = lo1;
    x2 = n2;
    x3 = lo0;
  }
  return [x0, x1, x2, x3];
}

/** u_i = (word i % 4 of Philox4x32-10 at counter (i >> 2, counter, 0, 0), key (key0, key1)) >>> 8, times 2^-24. */
export function uniformRef(n: number, key0: number, key1: number, counter: number): Float64Array {
  const out = new Float64Array(n);
  for (let blk = 0; 4 * blk < n; blk++) {
    const w = philox4x32_10([blk, counter, 0, 0], [key0, key1]);
    for (let l = 0; l < 4 && 4 * blk + l < n; l++) out[4 * blk + l] = (w[l]! >>> 8) * 2 ** -24;
  }
  return out;
}

/** The inverted-dropout scale 1/(1 − rate) rounded as the f32 kernel computes it (two f32 operations). */
export function dropoutScale(rate: number): number {
  return Math.fround(1 / Math.fround(1 - Math.fround(rate)));
}

/**
 * Keras 3 inverted dropout (keras/src/layers/regularization/dropout.py): mask[i] = 1/(1 − rate)
 * where u_i ≥ rate, else 0.
 */
export function dropoutMaskRef(n: number, rate: number, key0: number, key1: number, counter: number): Float32Array {
  const u = uniformRef(n, key0, key1, counter);
  const scale = dropoutScale(rate);
  const r = Math.fround(rate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = u[i]! >= r ? scale : 0;
  return out;
}

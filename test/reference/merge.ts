// Float64 scalar references for the f32-merge family (assembly/f32-merge/) and the activation
// layers' kernels (assembly/f32-vunary/relu-ext.ts, prelu.ts). Formulas: Keras 3
// keras/src/layers/merging/*.py, keras/src/activations/activations.py (relu), prelu.py; the
// gradient of max/min as TensorFlow's (ties to the first input).

/** max(a, b) with NaN propagation (and max(−0, +0) = +0, as wasm's f32.max and Math.max). */
export function maxRef(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b);
}

/** min(a, b) with NaN propagation (min(−0, +0) = −0). */
export function minRef(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b);
}

/**
 * The gradients of y = fold(op, xs) for each input: dy goes to the first input equal to y (where
 * y is NaN, to none).
 */
export function routeRef(xs: readonly ArrayLike<number>[], y: ArrayLike<number>, dy: ArrayLike<number>): Float64Array[] {
  const out = xs.map(() => new Float64Array(y.length));
  for (let i = 0; i < y.length; i++) {
    const j = xs.findIndex((x) => x[i] === y[i]);
    if (j >= 0) out[j]![i] = dy[i]!;
  }
  return out;
}

/** y with the block y[i·ldy + j] = x[i·ldx + j] (i < rows, j < cols) copied in; other elements kept. */
export function copyBlockRef(rows: number, cols: number, x: ArrayLike<number>, ldx: number, y: ArrayLike<number>, ldy: number): Float32Array {
  const out = Float32Array.from(y);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * ldy + j] = x[i * ldx + j]!;
  return out;
}

/** Row dot products Σ_j a[i, j]·b[i, j] in float64, and Σ|terms| per row (the rounding scale). */
export function rowdotRef(rows: number, cols: number, a: ArrayLike<number>, b: ArrayLike<number>): { y: Float64Array; mag: Float64Array } {
  const y = new Float64Array(rows);
  const mag = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      const t = a[i * cols + j]! * b[i * cols + j]!;
      s += t;
      m += Math.abs(t);
    }
    y[i] = s;
    mag[i] = m;
  }
  return { y, mag };
}

/** Keras 3 `relu(x, negative_slope, max_value, threshold)` (max_value +inf: none). */
export function reluExtRef(x: number, maxValue: number, slope: number, threshold: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > threshold) return Math.min(x, maxValue);
  return slope === 0 ? 0 : slope * (x - threshold);
}

/** Its derivative as the kernels define it: 1 on (threshold, max_value), 0 from max_value, slope at and below the threshold. */
export function reluExtDerivRef(x: number, maxValue: number, slope: number, threshold: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x > threshold) return x < maxValue ? 1 : 0;
  return slope;
}

/** PReLU: x > 0 ? x : alpha·x. */
export function preluRef(x: number, alpha: number): number {
  return x > 0 ? x : alpha * x;
}

/** PReLU's derivatives: d/dx (alpha at 0, as the leaky kernel) and d/dalpha = min(x, 0). */
export function preluDerivRef(x: number, alpha: number): { dx: number; dalpha: number } {
  if (Number.isNaN(x)) return { dx: NaN, dalpha: NaN };
  return { dx: x > 0 ? 1 : alpha, dalpha: x > 0 ? 0 : x };
}

/** Index of alpha for element i of x seen as [p, a, q, c] with alpha [a, c]. */
export function preluAlphaIndex(i: number, a: number, q: number, c: number): number {
  const ic = i % c;
  const ia = Math.floor(i / (c * q)) % a;
  return ia * c + ic;
}

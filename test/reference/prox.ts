// Float64 references of the f32-prox family: the proximal L1 step (soft-thresholding, its
// threshold per optimizer), the Keras 3 constraints (keras/src/constraints/constraints.py),
// FTRL (keras/src/optimizers/ftrl.py `update_step`) and the mean / population std of MC dropout.

export type Vec = Float64Array | number[];

/** sign(w)·max(|w| − τ, 0): the proximal operator of τ·|w|. */
export function softThreshold(w: number, tau: number): number {
  const a = Math.abs(w) - tau;
  return a > 0 ? Math.sign(w) * a : 0;
}

/** τ = λ·lr for every coordinate (SGD, momentum SGD). */
export function proxL1Ref(w: Vec, tau: number): void {
  for (let i = 0; i < w.length; i++) w[i] = softThreshold(w[i]!, tau);
}

/** Adam: τ_i = c/(√v_i + ε), c = λ·lrT. */
export function proxL1AdamRef(w: Vec, v: ArrayLike<number>, c: number, eps: number): void {
  for (let i = 0; i < w.length; i++) w[i] = softThreshold(w[i]!, c / (Math.sqrt(v[i]!) + eps));
}

/** RMSprop / Adagrad: τ_i = c/√(v_i − mg_i² + ε) (mg null: √(v_i + ε)), c = λ·lr. */
export function proxL1RmsRef(w: Vec, v: ArrayLike<number>, mg: ArrayLike<number> | null, c: number, eps: number): void {
  for (let i = 0; i < w.length; i++) {
    const d = mg === null ? v[i]! + eps : v[i]! - mg[i]! * mg[i]! + eps;
    w[i] = softThreshold(w[i]!, c / Math.sqrt(d));
  }
}

/** FTRL: τ_i = c/(acc_i^e + d), c = λ·lr, d = 2·l2_reg·lr, e = −learning_rate_power. */
export function proxL1FtrlRef(w: Vec, acc: ArrayLike<number>, c: number, d: number, e: number): void {
  for (let i = 0; i < w.length; i++) w[i] = softThreshold(w[i]!, c / (acc[i]! ** e + d));
}

/** Keras NonNeg: max(w, 0). */
export function nonNegRef(w: ArrayLike<number>): Float64Array {
  return Float64Array.from(w, (x) => Math.max(x, 0));
}

/**
 * Keras MinMaxNorm over [outer, len, inner] (axis = the middle one): norms = √Σw²;
 * desired = rate·clip(norms, min, max) + (1 − rate)·norms; w·desired/(ε + norms).
 * MaxNorm is (0, max, 1); UnitNorm w/(ε + norms) is (1, 1, 1).
 */
export function minMaxNormRef(w: ArrayLike<number>, outer: number, len: number, inner: number,
  minValue: number, maxValue: number, rate: number, eps = 1e-7): Float64Array {
  const out = Float64Array.from(w);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let s = 0;
      for (let a = 0; a < len; a++) s += w[(o * len + a) * inner + j]! ** 2;
      const norm = Math.sqrt(s);
      const desired = rate * Math.min(Math.max(norm, minValue), maxValue) + (1 - rate) * norm;
      for (let a = 0; a < len; a++) out[(o * len + a) * inner + j] = w[(o * len + a) * inner + j]! * (desired / (eps + norm));
    }
  }
  return out;
}

export interface FtrlOpts {
  learningRate: number;
  learningRatePower?: number;
  l1?: number;
  l2?: number;
  l2Shrinkage?: number;
  beta?: number;
  weightDecay?: number;
}

/**
 * One Keras 3 FTRL step (ftrl.py), after the base optimizer's weight decay
 * (w ← w − w·weightDecay·lr). Mutates w, acc and lin; returns each coordinate's `quadratic`.
 */
export function ftrlRef(w: Vec, g: ArrayLike<number>, state: { acc: Vec; lin: Vec }, o: FtrlOpts): Float64Array {
  const lr = o.learningRate;
  const p = o.learningRatePower ?? -0.5;
  const l1 = o.l1 ?? 0;
  const l2 = (o.l2 ?? 0) + (o.beta ?? 0) / (2 * lr);
  const l2s = o.l2Shrinkage ?? 0;
  const wd = (o.weightDecay ?? 0) * lr;
  const q = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    if (wd !== 0) w[i] = w[i]! - w[i]! * wd;
    const gi = g[i]!;
    const gt = gi + 2 * l2s * w[i]!;
    const acc = state.acc[i]!;
    const acc1 = acc + gi * gi;
    state.lin[i] = state.lin[i]! + gt - ((acc1 ** -p - acc ** -p) / lr) * w[i]!;
    q[i] = acc1 ** -p / lr + 2 * l2;
    const lin = state.lin[i]!;
    w[i] = (Math.min(Math.max(lin, -l1), l1) - lin) / q[i]!;
    state.acc[i] = acc1;
  }
  return q;
}

/** Mean and population standard deviation over samples (each of length n), two-pass in float64. */
export function meanStdRef(samples: readonly ArrayLike<number>[], n: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  for (const s of samples) for (let i = 0; i < n; i++) mean[i] = mean[i]! + s[i]!;
  for (let i = 0; i < n; i++) mean[i] = mean[i]! / samples.length;
  for (const s of samples) for (let i = 0; i < n; i++) std[i] = std[i]! + (s[i]! - mean[i]!) ** 2;
  for (let i = 0; i < n; i++) std[i] = Math.sqrt(std[i]! / samples.length);
  return { mean, std };
}

// Float64 references for the f32-vunary kernels: the Keras 3 formulas
// (keras/src/activations/activations.py) evaluated in double precision, written for accuracy
// rather than speed (stable forms for the tails, a series/continued fraction for erfc) and
// independently of the kernels' algorithms.

const SQRT_PI = Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/** Keras `selu` constants. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** erf(z) by its Maclaurin series, for |z| ≤ 2.5 (terms peak near 2e2 there: ~1e-14 absolute). */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= -z2 / n;
    const t = term / (2 * n + 1);
    sum += t;
    if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/**
 * Upper normal tail Q(a) = Φ(−a) = erfc(a/√2)/2 for a ≥ 0, with relative accuracy.
 * a/√2 < 2.5: 1 − erf by the series. Beyond: Laplace's continued fraction
 * erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), 300 terms from the tail,
 * with e^(−a²/2) taken from a (a² is exact for f32 a).
 */
export function upperTail(a: number): number {
  if (Number.isNaN(a)) return NaN;
  if (a === Infinity) return 0;
  const z = a / Math.SQRT2;
  if (z < 2.5) return 0.5 * (1 - erfSeries(z));
  let t = z;
  for (let k = 300; k >= 1; k--) t = z + k / 2 / t;
  return (0.5 * Math.exp(-0.5 * a * a)) / (SQRT_PI * t);
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}

/** σ(x) = 1/(1 + e^−x), exact limits at ±inf. */
export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** One activation: its kernels are f32_v<name> and f32_v<name>_grad. */
export interface ActivationRef {
  readonly name: string;
  /** The alpha the tests pass; undefined: the kernel must ignore alpha (tests pass NaN). */
  readonly alpha?: number;
  /** Points where f or f' has a kink or a root: tests sample around them. */
  readonly kinks: readonly number[];
  /** f(x) in float64 (x finite or ±inf; NaN is handled by the tester). */
  f(x: number, alpha: number): number;
  /** f'(x) in float64, as the kernels define it at kinks. */
  df(x: number, alpha: number): number;
  /**
   * Where the kernel's f' cancels between terms: an absolute slack `magEps·gradMag(x)·|dy|`
   * on top of the ulp tolerance, gradMag being the sum of the magnitudes of the terms.
   */
  readonly gradMag?: (x: number, alpha: number) => number;
  readonly magEps?: number;
  /** f' does not read x (linear): a NaN x does not reach dx. */
  readonly gradIgnoresX?: boolean;
}

const EPS32 = 2 ** -24;

export const ACTIVATIONS: readonly ActivationRef[] = [
  {
    name: 'relu',
    kinks: [0],
    f: (x) => (x > 0 ? x : 0),
    df: (x) => (x > 0 ? 1 : 0),
  },
  {
    name: 'relu6',
    kinks: [0, 6],
    f: (x) => Math.min(Math.max(x, 0), 6),
    df: (x) => (x > 0 && x < 6 ? 1 : 0),
  },
  {
    name: 'leaky_relu',
    alpha: 0.2,
    kinks: [0],
    f: (x, a) => (x > 0 ? x : a * x),
    df: (x, a) => (x > 0 ? 1 : a),
  },
  {
    name: 'elu',
    alpha: 1.0,
    kinks: [0],
    f: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
    df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)),
  },
  {
    name: 'selu',
    kinks: [0],
    f: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x) => SELU_SCALE * (x > 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  },
  {
    name: 'gelu',
    kinks: [0, -0.7517915246935645],
    f: (x) => (x === -Infinity ? -0 : x * normalCdf(x)),
    df: (x) => (Number.isFinite(x) ? normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x) : x > 0 ? 1 : 0),
    gradMag: (x) => (Number.isFinite(x) ? normalCdf(x) + Math.abs(x) * INV_SQRT_2PI * Math.exp(-0.5 * x * x) : 1),
    magEps: 2 ** -30, // the kernel's Mills-ratio fit: 3.7e-10 relative
  },
  {
    name: 'gelu_tanh',
    kinks: [0, -0.7524614220710163],
    f: (x) => {
      if (x === -Infinity) return -0;
      if (x === Infinity) return Infinity;
      return x * sigmoid(2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
    },
    df: (x) => {
      if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
      const v = 2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
      const s = sigmoid(v);
      return s + x * s * sigmoid(-v) * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x);
    },
    gradMag: (x) => {
      if (!Number.isFinite(x)) return 1;
      const v = 2 * SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
      const s = sigmoid(v);
      return s + Math.abs(x * s * sigmoid(-v) * 2 * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x));
    },
    magEps: 2 ** -44,
  },
  {
    name: 'sigmoid',
    kinks: [0],
    f: (x) => sigmoid(x),
    df: (x) => sigmoid(x) * sigmoid(-x),
  },
  {
    name: 'hard_sigmoid',
    kinks: [-3, 3],
    f: (x) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
    df: (x) => (x > -3 && x < 3 ? 1 / 6 : 0),
  },
  {
    name: 'tanh',
    kinks: [0],
    f: (x) => Math.tanh(x),
    df: (x) => {
      const e = Math.exp(-2 * Math.abs(x));
      return (4 * e) / ((1 + e) * (1 + e));
    },
  },
  {
    name: 'softplus',
    kinks: [0],
    f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
    df: (x) => sigmoid(x),
  },
  {
    name: 'softsign',
    kinks: [0],
    f: (x) => (Number.isFinite(x) ? x / (1 + Math.abs(x)) : Math.sign(x)),
    df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
  },
  {
    name: 'swish',
    kinks: [0, -1.2784645427610738],
    f: (x) => (x === -Infinity ? -0 : x * sigmoid(x)),
    df: (x) => (Number.isFinite(x) ? sigmoid(x) * (1 + x * sigmoid(-x)) : x > 0 ? 1 : 0),
    gradMag: (x) => (Number.isFinite(x) ? sigmoid(x) * (1 + Math.abs(x) * sigmoid(-x)) : 1),
    magEps: 2 * EPS32, // s·(1 + x·(1 − s)) cancels next to its root; e = e^−|x| carries ≤ 1 ulp
  },
  {
    name: 'linear',
    kinks: [0],
    f: (x) => x,
    df: () => 1,
    gradIgnoresX: true,
  },
  {
    name: 'exponential',
    kinks: [0, -87.33654475055310898657, -103.27892990343184, 88.72283905206835],
    f: (x) => Math.exp(x),
    // f' = e^x = y, which is inf in f32 past ln FLT_MAX: the kernel's dy·y inherits that
    df: (x) => Math.fround(Math.exp(x)),
  },
];

/** Row-wise softmax in f64, with the slack per element for rounding x − max in f32. */
export function softmaxRef(rows: number, cols: number, x: ArrayLike<number>): { y: Float64Array; mag: Float64Array } {
  const y = new Float64Array(rows * cols);
  const mag = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[o + j]! - m);
    let spread = 0; // Σ y_j·|x_j − m| over the y_j > 0 (x_j = −inf contributes nothing)
    for (let j = 0; j < cols; j++) {
      y[o + j] = Math.exp(x[o + j]! - m) / s;
      if (y[o + j]! > 0) spread += y[o + j]! * Math.abs(x[o + j]! - m);
    }
    for (let j = 0; j < cols; j++) mag[o + j] = y[o + j]! > 0 ? y[o + j]! * (Math.abs(x[o + j]! - m) + spread) : 0;
  }
  return { y, mag };
}

/** Row-wise log-softmax in f64; mag is the slack scale Σ_j y_j·|x_j − max| (through log Σ). */
export function logSoftmaxRef(rows: number, cols: number, x: ArrayLike<number>): { y: Float64Array; mag: Float64Array } {
  const y = new Float64Array(rows * cols);
  const mag = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    // log Σ = log1p(t), t = Σ_{x_j < m} e^(x_j − m) + (ties at m − 1): log(s) would lose the
    // digits of a tiny t (a dominant entry's log-probability, e.g. −1.8e-13) to the rounding of s
    let s = 0;
    let t = 0;
    let ties = 0;
    for (let j = 0; j < cols; j++) {
      s += Math.exp(x[o + j]! - m);
      if (x[o + j] === m) ties++;
      else t += Math.exp(x[o + j]! - m);
    }
    const l = Math.log1p(t + (ties - 1));
    let spread = 0;
    for (let j = 0; j < cols; j++) {
      const w = Math.exp(x[o + j]! - m) / s;
      if (w > 0) spread += w * Math.abs(x[o + j]! - m);
    }
    for (let j = 0; j < cols; j++) {
      y[o + j] = x[o + j]! - m - l;
      mag[o + j] = spread;
    }
  }
  return { y, mag };
}

/** dx = y·(dy − Σ dy_j·y_j) per row; mag = y·(|dy| + |Σ dy_j·y_j|), the cancellation scale. */
export function softmaxGradRef(rows: number, cols: number, y: ArrayLike<number>, dy: ArrayLike<number>): { dx: Float64Array; mag: Float64Array } {
  const dx = new Float64Array(rows * cols);
  const mag = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[o + j]! * y[o + j]!;
    for (let j = 0; j < cols; j++) {
      dx[o + j] = y[o + j]! * (dy[o + j]! - s);
      mag[o + j] = Math.abs(y[o + j]!) * (Math.abs(dy[o + j]!) + Math.abs(s));
    }
  }
  return { dx, mag };
}

/** dx = dy − e^y·Σ dy_j per row; mag = |dy| + |e^y·Σ dy_j|, the cancellation scale. */
export function logSoftmaxGradRef(rows: number, cols: number, y: ArrayLike<number>, dy: ArrayLike<number>): { dx: Float64Array; mag: Float64Array } {
  const dx = new Float64Array(rows * cols);
  const mag = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += dy[o + j]!;
    for (let j = 0; j < cols; j++) {
      const p = Math.exp(y[o + j]!) * s;
      dx[o + j] = dy[o + j]! - p;
      mag[o + j] = Math.abs(dy[o + j]!) + Math.abs(p);
    }
  }
  return { dx, mag };
}

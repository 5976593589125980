// Plain float64 scalar references of the f32-loss kernels (assembly/f32-loss/).
//
// Formulas: Keras 3 keras/src/losses/losses.py (per-sample losses, label smoothing, huber) and
// keras/src/backend/tensorflow/nn.py (categorical/sparse/binary cross-entropy; from logits these are
// tf.nn.softmax_cross_entropy_with_logits, tf.nn.sparse_softmax_cross_entropy_with_logits and
// tf.nn.sigmoid_cross_entropy_with_logits); metrics from keras/src/metrics/accuracy_metrics.py.
//
// Each loss returns the weighted sum over rows Σ w_r·loss_r, its gradient with respect to the
// prediction times gradScale, and error scales (`mag`, `gmag`): sums of the absolute values of the
// terms that a float32 evaluation rounds, so a test can bound the kernel's error by a few ulps of them.

/** Keras backend.epsilon() = 1e-7 and 1 − ε, as float32 values (the kernels clip in float32). */
export const EPS = Math.fround(1e-7);
export const ONE_MINUS_EPS = Math.fround(1 - EPS);

export interface LossArgs {
  rows: number;
  cols: number;
  /** Prediction, rows × cols: logits or probabilities or regression outputs. */
  pred: ArrayLike<number>;
  /** Targets, rows × cols, or one class index per row for the sparse losses. */
  target: ArrayLike<number>;
  /** Per-row sample weights, or null for 1. */
  sw: ArrayLike<number> | null;
  gradScale: number;
  /** Label smoothing (cross-entropies) or delta (huber); unused otherwise. */
  param: number;
}

export interface LossRef {
  /** Σ_r w_r·loss_r. */
  loss: number;
  /** Σ_r |w_r|·(Σ |terms of loss_r|): the error scale of `loss`. */
  mag: number;
  /** ∂(gradScale·loss)/∂pred, rows × cols. */
  grad: Float64Array;
  /** Error scale of each gradient element. */
  gmag: Float64Array;
  /** softmax(z) or sigmoid(z) for the fused kernels. */
  p: Float64Array | null;
}

const at = (a: ArrayLike<number>, i: number): number => a[i]!;
const clip = (x: number): number => Math.min(Math.max(x, EPS), ONE_MINUS_EPS);
const unclipped = (x: number): boolean => x >= EPS && x <= ONE_MINUS_EPS;

function init(a: LossArgs, withP: boolean): LossRef {
  const n = a.rows * a.cols;
  return { loss: 0, mag: 0, grad: new Float64Array(n), gmag: new Float64Array(n), p: withP ? new Float64Array(n) : null };
}

const weight = (a: LossArgs, r: number): number => (a.sw === null ? 1 : at(a.sw, r));

/** Smoothed dense target of categorical losses: y·(1 − ls) + ls/cols. */
const smoothCat = (a: LossArgs, y: number): number => y * (1 - a.param) + a.param / a.cols;
/** Smoothed target of binary losses: y·(1 − ls) + 0.5·ls. */
const smoothBin = (a: LossArgs, y: number): number => y * (1 - a.param) + 0.5 * a.param;

/** Softmax cross-entropy from logits; dense (y rows × cols) or sparse (class index per row) targets. */
function softmaxXentImpl(a: LossArgs, sparse: boolean): LossRef {
  const out = init(a, true);
  const { rows, cols } = a;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, at(a.pred, base + j));
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(at(a.pred, base + j) - m);
    const logS = Math.log(s);
    const label = sparse ? at(a.target, r) : -1;
    const yAt = (j: number): number => (sparse ? (j === label ? 1 : 0) : smoothCat(a, at(a.target, base + j)));
    let loss = 0;
    let mag = 0;
    let sy = 0;
    for (let j = 0; j < cols; j++) {
      const y = yAt(j);
      const d = m - at(a.pred, base + j);
      loss += y * (d + logS); // y'·(lse − z)
      mag += Math.abs(y) * d;
      sy += y;
    }
    mag += Math.abs(sy) * (1 + logS);
    const w = weight(a, r);
    out.loss += w * loss;
    out.mag += Math.abs(w) * mag;
    const c = a.gradScale * w;
    for (let j = 0; j < cols; j++) {
      const p = Math.exp(at(a.pred, base + j) - m - logS);
      const y = yAt(j);
      out.p![base + j] = p;
      out.grad[base + j] = c * (p * sy - y);
      out.gmag[base + j] = Math.abs(c) * (p * Math.abs(sy) + Math.abs(y));
    }
  }
  return out;
}

/** f32_softmax_xent: Σ y'·(lse − z), p = softmax(z), grad = c·(p·Σy' − y'). */
export const softmaxXent = (a: LossArgs): LossRef => softmaxXentImpl(a, false);
/** f32_sparse_softmax_xent: lse − z_label, grad = c·(p − onehot). */
export const sparseSoftmaxXent = (a: LossArgs): LossRef => softmaxXentImpl(a, true);

/** f32_xent: q = p/Σp, clipped; loss = −Σ y' log q; grad through the clip (0 where clipped) and the normalization. */
export function xent(a: LossArgs): LossRef {
  const out = init(a, false);
  const { rows, cols } = a;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += at(a.pred, base + j);
    let loss = 0;
    let mag = 0;
    let t = 0;
    for (let j = 0; j < cols; j++) {
      const q = at(a.pred, base + j) / s;
      const y = smoothCat(a, at(a.target, base + j));
      const lq = Math.log(clip(q));
      loss -= y * lq;
      mag += Math.abs(y) * (Math.abs(lq) + 1);
      if (unclipped(q)) t += y;
    }
    const w = weight(a, r);
    out.loss += w * loss;
    out.mag += Math.abs(w) * mag;
    const c = a.gradScale * w;
    // ∂loss/∂p_k = Σ_i (−y'_i/q_i)·[unclipped_i]·(δ_ik − q_i)/s = T/s − [unclipped_k]·y'_k/p_k
    for (let j = 0; j < cols; j++) {
      const p = at(a.pred, base + j);
      const y = smoothCat(a, at(a.target, base + j));
      const own = unclipped(p / s) ? y / p : 0;
      out.grad[base + j] = c * (t / s - own);
      out.gmag[base + j] = Math.abs(c) * (Math.abs(t / s) + Math.abs(own));
    }
  }
  return out;
}

/** f32_sparse_xent (Keras 3): pc = clip(p), loss = −log(pc_l / Σpc), grad = c·[unclipped]·(1/Σpc − [k = l]/pc_l). */
export function sparseXent(a: LossArgs): LossRef {
  const out = init(a, false);
  const { rows, cols } = a;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += clip(at(a.pred, base + j));
    const l = at(a.target, r);
    const pl = clip(at(a.pred, base + l));
    const loss = -Math.log(pl / s);
    const w = weight(a, r);
    out.loss += w * loss;
    out.mag += Math.abs(w) * (Math.abs(loss) + 1);
    const c = a.gradScale * w;
    for (let j = 0; j < cols; j++) {
      const keep = unclipped(at(a.pred, base + j));
      const own = j === l ? 1 / pl : 0;
      out.grad[base + j] = keep ? c * (1 / s - own) : 0;
      out.gmag[base + j] = keep ? Math.abs(c) * (1 / s + own) : 0;
    }
  }
  return out;
}

/** Element-wise losses averaged over cols: term(x, y) → [value, magnitude, derivative, derivative magnitude]. */
function meanOverCols(
  a: LossArgs, withP: boolean,
  term: (x: number, y: number) => [number, number, number, number],
  pOf: ((x: number) => number) | null,
): LossRef {
  const out = init(a, withP);
  const { rows, cols } = a;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const w = weight(a, r);
    const c = a.gradScale * w;
    let loss = 0;
    let mag = 0;
    for (let j = 0; j < cols; j++) {
      const [v, vm, d, dm] = term(at(a.pred, base + j), at(a.target, base + j));
      loss += v;
      mag += vm;
      out.grad[base + j] = (c * d) / cols;
      out.gmag[base + j] = (Math.abs(c) * dm) / cols;
      if (pOf !== null) out.p![base + j] = pOf(at(a.pred, base + j));
    }
    out.loss += (w * loss) / cols;
    out.mag += (Math.abs(w) * mag) / cols;
  }
  return out;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** f32_sigmoid_bce: max(z, 0) − z·y' + log(1 + exp(−|z|)) (tf.nn.sigmoid_cross_entropy_with_logits); grad (p − y')/cols. */
export function sigmoidBce(a: LossArgs): LossRef {
  return meanOverCols(a, true, (z, y0) => {
    const y = smoothBin(a, y0);
    const sp = Math.log1p(Math.exp(-Math.abs(z)));
    const p = sigmoid(z);
    return [Math.max(z, 0) - z * y + sp, Math.max(z, 0) + Math.abs(z * y) + sp, p - y, p + Math.abs(y)];
  }, sigmoid);
}

/** f32_bce: pc = clip(p), −(y'·log pc + (1 − y')·log(1 − pc)); derivative (pc − y')/(pc(1 − pc)), 0 where clipped. */
export function bce(a: LossArgs): LossRef {
  return meanOverCols(a, false, (x, y0) => {
    const y = smoothBin(a, y0);
    const pc = clip(x);
    const l0 = Math.log(pc);
    const l1 = Math.log1p(-pc);
    const keep = unclipped(x);
    const den = pc * (1 - pc);
    return [
      -(y * l0 + (1 - y) * l1),
      Math.abs(y * l0) + (Math.abs(1 - y) + Math.abs(y)) * Math.abs(l1),
      keep ? (pc - y) / den : 0,
      keep ? (pc + Math.abs(y)) / den : 0,
    ];
  }, null);
}

/** f32_mse: (p − y)², derivative 2(p − y). */
export const mse = (a: LossArgs): LossRef =>
  meanOverCols(a, false, (x, y) => [(x - y) ** 2, (x - y) ** 2, 2 * (x - y), 2 * Math.abs(x - y)], null);

/** f32_mae: |p − y|, derivative sign(p − y) (0 at 0). */
export const mae = (a: LossArgs): LossRef =>
  meanOverCols(a, false, (x, y) => [Math.abs(x - y), Math.abs(x - y), Math.sign(x - y), 1], null);

/** f32_huber (Keras huber): 0.5e² if |e| ≤ δ else δ|e| − 0.5δ²; derivative clamp(e, −δ, δ). */
export function huber(a: LossArgs): LossRef {
  const d = a.param;
  return meanOverCols(a, false, (x, y) => {
    const e = x - y;
    const ae = Math.abs(e);
    const g = Math.min(Math.max(e, -d), d);
    return ae <= d ? [0.5 * e * e, 0.5 * e * e, g, Math.abs(g)] : [d * ae - 0.5 * d * d, d * ae + 0.5 * d * d, g, Math.abs(g)];
  }, null);
}

/** First index of the maximum (first NaN if any), as numpy/TF argmax. */
export function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    const v = at(a, start + j);
    if (Number.isNaN(v)) return j;
    if (v > at(a, start + best)) best = j;
  }
  return best;
}

/** categorical_accuracy count: rows with argmax(p) == argmax(y). */
export function countArgmaxMatch(rows: number, cols: number, p: ArrayLike<number>, y: ArrayLike<number>): number {
  let n = 0;
  for (let r = 0; r < rows; r++) if (argmax(p, r * cols, cols) === argmax(y, r * cols, cols)) n++;
  return n;
}

/** sparse_categorical_accuracy count: rows with argmax(p) == label. */
export function countSparseMatch(rows: number, cols: number, p: ArrayLike<number>, labels: ArrayLike<number>): number {
  let n = 0;
  for (let r = 0; r < rows; r++) if (argmax(p, r * cols, cols) === at(labels, r)) n++;
  return n;
}

/** binary_accuracy count: elements with y == (p > threshold ? 1 : 0). */
export function countBinaryMatch(n: number, p: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number {
  let c = 0;
  for (let i = 0; i < n; i++) if (at(y, i) === (at(p, i) > threshold ? 1 : 0)) c++;
  return c;
}

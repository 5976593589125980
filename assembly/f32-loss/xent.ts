// Categorical cross-entropies: fused softmax + cross-entropy from logits, and cross-entropy from
// probabilities, with dense (one-hot or soft) targets or integer class labels.
//
// Semantics follow Keras 3: keras/src/losses/losses.py (categorical_crossentropy: label smoothing
// y' = y·(1 − ls) + ls/cols) and keras/src/backend/tensorflow/nn.py (categorical_crossentropy:
// from logits tf.nn.softmax_cross_entropy_with_logits; from probabilities p / Σp, clip to
// [ε, 1 − ε], −Σ y'·log; sparse_categorical_crossentropy: from probabilities clip to [ε, 1 − ε],
// log, then tf.nn.sparse_softmax_cross_entropy_with_logits, i.e. −log(clip(p)ₗ / Σ clip(p))).
//
// Every kernel returns Σ_rows w_r·loss_r as f64 (w_r = sw[r], or 1 when sw = 0) and, when grad ≠ 0,
// writes ∂(gradScale · that sum)/∂(prediction). Layout rows × cols, contiguous rows; labels hold one
// f32 class index per row. Per-element arithmetic is f32; each row sums in a fixed order (4 lanes,
// then the lanes in hsum order, then the tail), so results depend only on inputs and sizes.
// ε = 1e-7 (Keras backend.epsilon()); ε and 1 − ε are float32 values, and a clipped element passes no
// gradient (tf.clip_by_value passes it at equality, as here).
//
// Softmax: lse − zⱼ is summed as Σ y'ⱼ·(max − zⱼ) + (Σ y')·log Σ exp(z − max): every term is ≥ 0, so
// a confident correct row (loss ≈ 0) loses nothing to cancellation. The exps wait in p (or grad)
// until the row sum is known, so each is computed once.
// From probabilities: ∂/∂pₖ of −Σᵢ y'ᵢ log clip(pᵢ/s), s = Σp, is Σᵢ (−y'ᵢ/qᵢ)·[qᵢ unclipped]·(δᵢₖ − qᵢ)/s
// = T/s − [qₖ unclipped]·y'ₖ/pₖ with T = Σ y' over unclipped q.

import { vfma, sfma, hsum } from '../shared/simd';
import { vexp, vlog, sexp, slog, rowMax, rowSum, rowWeight, EPS, ONE_MINUS_EPS } from './math';

/** Row sum of exp(z − m), storing each exp(z − m) to buf when buf ≠ 0 (buf may equal z). */
// @ts-ignore: decorator
@inline function sumExpShifted(z: usize, n: i32, m: f32, buf: usize): f32 {
  const vecEnd = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  const vm = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o < vecEnd; o += 16) {
    const e = vexp(f32x4.sub(v128.load(z + o), vm));
    if (buf != 0) v128.store(buf + o, e);
    acc = f32x4.add(acc, e);
  }
  let s = hsum(acc);
  for (; o < end; o += 4) {
    const e = sexp(load<f32>(z + o) - m);
    if (buf != 0) store<f32>(buf + o, e);
    s += e;
  }
  return s;
}

/** Softmax xent, rows × cols: y' = y(1−ls) + ls/cols, loss_r = Σ y'(max − z) + Σy'·log Σ exp(z − max), p = softmax(z), grad = gradScale·w·(p·Σy' − y'); returns Σ w_r·loss_r. p or grad (one) may alias z. */
export function f32_softmax_xent(
  rows: i32, cols: i32, z: usize, y: usize, sw: usize, p: usize, grad: usize,
  gradScale: f32, labelSmoothing: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fa: f32 = 1 - labelSmoothing;
  const fb: f32 = labelSmoothing / <f32>cols;
  const va = f32x4.splat(fa);
  const vb = f32x4.splat(fb);
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const zr = z + off;
    const yr = y + off;
    const pr = p != 0 ? p + off : 0;
    const gr = grad != 0 ? grad + off : 0;
    const buf = pr != 0 ? pr : gr; // where exp(z − max) waits for the row sum
    const m = rowMax(zr, cols);
    const vm = f32x4.splat(m);
    // Σ y'·(max − z) and Σ y' before z may be overwritten (buf may alias z).
    let accA = f32x4.splat(0);
    let accY = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const yv = vfma(v128.load(yr + o), va, vb);
      accA = vfma(yv, f32x4.sub(vm, v128.load(zr + o)), accA);
      accY = f32x4.add(accY, yv);
    }
    let a = hsum(accA);
    let sy = hsum(accY);
    for (; o < rowBytes; o += 4) {
      const yv = sfma(load<f32>(yr + o), fa, fb);
      a = sfma(yv, m - load<f32>(zr + o), a);
      sy += yv;
    }
    const s = sumExpShifted(zr, cols, m, buf);
    const loss = a + sy * Mathf.log(s);
    const w = rowWeight(sw, r);
    total += <f64>w * <f64>loss;
    if (buf == 0) continue;
    // p = e / s; grad = c·(p·Σy' − y').
    const c = gradScale * w;
    const vs = f32x4.splat(s);
    const vc = f32x4.splat(c);
    const vsy = f32x4.splat(sy);
    for (o = 0; o < vecEnd; o += 16) {
      const pv = f32x4.div(v128.load(buf + o), vs);
      if (pr != 0) v128.store(pr + o, pv);
      if (gr != 0) {
        const yv = vfma(v128.load(yr + o), va, vb);
        v128.store(gr + o, f32x4.mul(vc, f32x4.sub(f32x4.mul(pv, vsy), yv)));
      }
    }
    for (; o < rowBytes; o += 4) {
      const pv = load<f32>(buf + o) / s;
      if (pr != 0) store<f32>(pr + o, pv);
      if (gr != 0) store<f32>(gr + o, c * (pv * sy - sfma(load<f32>(yr + o), fa, fb)));
    }
  }
  return total;
}

/** Sparse softmax xent, z rows × cols, labels rows: loss_r = (max − z_l) + log Σ exp(z − max), p = softmax(z), grad = gradScale·w·(p − onehot(l)); returns Σ w_r·loss_r (NaN loss for l ∉ [0, cols)). p or grad (one) may alias z. */
export function f32_sparse_softmax_xent(
  rows: i32, cols: i32, z: usize, labels: usize, sw: usize, p: usize, grad: usize, gradScale: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const zr = z + off;
    const pr = p != 0 ? p + off : 0;
    const gr = grad != 0 ? grad + off : 0;
    const buf = pr != 0 ? pr : gr;
    const lf = load<f32>(labels + (<usize>r << 2));
    const valid = lf >= 0 && lf < <f32>cols;
    const lo: usize = valid ? <usize>(<i32>lf) << 2 : 0;
    const m = rowMax(zr, cols);
    const a: f32 = valid ? m - load<f32>(zr + lo) : NaN;
    const s = sumExpShifted(zr, cols, m, buf);
    const loss = a + Mathf.log(s);
    const w = rowWeight(sw, r);
    total += <f64>w * <f64>loss;
    if (buf == 0) continue;
    const c = gradScale * w;
    const pl = valid ? load<f32>(buf + lo) / s : 0; // read before buf (maybe grad) is overwritten
    const vs = f32x4.splat(s);
    const vc = f32x4.splat(c);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const pv = f32x4.div(v128.load(buf + o), vs);
      if (pr != 0) v128.store(pr + o, pv);
      if (gr != 0) v128.store(gr + o, f32x4.mul(vc, pv));
    }
    for (; o < rowBytes; o += 4) {
      const pv = load<f32>(buf + o) / s;
      if (pr != 0) store<f32>(pr + o, pv);
      if (gr != 0) store<f32>(gr + o, c * pv);
    }
    if (gr != 0 && valid) store<f32>(gr + lo, c * (pl - 1));
  }
  return total;
}

/** Xent from probabilities, rows × cols: q = clip(p/Σp, ε, 1−ε), loss_r = −Σ y' log q, grad = gradScale·w·(T/Σp − [q unclipped]·y'/p), T = Σ y' over unclipped q; returns Σ w_r·loss_r. grad may alias p or y. */
export function f32_xent(
  rows: i32, cols: i32, p: usize, y: usize, sw: usize, grad: usize, gradScale: f32, labelSmoothing: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fa: f32 = 1 - labelSmoothing;
  const fb: f32 = labelSmoothing / <f32>cols;
  const va = f32x4.splat(fa);
  const vb = f32x4.splat(fb);
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    const yr = y + off;
    const s = rowSum(pr, cols);
    const vs = f32x4.splat(s);
    let accL = f32x4.splat(0);
    let accT = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const q = f32x4.div(v128.load(pr + o), vs);
      const yv = vfma(v128.load(yr + o), va, vb);
      const keep = v128.and(f32x4.ge(q, lo), f32x4.le(q, hi));
      accL = vfma(yv, vlog(f32x4.min(f32x4.max(q, lo), hi)), accL);
      accT = f32x4.add(accT, v128.and(yv, keep));
    }
    let l = hsum(accL);
    let t = hsum(accT);
    for (; o < rowBytes; o += 4) {
      const q = load<f32>(pr + o) / s;
      const yv = sfma(load<f32>(yr + o), fa, fb);
      l = sfma(yv, slog(min<f32>(max<f32>(q, EPS), ONE_MINUS_EPS)), l);
      if (q >= EPS && q <= ONE_MINUS_EPS) t += yv;
    }
    const w = rowWeight(sw, r);
    total += <f64>w * <f64>(-l);
    if (grad == 0) continue;
    const gr = grad + off;
    const c = gradScale * w;
    const ts = t / s;
    const vc = f32x4.splat(c);
    const vts = f32x4.splat(ts);
    for (o = 0; o < vecEnd; o += 16) {
      const pv = v128.load(pr + o);
      const q = f32x4.div(pv, vs);
      const yv = vfma(v128.load(yr + o), va, vb);
      const keep = v128.and(f32x4.ge(q, lo), f32x4.le(q, hi));
      v128.store(gr + o, f32x4.mul(vc, f32x4.sub(vts, v128.and(f32x4.div(yv, pv), keep))));
    }
    for (; o < rowBytes; o += 4) {
      const pv = load<f32>(pr + o);
      const q = pv / s;
      const yv = sfma(load<f32>(yr + o), fa, fb);
      store<f32>(gr + o, c * (q >= EPS && q <= ONE_MINUS_EPS ? ts - yv / pv : ts));
    }
  }
  return total;
}

/** Sparse xent from probabilities (Keras 3), p rows × cols, labels rows: pc = clip(p, ε, 1−ε), loss_r = −log(pc_l/Σpc), grad = gradScale·w·[p unclipped]·(1/Σpc − [k = l]/pc_l); returns Σ w_r·loss_r. grad may alias p. */
export function f32_sparse_xent(
  rows: i32, cols: i32, p: usize, labels: usize, sw: usize, grad: usize, gradScale: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) acc = f32x4.add(acc, f32x4.min(f32x4.max(v128.load(pr + o), lo), hi));
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) s += min<f32>(max<f32>(load<f32>(pr + o), EPS), ONE_MINUS_EPS);
    const lf = load<f32>(labels + (<usize>r << 2));
    const valid = lf >= 0 && lf < <f32>cols;
    const lb: usize = valid ? <usize>(<i32>lf) << 2 : 0;
    const praw: f32 = valid ? load<f32>(pr + lb) : NaN;
    const pl = min<f32>(max<f32>(praw, EPS), ONE_MINUS_EPS);
    const w = rowWeight(sw, r);
    total += <f64>w * <f64>(-slog(pl / s));
    if (grad == 0) continue;
    const gr = grad + off;
    const c = gradScale * w;
    const cs = c / s;
    const vcs = f32x4.splat(cs);
    for (o = 0; o < vecEnd; o += 16) {
      const pv = v128.load(pr + o);
      v128.store(gr + o, v128.and(vcs, v128.and(f32x4.ge(pv, lo), f32x4.le(pv, hi))));
    }
    for (; o < rowBytes; o += 4) {
      const pv = load<f32>(pr + o);
      store<f32>(gr + o, pv >= EPS && pv <= ONE_MINUS_EPS ? cs : 0);
    }
    if (valid && praw >= EPS && praw <= ONE_MINUS_EPS) store<f32>(gr + lb, c * (1 / s - 1 / pl));
  }
  return total;
}

// Binary cross-entropies, element-wise and averaged over the cols of each row.
//
// Semantics follow Keras 3: keras/src/losses/losses.py (binary_crossentropy: label smoothing
// y' = y·(1 − ls) + 0.5·ls, mean over the last axis) and keras/src/backend/tensorflow/nn.py
// (binary_crossentropy: from logits tf.nn.sigmoid_cross_entropy_with_logits, i.e.
// max(z, 0) − z·y' + log(1 + exp(−|z|)); from probabilities clip to [ε, 1 − ε], ε = 1e-7, then
// −(y'·log p + (1 − y')·log(1 − p))).
//
// Both return Σ_rows w_r·loss_r as f64 (w_r = sw[r], or 1 when sw = 0) and, when grad ≠ 0, write
// ∂(gradScale · that sum)/∂(prediction). Layout rows × cols, contiguous rows. Every output is written
// element by element right after its inputs are read, so outputs may alias inputs.

import { vfma, sfma, hsum } from '../shared/simd';
import { vexp, vlog, vlog1p, rowWeight, EPS, ONE_MINUS_EPS } from './math';

/** Sigmoid BCE terms max(z, 0) − z·y' + log1p(e), given e = exp(−|z|). */
// @ts-ignore: decorator
@inline function sigmoidBceTerm(z: v128, yv: v128, e: v128): v128 {
  const relu = f32x4.max(z, f32x4.splat(0));
  return f32x4.add(f32x4.sub(relu, f32x4.mul(z, yv)), vlog1p(e));
}

/** sigmoid(z) = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0, given e = exp(−|z|). */
// @ts-ignore: decorator
@inline function vsigmoid(z: v128, e: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(v128.bitselect(one, e, f32x4.ge(z, f32x4.splat(0))), f32x4.add(one, e));
}

/** Sigmoid BCE, rows × cols: y' = y(1−ls) + ls/2, loss_r = mean(max(z, 0) − z·y' + log(1 + exp(−|z|))), p = sigmoid(z), grad = gradScale·w·(p − y')/cols; returns Σ w_r·loss_r. p and grad may each alias z or y. */
export function f32_sigmoid_bce(
  rows: i32, cols: i32, z: usize, y: usize, sw: usize, p: usize, grad: usize,
  gradScale: f32, labelSmoothing: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fa: f32 = 1 - labelSmoothing;
  const fb: f32 = 0.5 * labelSmoothing;
  const va = f32x4.splat(fa);
  const vb = f32x4.splat(fb);
  const fcols = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const zr = z + off;
    const yr = y + off;
    const w = rowWeight(sw, r);
    const k = gradScale * w / fcols;
    const vk = f32x4.splat(k);
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const zv = v128.load(zr + o);
      const yv = vfma(v128.load(yr + o), va, vb);
      const e = vexp(f32x4.neg(f32x4.abs(zv)));
      acc = f32x4.add(acc, sigmoidBceTerm(zv, yv, e));
      if ((p | grad) != 0) {
        const pv = vsigmoid(zv, e);
        if (p != 0) v128.store(p + off + o, pv);
        if (grad != 0) v128.store(grad + off + o, f32x4.mul(vk, f32x4.sub(pv, yv)));
      }
    }
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) {
      const zv = f32x4.splat(load<f32>(zr + o));
      const yv = f32x4.splat(sfma(load<f32>(yr + o), fa, fb));
      const e = vexp(f32x4.neg(f32x4.abs(zv)));
      s += f32x4.extract_lane(sigmoidBceTerm(zv, yv, e), 0);
      if ((p | grad) != 0) {
        const pv = vsigmoid(zv, e);
        if (p != 0) store<f32>(p + off + o, f32x4.extract_lane(pv, 0));
        if (grad != 0) store<f32>(grad + off + o, f32x4.extract_lane(f32x4.mul(vk, f32x4.sub(pv, yv)), 0));
      }
    }
    total += <f64>w * <f64>(s / fcols);
  }
  return total;
}

/** One lane group of BCE from probabilities: −(y'·log pc + (1 − y')·log(1 − pc)), pc = clip(p). */
// @ts-ignore: decorator
@inline function bceTerm(pc: v128, yv: v128): v128 {
  const l1 = vlog1p(f32x4.neg(pc)); // log(1 − pc), accurate for small pc
  const t = vfma(yv, vlog(pc), f32x4.mul(f32x4.sub(f32x4.splat(1.0), yv), l1));
  return f32x4.neg(t);
}

/** ∂/∂p of the BCE term: (pc − y')/(pc·(1 − pc)) where ε ≤ p ≤ 1 − ε, else 0. */
// @ts-ignore: decorator
@inline function bceDeriv(pv: v128, pc: v128, yv: v128, lo: v128, hi: v128): v128 {
  const keep = v128.and(f32x4.ge(pv, lo), f32x4.le(pv, hi));
  const den = f32x4.mul(pc, f32x4.sub(f32x4.splat(1.0), pc));
  return v128.and(f32x4.div(f32x4.sub(pc, yv), den), keep);
}

/** BCE from probabilities, rows × cols: pc = clip(p, ε, 1−ε), loss_r = mean(−(y' log pc + (1−y') log(1−pc))), grad = gradScale·w·[p unclipped]·(pc − y')/(pc(1−pc))/cols; returns Σ w_r·loss_r. grad may alias p or y. */
export function f32_bce(
  rows: i32, cols: i32, p: usize, y: usize, sw: usize, grad: usize, gradScale: f32, labelSmoothing: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fa: f32 = 1 - labelSmoothing;
  const fb: f32 = 0.5 * labelSmoothing;
  const va = f32x4.splat(fa);
  const vb = f32x4.splat(fb);
  const lo = f32x4.splat(EPS);
  const hi = f32x4.splat(ONE_MINUS_EPS);
  const fcols = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    const yr = y + off;
    const w = rowWeight(sw, r);
    const vk = f32x4.splat(gradScale * w / fcols);
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const pv = v128.load(pr + o);
      const pc = f32x4.min(f32x4.max(pv, lo), hi);
      const yv = vfma(v128.load(yr + o), va, vb);
      acc = f32x4.add(acc, bceTerm(pc, yv));
      if (grad != 0) v128.store(grad + off + o, f32x4.mul(vk, bceDeriv(pv, pc, yv, lo, hi)));
    }
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) {
      const pv = f32x4.splat(load<f32>(pr + o));
      const pc = f32x4.min(f32x4.max(pv, lo), hi);
      const yv = f32x4.splat(sfma(load<f32>(yr + o), fa, fb));
      s += f32x4.extract_lane(bceTerm(pc, yv), 0);
      if (grad != 0) store<f32>(grad + off + o, f32x4.extract_lane(f32x4.mul(vk, bceDeriv(pv, pc, yv, lo, hi)), 0));
    }
    total += <f64>w * <f64>(s / fcols);
  }
  return total;
}

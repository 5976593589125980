// Regression losses, element-wise on e = p − y and averaged over the cols of each row.
//
// Semantics follow Keras 3 keras/src/losses/losses.py: mean_squared_error = mean((y − p)²),
// mean_absolute_error = mean(|y − p|), huber = mean(0.5·e² if |e| ≤ δ else δ·|e| − 0.5·δ²).
//
// Each returns Σ_rows w_r·loss_r as f64 (w_r = sw[r], or 1 when sw = 0) and, when grad ≠ 0, writes
// ∂(gradScale · that sum)/∂p. Layout rows × cols, contiguous rows. grad may alias p or y (each
// element is written right after its inputs are read).

import { vfma, sfma, hsum } from '../shared/simd';
import { rowWeight } from './math';

/** Mean squared error: loss_r = mean over cols of (p − y)²; grad = gradScale·w·2(p − y)/cols. Returns Σ_r w_r·loss_r. */
export function f32_mse(rows: i32, cols: i32, p: usize, y: usize, sw: usize, grad: usize, gradScale: f32): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fcols = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    const yr = y + off;
    const w = rowWeight(sw, r);
    const k: f32 = 2 * gradScale * w / fcols;
    const vk = f32x4.splat(k);
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const e = f32x4.sub(v128.load(pr + o), v128.load(yr + o));
      acc = vfma(e, e, acc);
      if (grad != 0) v128.store(grad + off + o, f32x4.mul(vk, e));
    }
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) {
      const e = load<f32>(pr + o) - load<f32>(yr + o);
      s = sfma(e, e, s);
      if (grad != 0) store<f32>(grad + off + o, k * e);
    }
    total += <f64>w * <f64>(s / fcols);
  }
  return total;
}

/** Mean absolute error: loss_r = mean over cols of |p − y|; grad = gradScale·w·sign(p − y)/cols (0 where p = y). Returns Σ_r w_r·loss_r. */
export function f32_mae(rows: i32, cols: i32, p: usize, y: usize, sw: usize, grad: usize, gradScale: f32): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fcols = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  const zero = f32x4.splat(0);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    const yr = y + off;
    const w = rowWeight(sw, r);
    const k = gradScale * w / fcols;
    const vk = f32x4.splat(k);
    const vnk = f32x4.splat(-k);
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const e = f32x4.sub(v128.load(pr + o), v128.load(yr + o));
      acc = f32x4.add(acc, f32x4.abs(e));
      if (grad != 0) {
        const g = v128.or(v128.and(vk, f32x4.gt(e, zero)), v128.and(vnk, f32x4.lt(e, zero)));
        v128.store(grad + off + o, g);
      }
    }
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) {
      const e = load<f32>(pr + o) - load<f32>(yr + o);
      s += abs<f32>(e);
      if (grad != 0) store<f32>(grad + off + o, e > 0 ? k : e < 0 ? -k : 0);
    }
    total += <f64>w * <f64>(s / fcols);
  }
  return total;
}

/** Huber (Keras), rows × cols: e = p − y, loss_r = mean(|e| ≤ δ ? e²/2 : δ|e| − δ²/2), grad = gradScale·w·clamp(e, −δ, δ)/cols; returns Σ w_r·loss_r. grad may alias p or y. */
export function f32_huber(
  rows: i32, cols: i32, p: usize, y: usize, sw: usize, grad: usize, gradScale: f32, delta: f32,
): f64 {
  if (rows <= 0 || cols <= 0) return 0;
  const fcols = <f32>cols;
  const rowBytes = <usize>cols << 2;
  const vecEnd = <usize>(cols & ~3) << 2;
  const half = f32x4.splat(0.5);
  const vd = f32x4.splat(delta);
  const vnd = f32x4.splat(-delta);
  const hd2: f32 = 0.5 * (delta * delta);
  const vhd2 = f32x4.splat(hd2);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const pr = p + off;
    const yr = y + off;
    const w = rowWeight(sw, r);
    const k = gradScale * w / fcols;
    const vk = f32x4.splat(k);
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o < vecEnd; o += 16) {
      const e = f32x4.sub(v128.load(pr + o), v128.load(yr + o));
      const ae = f32x4.abs(e);
      const quad = f32x4.mul(half, f32x4.mul(e, e));
      const lin = f32x4.sub(f32x4.mul(vd, ae), vhd2);
      acc = f32x4.add(acc, v128.bitselect(quad, lin, f32x4.le(ae, vd)));
      if (grad != 0) v128.store(grad + off + o, f32x4.mul(vk, f32x4.min(f32x4.max(e, vnd), vd)));
    }
    let s = hsum(acc);
    for (; o < rowBytes; o += 4) {
      const e = load<f32>(pr + o) - load<f32>(yr + o);
      const ae = abs<f32>(e);
      s += ae <= delta ? 0.5 * (e * e) : delta * ae - hd2;
      if (grad != 0) store<f32>(grad + off + o, k * min<f32>(max<f32>(e, -delta), delta));
    }
    total += <f64>w * <f64>(s / fcols);
  }
  return total;
}

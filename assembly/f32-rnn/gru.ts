// The GRU cell, one time step over a batch (Keras 3 GRUCell, gate order z, r, h). g holds the
// step's input projection [rows, 3·units] (x·W + input bias); q the recurrent projection of the
// (dropped-out) previous state. resetAfter (Keras 3 default): q = hd·U + recurrent bias, all
// three gates; before (Keras 2, TF.js): q's z and r parts, then f32_gru_reset writes r·hd into
// q's h part and the caller adds (r·hd)·U_h into g's h part before the step.
import { act4, dact4, ld, st, ldMask } from './act';

/** Before-variant, after the z/r GEMM: g's z, r ← σ(g + q) (activated), q's h part ← r·hdPrev. */
export function f32_gru_reset(rows: i32, units: i32, g: usize, q: usize, hdPrev: usize, ract: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 3 * ub;
    const qr = q + <usize>r * 3 * ub;
    const sr = <usize>r * ub;
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const z = act4(ract, f32x4.add(ld(gr + o, nb), ld(qr + o, nb)));
      const rg = act4(ract, f32x4.add(ld(gr + ub + o, nb), ld(qr + ub + o, nb)));
      st(gr + o, z, nb);
      st(gr + ub + o, rg, nb);
      st(qr + 2 * ub + o, f32x4.mul(rg, ld(hdPrev + sr + o, nb)), nb);
    }
  }
}

/**
 * g ← (z, r, ĥ); h = z·hPrev + (1 − z)·ĥ, stored at h + row·ldh (elements), and times rmask at
 * hd when hd ≠ 0. After: z, r = σ(g + q), ĥ = a(g_h + r·q_h). Before (after = 0): z, r are
 * already in g (f32_gru_reset) and ĥ = a(g_h).
 */
export function f32_gru_step(rows: i32, units: i32, g: usize, q: usize, hPrev: usize, h: usize, ldh: i32, hd: usize, rmask: usize, act: i32, ract: i32, after: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 3 * ub;
    const qr = q + <usize>r * 3 * ub;
    const sr = <usize>r * ub;
    const hr = h + ((<usize>r * <usize>ldh) << 2);
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      let z: v128, hh: v128;
      if (after != 0) {
        z = act4(ract, f32x4.add(ld(gr + o, nb), ld(qr + o, nb)));
        const rg = act4(ract, f32x4.add(ld(gr + ub + o, nb), ld(qr + ub + o, nb)));
        hh = act4(act, f32x4.add(ld(gr + 2 * ub + o, nb), f32x4.mul(rg, ld(qr + 2 * ub + o, nb))));
        st(gr + o, z, nb);
        st(gr + ub + o, rg, nb);
      } else {
        z = ld(gr + o, nb);
        hh = act4(act, ld(gr + 2 * ub + o, nb));
      }
      st(gr + 2 * ub + o, hh, nb);
      const hv = f32x4.add(f32x4.mul(z, ld(hPrev + sr + o, nb)), f32x4.mul(f32x4.sub(f32x4.splat(1), z), hh));
      st(hr + o, hv, nb);
      if (hd != 0) st(hd + sr + o, f32x4.mul(hv, ldMask(rmask, sr + o, nb)), nb);
    }
  }
}

/**
 * Backward of one step, first part. From the gates in g and dh = ∂L/∂h_t: g's z ← dz (pre-
 * activation), g's h ← dĥ (pre-activation), dhPrev ← dh·z (the direct path to h_{t−1}).
 * After: also g's r ← dr and q ← (dz, dr, dĥ·r), the recurrent projection's gradient.
 * Before: the caller forms (dĥ·U_hᵀ) and calls f32_gru_reset_grad for dr.
 */
export function f32_gru_step_grad(rows: i32, units: i32, g: usize, q: usize, hPrev: usize, dh: usize, dhPrev: usize, act: i32, ract: i32, after: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 3 * ub;
    const qr = q + <usize>r * 3 * ub;
    const sr = <usize>r * ub;
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const z = ld(gr + o, nb);
      const hh = ld(gr + 2 * ub + o, nb);
      const dhv = ld(dh + sr + o, nb);
      const dz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(ld(hPrev + sr + o, nb), hh)), dact4(ract, z));
      const dhh = f32x4.mul(f32x4.mul(dhv, f32x4.sub(f32x4.splat(1), z)), dact4(act, hh));
      st(gr + o, dz, nb);
      st(gr + 2 * ub + o, dhh, nb);
      st(dhPrev + sr + o, f32x4.mul(dhv, z), nb);
      if (after != 0) {
        const rg = ld(gr + ub + o, nb);
        const dr = f32x4.mul(f32x4.mul(dhh, ld(qr + 2 * ub + o, nb)), dact4(ract, rg));
        st(gr + ub + o, dr, nb);
        st(qr + o, dz, nb);
        st(qr + ub + o, dr, nb);
        st(qr + 2 * ub + o, f32x4.mul(dhh, rg), nb);
      }
    }
  }
}

/**
 * Before-variant, second part: drh = ∂L/∂(r·hd) (rows × units). g's r ← dr = drh·hdPrev·σ'(r);
 * dhd ← drh·r (the dropped state's gradient through r·hd; the caller adds the z/r GEMM's).
 */
export function f32_gru_reset_grad(rows: i32, units: i32, g: usize, hdPrev: usize, drh: usize, dhd: usize, ract: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 3 * ub;
    const sr = <usize>r * ub;
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const rg = ld(gr + ub + o, nb);
      const d = ld(drh + sr + o, nb);
      st(gr + ub + o, f32x4.mul(f32x4.mul(d, ld(hdPrev + sr + o, nb)), dact4(ract, rg)), nb);
      st(dhd + sr + o, f32x4.mul(d, rg), nb);
    }
  }
}

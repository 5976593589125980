// The LSTM cell, one time step over a batch (Keras 3 LSTMCell, gate order i, f, c, o). The
// recurrent GEMM has already added h_{t−1}·U to the step's rows of the input projection, so
// g holds the pre-activations [rows, 4·units]; the step activates them in place (kept for the
// backward pass) and writes c_t, h_t and the state the next GEMM reads.
import { act4, dact4, ld, st, ldMask } from './act';

/**
 * g ← (i, f, ĉ, o) = (σ(zi), σ(zf), a(zc), σ(zo)) with σ = act `ract`, a = act `act`;
 * c = f·cPrev + i·ĉ; h = o·a(c), stored at h + row·ldh (elements) and, times `rmask` (0: none),
 * at hd (rows × units) when hd ≠ 0.
 */
export function f32_lstm_step(rows: i32, units: i32, g: usize, cPrev: usize, c: usize, h: usize, ldh: i32, hd: usize, rmask: usize, act: i32, ract: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 4 * ub;
    const sr = <usize>r * ub;
    const hr = h + ((<usize>r * <usize>ldh) << 2);
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const i = act4(ract, ld(gr + o, nb));
      const f = act4(ract, ld(gr + ub + o, nb));
      const cc = act4(act, ld(gr + 2 * ub + o, nb));
      const og = act4(ract, ld(gr + 3 * ub + o, nb));
      const cv = f32x4.add(f32x4.mul(f, ld(cPrev + sr + o, nb)), f32x4.mul(i, cc));
      const hv = f32x4.mul(og, act4(act, cv));
      st(gr + o, i, nb);
      st(gr + ub + o, f, nb);
      st(gr + 2 * ub + o, cc, nb);
      st(gr + 3 * ub + o, og, nb);
      st(c + sr + o, cv, nb);
      st(hr + o, hv, nb);
      if (hd != 0) st(hd + sr + o, f32x4.mul(hv, ldMask(rmask, sr + o, nb)), nb);
    }
  }
}

/**
 * Backward of one step. g holds the activated gates of f32_lstm_step and receives the
 * pre-activation gradients (di, df, dĉ, do); dh is ∂L/∂h_t (rows × units); dc holds ∂L/∂c_t
 * from the step after (zeros at the last step) and receives ∂L/∂c_{t−1}.
 */
export function f32_lstm_step_grad(rows: i32, units: i32, g: usize, cPrev: usize, c: usize, dh: usize, dc: usize, act: i32, ract: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * 4 * ub;
    const sr = <usize>r * ub;
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const i = ld(gr + o, nb);
      const f = ld(gr + ub + o, nb);
      const cc = ld(gr + 2 * ub + o, nb);
      const og = ld(gr + 3 * ub + o, nb);
      const ac = act4(act, ld(c + sr + o, nb));
      const dhv = ld(dh + sr + o, nb);
      const dct = f32x4.add(ld(dc + sr + o, nb), f32x4.mul(f32x4.mul(dhv, og), dact4(act, ac)));
      st(gr + o, f32x4.mul(f32x4.mul(dct, cc), dact4(ract, i)), nb);
      st(gr + ub + o, f32x4.mul(f32x4.mul(dct, ld(cPrev + sr + o, nb)), dact4(ract, f)), nb);
      st(gr + 2 * ub + o, f32x4.mul(f32x4.mul(dct, i), dact4(act, cc)), nb);
      st(gr + 3 * ub + o, f32x4.mul(f32x4.mul(dhv, ac), dact4(ract, og)), nb);
      st(dc + sr + o, f32x4.mul(dct, f), nb);
    }
  }
}

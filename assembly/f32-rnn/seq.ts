// Sequence plumbing of the recurrent layers: batch-major [batch, steps, d] ↔ time-major
// [steps, batch, d] with the per-sample dropout mask (one [batch, d] mask for every step) and
// goBackwards' reversal in the same pass; the SimpleRNN cell; ∂L/∂h_t from its two sources.
import { act4, dact4, ld, st, ldMask } from './act';

/** xt[s, i, :] = x[i, s', :]·mask[i, :] (mask 0: none), s' = back ? steps − 1 − s : s. */
export function f32_rnn_seq_in(batch: i32, steps: i32, d: i32, x: usize, mask: usize, xt: usize, back: i32): void {
  const db = <usize>d << 2;
  for (let s = 0; s < steps; s++) {
    const ts = back != 0 ? steps - 1 - s : s;
    for (let i = 0; i < batch; i++) {
      const src = x + (<usize>i * <usize>steps + <usize>ts) * db;
      const dst = xt + (<usize>s * <usize>batch + <usize>i) * db;
      const mr = <usize>i * db;
      for (let o: usize = 0; o < db; o += 16) {
        const nb = db - o;
        st(dst + o, mask == 0 ? ld(src + o, nb) : f32x4.mul(ld(src + o, nb), ld(mask + mr + o, nb)), nb);
      }
    }
  }
}

/** The transpose of f32_rnn_seq_in: dx[i, s', :] = dxt[s, i, :]·mask[i, :]. */
export function f32_rnn_seq_out(batch: i32, steps: i32, d: i32, dxt: usize, mask: usize, dx: usize, back: i32): void {
  const db = <usize>d << 2;
  for (let s = 0; s < steps; s++) {
    const ts = back != 0 ? steps - 1 - s : s;
    for (let i = 0; i < batch; i++) {
      const dst = dx + (<usize>i * <usize>steps + <usize>ts) * db;
      const src = dxt + (<usize>s * <usize>batch + <usize>i) * db;
      const mr = <usize>i * db;
      for (let o: usize = 0; o < db; o += 16) {
        const nb = db - o;
        st(dst + o, mask == 0 ? ld(src + o, nb) : f32x4.mul(ld(src + o, nb), ld(mask + mr + o, nb)), nb);
      }
    }
  }
}

/**
 * SimpleRNN step: g [rows, units] holds x·W + b + hd·U; g ← h = a(g), also stored at
 * h + row·ldh (elements), and times rmask at hd when hd ≠ 0.
 */
export function f32_rnn_step(rows: i32, units: i32, g: usize, h: usize, ldh: i32, hd: usize, rmask: usize, act: i32): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const gr = g + <usize>r * ub;
    const hr = h + ((<usize>r * <usize>ldh) << 2);
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      const hv = act4(act, ld(gr + o, nb));
      st(gr + o, hv, nb);
      st(hr + o, hv, nb);
      if (hd != 0) st(hd + <usize>r * ub + o, f32x4.mul(hv, ldMask(rmask, <usize>r * ub + o, nb)), nb);
    }
  }
}

/** SimpleRNN backward of one step: g (the outputs h) ← dh·a'(h). */
export function f32_rnn_step_grad(rows: i32, units: i32, g: usize, dh: usize, act: i32): void {
  const n = <usize>rows * <usize>units << 2;
  for (let o: usize = 0; o < n; o += 16) {
    const nb = n - o;
    st(g + o, f32x4.mul(ld(dh + o, nb), dact4(act, ld(g + o, nb))), nb);
  }
}

/**
 * dh = dy[row·lddy] (dy 0: none) + dd·rmask (dd 0: none; rmask 0: ones) + dr (dr 0: none), over
 * rows × units: ∂L/∂h_t from the output at step t, the next step's GEMM (through the recurrent
 * dropout mask) and the direct path (GRU's z·h).
 */
export function f32_rnn_dh(rows: i32, units: i32, dy: usize, lddy: i32, dd: usize, rmask: usize, dr: usize, dh: usize): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const sr = <usize>r * ub;
    const yr = dy + ((<usize>r * <usize>lddy) << 2);
    for (let o: usize = 0; o < ub; o += 16) {
      const nb = ub - o;
      let v = dy != 0 ? ld(yr + o, nb) : f32x4.splat(0);
      if (dd != 0) v = f32x4.add(v, f32x4.mul(ld(dd + sr + o, nb), ldMask(rmask, sr + o, nb)));
      if (dr != 0) v = f32x4.add(v, ld(dr + sr + o, nb));
      st(dh + sr + o, v, nb);
    }
  }
}

// The assembly/f32-rnn family in the kernel table (kernel-spec.ts): recurrent cells one time
// step over a batch (the recurrent GEMM runs before each step, through the GEMM family), their
// backward passes, and the sequence passes. Activations are codes (RNN_ACTIVATION_CODES in
// src/layers/recurrent.ts). Row-wise kernels run on the calling thread: per step they are small
// next to the step's GEMM, which the pool splits by rows (samples).
import type { KernelTable } from './kernel-spec.js';

export const RNN_KERNELS = {
  /** xt[s, i, :] = x[i, s', :]·mask[i, :] (mask 0: none), s' reversed when back ≠ 0. */
  f32_rnn_seq_in: '(batch, steps, d, *x, *mask, *xt, back)',
  /** dx[i, s', :] = dxt[s, i, :]·mask[i, :]: the transpose of f32_rnn_seq_in. */
  f32_rnn_seq_out: '(batch, steps, d, *dxt, *mask, *dx, back)',
  /** SimpleRNN step: g ← h = act(g); h also at h + row·ldh and times rmask at hd (hd 0: none). */
  f32_rnn_step: '(rows, units, *g, *h, ldh, *hd, *rmask, act)',
  /** g ← dh·act'(g). */
  f32_rnn_step_grad: '(rows, units, *g, *dh, act)',
  /** dh = dy (row stride lddy) + dd·rmask + dr; absent pointers (0) add nothing. */
  f32_rnn_dh: '(rows, units, *dy, lddy, *dd, *rmask, *dr, *dh)',
  /** LSTM step on g's pre-activations (i, f, c, o): gates activated in place, c and h written. */
  f32_lstm_step: '(rows, units, *g, *cPrev, *c, *h, ldh, *hd, *rmask, act, ract)',
  /** LSTM backward of a step: g ← pre-activation gradients, dc ← ∂L/∂c_{t−1}. */
  f32_lstm_step_grad: '(rows, units, *g, *cPrev, *c, *dh, *dc, act, ract)',
  /** GRU (reset before): z, r activated into g, r·hdPrev into q's h part. */
  f32_gru_reset: '(rows, units, *g, *q, *hdPrev, ract)',
  /** GRU step: g ← (z, r, ĥ), h = z·hPrev + (1 − z)·ĥ. */
  f32_gru_step: '(rows, units, *g, *q, *hPrev, *h, ldh, *hd, *rmask, act, ract, after)',
  /** GRU backward of a step: dz, dĥ (and dr, q's gradient when after), dhPrev = dh·z. */
  f32_gru_step_grad: '(rows, units, *g, *q, *hPrev, *dh, *dhPrev, act, ract, after)',
  /** GRU (reset before) backward: dr from ∂L/∂(r·hd), and dhd = drh·r. */
  f32_gru_reset_grad: '(rows, units, *g, *hdPrev, *drh, *dhd, ract)',
  /** Masked rows (m[row·ldm] = 0) carry the state: cur ← prev. */
  f32_rnn_mask_step: '(rows, units, *m, ldm, *prev, *cur)',
  /** Zero the outputs of masked steps ([batch, steps, units], processing order). */
  f32_rnn_mask_out: '(batch, steps, units, *mask, *y, back)',
  /** Backward of masked rows: no gate gradients, ∂L/∂h and ∂L/∂c pass through to the previous step. */
  f32_rnn_mask_grad: '(rows, units, gates, *m, ldm, *g, *q, *dh, *dd, *dr, keep, *dcSave, *dc)',
} as const satisfies KernelTable;

// Step masks of the recurrent layers (Keras: a masked step leaves the states as they were and its
// output repeats the last one, or is zero with zero_output_for_mask). The mask is f32
// [rows, steps] in the input's time order, 1 for a real step; `m` points at one step's column
// (row stride ldm = steps).

/** Where the step is masked, cur ← prev (a state carried over): rows × units. */
export function f32_rnn_mask_step(rows: i32, units: i32, m: usize, ldm: i32, prev: usize, cur: usize): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    if (load<f32>(m + ((<usize>r * <usize>ldm) << 2)) != 0) continue;
    memory.copy(cur + <usize>r * ub, prev + <usize>r * ub, ub);
  }
}

/** y [batch, steps, units] in processing order: zero where that step of the input is masked. */
export function f32_rnn_mask_out(batch: i32, steps: i32, units: i32, mask: usize, y: usize, back: i32): void {
  const ub = <usize>units << 2;
  for (let i = 0; i < batch; i++) {
    for (let s = 0; s < steps; s++) {
      const ts = back != 0 ? steps - 1 - s : s;
      if (load<f32>(mask + ((<usize>i * <usize>steps + <usize>ts) << 2)) != 0) continue;
      memory.fill(y + (<usize>i * <usize>steps + <usize>s) * ub, 0, ub);
    }
  }
}

/**
 * Backward of a masked step, after the cell's: on masked rows the step had no effect, so its
 * gate gradients (g, gates·units; q, 3·units, when q ≠ 0) and the recurrent GEMM's input
 * gradient dd are zero, ∂L/∂h passes whole to the previous state (dr ← dh) and ∂L/∂c is the one
 * saved before the cell's pass (dc ← dcSave, when dc ≠ 0). On the other rows dr is kept when
 * keep ≠ 0 (GRU's direct path), else zeroed.
 */
export function f32_rnn_mask_grad(rows: i32, units: i32, gates: i32, m: usize, ldm: i32, g: usize, q: usize, dh: usize, dd: usize, dr: usize,
  keep: i32, dcSave: usize, dc: usize): void {
  const ub = <usize>units << 2;
  const gb = <usize>gates * ub;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * ub;
    if (load<f32>(m + ((<usize>r * <usize>ldm) << 2)) != 0) {
      if (keep == 0) memory.fill(dr + o, 0, ub);
      continue;
    }
    memory.fill(g + <usize>r * gb, 0, gb);
    if (q != 0) memory.fill(q + <usize>r * 3 * ub, 0, 3 * ub);
    memory.fill(dd + o, 0, ub);
    memory.copy(dr + o, dh + o, ub);
    if (dc != 0) memory.copy(dc + o, dcSave + o, ub);
  }
}

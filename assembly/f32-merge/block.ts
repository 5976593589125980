// A block of columns of packed rows, copied between row strides: Concatenate's forward (each
// input's rows into its columns of the output) and backward (those columns of dy into each
// input's gradient). Strides are element counts; a copy moves bits (NaN payloads, -0) unchanged.

/**
 * y[i·ldy + j] = x[i·ldx + j], i < rows, j < cols. The two ranges must not overlap.
 */
export function f32_copy_block(rows: i32, cols: i32, x: usize, ldx: i32, y: usize, ldy: i32): void {
  if (rows <= 0 || cols <= 0) return;
  const end16 = <usize>(cols & ~15) << 2;
  const end4 = <usize>(cols & ~3) << 2;
  const end = <usize>cols << 2;
  const sx = <usize>ldx << 2;
  const sy = <usize>ldy << 2;
  let xr = x;
  let yr = y;
  for (let i = 0; i < rows; i++) {
    let o: usize = 0;
    for (; o < end16; o += 64) {
      const p0 = v128.load(xr + o);
      const p1 = v128.load(xr + o, 16);
      const p2 = v128.load(xr + o, 32);
      const p3 = v128.load(xr + o, 48);
      v128.store(yr + o, p0);
      v128.store(yr + o, p1, 16);
      v128.store(yr + o, p2, 32);
      v128.store(yr + o, p3, 48);
    }
    for (; o < end4; o += 16) v128.store(yr + o, v128.load(xr + o));
    for (; o < end; o += 4) store<u32>(yr + o, load<u32>(xr + o));
    xr += sx;
    yr += sy;
  }
}

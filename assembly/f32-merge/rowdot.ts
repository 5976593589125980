// Row-wise dot products and row scaling: Keras 3 `Dot(axes=1)` on [batch, d] inputs, forward
// y[i] = Σ_j a[i, j]·b[i, j] and backward da = dy[i]·b[i, :], db = dy[i]·a[i, :]. Layout: `rows`
// packed rows of `cols` floats.

/**
 * y[i] = Σ_{j<cols} a[i·cols + j]·b[i·cols + j], i < rows. Each product is exact in f64 and the sum
 * is taken in f64 (two f64x2 accumulators, then the scalar tail), rounded to f32 once: the same
 * bits in every build.
 */
export function f32_rowdot(rows: i32, cols: i32, a: usize, b: usize, y: usize): void {
  if (rows <= 0) return;
  const rs = <usize>cols << 2;
  const end4 = <usize>(cols & ~3) << 2;
  for (let i = 0; i < rows; i++) {
    const ar = a + <usize>i * rs;
    const br = b + <usize>i * rs;
    let s0 = f64x2.splat(0.0);
    let s1 = f64x2.splat(0.0);
    let o: usize = 0;
    for (; o < end4; o += 16) {
      const va = v128.load(ar + o);
      const vb = v128.load(br + o);
      s0 = f64x2.add(s0, f64x2.mul(f64x2.promote_low_f32x4(va), f64x2.promote_low_f32x4(vb)));
      s1 = f64x2.add(s1, f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(va, va, 2, 3, 2, 3)), f64x2.promote_low_f32x4(i32x4.shuffle(vb, vb, 2, 3, 2, 3))));
    }
    const s = f64x2.add(s0, s1);
    let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; o < rs; o += 4) t += <f64>load<f32>(ar + o) * <f64>load<f32>(br + o);
    store<f32>(y + (<usize>i << 2), <f32>t);
  }
}

/** y[i·cols + j] = x[i·cols + j]·s[i], i < rows, j < cols. y may alias x, not s. */
export function f32_scale_rows(rows: i32, cols: i32, x: usize, s: usize, y: usize): void {
  if (rows <= 0) return;
  const rs = <usize>cols << 2;
  const end4 = <usize>(cols & ~3) << 2;
  for (let i = 0; i < rows; i++) {
    const off = <usize>i * rs;
    const xr = x + off;
    const yr = y + off;
    const si = load<f32>(s + (<usize>i << 2));
    const vs = f32x4.splat(si);
    let o: usize = 0;
    for (; o < end4; o += 16) v128.store(yr + o, f32x4.mul(v128.load(xr + o), vs));
    for (; o < rs; o += 4) store<f32>(yr + o, load<f32>(xr + o) * si);
  }
}

// The bias gradient of a convolution: column sums of dy [m rows, ldx floats a row], split across
// threads by columns (channels) so that it is not a serial pass of the training step (f32_colsum
// sums every column on one thread: 43264 × 32 floats for the MNIST convnet's first convolution).
// Each column sums its rows in increasing order from 0, then adds y when beta is 1, exactly as
// f32_colsum does, so the bits are f32_colsum's for any range.

/** y[j] = β·y[j] + Σ_i x[i·ldx + j] for the n columns j = first … first + n − 1 (β 0: overwritten). */
export function f32_conv_bias_grad(n: i32, x: usize, y: usize, m: i32, ldx: i32, first: i32, beta: i32): void {
  const rs = <usize>ldx << 2;
  const c1 = first + n;
  let j = first;
  for (; j + 8 <= c1; j += 8) {
    let a0 = f32x4.splat(0);
    let a1 = a0;
    let p = x + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      p += rs;
    }
    const q = y + (<usize>j << 2);
    if (beta != 0) {
      a0 = f32x4.add(v128.load(q), a0);
      a1 = f32x4.add(v128.load(q, 16), a1);
    }
    v128.store(q, a0);
    v128.store(q, a1, 16);
  }
  for (; j < c1; j++) {
    let a: f32 = 0;
    let p = x + (<usize>j << 2);
    for (let i = 0; i < m; i++) {
      a += load<f32>(p);
      p += rs;
    }
    const q = y + (<usize>j << 2);
    store<f32>(q, beta != 0 ? load<f32>(q) + a : a);
  }
}

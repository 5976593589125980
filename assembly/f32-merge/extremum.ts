// Elementwise maximum and minimum (Keras 3 `Maximum`, `Minimum`: ops.maximum/minimum folded over
// the inputs) and their gradient. The forward propagates NaN (f32x4.max/min, scalar f32.max/min
// in the tail: the same rule lane by lane). The gradient goes where TensorFlow's Maximum/Minimum
// gradient sends it: to the first input on ties (x >= y goes to x), i.e. to the first input equal
// to the output. A fold over k inputs calls f32_vroute_grad once per input, in order, on a
// buffer r that starts as dy and keeps what no earlier input took.

/** y[i] = max(a[i], b[i]) (NaN if either is NaN), i < n. y may alias a or b. */
export function f32_vmax(n: i32, a: usize, b: usize, y: usize): void {
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, f32x4.max(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(y + o, max<f32>(load<f32>(a + o), load<f32>(b + o)));
}

/** y[i] = min(a[i], b[i]) (NaN if either is NaN), i < n. y may alias a or b. */
export function f32_vmin(n: i32, a: usize, b: usize, y: usize): void {
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, f32x4.min(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(y + o, min<f32>(load<f32>(a + o), load<f32>(b + o)));
}

/**
 * Gradient routing of max/min, for one input x of the output y: where x[i] == y[i], dx[i] = r[i]
 * and r[i] = 0 (taken); elsewhere dx[i] = 0 and r[i] stays. dx = 0 (no gradient wanted) only
 * updates r. Called for the inputs in order with r = dy at first, each element's gradient goes
 * to the first input equal to the output. i < n; dx must not alias r, x or y.
 */
export function f32_vroute_grad(n: i32, x: usize, y: usize, r: usize, dx: usize): void {
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  if (dx == 0) {
    for (; o < end4; o += 16) {
      const m = f32x4.eq(v128.load(x + o), v128.load(y + o));
      v128.store(r + o, v128.andnot(v128.load(r + o), m));
    }
    for (; o < end; o += 4) if (load<f32>(x + o) == load<f32>(y + o)) store<f32>(r + o, 0);
    return;
  }
  for (; o < end4; o += 16) {
    const m = f32x4.eq(v128.load(x + o), v128.load(y + o));
    const g = v128.load(r + o);
    v128.store(dx + o, v128.and(g, m));
    v128.store(r + o, v128.andnot(g, m));
  }
  for (; o < end; o += 4) {
    if (load<f32>(x + o) == load<f32>(y + o)) {
      store<f32>(dx + o, load<f32>(r + o));
      store<f32>(r + o, 0);
    } else {
      store<f32>(dx + o, 0);
    }
  }
}

// Elementwise helpers for layers and optimizers. Main loops do 16 elements (four f32x4) a
// step, then whole vectors, then a scalar tail; every element is computed independently, so
// an output may alias an input exactly (the same address), but must not partially overlap it.

import { vfma, sfma } from '../shared/simd';

/** y[i] = a[i]·b[i], i < n. y may alias a or b. */
export function f32_vmul(n: i32, a: usize, b: usize, y: usize): void {
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const p0 = f32x4.mul(v128.load(a + o), v128.load(b + o));
    const p1 = f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16));
    const p2 = f32x4.mul(v128.load(a + o, 32), v128.load(b + o, 32));
    const p3 = f32x4.mul(v128.load(a + o, 48), v128.load(b + o, 48));
    v128.store(y + o, p0);
    v128.store(y + o, p1, 16);
    v128.store(y + o, p2, 32);
    v128.store(y + o, p3, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o));
}

/** y[i] = a[i] + b[i], i < n. y may alias a or b. */
export function f32_vadd(n: i32, a: usize, b: usize, y: usize): void {
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const p0 = f32x4.add(v128.load(a + o), v128.load(b + o));
    const p1 = f32x4.add(v128.load(a + o, 16), v128.load(b + o, 16));
    const p2 = f32x4.add(v128.load(a + o, 32), v128.load(b + o, 32));
    const p3 = f32x4.add(v128.load(a + o, 48), v128.load(b + o, 48));
    v128.store(y + o, p0);
    v128.store(y + o, p1, 16);
    v128.store(y + o, p2, 32);
    v128.store(y + o, p3, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(a + o) + load<f32>(b + o));
}

/** y[i] = s·x[i], i < n. y may alias x. */
export function f32_vscale(n: i32, x: usize, y: usize, s: f32): void {
  const vs = f32x4.splat(s);
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const p0 = f32x4.mul(vs, v128.load(x + o));
    const p1 = f32x4.mul(vs, v128.load(x + o, 16));
    const p2 = f32x4.mul(vs, v128.load(x + o, 32));
    const p3 = f32x4.mul(vs, v128.load(x + o, 48));
    v128.store(y + o, p0);
    v128.store(y + o, p1, 16);
    v128.store(y + o, p2, 32);
    v128.store(y + o, p3, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, f32x4.mul(vs, v128.load(x + o)));
  for (; o < end; o += 4) store<f32>(y + o, s * load<f32>(x + o));
}

/** y[i] = x[i], i < n (bit copy). y may equal x; the ranges must not otherwise overlap. */
export function f32_vcopy(n: i32, x: usize, y: usize): void {
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const p0 = v128.load(x + o);
    const p1 = v128.load(x + o, 16);
    const p2 = v128.load(x + o, 32);
    const p3 = v128.load(x + o, 48);
    v128.store(y + o, p0);
    v128.store(y + o, p1, 16);
    v128.store(y + o, p2, 32);
    v128.store(y + o, p3, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, v128.load(x + o));
  for (; o < end; o += 4) store<u32>(y + o, load<u32>(x + o));
}

/** y[i] = v, i < n. */
export function f32_vfill(n: i32, y: usize, v: f32): void {
  const vv = f32x4.splat(v);
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    v128.store(y + o, vv);
    v128.store(y + o, vv, 16);
    v128.store(y + o, vv, 32);
    v128.store(y + o, vv, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, vv);
  for (; o < end; o += 4) store<f32>(y + o, v);
}

/** y[i] += a·x[i], i < n (one fused multiply-add in the relaxed build). y must not alias x. */
export function f32_vaxpy(n: i32, x: usize, y: usize, a: f32): void {
  const va = f32x4.splat(a);
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const p0 = vfma(va, v128.load(x + o), v128.load(y + o));
    const p1 = vfma(va, v128.load(x + o, 16), v128.load(y + o, 16));
    const p2 = vfma(va, v128.load(x + o, 32), v128.load(y + o, 32));
    const p3 = vfma(va, v128.load(x + o, 48), v128.load(y + o, 48));
    v128.store(y + o, p0);
    v128.store(y + o, p1, 16);
    v128.store(y + o, p2, 32);
    v128.store(y + o, p3, 48);
  }
  for (; o < end4; o += 16) v128.store(y + o, vfma(va, v128.load(x + o), v128.load(y + o)));
  for (; o < end; o += 4) store<f32>(y + o, sfma(a, load<f32>(x + o), load<f32>(y + o)));
}

/** y[i·cols + j] = x[i·cols + j]·m[j], i < rows, j < cols (a per-column mask broadcast over packed rows). y may alias x, not m. */
export function f32_vmul_cols(rows: i32, cols: i32, x: usize, m: usize, y: usize): void {
  const rs = <usize>cols << 2;
  const end16 = <usize>(cols & ~15) << 2;
  const end4 = <usize>(cols & ~3) << 2;
  for (let i = 0; i < rows; i++) {
    const off = <usize>i * rs;
    const xr = x + off;
    const yr = y + off;
    let o: usize = 0;
    for (; o < end16; o += 64) {
      const p0 = f32x4.mul(v128.load(xr + o), v128.load(m + o));
      const p1 = f32x4.mul(v128.load(xr + o, 16), v128.load(m + o, 16));
      const p2 = f32x4.mul(v128.load(xr + o, 32), v128.load(m + o, 32));
      const p3 = f32x4.mul(v128.load(xr + o, 48), v128.load(m + o, 48));
      v128.store(yr + o, p0);
      v128.store(yr + o, p1, 16);
      v128.store(yr + o, p2, 32);
      v128.store(yr + o, p3, 48);
    }
    for (; o < end4; o += 16) v128.store(yr + o, f32x4.mul(v128.load(xr + o), v128.load(m + o)));
    for (; o < rs; o += 4) store<f32>(yr + o, load<f32>(xr + o) * load<f32>(m + o));
  }
}

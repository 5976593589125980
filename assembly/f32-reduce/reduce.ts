// Reductions: column sums (bias gradients), Σx², Σ|x| (the L1 penalty, regularizer.ts) and the
// first non-finite element. Every sum has a fixed order that depends on the sizes alone: the main
// loop keeps four independent f32x4 accumulators (16 elements a step), leftover whole vectors
// go into the first one, the four are combined as (a0 + a1) + (a2 + a3), the lanes as
// ((l0 + l2) + (l1 + l3)) (`hsum`), and the scalar tail is added last in increasing index.
//
// Sizes and strides are elements; pointers are byte addresses, any 4-byte alignment.

import { vfma, sfma, hsum } from '../shared/simd';

/** y[j] = (beta ? y[j] : 0) + Σ_{i<m} x[i·ldx + j], j < n; x row-major m×n with ldx ≥ n; sum over i in increasing order, then y added. y must not alias x. */
export function f32_colsum(m: i32, n: i32, x: usize, ldx: i32, y: usize, beta: i32): void {
  const rs = <usize>ldx << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) {             // 16 columns: four accumulators down the rows
    const o = <usize>j << 2;
    let a0 = zero;
    let a1 = zero;
    let a2 = zero;
    let a3 = zero;
    let p = x + o;
    for (let i = 0; i < m; i++) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      p += rs;
    }
    if (beta != 0) {
      a0 = f32x4.add(v128.load(y + o), a0);
      a1 = f32x4.add(v128.load(y + o, 16), a1);
      a2 = f32x4.add(v128.load(y + o, 32), a2);
      a3 = f32x4.add(v128.load(y + o, 48), a3);
    }
    v128.store(y + o, a0);
    v128.store(y + o, a1, 16);
    v128.store(y + o, a2, 32);
    v128.store(y + o, a3, 48);
  }
  for (; j + 4 <= n; j += 4) {               // 4 columns at a time
    const o = <usize>j << 2;
    let a0 = zero;
    let p = x + o;
    for (let i = 0; i < m; i++) {
      a0 = f32x4.add(a0, v128.load(p));
      p += rs;
    }
    if (beta != 0) a0 = f32x4.add(v128.load(y + o), a0);
    v128.store(y + o, a0);
  }
  for (; j < n; j++) {                       // tail: n % 4 columns
    const o = <usize>j << 2;
    let s: f32 = 0;
    let p = x + o;
    for (let i = 0; i < m; i++) {
      s += load<f32>(p);
      p += rs;
    }
    store<f32>(y + o, beta != 0 ? load<f32>(y + o) + s : s);
  }
}

// @ts-ignore: decorator
@inline export function sumSquares(n: i32, x: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    const v2 = v128.load(x + o, 32);
    const v3 = v128.load(x + o, 48);
    a0 = vfma(v0, v0, a0);
    a1 = vfma(v1, v1, a1);
    a2 = vfma(v2, v2, a2);
    a3 = vfma(v3, v3, a3);
  }
  for (; o < end4; o += 16) {
    const v = v128.load(x + o);
    a0 = vfma(v, v, a0);
  }
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; o < end; o += 4) {
    const v = load<f32>(x + o);
    s = sfma(v, v, s);
  }
  return s;
}

// @ts-ignore: decorator
@inline export function sumAbs(n: i32, x: usize): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {
    a0 = f32x4.add(a0, f32x4.abs(v128.load(x + o)));
    a1 = f32x4.add(a1, f32x4.abs(v128.load(x + o, 16)));
    a2 = f32x4.add(a2, f32x4.abs(v128.load(x + o, 32)));
    a3 = f32x4.add(a3, f32x4.abs(v128.load(x + o, 48)));
  }
  for (; o < end4; o += 16) a0 = f32x4.add(a0, f32x4.abs(v128.load(x + o)));
  let s = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; o < end; o += 4) s += Mathf.abs(load<f32>(x + o));
  return s;
}

/** Σ_{i<n} x[i]² (0 for n = 0), summed in the fixed order above. */
export function f32_sumsq(n: i32, x: usize): f32 {
  return sumSquares(n, x);
}

/** Index of the first NaN or ±Inf among x[0..n) (exponent bits all ones), or -1 if all are finite. */
export function f32_find_nonfinite(n: i32, x: usize): i32 {
  const em = i32x4.splat(0x7f800000);
  const end16 = <usize>(n & ~15) << 2;
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end16; o += 64) {               // 16 at a time; stop at the first block with a hit
    const m0 = i32x4.eq(v128.and(v128.load(x + o), em), em);
    const m1 = i32x4.eq(v128.and(v128.load(x + o, 16), em), em);
    const m2 = i32x4.eq(v128.and(v128.load(x + o, 32), em), em);
    const m3 = i32x4.eq(v128.and(v128.load(x + o, 48), em), em);
    if (v128.any_true(v128.or(v128.or(m0, m1), v128.or(m2, m3)))) break;
  }
  for (; o < end4; o += 16) {                // locates the hit inside that block
    const hit = i32x4.eq(v128.and(v128.load(x + o), em), em);
    if (v128.any_true(hit)) return <i32>(o >> 2) + ctz(i32x4.bitmask(hit));
  }
  for (; o < end; o += 4) {
    if ((load<u32>(x + o) & 0x7f800000) == 0x7f800000) return <i32>(o >> 2);
  }
  return -1;
}

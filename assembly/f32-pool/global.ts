// Global pooling over the hw positions of each sample, per channel (Keras 3 GlobalAveragePooling
// and GlobalMaxPooling, 1-D and 2-D: ops.mean / ops.max over the spatial axes). Inputs are
// [batch, hw, c] (NHWC with h·w flattened), outputs [batch, c]. Ranges are samples: first ≤ b <
// first + n, so the pool splits them by batch.
//
// The mean is summed in f64 (positions in order) and rounded once; its gradient is dy/hw in f32,
// as TensorFlow's Mean gradient. The max propagates NaN (f32x4.max). Its gradient is Keras's, i.e.
// TensorFlow's and JAX's reduce_max gradient: dy split evenly among the positions equal to the
// maximum, (1/count)·dy each — not the first maximum (that rule is MaxPool's, not reduce_max's).

import { hi64, lo64, narrow } from '../f32-norm/wide';

/** y[b, ch] = Σ_p x[b, p, ch] / hw (summed in f64, rounded once), first ≤ b < first + n. */
export function f32_global_avgpool_nhwc(n: i32, x: usize, y: usize, first: i32, hw: i32, c: i32): void {
  const pixel = <usize>c << 2;
  const count = <f64>hw;
  const vcount = f64x2.splat(count);
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const xs = x + <usize>b * <usize>hw * pixel;
    const ys = y + <usize>b * pixel;
    let o: usize = 0;
    for (; o < end4; o += 16) {
      let s0 = f64x2.splat(0);
      let s1 = s0;
      let p = xs + o;
      for (let i = 0; i < hw; i++) {
        const v = v128.load(p);
        s0 = f64x2.add(s0, lo64(v));
        s1 = f64x2.add(s1, hi64(v));
        p += pixel;
      }
      v128.store(ys + o, narrow(f64x2.div(s0, vcount), f64x2.div(s1, vcount)));
    }
    for (; o < end; o += 4) {
      let s: f64 = 0;
      let p = xs + o;
      for (let i = 0; i < hw; i++) {
        s += <f64>load<f32>(p);
        p += pixel;
      }
      store<f32>(ys + o, <f32>(s / count));
    }
  }
}

/** dx[b, p, ch] = dy[b, ch] / hw (f32 division), first ≤ b < first + n. dx must not alias dy. */
export function f32_global_avgpool_nhwc_grad(n: i32, dy: usize, dx: usize, first: i32, hw: i32, c: i32): void {
  const pixel = <usize>c << 2;
  const count = <f32>hw;
  const vcount = f32x4.splat(count);
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const ds = dx + <usize>b * <usize>hw * pixel;
    const gs = dy + <usize>b * pixel;
    let o: usize = 0;
    for (; o < end4; o += 16) {
      const v = f32x4.div(v128.load(gs + o), vcount);
      let p = ds + o;
      for (let i = 0; i < hw; i++) {
        v128.store(p, v);
        p += pixel;
      }
    }
    for (; o < end; o += 4) {
      const v = load<f32>(gs + o) / count;
      let p = ds + o;
      for (let i = 0; i < hw; i++) {
        store<f32>(p, v);
        p += pixel;
      }
    }
  }
}

/** y[b, ch] = max_p x[b, p, ch] (NaN if any is NaN), first ≤ b < first + n; hw ≥ 1. */
export function f32_global_maxpool_nhwc(n: i32, x: usize, y: usize, first: i32, hw: i32, c: i32): void {
  const pixel = <usize>c << 2;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const xs = x + <usize>b * <usize>hw * pixel;
    const ys = y + <usize>b * pixel;
    let o: usize = 0;
    for (; o < end4; o += 16) {
      let p = xs + o;
      let m = v128.load(p);
      for (let i = 1; i < hw; i++) {
        p += pixel;
        m = f32x4.max(m, v128.load(p));
      }
      v128.store(ys + o, m);
    }
    for (; o < end; o += 4) {
      let p = xs + o;
      let m = load<f32>(p);
      for (let i = 1; i < hw; i++) {
        p += pixel;
        m = max<f32>(m, load<f32>(p));
      }
      store<f32>(ys + o, m);
    }
  }
}

/**
 * dx[b, p, ch] = x[b, p, ch] == y[b, ch] ? (1/count)·dy[b, ch] : 0, count = how many positions
 * equal y (Keras's reduce_max gradient; where y is NaN none does and dx = 0), first ≤ b < first + n.
 * dx must not alias x, y or dy.
 */
export function f32_global_maxpool_nhwc_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, first: i32, hw: i32, c: i32): void {
  const pixel = <usize>c << 2;
  const one = f32x4.splat(1);
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, last = first + n; b < last; b++) {
    const off = <usize>b * <usize>hw * pixel;
    const xs = x + off;
    const ds = dx + off;
    const ch = <usize>b * pixel;
    let o: usize = 0;
    for (; o < end4; o += 16) {
      const m = v128.load(y + ch + o);
      let count = f32x4.splat(0);
      let p = xs + o;
      for (let i = 0; i < hw; i++) {
        count = f32x4.add(count, v128.and(one, f32x4.eq(v128.load(p), m)));
        p += pixel;
      }
      const v = f32x4.mul(f32x4.div(one, count), v128.load(dy + ch + o));
      p = o;
      for (let i = 0; i < hw; i++) {
        v128.store(ds + p, v128.and(v, f32x4.eq(v128.load(xs + p), m)));
        p += pixel;
      }
    }
    for (; o < end; o += 4) {
      const m = load<f32>(y + ch + o);
      let count: f32 = 0;
      let p = xs + o;
      for (let i = 0; i < hw; i++) {
        if (load<f32>(p) == m) count += 1;
        p += pixel;
      }
      const v = (<f32>1 / count) * load<f32>(dy + ch + o);
      p = o;
      for (let i = 0; i < hw; i++) {
        store<f32>(ds + p, load<f32>(xs + p) == m ? v : 0);
        p += pixel;
      }
    }
  }
}

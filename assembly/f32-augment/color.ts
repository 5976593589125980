// Keras 3's colour layers on NHWC images, per sample: RandomContrast
// (clip((x − m)·f + m, lo, hi), m the image's per-channel mean), RandomBrightness
// (clip(x + d, lo, hi)) and Rescaling (x·scale + offset), with their backwards. The clip's
// gradient passes where lo ≤ value ≤ hi (TensorFlow's clip_by_value). Means and channel sums
// are f64 sums over the pixels in order; the rest is plain f32 arithmetic (no fused
// multiply-add), so every build gives the same bits.

/**
 * For samples b in first … first + n − 1 of hw pixels × c channels: mean[b, k] = Σ_p x[b, p, k] / hw,
 * y[b, p, k] = clip((x − mean)·f[b] + mean, lo, hi). y may alias x.
 */
export function f32_contrast_nhwc(n: i32, x: usize, y: usize, f: usize, mean: usize, first: i32, hw: i32, c: i32, lo: f32, hi: f32): void {
  const pixel = <usize>c << 2;
  for (let b = first, stop = first + n; b < stop; b++) {
    const fb = load<f32>(f + (<usize>b << 2));
    const base = <usize>b * <usize>hw * pixel;
    for (let k = 0; k < c; k++) {
      const xs = x + base + (<usize>k << 2);
      let s: f64 = 0;
      for (let p = 0, q = xs; p < hw; p++, q += pixel) s += <f64>load<f32>(q);
      const m = <f32>(s / <f64>hw);
      store<f32>(mean + ((<usize>b * <usize>c + <usize>k) << 2), m);
      const ys = y + base + (<usize>k << 2);
      for (let p: usize = 0, e = <usize>hw * pixel; p < e; p += pixel) {
        store<f32>(ys + p, min(max((load<f32>(xs + p) - m) * fb + m, lo), hi));
      }
    }
  }
}

/**
 * The backward of f32_contrast_nhwc from its x, mean and f: g = dy where lo ≤ (x − mean)·f + mean ≤ hi,
 * else 0; dx = f·g + (1 − f)·(Σ_p g)/hw per channel. dx may alias dy.
 */
export function f32_contrast_nhwc_grad(n: i32, x: usize, dy: usize, dx: usize, f: usize, mean: usize, first: i32, hw: i32, c: i32, lo: f32, hi: f32): void {
  const pixel = <usize>c << 2;
  for (let b = first, stop = first + n; b < stop; b++) {
    const fb = load<f32>(f + (<usize>b << 2));
    const base = <usize>b * <usize>hw * pixel;
    const e = <usize>hw * pixel;
    for (let k = 0; k < c; k++) {
      const off = base + (<usize>k << 2);
      const m = load<f32>(mean + ((<usize>b * <usize>c + <usize>k) << 2));
      let s: f64 = 0;
      for (let p: usize = 0; p < e; p += pixel) {
        const v = (load<f32>(x + off + p) - m) * fb + m;
        if (v >= lo && v <= hi) s += <f64>load<f32>(dy + off + p);
      }
      const shift = <f32>((1 - <f64>fb) * s / <f64>hw);
      for (let p: usize = 0; p < e; p += pixel) {
        const v = (load<f32>(x + off + p) - m) * fb + m;
        const g: f32 = v >= lo && v <= hi ? load<f32>(dy + off + p) : 0;
        store<f32>(dx + off + p, fb * g + shift);
      }
    }
  }
}

/** y[b, i] = clip(x[b, i] + d[b], lo, hi), i < size, for samples first … first + n − 1. y may alias x. */
export function f32_brightness_nhwc(n: i32, x: usize, y: usize, d: usize, first: i32, size: i32, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const bytes = <usize>size << 2;
  const end4 = <usize>(size & ~3) << 2;
  for (let b = first, stop = first + n; b < stop; b++) {
    const db = load<f32>(d + (<usize>b << 2));
    const vd = f32x4.splat(db);
    const xs = x + <usize>b * bytes;
    const ys = y + <usize>b * bytes;
    let o: usize = 0;
    for (; o < end4; o += 16) v128.store(ys + o, f32x4.min(f32x4.max(f32x4.add(v128.load(xs + o), vd), vlo), vhi));
    for (; o < bytes; o += 4) store<f32>(ys + o, min(max(load<f32>(xs + o) + db, lo), hi));
  }
}

/** dx[b, i] = lo ≤ x[b, i] + d[b] ≤ hi ? dy[b, i] : 0, for samples first … first + n − 1. dx may alias dy. */
export function f32_brightness_nhwc_grad(n: i32, x: usize, dy: usize, dx: usize, d: usize, first: i32, size: i32, lo: f32, hi: f32): void {
  const bytes = <usize>size << 2;
  for (let b = first, stop = first + n; b < stop; b++) {
    const db = load<f32>(d + (<usize>b << 2));
    const off = <usize>b * bytes;
    for (let o: usize = 0; o < bytes; o += 4) {
      const v = load<f32>(x + off + o) + db;
      store<f32>(dx + off + o, v >= lo && v <= hi ? load<f32>(dy + off + o) : 0);
    }
  }
}

/** y[i] = x[i]·scale + offset, i < n (a multiply, then an add). y may alias x. */
export function f32_rescale(n: i32, x: usize, y: usize, scale: f32, offset: f32): void {
  const vs = f32x4.splat(scale);
  const vo = f32x4.splat(offset);
  const end4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, f32x4.add(f32x4.mul(v128.load(x + o), vs), vo));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(x + o) * scale + offset);
}

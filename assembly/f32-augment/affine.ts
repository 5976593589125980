// Affine resampling of NHWC images as TensorFlow's ImageProjectiveTransformV3 (what Keras 3's
// RandomTranslation, RandomRotation and RandomZoom call), with the output the input's size.
// Each sample b has a transform t[6b … 6b + 5] = (a0, a1, a2, b0, b1, b2) mapping an output pixel
// (column j, row i) to the input point x' = a0·j + a1·i + a2, y' = b0·j + b1·i + b2 (integer pixel
// coordinates, f32 as TensorFlow; its projective row is 0 here, so its division by 1 is left out).
// The point is mapped into the image by the fill mode (TensorFlow's MapCoordinate, after
// scipy.ndimage: reflect (d c b a | a b c d | d c b a), wrap (its arithmetic with len − 1 as the
// period's divisor, as TensorFlow has it), nearest (clamp), constant (unchanged)), then clamped to
// [0, len − 1]; a point still outside (constant mode only) takes fillValue. Nearest interpolation
// rounds half away from zero; bilinear weights the four neighbours floor/floor + 1 as TensorFlow
// does, (x_ceil − x)·A + (x − x_floor)·B per row, then the two rows by y, a neighbour past the
// last row or column reading fillValue (its weight is 0 there). Plain multiplies and adds (no
// fused multiply-add): every build gives the same bits.

/** mode values of the fill modes. */
const REFLECT = 0;
const WRAP = 1;
const CONSTANT = 2;

/** TensorFlow's MapCoordinate of v on an axis of len pixels for `mode`, then clamped to [0, len − 1] (except constant). */
// @ts-ignore: decorator
@inline function mapCoordinate(v: f32, len: i32, mode: i32): f32 {
  if (mode == CONSTANT) return v;
  const last = <f32>(len - 1);
  if (mode == REFLECT) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = <f32>(len << 1);
        if (v < sz2) v = sz2 * Mathf.trunc(-v / sz2) + v;
        v = v < <f32>-len ? v + sz2 : -v - 1;
      }
    } else if (v > last) {
      if (len <= 1) v = 0;
      else {
        const sz2 = <f32>(len << 1);
        v -= sz2 * Mathf.trunc(v / sz2);
        if (v >= <f32>len) v = sz2 - v - 1;
      }
    }
  } else if (mode == WRAP) {
    if (v < 0) {
      if (len <= 1) v = 0;
      else v += <f32>len * (Mathf.trunc(-v / last) + 1);
    } else if (v > last) {
      if (len <= 1) v = 0;
      else v -= <f32>len * Mathf.trunc(v / last);
    }
  }
  return min(max(v, <f32>0), last);
}

/** Round half away from zero (std::round) of v ≥ 0, exactly. */
// @ts-ignore: decorator
@inline function roundHalfAway(v: f32): i32 {
  const f = Mathf.floor(v);
  return <i32>f + (v - f >= <f32>0.5 ? 1 : 0);
}

/** c floats at p, or fillValue where the neighbour is outside the image (ok false), four at a time from byte o. */
// @ts-ignore: decorator
@inline function corner(ok: bool, p: usize, o: usize, vfill: v128): v128 {
  return ok ? v128.load(p + o) : vfill;
}

// @ts-ignore: decorator
@inline function cornerScalar(ok: bool, p: usize, o: usize, fill: f32): f32 {
  return ok ? load<f32>(p + o) : fill;
}

/**
 * y = x resampled by each sample's transform t (see the file comment), for output rows
 * r = b·h + i, first ≤ r < first + n. mode: 0 reflect, 1 wrap, 2 constant, 3 nearest;
 * bilinear ≠ 0: bilinear, 0: nearest. y must not overlap x.
 */
export function f32_affine_nhwc(n: i32, x: usize, y: usize, t: usize, first: i32, h: i32, w: i32, c: i32,
  mode: i32, bilinear: i32, fill: f32): void {
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  const vfill = f32x4.splat(fill);
  const lastX = <f32>(w - 1);
  const lastY = <f32>(h - 1);
  for (let r = first, stop = first + n; r < stop; r++) {
    const b = r / h;
    const i = <f32>(r - b * h);
    const tb = t + <usize>b * 24;
    const a0 = load<f32>(tb), a1 = load<f32>(tb, 4), a2 = load<f32>(tb, 8);
    const b0 = load<f32>(tb, 12), b1 = load<f32>(tb, 16), b2 = load<f32>(tb, 20);
    const xs = x + <usize>b * <usize>h * row;
    let out = y + <usize>r * row;
    for (let j = 0; j < w; j++, out += pixel) {
      const fj = <f32>j;
      const px = mapCoordinate(a0 * fj + a1 * i + a2, w, mode);
      const py = mapCoordinate(b0 * fj + b1 * i + b2, h, mode);
      if (!(px >= 0 && px <= lastX && py >= 0 && py <= lastY)) {
        let o: usize = 0;
        for (; o < end4; o += 16) v128.store(out + o, vfill);
        for (; o < end; o += 4) store<f32>(out + o, fill);
        continue;
      }
      if (bilinear == 0) {
        const src = xs + <usize>roundHalfAway(py) * row + <usize>roundHalfAway(px) * pixel;
        let o: usize = 0;
        for (; o < end4; o += 16) v128.store(out + o, v128.load(src + o));
        for (; o < end; o += 4) store<f32>(out + o, load<f32>(src + o));
        continue;
      }
      const xf = Mathf.floor(px);
      const yf = Mathf.floor(py);
      const wx0 = (xf + 1) - px, wx1 = px - xf;
      const wy0 = (yf + 1) - py, wy1 = py - yf;
      const okX = <i32>xf + 1 < w;
      const okY = <i32>yf + 1 < h;
      const pa = xs + <usize>(<i32>yf) * row + <usize>(<i32>xf) * pixel;
      const pb = pa + pixel;
      const pc = pa + row;
      const pd = pc + pixel;
      if (c == 1) {                              // one channel (MNIST): the tail's arithmetic, without the loops
        const top = wx0 * load<f32>(pa) + wx1 * cornerScalar(okX, pb, 0, fill);
        const bottom = wx0 * cornerScalar(okY, pc, 0, fill) + wx1 * cornerScalar(okX && okY, pd, 0, fill);
        store<f32>(out, wy0 * top + wy1 * bottom);
        continue;
      }
      const vx0 = f32x4.splat(wx0), vx1 = f32x4.splat(wx1), vy0 = f32x4.splat(wy0), vy1 = f32x4.splat(wy1);
      let o: usize = 0;
      for (; o < end4; o += 16) {
        const top = f32x4.add(f32x4.mul(vx0, v128.load(pa + o)), f32x4.mul(vx1, corner(okX, pb, o, vfill)));
        const bottom = f32x4.add(f32x4.mul(vx0, corner(okY, pc, o, vfill)), f32x4.mul(vx1, corner(okX && okY, pd, o, vfill)));
        v128.store(out + o, f32x4.add(f32x4.mul(vy0, top), f32x4.mul(vy1, bottom)));
      }
      for (; o < end; o += 4) {
        const top = wx0 * load<f32>(pa + o) + wx1 * cornerScalar(okX, pb, o, fill);
        const bottom = wx0 * cornerScalar(okY, pc, o, fill) + wx1 * cornerScalar(okX && okY, pd, o, fill);
        store<f32>(out + o, wy0 * top + wy1 * bottom);
      }
    }
  }
}

/** dx[p] += s·dy[o] for c floats, four at a time. */
// @ts-ignore: decorator
@inline function scatter(dx: usize, dy: usize, s: f32, end4: usize, end: usize): void {
  const vs = f32x4.splat(s);
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(vs, v128.load(dy + o))));
  for (; o < end; o += 4) store<f32>(dx + o, load<f32>(dx + o) + s * load<f32>(dy + o));
}

/**
 * The adjoint of f32_affine_nhwc (dx zeroed, then each output pixel's dy scattered to the
 * neighbours it read with the weights it used, pixels in row-major order, neighbours
 * top-left, top-right, bottom-left, bottom-right; fill contributes nothing), for samples
 * first … first + n − 1. dx must not overlap dy.
 */
export function f32_affine_nhwc_grad(n: i32, dy: usize, dx: usize, t: usize, first: i32, h: i32, w: i32, c: i32,
  mode: i32, bilinear: i32): void {
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const image = <usize>h * row;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  const lastX = <f32>(w - 1);
  const lastY = <f32>(h - 1);
  for (let b = first, stop = first + n; b < stop; b++) {
    const tb = t + <usize>b * 24;
    const a0 = load<f32>(tb), a1 = load<f32>(tb, 4), a2 = load<f32>(tb, 8);
    const b0 = load<f32>(tb, 12), b1 = load<f32>(tb, 16), b2 = load<f32>(tb, 20);
    const ds = dx + <usize>b * image;
    memory.fill(ds, 0, image);
    let g = dy + <usize>b * image;
    for (let ii = 0; ii < h; ii++) {
      const i = <f32>ii;
      for (let j = 0; j < w; j++, g += pixel) {
        const fj = <f32>j;
        const px = mapCoordinate(a0 * fj + a1 * i + a2, w, mode);
        const py = mapCoordinate(b0 * fj + b1 * i + b2, h, mode);
        if (!(px >= 0 && px <= lastX && py >= 0 && py <= lastY)) continue;
        if (bilinear == 0) {
          scatter(ds + <usize>roundHalfAway(py) * row + <usize>roundHalfAway(px) * pixel, g, 1, end4, end);
          continue;
        }
        const xf = Mathf.floor(px);
        const yf = Mathf.floor(py);
        const wx0 = (xf + 1) - px, wx1 = px - xf;
        const wy0 = (yf + 1) - py, wy1 = py - yf;
        const okX = <i32>xf + 1 < w;
        const okY = <i32>yf + 1 < h;
        const pa = ds + <usize>(<i32>yf) * row + <usize>(<i32>xf) * pixel;
        scatter(pa, g, wy0 * wx0, end4, end);
        if (okX) scatter(pa + pixel, g, wy0 * wx1, end4, end);
        if (okY) scatter(pa + row, g, wy1 * wx0, end4, end);
        if (okX && okY) scatter(pa + row + pixel, g, wy1 * wx1, end4, end);
      }
    }
  }
}

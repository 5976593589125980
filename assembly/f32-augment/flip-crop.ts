// Flips and crops of NHWC images, one sample at a time: RandomFlip (a flip is its own adjoint, so
// the backward calls the forward on dy) and RandomCrop (a window per sample; the backward puts dy
// back into a zeroed dx). Copies move bits unchanged.

/** c floats from s to d, four at a time. */
// @ts-ignore: decorator
@inline function copyPixels(s: usize, d: usize, end4: usize, end: usize): void {
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(d + o, v128.load(s + o));
  for (; o < end; o += 4) store<u32>(d + o, load<u32>(s + o));
}

/**
 * y[b, i, j] = x[b, flags & 2 ? h − 1 − i : i, flags & 1 ? w − 1 − j : j] (flags = f32 flags[b]:
 * 1 horizontal, 2 vertical, 3 both, 0 a copy), for samples first … first + n − 1. y must not overlap x.
 */
export function f32_flip_nhwc(n: i32, x: usize, y: usize, flags: usize, first: i32, h: i32, w: i32, c: i32): void {
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const image = <usize>h * row;
  const end4 = <usize>(c & ~3) << 2;
  const end = <usize>c << 2;
  for (let b = first, stop = first + n; b < stop; b++) {
    const f = <i32>load<f32>(flags + (<usize>b << 2));
    const xs = x + <usize>b * image;
    let d = y + <usize>b * image;
    for (let i = 0; i < h; i++) {
      const sr = xs + <usize>((f & 2) != 0 ? h - 1 - i : i) * row;
      if ((f & 1) == 0) {
        memory.copy(d, sr, row);
        d += row;
        continue;
      }
      for (let j = w - 1; j >= 0; j--, d += pixel) copyPixels(sr + <usize>j * pixel, d, end4, end);
    }
  }
}

/**
 * y[b, i, j] = x[b, top + i, left + j], i < ch, j < cw (top = offsets[2b], left = offsets[2b + 1],
 * f32 integers), of h × w × c inputs, for samples first … first + n − 1. y must not overlap x.
 */
export function f32_crop_nhwc(n: i32, x: usize, y: usize, offsets: usize, first: i32, h: i32, w: i32, c: i32, ch: i32, cw: i32): void {
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const crow = <usize>cw * pixel;
  for (let b = first, stop = first + n; b < stop; b++) {
    const top = <i32>load<f32>(offsets + (<usize>b << 3));
    const left = <i32>load<f32>(offsets + (<usize>b << 3), 4);
    let s = x + <usize>b * <usize>h * row + <usize>top * row + <usize>left * pixel;
    let d = y + <usize>b * <usize>ch * crow;
    for (let i = 0; i < ch; i++, s += row, d += crow) memory.copy(d, s, crow);
  }
}

/** The adjoint of f32_crop_nhwc: dx (h × w × c per sample) zeroed, dy put back at each window. dx must not overlap dy. */
export function f32_crop_nhwc_grad(n: i32, dy: usize, dx: usize, offsets: usize, first: i32, h: i32, w: i32, c: i32, ch: i32, cw: i32): void {
  const pixel = <usize>c << 2;
  const row = <usize>w * pixel;
  const crow = <usize>cw * pixel;
  for (let b = first, stop = first + n; b < stop; b++) {
    const top = <i32>load<f32>(offsets + (<usize>b << 3));
    const left = <i32>load<f32>(offsets + (<usize>b << 3), 4);
    const ds = dx + <usize>b * <usize>h * row;
    memory.fill(ds, 0, <usize>h * row);
    let d = ds + <usize>top * row + <usize>left * pixel;
    let s = dy + <usize>b * <usize>ch * crow;
    for (let i = 0; i < ch; i++, s += crow, d += row) memory.copy(d, s, crow);
  }
}

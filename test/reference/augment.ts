// Float64 references of the f32-augment kernels (assembly/f32-augment/), written from
// TensorFlow's ImageProjectiveTransformV3 (tensorflow/core/kernels/image/image_ops.h: the
// coordinate arithmetic in float, as TensorFlow does it, so points land on the same pixels;
// the interpolation in float64) and from Keras 3's colour layers' formulas. NHWC arrays.

const f = Math.fround;

export interface Image {
  batch: number;
  h: number;
  w: number;
  c: number;
}

export type Transform = readonly [number, number, number, number, number, number];

export const MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
export type Mode = (typeof MODES)[number];

/** TensorFlow's MapCoordinate of v (float arithmetic) on an axis of len pixels, then its clamp. */
export function mapCoordinate(v: number, len: number, mode: Mode): number {
  if (mode === 'constant') return v;
  const last = len - 1;
  if (mode === 'reflect') {
    if (v < 0) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        if (v < sz2) v = f(sz2 * Math.trunc(f(-v / sz2)) + v);
        v = v < -len ? f(v + sz2) : f(-v - 1);
      }
    } else if (v > last) {
      if (len <= 1) v = 0;
      else {
        const sz2 = 2 * len;
        v = f(v - sz2 * Math.trunc(f(v / sz2)));
        if (v >= len) v = f(f(sz2 - v) - 1);
      }
    }
  } else if (mode === 'wrap') {
    if (v < 0) {
      if (len <= 1) v = 0;
      else v = f(v + len * (Math.trunc(f(-v / last)) + 1));
    } else if (v > last) {
      if (len <= 1) v = 0;
      else v = f(v - len * Math.trunc(f(v / last)));
    }
  }
  return Math.min(Math.max(v, 0), last);
}

/** The input point of output pixel (i, j) for transform t (float, as TensorFlow), mapped by the fill mode; null: fill. */
function source(t: Transform, i: number, j: number, h: number, w: number, mode: Mode): [number, number] | null {
  const a = t.map(f);
  const px = mapCoordinate(f(f(f(a[0]! * j) + f(a[1]! * i)) + a[2]!), w, mode);
  const py = mapCoordinate(f(f(f(a[3]! * j) + f(a[4]! * i)) + a[5]!), h, mode);
  if (!(px >= 0 && px <= w - 1 && py >= 0 && py <= h - 1)) return null;
  return [py, px];
}

/** std::round (half away from zero) for v ≥ 0. */
const roundHalfAway = (v: number): number => (v - Math.floor(v) >= 0.5 ? Math.floor(v) + 1 : Math.floor(v));

/** The neighbours and weights an output pixel reads: [row, col, weight] (weights as TensorFlow computes them, in float). */
function taps(py: number, px: number, bilinear: boolean): [number, number, number][] {
  if (!bilinear) return [[roundHalfAway(py), roundHalfAway(px), 1]];
  const yf = Math.floor(py);
  const xf = Math.floor(px);
  const wx0 = f(xf + 1 - px);
  const wx1 = f(px - xf);
  const wy0 = f(yf + 1 - py);
  const wy1 = f(py - yf);
  return [[yf, xf, wy0 * wx0], [yf, xf + 1, wy0 * wx1], [yf + 1, xf, wy1 * wx0], [yf + 1, xf + 1, wy1 * wx1]];
}

/** ImageProjectiveTransformV3 with output shape = input shape, transform ts[b] per sample. */
export function affineRef(x: ArrayLike<number>, g: Image, ts: readonly Transform[], mode: Mode, bilinear: boolean, fill: number): Float64Array {
  const { batch, h, w, c } = g;
  const y = new Float64Array(batch * h * w * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const o = ((b * h + i) * w + j) * c;
        const p = source(ts[b]!, i, j, h, w, mode);
        for (let k = 0; k < c; k++) {
          if (p === null) {
            y[o + k] = fill;
            continue;
          }
          let s = 0;
          for (const [r, q, wt] of taps(p[0], p[1], bilinear)) {
            const v = r < h && q < w ? x[((b * h + r) * w + q) * c + k]! : fill;
            s += wt * v;
          }
          y[o + k] = s;
        }
      }
    }
  }
  return y;
}

/** The adjoint of affineRef (fill points contribute nothing). */
export function affineGradRef(dy: ArrayLike<number>, g: Image, ts: readonly Transform[], mode: Mode, bilinear: boolean): Float64Array {
  const { batch, h, w, c } = g;
  const dx = new Float64Array(batch * h * w * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const p = source(ts[b]!, i, j, h, w, mode);
        if (p === null) continue;
        const o = ((b * h + i) * w + j) * c;
        for (const [r, q, wt] of taps(p[0], p[1], bilinear)) {
          if (r >= h || q >= w) continue;
          for (let k = 0; k < c; k++) {
            const at = ((b * h + r) * w + q) * c + k;
            dx[at] = dx[at]! + wt * dy[o + k]!;
          }
        }
      }
    }
  }
  return dx;
}

/** Keras's RandomTranslation matrix for shifts (tx, ty) in pixels. */
export const translationMatrix = (tx: number, ty: number): Transform => [1, 0, -tx, 0, 1, -ty];

/** Keras's _compute_affine_matrix for a rotation by `degrees` about ((w − 1)/2, (h − 1)/2). */
export function rotationMatrix(degrees: number, h: number, w: number): Transform {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = 0.5 * (w - 1);
  const cy = 0.5 * (h - 1);
  return [cos, -sin, cx - cx * cos - cy * -sin, sin, cos, cy - cx * sin - cy * cos];
}

/** Keras's RandomZoom matrix for zooms (zx, zy). */
export const zoomMatrix = (zx: number, zy: number, h: number, w: number): Transform => [zx, 0, ((w - 1) / 2) * (1 - zx), 0, zy, ((h - 1) / 2) * (1 - zy)];

/** numpy.flip on the width (flags & 1) and height (flags & 2) axes, per sample. */
export function flipRef(x: ArrayLike<number>, g: Image, flags: readonly number[]): Float64Array {
  const { batch, h, w, c } = g;
  const y = new Float64Array(batch * h * w * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const si = (flags[b]! & 2) !== 0 ? h - 1 - i : i;
        const sj = (flags[b]! & 1) !== 0 ? w - 1 - j : j;
        for (let k = 0; k < c; k++) y[((b * h + i) * w + j) * c + k] = x[((b * h + si) * w + sj) * c + k]!;
      }
    }
  }
  return y;
}

/** images[b, top:top + ch, left:left + cw, :] per sample. */
export function cropRef(x: ArrayLike<number>, g: Image, offsets: readonly [number, number][], ch: number, cw: number): Float64Array {
  const { batch, h, w, c } = g;
  const y = new Float64Array(batch * ch * cw * c);
  for (let b = 0; b < batch; b++) {
    const [top, left] = offsets[b]!;
    for (let i = 0; i < ch; i++) for (let j = 0; j < cw; j++) for (let k = 0; k < c; k++) y[((b * ch + i) * cw + j) * c + k] = x[((b * h + top + i) * w + left + j) * c + k]!;
  }
  return y;
}

/** Keras's RandomContrast: clip((x − mean)·f + mean, lo, hi), mean over height and width per image and channel. */
export function contrastRef(x: ArrayLike<number>, g: Image, factors: readonly number[], lo: number, hi: number): Float64Array {
  const { batch, h, w, c } = g;
  const hw = h * w;
  const y = new Float64Array(batch * hw * c);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < c; k++) {
      let m = 0;
      for (let p = 0; p < hw; p++) m += x[(b * hw + p) * c + k]!;
      m /= hw;
      for (let p = 0; p < hw; p++) {
        const o = (b * hw + p) * c + k;
        y[o] = Math.min(Math.max((x[o]! - m) * factors[b]! + m, lo), hi);
      }
    }
  }
  return y;
}

/** The gradient of contrastRef with respect to x (clip passing where lo ≤ value ≤ hi). */
export function contrastGradRef(x: ArrayLike<number>, dy: ArrayLike<number>, g: Image, factors: readonly number[], lo: number, hi: number): Float64Array {
  const { batch, h, w, c } = g;
  const hw = h * w;
  const dx = new Float64Array(batch * hw * c);
  for (let b = 0; b < batch; b++) {
    const fb = factors[b]!;
    for (let k = 0; k < c; k++) {
      let m = 0;
      for (let p = 0; p < hw; p++) m += x[(b * hw + p) * c + k]!;
      m /= hw;
      const gs: number[] = [];
      let s = 0;
      for (let p = 0; p < hw; p++) {
        const o = (b * hw + p) * c + k;
        const v = (x[o]! - m) * fb + m;
        const gv = v >= lo && v <= hi ? dy[o]! : 0;
        gs.push(gv);
        s += gv;
      }
      for (let p = 0; p < hw; p++) dx[(b * hw + p) * c + k] = fb * gs[p]! + ((1 - fb) * s) / hw;
    }
  }
  return dx;
}

/** Keras's RandomBrightness: clip(x + d[b], lo, hi). */
export function brightnessRef(x: ArrayLike<number>, size: number, deltas: readonly number[], lo: number, hi: number): Float64Array {
  const y = new Float64Array(deltas.length * size);
  for (let i = 0; i < y.length; i++) y[i] = Math.min(Math.max(x[i]! + deltas[Math.floor(i / size)]!, lo), hi);
  return y;
}

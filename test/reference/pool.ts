// Float64 scalar references for the f32-pool family (assembly/f32-pool/): NHWC max and average
// pooling over TensorFlow's windows, global pooling, zero padding and upsampling, forward and
// backward, written as direct loops from the frameworks' definitions (Keras 3 layers; TensorFlow's
// MaxPoolGrad, AvgPool, reduce_max gradient, ResizeBilinear/ResizeBilinearGrad). A selection
// (max, copy) is exact; a sum returns its value and Σ|terms| per element (its rounding scale).

/** The sizes of a windowed pool, named as the f32-conv geometry block names them. */
export interface PoolGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly cin: number;
  readonly kh: number;
  readonly kw: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

export interface Ref {
  readonly value: Float64Array;
  readonly mag: Float64Array;
}

/**
 * Keras's output size and TensorFlow's leading pad for one axis: 'valid' floor((in − k)/s) + 1, no
 * pad; 'same' ceil(in/s), total pad max((out − 1)·s + k − in, 0) with the smaller half first.
 */
export function poolAxis(size: number, k: number, stride: number, padding: 'valid' | 'same'): { out: number; pad: number } {
  if (padding === 'valid') return { out: Math.floor((size - k) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  return { out, pad: Math.floor(Math.max((out - 1) * stride + k - size, 0) / 2) };
}

export interface PoolArgs {
  batch: number;
  inH: number;
  inW: number;
  cin: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padding: 'valid' | 'same';
}

export function poolGeometry(a: PoolArgs): PoolGeometry {
  const h = poolAxis(a.inH, a.kh, a.strideH, a.padding);
  const w = poolAxis(a.inW, a.kw, a.strideW, a.padding);
  return { batch: a.batch, inH: a.inH, inW: a.inW, cin: a.cin, kh: a.kh, kw: a.kw, strideH: a.strideH, strideW: a.strideW,
    padTop: h.pad, padLeft: w.pad, outH: h.out, outW: w.out };
}

/** Each output pixel with the input pixels of its window that are inside the input, row-major. */
function eachWindow(g: PoolGeometry, fn: (yPix: number, cells: { xPix: number; k: number }[]) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let i = 0; i < g.outH; i++) {
      for (let j = 0; j < g.outW; j++) {
        const cells: { xPix: number; k: number }[] = [];
        for (let dh = 0; dh < g.kh; dh++) {
          const hi = i * g.strideH - g.padTop + dh;
          if (hi < 0 || hi >= g.inH) continue;
          for (let dw = 0; dw < g.kw; dw++) {
            const wi = j * g.strideW - g.padLeft + dw;
            if (wi < 0 || wi >= g.inW) continue;
            cells.push({ xPix: (b * g.inH + hi) * g.inW + wi, k: dh * g.kw + dw });
          }
        }
        fn((b * g.outH + i) * g.outW + j, cells);
      }
    }
  }
}

function ref(n: number): Ref {
  return { value: new Float64Array(n), mag: new Float64Array(n) };
}

/** Adds a term to element i of r, and its size to the scale. */
function add(r: Ref, i: number, term: number, size: number): void {
  r.value[i] = r.value[i]! + term;
  r.mag[i] = r.mag[i]! + size;
}

/**
 * Max pooling: y the first maximum of each window's real cells (a later cell replaces it only if
 * strictly greater, TensorFlow's argmax loop), argmax its position dh·kw + dw, and `from` its input
 * element index.
 */
export function maxPoolRef(g: PoolGeometry, x: ArrayLike<number>): { y: Float32Array; argmax: Int32Array; from: Int32Array } {
  const c = g.cin;
  const n = g.batch * g.outH * g.outW * c;
  const y = new Float32Array(n);
  const argmax = new Int32Array(n);
  const from = new Int32Array(n);
  eachWindow(g, (yPix, cells) => {
    for (let ch = 0; ch < c; ch++) {
      let best = cells[0]!;
      for (const cell of cells) if (x[cell.xPix * c + ch]! > x[best.xPix * c + ch]!) best = cell;
      y[yPix * c + ch] = x[best.xPix * c + ch]!;
      argmax[yPix * c + ch] = best.k;
      from[yPix * c + ch] = best.xPix * c + ch;
    }
  });
  return { y, argmax, from };
}

/** The max pooling gradient: each dy to the first maximum of its window (computed from x), summed. */
export function maxPoolGradRef(g: PoolGeometry, x: ArrayLike<number>, dy: ArrayLike<number>): Ref {
  const { from } = maxPoolRef(g, x);
  const r = ref(g.batch * g.inH * g.inW * g.cin);
  from.forEach((to, i) => {
    add(r, to, dy[i]!, Math.abs(dy[i]!));
  });
  return r;
}

/** Average pooling: the mean of each window's real cells. */
export function avgPoolRef(g: PoolGeometry, x: ArrayLike<number>): Ref {
  const c = g.cin;
  const r = ref(g.batch * g.outH * g.outW * c);
  eachWindow(g, (yPix, cells) => {
    for (let ch = 0; ch < c; ch++) {
      for (const { xPix } of cells) {
        add(r, yPix * c + ch, x[xPix * c + ch]! / cells.length, Math.abs(x[xPix * c + ch]!) / cells.length);
      }
    }
  });
  return r;
}

/** The average pooling gradient: dy/count to every real cell of the window. */
export function avgPoolGradRef(g: PoolGeometry, dy: ArrayLike<number>): Ref {
  const c = g.cin;
  const r = ref(g.batch * g.inH * g.inW * c);
  eachWindow(g, (yPix, cells) => {
    for (let ch = 0; ch < c; ch++) {
      const v = dy[yPix * c + ch]! / cells.length;
      for (const { xPix } of cells) {
        add(r, xPix * c + ch, v, Math.abs(v));
      }
    }
  });
  return r;
}

/** Global average over the hw positions of each sample, per channel. */
export function globalAvgRef(batch: number, hw: number, c: number, x: ArrayLike<number>): Ref {
  const r = ref(batch * c);
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < hw; p++) {
      for (let ch = 0; ch < c; ch++) {
        add(r, b * c + ch, x[(b * hw + p) * c + ch]! / hw, Math.abs(x[(b * hw + p) * c + ch]!) / hw);
      }
    }
  }
  return r;
}

/** dx = dy/hw at every position, rounded to f32 (TensorFlow's Mean gradient divides in f32; exact here). */
export function globalAvgGradRef(batch: number, hw: number, c: number, dy: ArrayLike<number>): Float32Array {
  const out = new Float32Array(batch * hw * c);
  for (let b = 0; b < batch; b++) for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) out[(b * hw + p) * c + ch] = dy[b * c + ch]! / hw;
  return out;
}

/** Global max per channel; NaN if any position is NaN. */
export function globalMaxRef(batch: number, hw: number, c: number, x: ArrayLike<number>): Float32Array {
  const out = new Float32Array(batch * c);
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      let m = -Infinity;
      for (let p = 0; p < hw; p++) {
        const v = x[(b * hw + p) * c + ch]!;
        m = Number.isNaN(v) || Number.isNaN(m) ? NaN : Math.max(m, v);
      }
      out[b * c + ch] = m;
    }
  }
  return out;
}

/**
 * TensorFlow's reduce_max gradient (Keras's GlobalMaxPooling): (1/count)·dy at the count positions
 * equal to the maximum, each product rounded to f32 as TensorFlow computes it; 0 elsewhere.
 */
export function globalMaxGradRef(batch: number, hw: number, c: number, x: ArrayLike<number>, dy: ArrayLike<number>): Float32Array {
  const y = globalMaxRef(batch, hw, c, x);
  const out = new Float32Array(batch * hw * c);
  for (let b = 0; b < batch; b++) {
    for (let ch = 0; ch < c; ch++) {
      const m = y[b * c + ch]!;
      let count = 0;
      for (let p = 0; p < hw; p++) if (x[(b * hw + p) * c + ch] === m) count++;
      const v = Math.fround(Math.fround(1 / count) * dy[b * c + ch]!);
      for (let p = 0; p < hw; p++) if (x[(b * hw + p) * c + ch] === m) out[(b * hw + p) * c + ch] = v;
    }
  }
  return out;
}

/** Zero padding of [batch, h, w, c] by top/bottom rows and left/right columns. */
export function zeroPadRef(batch: number, h: number, w: number, c: number, pads: readonly [number, number, number, number],
  x: ArrayLike<number>): Float32Array {
  const [top, bottom, left, right] = pads;
  const ph = h + top + bottom;
  const pw = w + left + right;
  const out = new Float32Array(batch * ph * pw * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let ch = 0; ch < c; ch++) out[((b * ph + i + top) * pw + j + left) * c + ch] = x[((b * h + i) * w + j) * c + ch]!;
      }
    }
  }
  return out;
}

/** The crop that undoes zeroPadRef (its gradient). */
export function cropRef(batch: number, h: number, w: number, c: number, pads: readonly [number, number, number, number],
  dy: ArrayLike<number>): Float32Array {
  const [top, bottom, left, right] = pads;
  const ph = h + top + bottom;
  const pw = w + left + right;
  const out = new Float32Array(batch * h * w * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        for (let ch = 0; ch < c; ch++) out[((b * h + i) * w + j) * c + ch] = dy[((b * ph + i + top) * pw + j + left) * c + ch]!;
      }
    }
  }
  return out;
}

/** Nearest upsampling: y[b, i, j] = x[b, floor(i/sh), floor(j/sw)]. */
export function upNearestRef(batch: number, h: number, w: number, c: number, sh: number, sw: number, x: ArrayLike<number>): Float32Array {
  const oh = h * sh;
  const ow = w * sw;
  const out = new Float32Array(batch * oh * ow * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const src = ((b * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c;
        for (let ch = 0; ch < c; ch++) out[((b * oh + i) * ow + j) * c + ch] = x[src + ch]!;
      }
    }
  }
  return out;
}

/** Its gradient: the sum of each sh × sw block. */
export function upNearestGradRef(batch: number, h: number, w: number, c: number, sh: number, sw: number, dy: ArrayLike<number>): Ref {
  const oh = h * sh;
  const ow = w * sw;
  const r = ref(batch * h * w * c);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const to = ((b * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = dy[((b * oh + i) * ow + j) * c + ch]!;
          add(r, to + ch, v, Math.abs(v));
        }
      }
    }
  }
  return r;
}

/**
 * TensorFlow's bilinear source coordinate of output index i, in its f32 arithmetic (scale
 * in/out in f32; half-pixel: (i + 0.5)·scale − 0.5, else i·scale): the two source indices and the
 * weight of the second.
 */
export function bilinearSource(i: number, size: number, out: number, halfPixel: boolean): { lo: number; hi: number; lerp: number } {
  const f = Math.fround;
  const scale = f(size / out);
  const src = halfPixel ? f(f(f(i + 0.5) * scale) - 0.5) : f(i * scale);
  const floor = Math.floor(src);
  return { lo: Math.max(floor, 0), hi: Math.min(Math.ceil(src), size - 1), lerp: f(src - floor) };
}

/**
 * Bilinear upsampling by sh × sw: Σ of the four source cells times their weights, in float64; the
 * scale is Σ|cell| unweighted, as the kernel's lerps subtract cells before weighting them.
 */
export function upBilinearRef(batch: number, h: number, w: number, c: number, sh: number, sw: number, halfPixel: boolean,
  x: ArrayLike<number>): Ref {
  const oh = h * sh;
  const ow = w * sw;
  const r = ref(batch * oh * ow * c);
  eachBilinear(batch, h, w, c, sh, sw, halfPixel, (yAt, xAt, weight) => {
    for (let ch = 0; ch < c; ch++) {
      add(r, yAt + ch, x[xAt + ch]! * weight, Math.abs(x[xAt + ch]!));
    }
  });
  return r;
}

/** Its gradient: each dy times the four weights into the four source cells. */
export function upBilinearGradRef(batch: number, h: number, w: number, c: number, sh: number, sw: number, halfPixel: boolean,
  dy: ArrayLike<number>): Ref {
  const r = ref(batch * h * w * c);
  eachBilinear(batch, h, w, c, sh, sw, halfPixel, (yAt, xAt, weight) => {
    for (let ch = 0; ch < c; ch++) {
      const t = dy[yAt + ch]! * weight;
      add(r, xAt + ch, t, Math.abs(t));
    }
  });
  return r;
}

/** Every (output pixel, source pixel, weight) of bilinear upsampling, as element offsets of channel 0. */
function eachBilinear(batch: number, h: number, w: number, c: number, sh: number, sw: number, halfPixel: boolean,
  fn: (yAt: number, xAt: number, weight: number) => void): void {
  const oh = h * sh;
  const ow = w * sw;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      const sy = bilinearSource(i, h, oh, halfPixel);
      for (let j = 0; j < ow; j++) {
        const sx = bilinearSource(j, w, ow, halfPixel);
        const yAt = ((b * oh + i) * ow + j) * c;
        const at = (r: number, col: number): number => ((b * h + r) * w + col) * c;
        fn(yAt, at(sy.lo, sx.lo), (1 - sy.lerp) * (1 - sx.lerp));
        fn(yAt, at(sy.lo, sx.hi), (1 - sy.lerp) * sx.lerp);
        fn(yAt, at(sy.hi, sx.lo), sy.lerp * (1 - sx.lerp));
        fn(yAt, at(sy.hi, sx.hi), sy.lerp * sx.lerp);
      }
    }
  }
}

// Float64 scalar references for the f32-conv family (assembly/f32-conv/) as used through
// src/backend/conv.ts: direct convolution loops over NHWC tensors (no patch matrix), TensorFlow's
// explicit pads (input pixel of output oh and tap i: oh·strideH − padTop + i·dilH; outside the
// input reads 0). Each returns the result and Σ|terms| per element (the scale of its rounding).

/** The sizes a reference needs (a subset of ConvGeometry, so a geometry can be passed as is). */
export interface RefGeometry {
  readonly batch: number;
  readonly inH: number;
  readonly inW: number;
  readonly cin: number;
  readonly kh: number;
  readonly kw: number;
  readonly cout: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilH: number;
  readonly dilW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outH: number;
  readonly outW: number;
}

export interface Ref {
  readonly value: Float64Array;
  readonly mag: Float64Array;
}

/** Visit every (output pixel, tap, input pixel) pair of the convolution with an input inside x. */
function eachTap(g: RefGeometry, fn: (yPix: number, tap: number, xPix: number) => void): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const yPix = (b * g.outH + oh) * g.outW + ow;
        for (let i = 0; i < g.kh; i++) {
          const ih = oh * g.strideH - g.padTop + i * g.dilH;
          if (ih < 0 || ih >= g.inH) continue;
          for (let j = 0; j < g.kw; j++) {
            const iw = ow * g.strideW - g.padLeft + j * g.dilW;
            if (iw < 0 || iw >= g.inW) continue;
            fn(yPix, i * g.kw + j, (b * g.inH + ih) * g.inW + iw);
          }
        }
      }
    }
  }
}

function ref(n: number): { value: Float64Array; mag: Float64Array } {
  return { value: new Float64Array(n), mag: new Float64Array(n) };
}

/** y = clamp(conv(x, w) + bias): x [batch, inH, inW, cin], w [kh, kw, cin, cout], y [batch, outH, outW, cout]. */
export function conv2dRef(g: RefGeometry, x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null,
  min = -Infinity, max = Infinity): Ref {
  const { cin, cout } = g;
  const r = ref(g.batch * g.outH * g.outW * cout);
  eachTap(g, (yPix, tap, xPix) => {
    for (let c = 0; c < cin; c++) {
      const xv = x[xPix * cin + c]!;
      for (let o = 0; o < cout; o++) {
        const t = xv * w[(tap * cin + c) * cout + o]!;
        term(r, yPix * cout + o, t);
      }
    }
  });
  finish(r, cout, bias, min, max);
  return r;
}

/** dx of conv2dRef (no clamp) for dy [batch, outH, outW, cout]. */
export function conv2dInputGradRef(g: RefGeometry, dy: ArrayLike<number>, w: ArrayLike<number>): Ref {
  const { cin, cout } = g;
  const r = ref(g.batch * g.inH * g.inW * cin);
  eachTap(g, (yPix, tap, xPix) => {
    for (let c = 0; c < cin; c++) {
      for (let o = 0; o < cout; o++) {
        const t = dy[yPix * cout + o]! * w[(tap * cin + c) * cout + o]!;
        term(r, xPix * cin + c, t);
      }
    }
  });
  return r;
}

/** dw = beta·dw0 + Σ x·dy, the filter gradient of conv2dRef, [kh, kw, cin, cout]. */
export function conv2dFilterGradRef(g: RefGeometry, x: ArrayLike<number>, dy: ArrayLike<number>, dw0: ArrayLike<number> | null = null): Ref {
  const { cin, cout } = g;
  const r = ref(g.kh * g.kw * cin * cout);
  if (dw0 !== null) addInitial(r, dw0);
  eachTap(g, (yPix, tap, xPix) => {
    for (let c = 0; c < cin; c++) {
      for (let o = 0; o < cout; o++) {
        const t = x[xPix * cin + c]! * dy[yPix * cout + o]!;
        term(r, (tap * cin + c) * cout + o, t);
      }
    }
  });
  return r;
}

/** Depthwise: output channel c·m + j = clamp(conv of input channel c with w[:, :, c, j] + bias); w [kh, kw, cin, m], m = cout / cin. */
export function depthwiseRef(g: RefGeometry, x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null,
  min = -Infinity, max = Infinity): Ref {
  const { cin, cout } = g;
  const m = cout / cin;
  const r = ref(g.batch * g.outH * g.outW * cout);
  eachTap(g, (yPix, tap, xPix) => {
    for (let o = 0; o < cout; o++) {
      const t = x[xPix * cin + Math.floor(o / m)]! * w[tap * cout + o]!;
      term(r, yPix * cout + o, t);
    }
  });
  finish(r, cout, bias, min, max);
  return r;
}

/** dx of depthwiseRef (no clamp). */
export function depthwiseInputGradRef(g: RefGeometry, dy: ArrayLike<number>, w: ArrayLike<number>): Ref {
  const { cin, cout } = g;
  const m = cout / cin;
  const r = ref(g.batch * g.inH * g.inW * cin);
  eachTap(g, (yPix, tap, xPix) => {
    for (let o = 0; o < cout; o++) {
      const t = dy[yPix * cout + o]! * w[tap * cout + o]!;
      term(r, xPix * cin + Math.floor(o / m), t);
    }
  });
  return r;
}

/** dw = beta·dw0 + Σ x·dy, the filter gradient of depthwiseRef, [kh, kw, cin, m]. */
export function depthwiseFilterGradRef(g: RefGeometry, x: ArrayLike<number>, dy: ArrayLike<number>, dw0: ArrayLike<number> | null = null): Ref {
  const { cin, cout } = g;
  const m = cout / cin;
  const r = ref(g.kh * g.kw * cout);
  if (dw0 !== null) addInitial(r, dw0);
  eachTap(g, (yPix, tap, xPix) => {
    for (let o = 0; o < cout; o++) {
      const t = x[xPix * cin + Math.floor(o / m)]! * dy[yPix * cout + o]!;
      term(r, tap * cout + o, t);
    }
  });
  return r;
}

/** Add term t to element i of r (value and Σ|terms|). */
function term(r: Ref, i: number, t: number): void {
  r.value[i] = r.value[i]! + t;
  r.mag[i] = r.mag[i]! + Math.abs(t);
}

function addInitial(r: Ref, v0: ArrayLike<number>): void {
  for (let i = 0; i < r.value.length; i++) {
    r.value[i] = v0[i]!;
    r.mag[i] = Math.abs(v0[i]!);
  }
}

function finish(r: Ref, cout: number, bias: ArrayLike<number> | null, min: number, max: number): void {
  for (let i = 0; i < r.value.length; i++) {
    let v = r.value[i]!;
    if (bias !== null) {
      v += bias[i % cout]!;
      r.mag[i] = r.mag[i]! + Math.abs(bias[i % cout]!);
    }
    r.value[i] = Math.min(Math.max(v, min), max);
  }
}

// The geometry block every f32-conv kernel reads: 16 i32 at `geom` (64 bytes), written by the host
// (src/backend/conv.ts) before the calls of one convolution. A block rather than arguments because
// a convolution has 15 sizes and the thread pool passes at most 14 arguments; the pool hands the
// same block to every range (the kernel table marks `geom` shared).
//
// Layout (element index: meaning): 0 inH, 1 inW, 2 cin, 3 kh, 4 kw, 5 strideH, 6 strideW,
// 7 dilH, 8 dilW, 9 padTop, 10 padLeft, 11 outH, 12 outW, 13 cout (depthwise: cin·multiplier),
// 14 batch, 15 unused. Pads are TensorFlow's explicit top/left pads: input row ih of output row oh
// and kernel row i is oh·strideH − padTop + i·dilH; rows outside [0, inH) read as zeros.

export const IN_H = 0;
export const IN_W = 1;
export const CIN = 2;
export const KH = 3;
export const KW = 4;
export const STRIDE_H = 5;
export const STRIDE_W = 6;
export const DIL_H = 7;
export const DIL_W = 8;
export const PAD_TOP = 9;
export const PAD_LEFT = 10;
export const OUT_H = 11;
export const OUT_W = 12;
export const COUT = 13;
export const BATCH = 14;

/** Field `i` of the geometry block at `geom`. */
// @ts-ignore: decorator
@inline export function field(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

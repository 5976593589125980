// f32 GEMM with a fused epilogue: C = β·C + op(A)·op(B) + bias, then clamped to [min, max].
//
// GotoBLAS-style blocking (loops jc → pc → ic → jr → ir): B is packed into NR-column
// panels of KC rows, A into MR-row panels of KC columns; the packing absorbs the
// transposes, so NN, TN and NT share one 4×8 microkernel. Problems with fewer than
// MR rows take a direct path that reads B in place (single-sample inference).
//
// Summation order is fixed by the shape alone: for each element of C, each KC block of k
// is summed from zero in increasing k, added to C, and the bias and clamp follow the last
// block. The direct and packed paths follow the same order, so their results are
// bit-identical, and splitting the rows of C between threads changes nothing.
//
// Sizes and strides are elements; pointers are byte addresses. C may not alias A or B.
// `beta` is 0 (C is overwritten) or 1 (C accumulates). `bias` = 0 means no bias.
// `ws` is a workspace of f32_gemm_workspace_bytes(m, n, k) bytes, 16-byte aligned.

import { vfma, sfma } from '../shared/simd';

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 2048;
/** The 6×8 tile's row block: a multiple of 6 no larger than MC. */
const MC6: i32 = 120;
/** Room for the largest edge tile (6×8). */
const EDGE_BYTES: i32 = 6 * NR * 4;

/** Rows of the packed A block: enough for both tiles (a multiple of 4 and of 6, at most MC). */
// @ts-ignore: decorator
@inline function packedRows(m: i32): i32 {
  return min(MC, ((max(m, 1) + 11) / 12) * 12);
}

/** Bytes of workspace a GEMM of this shape needs (edge tile + packed A block + packed B block). */
export function f32_gemm_workspace_bytes(m: i32, n: i32, k: i32): i32 {
  const kc = min(KC, max(k, 1));
  const nc = min(NC, (max(n, 1) + NR - 1) & ~(NR - 1));
  return EDGE_BYTES + packedRows(m) * kc * 4 + kc * nc * 4;
}

/** C[m×n] = β·C + A[m×k]·B[k×n] + bias, clamped. A and B row-major. */
export function f32_gemm_nn_minmax(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  if (m < MR && k > 0) {
    gemmDirectNN(m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax);
  } else {
    gemmPacked(false, false, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws);
  }
}

/** C[m×n] = β·C + Aᵀ·B + bias, clamped; A is stored k×m (lda ≥ m), B is k×n. */
export function f32_gemm_tn_minmax(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  gemmPacked(true, false, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws);
}

/** C[m×n] = β·C + A·Bᵀ + bias, clamped; A is m×k, B is stored n×k (ldb ≥ k). */
export function f32_gemm_nt_minmax(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  gemmPacked(false, true, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws);
}

/**
 * The same three GEMMs with a 6×8 register tile (12 accumulators). Each element of C is summed in
 * the same order as with the 4×8 tile, so the results are bit-identical: the host may pick the
 * faster tile for its engine at start-up (V8 versions allocate registers differently).
 */
export function f32_gemm_nn_minmax_6x8(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  if (m < MR && k > 0) {
    gemmDirectNN(m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax);
  } else {
    gemmPacked(false, false, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws, true);
  }
}

export function f32_gemm_tn_minmax_6x8(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  gemmPacked(true, false, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws, true);
}

export function f32_gemm_nt_minmax_6x8(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize,
): void {
  gemmPacked(false, true, m, n, k, a, lda, b, ldb, bias, beta, c, ldc, vmin, vmax, ws, true);
}

// @ts-ignore: decorator
@inline function gemmPacked(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32,
  bias: usize, beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32, ws: usize, tile6: bool = false,
): void {
  const tileRows: i32 = tile6 ? 6 : MR;
  const blockRows: i32 = tile6 ? MC6 : MC;
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    epilogueOnly(m, n, bias, beta, c, ldc, vmin, vmax);
    return;
  }
  const edge = ws;
  const pa = ws + <usize>EDGE_BYTES;
  const pb = pa + <usize>(packedRows(m) * min(KC, k) * 4);
  const lo = f32x4.splat(vmin);
  const hi = f32x4.splat(vmax);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0 || beta != 0;
      const last = pc + kc >= k;
      if (transB) packBT(kc, nc, b, ldb, pc, jc, pb);
      else packBN(kc, nc, b, ldb, pc, jc, pb);
      for (let ic = 0; ic < m; ic += blockRows) {
        const mc = min(blockRows, m - ic);
        if (tile6) {
          packA6(transA, mc, kc, a, lda, ic, pc, pa);
        } else if (transA) {
          packAT(mc, kc, a, lda, ic, pc, pa);
        } else {
          packAN(mc, kc, a, lda, ic, pc, pa);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = pb + <usize>(jr * kc * 4);
          const biasp = last && bias != 0 ? bias + <usize>((jc + jr) * 4) : 0;
          for (let ir = 0; ir < mc; ir += tileRows) {
            const mr = min(tileRows, mc - ir);
            const cp = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (tile6) ukernel6x8(kc, pa + <usize>(ir * kc * 4), bp, cp, ldc, mr, nr, accumulate, last, biasp, lo, hi, edge);
            else ukernel4x8(kc, pa + <usize>(ir * kc * 4), bp, cp, ldc, mr, nr, accumulate, last, biasp, lo, hi, edge);
          }
        }
      }
    }
  }
}

/** The 4×8 register tile: 8 accumulators, one A broadcast and two B vectors a step. */
// @ts-ignore: decorator
@inline function ukernel4x8(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32,
  accumulate: bool, last: bool, bias: usize, lo: v128, hi: v128, edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    c00 = vfma(a0, b0, c00);
    c01 = vfma(a0, b1, c01);
    const a1 = v128.load32_splat(ap, 4);
    c10 = vfma(a1, b0, c10);
    c11 = vfma(a1, b1, c11);
    const a2 = v128.load32_splat(ap, 8);
    c20 = vfma(a2, b0, c20);
    c21 = vfma(a2, b1, c21);
    const a3 = v128.load32_splat(ap, 12);
    c30 = vfma(a3, b0, c30);
    c31 = vfma(a3, b1, c31);
    ap += 16;
    bp += 32;
  }
  if (mr == MR && nr == NR) {
    const rs = <usize>ldc << 2;
    let b0 = f32x4.splat(0);
    let b1 = b0;
    if (bias != 0) {
      b0 = v128.load(bias);
      b1 = v128.load(bias, 16);
    }
    storeRow(c, c00, c01, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + rs, c10, c11, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 2 * rs, c20, c21, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 3 * rs, c30, c31, accumulate, last, bias != 0, b0, b1, lo, hi);
  } else {
    v128.store(edge, c00);
    v128.store(edge, c01, 16);
    v128.store(edge, c10, 32);
    v128.store(edge, c11, 48);
    v128.store(edge, c20, 64);
    v128.store(edge, c21, 80);
    v128.store(edge, c30, 96);
    v128.store(edge, c31, 112);
    storeEdge(edge, c, ldc, mr, nr, accumulate, last, bias, lo, hi);
  }
}

/** The 6×8 register tile: 12 accumulators, one A broadcast and two B vectors a step. */
// @ts-ignore: decorator
@inline function ukernel6x8(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32,
  accumulate: bool, last: bool, bias: usize, lo: v128, hi: v128, edge: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  let c40 = c00;
  let c41 = c00;
  let c50 = c00;
  let c51 = c00;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    c00 = vfma(a0, b0, c00);
    c01 = vfma(a0, b1, c01);
    const a1 = v128.load32_splat(ap, 4);
    c10 = vfma(a1, b0, c10);
    c11 = vfma(a1, b1, c11);
    const a2 = v128.load32_splat(ap, 8);
    c20 = vfma(a2, b0, c20);
    c21 = vfma(a2, b1, c21);
    const a3 = v128.load32_splat(ap, 12);
    c30 = vfma(a3, b0, c30);
    c31 = vfma(a3, b1, c31);
    const a4 = v128.load32_splat(ap, 16);
    c40 = vfma(a4, b0, c40);
    c41 = vfma(a4, b1, c41);
    const a5 = v128.load32_splat(ap, 20);
    c50 = vfma(a5, b0, c50);
    c51 = vfma(a5, b1, c51);
    ap += 24;
    bp += 32;
  }
  if (mr == 6 && nr == NR) {
    const rs = <usize>ldc << 2;
    let b0 = f32x4.splat(0);
    let b1 = b0;
    if (bias != 0) {
      b0 = v128.load(bias);
      b1 = v128.load(bias, 16);
    }
    storeRow(c, c00, c01, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + rs, c10, c11, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 2 * rs, c20, c21, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 3 * rs, c30, c31, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 4 * rs, c40, c41, accumulate, last, bias != 0, b0, b1, lo, hi);
    storeRow(c + 5 * rs, c50, c51, accumulate, last, bias != 0, b0, b1, lo, hi);
  } else {
    v128.store(edge, c00);
    v128.store(edge, c01, 16);
    v128.store(edge, c10, 32);
    v128.store(edge, c11, 48);
    v128.store(edge, c20, 64);
    v128.store(edge, c21, 80);
    v128.store(edge, c30, 96);
    v128.store(edge, c31, 112);
    v128.store(edge, c40, 128);
    v128.store(edge, c41, 144);
    v128.store(edge, c50, 160);
    v128.store(edge, c51, 176);
    storeEdge(edge, c, ldc, mr, nr, accumulate, last, bias, lo, hi);
  }
}

/** Pack a block of A into 6-row panels, from row-major A or (transA) A stored k×m. */
function packA6(transA: bool, mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += 6) {
    const mr = min(6, mc - ir);
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < 6; r++) {
        let v: f32 = 0;
        if (r < mr) {
          const i = ic + ir + r;
          const q = pc + p;
          v = transA ? load<f32>(a + ((<usize>q * <usize>lda + <usize>i) << 2)) : load<f32>(a + ((<usize>i * <usize>lda + <usize>q) << 2));
        }
        store<f32>(dst + (<usize>r << 2), v);
      }
      dst += 24;
    }
  }
}

/** Store a partial tile (rows < mr, columns < nr) from the edge scratch, with the same epilogue. */
function storeEdge(edge: usize, c: usize, ldc: i32, mr: i32, nr: i32, accumulate: bool, last: bool, bias: usize, lo: v128, hi: v128): void {
  const l = f32x4.extract_lane(lo, 0);
  const h = f32x4.extract_lane(hi, 0);
  for (let r = 0; r < mr; r++) {
    const crow = c + ((<usize>r * <usize>ldc) << 2);
    const erow = edge + <usize>(r * NR * 4);
    for (let j = 0; j < nr; j++) {
      let v = load<f32>(erow + (<usize>j << 2));
      if (accumulate) v = load<f32>(crow + (<usize>j << 2)) + v;
      if (last) {
        if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
        v = min<f32>(max<f32>(v, l), h);
      }
      store<f32>(crow + (<usize>j << 2), v);
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(
  p: usize, v0: v128, v1: v128, accumulate: bool, last: bool, hasBias: bool,
  b0: v128, b1: v128, lo: v128, hi: v128,
): void {
  if (accumulate) {
    v0 = f32x4.add(v128.load(p), v0);
    v1 = f32x4.add(v128.load(p, 16), v1);
  }
  if (last) {
    if (hasBias) {
      v0 = f32x4.add(v0, b0);
      v1 = f32x4.add(v1, b1);
    }
    v0 = f32x4.min(f32x4.max(v0, lo), hi);
    v1 = f32x4.min(f32x4.max(v1, lo), hi);
  }
  v128.store(p, v0);
  v128.store(p, v1, 16);
}

/** C = β·C + bias, clamped: what a GEMM with k = 0 leaves. */
function epilogueOnly(m: i32, n: i32, bias: usize, beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32): void {
  for (let i = 0; i < m; i++) {
    const crow = c + ((<usize>i * <usize>ldc) << 2);
    for (let j = 0; j < n; j++) {
      let v: f32 = beta != 0 ? load<f32>(crow + (<usize>j << 2)) : 0;
      if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
      store<f32>(crow + (<usize>j << 2), min<f32>(max<f32>(v, vmin), vmax));
    }
  }
}

/** Pack rows ic.. of A (row-major) into MR-row panels: dst[panel][p][r] = A[ic+r][pc+p]. */
function packAN(mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): void {
  const rs = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const src = a + ((<usize>(ic + ir) * <usize>lda + <usize>pc) << 2);
    let p = 0;
    if (mr == MR) {
      for (; p + 4 <= kc; p += 4) {
        const off = <usize>p << 2;
        const r0 = v128.load(src + off);
        const r1 = v128.load(src + rs + off);
        const r2 = v128.load(src + 2 * rs + off);
        const r3 = v128.load(src + 3 * rs + off);
        const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
        const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
        const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
        const hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
        v128.store(dst, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
        v128.store(dst, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 16);
        v128.store(dst, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 32);
        v128.store(dst, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 48);
        dst += 64;
      }
    }
    for (; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < mr ? load<f32>(src + <usize>r * rs + (<usize>p << 2)) : 0;
        store<f32>(dst + (<usize>r << 2), v);
      }
      dst += 16;
    }
  }
}

/** Pack A stored transposed (k×m): dst[panel][p][r] = At[pc+p][ic+r]. */
function packAT(mc: i32, kc: i32, a: usize, lda: i32, ic: i32, pc: i32, dst: usize): void {
  const rs = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let src = a + ((<usize>pc * <usize>lda + <usize>(ic + ir)) << 2);
    if (mr == MR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += rs;
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const v: f32 = r < mr ? load<f32>(src + (<usize>r << 2)) : 0;
          store<f32>(dst + (<usize>r << 2), v);
        }
        src += rs;
        dst += 16;
      }
    }
  }
}

/** Pack B (row-major k×n) into NR-column panels: dst[panel][p][j] = B[pc+p][jc+j]. */
function packBN(kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): void {
  const rs = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let src = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2);
    if (nr == NR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rs;
        dst += 32;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          const v: f32 = j < nr ? load<f32>(src + (<usize>j << 2)) : 0;
          store<f32>(dst + (<usize>j << 2), v);
        }
        src += rs;
        dst += 32;
      }
    }
  }
}

/** Pack B stored transposed (n×k): dst[panel][p][j] = Bt[jc+j][pc+p]. */
function packBT(kc: i32, nc: i32, b: usize, ldb: i32, pc: i32, jc: i32, dst: usize): void {
  const rs = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const src = b + ((<usize>(jc + jr) * <usize>ldb + <usize>pc) << 2);
    let p = 0;
    if (nr == NR) {
      for (; p + 4 <= kc; p += 4) {
        const off = <usize>p << 2;
        for (let half = 0; half < 2; half++) {
          const s = src + <usize>(half * 4) * rs + off;
          const r0 = v128.load(s);
          const r1 = v128.load(s + rs);
          const r2 = v128.load(s + 2 * rs);
          const r3 = v128.load(s + 3 * rs);
          const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const d = dst + <usize>(half * 16);
          v128.store(d, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
          v128.store(d, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 32);
          v128.store(d, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 64);
          v128.store(d, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 96);
        }
        dst += 128;
      }
    }
    for (; p < kc; p++) {
      for (let j = 0; j < NR; j++) {
        const v: f32 = j < nr ? load<f32>(src + <usize>j * rs + (<usize>p << 2)) : 0;
        store<f32>(dst + (<usize>j << 2), v);
      }
      dst += 32;
    }
  }
}

/**
 * Direct NN path for m < MR: B is read in place, 16 columns at a time, with the same
 * per-element summation order as the packed path.
 */
function gemmDirectNN(
  m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32, bias: usize,
  beta: i32, c: usize, ldc: i32, vmin: f32, vmax: f32,
): void {
  const lo = f32x4.splat(vmin);
  const hi = f32x4.splat(vmax);
  const rsb = <usize>ldb << 2;
  for (let i = 0; i < m; i++) {
    const arow = a + ((<usize>i * <usize>lda) << 2);
    const crow = c + ((<usize>i * <usize>ldc) << 2);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0 || beta != 0;
      const last = pc + kc >= k;
      const hasBias = last && bias != 0;
      const ap = arow + (<usize>pc << 2);
      const bblock = b + <usize>pc * rsb;
      let j = 0;
      for (; j + 16 <= n; j += 16) {
        let s0 = f32x4.splat(0);
        let s1 = s0;
        let s2 = s0;
        let s3 = s0;
        let bp = bblock + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          const av = v128.load32_splat(ap + (<usize>p << 2));
          s0 = vfma(av, v128.load(bp), s0);
          s1 = vfma(av, v128.load(bp, 16), s1);
          s2 = vfma(av, v128.load(bp, 32), s2);
          s3 = vfma(av, v128.load(bp, 48), s3);
          bp += rsb;
        }
        const cp = crow + (<usize>j << 2);
        const bi = bias + (<usize>j << 2);
        storeVec(cp, s0, accumulate, last, hasBias, bi, lo, hi);
        storeVec(cp + 16, s1, accumulate, last, hasBias, bi + 16, lo, hi);
        storeVec(cp + 32, s2, accumulate, last, hasBias, bi + 32, lo, hi);
        storeVec(cp + 48, s3, accumulate, last, hasBias, bi + 48, lo, hi);
      }
      for (; j + 4 <= n; j += 4) {
        let s0 = f32x4.splat(0);
        let bp = bblock + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          s0 = vfma(v128.load32_splat(ap + (<usize>p << 2)), v128.load(bp), s0);
          bp += rsb;
        }
        storeVec(crow + (<usize>j << 2), s0, accumulate, last, hasBias, bias + (<usize>j << 2), lo, hi);
      }
      for (; j < n; j++) {
        let s: f32 = 0;
        let bp = bblock + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          s = sfma(load<f32>(ap + (<usize>p << 2)), load<f32>(bp), s);
          bp += rsb;
        }
        const cp = crow + (<usize>j << 2);
        if (accumulate) s = load<f32>(cp) + s;
        if (last) {
          if (hasBias) s += load<f32>(bias + (<usize>j << 2));
          s = min<f32>(max<f32>(s, vmin), vmax);
        }
        store<f32>(cp, s);
      }
    }
  }
}

// @ts-ignore: decorator
@inline function storeVec(
  p: usize, v: v128, accumulate: bool, last: bool, hasBias: bool, bias: usize, lo: v128, hi: v128,
): void {
  if (accumulate) v = f32x4.add(v128.load(p), v);
  if (last) {
    if (hasBias) v = f32x4.add(v, v128.load(bias));
    v = f32x4.min(f32x4.max(v, lo), hi);
  }
  v128.store(p, v);
}

// Inverted dropout (Keras 3 keras/src/layers/regularization/dropout.py: kept units are scaled
// by 1/(1 − rate)) driven by a counter-based generator, Philox4x32-10 (Salmon, Moraes, Dror,
// Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11; the Random123 reference).
//
// Element i takes word i % 4 of the Philox4x32-10 block with key (key0, key1) and counter
// (i >> 2, counter, 0, 0); its uniform is u_i = (word >>> 8)·2^-24 ∈ [0, 1), 24 random bits,
// exact in f32. The mask is 1/(1 − rate) (computed in f32) where u_i ≥ rate, else 0.
// Every u_i depends on (key0, key1, counter, i) only, never on n, the build or the order.
// `first` (a multiple of 4) is the index of element 0 of this call, so a range of a larger
// tensor (one thread's share) draws exactly the uniforms the whole call would.
//
// SIMD: each lane runs one Philox block, so one step yields 4 blocks = 16 elements; the
// 32×32→64 products come from i64x2.extmul_{low,high}_i32x4_u and the 4×4 word/block tile is
// transposed with shuffles. A partial last group is computed whole and stored lane by lane.

const M0: i32 = 0xD2511F53;    // Philox4x32 multipliers
const M1: i32 = 0xCD9E8D57;
const W0: i32 = 0x9E3779B9;    // Weyl key increments (golden ratio, √3 − 1)
const W1: i32 = 0xBB67AE85;
const ROUNDS: i32 = 10;
const TWO_M24: f32 = 5.9604644775390625e-8;   // 2^-24

const UNIFORM: i32 = 0;
const MASK: i32 = 1;
const DROPOUT: i32 = 2;

/** u_i = (word >>> 8)·2^-24 for the four lanes of `bits`. */
// @ts-ignore: decorator
@inline function toUniform(bits: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(bits, 8)), f32x4.splat(TWO_M24));
}

/** Writes the 4 elements at byte offset p from their random words. */
// @ts-ignore: decorator
@inline function emit4(mode: i32, bits: v128, p: usize, x: usize, y: usize, mask: usize, vrate: v128, vscale: v128): void {
  const u = toUniform(bits);
  if (mode == UNIFORM) {
    v128.store(y + p, u);
  } else {
    const mv = v128.and(f32x4.ge(u, vrate), vscale);
    v128.store(mask + p, mv);
    if (mode == DROPOUT) v128.store(y + p, f32x4.mul(v128.load(x + p), mv));
  }
}

/** Writes one element from a lane already extracted. */
// @ts-ignore: decorator
@inline function emit1(mode: i32, u: f32, mv: f32, p: usize, x: usize, y: usize, mask: usize): void {
  if (mode == UNIFORM) {
    store<f32>(y + p, u);
  } else {
    store<f32>(mask + p, mv);
    if (mode == DROPOUT) store<f32>(y + p, load<f32>(x + p) * mv);
  }
}

/** Writes the first `count` (1..3) elements of a vector of random words, lane by lane. */
// @ts-ignore: decorator
@inline function emitPartial(mode: i32, bits: v128, count: i32, p: usize, x: usize, y: usize, mask: usize, vrate: v128, vscale: v128): void {
  const u = toUniform(bits);
  const mv = v128.and(f32x4.ge(u, vrate), vscale);
  emit1(mode, f32x4.extract_lane(u, 0), f32x4.extract_lane(mv, 0), p, x, y, mask);
  if (count > 1) emit1(mode, f32x4.extract_lane(u, 1), f32x4.extract_lane(mv, 1), p + 4, x, y, mask);
  if (count > 2) emit1(mode, f32x4.extract_lane(u, 2), f32x4.extract_lane(mv, 2), p + 8, x, y, mask);
}

/** The shared loop: Philox4x32-10 on 4 blocks a step, then `mode` decides what is stored. */
// @ts-ignore: decorator
@inline function philoxLoop(
  mode: i32, n: i32, x: usize, y: usize, mask: usize, rate: f32, key0: i32, key1: i32, counter: i32, first: i32,
): void {
  const scale: f32 = <f32>1 / (<f32>1 - rate);
  const vrate = f32x4.splat(rate);
  const vscale = f32x4.splat(scale);
  const vm0 = i32x4.splat(M0);
  const vm1 = i32x4.splat(M1);
  const vw0 = i32x4.splat(W0);
  const vw1 = i32x4.splat(W1);
  const vkey0 = i32x4.splat(key0);
  const vkey1 = i32x4.splat(key1);
  const vctr1 = i32x4.splat(counter);
  const zero = i32x4.splat(0);
  const lanes = i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(first >>> 2));
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 64) {
    // Lane l holds block (o >> 4) + l: counter words (block, counter, 0, 0).
    let x0 = i32x4.add(i32x4.splat(<i32>(o >> 4)), lanes);
    let x1 = vctr1;
    let x2 = zero;
    let x3 = zero;
    let k0 = vkey0;
    let k1 = vkey1;
    for (let r = 0; r < ROUNDS; r++) {
      // (hi0, lo0) = M0·x0 and (hi1, lo1) = M1·x2 as 64-bit products.
      const p0l = i64x2.extmul_low_i32x4_u(x0, vm0);
      const p0h = i64x2.extmul_high_i32x4_u(x0, vm0);
      const p1l = i64x2.extmul_low_i32x4_u(x2, vm1);
      const p1h = i64x2.extmul_high_i32x4_u(x2, vm1);
      const hi0 = i32x4.shuffle(p0l, p0h, 1, 3, 5, 7);
      const lo0 = i32x4.shuffle(p0l, p0h, 0, 2, 4, 6);
      const hi1 = i32x4.shuffle(p1l, p1h, 1, 3, 5, 7);
      const lo1 = i32x4.shuffle(p1l, p1h, 0, 2, 4, 6);
      x0 = v128.xor(v128.xor(hi1, x1), k0);
      x1 = lo1;
      x2 = v128.xor(v128.xor(hi0, x3), k1);
      x3 = lo0;
      k0 = i32x4.add(k0, vw0);                // the bump after the last round is unused
      k1 = i32x4.add(k1, vw1);
    }
    // Transpose: r_l = the 4 words of block l = elements 4l .. 4l + 3 of this group.
    const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
    const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
    const r0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
    const r1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
    const r2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
    const r3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
    if (o + 64 <= end) {
      emit4(mode, r0, o, x, y, mask, vrate, vscale);
      emit4(mode, r1, o + 16, x, y, mask, vrate, vscale);
      emit4(mode, r2, o + 32, x, y, mask, vrate, vscale);
      emit4(mode, r3, o + 48, x, y, mask, vrate, vscale);
    } else {                                   // last group, 1..15 elements
      const rem = <i32>((end - o) >> 2);
      const q = rem >> 2;                      // whole vectors
      const c = rem & 3;                       // elements of the next one
      if (q > 0) emit4(mode, r0, o, x, y, mask, vrate, vscale);
      if (q > 1) emit4(mode, r1, o + 16, x, y, mask, vrate, vscale);
      if (q > 2) emit4(mode, r2, o + 32, x, y, mask, vrate, vscale);
      if (c > 0) {
        const p = o + (<usize>q << 4);
        const rv = q == 0 ? r0 : q == 1 ? r1 : q == 2 ? r2 : r3;
        emitPartial(mode, rv, c, p, x, y, mask, vrate, vscale);
      }
    }
  }
}

/** y[i] = u_(first+i) ∈ [0, 1), i < n: the Philox4x32-10 uniforms above (24 bits) for (key0, key1, counter); `first` a multiple of 4 (0: the whole tensor). */
export function f32_uniform(n: i32, y: usize, key0: i32, key1: i32, counter: i32, first: i32): void {
  philoxLoop(UNIFORM, n, 0, y, 0, 0, key0, key1, counter, first);
}

/** mask[i] = u_(first+i) ≥ rate ? 1/(1 − rate) : 0, i < n, 0 ≤ rate < 1 (u as in f32_uniform; rate = 0 gives all ones). */
export function f32_dropout_mask(n: i32, mask: usize, rate: f32, key0: i32, key1: i32, counter: i32, first: i32): void {
  philoxLoop(MASK, n, 0, 0, mask, rate, key0, key1, counter, first);
}

/** mask as in f32_dropout_mask and y[i] = x[i]·mask[i] in the same pass. y may alias x; mask must not alias x or y. Backward: f32_vmul(n, dy, mask, dx). */
export function f32_dropout(n: i32, x: usize, y: usize, mask: usize, rate: f32, key0: i32, key1: i32, counter: i32, first: i32): void {
  philoxLoop(DROPOUT, n, x, y, mask, rate, key0, key1, counter, first);
}

/**
 * Dropout's backward fused with the derivative of the clamp activation before it (ReLU, ReLU6:
 * the activations the GEMM epilogue applies): dx[i] = (dy[i]·mask[i])·d_i with d_i = 1 where
 * lo < x[i] < hi (x[i] ≤ hi when hi = +∞), 0 elsewhere, NaN where x[i] is NaN — the same operations, in the same order,
 * as f32_vmul(dy, mask) then the activation's gradient kernel. x: the activation's output (the
 * dropout's input). dx may alias dy.
 */
export function f32_dropout_clamp_grad(n: i32, dy: usize, mask: usize, x: usize, dx: usize, lo: f32, hi: f32): void {
  if (n <= 0) return;
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  const one = f32x4.splat(1);
  const open = hi == Infinity;                   // ReLU: x = +∞ still has derivative 1
  const vopen = open ? i32x4.splat(-1) : i32x4.splat(0);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const vx = v128.load(x + o);
    const below = v128.or(f32x4.lt(vx, vhi), vopen);
    const d = v128.or(v128.and(v128.and(f32x4.gt(vx, vlo), below), one), f32x4.ne(vx, vx));
    v128.store(dx + o, f32x4.mul(f32x4.mul(v128.load(dy + o), v128.load(mask + o)), d));
  }
  for (; o < end; o += 4) {
    const vx = load<f32>(x + o);
    const d: f32 = vx != vx ? NaN : vx > lo && (open || vx < hi) ? 1 : 0;
    store<f32>(dx + o, (load<f32>(dy + o) * load<f32>(mask + o)) * d);
  }
}

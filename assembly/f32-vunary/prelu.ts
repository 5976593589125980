// PReLU (Keras 3 `PReLU`): y = x for x > 0, alpha·x otherwise, alpha a weight broadcast over the
// batch and the layer's `shared_axes`. The host collapses the sample's axes into the pattern
//   x: [p, a, q, c]   alpha: [a, c]
// (p: the batch and any shared axes before the first unshared one; a, c: unshared runs; q: the
// shared run between them, or the trailing shared run when c = 1). A row of c elements reads a
// row of alpha; with c = 1 each run of q elements reads one alpha (a splat).
// Backward: dx = dy·(x > 0 ? 1 : alpha) and dalpha[a, c] = (beta ? dalpha : 0) + Σ_{p, q} dy·min(x, 0),
// summed in a fixed order (p, then q; with c = 1 the run of q in four lanes, then across them).
// At x = 0 the derivative is alpha, as f32_vleaky_relu_grad's. NaN in x gives NaN.

import { loadTail, storeTail } from './tail';
import { hsum } from '../shared/simd';

// @ts-ignore: decorator
@inline function prelu4(x: v128, al: v128): v128 {
  return v128.bitselect(x, f32x4.mul(al, x), f32x4.gt(x, f32x4.splat(0)));
}

/** x > 0 ? 1 : alpha, NaN where x is NaN. */
// @ts-ignore: decorator
@inline function preluDeriv4(x: v128, al: v128): v128 {
  return v128.or(v128.bitselect(f32x4.splat(1.0), al, f32x4.gt(x, f32x4.splat(0))), f32x4.ne(x, x));
}

/** min(x, 0) with NaN kept: the alpha gradient's factor. */
// @ts-ignore: decorator
@inline function negPart4(x: v128): v128 {
  return v128.bitselect(f32x4.splat(0), x, f32x4.gt(x, f32x4.splat(0)));
}

/** One row of `bytes` bytes against a row of alpha. */
// @ts-ignore: decorator
@inline function rowForward(x: usize, al: usize, y: usize, bytes: usize): void {
  const vend = bytes & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, prelu4(v128.load(x + o), v128.load(al + o)));
  if (o < bytes) storeTail(y + o, prelu4(loadTail(x + o, bytes - o), loadTail(al + o, bytes - o)), bytes - o);
}

/** A run of `bytes` bytes against one alpha. */
// @ts-ignore: decorator
@inline function runForward(x: usize, al: v128, y: usize, bytes: usize): void {
  const vend = bytes & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, prelu4(v128.load(x + o), al));
  if (o < bytes) storeTail(y + o, prelu4(loadTail(x + o, bytes - o), al), bytes - o);
}

/** y = prelu(x) over [p, a, q, c] with alpha [a, c] (see above). y may alias x. */
export function f32_prelu(p: i32, a: i32, q: i32, c: i32, x: usize, alpha: usize, y: usize): void {
  if (p <= 0 || a <= 0 || q <= 0 || c <= 0) return;
  const cb = <usize>c << 2;
  const qb = <usize>q << 2;
  let o: usize = 0;
  for (let ip = 0; ip < p; ip++) {
    let al = alpha;
    for (let ia = 0; ia < a; ia++) {
      if (c == 1) {
        runForward(x + o, f32x4.splat(load<f32>(al)), y + o, qb);
        o += qb;
      } else {
        for (let iq = 0; iq < q; iq++) {
          rowForward(x + o, al, y + o, cb);
          o += cb;
        }
      }
      al += cb;
    }
  }
}

/** dx row (if dx ≠ 0) and dalpha row += dy·min(x, 0) (if dalpha ≠ 0). */
// @ts-ignore: decorator
@inline function rowBackward(x: usize, al: usize, dy: usize, dx: usize, da: usize, bytes: usize): void {
  const vend = bytes & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const xv = v128.load(x + o);
    const g = v128.load(dy + o);
    if (dx != 0) v128.store(dx + o, f32x4.mul(g, preluDeriv4(xv, v128.load(al + o))));
    if (da != 0) v128.store(da + o, f32x4.add(v128.load(da + o), f32x4.mul(g, negPart4(xv))));
  }
  if (o < bytes) {
    const b = bytes - o;
    const xv = loadTail(x + o, b);
    const g = loadTail(dy + o, b);
    if (dx != 0) storeTail(dx + o, f32x4.mul(g, preluDeriv4(xv, loadTail(al + o, b))), b);
    if (da != 0) storeTail(da + o, f32x4.add(loadTail(da + o, b), f32x4.mul(g, negPart4(xv))), b);
  }
}

/** dx over a run against one alpha; returns Σ dy·min(x, 0) over the run (lanes, then across). */
// @ts-ignore: decorator
@inline function runBackward(x: usize, al: v128, dy: usize, dx: usize, bytes: usize): f32 {
  const vend = bytes & ~15;
  let s = f32x4.splat(0);
  let o: usize = 0;
  for (; o < vend; o += 16) {
    const xv = v128.load(x + o);
    const g = v128.load(dy + o);
    if (dx != 0) v128.store(dx + o, f32x4.mul(g, preluDeriv4(xv, al)));
    s = f32x4.add(s, f32x4.mul(g, negPart4(xv)));
  }
  if (o < bytes) {
    const b = bytes - o;
    const xv = loadTail(x + o, b);
    const g = loadTail(dy + o, b);
    if (dx != 0) storeTail(dx + o, f32x4.mul(g, preluDeriv4(xv, al)), b);
    s = f32x4.add(s, f32x4.mul(g, negPart4(xv))); // padding lanes: 0·0
  }
  return hsum(s);
}

/**
 * PReLU backward over [p, a, q, c] (see above). dx = 0: no input gradient; dalpha = 0: no alpha
 * gradient; beta = 0 overwrites dalpha, 1 adds to it (a shared layer's later calls). dx may alias
 * dy; neither may alias dalpha.
 */
export function f32_prelu_grad(p: i32, a: i32, q: i32, c: i32, x: usize, alpha: usize, dy: usize, dx: usize, dalpha: usize, beta: f32): void {
  if (a <= 0 || c <= 0) return;
  const cb = <usize>c << 2;
  const qb = <usize>q << 2;
  if (dalpha != 0 && beta == 0) {
    const end = <usize>a * cb;
    for (let o: usize = 0; o < end; o += 4) store<f32>(dalpha + o, 0);
  }
  if (p <= 0 || q <= 0) return;
  let o: usize = 0;
  for (let ip = 0; ip < p; ip++) {
    let al = alpha;
    let da = dalpha;
    for (let ia = 0; ia < a; ia++) {
      if (c == 1) {
        const s = runBackward(x + o, f32x4.splat(load<f32>(al)), dy + o, dx == 0 ? 0 : dx + o, qb);
        if (da != 0) store<f32>(da, load<f32>(da) + s);
        o += qb;
      } else {
        for (let iq = 0; iq < q; iq++) {
          rowBackward(x + o, al, dy + o, dx == 0 ? 0 : dx + o, da, cb);
          o += cb;
        }
      }
      al += cb;
      if (da != 0) da += cb;
    }
  }
}

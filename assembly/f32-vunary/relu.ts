// Piecewise-linear activations (Keras 3, keras/src/activations/activations.py): relu, relu6,
// leaky_relu, hard_sigmoid (`linear` needs no kernel: the GEMM epilogue, or f32_vcopy). Forward: y[i] = f(x[i]), i < n, y may alias x.
// Backward: dx[i] = dy[i]·f'(x[i]), dx may alias dy. The derivative is formed as a number and
// multiplied in, so NaN (and inf·0) in dy propagate as IEEE says, and NaN in x gives NaN.
// At a kink the derivative is that of the closed flat side (relu'(0) = 0, as TensorFlow).

import { loadTail, storeTail } from './tail';

// @ts-ignore: decorator
@inline function zero4(): v128 {
  return f32x4.splat(0.0);
}

/** d with every lane where x is NaN replaced by NaN (all-ones bits). */
// @ts-ignore: decorator
@inline function nanFrom(d: v128, x: v128): v128 {
  return v128.or(d, f32x4.ne(x, x));
}

// @ts-ignore: decorator
@inline function relu4(x: v128): v128 {
  return f32x4.pmax(x, zero4()); // x < 0 ? 0 : x; NaN stays NaN
}

// @ts-ignore: decorator
@inline function reluDeriv4(x: v128): v128 {
  return nanFrom(v128.and(f32x4.gt(x, zero4()), f32x4.splat(1.0)), x);
}

/** ReLU (Keras `relu`): y[i] = max(x[i], 0), i < n. y may alias x; `alpha` is unused. */
export function f32_vrelu(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, relu4(v128.load(x + o)));
  if (o < end) storeTail(y + o, relu4(loadTail(x + o, end - o)), end - o);
}

/** ReLU backward: dx[i] = dy[i]·(x[i] > 0 ? 1 : 0), i < n. dx may alias dy; `y`, `alpha` unused. */
export function f32_vrelu_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), reluDeriv4(v128.load(x + o))));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), reluDeriv4(loadTail(x + o, b))), b);
  }
}

// @ts-ignore: decorator
@inline function relu64(x: v128): v128 {
  return f32x4.pmin(f32x4.pmax(x, zero4()), f32x4.splat(6.0));
}

// @ts-ignore: decorator
@inline function relu6Deriv4(x: v128): v128 {
  const inside = v128.and(f32x4.gt(x, zero4()), f32x4.lt(x, f32x4.splat(6.0)));
  return nanFrom(v128.and(inside, f32x4.splat(1.0)), x);
}

/** ReLU6 (Keras `relu6`): y[i] = min(max(x[i], 0), 6), i < n. y may alias x; `alpha` is unused. */
export function f32_vrelu6(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, relu64(v128.load(x + o)));
  if (o < end) storeTail(y + o, relu64(loadTail(x + o, end - o)), end - o);
}

/** ReLU6 backward: dx[i] = dy[i]·(0 < x[i] < 6 ? 1 : 0), i < n. dx may alias dy; `y`, `alpha` unused. */
export function f32_vrelu6_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), relu6Deriv4(v128.load(x + o))));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), relu6Deriv4(loadTail(x + o, b))), b);
  }
}

// @ts-ignore: decorator
@inline function leaky4(x: v128, a: v128): v128 {
  return v128.bitselect(x, f32x4.mul(a, x), f32x4.gt(x, zero4()));
}

// @ts-ignore: decorator
@inline function leakyDeriv4(x: v128, a: v128): v128 {
  return nanFrom(v128.bitselect(f32x4.splat(1.0), a, f32x4.gt(x, zero4())), x);
}

/** Leaky ReLU (Keras `leaky_relu`, alpha = negative_slope): y[i] = x[i] > 0 ? x[i] : alpha·x[i]. y may alias x. */
export function f32_vleaky_relu(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const a = f32x4.splat(alpha);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, leaky4(v128.load(x + o), a));
  if (o < end) storeTail(y + o, leaky4(loadTail(x + o, end - o), a), end - o);
}

/** Leaky ReLU backward: dx[i] = dy[i]·(x[i] > 0 ? 1 : alpha). dx may alias dy; `y` unused. */
export function f32_vleaky_relu_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const a = f32x4.splat(alpha);
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), leakyDeriv4(v128.load(x + o), a)));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), leakyDeriv4(loadTail(x + o, b), a)), b);
  }
}

const SIXTH: f32 = 1.0 / 6.0;

// @ts-ignore: decorator
@inline function hardSigmoid4(x: v128): v128 {
  // relu6(x + 3)/6: x + 3 is exact near the lower kink, so there is no cancellation there
  const t = f32x4.pmin(f32x4.pmax(f32x4.add(x, f32x4.splat(3.0)), zero4()), f32x4.splat(6.0));
  return f32x4.mul(t, f32x4.splat(SIXTH));
}

// @ts-ignore: decorator
@inline function hardSigmoidDeriv4(x: v128): v128 {
  const inside = v128.and(f32x4.gt(x, f32x4.splat(-3.0)), f32x4.lt(x, f32x4.splat(3.0)));
  return nanFrom(v128.and(inside, f32x4.splat(SIXTH)), x);
}

/** Hard sigmoid (Keras 3 `hard_sigmoid`): y[i] = relu6(x[i] + 3)/6 = clip(x/6 + 1/2, 0, 1). y may alias x; `alpha` unused. */
export function f32_vhard_sigmoid(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, hardSigmoid4(v128.load(x + o)));
  if (o < end) storeTail(y + o, hardSigmoid4(loadTail(x + o, end - o)), end - o);
}

/** Hard sigmoid backward: dx[i] = dy[i]·(−3 < x[i] < 3 ? 1/6 : 0). dx may alias dy; `y`, `alpha` unused. */
export function f32_vhard_sigmoid_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), hardSigmoidDeriv4(v128.load(x + o))));
  }
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, f32x4.mul(loadTail(dy + o, b), hardSigmoidDeriv4(loadTail(x + o, b))), b);
  }
}

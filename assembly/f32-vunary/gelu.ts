// GELU (Keras 3, keras/src/activations/activations.py: `gelu(x, approximate=False)` is the
// default; `approximate=True` is the tanh form, here `gelu_tanh`). Both compute in f64x2 and
// round once to f32, so the results are within about half an ulp, including the tails where
// 1 + erf(·) and 1 + tanh(·) cancel in a naive f32 evaluation and the roots of the derivatives.
//
// Exact form: Φ(x) = 1 − Q(|x|) for x ≥ 0 and Q(|x|) for x < 0, with the upper tail
// Q(a) = Φ(−a) = e^(−a²/2)·M(a). M (the Mills ratio over √(2π)) is smooth on [0, ∞); here it is
// a degree-11 polynomial in t = 1/(1 + a/4), fitted (relative least squares, Chebyshev nodes,
// mpmath reference) on a ∈ [0, 15]: error 3.7e-10 relative. Past |x| = 15, Q < 4e-51 and the
// f32 results are final (gelu = x or −0; gelu' = 1 or −0), so a is clamped there.
// Tanh form: 0.5·x·(1 + tanh(u)) = x·σ(2u), u = √(2/π)·(x + 0.044715·x³).
// Forward: y may alias x. Backward: dx may alias dy; NaN in x or dy gives NaN.

import { vexp_f64x2 } from './exp';
import { loadTail, storeTail, f64Lo, f64Hi, f32From } from './tail';

const INV_SQRT_2PI: f64 = 0.3989422804014327;
const A_MAX: f64 = 15.0;
const M0: f64 = 2.4589380474546377e-06;
const M1: f64 = 0.0996663100338318;
const M2: f64 = 0.10060536583457783;
const M3: f64 = 0.08706959543109281;
const M4: f64 = 0.11218397625900993;
const M5: f64 = -0.040264284467567184;
const M6: f64 = 0.2859130059315504;
const M7: f64 = -0.3742220896968067;
const M8: f64 = 0.45140914132721033;
const M9: f64 = -0.31824428212041683;
const M10: f64 = 0.11141797932583251;
const M11: f64 = -0.01553717664420655;

/** M(a) = Φ(−a)·e^(a²/2), a ∈ [0, 15] (f64x2). */
// @ts-ignore: decorator
@inline function mills2(a: v128): v128 {
  const t = f64x2.div(f64x2.splat(1.0), f64x2.add(f64x2.mul(a, f64x2.splat(0.25)), f64x2.splat(1.0)));
  let p = f64x2.add(f64x2.mul(f64x2.splat(M11), t), f64x2.splat(M10));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M9));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M8));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M7));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M6));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M5));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M4));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M3));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M2));
  p = f64x2.add(f64x2.mul(p, t), f64x2.splat(M1));
  return f64x2.add(f64x2.mul(p, t), f64x2.splat(M0));
}

/** min(|x|, 15) (f64x2); NaN stays NaN. */
// @ts-ignore: decorator
@inline function tailArg2(x: v128): v128 {
  return f64x2.pmin(f64x2.abs(x), f64x2.splat(A_MAX));
}

/** e^(−a²/2) (f64x2). */
// @ts-ignore: decorator
@inline function gauss2(a: v128): v128 {
  return vexp_f64x2(f64x2.mul(f64x2.mul(a, a), f64x2.splat(-0.5)));
}

/** gelu(x) = x·Φ(x) (f64x2). */
// @ts-ignore: decorator
@inline function gelu2(x: v128): v128 {
  const xc = f64x2.pmax(x, f64x2.splat(-A_MAX)); // −inf·Φ(−inf) would be NaN; the limit is −0
  const a = tailArg2(xc);
  const q = f64x2.mul(mills2(a), gauss2(a)); // Φ(−|x|)
  const phi = v128.bitselect(q, f64x2.sub(f64x2.splat(1.0), q), f64x2.lt(xc, f64x2.splat(0.0)));
  return f64x2.mul(xc, phi);
}

/** gelu'(x) = Φ(x) + x·φ(x) = (x < 0 ? −D : 1 + D), D = (|x|/√(2π) − M(|x|))·e^(−x²/2) (f64x2). */
// @ts-ignore: decorator
@inline function geluDeriv2(x: v128): v128 {
  const a = tailArg2(x);
  const d = f64x2.mul(f64x2.sub(f64x2.mul(a, f64x2.splat(INV_SQRT_2PI)), mills2(a)), gauss2(a));
  return v128.bitselect(f64x2.neg(d), f64x2.add(d, f64x2.splat(1.0)), f64x2.lt(x, f64x2.splat(0.0)));
}

// @ts-ignore: decorator
@inline function gelu4(x: v128): v128 {
  return f32From(gelu2(f64Lo(x)), gelu2(f64Hi(x)));
}

// @ts-ignore: decorator
@inline function geluGrad4(x: v128, dy: v128): v128 {
  return f32From(f64x2.mul(f64Lo(dy), geluDeriv2(f64Lo(x))), f64x2.mul(f64Hi(dy), geluDeriv2(f64Hi(x))));
}

/** GELU (Keras `gelu`, approximate=False): y[i] = x·Φ(x) = 0.5·x·(1 + erf(x/√2)), i < n. y may alias x; `alpha` unused. */
export function f32_vgelu(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, gelu4(v128.load(x + o)));
  if (o < end) storeTail(y + o, gelu4(loadTail(x + o, end - o)), end - o);
}

/** GELU backward: dx[i] = dy[i]·(Φ(x) + x·φ(x)), rounded once. dx may alias dy; `y`, `alpha` unused. */
export function f32_vgelu_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(dx + o, geluGrad4(v128.load(x + o), v128.load(dy + o)));
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, geluGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

const K1: f64 = 1.5957691216057308; // 2·√(2/π)
const K3: f64 = 1.5957691216057308 * 0.044715;
const X_LO_TANH: f64 = -20.0; // gelu_tanh(−20) ≈ −20·e^−603: −0 in f32
const X_HI_TANH: f64 = 20.0;  // gelu_tanh'(20) = 1 in f32

/** 2u = x·(K1 + K3·x²) (f64x2). */
// @ts-ignore: decorator
@inline function twoU2(x: v128, x2: v128): v128 {
  return f64x2.mul(x, f64x2.add(f64x2.mul(x2, f64x2.splat(K3)), f64x2.splat(K1)));
}

/** gelu_tanh(x) = x·σ(2u) = x/(1 + e^(−2u)) (f64x2). */
// @ts-ignore: decorator
@inline function geluTanh2(x: v128): v128 {
  const xc = f64x2.pmax(x, f64x2.splat(X_LO_TANH));
  const e = vexp_f64x2(f64x2.neg(twoU2(xc, f64x2.mul(xc, xc))));
  return f64x2.div(xc, f64x2.add(e, f64x2.splat(1.0)));
}

/** gelu_tanh'(x) = s·(1 + x·(1 − s)·d(2u)/dx), s = σ(2u), 1 − s = e·s with e = e^(−2u) (f64x2). */
// @ts-ignore: decorator
@inline function geluTanhDeriv2(x: v128): v128 {
  const xc = f64x2.pmax(f64x2.pmin(x, f64x2.splat(X_HI_TANH)), f64x2.splat(X_LO_TANH));
  const x2 = f64x2.mul(xc, xc);
  const e = vexp_f64x2(f64x2.neg(twoU2(xc, x2)));
  const s = f64x2.div(f64x2.splat(1.0), f64x2.add(e, f64x2.splat(1.0)));
  const du = f64x2.add(f64x2.mul(x2, f64x2.splat(3.0 * K3)), f64x2.splat(K1));
  const t = f64x2.mul(f64x2.mul(xc, f64x2.mul(e, s)), du);
  return f64x2.add(s, f64x2.mul(s, t));
}

// @ts-ignore: decorator
@inline function geluTanh4(x: v128): v128 {
  return f32From(geluTanh2(f64Lo(x)), geluTanh2(f64Hi(x)));
}

// @ts-ignore: decorator
@inline function geluTanhGrad4(x: v128, dy: v128): v128 {
  return f32From(f64x2.mul(f64Lo(dy), geluTanhDeriv2(f64Lo(x))), f64x2.mul(f64Hi(dy), geluTanhDeriv2(f64Hi(x))));
}

/** GELU, tanh form (Keras `gelu`, approximate=True): y[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). y may alias x; `alpha` unused. */
export function f32_vgelu_tanh(n: i32, x: usize, y: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(y + o, geluTanh4(v128.load(x + o)));
  if (o < end) storeTail(y + o, geluTanh4(loadTail(x + o, end - o)), end - o);
}

/** GELU (tanh form) backward: dx[i] = dy[i]·(exact derivative of the tanh form), rounded once. dx may alias dy; `y`, `alpha` unused. */
export function f32_vgelu_tanh_grad(n: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32): void {
  if (n <= 0) return;
  const end = <usize>n << 2;
  const vend = end & ~15;
  let o: usize = 0;
  for (; o < vend; o += 16) v128.store(dx + o, geluTanhGrad4(v128.load(x + o), v128.load(dy + o)));
  if (o < end) {
    const b = end - o;
    storeTail(dx + o, geluTanhGrad4(loadTail(x + o, b), loadTail(dy + o, b)), b);
  }
}

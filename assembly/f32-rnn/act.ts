// Gate activations of the recurrent cells, chosen by a code (src/layers/recurrent.ts maps names
// to codes), and their derivatives formed from the activation's output y (the cells keep the
// activated gates, not the pre-activations). Lanes are f32x4; mul and add only, so every build
// gives the same bits for the piecewise ones (sigmoid, tanh, elu and exponential use the
// f32-vunary exp, whose build flavour may fuse).
import { sigmoid4 } from '../f32-vunary/sigmoid';
import { tanh4 } from '../f32-vunary/tanh';
import { vexp, vexpm1 } from '../f32-vunary/exp';
import { loadTail, storeTail } from '../f32-vunary/tail';

export const ACT_LINEAR = 0;
export const ACT_SIGMOID = 1;
export const ACT_TANH = 2;
export const ACT_RELU = 3;
/** Keras 3: relu6(x + 3)/6. */
export const ACT_HARD_SIGMOID = 4;
/** Keras 2 and TF.js: clip(0.2·x + 0.5, 0, 1). */
export const ACT_HARD_SIGMOID_K2 = 5;
export const ACT_RELU6 = 6;
export const ACT_SOFTSIGN = 7;
export const ACT_ELU = 8;
export const ACT_EXPONENTIAL = 9;
export const ACT_SELU = 10;
/** Keras 3 leaky_relu, negative slope 0.2. */
export const ACT_LEAKY_RELU = 11;

const SELU_SCALE: f32 = 1.0507009873554805;
const SELU_ALPHA: f32 = 1.6732632423543772;

// @ts-ignore: decorator
@inline function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** y = f(x) lane-wise for activation `code`. */
// @ts-ignore: decorator
@inline export function act4(code: i32, x: v128): v128 {
  switch (code) {
    case ACT_SIGMOID: return sigmoid4(x);
    case ACT_TANH: return tanh4(x);
    case ACT_RELU: return f32x4.max(x, splat(0));
    case ACT_HARD_SIGMOID: return f32x4.div(f32x4.min(f32x4.max(f32x4.add(x, splat(3)), splat(0)), splat(6)), splat(6));
    case ACT_HARD_SIGMOID_K2: return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, splat(0.2)), splat(0.5)), splat(0)), splat(1));
    case ACT_RELU6: return f32x4.min(f32x4.max(x, splat(0)), splat(6));
    case ACT_SOFTSIGN: return f32x4.div(x, f32x4.add(f32x4.abs(x), splat(1)));
    case ACT_ELU: return v128.bitselect(x, vexpm1(x), f32x4.gt(x, splat(0)));
    case ACT_EXPONENTIAL: return vexp(x);
    case ACT_SELU: return f32x4.mul(splat(SELU_SCALE), v128.bitselect(x, f32x4.mul(splat(SELU_ALPHA), vexpm1(x)), f32x4.gt(x, splat(0))));
    case ACT_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, splat(0.2)), f32x4.gt(x, splat(0)));
    default: return x;
  }
}

/** f'(x) lane-wise from y = f(x), for activation `code` (at a kink: the flat side's, 0 for relu at 0). */
// @ts-ignore: decorator
@inline export function dact4(code: i32, y: v128): v128 {
  switch (code) {
    case ACT_SIGMOID: return f32x4.mul(y, f32x4.sub(splat(1), y));
    case ACT_TANH: return f32x4.sub(splat(1), f32x4.mul(y, y));
    case ACT_RELU: return v128.and(f32x4.gt(y, splat(0)), splat(1));
    case ACT_HARD_SIGMOID: return v128.and(v128.and(f32x4.gt(y, splat(0)), f32x4.lt(y, splat(1))), splat(<f32>(1.0 / 6.0)));
    case ACT_HARD_SIGMOID_K2: return v128.and(v128.and(f32x4.gt(y, splat(0)), f32x4.lt(y, splat(1))), splat(0.2));
    case ACT_RELU6: return v128.and(v128.and(f32x4.gt(y, splat(0)), f32x4.lt(y, splat(6))), splat(1));
    case ACT_SOFTSIGN: {
      const a = f32x4.sub(splat(1), f32x4.abs(y));
      return f32x4.mul(a, a);
    }
    case ACT_ELU: return v128.bitselect(splat(1), f32x4.add(y, splat(1)), f32x4.gt(y, splat(0)));
    case ACT_EXPONENTIAL: return y;
    case ACT_SELU: return v128.bitselect(splat(SELU_SCALE), f32x4.add(y, splat(SELU_SCALE * SELU_ALPHA)), f32x4.gt(y, splat(0)));
    case ACT_LEAKY_RELU: return v128.bitselect(splat(1), splat(0.2), f32x4.gt(y, splat(0)));
    default: return splat(1);
  }
}

/** 16 bytes at p, or the first `bytes` (< 16) of them. */
// @ts-ignore: decorator
@inline export function ld(p: usize, bytes: usize): v128 {
  return bytes >= 16 ? v128.load(p) : loadTail(p, bytes);
}

/** Stores v at p, or its first `bytes` (< 16) bytes. */
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, bytes: usize): void {
  if (bytes >= 16) v128.store(p, v);
  else storeTail(p, v, bytes);
}

/** A mask's lanes at p (bytes as `ld`), or ones where the mask is absent (p = 0). */
// @ts-ignore: decorator
@inline export function ldMask(p: usize, o: usize, bytes: usize): v128 {
  return p == 0 ? splat(1) : ld(p + o, bytes);
}

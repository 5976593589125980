/**
 * MSE gradients of a linear Dense layer in float64, for `n` samples:
 * dpred = 2(xW + b − y)/(n·out); dW = xᵀ·dpred; db = Σ dpred.
 */
export function linearMseGrads(x: ArrayLike<number>, y: ArrayLike<number>, w: Float64Array, b: Float64Array,
  n: number, inDim: number, out: number): [Float64Array, Float64Array] {
  const gw = new Float64Array(inDim * out);
  const gb = new Float64Array(out);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < out; j++) {
      let p = b[j]!;
      for (let i = 0; i < inDim; i++) p += x[r * inDim + i]! * w[i * out + j]!;
      const d = (2 * (p - y[r * out + j]!)) / (n * out);
      gb[j] = gb[j]! + d;
      for (let i = 0; i < inDim; i++) gw[i * out + j] = gw[i * out + j]! + x[r * inDim + i]! * d;
    }
  }
  return [gw, gb];
}

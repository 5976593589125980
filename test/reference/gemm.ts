/** Scalar float64 reference of C = β·C + op(A)·op(B) + bias, clamped; also returns Σ|terms| per element. */
export function gemmRef(
  variant: 'nn' | 'tn' | 'nt', m: number, n: number, k: number,
  a: Float32Array, lda: number, b: Float32Array, ldb: number, bias: Float32Array | null,
  beta: number, c: Float32Array, ldc: number, min: number, max: number,
): { c: Float64Array; mag: Float64Array } {
  const out = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let g = 0;
      for (let p = 0; p < k; p++) {
        const av = variant === 'tn' ? a[p * lda + i]! : a[i * lda + p]!;
        const bv = variant === 'nt' ? b[j * ldb + p]! : b[p * ldb + j]!;
        s += av * bv;
        g += Math.abs(av * bv);
      }
      if (beta !== 0) {
        s += c[i * ldc + j]!;
        g += Math.abs(c[i * ldc + j]!);
      }
      if (bias !== null) {
        s += bias[j]!;
        g += Math.abs(bias[j]!);
      }
      out[i * n + j] = Math.min(Math.max(s, min), max);
      mag[i * n + j] = g;
    }
  }
  return { c: out, mag };
}

// The GEMM register tile, chosen once at start-up. The 4×8 and 6×8 tiles give bit-identical
// results (each element of C is summed in the same order), so the choice is only about speed:
// V8 versions allocate registers differently (4×8 is faster on Node 20/22, 6×8 on Node 24 here).
import type { KernelExports } from './kernels.js';
import type { Arena } from './memory.js';

/**
 * The GEMM register tile: 4×8 or 6×8 outputs per inner step. Both give bit-identical results; which is
 * faster depends on the JavaScript engine, so `km.ready()` times both at start-up unless `gemmTile` is given.
 */
export type GemmTile = '4x8' | '6x8';

/** GEMMs with fewer rows keep the 4×8 tile: below this, 6-row packing costs more than it saves. */
export const TILE6_MIN_ROWS = 96;

type Gemm = KernelExports['f32_gemm_nn_minmax'];

/** Time both tiles on one mid-size GEMM (about 10 ms in all); 6×8 only if it is ≥ 3 % faster. */
export function calibrateTile(raw: KernelExports, arena: Arena): GemmTile {
  const [m, n, k] = [256, 512, 256];
  const a = arena.alloc(m * k * 4);
  const b = arena.alloc(k * n * 4);
  const c = arena.alloc(m * n * 4);
  const ws = arena.alloc(raw.f32_gemm_workspace_bytes(m, n, k));
  try {
    const f32 = arena.f32;
    for (let i = a.ptr >> 2, e = (b.ptr >> 2) + k * n; i < e; i++) f32[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
    const time = (fn: Gemm): number => {
      fn(m, n, k, a.ptr, k, b.ptr, n, 0, 0, c.ptr, n, -Infinity, Infinity, ws.ptr);
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const t = performance.now();
        fn(m, n, k, a.ptr, k, b.ptr, n, 0, 0, c.ptr, n, -Infinity, Infinity, ws.ptr);
        best = Math.min(best, performance.now() - t);
      }
      return best;
    };
    const t4 = time(raw.f32_gemm_nn_minmax);
    const t6 = time(raw.f32_gemm_nn_minmax_6x8);
    return t6 < t4 * 0.97 ? '6x8' : '4x8';
  } finally {
    for (const r of [ws, c, b, a]) arena.release(r);
  }
}

/** The exports with the three GEMMs routed to the chosen tile (4×8 below TILE6_MIN_ROWS rows). */
export function withTile(raw: KernelExports, tile: GemmTile): KernelExports {
  if (tile === '4x8') return raw;
  const k = Object.create(raw) as KernelExports;
  const route = (four: Gemm, six: Gemm): Gemm => (m, n, kk, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws) =>
    (m >= TILE6_MIN_ROWS ? six : four)(m, n, kk, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
  k.f32_gemm_nn_minmax = route(raw.f32_gemm_nn_minmax, raw.f32_gemm_nn_minmax_6x8);
  k.f32_gemm_tn_minmax = route(raw.f32_gemm_tn_minmax, raw.f32_gemm_tn_minmax_6x8);
  k.f32_gemm_nt_minmax = route(raw.f32_gemm_nt_minmax, raw.f32_gemm_nt_minmax_6x8);
  return k;
}

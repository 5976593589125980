import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { gemmRef } from '../reference/gemm.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

type Variant = 'nn' | 'tn' | 'nt';

/** Builder-style GEMM tester (XNNPACK's GemmMicrokernelTester, in spirit). */
class GemmTester {
  private _m = 4;
  private _n = 8;
  private _k = 1;
  private _aStride = 0;
  private _cStride = 0;
  private _beta = 0;
  private _bias = false;
  private _min = -Infinity;
  private _max = Infinity;
  private _seed = 7;
  private readonly variant: Variant;
  private readonly suffix: '' | '_6x8';
  constructor(variant: Variant, suffix: '' | '_6x8' = '') {
    this.variant = variant;
    this.suffix = suffix;
  }
  m(v: number): this { this._m = v; return this; }
  n(v: number): this { this._n = v; return this; }
  k(v: number): this { this._k = v; return this; }
  aStride(v: number): this { this._aStride = v; return this; }
  cStride(v: number): this { this._cStride = v; return this; }
  beta(v: number): this { this._beta = v; return this; }
  bias(v = true): this { this._bias = v; return this; }
  min(v: number): this { this._min = v; return this; }
  max(v: number): this { this._max = v; return this; }
  seed(v: number): this { this._seed = v; return this; }

  /** Runs the kernel and returns C (m×n, packed). */
  run(): { got: Float32Array; want: Float64Array; mag: Float64Array } {
    const { variant } = this;
    const m = this._m;
    const n = this._n;
    const k = this._k;
    const rng = new Rng(this._seed);
    // A is m×k (nn, nt) or stored k×m (tn); B is k×n (nn, tn) or stored n×k (nt).
    const aRows = variant === 'tn' ? k : m;
    const aCols = variant === 'tn' ? m : k;
    const lda = Math.max(aCols, this._aStride);
    const bRows = variant === 'nt' ? n : k;
    const ldb = variant === 'nt' ? k : n;
    const ldc = Math.max(n, this._cStride);
    const A = new GuardedBuffer(b, Math.max(1, aRows * lda));
    const B = new GuardedBuffer(b, Math.max(1, bRows * ldb));
    const C = new GuardedBuffer(b, Math.max(1, m * ldc));
    const bias = new GuardedBuffer(b, Math.max(1, n));
    const ws = b.arena.alloc(b.k.f32_gemm_workspace_bytes(m, n, k));
    rng.fill(A.data);
    rng.fill(B.data);
    rng.fill(C.data);
    rng.fill(bias.data);
    const a0 = A.data.slice();
    const b0 = B.data.slice();
    const c0 = C.data.slice();
    const bias0 = bias.data.slice();
    const fn = (b.k as unknown as Record<string, typeof b.k.f32_gemm_nn_minmax>)[`f32_gemm_${variant}_minmax${this.suffix}`]!;
    fn(m, n, k, A.ptr, lda, B.ptr, ldb, this._bias ? bias.ptr : 0, this._beta, C.ptr, ldc, this._min, this._max, ws.ptr);
    const ref = gemmRef(variant, m, n, k, a0, lda, b0, ldb, this._bias ? bias0 : null, this._beta, c0, ldc, this._min, this._max);
    const cd = C.data;
    const got = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) got[i * n + j] = cd[i * ldc + j]!;
      for (let j = n; j < ldc; j++) {
        if (!Object.is(cd[i * ldc + j], c0[i * ldc + j])) throw new Error(`C padding (${i}, ${j}) was written`);
      }
    }
    for (const [name, buf] of [['A', A], ['B', B], ['C', C], ['bias', bias]] as const) buf.checkGuards(name);
    expect(A.data).toEqual(a0);
    expect(B.data).toEqual(b0);
    for (const buf of [A, B, C, bias]) buf.free();
    b.arena.release(ws);
    return { got, want: ref.c, mag: ref.mag };
  }

  check(): void {
    const { got, want, mag } = this.run();
    const tol = 4 * 2 ** -24 * (this._k + 3);
    for (let i = 0; i < got.length; i++) {
      const err = Math.abs(got[i]! - want[i]!);
      if (!(err <= tol * mag[i]! + 1e-37) && !(got[i] === want[i])) {
        throw new Error(`${this.variant} m=${this._m} n=${this._n} k=${this._k}: C[${i}] got ${got[i]}, want ${want[i]} (err ${err}, bound ${tol * mag[i]!})`);
      }
    }
  }
}

const SHAPES = [1, 3, 5, 17, 33];

describe.each([
  ['nn', ''], ['tn', ''], ['nt', ''], ['nn', '_6x8'], ['tn', '_6x8'], ['nt', '_6x8'],
] as const)('f32_gemm_%s_minmax%s', (variant, suffix) => {
  const t = () => new GemmTester(variant, suffix);
  test('k_eq_1', () => t().k(1).check());
  test('k_lt_4', () => { for (let k = 1; k < 4; k++) t().k(k).check(); });
  test('k_gt_4', () => { for (let k = 5; k < 12; k++) t().k(k).check(); });
  test('k_eq_0 leaves beta·C + bias', () => t().k(0).beta(1).bias().check());
  test('n_gt_nr', () => { for (let n = 9; n < 24; n++) t().n(n).k(7).check(); });
  test('subtile_m', () => { for (let m = 1; m <= 4; m++) t().m(m).k(9).check(); });
  test('subtile_n', () => { for (let n = 1; n <= 8; n++) t().n(n).k(9).check(); });
  test('odd shapes', () => {
    for (const m of SHAPES) for (const n of SHAPES) for (const k of SHAPES) t().m(m).n(n).k(k).seed(m * 1000 + n * 10 + k).check();
  });
  test('strided_a', () => t().m(9).n(11).k(13).aStride(37).check());
  test('strided_c', () => t().m(9).n(11).k(13).cStride(19).check());
  test('beta = 1 accumulates', () => t().m(7).n(19).k(23).beta(1).check());
  test('bias', () => t().m(6).n(21).k(5).bias().check());
  test('min (relu clamp)', () => t().m(5).n(17).k(33).bias().min(0).check());
  test('max', () => t().m(5).n(17).k(33).min(-0.25).max(0.25).check());
  test('k over one KC block (300, 600), with beta and bias', () => {
    t().m(9).n(17).k(300).beta(1).bias().min(0).check();
    t().m(5).n(3).k(600).check();
  });
  test('m over one MC block', () => t().m(133).n(10).k(20).bias().check());
  test('n over one NC block', () => t().m(5).n(2050).k(3).bias().check());
  test('large square', () => t().m(64).n(72).k(96).beta(1).bias().check());
});

describe('f32_gemm_nn_minmax direct path (m < 4)', () => {
  test('rows from the direct path equal the same rows from the packed path, bit for bit', () => {
    const k = 300;
    const n = 37;
    const rng = new Rng(11);
    const A = new GuardedBuffer(b, 8 * k);
    const B = new GuardedBuffer(b, k * n);
    const bias = new GuardedBuffer(b, n);
    const C8 = new GuardedBuffer(b, 8 * n);
    const C1 = new GuardedBuffer(b, n);
    const ws = b.arena.alloc(b.k.f32_gemm_workspace_bytes(8, n, k));
    rng.fill(A.data);
    rng.fill(B.data);
    rng.fill(bias.data);
    b.k.f32_gemm_nn_minmax(8, n, k, A.ptr, k, B.ptr, n, bias.ptr, 0, C8.ptr, n, 0, Infinity, ws.ptr);
    for (let row = 0; row < 8; row++) {
      b.k.f32_gemm_nn_minmax(1, n, k, A.ptr + row * k * 4, k, B.ptr, n, bias.ptr, 0, C1.ptr, n, 0, Infinity, ws.ptr);
      expect(Array.from(C1.data)).toEqual(Array.from(C8.data.subarray(row * n, row * n + n)));
    }
    C1.checkGuards('C1');
    C8.checkGuards('C8');
  });
  test('m = 1, 2, 3 against the reference', () => {
    for (const m of [1, 2, 3]) for (const n of [1, 3, 4, 15, 16, 17, 33, 70]) new GemmTester('nn').m(m).n(n).k(19).bias().beta(1).check();
  });
});

describe('the 6×8 tile', () => {
  test('gives the 4×8 tile\'s results bit for bit (nn, tn, nt; odd shapes, several KC blocks, bias, β = 1, clamp)', () => {
    for (const variant of ['nn', 'tn', 'nt'] as const) {
      for (const [m, n, k] of [[7, 9, 5], [13, 17, 300], [133, 33, 260], [64, 40, 600]] as const) {
        const a = new GemmTester(variant).m(m).n(n).k(k).bias().beta(1).min(-0.5).max(2).seed(m + n + k).run();
        const c = new GemmTester(variant, '_6x8').m(m).n(n).k(k).bias().beta(1).min(-0.5).max(2).seed(m + n + k).run();
        expect(Array.from(c.got), `${variant} ${m}x${n}x${k}`).toEqual(Array.from(a.got));
      }
    }
  });
});

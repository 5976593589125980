// Kernel tests of the f32-norm family against the float64 references in test/reference/norm.ts:
// batch normalization (Keras 3 keras/src/layers/normalization/batch_normalization.py; Ioffe &
// Szegedy 2015) and layer normalization (layer_normalization.py; Ba et al. 2016). Every output
// buffer is followed by guard words.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { batchnormGradRef, batchnormStatsRef, layernormGradRef, layernormRef } from '../reference/norm.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const SHAPES = [1, 3, 5, 17, 33];
const ULP = 2 ** -23; // one ulp of 1 in f32
const TINY = 8 * 2 ** -149; // slack for subnormal results: a few of the smallest subnormals

function filled(n: number, rng: Rng, range = 1): GuardedBuffer {
  const buf = new GuardedBuffer(b, n);
  rng.fill(buf.data, range);
  return buf;
}

function near(what: string, got: number, want: number, tol: number): void {
  if (Number.isNaN(got) && Number.isNaN(want)) return;
  const err = Math.abs(got - want);
  if (!(err <= tol)) throw new Error(`${what}: got ${got}, want ${want} (err ${err}, bound ${tol})`);
}

function sameBits(what: string, got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  const g = new Int32Array(Float32Array.from(got).buffer);
  const w = new Int32Array(Float32Array.from(want).buffer);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

function freeAll(...bufs: GuardedBuffer[]): void {
  for (const x of bufs) x.free();
}

// ---------------------------------------------------------------------------------------------
describe('f32_batchnorm_stats', () => {
  function check(m: number, c: number, offset: number, seed: number): void {
    const rng = new Rng(seed);
    const X = new GuardedBuffer(b, m * c);
    for (let i = 0; i < m * c; i++) X.data[i] = Math.fround(offset + rng.awkward(2));
    const x0 = X.data.slice();
    const Mn = new GuardedBuffer(b, c);
    const V = new GuardedBuffer(b, c);
    b.k.f32_batchnorm_stats(m, c, X.ptr, Mn.ptr, V.ptr);
    const ref = batchnormStatsRef(m, c, x0);
    for (let j = 0; j < c; j++) {
      // f64 sums rounded once: within one f32 rounding of the float64 value
      near(`m=${m} c=${c} mean[${j}]`, Mn.data[j]!, ref.mean[j]!, ULP * Math.abs(ref.mean[j]!) + TINY);
      near(`m=${m} c=${c} var[${j}]`, V.data[j]!, ref.variance[j]!, ULP * Math.abs(ref.variance[j]!) + TINY);
    }
    sameBits('x unchanged', X.data, x0);
    X.checkGuards('x');
    Mn.checkGuards('mean');
    V.checkGuards('var');
    freeAll(X, Mn, V);
  }
  test('odd shapes m×c in {1,3,5,17,33}²', () => {
    for (const m of SHAPES) for (const c of SHAPES) check(m, c, 0, m * 100 + c);
  });
  test('a large mean (1000 ± 2) keeps the variance accurate (two passes in f64)', () => {
    check(257, 7, 1000, 3);
    check(64, 33, -1e4, 4);
  });
  test('wide and tall (c = 100, m = 1000)', () => {
    check(1000, 9, 0, 5);
    check(13, 100, 0.5, 6);
  });
});

describe('f32_batchnorm_coeffs and f32_vaffine_cols', () => {
  test('coeffs: s = γ·(1/√(var + ε)), t = β − mean·s, bit for bit with f32 arithmetic, with and without γ, β', () => {
    for (const c of [1, 3, 4, 5, 17, 33]) {
      for (const [hasG, hasB] of [[true, true], [false, true], [true, false], [false, false]] as const) {
        const rng = new Rng(c * 10 + (hasG ? 1 : 0) + (hasB ? 2 : 0));
        const Mn = filled(c, rng, 3);
        const V = new GuardedBuffer(b, c);
        for (let j = 0; j < c; j++) V.data[j] = Math.fround(rng.uniform(0, 4));
        const G = filled(c, rng, 2);
        const B = filled(c, rng, 2);
        const S = new GuardedBuffer(b, c);
        const T = new GuardedBuffer(b, c);
        const eps = 1e-3;
        b.k.f32_batchnorm_coeffs(c, Mn.ptr, V.ptr, hasG ? G.ptr : 0, hasB ? B.ptr : 0, S.ptr, T.ptr, eps);
        const f = Math.fround;
        const ws = new Float32Array(c);
        const wt = new Float32Array(c);
        for (let j = 0; j < c; j++) {
          const inv = f(1 / f(Math.sqrt(f(V.data[j]! + f(eps)))));
          ws[j] = hasG ? f(inv * G.data[j]!) : inv;
          wt[j] = f((hasB ? B.data[j]! : 0) - f(Mn.data[j]! * ws[j]!));
        }
        sameBits(`c=${c} s`, S.data, ws);
        sameBits(`c=${c} t`, T.data, wt);
        S.checkGuards('s');
        T.checkGuards('t');
        freeAll(Mn, V, G, B, S, T);
      }
    }
  });
  test('affine: y = x·s + t within one f32 rounding of each operation; in place', () => {
    for (const m of SHAPES) {
      for (const c of [1, 3, 5, 16, 17, 33, 100]) {
        for (const inplace of [false, true]) {
          const rng = new Rng(m * 1000 + c + (inplace ? 1 : 0));
          const X = filled(m * c, rng, 4);
          const S = filled(c, rng, 2);
          const T = filled(c, rng, 2);
          const x0 = X.data.slice();
          const Y = inplace ? X : new GuardedBuffer(b, m * c);
          b.k.f32_vaffine_cols(m, c, X.ptr, S.ptr, T.ptr, Y.ptr);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < c; j++) {
              const xs = x0[i * c + j]! * S.data[j]!;
              near(`m=${m} c=${c} y[${i},${j}]`, Y.data[i * c + j]!, xs + T.data[j]!, ULP * (Math.abs(xs) + Math.abs(T.data[j]!)) + TINY);
            }
          }
          Y.checkGuards('y');
          if (!inplace) Y.free();
          freeAll(X, S, T);
        }
      }
    }
  });
});

describe('f32_batchnorm_grad', () => {
  function check(m: number, c: number, batch: boolean, hasG: boolean, opts: { skip?: 'dx' | 'dg'; alias?: boolean }, seed: number): void {
    const rng = new Rng(seed);
    const X = filled(m * c, rng, 2);
    const D = filled(m * c, rng, 1);
    const Mn = new GuardedBuffer(b, c);
    const V = new GuardedBuffer(b, c);
    if (batch) {
      b.k.f32_batchnorm_stats(m, c, X.ptr, Mn.ptr, V.ptr);
    } else {
      for (let j = 0; j < c; j++) {
        Mn.data[j] = Math.fround(rng.uniform(-0.5, 0.5));
        V.data[j] = Math.fround(rng.uniform(0.1, 2));
      }
    }
    const G = filled(c, rng, 2);
    const x0 = X.data.slice();
    const d0 = D.data.slice();
    const DX = opts.alias === true ? D : new GuardedBuffer(b, m * c);
    const DG = new GuardedBuffer(b, c);
    const DB = new GuardedBuffer(b, c);
    const eps = 1e-3;
    b.k.f32_batchnorm_grad(m, c, X.ptr, D.ptr, Mn.ptr, V.ptr, hasG ? G.ptr : 0, opts.skip === 'dx' ? 0 : DX.ptr,
      opts.skip === 'dg' ? 0 : DG.ptr, opts.skip === 'dg' ? 0 : DB.ptr, eps, batch ? 1 : 0);
    const ref = batchnormGradRef(m, c, x0, d0, Mn.data, V.data, hasG ? G.data : null, Math.fround(eps), batch);
    const what = `m=${m} c=${c} batch=${batch} gamma=${hasG}`;
    if (opts.skip !== 'dg') {
      for (let j = 0; j < c; j++) {
        near(`${what} dbeta[${j}]`, DB.data[j]!, ref.dbeta[j]!, 2 * ULP * ref.mag[j]! + TINY);
        near(`${what} dgamma[${j}]`, DG.data[j]!, ref.dgamma[j]!, 2 * ULP * ref.mag[j]! + TINY);
      }
    }
    if (opts.skip !== 'dx') {
      for (let j = 0; j < c; j++) {
        const inv = 1 / Math.sqrt(V.data[j]! + Math.fround(eps));
        const g = Math.abs(hasG ? G.data[j]! : 1);
        // scale of the terms of dx in column j: γι(|dy| + Σ|dy|/m + |x̂|·Σ|dy·x̂|/m)
        let sa = 0;
        let sx = 0;
        let mx = 0;
        for (let i = 0; i < m; i++) {
          const xh = Math.abs((x0[i * c + j]! - Mn.data[j]!) * inv);
          sa += Math.abs(d0[i * c + j]!);
          sx += Math.abs(d0[i * c + j]! * xh);
          mx = Math.max(mx, xh);
        }
        for (let i = 0; i < m; i++) {
          const scale = g * inv * (Math.abs(d0[i * c + j]!) + sa / m + (1 + mx) * (sx / m) + Math.abs(Mn.data[j]!) * inv * (sx / m));
          near(`${what} dx[${i},${j}]`, DX.data[i * c + j]!, ref.dx[i * c + j]!, 8 * ULP * scale + TINY);
        }
      }
    }
    if (opts.skip === 'dx') expect(DX.data.every((v) => v === 0)).toBe(true);
    if (opts.skip === 'dg') expect(DG.data.every((v) => v === 0) && DB.data.every((v) => v === 0)).toBe(true);
    sameBits('x unchanged', X.data, x0);
    for (const [buf, name] of [[X, 'x'], [D, 'dy'], [DX, 'dx'], [DG, 'dgamma'], [DB, 'dbeta'], [Mn, 'mean'], [V, 'var']] as const) buf.checkGuards(name);
    if (opts.alias !== true) DX.free();
    freeAll(X, D, Mn, V, G, DG, DB);
  }
  test('odd shapes, through batch statistics and with constant (moving) statistics, with and without γ', () => {
    let seed = 1;
    for (const m of SHAPES) {
      for (const c of SHAPES) {
        check(m, c, true, true, {}, seed++);
        check(m, c, false, true, {}, seed++);
        check(m, c, true, false, {}, seed++);
      }
    }
  });
  test('dx in place of dy; a 0 pointer skips dx, or dγ and dβ', () => {
    check(17, 9, true, true, { alias: true }, 3);
    check(5, 17, false, true, { alias: true }, 4);
    check(17, 9, true, true, { skip: 'dx' }, 5);
    check(17, 9, true, true, { skip: 'dg' }, 6);
  });
  test('through batch statistics the gradient sums to 0 over the batch and is orthogonal to x̂ (Σdx = Σdx·x̂ = 0)', () => {
    const m = 33;
    const c = 5;
    const rng = new Rng(8);
    const X = filled(m * c, rng, 2);
    const D = filled(m * c, rng, 1);
    const Mn = new GuardedBuffer(b, c);
    const V = new GuardedBuffer(b, c);
    const DX = new GuardedBuffer(b, m * c);
    b.k.f32_batchnorm_stats(m, c, X.ptr, Mn.ptr, V.ptr);
    b.k.f32_batchnorm_grad(m, c, X.ptr, D.ptr, Mn.ptr, V.ptr, 0, DX.ptr, 0, 0, 1e-3, 1);
    for (let j = 0; j < c; j++) {
      let s = 0;
      let sx = 0;
      let mag = 0;
      for (let i = 0; i < m; i++) {
        s += DX.data[i * c + j]!;
        sx += DX.data[i * c + j]! * (X.data[i * c + j]! - Mn.data[j]!);
        mag += Math.abs(DX.data[i * c + j]!);
      }
      expect(Math.abs(s)).toBeLessThan(1e-5 * Math.max(mag, 1));
      // ε makes x̂ slightly short of unit variance, so the orthogonality holds to ε/(σ² + ε)
      expect(Math.abs(sx)).toBeLessThan(1e-2 * Math.max(mag, 1));
    }
    freeAll(X, D, Mn, V, DX);
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_layernorm and f32_layernorm_grad', () => {
  function forward(m: number, c: number, hasG: boolean, hasB: boolean, inplace: boolean, offset: number, seed: number): void {
    const rng = new Rng(seed);
    const X = new GuardedBuffer(b, m * c);
    for (let i = 0; i < m * c; i++) X.data[i] = Math.fround(offset + rng.awkward(2));
    const G = filled(c, rng, 2);
    const B = filled(c, rng, 2);
    const x0 = X.data.slice();
    const Y = inplace ? X : new GuardedBuffer(b, m * c);
    const Mn = new GuardedBuffer(b, m);
    const R = new GuardedBuffer(b, m);
    const eps = 1e-3;
    b.k.f32_layernorm(m, c, X.ptr, hasG ? G.ptr : 0, hasB ? B.ptr : 0, Y.ptr, Mn.ptr, R.ptr, eps);
    const ref = layernormRef(m, c, x0, hasG ? G.data : null, hasB ? B.data : null, Math.fround(eps));
    const what = `m=${m} c=${c} gamma=${hasG} beta=${hasB}`;
    for (let i = 0; i < m; i++) {
      near(`${what} mean[${i}]`, Mn.data[i]!, ref.mean[i]!, ULP * Math.abs(ref.mean[i]!) + TINY);
      near(`${what} rstd[${i}]`, R.data[i]!, ref.rstd[i]!, ULP * ref.rstd[i]!);
      for (let j = 0; j < c; j++) {
        const s = Math.abs(ref.rstd[i]! * (hasG ? G.data[j]! : 1));
        const tol = 4 * ULP * ((Math.abs(x0[i * c + j]!) + Math.abs(ref.mean[i]!)) * s + (hasB ? Math.abs(B.data[j]!) : 0)) + TINY;
        near(`${what} y[${i},${j}]`, Y.data[i * c + j]!, ref.y[i * c + j]!, tol);
      }
    }
    for (const [buf, name] of [[X, 'x'], [Y, 'y'], [Mn, 'mean'], [R, 'rstd']] as const) buf.checkGuards(name);
    if (!inplace) Y.free();
    freeAll(X, G, B, Mn, R);
  }
  test('forward on odd shapes with and without γ, β; in place; a large offset', () => {
    let seed = 1;
    for (const m of SHAPES) {
      for (const c of SHAPES) {
        forward(m, c, true, true, false, 0, seed++);
        forward(m, c, false, false, false, 0, seed++);
      }
    }
    forward(7, 33, true, false, true, 0, 100);
    forward(5, 17, false, true, false, 500, 101);
    forward(3, 1000, true, true, false, 0.5, 102);
  });
  function backward(m: number, c: number, hasG: boolean, alias: boolean, seed: number): void {
    const rng = new Rng(seed);
    const X = filled(m * c, rng, 2);
    const D = filled(m * c, rng, 1);
    const G = filled(c, rng, 2);
    const Y = new GuardedBuffer(b, m * c);
    const Mn = new GuardedBuffer(b, m);
    const R = new GuardedBuffer(b, m);
    b.k.f32_layernorm(m, c, X.ptr, hasG ? G.ptr : 0, 0, Y.ptr, Mn.ptr, R.ptr, 1e-3);
    const x0 = X.data.slice();
    const d0 = D.data.slice();
    const DX = alias ? D : new GuardedBuffer(b, m * c);
    const DG = filled(c, rng); // overwritten, not accumulated into
    const DB = filled(c, rng);
    b.k.f32_layernorm_grad(m, c, X.ptr, D.ptr, Mn.ptr, R.ptr, hasG ? G.ptr : 0, DX.ptr, DG.ptr, DB.ptr);
    const ref = layernormGradRef(m, c, x0, d0, Mn.data, R.data, hasG ? G.data : null);
    const what = `m=${m} c=${c} gamma=${hasG}`;
    for (let i = 0; i < m; i++) {
      const r = R.data[i]!;
      let sg = 0;
      let sgx = 0;
      let mx = 0;
      for (let j = 0; j < c; j++) {
        const xh = Math.abs((x0[i * c + j]! - Mn.data[i]!) * r);
        const g = Math.abs(d0[i * c + j]! * (hasG ? G.data[j]! : 1));
        sg += g;
        sgx += g * xh;
        mx = Math.max(mx, xh);
      }
      for (let j = 0; j < c; j++) {
        const g = Math.abs(d0[i * c + j]! * (hasG ? G.data[j]! : 1));
        const scale = r * (g + sg / c + (1 + mx) * (sgx / c));
        near(`${what} dx[${i},${j}]`, DX.data[i * c + j]!, ref.dx[i * c + j]!, 8 * ULP * scale + TINY);
      }
    }
    for (let j = 0; j < c; j++) {
      let mg = 0;
      let mb = 0;
      for (let i = 0; i < m; i++) {
        mb += Math.abs(d0[i * c + j]!);
        mg += Math.abs(d0[i * c + j]! * (x0[i * c + j]! - Mn.data[i]!) * R.data[i]!);
      }
      near(`${what} dbeta[${j}]`, DB.data[j]!, ref.dbeta[j]!, (m + 2) * ULP * mb + TINY);
      near(`${what} dgamma[${j}]`, DG.data[j]!, ref.dgamma[j]!, (m + 4) * ULP * mg + TINY);
    }
    for (const [buf, name] of [[X, 'x'], [D, 'dy'], [DX, 'dx'], [DG, 'dgamma'], [DB, 'dbeta']] as const) buf.checkGuards(name);
    if (!alias) DX.free();
    freeAll(X, D, G, Y, Mn, R, DG, DB);
  }
  test('backward on odd shapes with and without γ; dx in place of dy', () => {
    let seed = 1;
    for (const m of SHAPES) {
      for (const c of SHAPES) {
        backward(m, c, true, false, seed++);
        backward(m, c, false, false, seed++);
      }
    }
    backward(9, 33, true, true, 200);
    backward(3, 1000, true, false, 201);
  });
  test('each row of dx sums to 0 (the gradient of a mean-removing map)', () => {
    const m = 4;
    const c = 37;
    const rng = new Rng(4);
    const X = filled(m * c, rng, 2);
    const D = filled(m * c, rng, 1);
    const Y = new GuardedBuffer(b, m * c);
    const Mn = new GuardedBuffer(b, m);
    const R = new GuardedBuffer(b, m);
    const DX = new GuardedBuffer(b, m * c);
    b.k.f32_layernorm(m, c, X.ptr, 0, 0, Y.ptr, Mn.ptr, R.ptr, 1e-3);
    b.k.f32_layernorm_grad(m, c, X.ptr, D.ptr, Mn.ptr, R.ptr, 0, DX.ptr, 0, 0);
    for (let i = 0; i < m; i++) {
      let s = 0;
      let mag = 0;
      for (let j = 0; j < c; j++) {
        s += DX.data[i * c + j]!;
        mag += Math.abs(DX.data[i * c + j]!);
      }
      expect(Math.abs(s)).toBeLessThan(1e-5 * Math.max(mag, 1));
    }
    freeAll(X, D, Y, Mn, R, DX);
  });
});

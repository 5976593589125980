// Kernel tests of the f32-dropout family, against the float64 references in test/reference/reduce.ts
// (Philox) and test/reference/norm.ts (draws from it): Philox4x32-10 uniforms and inverted dropout
// (Salmon et al., SC'11, and Random123's tests/kat_vectors; Keras 3 keras/src/layers/regularization/
// dropout.py: kept units scaled by 1/(1 − rate)), normals by inversion (Wichura, AS 241 PPND7,
// Applied Statistics 1988), Bernoulli masks, and the broadcast mask product of noise shapes (Keras 3
// noise_shape, keras/src/layers/regularization/). Every output buffer is followed by guard words.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { bernoulliRef, normalCdf, normalRef, ppnd7, vmulBcastRef } from '../reference/norm.js';
import { dropoutMaskRef, dropoutScale, philox4x32_10, uniformRef } from '../reference/reduce.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const SIZES = [0, 1, 3, 4, 5, 15, 16, 17, 33, 100, 1000];
const ULP = 2 ** -23; // one ulp of 1 in f32
const TINY = 8 * 2 ** -149; // slack for subnormal results: a few of the smallest subnormals
const KEY0 = 0x1234567;
const KEY1 = -0x2468ace;

/** A guarded buffer filled from the Rng with awkward values (zeros, -0, subnormals). */
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

/** Bit-for-bit equality of two float arrays (NaN payloads and the sign of zero included). */
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
describe('Philox4x32-10 uniforms and dropout', () => {
  const N = 100_000;

  function uniforms(n: number, key0: number, key1: number, counter: number): Float32Array {
    const Y = new GuardedBuffer(b, n);
    b.k.f32_uniform(n, Y.ptr, key0, key1, counter, 0);
    Y.checkGuards('y');
    const out = Y.data.slice();
    Y.free();
    return out;
  }
  function mask(n: number, rate: number, key0: number, key1: number, counter: number): Float32Array {
    const M = new GuardedBuffer(b, n);
    b.k.f32_dropout_mask(n, M.ptr, rate, key0, key1, counter, 0);
    M.checkGuards('mask');
    const out = M.data.slice();
    M.free();
    return out;
  }

  test('the TypeScript reference reproduces Random123 known answers (kat_vectors)', () => {
    expect(philox4x32_10([0, 0, 0, 0], [0, 0])).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
    expect(philox4x32_10([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))
      .toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
    expect(philox4x32_10([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))
      .toEqual([0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]);
  });
  test('the kernel reproduces the all-zero known answer (key 0, counter 0, block 0)', () => {
    const want = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8].map((w) => (w >>> 8) * 2 ** -24);
    expect(Array.from(uniforms(4, 0, 0, 0))).toEqual(want);
  });
  test('f32_uniform equals the reference bit for bit on every size and several keys/counters', () => {
    const keys: [number, number, number][] = [[0, 0, 0], [1, 2, 3], [-1, 0x7fffffff, 12345], [0x2545f491, -0x21524111, -7]];
    for (const [k0, k1, c] of keys) {
      for (const n of SIZES) {
        const got = uniforms(n, k0, k1, c);
        sameBits(`uniform n=${n} key=(${k0}, ${k1}) counter=${c}`, got, Float32Array.from(uniformRef(n, k0, k1, c)));
      }
    }
  });
  test('u_i depends on i only, not on n: every prefix agrees', () => {
    const all = uniforms(1000, 9, 8, 7);
    for (const n of [1, 3, 4, 5, 17, 33, 100]) sameBits(`prefix ${n}`, uniforms(n, 9, 8, 7), all.subarray(0, n));
  });
  test(`uniforms over ${N}: in [0, 1), mean 0.5 ± 0.005, 16-bin chi-square p > 0.001`, () => {
    const u = uniforms(N, 0x1234, 0x5678, 42);
    let sum = 0;
    const bins = new Array<number>(16).fill(0);
    for (const v of u) {
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
      bins[Math.floor(v * 16)]!++;
    }
    expect(Math.abs(sum / N - 0.5)).toBeLessThan(0.005);
    const e = N / 16;
    const chi2 = bins.reduce((s, o) => s + (o - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(37.697); // χ²(15) at p = 0.001
  });
  test('dropout mask equals the reference bit for bit on every size', () => {
    for (const rate of [0.1, 0.3, 0.5, 0.9]) {
      for (const n of SIZES) sameBits(`mask n=${n} rate=${rate}`, mask(n, rate, 77, -5, 3), dropoutMaskRef(n, rate, 77, -5, 3));
    }
  });
  test(`rate 0.3 over ${N}: zero fraction 0.3 ± 0.01, kept values exactly 1/(1 − 0.3) in f32`, () => {
    const m = mask(N, 0.3, 2024, 11, 0);
    const keep = dropoutScale(0.3);
    expect(keep).toBe(Math.fround(1 / Math.fround(1 - Math.fround(0.3))));
    let zeros = 0;
    for (const v of m) {
      if (v === 0) zeros++;
      else expect(v).toBe(keep);
    }
    expect(Math.abs(zeros / N - 0.3)).toBeLessThan(0.01);
  });
  test('rate 0 gives all ones', () => {
    for (const n of [1, 5, 17, 1000]) expect(Array.from(mask(n, 0, 3, 4, 5)).every((v) => v === 1)).toBe(true);
  });
  test('same key and counter → identical masks; other counters and keys → independent masks', () => {
    const a = mask(N, 0.3, 5, 6, 100);
    sameBits('same key/counter', mask(N, 0.3, 5, 6, 100), a);
    const agree = (p: Float32Array, q: Float32Array) => p.reduce((s, v, i) => s + ((v === 0) === (q[i] === 0) ? 1 : 0), 0) / p.length;
    const expected = 0.7 ** 2 + 0.3 ** 2;
    for (const other of [mask(N, 0.3, 5, 6, 101), mask(N, 0.3, 5, 6, -100), mask(N, 0.3, 6, 6, 100), mask(N, 0.3, 5, 7, 100)]) {
      expect(Math.abs(agree(a, other) - expected)).toBeLessThan(0.01);
    }
  });
  test('f32_dropout: mask as f32_dropout_mask, y = x·mask exactly, on every size, out of place and in place', () => {
    for (const n of SIZES) {
      for (const inplace of [false, true]) {
        const rng = new Rng(n + 99);
        const X = filled(n, rng, 5);
        const Y = inplace ? X : filled(n, rng);
        const M = filled(n, rng);
        const x0 = X.data.slice();
        b.k.f32_dropout(n, X.ptr, Y.ptr, M.ptr, 0.3, 31, 41, 59, 0);
        const want = dropoutMaskRef(n, 0.3, 31, 41, 59);
        sameBits(`dropout mask n=${n}`, M.data, want);
        sameBits(`dropout y n=${n} inplace=${inplace}`, Y.data, Float32Array.from(x0, (v, i) => Math.fround(v * want[i]!)));
        for (const buf of [X, Y, M]) buf.checkGuards('dropout');
        for (const buf of new Set([X, Y, M])) buf.free();
      }
    }
  });
  test('a range starting at element `first` draws exactly that slice of the whole tensor (uniform, mask, dropout)', () => {
    const total = 1037;
    const all = uniforms(total, 12, -34, 56);
    const allMask = mask(total, 0.4, 12, -34, 56);
    for (const first of [0, 4, 8, 12, 16, 20, 64, 100, 516, 1032]) {
      for (const n of [1, 3, 5, 16, 17, 63, 333]) {
        if (first + n > total) continue;
        const Y = new GuardedBuffer(b, n);
        b.k.f32_uniform(n, Y.ptr, 12, -34, 56, first);
        sameBits(`uniform first=${first} n=${n}`, Y.data, all.subarray(first, first + n));
        b.k.f32_dropout_mask(n, Y.ptr, 0.4, 12, -34, 56, first);
        sameBits(`mask first=${first} n=${n}`, Y.data, allMask.subarray(first, first + n));
        const rng = new Rng(first * 7 + n);
        const X = filled(n, rng, 3);
        const M = filled(n, rng);
        const x0 = X.data.slice();
        b.k.f32_dropout(n, X.ptr, X.ptr, M.ptr, 0.4, 12, -34, 56, first);
        sameBits(`dropout mask first=${first} n=${n}`, M.data, allMask.subarray(first, first + n));
        sameBits(`dropout y first=${first} n=${n}`, X.data, Float32Array.from(x0, (v, i) => Math.fround(v * allMask[first + i]!)));
        for (const buf of [Y, X, M]) buf.checkGuards(`first=${first} n=${n}`);
        for (const buf of [Y, X, M]) buf.free();
      }
    }
  });
  test('f32_dropout_clamp_grad equals f32_vmul then the ReLU / ReLU6 gradient kernel, bit for bit, on odd sizes and special values', () => {
    const special = [0, -0, 6, -6, 5.999999, 6.000001, 1e-30, -1e-30, Infinity, -Infinity, NaN, 3];
    for (const [name, lo, hi] of [['relu', 0, Infinity], ['relu6', 0, 6]] as const) {
      for (const n of SIZES) {
        for (const inplace of [false, true]) {
          const rng = new Rng(n * 3 + (inplace ? 1 : 0));
          const X = filled(n, rng, 8);
          for (let i = 0; i < n; i += 3) X.data[i] = special[(i / 3) % special.length]!;
          const dY = filled(n, rng, 2);
          if (n > 2) dY.data[1] = NaN;
          const M = new GuardedBuffer(b, n);
          b.k.f32_dropout_mask(n, M.ptr, 0.5, 9, 9, n, 0);
          const dy0 = dY.data.slice();
          // The unfused path: dropout backward, then the activation's gradient in place.
          const W = filled(n, rng);
          b.k.f32_vmul(n, dY.ptr, M.ptr, W.ptr);
          (b.k as unknown as Record<string, (...a: number[]) => void>)[`f32_v${name}_grad`]!(n, X.ptr, X.ptr, W.ptr, W.ptr, 0);
          const want = W.data.slice();
          dY.data.set(dy0);
          const dX = inplace ? dY : filled(n, rng);
          b.k.f32_dropout_clamp_grad(n, dY.ptr, M.ptr, X.ptr, dX.ptr, lo, hi);
          sameBits(`${name} n=${n} inplace=${inplace}`, dX.data, want);
          for (const buf of new Set([X, dY, M, W, dX])) buf.checkGuards(`${name} n=${n}`);
          for (const buf of new Set([X, dY, M, W, dX])) buf.free();
        }
      }
    }
  });
  test('backward: f32_vmul(n, dy, mask, dx) gives dy·mask', () => {
    const n = 1001;
    const rng = new Rng(5);
    const M = new GuardedBuffer(b, n);
    const dY = filled(n, rng);
    const dX = filled(n, rng);
    b.k.f32_dropout_mask(n, M.ptr, 0.5, 1, 2, 3, 0);
    const m0 = M.data.slice();
    const dy0 = dY.data.slice();
    b.k.f32_vmul(n, dY.ptr, M.ptr, dX.ptr);
    sameBits('dx', dX.data, Float32Array.from(dy0, (v, i) => Math.fround(v * m0[i]!)));
    dX.checkGuards('dx');
    for (const buf of [M, dY, dX]) buf.free();
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_normal (AS 241 PPND7 inversion of the Philox uniforms)', () => {
  test('the float64 reference is a faithful Φ⁻¹: known quantiles to 2e-7 relative', () => {
    const known: [number, number][] = [
      [0.5, 0], [0.75, 0.6744897501960817], [0.9, 1.2815515655446004], [0.975, 1.959963984540054],
      [0.995, 2.5758293035489004], [0.001, -3.090232306167813], [1e-4, -3.719016485455709], [1e-7, -5.199337582187471],
      [0.025, -1.959963984540054], [0.3, -0.5244005127080407],
    ];
    for (const [p, z] of known) near(`ppnd7(${p})`, ppnd7(p), z, 2e-7 * Math.max(1, Math.abs(z)));
  });
  test('against the reference on every size, mean and stddev (4e-6·stddev·max(1, |z|))', () => {
    for (const n of SIZES) {
      for (const [mean, std] of [[0, 1], [1, 0.3], [-2.5, 7]] as const) {
        const Y = new GuardedBuffer(b, n);
        const counter = n * 3 + 1;
        b.k.f32_normal(n, Y.ptr, mean, std, KEY0, KEY1, counter);
        const ref = normalRef(n, Math.fround(mean), Math.fround(std), KEY0, KEY1, counter);
        for (let i = 0; i < n; i++) {
          const z = (ref[i]! - mean) / std;
          near(`normal n=${n} mean=${mean} std=${std} y[${i}]`, Y.data[i]!, ref[i]!, 4e-6 * std * Math.max(1, Math.abs(z)) + ULP * Math.abs(mean));
        }
        Y.checkGuards('y');
        Y.free();
      }
    }
  });
  test('z_i depends on (key, counter, i) only: every prefix agrees bit for bit', () => {
    const L = new GuardedBuffer(b, 100);
    b.k.f32_normal(100, L.ptr, 0, 1, KEY0, KEY1, 9);
    for (const n of [1, 3, 5, 17, 33, 99]) {
      const S = new GuardedBuffer(b, n);
      b.k.f32_normal(n, S.ptr, 0, 1, KEY0, KEY1, 9);
      sameBits(`prefix ${n}`, S.data, L.data.subarray(0, n));
      S.checkGuards('y');
      S.free();
    }
    L.free();
  });
  const N = 200_000;
  test(`${N} draws: mean 0 ± 4/√N, variance 1 ± 0.01, Kolmogorov–Smirnov D < 1.63/√N, |z| ≤ 5.33`, () => {
    const Y = new GuardedBuffer(b, N);
    b.k.f32_normal(N, Y.ptr, 0, 1, 77, 78, 5);
    const z = Float64Array.from(Y.data);
    let s = 0;
    let q = 0;
    for (const v of z) {
      s += v;
      q += v * v;
    }
    const mean = s / N;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(q / N - mean * mean - 1)).toBeLessThan(0.01);
    z.sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const f = normalCdf(z[i]!);
      d = Math.max(d, Math.abs(f - i / N), Math.abs((i + 1) / N - f));
    }
    expect(d).toBeLessThan(1.63 / Math.sqrt(N));
    expect(Math.max(-z[0]!, z[N - 1]!)).toBeLessThanOrEqual(5.33);
    Y.free();
  });
  test('other counters and keys give other draws (correlation below 0.02)', () => {
    const n = 20_000;
    const corr = (a: Float32Array, c: Float32Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i]! * c[i]!;
      return s / n;
    };
    const A = new GuardedBuffer(b, n);
    const B = new GuardedBuffer(b, n);
    const C = new GuardedBuffer(b, n);
    b.k.f32_normal(n, A.ptr, 0, 1, 1, 2, 0);
    b.k.f32_normal(n, B.ptr, 0, 1, 1, 2, 1);
    b.k.f32_normal(n, C.ptr, 0, 1, 1, 3, 0);
    expect(Math.abs(corr(A.data, B.data))).toBeLessThan(0.02);
    expect(Math.abs(corr(A.data, C.data))).toBeLessThan(0.02);
    b.k.f32_normal(n, B.ptr, 0, 1, 1, 2, 0);
    sameBits('same key and counter', B.data, A.data);
    freeAll(A, B, C);
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_bernoulli', () => {
  test('equals the reference bit for bit on every size and several p, v', () => {
    for (const n of SIZES) {
      for (const [p, v] of [[0.3, 1], [0.05, 0.8715], [0.9, -2]] as const) {
        const Y = new GuardedBuffer(b, n);
        b.k.f32_bernoulli(n, Y.ptr, p, v, KEY0, KEY1, n);
        sameBits(`bernoulli n=${n} p=${p}`, Y.data, bernoulliRef(n, p, Math.fround(v), KEY0, KEY1, n));
        Y.checkGuards('y');
        Y.free();
      }
    }
  });
  test('p = 0 gives all v; the kept fraction over 100000 is 1 − p ± 0.01', () => {
    const n = 100_000;
    const Y = new GuardedBuffer(b, n);
    b.k.f32_bernoulli(n, Y.ptr, 0, 3, 5, 6, 7);
    expect(Y.data.every((v) => v === 3)).toBe(true);
    b.k.f32_bernoulli(n, Y.ptr, 0.25, 1, 5, 6, 7);
    const kept = Y.data.reduce((a, v) => a + v, 0) / n;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.01);
    Y.free();
  });
});

// ---------------------------------------------------------------------------------------------
describe('f32_vmul_bcast', () => {
  function check(p: number, q: number, r: number, on: number, off: number, inplace: boolean, seed: number): void {
    const rng = new Rng(seed);
    const X = filled(p * q * r, rng, 3);
    const M = new GuardedBuffer(b, p * r);
    for (let i = 0; i < p * r; i++) M.data[i] = rng.next() < 0.3 ? 0 : Math.fround(rng.uniform(0.5, 2));
    const x0 = X.data.slice();
    const m0 = M.data.slice();
    const Y = inplace ? X : new GuardedBuffer(b, p * q * r);
    b.k.f32_vmul_bcast(p, q, r, X.ptr, M.ptr, Y.ptr, on, off);
    const ref = vmulBcastRef(p, q, r, x0, m0, Math.fround(on), Math.fround(off));
    const got = Y.data;
    if (on === 0 && off === 0) {
      // a plain product: exactly x·m in f32
      const want = new Float32Array(p * q * r);
      for (let i = 0; i < want.length; i++) want[i] = ref[i]!;
      sameBits(`p=${p} q=${q} r=${r} product`, got, want);
    } else {
      for (let i = 0; i < ref.length; i++) {
        near(`p=${p} q=${q} r=${r} y[${i}]`, got[i]!, ref[i]!, ULP * (Math.abs(ref[i]!) + Math.abs(on) + Math.abs(off)) + TINY);
      }
    }
    sameBits('mask unchanged', M.data, m0);
    X.checkGuards('x');
    Y.checkGuards('y');
    M.checkGuards('m');
    if (!inplace) Y.free();
    freeAll(X, M);
  }
  test('p, q, r in {1, 3, 5, 17} (r = 1 is the per-sample path), plain and with offsets', () => {
    let seed = 1;
    for (const p of [1, 3, 5, 17]) {
      for (const q of [1, 3, 5, 17]) {
        for (const r of [1, 3, 4, 5, 17]) {
          check(p, q, r, 0, 0, false, seed++);
          check(p, q, r, 0.25, -1.5, false, seed++);
        }
      }
    }
  });
  test('in place (y = x)', () => {
    check(3, 5, 17, 0, 0, true, 91);
    check(3, 5, 17, 0.5, -0.75, true, 92);
    check(4, 33, 1, 0.5, -0.75, true, 93);
  });
});

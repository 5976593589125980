// The f32-prox family (assembly/f32-prox) against the float64 references in
// test/reference/prox.ts: soft-thresholding per optimizer (lasso / ISTA: Tibshirani 1996,
// Daubechies et al. 2004; per-coordinate thresholds: Duchi et al. 2011 §5), Keras 3
// constraints (keras/src/constraints/constraints.py), zero counts and Welford's mean /
// population std. FTRL, an optimizer, is in f32-optim-ftrl.test.ts.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import {
  meanStdRef, minMaxNormRef, nonNegRef, proxL1AdamRef, proxL1FtrlRef, proxL1Ref, proxL1RmsRef, softThreshold,
} from '../reference/prox.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const f = Math.fround;
const EPS32 = 2 ** -24;
const ABS_FLOOR = 1e-38;
const SIZES = [0, 1, 3, 5, 17, 33, 1000];

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.slice().buffer);
}

// ---------------------------------------------------------------- soft-thresholding

/** One prox kernel: its state buffers (non-negative where needed), the call and the float64 reference. */
interface ProxVariant {
  name: string;
  states: ('v' | 'mg')[];
  init(rng: Rng): { v: number; mg: number };
  kernel(n: number, w: number, v: number, mg: number): void;
  ref(w: Float64Array, v: Float64Array, mg: Float64Array): void;
  /** The float64 threshold of element i (to tell "clearly below τ" from "near τ"). */
  tau(v: number, mg: number): number;
}

const LAMBDA_LR = f(0.05);
const EPS = f(1e-7);

const PROX: ProxVariant[] = [
  {
    name: 'f32_prox_l1 (SGD: τ = λ·lr)', states: [], init: () => ({ v: 0, mg: 0 }),
    kernel: (n, w) => b.k.f32_prox_l1(n, w, LAMBDA_LR),
    ref: (w) => proxL1Ref(w, LAMBDA_LR),
    tau: () => LAMBDA_LR,
  },
  {
    name: 'f32_prox_l1_adam (τ = λ·lrT/(√v + ε))', states: ['v'],
    init: (rng) => ({ v: f(Math.abs(rng.awkward(4))), mg: 0 }),
    kernel: (n, w, v) => b.k.f32_prox_l1_adam(n, w, v, f(0.01), EPS),
    ref: (w, v) => proxL1AdamRef(w, v, f(0.01), EPS),
    tau: (v) => f(0.01) / (Math.sqrt(v) + EPS),
  },
  {
    name: 'f32_prox_l1_rms plain (τ = λ·lr/√(v + ε))', states: ['v'],
    init: (rng) => ({ v: f(Math.abs(rng.awkward(4))), mg: 0 }),
    kernel: (n, w, v) => b.k.f32_prox_l1_rms(n, w, v, 0, f(0.01), EPS),
    ref: (w, v) => proxL1RmsRef(w, v, null, f(0.01), EPS),
    tau: (v) => f(0.01) / Math.sqrt(v + EPS),
  },
  {
    name: 'f32_prox_l1_rms centered (τ = λ·lr/√(v − mg² + ε))', states: ['v', 'mg'],
    init: (rng) => {
      const mg = rng.awkward(0.5);
      return { mg, v: f(mg * mg + rng.uniform(0.001, 1)) };
    },
    kernel: (n, w, v, mg) => b.k.f32_prox_l1_rms(n, w, v, mg, f(0.01), EPS),
    ref: (w, v, mg) => proxL1RmsRef(w, v, mg, f(0.01), EPS),
    tau: (v, mg) => f(0.01) / Math.sqrt(v - mg * mg + EPS),
  },
  {
    name: 'f32_prox_l1_ftrl √ (τ = λ·lr/(√acc + d))', states: ['v'],
    init: (rng) => ({ v: f(0.1 + Math.abs(rng.awkward(2))), mg: 0 }),
    kernel: (n, w, v) => b.k.f32_prox_l1_ftrl(n, w, v, f(0.02), f(0.003), 0.5),
    ref: (w, v) => proxL1FtrlRef(w, v, f(0.02), f(0.003), 0.5),
    tau: (v) => f(0.02) / (Math.sqrt(v) + f(0.003)),
  },
  {
    name: 'f32_prox_l1_ftrl pow (e = 0.7)', states: ['v'],
    init: (rng) => ({ v: f(0.1 + Math.abs(rng.awkward(2))), mg: 0 }),
    kernel: (n, w, v) => b.k.f32_prox_l1_ftrl(n, w, v, f(0.02), f(0.003), f(0.7)),
    ref: (w, v) => proxL1FtrlRef(w, v, f(0.02), f(0.003), f(0.7)),
    tau: (v) => f(0.02) / (v ** f(0.7) + f(0.003)),
  },
];

interface ProxRun {
  w0: Float32Array;
  v: Float32Array;
  mg: Float32Array;
  got: Float32Array;
  want: Float64Array;
}

function runProx(p: ProxVariant, n: number, seed: number): ProxRun {
  const rng = new Rng(seed);
  const w0 = new Float32Array(n);
  const v = new Float32Array(n);
  const mg = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Weights on both sides of the threshold, plus the awkward values (±0, subnormals).
    w0[i] = rng.next() < 0.5 ? rng.awkward(0.1) : rng.awkward(2);
    const s = p.init(rng);
    v[i] = s.v;
    mg[i] = s.mg;
  }
  const wb = new GuardedBuffer(b, n).set(w0);
  const vb = new GuardedBuffer(b, n).set(v);
  const mb = new GuardedBuffer(b, n).set(mg);
  p.kernel(n, wb.ptr, vb.ptr, mb.ptr);
  const got = wb.data.slice();
  expect(bits(vb.data)).toEqual(bits(v));
  expect(bits(mb.data)).toEqual(bits(mg));
  for (const [name, buf] of [['w', wb], ['v', vb], ['mg', mb]] as const) buf.checkGuards(`${p.name} ${name}`);
  for (const buf of [wb, vb, mb]) buf.free();
  const want = Float64Array.from(w0);
  p.ref(want, Float64Array.from(v), Float64Array.from(mg));
  return { w0, v, mg, got, want };
}

function checkProx(p: ProxVariant, n: number, seed: number): void {
  const r = runProx(p, n, seed);
  for (let i = 0; i < n; i++) {
    const tau = p.tau(r.v[i]!, r.mg[i]!);
    const a = Math.abs(r.w0[i]!);
    const label = `${p.name} n=${n}: w[${i}] from ${r.w0[i]} (τ ${tau})`;
    if (a < tau * (1 - 1e-4)) {
      // Clearly inside the threshold: exactly +0, never −0.
      if (!Object.is(r.got[i], 0)) throw new Error(`${label}: got ${r.got[i]}, want +0`);
    } else {
      const bound = 8 * EPS32 * Math.max(a, tau) + ABS_FLOOR;
      const err = Math.abs(r.got[i]! - r.want[i]!);
      if (!(err <= bound)) throw new Error(`${label}: got ${r.got[i]}, want ${r.want[i]} (err ${err}, bound ${bound})`);
      if (r.got[i] !== 0 && Math.sign(r.got[i]!) !== Math.sign(r.w0[i]!)) throw new Error(`${label}: sign flipped`);
    }
  }
}

describe.each(PROX.map((p) => ({ name: p.name, p })))('$name', ({ p }) => {
  test('against the float64 reference, n = 0, 1, 3, 5, 17, 33, 1000', () => {
    for (const n of SIZES) checkProx(p, n, 10 + n);
  });
  test('n_lt_4 and n_gt_4 (1..12)', () => {
    for (let n = 1; n <= 12; n++) checkProx(p, n, 40 + n);
  });
  test('body and tail give identical bits (n = 1, 2, 3, 17, 18, 19 vs 20)', () => {
    const full = runProx(p, 20, 7);
    for (const n of [1, 2, 3, 17, 18, 19]) {
      const part = runProx(p, n, 7);
      expect(Array.from(part.w0)).toEqual(Array.from(full.w0.slice(0, n)));
      expect(bits(part.got), `n=${n}`).toEqual(bits(full.got.slice(0, n)));
    }
  });
});

describe('soft-thresholding: the checks can fail', () => {
  test('a threshold off by 1% is rejected', () => {
    const p = PROX[0]!;
    const r = runProx(p, 1000, 3);
    const off = Float64Array.from(r.w0, (w) => softThreshold(w, LAMBDA_LR * 1.01));
    let bad = 0;
    for (let i = 0; i < 1000; i++) if (Math.abs(r.got[i]! - off[i]!) > 8 * EPS32 * Math.max(Math.abs(r.w0[i]!), LAMBDA_LR)) bad++;
    expect(bad).toBeGreaterThan(100);
  });
  test('NaN stays NaN; ±0 and |w| = τ give +0; ±∞ stay ±∞', () => {
    const w = new GuardedBuffer(b, 7).set([NaN, -0, 0, LAMBDA_LR, -LAMBDA_LR, Infinity, -Infinity]);
    b.k.f32_prox_l1(7, w.ptr, LAMBDA_LR);
    const d = Array.from(w.data);
    expect(Number.isNaN(d[0])).toBe(true);
    expect(d.slice(1, 5).every((x) => Object.is(x, 0))).toBe(true);
    expect(d.slice(5)).toEqual([Infinity, -Infinity]);
    w.checkGuards();
    w.free();
  });
});

// ---------------------------------------------------------------- constraints

describe('f32_minmax_norm (Keras MaxNorm, UnitNorm, MinMaxNorm over [outer, len, inner])', () => {
  const CASES: [string, number, number, number][] = [
    ['MaxNorm(2)', 0, 2, 1],
    ['UnitNorm', 1, 1, 1],
    ['MinMaxNorm(0.5, 1.5, rate 0.7)', 0.5, 1.5, 0.7],
  ];
  function normCheck(outer: number, len: number, inner: number, lo: number, hi: number, rate: number, seed: number, range: number): Float32Array {
    const rng = new Rng(seed);
    const n = outer * len * inner;
    const w0 = new Float32Array(n);
    for (let i = 0; i < n; i++) w0[i] = rng.awkward(range);
    const w = new GuardedBuffer(b, n).set(w0);
    b.k.f32_minmax_norm(outer, len, inner, w.ptr, f(lo), f(hi), f(rate), f(1e-7));
    const got = w.data.slice();
    w.checkGuards(`[${outer}, ${len}, ${inner}]`);
    w.free();
    const want = minMaxNormRef(w0, outer, len, inner, f(lo), f(hi), f(rate), f(1e-7));
    const tol = (8 + 2 * Math.sqrt(len)) * EPS32;
    for (let i = 0; i < n; i++) {
      const err = Math.abs(got[i]! - want[i]!);
      if (!(err <= tol * Math.abs(want[i]!) + ABS_FLOOR)) {
        throw new Error(`[${outer}, ${len}, ${inner}] lo=${lo} hi=${hi} rate=${rate}: w[${i}] got ${got[i]}, want ${want[i]} (from ${w0[i]})`);
      }
    }
    return got;
  }
  test.each(CASES)('%s: odd shapes, inner = 1 (contiguous) and inner > 1 (columns)', (_name, lo, hi, rate) => {
    for (const outer of [1, 2, 3]) {
      for (const len of [1, 3, 5, 17, 33]) {
        for (const inner of [1, 3, 4, 5, 17]) {
          normCheck(outer, len, inner, lo, hi, rate, outer * 1000 + len * 10 + inner, 1);
          normCheck(outer, len, inner, lo, hi, rate, outer * 1000 + len * 10 + inner + 1, 0.05); // small norms
        }
      }
    }
    normCheck(1, 1000, 1, lo, hi, rate, 5, 1);
    normCheck(1, 100, 64, lo, hi, rate, 6, 1);
  });
  test('MaxNorm: every column norm ends ≤ max; UnitNorm: every column norm ends 1', () => {
    const colNorms = (w: Float32Array, len: number, inner: number) =>
      Array.from({ length: inner }, (_, j) => Math.sqrt(Array.from({ length: len }, (_, a) => w[a * inner + j]! ** 2).reduce((s, x) => s + x, 0)));
    const capped = colNorms(normCheck(1, 33, 17, 0, 2, 1, 9, 3), 33, 17);
    expect(Math.max(...capped)).toBeLessThanOrEqual(2 * (1 + 1e-6));
    expect(Math.max(...capped)).toBeGreaterThan(1.999);
    const unit = colNorms(normCheck(1, 33, 17, 1, 1, 1, 9, 3), 33, 17);
    for (const u of unit) expect(u).toBeCloseTo(1, 5);
  });
  test('columns at a 4-column block edge match the tail (inner = 5 vs 4 + 1 equal columns)', () => {
    // Column j of a [len, 5] matrix goes through the vector body for j < 4 and the tail for j = 4:
    // put the same values in columns 0 and 4 and expect the same bits.
    const len = 9;
    const rng = new Rng(3);
    const w0 = new Float32Array(len * 5);
    for (let a = 0; a < len; a++) {
      for (let j = 0; j < 4; j++) w0[a * 5 + j] = rng.awkward(2);
      w0[a * 5 + 4] = w0[a * 5]!;
    }
    const w = new GuardedBuffer(b, w0.length).set(w0);
    b.k.f32_minmax_norm(1, len, 5, w.ptr, 0, 1, 1, f(1e-7));
    const got = w.data.slice();
    for (let a = 0; a < len; a++) expect(Object.is(got[a * 5 + 4], got[a * 5])).toBe(true);
    w.free();
  });
  test('a reference with ε added to the norm twice would be caught', () => {
    const rng = new Rng(8);
    const w0 = Float32Array.from({ length: 3 * 4 }, () => rng.uniform(-1e-6, 1e-6));
    const w = new GuardedBuffer(b, w0.length).set(w0);
    b.k.f32_minmax_norm(1, 3, 4, w.ptr, 1, 1, 1, f(1e-7));
    const got = w.data.slice();
    const wrong = minMaxNormRef(w0, 1, 3, 4, 1, 1, 1, 2e-7);
    expect(got.some((g, i) => Math.abs(g - wrong[i]!) > 1e-3 * Math.abs(wrong[i]!))).toBe(true);
    w.free();
  });
});

describe('f32_nonneg (Keras NonNeg: max(w, 0))', () => {
  test('exact, out of place and in place, odd sizes', () => {
    for (const n of SIZES) {
      for (const inplace of [false, true]) {
        const rng = new Rng(n + 1);
        const x0 = Float32Array.from({ length: n }, () => rng.awkward(3));
        const x = new GuardedBuffer(b, n).set(x0);
        const y = inplace ? x : new GuardedBuffer(b, n);
        b.k.f32_nonneg(n, x.ptr, y.ptr);
        const want = nonNegRef(x0);
        const got = y.data.slice();
        for (let i = 0; i < n; i++) if (got[i] !== want[i]) throw new Error(`n=${n}: y[${i}] got ${got[i]}, want ${want[i]}`);
        expect(got.every((v) => !Object.is(v, -0))).toBe(true);
        if (!inplace) {
          expect(bits(x.data)).toEqual(bits(x0));
          y.checkGuards('y');
          y.free();
        }
        x.checkGuards('x');
        x.free();
      }
    }
  });
});

describe('f32_count_zeros', () => {
  test('counts +0 and −0, not subnormals, n = 0..1000', () => {
    for (const n of [...SIZES, 2, 4, 6, 7, 8, 9]) {
      const rng = new Rng(n);
      const x0 = Float32Array.from({ length: n }, () => rng.awkward(1));
      const x = new GuardedBuffer(b, n).set(x0);
      expect(b.k.f32_count_zeros(n, x.ptr), `n=${n}`).toBe(x0.filter((v) => v === 0).length);
      x.free();
    }
  });
});

// ---------------------------------------------------------------- Welford

describe('f32_welford / f32_welford_std (mean and population std over samples)', () => {
  function runWelford(n: number, k: number, seed: number, offset: number) {
    const rng = new Rng(seed);
    const samples = Array.from({ length: k }, () => Float32Array.from({ length: n }, () => f(offset + rng.awkward(1))));
    const x = new GuardedBuffer(b, n);
    const mean = new GuardedBuffer(b, n);
    const m2 = new GuardedBuffer(b, n);
    const std = new GuardedBuffer(b, n);
    samples.forEach((s, i) => {
      x.set(s);
      b.k.f32_welford(n, x.ptr, mean.ptr, m2.ptr, i + 1);
    });
    b.k.f32_welford_std(n, m2.ptr, std.ptr, k);
    for (const [name, buf] of [['x', x], ['mean', mean], ['m2', m2], ['std', std]] as const) buf.checkGuards(name);
    const got = { mean: mean.data.slice(), std: std.data.slice() };
    for (const buf of [x, mean, m2, std]) buf.free();
    return { got, want: meanStdRef(samples, n) };
  }
  test('against a two-pass float64 mean and std, odd sizes, 1..30 samples, offset data', () => {
    for (const n of SIZES) {
      for (const k of [1, 2, 3, 30]) {
        for (const offset of [0, 10]) {
          const { got, want } = runWelford(n, k, n * 7 + k, offset);
          const scale = 1 + offset;
          for (let i = 0; i < n; i++) {
            if (!(Math.abs(got.mean[i]! - want.mean[i]!) <= 8 * k * EPS32 * scale)) throw new Error(`n=${n} k=${k}: mean[${i}] got ${got.mean[i]}, want ${want.mean[i]}`);
            if (!(Math.abs(got.std[i]! - want.std[i]!) <= 16 * k * EPS32 * scale)) throw new Error(`n=${n} k=${k}: std[${i}] got ${got.std[i]}, want ${want.std[i]}`);
          }
        }
      }
    }
  });
  test('one sample, or identical samples, give std exactly 0 and the value as mean', () => {
    const n = 13;
    const x0 = Float32Array.from({ length: n }, (_, i) => f(i * 0.37 - 2));
    const x = new GuardedBuffer(b, n).set(x0);
    const mean = new GuardedBuffer(b, n);
    const m2 = new GuardedBuffer(b, n);
    for (let k = 1; k <= 5; k++) b.k.f32_welford(n, x.ptr, mean.ptr, m2.ptr, k);
    b.k.f32_welford_std(n, m2.ptr, m2.ptr, 5);
    expect(Array.from(mean.data)).toEqual(Array.from(x0));
    expect(Array.from(m2.data).every((v) => v === 0)).toBe(true);
    for (const buf of [x, mean, m2]) buf.free();
  });
});

// Property-based tests (fast-check): kernels against their references on random shapes and values
// (±0, subnormals, large magnitudes), and random call sequences on the public API that must never
// trap in wasm or corrupt the model.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { gemmRef } from '../reference/gemm.js';
import { colsumRef, sumsqRef } from '../reference/reduce.js';
import { ACTIVATIONS } from '../reference/activations.js';
import { adamRef } from '../reference/optimizers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

/** float32 values with the awkward ones over-represented. */
const f32 = fc.oneof(
  { weight: 6, arbitrary: fc.float({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-40, -1e-40, 1e-30, 3e4, -3e4) },
);

describe('kernels on random shapes and values', () => {
  test('GEMM (nn, tn, nt) matches the float64 reference', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('nn', 'tn', 'nt'), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 0, max: 300 }),
        fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (variant, m, n, k, beta, bias, seed) => {
          const vals = fc.sample(f32, { numRuns: m * k + k * n + m * n + n, seed });
          const A = new GuardedBuffer(b, Math.max(1, m * k)).set(vals.slice(0, m * k));
          const B = new GuardedBuffer(b, Math.max(1, k * n)).set(vals.slice(m * k, m * k + k * n));
          const C = new GuardedBuffer(b, m * n).set(vals.slice(m * k + k * n, m * k + k * n + m * n));
          const Bi = new GuardedBuffer(b, n).set(vals.slice(m * k + k * n + m * n));
          const a0 = A.data.slice();
          const b0 = B.data.slice();
          const c0 = C.data.slice();
          const ws = b.arena.alloc(b.k.f32_gemm_workspace_bytes(m, n, k));
          const lda = variant === 'tn' ? m : k;
          const ldb = variant === 'nt' ? k : n;
          const fn = variant === 'nn' ? b.k.f32_gemm_nn_minmax : variant === 'tn' ? b.k.f32_gemm_tn_minmax : b.k.f32_gemm_nt_minmax;
          fn(m, n, k, A.ptr, lda, B.ptr, ldb, bias ? Bi.ptr : 0, beta ? 1 : 0, C.ptr, n, -Infinity, Infinity, ws.ptr);
          const ref = gemmRef(variant, m, n, k, a0, lda, b0, ldb, bias ? Bi.data.slice() : null, beta ? 1 : 0, c0, n, -Infinity, Infinity);
          const got = C.data;
          for (let i = 0; i < m * n; i++) {
            const tol = 4 * 2 ** -24 * (k + 3) * ref.mag[i]! + 1e-37;
            if (!(Math.abs(got[i]! - ref.c[i]!) <= tol)) throw new Error(`${variant} ${m}x${n}x${k}: C[${i}] = ${got[i]}, want ${ref.c[i]}`);
          }
          for (const [name, buf] of [['A', A], ['B', B], ['C', C], ['bias', Bi]] as const) buf.checkGuards(name);
          for (const buf of [A, B, C, Bi]) buf.free();
          b.arena.release(ws);
        },
      ),
      { numRuns: 150, seed: 42 },
    );
  });
  test('column sums and Σx² match their references', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 70 }), fc.array(f32, { minLength: 2800, maxLength: 2800 }), (m, n, vals) => {
        const X = new GuardedBuffer(b, m * n).set(vals.slice(0, m * n));
        const Y = new GuardedBuffer(b, n);
        b.k.f32_colsum(m, n, X.ptr, n, Y.ptr, 0);
        const want = colsumRef(m, n, X.data.slice(), n, new Float32Array(n), 0).y;
        const sq = b.k.f32_sumsq(m * n, X.ptr);
        const wantSq = sumsqRef(X.data.slice());
        Y.checkGuards('y');
        for (let j = 0; j < n; j++) {
          let mag = 0;
          for (let i = 0; i < m; i++) mag += Math.abs(X.data[i * n + j]!);
          expect(Math.abs(Y.data[j]! - want[j]!)).toBeLessThanOrEqual((m + 4) * 2 ** -23 * mag + 1e-37);
        }
        expect(Math.abs(sq - wantSq)).toBeLessThanOrEqual((m * n + 4) * 2 ** -23 * wantSq + 1e-37);
        X.free();
        Y.free();
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

/** The float32 ulp at |v| (2^-149 at zero and for subnormals). */
function ulp32(v: number): number {
  const a = Math.abs(Math.fround(v));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

describe('activation and optimizer kernels on random sizes and values', () => {
  const wide = fc.oneof(
    { weight: 4, arbitrary: fc.float({ min: -30, max: 30, noNaN: true }) },
    { weight: 1, arbitrary: fc.float({ min: Math.fround(-1e30), max: Math.fround(1e30), noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, Math.fround(1e-40), Math.fround(-1e-40), Math.fround(3.4e38), Math.fround(-3.4e38)) },
  );
  test('every elementwise activation (forward) is within 4 ulps of its float64 reference, tails included', () => {
    const kernels = b.k as unknown as Record<string, (n: number, x: number, y: number, alpha: number) => void>;
    fc.assert(
      // Linear has no kernel of its own (the kernel table: a GEMM without clamp, or a copy).
      fc.property(fc.constantFrom(...ACTIVATIONS.filter((a) => a.name !== 'linear')), fc.array(wide, { minLength: 0, maxLength: 67 }), (act, values) => {
        const n = values.length;
        const X = new GuardedBuffer(b, Math.max(1, n)).set(values);
        const Y = new GuardedBuffer(b, Math.max(1, n));
        const alpha = act.alpha ?? Number.NaN;
        kernels[`f32_v${act.name}`]!(n, X.ptr, Y.ptr, alpha);
        for (let i = 0; i < n; i++) {
          const want = act.f(Math.fround(values[i]!), alpha);
          const got = Y.data[i]!;
          const ok = Object.is(got, Math.fround(want)) || Math.abs(got - want) <= 4 * ulp32(want) || (Number.isNaN(want) && Number.isNaN(got));
          if (!ok) throw new Error(`${act.name}(${values[i]}) = ${got}, want ${want}`);
        }
        Y.checkGuards('y');
        X.free();
        Y.free();
      }),
      { numRuns: 400, seed: 11 },
    );
  });
  test('Adam (with AMSGrad and weight decay) matches its float64 reference on random sizes and gradients', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.boolean(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (n, amsgrad, seed) => {
        const vals = fc.sample(fc.float({ min: -3, max: 3, noNaN: true }), { numRuns: 2 * n + 1, seed });
        const w0 = Float32Array.from(vals.slice(0, n));
        const g = Float32Array.from(vals.slice(n, 2 * n));
        const W = new GuardedBuffer(b, Math.max(1, n)).set(w0);
        const G = new GuardedBuffer(b, Math.max(1, n)).set(g);
        const M = new GuardedBuffer(b, Math.max(1, n));
        const V = new GuardedBuffer(b, Math.max(1, n));
        const H = new GuardedBuffer(b, Math.max(1, n));
        const o = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad, weightDecay: 0.004, iteration: 0 };
        const lrT = Math.fround(0.01 * Math.sqrt(1 - 0.999) / (1 - 0.9));
        b.k.f32_adam(n, W.ptr, G.ptr, M.ptr, V.ptr, amsgrad ? H.ptr : 0, lrT, 0.9, 0.999, 1e-7, Math.fround(0.004 * 0.01), 0);
        const w = Float64Array.from(w0);
        const state = { m: new Float64Array(n), v: new Float64Array(n), vhat: amsgrad ? new Float64Array(n) : undefined };
        adamRef(w, g, state, o);
        for (let i = 0; i < n; i++) expect(Math.abs(W.data[i]! - w[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(w[i]!)));
        for (const [name, buf] of [['w', W], ['m', M], ['v', V], ['vhat', H]] as const) buf.checkGuards(name);
        for (const buf of [W, G, M, V, H]) buf.free();
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe('random call sequences on the public API', () => {
  const F = 3;
  const C = 2;
  type Op =
    | { kind: 'fit'; n: number; bad: 'none' | 'nan' | 'shape' | 'label'; batchSize: number }
    | { kind: 'predict'; n: number; bad: 'none' | 'nan' | 'shape'; training: boolean }
    | { kind: 'evaluate'; n: number }
    | { kind: 'setWeights'; bad: boolean }
    | { kind: 'trainOnBatch'; n: number }
    | { kind: 'compile'; optimizer: string };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('fit' as const), n: fc.integer({ min: 1, max: 20 }), bad: fc.constantFrom('none' as const, 'nan' as const, 'shape' as const, 'label' as const), batchSize: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant('predict' as const), n: fc.integer({ min: 1, max: 20 }), bad: fc.constantFrom('none' as const, 'nan' as const, 'shape' as const), training: fc.boolean() }),
    fc.record({ kind: fc.constant('evaluate' as const), n: fc.integer({ min: 1, max: 20 }) }),
    fc.record({ kind: fc.constant('setWeights' as const), bad: fc.boolean() }),
    fc.record({ kind: fc.constant('trainOnBatch' as const), n: fc.integer({ min: 1, max: 12 }) }),
    fc.record({ kind: fc.constant('compile' as const), optimizer: fc.constantFrom('sgd', 'adam', 'rmsprop', 'adagrad', 'adamw') }),
  );
  const data = (n: number, cols: number, seed: number) => Float32Array.from({ length: n * cols }, (_, i) => Math.sin(seed * 31 + i * 1.7));

  test('no wasm trap, failed calls change nothing, the model keeps working', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        km.setSeed(1);
        const m = km.sequential({ layers: [km.layers.dense({ units: 4, activation: 'relu', inputShape: [F] }), km.layers.dropout({ rate: 0.3 }), km.layers.dense({ units: C, activation: 'softmax' })] });
        m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
        for (const [i, o] of ops.entries()) {
          const before = m.getWeights().map((w) => Array.from(w.data));
          let failed = false;
          try {
            if (o.kind === 'fit') {
              const x = data(o.n, o.bad === 'shape' ? F + 1 : F, i);
              if (o.bad === 'nan') x[x.length - 1] = NaN;
              const y = Array.from({ length: o.n }, (_, j) => (o.bad === 'label' && j === 0 ? C : j % C));
              await m.fit({ data: x, shape: [o.n, o.bad === 'shape' ? F + 1 : F] }, y, { epochs: 1, batchSize: o.batchSize, verbose: 0 });
            } else if (o.kind === 'predict') {
              const x = data(o.n, o.bad === 'shape' ? F + 1 : F, i);
              if (o.bad === 'nan') x[0] = NaN;
              const p = m.predict({ data: x, shape: [o.n, o.bad === 'shape' ? F + 1 : F] }, { training: o.training });
              expect(p.shape).toEqual([o.n, C]);
              expect(p.data.every((v) => Number.isFinite(v))).toBe(true);
            } else if (o.kind === 'evaluate') {
              const r = m.evaluate({ data: data(o.n, F, i), shape: [o.n, F] }, Array.from({ length: o.n }, (_, j) => j % C));
              expect(Number.isFinite(r.loss)).toBe(true);
            } else if (o.kind === 'setWeights') {
              const w = m.getWeights();
              if (o.bad) w[1] = km.tensor(new Float32Array(5), [5]);
              m.setWeights(w);
            } else if (o.kind === 'trainOnBatch') {
              m.trainOnBatch({ data: data(o.n, F, i), shape: [o.n, F] }, Array.from({ length: o.n }, (_, j) => j % C));
            } else {
              m.compile({ optimizer: o.optimizer, loss: 'sparseCategoricalCrossentropy' });
            }
          } catch (e) {
            failed = true;
            if (!(e instanceof km.KerasmError)) throw new Error(`op ${i} (${JSON.stringify(o)}) threw a non-kerasm error: ${String(e)}`);
          }
          if (failed) expect(m.getWeights().map((w) => Array.from(w.data))).toEqual(before);
          for (const w of m.getWeights()) expect(w.data.every((v) => Number.isFinite(v))).toBe(true);
        }
        const out = m.predict([[0.1, 0.2, 0.3]]);
        expect(out.shape).toEqual([1, C]);
        m.dispose();
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

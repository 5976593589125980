import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import type { ActivationKernel, ActivationKernelInfo, VunaryBackward, VunaryForward } from '../../src/backend/kernels-vunary.js';
import { ACTIVATION_KERNELS, vunaryKernelNames } from '../../src/backend/kernels-vunary.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { ActivationRef } from '../reference/activations.js';
import {
  ACTIVATIONS, logSoftmaxGradRef, logSoftmaxRef, softmaxGradRef, softmaxRef,
} from '../reference/activations.js';

// Tolerances. Every result is compared with a float64 reference and must be within
// ULPS float32 ulps of it (ulp of the reference rounded to f32; 2^-149 below the normal
// range), plus, only where the formula cancels, an absolute slack stated next to its cause:
// - swish'/gelu'/gelu_tanh': magEps·Σ|terms|·|dy| (ActivationRef.gradMag/magEps), since
//   relative accuracy is impossible next to the roots of these derivatives;
// - softmax: EPS·y_i·(|x_i − max| + Σ_j y_j·|x_j − max|), the rounding of x − max in f32;
//   log-softmax: EPS·Σ_j y_j·|x_j − max| (through log Σ);
// - softmax/log-softmax backward: 2·EPS·(the sum of the magnitudes of the two terms).
// A reference result beyond FLT_MAX must come out as inf of the same sign. NaN must match NaN.
const ULPS = 4;
const EPS = 2 ** -24;
const FLT_MAX = 3.4028234663852886e38;

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The float32 ulp at |v| (2^-149 for zero and subnormals). */
function ulp32(v: number): number {
  f32[0] = Math.abs(v);
  const e = (i32[0]! >>> 23) & 0xff;
  return e === 0 ? 2 ** -149 : 2 ** (e - 150);
}

/** The float32 `steps` representable values away from fround(v). */
function nextAfter32(v: number, steps: number): number {
  f32[0] = v;
  const bits = i32[0]!;
  if (bits === 0 || bits === (0x80000000 | 0)) {
    f32[0] = 0;
    i32[0] = Math.abs(steps);
    return steps < 0 ? -f32[0] : f32[0];
  }
  i32[0] = bits + (v > 0 ? steps : -steps);
  return f32[0];
}

/** Why got ≠ want within tolerance, or null when it is within. */
function mismatch(got: number, want: number, slack: number): string | null {
  if (Number.isNaN(want)) return Number.isNaN(got) ? null : 'expected NaN';
  if (Number.isNaN(got)) return 'got NaN';
  const w32 = Math.fround(want);
  if (!Number.isFinite(w32)) {
    if (got === w32) return null;
    // a finite reference just past FLT_MAX may round either way
    if (Number.isFinite(want) && Math.sign(got) === Math.sign(want) && Math.abs(got) >= FLT_MAX * (1 - ULPS * EPS)) return null;
    return `expected ${w32}`;
  }
  const err = Math.abs(got - want);
  const bound = ULPS * ulp32(want) + slack;
  return err <= bound ? null : `error ${err.toExponential(3)} > bound ${bound.toExponential(3)} (${(err / ulp32(want)).toFixed(2)} ulp)`;
}

function refOf(name: string): ActivationRef {
  const r = ACTIVATIONS.find((a) => a.name === name);
  if (r === undefined) throw new Error(`no reference for ${name}`);
  return r;
}

const SIZES = [0, 1, 3, 4, 5, 17, 33, 100, 1000];

/** Builder-style tester for one activation's forward or backward kernel (XNNPACK's VUnaryMicrokernelTester, in spirit). */
class VUnaryTester {
  private _n = 4;
  private _inplace = false;
  private _seed = 1;
  private _range = 20;
  private _values: readonly number[] | null = null;
  private _dyValues: readonly number[] | null = null;
  private _alpha: number;
  private readonly ref: ActivationRef;
  private readonly backward: boolean;
  constructor(ref: ActivationRef, backward: boolean) {
    this.ref = ref;
    this.backward = backward;
    // kernels without a parameter get NaN: reading it would turn the outputs into NaN
    this._alpha = ref.alpha ?? NaN;
  }
  n(v: number): this { this._n = v; return this; }
  inplace(v = true): this { this._inplace = v; return this; }
  seed(v: number): this { this._seed = v; return this; }
  range(v: number): this { this._range = v; return this; }
  alpha(v: number): this { this._alpha = v; return this; }
  /** Fixed inputs x (n is their count). */
  values(v: readonly number[]): this { this._values = v; this._n = v.length; return this; }
  /** Fixed upstream gradients dy, cycled. */
  dyValues(v: readonly number[]): this { this._dyValues = v; return this; }

  private sampleX(rng: Rng): number {
    const u = rng.next();
    const sign = rng.next() < 0.5 ? -1 : 1;
    if (u < 0.6) return Math.fround(rng.uniform(-this._range, this._range));
    if (u < 0.75) {
      const k = this.ref.kinks[rng.int(this.ref.kinks.length)]!;
      const v = rng.next();
      if (v < 0.2) return Math.fround(k);
      if (v < 0.6) return nextAfter32(k, rng.int(9) - 4);
      return Math.fround(k + (rng.next() - 0.5) * 1e-3);
    }
    if (u < 0.9) return Math.fround(sign * 10 ** rng.uniform(-45, 0)); // tiny, subnormal, or 0
    if (u < 0.96) return Math.fround(sign * rng.uniform(20, 100));
    return rng.awkward(1e30);
  }

  private sampleDy(rng: Rng): number {
    return rng.next() < 0.9 ? Math.fround(rng.uniform(-2, 2)) : rng.awkward(1);
  }

  private kernels(): { fwd: VunaryForward; bwd: VunaryBackward } {
    const { forward, backward } = vunaryKernelNames(this.ref.name as ActivationKernel);
    return { fwd: b.k[forward], bwd: b.k[backward] };
  }

  /** Runs the kernel; returns inputs and outputs as plain arrays. */
  run(): { x: Float32Array; dy: Float32Array; out: Float32Array } {
    const n = this._n;
    const rng = new Rng(this._seed);
    const { fwd, bwd } = this.kernels();
    const X = new GuardedBuffer(b, n);
    const Y = new GuardedBuffer(b, n);
    const DY = new GuardedBuffer(b, n);
    const DX = new GuardedBuffer(b, n);
    const values = this._values;
    const dyValues = this._dyValues;
    X.set(values ?? Array.from({ length: n }, () => this.sampleX(rng)));
    DY.set(dyValues !== null ? Array.from({ length: n }, (_, i) => dyValues[i % dyValues.length]!) : Array.from({ length: n }, () => this.sampleDy(rng)));
    const x = X.data.slice();
    const dy = DY.data.slice();
    let out: Float32Array;
    if (!this.backward) {
      const yPtr = this._inplace ? X.ptr : Y.ptr;
      fwd(n, X.ptr, yPtr, this._alpha);
      out = (this._inplace ? X : Y).data.slice();
      if (!this._inplace) expect(X.data).toEqual(x);
    } else {
      fwd(n, X.ptr, Y.ptr, this._alpha);
      const y = Y.data.slice();
      const dxPtr = this._inplace ? DY.ptr : DX.ptr;
      bwd(n, X.ptr, Y.ptr, DY.ptr, dxPtr, this._alpha);
      out = (this._inplace ? DY : DX).data.slice();
      expect(X.data).toEqual(x);
      expect(Y.data).toEqual(y);
      if (!this._inplace) expect(DY.data).toEqual(dy);
    }
    for (const [name, buf] of [['x', X], ['y', Y], ['dy', DY], ['dx', DX]] as const) buf.checkGuards(name);
    for (const buf of [X, Y, DY, DX]) buf.free();
    return { x, dy, out };
  }

  check(): void {
    const { x, dy, out } = this.run();
    const { ref } = this;
    const a = this._alpha;
    for (let i = 0; i < out.length; i++) {
      const xi = x[i]!;
      let want: number;
      let slack = 0;
      if (!this.backward) {
        want = Number.isNaN(xi) ? NaN : ref.f(xi, a);
      } else {
        const g = dy[i]!;
        want = Number.isNaN(xi) && ref.gradIgnoresX !== true ? NaN : g * ref.df(xi, a);
        if (ref.gradMag !== undefined && Number.isFinite(xi)) slack = (ref.magEps ?? 0) * ref.gradMag(xi, a) * Math.abs(g);
      }
      const why = mismatch(out[i]!, want, slack);
      if (why !== null) {
        const what = this.backward ? `dx[${i}] (x = ${xi}, dy = ${dy[i]})` : `y[${i}] (x = ${xi})`;
        throw new Error(`${ref.name}${this.backward ? '_grad' : ''} n=${this._n}${this._inplace ? ' inplace' : ''}: ${what} = ${out[i]}, want ${want}: ${why}`);
      }
    }
  }
}

/** The references of the kernel pairs: every one but `linear`, which has no kernel (the GEMM epilogue, or a copy). */
const KERNEL_REFS = ACTIVATIONS.filter((a) => Object.hasOwn(ACTIVATION_KERNELS, a.name));

test('the reference table covers exactly the exported activations, with their alpha defaults', () => {
  expect(ACTIVATIONS.filter((a) => !KERNEL_REFS.includes(a)).map((a) => a.name)).toEqual(['linear']);
  expect(KERNEL_REFS.map((a) => a.name).sort()).toEqual(Object.keys(ACTIVATION_KERNELS).sort());
  for (const a of KERNEL_REFS) {
    const info: ActivationKernelInfo = ACTIVATION_KERNELS[a.name as ActivationKernel];
    expect(a.alpha).toBe(info.alpha);
  }
});

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1e-40, -1e-40, 1.1754943508222875e-38,
  FLT_MAX, -FLT_MAX, 1e30, -1e30, 88.72283172607422, 88.72284, -87.3, -103.2, -104, 6, -3, 3, 20, -20, 45, -45];

describe.each(KERNEL_REFS.map((r) => [r.name, r] as const))('f32_v%s', (_name, ref) => {
  for (const backward of [false, true]) {
    const kind = backward ? 'backward' : 'forward';
    const t = () => new VUnaryTester(ref, backward);
    test(`${kind}: n_eq_4`, () => t().n(4).check());
    test(`${kind}: n_lt_4`, () => { for (let n = 1; n < 4; n++) t().n(n).seed(n).check(); });
    test(`${kind}: n_gt_4`, () => { for (let n = 5; n < 12; n++) t().n(n).seed(n).check(); });
    test(`${kind}: sizes ${SIZES.join(', ')}`, () => { for (const n of SIZES) t().n(n).seed(100 + n).check(); });
    test(`${kind}: inplace`, () => { for (const n of [1, 3, 17, 1000]) t().n(n).seed(200 + n).inplace().check(); });
    test(`${kind}: wide sweep (|x| ≤ 100, 20000 values)`, () => t().n(20000).range(100).seed(7).check());
    test(`${kind}: near 0 and the kinks (|x| ≤ 1)`, () => t().n(5000).range(1).seed(8).check());
    test(`${kind}: NaN, ±inf, ±0, subnormals, FLT_MAX, overflow and underflow edges`, () => {
      t().values(SPECIALS).dyValues([1, -0.5, 2, 0.25]).check();
    });
    if (backward) {
      test('backward: NaN in dy gives NaN', () => {
        const { out } = t().values([-2, -0.5, 0, 0.5, 2, 7]).dyValues([NaN]).run();
        for (const v of out) expect(v).toBeNaN();
      });
    }
    test(`${kind}: tail lanes equal body lanes, bit for bit`, () => {
      const full = t().n(8).seed(9).run();
      for (let n = 1; n < 8; n++) {
        const part = t().values(Array.from(full.x.subarray(0, n))).dyValues(Array.from(full.dy.subarray(0, n))).run();
        expect(Array.from(new Int32Array(part.out.buffer))).toEqual(Array.from(new Int32Array(full.out.buffer, 0, n)));
      }
    });
  }
  if (ref.alpha !== undefined) {
    test('other alpha values', () => {
      for (const a of [0.01, 0.5, 1.7]) {
        new VUnaryTester(ref, false).alpha(a).n(100).seed(31).check();
        new VUnaryTester(ref, true).alpha(a).n(100).seed(32).check();
      }
    });
  }
});

describe('exponential (vexp, shared with other families)', () => {
  test('is within 1 ulp over its whole range, and 0/inf beyond it', () => {
    const n = 200000;
    const values = Array.from({ length: n }, (_, i) => Math.fround(-110 + (200 * i) / n));
    const { x, out } = new VUnaryTester(refOf('exponential'), false).values(values).run();
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const want = Math.exp(x[i]!);
      if (!Number.isFinite(Math.fround(want))) {
        expect(out[i]).toBe(Infinity);
        continue;
      }
      worst = Math.max(worst, Math.abs(out[i]! - want) / ulp32(want));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('tanh keeps relative accuracy near 0', () => {
  test('tiny and subnormal x give x (within 1 ulp)', () => {
    const values = [1e-45, -1e-45, 1e-40, 3e-39, -1e-30, 1e-20, 1e-10, -1e-5];
    const { x, out } = new VUnaryTester(refOf('tanh'), false).values(values).run();
    for (let i = 0; i < x.length; i++) expect(Math.abs(out[i]! - Math.tanh(x[i]!))).toBeLessThanOrEqual(ulp32(x[i]!));
  });
});

type RowKind = 'softmax' | 'log_softmax';

/** Tester for the row-wise kernels. */
class SoftmaxTester {
  private _rows = 3;
  private _cols = 5;
  private _inplace = false;
  private _seed = 1;
  private _fill: (rng: Rng, r: number, c: number) => number = (rng) => rng.awkward(20);
  private readonly kind: RowKind;
  private readonly backward: boolean;
  constructor(kind: RowKind, backward: boolean) {
    this.kind = kind;
    this.backward = backward;
  }
  rows(v: number): this { this._rows = v; return this; }
  cols(v: number): this { this._cols = v; return this; }
  inplace(v = true): this { this._inplace = v; return this; }
  seed(v: number): this { this._seed = v; return this; }
  fill(f: (rng: Rng, r: number, c: number) => number): this { this._fill = f; return this; }

  run(): { x: Float32Array; y: Float32Array; dy: Float32Array; out: Float32Array } {
    const rows = this._rows;
    const cols = this._cols;
    const len = rows * cols;
    const rng = new Rng(this._seed);
    const X = new GuardedBuffer(b, len);
    const Y = new GuardedBuffer(b, len);
    const DY = new GuardedBuffer(b, len);
    const DX = new GuardedBuffer(b, len);
    X.set(Array.from({ length: len }, (_, i) => Math.fround(this._fill(rng, Math.floor(i / cols), i % cols))));
    DY.set(Array.from({ length: len }, () => rng.awkward(2)));
    const x = X.data.slice();
    const dy = DY.data.slice();
    const fwd = this.kind === 'softmax' ? b.k.f32_softmax : b.k.f32_log_softmax;
    const bwd = this.kind === 'softmax' ? b.k.f32_softmax_grad : b.k.f32_log_softmax_grad;
    let out: Float32Array;
    let y: Float32Array;
    if (!this.backward) {
      fwd(rows, cols, X.ptr, this._inplace ? X.ptr : Y.ptr);
      y = out = (this._inplace ? X : Y).data.slice();
      if (!this._inplace) expect(X.data).toEqual(x);
    } else {
      fwd(rows, cols, X.ptr, Y.ptr);
      y = Y.data.slice();
      bwd(rows, cols, Y.ptr, DY.ptr, this._inplace ? DY.ptr : DX.ptr);
      out = (this._inplace ? DY : DX).data.slice();
      expect(Y.data).toEqual(y);
      if (!this._inplace) expect(DY.data).toEqual(dy);
    }
    for (const [name, buf] of [['x', X], ['y', Y], ['dy', DY], ['dx', DX]] as const) buf.checkGuards(name);
    for (const buf of [X, Y, DY, DX]) buf.free();
    return { x, y, dy, out };
  }

  check(): void {
    const rows = this._rows;
    const cols = this._cols;
    const { x, y, dy, out } = this.run();
    let want: Float64Array;
    let slack: Float64Array;
    if (!this.backward) {
      const r = this.kind === 'softmax' ? softmaxRef(rows, cols, x) : logSoftmaxRef(rows, cols, x);
      want = r.y;
      slack = r.mag.map((m) => EPS * m);
    } else {
      const r = this.kind === 'softmax' ? softmaxGradRef(rows, cols, y, dy) : logSoftmaxGradRef(rows, cols, y, dy);
      want = r.dx;
      slack = r.mag.map((m) => 2 * EPS * m);
    }
    for (let i = 0; i < out.length; i++) {
      const why = mismatch(out[i]!, want[i]!, slack[i]!);
      if (why !== null) {
        const r = Math.floor(i / cols);
        const row = Array.from(x.subarray(r * cols, r * cols + Math.min(cols, 8)));
        throw new Error(`${this.kind}${this.backward ? '_grad' : ''} ${rows}×${cols}${this._inplace ? ' inplace' : ''}: ` +
          `[${r}, ${i % cols}] = ${out[i]}, want ${want[i]}: ${why} (row starts ${row.join(', ')})`);
      }
    }
  }
}

const SHAPES: readonly (readonly [number, number])[] = [[1, 1], [3, 5], [17, 33], [7, 1000], [2, 4], [5, 3], [4, 8]];

describe.each([['softmax'], ['log_softmax']] as const)('f32_%s', (kind) => {
  for (const backward of [false, true]) {
    const what = backward ? 'backward' : 'forward';
    const t = () => new SoftmaxTester(kind, backward);
    test(`${what}: odd shapes`, () => { for (const [r, c] of SHAPES) t().rows(r).cols(c).seed(r * 1000 + c).check(); });
    test(`${what}: inplace`, () => { for (const [r, c] of SHAPES) t().rows(r).cols(c).seed(r + c).inplace().check(); });
    test(`${what}: rows or cols = 0 touch nothing`, () => {
      t().rows(0).cols(5).check();
      t().rows(3).cols(0).check();
    });
    test(`${what}: large finite inputs (|x| up to 1e30 and FLT_MAX)`, () => {
      t().rows(6).cols(37).seed(3).fill((rng) => rng.uniform(-1e30, 1e30)).check();
      t().rows(4).cols(9).seed(4).fill((rng, r) => (r % 2 === 0 ? FLT_MAX : -FLT_MAX) * (rng.next() < 0.5 ? 1 : -1)).check();
      t().rows(3).cols(17).seed(5).fill((rng) => rng.uniform(80, 120)).check(); // e^x alone would overflow
      t().rows(3).cols(17).seed(6).fill((rng) => rng.uniform(-120, -80)).check(); // e^x alone would underflow
    });
    test(`${what}: ties, constant rows and wide spreads`, () => {
      t().rows(5).cols(7).fill(() => 3).check();
      t().rows(5).cols(7).fill((rng) => (rng.next() < 0.5 ? 1e30 : -1e30)).check();
      t().rows(3).cols(101).seed(8).fill((rng) => rng.uniform(-200, 200)).check();
    });
    test(`${what}: −inf entries (not a whole row) contribute 0`, () => {
      t().rows(4).cols(13).seed(9).fill((rng, _r, c) => (c % 3 === 1 ? -Infinity : rng.uniform(-5, 5))).check();
    });
  }
  test('forward: a NaN makes its row NaN and leaves the other rows alone', () => {
    const { out } = new SoftmaxTester(kind, false).rows(3).cols(6).fill((rng, r, c) => (r === 1 && c === 4 ? NaN : rng.uniform(-3, 3))).run();
    for (let c = 0; c < 6; c++) expect(out[6 + c]).toBeNaN();
    for (const r of [0, 2]) for (let c = 0; c < 6; c++) expect(Number.isFinite(out[r * 6 + c]!)).toBe(true);
  });
  test('forward: softmax rows sum to 1 / log-softmax rows log-sum-exp to 0', () => {
    const { out } = new SoftmaxTester(kind, false).rows(7).cols(1000).seed(12).fill((rng) => rng.uniform(-30, 30)).run();
    for (let r = 0; r < 7; r++) {
      let s = 0;
      for (let c = 0; c < 1000; c++) s += kind === 'softmax' ? out[r * 1000 + c]! : Math.exp(out[r * 1000 + c]!);
      expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    }
  });
});

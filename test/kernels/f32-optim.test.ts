// Optimizer update kernels (assembly/f32-optim) against the float64 references in
// test/reference/optimizers.ts, which follow Keras 3 keras/src/optimizers/{sgd,adam,adamw,
// rmsprop,adagrad,base_optimizer}.py. Papers: Kingma & Ba 2014 (arXiv:1412.6980), Reddi et al.
// 2018 (AMSGrad), Loshchilov & Hutter 2019 (arXiv:1711.05101), Hinton 2012 (RMSprop lecture 6),
// Graves 2013 (arXiv:1308.0850, centered RMSprop), Duchi et al. 2011 (Adagrad, JMLR 12).
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import type { KernelExports, Ptr } from '../../src/backend/kernels.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import { adagradRef, adamRef, adamStepSize, clipByValueRef, rmspropRef, sgdRef } from '../reference/optimizers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const f = Math.fround;
const EPS32 = 2 ** -24;
/** One step: a few f32 roundings of the update plus the final rounding of w (relative to the buffer's scale). */
const TOL_ONE = 8 * EPS32;
/** Twenty steps with states carried: errors add up step by step. */
const TOL_MULTI = 20 * TOL_ONE;
/** Below the normal f32 range a kernel's result is quantized (subnormals), the float64 reference is not. */
const ABS_FLOOR = 1e-38;
const SIZES = [0, 1, 3, 5, 17, 33, 1000];

type StateName = 'm' | 'v' | 'vhat' | 'mg' | 'mom' | 'acc';
type States<T> = Partial<Record<StateName, T>>;

/** One optimizer configuration: which state buffers it uses, how they start, the kernel call and the reference step. */
interface Variant {
  readonly name: string;
  readonly states: readonly StateName[];
  /** Initial state values for one element, consistent with each other (e.g. Adam's v ≥ m²). */
  init(rng: Rng): States<number>;
  kernel(k: KernelExports, n: number, w: Ptr, g: Ptr, p: States<Ptr>, iteration: number): void;
  ref(w: Float64Array, g: Float64Array, st: States<Float64Array>, iteration: number): void;
}

function ptr(p: States<Ptr>, s: StateName): Ptr {
  return p[s] ?? 0;
}

function sgd(weightDecay: number): Variant {
  const lr = f(0.1);
  return {
    name: `f32_sgd wd=${weightDecay}`,
    states: [],
    init: () => ({}),
    kernel: (k, n, w, g, _p) => k.f32_sgd(n, w, g, lr, weightDecay * lr, 0),
    ref: (w, g, st) => sgdRef(w, g, st, { learningRate: lr, weightDecay }),
  };
}

function sgdMomentum(nesterov: boolean, weightDecay: number, refNesterov = nesterov): Variant {
  const lr = f(0.1);
  const momentum = f(0.9);
  return {
    name: `f32_sgd_momentum nesterov=${nesterov} wd=${weightDecay}`,
    states: ['m'],
    init: (rng) => ({ m: rng.awkward(0.1) }),
    kernel: (k, n, w, g, p) => k.f32_sgd_momentum(n, w, g, ptr(p, 'm'), lr, momentum, nesterov ? 1 : 0, weightDecay * lr, 0),
    ref: (w, g, st) => sgdRef(w, g, { m: st.m! }, { learningRate: lr, momentum, nesterov: refNesterov, weightDecay }),
  };
}

function adam(amsgrad: boolean, weightDecay: number, epsilon = f(1e-7)): Variant {
  const lr = f(0.01);
  const beta1 = f(0.9);
  const beta2 = f(0.999);
  return {
    name: `f32_adam amsgrad=${amsgrad} wd=${weightDecay}`,
    states: amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'],
    init: (rng) => {
      const m = rng.awkward(0.1);
      const v = f(m * m + Math.abs(rng.awkward(0.01)));
      const vhat = rng.next() < 0.5 ? f(0.5 * v) : f(v + Math.abs(rng.awkward(0.01)));
      return { m, v, vhat };
    },
    kernel: (k, n, w, g, p, it) => k.f32_adam(n, w, g, ptr(p, 'm'), ptr(p, 'v'), ptr(p, 'vhat'),
      adamStepSize(lr, beta1, beta2, it), beta1, beta2, epsilon, weightDecay * lr, 0),
    ref: (w, g, st, it) => adamRef(w, g, { m: st.m!, v: st.v!, vhat: st.vhat },
      { learningRate: lr, beta1, beta2, epsilon, amsgrad, weightDecay, iteration: it }),
  };
}

function rmsprop(centered: boolean, withMomentum: boolean, weightDecay: number): Variant {
  const lr = f(0.001);
  const rho = f(0.9);
  const momentum = withMomentum ? f(0.9) : 0;
  const epsilon = f(1e-7);
  const states: StateName[] = ['v'];
  if (centered) states.push('mg');
  if (withMomentum) states.push('mom');
  return {
    name: `f32_rmsprop centered=${centered} momentum=${momentum} wd=${weightDecay}`,
    states,
    // v − mg² is kept away from 0: near 0 the centered step is ill-conditioned in any precision.
    init: (rng) => {
      const mg = rng.awkward(0.1);
      return { mg, v: f(mg * mg + rng.uniform(0.001, 0.01)), mom: rng.awkward(0.01) };
    },
    kernel: (k, n, w, g, p) => k.f32_rmsprop(n, w, g, ptr(p, 'v'), ptr(p, 'mg'), ptr(p, 'mom'),
      lr, rho, momentum, epsilon, weightDecay * lr, 0),
    ref: (w, g, st) => rmspropRef(w, g, { v: st.v!, mg: st.mg, mom: st.mom },
      { learningRate: lr, rho, momentum, epsilon, centered, weightDecay }),
  };
}

function adagrad(weightDecay: number): Variant {
  const lr = f(0.1);
  const epsilon = f(1e-7);
  return {
    name: `f32_adagrad wd=${weightDecay}`,
    states: ['acc'],
    init: (rng) => ({ acc: f(0.1 + Math.abs(rng.awkward(0.1))) }),
    kernel: (k, n, w, g, p) => k.f32_adagrad(n, w, g, ptr(p, 'acc'), lr, epsilon, weightDecay * lr, 0),
    ref: (w, g, st) => adagradRef(w, g, { acc: st.acc! }, { learningRate: lr, epsilon, weightDecay }),
  };
}

const VARIANTS: readonly Variant[] = [
  sgd(0), sgd(0.5),
  sgdMomentum(false, 0), sgdMomentum(true, 0), sgdMomentum(false, 0.5), sgdMomentum(true, 0.5),
  adam(false, 0), adam(true, 0), adam(false, 2), adam(true, 2),
  ...[false, true].flatMap((c) => [false, true].flatMap((mo) => [rmsprop(c, mo, 0), rmsprop(c, mo, 5)])),
  adagrad(0), adagrad(0.5),
];

interface Run {
  /** Kernel outputs after the last step: w and every state. */
  got: Map<string, Float32Array>;
  /** The float64 reference run from the same f32 start values and gradients. */
  want: Map<string, Float64Array>;
  /** Per buffer: the largest |value| at the start or in the reference result. */
  scale: Map<string, number>;
  /** The start values of w and the states, then the gradient of each step. */
  inputs: Float32Array[];
}

/** Runs `steps` consecutive updates of `v` on n elements, kernel and reference side by side. */
function run(v: Variant, n: number, steps: number, seed: number, ref = v.ref): Run {
  const rng = new Rng(seed);
  const names: ('w' | StateName)[] = ['w', ...v.states];
  const bufs = new Map(names.map((s) => [s, new GuardedBuffer(b, n)] as const));
  const g = new GuardedBuffer(b, n);
  const w0 = new Float32Array(n);
  const st0 = new Map(v.states.map((s) => [s, new Float32Array(n)] as const));
  for (let i = 0; i < n; i++) {
    w0[i] = rng.awkward(1);
    const s = v.init(rng);
    for (const name of v.states) st0.get(name)![i] = f(s[name]!);
  }
  bufs.get('w')!.set(w0);
  for (const name of v.states) bufs.get(name)!.set(st0.get(name)!);
  const want = new Map<string, Float64Array>([['w', Float64Array.from(w0)]]);
  for (const name of v.states) want.set(name, Float64Array.from(st0.get(name)!));
  const wantStates: States<Float64Array> = {};
  for (const name of v.states) wantStates[name] = want.get(name)!;
  const gs: Float32Array[] = [];
  const ptrs: States<Ptr> = {};
  for (const name of v.states) ptrs[name] = bufs.get(name)!.ptr;

  for (let step = 0; step < steps; step++) {
    // One generator per step, so a run on n elements sees the first n gradients of a longer run.
    const grng = new Rng(seed * 1009 + step + 1);
    const gv = new Float32Array(n);
    for (let i = 0; i < n; i++) gv[i] = grng.awkward(1);
    gs.push(gv);
    g.set(gv);
    v.kernel(b.k, n, bufs.get('w')!.ptr, g.ptr, ptrs, step);
    ref(want.get('w')!, Float64Array.from(gv), wantStates, step);
    // g is read only, bit for bit; no buffer is written past its end.
    expect(new Uint32Array(g.data.slice().buffer)).toEqual(new Uint32Array(gv.buffer));
    g.checkGuards('g');
    for (const [name, buf] of bufs) buf.checkGuards(`${v.name}: ${name} (step ${step})`);
  }

  const got = new Map<string, Float32Array>();
  const scale = new Map<string, number>();
  for (const name of names) {
    got.set(name, bufs.get(name)!.data.slice());
    const start = name === 'w' ? w0 : st0.get(name)!;
    let s = 0;
    for (let i = 0; i < n; i++) s = Math.max(s, Math.abs(start[i]!), Math.abs(want.get(name)![i]!));
    scale.set(name, s);
  }
  for (const buf of bufs.values()) buf.free();
  g.free();
  return { got, want, scale, inputs: [w0, ...st0.values(), ...gs] };
}

/** Throws unless every output is within tol·(the buffer's scale) of the float64 reference. */
function compare(label: string, r: Run, tol: number): void {
  for (const [name, got] of r.got) {
    const want = r.want.get(name)!;
    const bound = tol * r.scale.get(name)! + ABS_FLOOR;
    for (let i = 0; i < got.length; i++) {
      const err = Math.abs(got[i]! - want[i]!);
      if (!(err <= bound)) {
        throw new Error(`${label}: ${name}[${i}] got ${got[i]}, want ${want[i]} (err ${err}, bound ${bound})`);
      }
    }
  }
}

function check(v: Variant, n: number, steps: number, seed: number, tol: number): void {
  compare(`${v.name} n=${n} steps=${steps}`, run(v, n, steps, seed), tol);
}

describe.each(VARIANTS.map((v) => ({ name: v.name, v })))('$name', ({ v }) => {
  test('one step, n = 0, 1, 3, 5, 17, 33, 1000', () => {
    for (const n of SIZES) check(v, n, 1, 100 + n, TOL_ONE);
  });
  test('n_lt_4 and n_gt_4 (1..12), one step', () => {
    for (let n = 1; n <= 12; n++) check(v, n, 1, 200 + n, TOL_ONE);
  });
  test('20 steps with states carried, n = 0, 1, 3, 5, 17, 33, 1000', () => {
    for (const n of SIZES) check(v, n, 20, 300 + n, TOL_MULTI);
  });
  test('body and tail give identical bits (n = 17, 18, 19 and 1, 2, 3 vs 20)', () => {
    // Same seed, so the first n elements of every input equal those of the n = 20 run; in the
    // n = 20 run they all go through the vector body, in the shorter runs the last n % 4 go
    // through the tail. Three steps, so states written by the tail are read back by it.
    const full = run(v, 20, 3, 77);
    for (const n of [1, 2, 3, 17, 18, 19]) {
      const part = run(v, n, 3, 77);
      part.inputs.forEach((x, j) => expect(Array.from(x)).toEqual(Array.from(full.inputs[j]!.slice(0, n))));
      for (const [name, got] of part.got) {
        const body = full.got.get(name)!.slice(0, n);
        expect(new Uint32Array(got.buffer), `${name}, n=${n}`).toEqual(new Uint32Array(body.buffer));
      }
    }
  });
});

describe('the checks can fail', () => {
  // Each of these compares a kernel with a reference that is wrong in one small way and
  // expects the comparison to reject it, so the tolerances above are tight enough to matter.
  test('weight decay applied after the update instead of before (SGD)', () => {
    const v = sgd(0.5);
    const lr = f(0.1);
    const after = (w: Float64Array, g: Float64Array): void => {
      sgdRef(w, g, {}, { learningRate: lr });
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - w[i]! * 0.5 * lr;
    };
    expect(() => compare('decay after', run(v, 33, 1, 5, after), TOL_ONE)).toThrow(/got/);
  });
  test('weight decay ignored (RMSprop)', () => {
    const v = rmsprop(false, false, 5);
    const noDecay = rmsprop(false, false, 0).ref;
    expect(() => compare('no decay', run(v, 33, 1, 5, noDecay), TOL_ONE)).toThrow(/got/);
  });
  test('nesterov flag ignored', () => {
    const v = sgdMomentum(true, 0, false);
    expect(() => compare('nesterov', run(v, 33, 1, 5), TOL_ONE)).toThrow(/got/);
  });
  test('learning rate off by 1e-4 relative (SGD, one step)', () => {
    const v = sgd(0);
    const lr = f(0.1);
    const off = (w: Float64Array, g: Float64Array): void => sgdRef(w, g, {}, { learningRate: lr * (1 + 1e-4) });
    expect(() => compare('lr', run(v, 33, 1, 5, off), TOL_ONE)).toThrow(/got/);
  });
  test('TF.js Adam (ε added to the bias-corrected √v̂) is not Keras Adam', () => {
    const eps = f(1e-3);
    const v = adam(false, 0, eps);
    const lr = f(0.01);
    const b1 = f(0.9);
    const b2 = f(0.999);
    const tfjs = (w: Float64Array, g: Float64Array, st: States<Float64Array>, it: number): void => {
      const m = st.m!;
      const vv = st.v!;
      const t = it + 1;
      for (let i = 0; i < w.length; i++) {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        vv[i] = b2 * vv[i]! + (1 - b2) * g[i]! * g[i]!;
        const mh = m[i]! / (1 - b1 ** t);
        const vh = vv[i]! / (1 - b2 ** t);
        w[i] = w[i]! - (lr * mh) / (Math.sqrt(vh) + eps);
      }
    };
    expect(() => compare('tfjs adam', run(v, 33, 1, 5, tfjs), TOL_ONE)).toThrow(/got/);
    // The same run against the Keras reference passes.
    compare('keras adam', run(v, 33, 1, 5), TOL_ONE);
  });
  test('AMSGrad off in the reference', () => {
    const v = adam(true, 0);
    const plain = adam(false, 0).ref;
    expect(() => compare('amsgrad', run(v, 33, 20, 5, plain), TOL_MULTI)).toThrow(/got/);
  });
  test('centered RMSprop against the plain reference', () => {
    const v = rmsprop(true, true, 0);
    const plain = rmsprop(false, true, 0).ref;
    expect(() => compare('centered', run(v, 33, 1, 5, plain), TOL_ONE)).toThrow(/got/);
  });
});

describe('f32_clip_by_value', () => {
  const special = [0, -0, 0.5, -0.5, 0.25, -0.25, 1e-40, -1e-40, Infinity, -Infinity, 3, -3];
  function clipCheck(n: number, clip: number, inplace: boolean, seed: number): void {
    const rng = new Rng(seed);
    const g = new GuardedBuffer(b, n);
    const out = inplace ? g : new GuardedBuffer(b, n);
    const gv = new Float32Array(n);
    for (let i = 0; i < n; i++) gv[i] = i < special.length && n > 20 ? special[i]! : rng.awkward(1);
    g.set(gv);
    b.k.f32_clip_by_value(n, g.ptr, out.ptr, clip);
    const want = clipByValueRef(gv, f(clip));
    const got = out.data;
    for (let i = 0; i < n; i++) {
      if (!Object.is(got[i], want[i])) throw new Error(`clip=${clip} n=${n}: out[${i}] got ${got[i]}, want ${want[i]} (g ${gv[i]})`);
    }
    if (!inplace) {
      expect(new Uint32Array(g.data.slice().buffer)).toEqual(new Uint32Array(gv.buffer));
      out.checkGuards('out');
      out.free();
    }
    g.checkGuards('g');
    g.free();
  }
  test('exact against min(max(g, −clip), clip), n = 0, 1, 3, 5, 17, 33, 1000', () => {
    for (const n of SIZES) for (const clip of [0.25, 0.5, 2]) clipCheck(n, clip, false, n + clip * 8);
  });
  test('n_lt_4 and n_gt_4 (1..12)', () => {
    for (let n = 1; n <= 12; n++) clipCheck(n, 0.5, false, 50 + n);
  });
  test('inplace (out aliases g)', () => {
    for (const n of SIZES) clipCheck(n, 0.25, true, 9 + n);
  });
  test('±0, subnormals and ±∞ (exact, −0 kept)', () => {
    clipCheck(33, 0.25, false, 3);
    clipCheck(33, 0.25, true, 3);
  });
  test('NaN propagates', () => {
    const g = new GuardedBuffer(b, 7);
    g.set([NaN, 1, -1, NaN, 0.1, NaN, 5]);
    b.k.f32_clip_by_value(7, g.ptr, g.ptr, 0.5);
    const d = Array.from(g.data);
    expect(d.map((x) => Number.isNaN(x))).toEqual([true, false, false, true, false, true, false]);
    expect([d[1], d[2], d[4], d[6]]).toEqual([0.5, -0.5, f(0.1), 0.5]);
    g.checkGuards('g');
    g.free();
  });
});

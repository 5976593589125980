// Tests of the f32-loss kernels against the float64 references in test/reference/losses.ts.
// Formulas: Keras 3 keras/src/losses/losses.py, keras/src/backend/tensorflow/nn.py (cross-entropies),
// keras/src/metrics/accuracy_metrics.py (accuracies); see the reference file for each one.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import type { LossExports } from '../../src/backend/kernels-loss.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import * as ref from '../reference/losses.js';
import type { LossArgs, LossRef } from '../reference/losses.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const ULP = 2 ** -24;

type PredKind = 'logits' | 'prob' | 'real';
type TargetKind = 'categorical' | 'labels' | 'binary' | 'real';
type Alias = 'p=pred' | 'grad=pred' | 'p=target' | 'grad=target';

interface Spec {
  name: keyof LossExports;
  pred: PredKind;
  target: TargetKind;
  /** Writes p (softmax / sigmoid) as well as grad. */
  hasP: boolean;
  /** Values of the trailing scalar parameter to test (label smoothing or delta); [] if none. */
  params: number[];
  ref: (a: LossArgs) => LossRef;
  /** Aliasings the doc comment allows. */
  aliases: Alias[];
  /** The row's logit range enters the error bound (softmax: z − max is rounded before exp). */
  logitRange: boolean;
}

const SPECS: Spec[] = [
  { name: 'f32_softmax_xent', pred: 'logits', target: 'categorical', hasP: true, params: [0, 0.1], ref: ref.softmaxXent, aliases: ['p=pred', 'grad=pred'], logitRange: true },
  { name: 'f32_sparse_softmax_xent', pred: 'logits', target: 'labels', hasP: true, params: [], ref: ref.sparseSoftmaxXent, aliases: ['p=pred', 'grad=pred'], logitRange: true },
  { name: 'f32_xent', pred: 'prob', target: 'categorical', hasP: false, params: [0, 0.1], ref: ref.xent, aliases: ['grad=pred', 'grad=target'], logitRange: false },
  { name: 'f32_sparse_xent', pred: 'prob', target: 'labels', hasP: false, params: [], ref: ref.sparseXent, aliases: ['grad=pred'], logitRange: false },
  { name: 'f32_sigmoid_bce', pred: 'logits', target: 'binary', hasP: true, params: [0, 0.1], ref: ref.sigmoidBce, aliases: ['p=pred', 'grad=pred', 'p=target', 'grad=target'], logitRange: false },
  { name: 'f32_bce', pred: 'prob', target: 'binary', hasP: false, params: [0, 0.1], ref: ref.bce, aliases: ['grad=pred', 'grad=target'], logitRange: false },
  { name: 'f32_mse', pred: 'real', target: 'real', hasP: false, params: [], ref: ref.mse, aliases: ['grad=pred', 'grad=target'], logitRange: false },
  { name: 'f32_mae', pred: 'real', target: 'real', hasP: false, params: [], ref: ref.mae, aliases: ['grad=pred', 'grad=target'], logitRange: false },
  { name: 'f32_huber', pred: 'real', target: 'real', hasP: false, params: [1, 0.5], ref: ref.huber, aliases: ['grad=pred', 'grad=target'], logitRange: false },
];

interface Data {
  pred: Float32Array;
  target: Float32Array;
  sw: Float32Array | null;
}

/** Inputs from the seeded Rng, awkward values included (zeros, -0, tiny and subnormal values). */
function makeData(spec: Spec, rows: number, cols: number, weighted: boolean, seed: number, logitScale = 50): Data {
  const rng = new Rng(seed);
  const n = rows * cols;
  const pred = new Float32Array(n);
  if (spec.pred === 'logits') rng.fill(pred, logitScale);
  else if (spec.pred === 'real') rng.fill(pred, 3);
  else {
    // probabilities: |awkward| in [0, 1) (zeros and subnormals get clipped), some exact 1s
    for (let i = 0; i < n; i++) pred[i] = rng.next() < 0.03 ? 1 : Math.abs(rng.awkward(1));
    // a row summing to 0 has no distribution (q = 0/0): give it one positive entry
    for (let r = 0; r < rows; r++) if (pred.subarray(r * cols, (r + 1) * cols).every((v) => v === 0)) pred[r * cols] = 0.5;
  }
  let target: Float32Array;
  if (spec.target === 'labels') {
    target = new Float32Array(rows);
    for (let r = 0; r < rows; r++) target[r] = rng.int(cols);
  } else {
    target = new Float32Array(n);
    if (spec.target === 'real') rng.fill(target, 3);
    else if (spec.target === 'binary') {
      const soft = seed % 2 === 1;
      for (let i = 0; i < n; i++) target[i] = soft ? rng.next() : rng.int(2);
    } else if (seed % 2 === 0) {
      for (let r = 0; r < rows; r++) target[r * cols + rng.int(cols)] = 1; // one-hot
    } else {
      for (let r = 0; r < rows; r++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += target[r * cols + j] = rng.next();
        for (let j = 0; j < cols; j++) target[r * cols + j] = Math.fround(target[r * cols + j]! / s); // soft labels
      }
    }
  }
  let sw: Float32Array | null = null;
  if (weighted) {
    sw = new Float32Array(rows);
    for (let r = 0; r < rows; r++) sw[r] = rng.next() < 0.1 ? 0 : Math.fround(rng.uniform(0, 2));
  }
  return { pred, target, sw };
}

/** Calls the kernel with whichever argument list it has. */
function callKernel(spec: Spec, rows: number, cols: number, pred: number, target: number, sw: number,
  p: number, grad: number, gradScale: number, param: number): number {
  const k = b.k;
  switch (spec.name) {
    case 'f32_softmax_xent': return k.f32_softmax_xent(rows, cols, pred, target, sw, p, grad, gradScale, param);
    case 'f32_sparse_softmax_xent': return k.f32_sparse_softmax_xent(rows, cols, pred, target, sw, p, grad, gradScale);
    case 'f32_xent': return k.f32_xent(rows, cols, pred, target, sw, grad, gradScale, param);
    case 'f32_sparse_xent': return k.f32_sparse_xent(rows, cols, pred, target, sw, grad, gradScale);
    case 'f32_sigmoid_bce': return k.f32_sigmoid_bce(rows, cols, pred, target, sw, p, grad, gradScale, param);
    case 'f32_bce': return k.f32_bce(rows, cols, pred, target, sw, grad, gradScale, param);
    case 'f32_mse': return k.f32_mse(rows, cols, pred, target, sw, grad, gradScale);
    case 'f32_mae': return k.f32_mae(rows, cols, pred, target, sw, grad, gradScale);
    case 'f32_huber': return k.f32_huber(rows, cols, pred, target, sw, grad, gradScale, param);
    default: throw new Error(`not a loss kernel: ${spec.name}`);
  }
}

interface RunOut {
  loss: number;
  p: Float32Array | null;
  grad: Float32Array | null;
}

const SENTINEL = 12345.5;

/** Runs a kernel on copies of `data` in guarded wasm buffers; checks guards, unchanged inputs, untouched unrequested outputs. */
function run(spec: Spec, rows: number, cols: number, data: Data, param: number, gradScale: number,
  opts: { p?: boolean; grad?: boolean; alias?: Alias } = {}): RunOut {
  const wantP = spec.hasP && (opts.p ?? true);
  const wantG = opts.grad ?? true;
  const n = rows * cols;
  const pred = new GuardedBuffer(b, Math.max(1, n)).set(data.pred);
  const target = new GuardedBuffer(b, Math.max(1, data.target.length)).set(data.target);
  const sw = new GuardedBuffer(b, Math.max(1, rows));
  if (data.sw !== null) sw.set(data.sw);
  const p = new GuardedBuffer(b, Math.max(1, n));
  const grad = new GuardedBuffer(b, Math.max(1, n));
  p.data.fill(SENTINEL);
  grad.data.fill(SENTINEL);
  const alias = opts.alias;
  const pPtr = !wantP ? 0 : alias === 'p=pred' ? pred.ptr : alias === 'p=target' ? target.ptr : p.ptr;
  const gPtr = !wantG ? 0 : alias === 'grad=pred' ? pred.ptr : alias === 'grad=target' ? target.ptr : grad.ptr;
  const loss = callKernel(spec, rows, cols, pred.ptr, target.ptr, data.sw === null ? 0 : sw.ptr, pPtr, gPtr, gradScale, param);
  for (const [nm, buf] of [['pred', pred], ['target', target], ['sw', sw], ['p', p], ['grad', grad]] as const) buf.checkGuards(`${spec.name} ${nm}`);
  const pick = (ptr: number): Float32Array => (ptr === pred.ptr ? pred : ptr === target.ptr ? target : ptr === p.ptr ? p : grad).data.slice(0, n);
  const out: RunOut = { loss, p: wantP ? pick(pPtr) : null, grad: wantG ? pick(gPtr) : null };
  // inputs not aliased by an output are unchanged; unrequested or aliased-away outputs are untouched
  if (alias !== 'p=pred' && alias !== 'grad=pred') expect(pred.data.slice(0, n)).toEqual(data.pred);
  if (alias !== 'p=target' && alias !== 'grad=target') expect(target.data.slice(0, data.target.length)).toEqual(data.target);
  if (data.sw !== null) expect(sw.data.slice(0, data.sw.length)).toEqual(data.sw);
  if (pPtr !== p.ptr) expect(p.data.every((v) => v === SENTINEL)).toBe(true);
  if (gPtr !== grad.ptr) expect(grad.data.every((v) => v === SENTINEL)).toBe(true);
  for (const buf of [pred, target, sw, p, grad]) buf.free();
  return out;
}

/** Bound factor: a few ulps per summed term, plus the logit range where z − max is rounded before exp. */
function factor(spec: Spec, cols: number, data: Data): number {
  let range = 0;
  if (spec.logitRange) for (const z of data.pred) range = Math.max(range, Math.abs(z));
  return 4 * ULP * (cols + 8 + 2 * range);
}

function close(what: string, got: number, want: number, bound: number): void {
  if (!Number.isFinite(got)) throw new Error(`${what}: got ${got} (want ${want})`);
  const err = Math.abs(got - want);
  if (!(err <= bound + 1e-37)) throw new Error(`${what}: got ${got}, want ${want} (err ${err}, bound ${bound})`);
}

/** Compares loss, p and grad with the float64 reference. */
function check(spec: Spec, rows: number, cols: number, data: Data, param: number, gradScale: number): void {
  const got = run(spec, rows, cols, data, param, gradScale);
  const want = spec.ref({ rows, cols, pred: data.pred, target: data.target, sw: data.sw, gradScale, param });
  const f = factor(spec, cols, data);
  const tag = `${spec.name} rows=${rows} cols=${cols} param=${param} sw=${data.sw !== null}`;
  close(`${tag} loss`, got.loss, want.loss, f * want.mag);
  for (let i = 0; i < rows * cols; i++) {
    close(`${tag} grad[${i}] (pred ${data.pred[i]})`, got.grad![i]!, want.grad[i]!, f * want.gmag[i]!);
    if (spec.hasP) close(`${tag} p[${i}] (pred ${data.pred[i]})`, got.p![i]!, want.p![i]!, f * want.p![i]!);
  }
}

const ROWS = [1, 3, 5, 17, 33];
const COLS = [1, 2, 3, 10, 17];

describe.each(SPECS)('$name', (spec) => {
  const params = spec.params.length > 0 ? spec.params : [0];

  test('odd shapes, with and without sample weights, against the float64 reference', () => {
    let seed = 1;
    for (const rows of ROWS) for (const cols of COLS) for (const weighted of [false, true]) for (const param of params) {
      check(spec, rows, cols, makeData(spec, rows, cols, weighted, seed++), param, 1 / rows);
    }
  });

  test('larger shapes (100×33, 7×1000, 1000×3)', () => {
    for (const [rows, cols] of [[100, 33], [7, 1000], [1000, 3]] as const) {
      check(spec, rows, cols, makeData(spec, rows, cols, true, rows + cols), params[params.length - 1]!, 1 / rows);
    }
  });

  test('rows = 0 or cols = 0 returns 0 and writes nothing', () => {
    expect(run(spec, 0, 4, makeData(spec, 0, 4, true, 5), params[0]!, 1).loss).toBe(0);
    expect(run(spec, 3, 0, makeData(spec, 3, 0, true, 6), params[0]!, 1).loss).toBe(0);
  });

  test('outputs are optional: the loss and the written outputs do not depend on which are requested', () => {
    const rows = 5;
    const cols = 17;
    const data = makeData(spec, rows, cols, true, 99);
    const param = params[params.length - 1]!;
    const all = run(spec, rows, cols, data, param, 0.2);
    const none = run(spec, rows, cols, data, param, 0.2, { p: false, grad: false });
    const gOnly = run(spec, rows, cols, data, param, 0.2, { p: false });
    expect(Object.is(none.loss, all.loss) && Object.is(gOnly.loss, all.loss)).toBe(true);
    expect(gOnly.grad).toEqual(all.grad);
    if (spec.hasP) {
      const pOnly = run(spec, rows, cols, data, param, 0.2, { grad: false });
      expect(Object.is(pOnly.loss, all.loss)).toBe(true);
      expect(pOnly.p).toEqual(all.p);
    }
  });

  test.each(spec.aliases)('in place (%s) gives the same bits', (alias) => {
    for (const [rows, cols] of [[3, 5], [17, 10], [4, 17]] as const) {
      const data = makeData(spec, rows, cols, true, rows * cols);
      const param = params[params.length - 1]!;
      const sep = run(spec, rows, cols, data, param, 1 / rows);
      const inPlace = run(spec, rows, cols, data, param, 1 / rows, { alias });
      expect(Object.is(inPlace.loss, sep.loss)).toBe(true);
      expect(inPlace.grad).toEqual(sep.grad);
      if (spec.hasP) expect(inPlace.p).toEqual(sep.p);
    }
  });

  test('reference gradient equals a float64 central difference of the reference loss', () => {
    let seed = 500;
    let checked = 0;
    let skipped = 0;
    for (const [rows, cols] of [[1, 1], [3, 5], [2, 17], [4, 3], [5, 10]] as const) for (const param of params) {
      const data = makeData(spec, rows, cols, true, seed++);
      const gradScale = 1 / rows;
      const args: LossArgs = { rows, cols, pred: data.pred, target: data.target, sw: data.sw, gradScale, param };
      const want = spec.ref(args);
      const x = Float64Array.from(data.pred);
      const at = (v: number, k: number): LossRef => {
        x[k] = v;
        const out = spec.ref({ ...args, pred: x });
        x[k] = data.pred[k]!;
        return out;
      };
      for (let k = 0; k < x.length; k++) {
        const x0 = x[k]!;
        const h = 1e-6 * Math.max(Math.abs(x0), spec.pred === 'prob' ? 1e-2 : 1);
        const up = at(x0 + h, k);
        const down = at(x0 - h, k);
        // A kink inside the step (|e| = 0 for MAE, a clip boundary) shows as a jump of the derivative: skip it.
        const g = want.grad[k]!;
        const jump = Math.max(Math.abs(up.grad[k]! - g), Math.abs(down.grad[k]! - g));
        if (jump > 1e-3 * (want.gmag[k]! + 1e-12)) {
          skipped++;
          continue;
        }
        checked++;
        const fd = (gradScale * (up.loss - down.loss)) / (2 * h);
        const bound = 1e-6 * want.gmag[k]! + (8 * 2 ** -53 * gradScale * want.mag) / h + 1e-12;
        if (!(Math.abs(fd - g) <= bound)) {
          throw new Error(`${spec.name} rows=${rows} cols=${cols} param=${param}: grad[${k}] = ${g}, central difference ${fd} (x ${x0}, bound ${bound})`);
        }
      }
    }
    expect(skipped).toBeLessThan(0.1 * (checked + skipped));
  });

  if (spec.pred === 'logits') {
    test('extreme logits (|z| up to 1e4) stay finite and match the reference', () => {
      for (const [rows, cols] of [[5, 3], [3, 17]] as const) {
        const data = makeData(spec, rows, cols, true, 77 + cols, 1e4);
        const got = run(spec, rows, cols, data, params[params.length - 1]!, 1 / rows);
        expect(Number.isFinite(got.loss)).toBe(true);
        for (const v of got.grad!) expect(Number.isFinite(v)).toBe(true);
        for (const v of got.p!) expect(v >= 0 && v <= 1).toBe(true);
        check(spec, rows, cols, data, params[params.length - 1]!, 1 / rows);
      }
    });
  }
});

describe('hand-computed values', () => {
  test('softmax_xent on [[1, 2, 3]] with y = [0, 0, 1]: log(e + e² + e³) − 3', () => {
    const spec = SPECS[0]!;
    const data = { pred: new Float32Array([1, 2, 3]), target: new Float32Array([0, 0, 1]), sw: null };
    const got = run(spec, 1, 3, data, 0, 1);
    expect(got.loss).toBeCloseTo(Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, 6);
    const s = Math.E + Math.E ** 2 + Math.E ** 3;
    const want = [Math.E / s, Math.E ** 2 / s, Math.E ** 3 / s - 1];
    want.forEach((v, i) => expect(got.grad![i]).toBeCloseTo(v, 6));
    want.forEach((v, i) => expect(got.p![i]).toBeCloseTo(i === 2 ? v + 1 : v, 6));
  });
  test('Keras docstring example: categorical_crossentropy([[0,1,0],[0,0,1]], [[.05,.95,0],[.1,.8,.1]]) = [0.0513, 2.3026]', () => {
    const data = { pred: new Float32Array([0.05, 0.95, 0, 0.1, 0.8, 0.1]), target: new Float32Array([0, 1, 0, 0, 0, 1]), sw: null };
    const got = run(SPECS[2]!, 2, 3, data, 0, 1);
    expect(got.loss).toBeCloseTo(0.0513 + 2.3026, 3);
  });
  test('Keras docstring example: binary_crossentropy([[0,1],[0,0]], [[.6,.4],[.4,.6]]) mean = 0.815', () => {
    const data = { pred: new Float32Array([0.6, 0.4, 0.4, 0.6]), target: new Float32Array([0, 1, 0, 0]), sw: null };
    expect(run(SPECS[5]!, 2, 2, data, 0, 1).loss / 2).toBeCloseTo(0.815, 3);
  });
  test('huber, delta = 1: e = 0.5 → 0.125, e = 3 → 2.5', () => {
    const data = { pred: new Float32Array([0.5, 3]), target: new Float32Array([0, 0]), sw: null };
    expect(run(SPECS[8]!, 1, 2, data, 1, 1).loss).toBeCloseTo((0.125 + 2.5) / 2, 7);
  });
});

describe('metrics', () => {
  function buffers(...arrays: Float32Array[]): GuardedBuffer[] {
    return arrays.map((a) => new GuardedBuffer(b, Math.max(1, a.length)).set(a));
  }
  function done(bufs: GuardedBuffer[]): void {
    bufs.forEach((x, i) => x.checkGuards(`buffer ${i}`));
    bufs.forEach((x) => x.free());
  }

  test('f32_count_argmax_match: ties take the first maximum (also across the vector/tail boundary)', () => {
    // rows of 5: the maximum sits in the 4-lane part and again in the tail
    const p = new Float32Array([
      1, 3, 3, 0, 0, // argmax 1
      0, 0, 0, 0, 0, // all equal: 0
      -0, 0, -1, -2, 0, // -0 == 0: 0
      1, 2, 3, 7, 7, // 3 (tail tie)
      1, 2, 3, 4, 9, // 4 (tail only)
      5, 5, 5, 5, 5, // 0
    ]);
    const y = new Float32Array([
      0, 1, 0, 0, 0, // 1: match
      1, 0, 0, 0, 0, // 0: match
      0, 1, 0, 0, 0, // 1: no
      0, 0, 0, 1, 0, // 3: match
      0, 0, 0, 0, 1, // 4: match
      0, 0, 0, 0, 1, // 4: no
    ]);
    const bufs = buffers(p, y);
    expect(b.k.f32_count_argmax_match(6, 5, bufs[0]!.ptr, bufs[1]!.ptr)).toBe(4);
    expect(ref.countArgmaxMatch(6, 5, p, y)).toBe(4);
    expect(b.k.f32_count_argmax_match(0, 5, bufs[0]!.ptr, bufs[1]!.ptr)).toBe(0);
    done(bufs);
  });

  test('f32_count_argmax_match / f32_count_sparse_match on random data with many ties', () => {
    const rng = new Rng(3);
    for (const rows of ROWS) for (const cols of [1, 2, 3, 4, 5, 8, 10, 17, 33, 100]) {
      const p = new Float32Array(rows * cols);
      const y = new Float32Array(rows * cols);
      for (let i = 0; i < p.length; i++) p[i] = rng.int(4) - 1; // small integers: frequent ties
      for (let r = 0; r < rows; r++) y[r * cols + rng.int(cols)] = 1;
      const labels = new Float32Array(rows);
      for (let r = 0; r < rows; r++) labels[r] = rng.next() < 0.5 ? ref.argmax(p, r * cols, cols) : rng.int(cols);
      const bufs = buffers(p, y, labels);
      expect(b.k.f32_count_argmax_match(rows, cols, bufs[0]!.ptr, bufs[1]!.ptr)).toBe(ref.countArgmaxMatch(rows, cols, p, y));
      expect(b.k.f32_count_sparse_match(rows, cols, bufs[0]!.ptr, bufs[2]!.ptr)).toBe(ref.countSparseMatch(rows, cols, p, labels));
      done(bufs);
    }
  });

  test('f32_count_sparse_match: labels compare as floats (0.5 matches nothing)', () => {
    const p = new Float32Array([0.1, 0.7, 0.2, 0.3, 0.3, 0.4]);
    const bufs = buffers(p, new Float32Array([1, 2]), new Float32Array([1.5, 0.5]));
    expect(b.k.f32_count_sparse_match(2, 3, bufs[0]!.ptr, bufs[1]!.ptr)).toBe(2);
    expect(b.k.f32_count_sparse_match(2, 3, bufs[0]!.ptr, bufs[2]!.ptr)).toBe(0);
    done(bufs);
  });

  test('f32_count_binary_match: p > threshold (strict), y in {0, 1}', () => {
    const p = new Float32Array([0.5, 0.50001, 0.2, 0.9, 0, 1, 0.5, 0.7, 0.1]);
    const y = new Float32Array([0, 1, 0, 1, 1, 0, 1, 1, 0]);
    const bufs = buffers(p, y);
    // matches: 0.5→0 ✓, ✓, ✓, ✓, 0→0≠1 ✗, 1→1≠0 ✗, 0.5→0≠1 ✗, ✓, ✓
    expect(b.k.f32_count_binary_match(9, bufs[0]!.ptr, bufs[1]!.ptr, 0.5)).toBe(6);
    expect(b.k.f32_count_binary_match(0, bufs[0]!.ptr, bufs[1]!.ptr, 0.5)).toBe(0);
    done(bufs);
    const rng = new Rng(8);
    for (const n of [1, 3, 5, 17, 33, 100, 1000]) {
      const pp = new Float32Array(n);
      const yy = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        pp[i] = rng.next() < 0.1 ? 0.5 : rng.next();
        yy[i] = rng.int(2);
      }
      const bb = buffers(pp, yy);
      for (const t of [0.5, 0.3]) expect(b.k.f32_count_binary_match(n, bb[0]!.ptr, bb[1]!.ptr, t)).toBe(ref.countBinaryMatch(n, pp, yy, t));
      done(bb);
    }
  });

  test('f32_sum_abs_diff and f32_sum_sq_diff against float64 sums', () => {
    const rng = new Rng(21);
    for (const n of [0, 1, 3, 5, 17, 33, 100, 1000]) {
      const p = rng.fill(new Float32Array(n), 4);
      const y = rng.fill(new Float32Array(n), 4);
      const bufs = buffers(p, y);
      let abs = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        abs += Math.abs(p[i]! - y[i]!);
        sq += (p[i]! - y[i]!) ** 2;
      }
      // each f32 term is rounded once (abs) or twice (square); the f64 sum adds next to nothing
      close(`sum_abs_diff n=${n}`, b.k.f32_sum_abs_diff(n, bufs[0]!.ptr, bufs[1]!.ptr), abs, 2 * ULP * abs);
      close(`sum_sq_diff n=${n}`, b.k.f32_sum_sq_diff(n, bufs[0]!.ptr, bufs[1]!.ptr), sq, 4 * ULP * sq);
      done(bufs);
    }
  });
});

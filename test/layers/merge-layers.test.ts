// The merge layers (src/layers/merge.ts, concatenate.ts): each one driven directly on a
// StepContext (ctx.xs in, ctx.dxs out, guard words after every buffer) against float64
// references, Keras's errors for lists and shapes, and each one inside a functional model
// trained against TF.js (cpu) on identical weights. Gradients by central differences are the
// layer harness's (test/layers/harness.test.ts).
import { beforeAll, describe, expect, test } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { Layer, Shape, StepContext } from '../../src/layers/layer.js';
import { shapeSize } from '../../src/tensor.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { relDiff, tfReady } from '../helpers/tfjs.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
let tf: typeof TF;
beforeAll(async () => {
  b = await testBackend();
  tf = await tfReady();
});

const L = km.layers;

/** One forward and backward of a built merge layer on `rows` rows; y and each dx (null where not wanted). */
function drive(layer: Layer, shapes: Shape[], rows: number, xs: Float32Array[], dy: Float32Array, want: boolean[] = shapes.map(() => true)) {
  layer.buildFrom(shapes);
  const outSize = shapeSize(layer.outputShape!);
  const bufs: GuardedBuffer[] = [];
  const buf = (n: number, data?: ArrayLike<number>) => {
    const g = new GuardedBuffer(b, n);
    g.data.fill(NaN);
    if (data !== undefined) g.set(data);
    bufs.push(g);
    return g;
  };
  const X = shapes.map((s, j) => buf(rows * shapeSize(s), xs[j]));
  const Y = buf(rows * outSize);
  const DY = buf(rows * outSize, dy);
  const DX = shapes.map((s) => buf(rows * shapeSize(s)));
  layer.plan(b.arena, rows);
  const ctx: StepContext = {
    k: b.k, arena: b.arena, rows, training: true, updateStatistics: true, x: X[0]!.ptr, y: Y.ptr, dy: DY.ptr, dx: want[0] ? DX[0]!.ptr : 0,
    xs: X.map((x) => x.ptr), dxs: DX.map((d, j) => (want[j] ? d.ptr : 0)), ys: [Y.ptr], dys: [DY.ptr], mask: 0, maskOut: 0, accumulate: false, ws: 0, lossFused: false, trackPenalty: true, penalty: 0,
  };
  try {
    layer.forward(ctx);
    const y = Y.data.slice();
    layer.backward(ctx);
    for (const g of bufs) g.checkGuards(layer.className);
    expect(Array.from(DY.data), `${layer.className}: dy is only read`).toEqual(Array.from(dy));
    xs.forEach((x, j) => expect(Array.from(X[j]!.data), `${layer.className}: input ${j} is only read`).toEqual(Array.from(x)));
    return { y, dxs: DX.map((d, j) => (want[j] ? d.data.slice() : null)) };
  } finally {
    layer.unplan(b.arena);
    for (const g of bufs) g.free();
  }
}

function random(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-2, 2));
}

/**
 * |got − want| ≤ 5e-7·|want| + 2e-6: a few float32 roundings of values |x| ≤ 2 (sums of three
 * terms may cancel, so the slack is absolute, on the scale of the terms).
 */
function close(what: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= 5e-7 * Math.abs(want[i]!) + 2e-6)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
describe('the elementwise merges against float64 references', () => {
  type Ref = { y: (v: number[]) => number; dx: (v: number[], j: number) => number };
  const prod = (v: number[], skip = -1) => v.reduce((p, x, i) => (i === skip ? p : p * x), 1);
  const first = (v: number[], pick: (a: number, c: number) => boolean) => v.reduce((best, x, i) => (pick(x, v[best]!) ? i : best), 0);
  const REFS: [string, () => Layer, number, Ref][] = [
    ['Add', () => L.add(), 3, { y: (v) => v.reduce((s, x) => s + x, 0), dx: () => 1 }],
    ['Subtract', () => L.subtract(), 2, { y: (v) => v[0]! - v[1]!, dx: (_, j) => (j === 0 ? 1 : -1) }],
    ['Multiply', () => L.multiply(), 3, { y: (v) => prod(v), dx: (v, j) => prod(v, j) }],
    ['Average', () => L.average(), 3, { y: (v) => v.reduce((s, x) => s + x, 0) / 3, dx: () => 1 / 3 }],
    ['Maximum', () => L.maximum(), 3, { y: (v) => Math.max(...v), dx: (v, j) => (first(v, (a, c) => a > c) === j ? 1 : 0) }],
    ['Minimum', () => L.minimum(), 3, { y: (v) => Math.min(...v), dx: (v, j) => (first(v, (a, c) => a < c) === j ? 1 : 0) }],
  ];

  test.each(REFS)('%s: y and every dx, odd shapes, 1 and 5 rows', (_name, make, k, ref) => {
    for (const shape of [[1], [7], [3, 5]]) {
      for (const rows of [1, 5]) {
        const rng = new Rng(rows * 10 + shape.length);
        const n = rows * shapeSize(shape);
        const xs = Array.from({ length: k }, () => random(rng, n));
        // ties for Maximum/Minimum: some elements equal across inputs
        for (let i = 0; i < n; i += 4) xs[k - 1]![i] = xs[0]![i]!;
        const dy = random(rng, n);
        const { y, dxs } = drive(make(), Array.from({ length: k }, () => shape), rows, xs, dy);
        const at = (i: number) => xs.map((x) => x[i]!);
        close(`${_name} y`, y, Array.from({ length: n }, (_, i) => ref.y(at(i))));
        dxs.forEach((d, j) => close(`${_name} dx${j}`, d!, Array.from({ length: n }, (_, i) => dy[i]! * ref.dx(at(i), j))));
      }
    }
  });

  test('Maximum and Minimum route a tie to the first input, even when its gradient is not wanted', () => {
    const xs = [Float32Array.of(1, 2, 3), Float32Array.of(1, 5, 3)];
    const dy = Float32Array.of(10, 20, 30);
    const max = drive(L.maximum(), [[3], [3]], 1, xs, dy, [false, true]);
    expect(max.dxs[0]).toBeNull();
    expect(Array.from(max.dxs[1]!)).toEqual([0, 20, 0]);
    const min = drive(L.minimum(), [[3], [3]], 1, xs, dy);
    expect(min.dxs.map((d) => Array.from(d!))).toEqual([[10, 20, 30], [0, 0, 0]]);
  });

  test('an input whose gradient is not wanted (ctx.dxs[j] = 0) is skipped', () => {
    const rng = new Rng(4);
    for (const make of [() => L.add(), () => L.multiply(), () => L.subtract(), () => L.average()]) {
      const { dxs } = drive(make(), [[4], [4]], 2, [random(rng, 8), random(rng, 8)], random(rng, 8), [false, true]);
      expect(dxs[0]).toBeNull();
      expect(dxs[1]!.every(Number.isFinite)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('Concatenate and Dot against float64 references', () => {
  /** The concatenation of samples along `axis` (counting the batch as 0), by multi-index. */
  function concatRef(xs: Float32Array[], shapes: Shape[], rows: number, axis: number): number[] {
    const at = axis - 1;
    const outer = shapeSize(shapes[0]!.slice(0, at));
    const out: number[] = [];
    for (let r = 0; r < rows * outer; r++) {
      shapes.forEach((s, j) => {
        const w = shapeSize(s.slice(at));
        out.push(...xs[j]!.subarray(r * w, (r + 1) * w));
      });
    }
    return out;
  }

  test.each([
    [-1, [[3], [5], [1]]], [1, [[2, 3], [1, 3], [4, 3]]], [2, [[2, 3], [2, 1]]], [-2, [[3, 2, 2], [3, 1, 2]]], [1, [[1, 2, 2], [2, 2, 2]]],
  ] as [number, Shape[]][])('axis %d, input shapes %j: y, and each dx is its block of dy', (axis, shapes) => {
    for (const rows of [1, 3]) {
      const rng = new Rng(rows + shapes.length);
      const xs = shapes.map((s) => random(rng, rows * shapeSize(s)));
      const probe = L.concatenate({ axis });
      probe.buildFrom(shapes);
      const dy = random(rng, rows * shapeSize(probe.outputShape!));
      const { y, dxs } = drive(L.concatenate({ axis }), shapes, rows, xs, dy);
      const rank = shapes[0]!.length + 1;
      const a = axis < 0 ? axis + rank : axis;
      expect(Array.from(y)).toEqual(concatRef(xs, shapes, rows, a));
      // the gradient of a concatenation is dy cut into the same blocks
      const pieces = shapes.map((s) => new Float32Array(rows * shapeSize(s)));
      const cut = concatRef(pieces.map((_, j) => Float32Array.from({ length: pieces[j]!.length }, (_, i) => i + j * 1e6)), shapes, rows, a);
      cut.forEach((tag, i) => (pieces[Math.floor(tag / 1e6)]![tag % 1e6] = dy[i]!));
      dxs.forEach((d, j) => expect(Array.from(d!), `dx${j}`).toEqual(Array.from(pieces[j]!)));
    }
  });

  test('Dot: y[i] = Σ a·b per row, da = dy·b, db = dy·a', () => {
    for (const [d, rows] of [[1, 1], [5, 3], [17, 2], [64, 4]] as const) {
      const rng = new Rng(d + rows);
      const xs = [random(rng, rows * d), random(rng, rows * d)];
      const dy = random(rng, rows);
      const { y, dxs } = drive(L.dot({ axes: -1 }), [[d], [d]], rows, xs, dy);
      const want = Array.from({ length: rows }, (_, r) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += xs[0]![r * d + j]! * xs[1]![r * d + j]!;
        return s;
      });
      close('dot y', y, want);
      close('dot da', dxs[0]!, Array.from(xs[1]!, (v, i) => v * dy[Math.floor(i / d)]!));
      close('dot db', dxs[1]!, Array.from(xs[0]!, (v, i) => v * dy[Math.floor(i / d)]!));
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('errors (Keras wording)', () => {
  test('a list of fewer than 2 inputs, or one shape (a Sequential model)', () => {
    expect(() => L.add().buildFrom([[4]])).toThrow('A merge layer should be called on a list of at least 2 inputs. Got 1 inputs. Full input_shape received: [[null, 4]]');
    expect(() => L.concatenate().buildFrom([[4]])).toThrow('at least 2 inputs');
    expect(() => L.maximum().build([4])).toThrow(/A merge layer should be called on a list of inputs. Received: input_shape=\[null, 4\] \(not a list of shapes\)/);
    expect(() => km.sequential({ layers: [L.dense({ units: 4, inputShape: [3] }), L.add()] })).toThrow(km.ValueError);
    expect(() => L.add().apply(km.input({ shape: [3] }))).toThrow(km.ValueError);
  });

  test('shapes that do not merge; shapes kerasm does not broadcast', () => {
    expect(() => L.add().buildFrom([[4], [3]])).toThrow('Inputs have incompatible shapes. Received shapes [null, 4] and [null, 3]');
    expect(() => L.multiply().buildFrom([[2, 4], [2, 4], [4, 2]])).toThrow('Inputs have incompatible shapes. Received shapes [null, 2, 4] and [null, 4, 2]');
    expect(() => L.add().buildFrom([[4], [1]])).toThrow(/does not broadcast them against each other. Received shapes \[\[null, 4\], \[null, 1\]\]/);
    expect(() => L.subtract().buildFrom([[4], [4], [4]])).toThrow('A `Subtract` layer should be called on exactly 2 inputs. Received: input_shape=[[null, 4], [null, 4], [null, 4]]');
  });

  test('Concatenate: other dimensions must match; the batch axis is refused', () => {
    const msg = 'A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[[null, 2, 3], [null, 3, 4]]';
    expect(() => L.concatenate().buildFrom([[2, 3], [3, 4]])).toThrow(msg);
    expect(() => L.concatenate().buildFrom([[2, 3], [3]])).toThrow('A `Concatenate` layer requires inputs with matching shapes');
    expect(() => L.concatenate({ axis: 0 }).buildFrom([[3], [3]])).toThrow(/argument `axis`: expected an axis of the inputs other than the batch/);
    expect(() => L.concatenate({ axis: 3 }).buildFrom([[2, 3], [2, 3]])).toThrow(/argument `axis`/);
    expect(() => L.concatenate({ axis: 1.5 })).toThrow(/argument `axis`: expected an integer/);
    expect(L.concatenate({ axis: 1 }).buildFrom([[2, 3], [4, 3]])).toBeUndefined();
  });

  test('Dot: two [batch, d] inputs with matching d; higher ranks and normalize refused', () => {
    expect(() => L.dot({ axes: 1 }).buildFrom([[3], [4]])).toThrow('Incompatible input shapes: axis values 3 (at axis 1) != 4 (at axis 1). Full input shapes: [[null, 3], [null, 4]]');
    expect(() => L.dot({ axes: 1 }).buildFrom([[3], [3], [3]])).toThrow('A `Dot` layer should be called on a list of 2 inputs.');
    expect(() => L.dot({ axes: 2 }).buildFrom([[2, 3], [2, 3]])).toThrow(/kerasm's Dot takes two inputs of shape \[batch, d\].*a batched matrix product is not supported/);
    expect(() => L.dot({ axes: 1, normalize: true })).toThrow(/argument `normalize`: expected false/);
    expect(() => L.dot({ axes: 'x' } as never)).toThrow(/argument `axes`: expected an integer or a list of two integers/);
    expect(() => L.dot({ axes: [1, 1, 1] } as never)).toThrow(/argument `axes`/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('in a functional model, trained against TF.js on identical weights', () => {
  type Merge = (tfl: typeof TF.layers | typeof km.layers) => { apply: (x: never) => unknown };
  // TF.js has no Subtract layer: x0 − tanh(z) is x0 + tanh(−z), so its model adds and the second
  // branch's Dense has negated weights (which SGD keeps negated).
  const subtract: Merge = (l) => ('subtract' in l ? l.subtract() : l.add());
  const CASES: [string, Merge, number][] = [
    ['add', (l) => l.add(), 3], ['subtract', subtract, 2], ['multiply', (l) => l.multiply(), 3], ['average', (l) => l.average(), 3],
    ['maximum', (l) => l.maximum(), 3], ['minimum', (l) => l.minimum(), 2], ['concatenate', (l) => l.concatenate(), 3],
    ['dot', (l) => l.dot({ axes: 1 }), 2],
  ];

  test.each(CASES)('%s: predictions and weights after 4 SGD steps', async (_name, merge, k) => {
    const rng = new Rng(k * 31 + _name.length);
    const n = 16;
    const xs = Array.from({ length: k }, () => Float32Array.from({ length: n * 3 }, () => rng.uniform(-1, 1)));
    const y = Float32Array.from({ length: n * 2 }, () => rng.uniform(-1, 1));
    // k inputs, a tanh Dense on each (so every input's gradient reaches a weight), the merge, a Dense head
    const tfIns = xs.map((_, j) => tf.input({ shape: [3], name: `in${j}` }));
    const tfHidden = tfIns.map((t, j) => tf.layers.dense({ units: 4, activation: 'tanh', name: `h${j}` }).apply(t) as TF.SymbolicTensor);
    const tfMerged = merge(tf.layers).apply(tfHidden as never) as TF.SymbolicTensor;
    const tm = tf.model({ inputs: tfIns, outputs: tf.layers.dense({ units: 2, name: 'head' }).apply(tfMerged) as TF.SymbolicTensor });
    const ins = xs.map((_, j) => km.input({ shape: [3], name: `in${j}` }));
    const hidden = ins.map((t, j) => L.dense({ units: 4, activation: 'tanh', name: `h${j}` }).apply(t));
    const merged = merge(km.layers).apply(hidden as never) as km.SymbolicTensor;
    const model = km.model({ inputs: ins, outputs: L.dense({ units: 2, name: 'head' }).apply(merged) });
    const sign = (i: number) => (_name === 'subtract' && (i === 2 || i === 3) ? -1 : 1); // h1's kernel and bias
    const tfW = () => tm.getWeights().map((w, i) => ({ data: (w.dataSync() as Float32Array).map((v) => sign(i) * v), shape: w.shape.slice() }));
    model.setWeights(tfW());
    const kx = xs.map((x) => km.tensor(x, [n, 3]));
    const tx = xs.map((x) => tf.tensor2d(x, [n, 3]));
    const p0 = model.predict(kx) as km.Tensor;
    const t0 = tm.predict(tx) as TF.Tensor;
    expect(relDiff(p0.data, t0.dataSync()), 'predictions before training').toBeLessThan(1e-5);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    tm.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await model.fit(kx, km.tensor(y, [n, 2]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    await tm.fit(tx, tf.tensor2d(y, [n, 2]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const tw = tfW();
    model.getWeights().forEach((w, i) => expect(relDiff(w.data, tw[i]!.data), `weight ${i} (${model.weights[i]!.name})`).toBeLessThan(1e-5));
    model.dispose();
    tm.dispose();
  });
});

// The convolution layers (src/layers/conv.ts, conv-depthwise.ts) against the float64 direct loops
// of test/reference/conv.ts, through the layer: forward (bias and activation included) and
// backward (dx and every weight gradient, bias included) on odd shapes — kernel 1, 2, 3, 5;
// stride 1, 2, 3; dilation 1, 2; valid, same, causal; channels 1, 3, 5; batches of 7 and 1 in a
// plan for 7; inputs smaller than the kernel where 'same' allows it — with guard words after
// every buffer. Then Keras's errors for bad arguments and shapes, thrown before any wasm call.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Backend } from '../../src/backend/loader.js';
import { convGeometry } from '../../src/backend/conv.js';
import type { ConvGeometry, ConvPadding } from '../../src/backend/conv.js';
import * as km from '../../src/index.js';
import type { Layer, Shape, StepContext } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { shapeSize } from '../../src/tensor.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { Ref } from '../reference/conv.js';
import { conv2dFilterGradRef, conv2dInputGradRef, conv2dRef, depthwiseFilterGradRef, depthwiseInputGradRef, depthwiseRef } from '../reference/conv.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const TOL = 1e-5;
const PLANNED = 7;
const L = km.layers;

type Act = 'linear' | 'relu' | 'tanh';

/** What one pass of a layer gave: y, dx, each weight's gradient (in the layer's order), and the dy it was given. */
interface Pass {
  y: Float32Array;
  dx: Float32Array;
  grads: Float32Array[];
  weights: Float32Array[];
  x: Float32Array;
  dy: Float32Array;
}

/** Build `layer` for `inShape`, fill weights and x, run forward then backward for `rows` of a plan for PLANNED, guard words everywhere. */
function runLayer(layer: Layer, inShape: Shape, rows: number, rng: Rng): Pass {
  layer.build(inShape);
  const inSize = shapeSize(inShape);
  const outSize = shapeSize(layer.outputShape!);
  const owned: GuardedBuffer[] = [];
  const buf = (n: number) => {
    const g = new GuardedBuffer(b, Math.max(1, n));
    owned.push(g);
    return g;
  };
  try {
    for (const w of layer.weights) {
      w.region = buf(w.size).set(rng.fill(new Float32Array(w.size))).region;
      w.grad = buf(w.size).region;
    }
    layer.plan(b.arena, PLANNED);
    const ws = buf(Math.ceil(layer.workspaceBytes(b.k, PLANNED) / 4) + 1);
    const x = buf(PLANNED * inSize).set(rng.fill(new Float32Array(PLANNED * inSize)));
    const y = buf(PLANNED * outSize);
    const dyBuf = buf(PLANNED * outSize);
    const dx = buf(PLANNED * inSize);
    const dy = rng.fill(new Float32Array(rows * outSize));
    dyBuf.set(dy);
    const ctx: StepContext = {
      k: b.k, arena: b.arena, rows, training: true, updateStatistics: true, x: x.ptr, y: y.ptr, dy: dyBuf.ptr, dx: dx.ptr, xs: [x.ptr], dxs: [dx.ptr], ys: [y.ptr], dys: [dyBuf.ptr],
      mask: 0, maskOut: 0, accumulate: false, ws: ws.ptr, lossFused: false, trackPenalty: true, penalty: 0,
    };
    layer.forward(ctx);
    const yOut = y.data.slice(0, rows * outSize);
    layer.backward(ctx);
    for (const g of owned) g.checkGuards(`${layer.className} buffer`);
    return {
      y: yOut, dx: dx.data.slice(0, rows * inSize), x: x.data.slice(0, rows * inSize), dy,
      grads: layer.weights.map((w) => b.arena.view(w.grad!, w.size).slice()), weights: layer.weights.map((w) => b.arena.view(w.region!, w.size).slice()),
    };
  } finally {
    layer.unplan(b.arena);
    for (const w of layer.weights) {
      w.region = null;
      w.grad = null;
    }
    for (const g of owned) g.free();
  }
}

/** got within TOL·Σ|terms| (+ a small absolute slack for the activations) of the reference. */
function close(what: string, got: ArrayLike<number>, want: Ref, abs = 1e-6): void {
  expect(got.length, `${what}: length`).toBe(want.value.length);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i]! - want.value[i]!);
    if (!(err <= TOL * want.mag[i]! + abs)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want.value[i]} (Σ|terms| ${want.mag[i]})`);
  }
}

/** The activation applied to a reference pre-activation (value and magnitude carried). */
function activate(r: Ref, act: Act): Ref {
  const f = act === 'relu' ? (v: number) => Math.max(v, 0) : act === 'tanh' ? Math.tanh : (v: number) => v;
  return { value: r.value.map(f), mag: r.mag };
}

/** dz = dy·act'(z), from the layer's float32 output y (as its backward computes it: relu' from y > 0, tanh' = 1 − y²). */
function dzOf(dy: Float32Array, y: Float32Array, act: Act): Float64Array {
  return Float64Array.from(dy, (d, i) => (act === 'relu' ? (y[i]! > 0 ? d : 0) : act === 'tanh' ? d * (1 - y[i]! * y[i]!) : d));
}

/** Σ over the output pixels of dz per channel (the bias gradient). */
function biasGrad(dz: Float64Array, cout: number): Ref {
  const r: Ref = { value: new Float64Array(cout), mag: new Float64Array(cout) };
  dz.forEach((v, i) => {
    r.value[i % cout] = r.value[i % cout]! + v;
    r.mag[i % cout] = r.mag[i % cout]! + Math.abs(v);
  });
  return r;
}

interface ConvCase {
  kind: 'conv2d' | 'conv1d';
  inShape: Shape;
  k: number[];
  strides: number[];
  dil: number[];
  padding: ConvPadding;
  filters: number;
  act: Act;
  useBias: boolean;
}

function geometryOf(c: { inShape: Shape; k: number[]; strides: number[]; dil: number[]; padding: ConvPadding }, cout: number, batch: number): ConvGeometry {
  const two = c.inShape.length === 3;
  const cin = c.inShape[c.inShape.length - 1]!;
  const [inH, inW] = two ? [c.inShape[0]!, c.inShape[1]!] : [1, c.inShape[0]!];
  const p = (v: number[]) => (two ? v : [1, v[0]!]);
  return convGeometry({ batch, inH, inW, cin, kh: p(c.k)[0]!, kw: p(c.k)[1]!, cout, strideH: p(c.strides)[0], strideW: p(c.strides)[1], dilH: p(c.dil)[0], dilW: p(c.dil)[1],
    padding: c.padding, rank: two ? 2 : 1 });
}

function checkConv(c: ConvCase, rows: number, seed: number): void {
  const make = c.kind === 'conv2d' ? L.conv2d : L.conv1d;
  const layer = make({ filters: c.filters, kernelSize: c.k, strides: c.strides, dilationRate: c.dil, padding: c.padding, activation: c.act, useBias: c.useBias });
  const p = runLayer(layer, c.inShape, rows, new Rng(seed));
  const g = geometryOf(c, c.filters, rows);
  expect(layer.outputShape).toEqual(c.kind === 'conv2d' ? [g.outH, g.outW, c.filters] : [g.outW, c.filters]);
  const bias = c.useBias ? p.weights[1]! : null;
  close('y', p.y, activate(conv2dRef(g, p.x, p.weights[0]!, bias), c.act));
  const dz = dzOf(p.dy, p.y, c.act);
  close('dx', p.dx, conv2dInputGradRef(g, dz, p.weights[0]!));
  close('kernel gradient', p.grads[0]!, conv2dFilterGradRef(g, p.x, dz));
  if (c.useBias) close('bias gradient', p.grads[1]!, biasGrad(dz, c.filters));
}

/** The Conv2D grid: every kernel, stride and dilation (not stride and dilation both above 1), both paddings. */
function conv2dCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  const acts: Act[] = ['linear', 'relu', 'tanh'];
  let i = 0;
  for (const k of [1, 2, 3, 5]) {
    for (const s of [1, 2, 3]) {
      for (const d of [1, 2]) {
        if (s > 1 && d > 1) continue;
        for (const padding of ['valid', 'same'] as const) {
          const cin = [1, 3, 5][i % 3]!;
          const inShape = [7, 6, cin];
          if (padding === 'valid' && d * (k - 1) + 1 > 6) continue;
          cases.push({ kind: 'conv2d', inShape, k: [k, k], strides: [s, s], dil: [d, d], padding, filters: 1 + (i % 4), act: acts[i % 3]!, useBias: i % 2 === 0 });
          i++;
        }
      }
    }
  }
  // Non-square kernels, strides and dilations; an input smaller than the kernel ('same').
  cases.push({ kind: 'conv2d', inShape: [5, 7, 3], k: [3, 2], strides: [2, 1], dil: [1, 1], padding: 'same', filters: 3, act: 'relu', useBias: true });
  cases.push({ kind: 'conv2d', inShape: [6, 5, 2], k: [2, 3], strides: [1, 1], dil: [2, 1], padding: 'valid', filters: 2, act: 'tanh', useBias: false });
  cases.push({ kind: 'conv2d', inShape: [2, 3, 3], k: [5, 5], strides: [1, 1], dil: [1, 1], padding: 'same', filters: 4, act: 'linear', useBias: true });
  return cases;
}

function conv1dCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  let i = 0;
  for (const k of [1, 2, 3, 5]) {
    for (const [s, d] of [[1, 1], [2, 1], [3, 1], [1, 2]] as const) {
      for (const padding of ['valid', 'same', 'causal'] as const) {
        if (padding === 'valid' && d * (k - 1) + 1 > 9) continue;
        cases.push({ kind: 'conv1d', inShape: [9, [1, 3, 5][i % 3]!], k: [k], strides: [s], dil: [d], padding, filters: 1 + (i % 3), act: (['tanh', 'linear', 'relu'] as const)[i % 3]!, useBias: i % 2 === 1 });
        i++;
      }
    }
  }
  return cases;
}

const label = (c: ConvCase) => `${c.inShape.join('×')} kernel ${c.k.join('×')} strides ${c.strides.join('×')} dilation ${c.dil.join('×')} ${c.padding} → ${c.filters}, ${c.act}${c.useBias ? '' : ', no bias'}`;

describe('Conv2D and Conv1D against the float64 direct convolution (forward, dx, kernel and bias gradients)', () => {
  test.each(conv2dCases().map((c) => [label(c), c] as const))('Conv2D %s', (_, c) => {
    checkConv(c, PLANNED, 1);
    checkConv(c, 1, 2);
  });
  test.each(conv1dCases().map((c) => [label(c), c] as const))('Conv1D %s', (_, c) => {
    checkConv(c, PLANNED, 3);
    checkConv(c, 1, 4);
  });
  test('causal padding: output t reads inputs t − 4, t − 2 and t only (kernel 3, dilation 2)', () => {
    const p = runLayer(L.conv1d({ filters: 1, kernelSize: 3, padding: 'causal', dilationRate: 2, useBias: false }), [8, 1], 1, new Rng(5));
    const w = p.weights[0]!;
    const want = Array.from({ length: 8 }, (_, t) => [0, 1, 2].reduce((s, j) => (t - 2 * (2 - j) < 0 ? s : s + p.x[t - 2 * (2 - j)]! * w[j]!), 0));
    p.y.forEach((v, t) => expect(v).toBeCloseTo(want[t]!, 5));
  });
});

describe('DepthwiseConv2D against the float64 references', () => {
  const cases: { inShape: Shape; k: number; s: number; d: number; m: number; padding: ConvPadding; act: Act; useBias: boolean }[] = [];
  let i = 0;
  for (const k of [1, 2, 3]) {
    for (const [s, d] of [[1, 1], [2, 1], [1, 2]] as const) {
      for (const padding of ['valid', 'same'] as const) {
        cases.push({ inShape: [6, 5, [1, 3][i % 2]!], k, s, d, m: 1 + (i % 3), padding, act: (['relu', 'linear', 'tanh'] as const)[i % 3]!, useBias: i % 2 === 0 });
        i++;
      }
    }
  }
  test.each(cases.map((c) => [`${c.inShape.join('×')} kernel ${c.k} stride ${c.s} dilation ${c.d} ×${c.m} ${c.padding} ${c.act}`, c] as const))('%s', (_, c) => {
    for (const rows of [PLANNED, 1]) {
      const layer = L.depthwiseConv2d({ kernelSize: c.k, strides: c.s, dilationRate: c.d, depthMultiplier: c.m, padding: c.padding, activation: c.act, useBias: c.useBias });
      const p = runLayer(layer, c.inShape, rows, new Rng(rows + c.k));
      const cout = c.inShape[2]! * c.m;
      const g = geometryOf({ inShape: c.inShape, k: [c.k, c.k], strides: [c.s, c.s], dil: [c.d, c.d], padding: c.padding }, cout, rows);
      close('y', p.y, activate(depthwiseRef(g, p.x, p.weights[0]!, c.useBias ? p.weights[1]! : null), c.act));
      const dz = dzOf(p.dy, p.y, c.act);
      close('dx', p.dx, depthwiseInputGradRef(g, dz, p.weights[0]!));
      close('depthwise_kernel gradient', p.grads[0]!, depthwiseFilterGradRef(g, p.x, dz));
      if (c.useBias) close('bias gradient', p.grads[1]!, biasGrad(dz, cout));
    }
  });
});

/** The pointwise product in float64: out[r, o] = Σ_c a[r, c]·w[c, o] (value and Σ|terms|), plus its bias. */
function matmul(a: ArrayLike<number>, w: ArrayLike<number>, rows: number, inner: number, cols: number, bias: ArrayLike<number> | null): Ref {
  const r: Ref = { value: new Float64Array(rows * cols), mag: new Float64Array(rows * cols) };
  for (let i = 0; i < rows; i++) {
    for (let o = 0; o < cols; o++) {
      let s = bias === null ? 0 : bias[o]!;
      let m = Math.abs(s);
      for (let c = 0; c < inner; c++) {
        const t = a[i * inner + c]! * w[c * cols + o]!;
        s += t;
        m += Math.abs(t);
      }
      r.value[i * cols + o] = s;
      r.mag[i * cols + o] = m;
    }
  }
  return r;
}

function transpose(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, i) => w[(i % rows) * cols + Math.floor(i / rows)]!);
}

describe('SeparableConv2D against depthwise then pointwise in float64', () => {
  const cases = [
    { inShape: [6, 5, 2], k: 3, s: 1, d: 1, m: 1, padding: 'valid', filters: 3, act: 'linear', useBias: true },
    { inShape: [6, 5, 3], k: 3, s: 2, d: 1, m: 2, padding: 'same', filters: 4, act: 'relu', useBias: true },
    { inShape: [7, 6, 2], k: 2, s: 1, d: 2, m: 3, padding: 'same', filters: 2, act: 'tanh', useBias: false },
    { inShape: [5, 5, 1], k: 5, s: 3, d: 1, m: 2, padding: 'same', filters: 5, act: 'relu', useBias: true },
  ] as const;
  test.each(cases.map((c) => [`${c.inShape.join('×')} kernel ${c.k} stride ${c.s} dilation ${c.d} ×${c.m} ${c.padding} → ${c.filters} ${c.act}`, c] as const))('%s', (_, c) => {
    for (const rows of [PLANNED, 1]) {
      const layer = L.separableConv2d({ filters: c.filters, kernelSize: c.k, strides: c.s, dilationRate: c.d, depthMultiplier: c.m, padding: c.padding, activation: c.act, useBias: c.useBias });
      const p = runLayer(layer, [...c.inShape], rows, new Rng(11 + rows));
      const mid = c.inShape[2] * c.m;
      const g = geometryOf({ inShape: [...c.inShape], k: [c.k, c.k], strides: [c.s, c.s], dil: [c.d, c.d], padding: c.padding }, mid, rows);
      const pixels = rows * g.outH * g.outW;
      const [dw, pw] = [p.weights[0]!, p.weights[1]!];
      const d = depthwiseRef(g, p.x, dw, null);
      // The pointwise stage sees the float32 D the layer computed; D itself is checked through y within Σ|terms| of both stages.
      const dF32 = Float32Array.from(d.value);
      const z = matmul(dF32, pw, pixels, mid, c.filters, c.useBias ? p.weights[2]! : null);
      close('y', p.y, activate({ value: z.value, mag: matmul(d.mag, pw.map(Math.abs), pixels, mid, c.filters, c.useBias ? p.weights[2]!.map(Math.abs) : null).value }, c.act));
      const dz = dzOf(p.dy, p.y, c.act);
      close('pointwise_kernel gradient', p.grads[1]!, matmul(transpose(dF32, pixels, mid), dz, mid, pixels, c.filters, null));
      const dd = matmul(dz, transpose(pw, mid, c.filters), pixels, c.filters, mid, null);
      const ddF32 = Float32Array.from(dd.value);
      close('depthwise_kernel gradient', p.grads[0]!, depthwiseFilterGradRef(g, p.x, ddF32), 1e-5);
      close('dx', p.dx, depthwiseInputGradRef(g, ddF32, dw), 1e-5);
      if (c.useBias) close('bias gradient', p.grads[2]!, biasGrad(dz, c.filters));
    }
  });
});

describe("bad arguments and shapes: Keras's ValueErrors, before any wasm call", () => {
  test('window arguments', () => {
    expect(() => L.conv2d({ filters: 2, kernelSize: [3, 0] })).toThrow(km.ValueError);
    expect(() => L.conv2d({ filters: 2, kernelSize: [3, 0] })).toThrow('The `kernelSize` argument must be a tuple of 2 integers. Received kernelSize=[3, 0], including values {0} that do not satisfy `value > 0`');
    expect(() => L.conv2d({ filters: 2, kernelSize: 2.5 })).toThrow('The `kernelSize` argument must be a tuple of 2 integers. Received kernelSize=2.5');
    expect(() => L.conv2d({ filters: 2, kernelSize: [3, 2.5] })).toThrow('The `kernelSize` argument must be a tuple of 2 integers. Received kernelSize=[3, 2.5], including element 2.5 of type float');
    expect(() => L.conv2d({ filters: 2, kernelSize: [3, 3, 3] })).toThrow('The `kernelSize` argument must be a tuple of 2 integers. Received kernelSize=[3, 3, 3]');
    expect(() => L.conv1d({ filters: 2, kernelSize: 3, strides: 0 })).toThrow('The `strides` argument must be a tuple of 1 integers. Received strides=0, including values {0} that do not satisfy `value > 0`');
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }))
      .toThrow('`strides > 1` not supported in conjunction with `dilationRate > 1`. Received: strides=[2, 2] and dilationRate=[2, 2]');
    expect(() => L.separableConv2d({ filters: 2, kernelSize: 3, strides: [1, 2], dilationRate: [2, 1] })).toThrow('`strides > 1` not supported in conjunction with `dilationRate > 1`');
    expect(() => L.depthwiseConv2d({ kernelSize: 3, strides: 3, dilationRate: 2 })).toThrow(km.ValueError);
    expect(() => L.conv2d({ filters: 0, kernelSize: 3 })).toThrow('Invalid value received for argument `filters`: expected a positive integer. Received: filters=0');
    expect(() => L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 1.5 })).toThrow('Invalid value received for argument `depthMultiplier`: expected a positive integer. Received: depthMultiplier=1.5');
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' })).toThrow("The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal");
    expect(() => L.conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow("The `padding` argument must be a list/tuple or one of {'valid', 'same', 'causal'}. Received: full");
    expect(L.conv2d({ filters: 2, kernelSize: 3, padding: 'SAME' as never }).padding).toBe('same');
  });

  test('channels-first is refused saying so, from options and from a file', () => {
    expect(() => L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' })).toThrow(/^Conv2D layer "conv2d(_\d+)?": data_format 'channels_first' is not supported: kerasm is channels-last only/);
    expect(L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channels_last' }).getConfig().data_format).toBe('channels_last');
    const config = { ...L.depthwiseConv2d({ kernelSize: 3 }).getConfig(), data_format: 'channels_first' };
    expect(() => layerFromConfig('DepthwiseConv2D', config)).toThrow(/^DepthwiseConv2D layer ".*": data_format 'channels_first' is not supported/);
    const grouped = { ...L.conv2d({ filters: 4, kernelSize: 3 }).getConfig(), groups: 2 };
    expect(() => layerFromConfig('Conv2D', grouped)).toThrow('Conv2D with `groups: 2` is not supported: kerasm has no grouped convolutions (groups must be 1)');
  });

  test('an input of the wrong rank or smaller than a valid kernel: Keras\'s errors, and the model is left as it was', () => {
    const dense = () => km.sequential({ layers: [L.dense({ units: 3, inputShape: [4] })] });
    km.setSeed(8);
    const model = dense();
    expect(() => model.add(L.conv2d({ filters: 2, kernelSize: 3 }))).toThrow(km.ValueError);
    expect(() => model.add(L.conv2d({ filters: 2, kernelSize: 3 }))).toThrow(/^Input 0 of layer "conv2d(_\d+)?" is incompatible with the layer: expected min_ndim=4, found ndim=2\. Full shape received: \(None, 3\)$/);
    expect(model.layers.length).toBe(1);
    const got = model.predict([[1, 2, 3, 4]]).data;
    km.setSeed(8);
    const fresh = dense();
    expect(got).toEqual(fresh.predict([[1, 2, 3, 4]]).data);
    model.dispose();
    fresh.dispose();

    expect(() => km.sequential({ layers: [L.conv2d({ filters: 2, kernelSize: 5, inputShape: [4, 6, 1] })] }))
      .toThrow('Computed output size would be zero or negative. Received `inputs shape=(None, 4, 6, 1)`, `kernel shape=(5, 5, 1, 2)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`.');
    expect(() => km.sequential({ layers: [L.conv1d({ filters: 2, kernelSize: 3, dilationRate: 3, inputShape: [6, 2] })] }))
      .toThrow('Computed output size would be zero or negative. Received `inputs shape=(None, 6, 2)`, `kernel shape=(3, 2, 2)`, `dilation_rate=[3]`, `strides=(1,)`, `padding=valid`.');
    expect(() => km.sequential({ layers: [L.conv1d({ filters: 2, kernelSize: 3, inputShape: [6, 2, 2] })] })).toThrow(/expected ndim=3, found ndim=4/);
    // 'same' takes an input smaller than the kernel.
    const same = km.sequential({ layers: [L.conv2d({ filters: 2, kernelSize: 5, padding: 'same', inputShape: [2, 3, 1] })] });
    expect(same.outputShape).toEqual([2, 3, 2]);
    same.dispose();
  });

  test('a model given data of the wrong shape refuses it before training, its weights unchanged', async () => {
    km.setSeed(3);
    const model = km.sequential({ layers: [L.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }), L.flatten(), L.dense({ units: 1 })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const w = model.getWeights().map((t) => t.data.slice());
    await expect(model.fit(km.tensor(new Float32Array(2 * 5 * 4), [2, 5, 4, 1]), km.tensor([[1], [0]]), { verbose: 0 })).rejects.toThrow(km.ValueError);
    expect(() => model.predict(km.tensor(new Float32Array(2 * 25 * 2), [2, 5, 5, 2]))).toThrow(km.ValueError);
    model.getWeights().forEach((t, i) => expect(t.data).toEqual(w[i]));
    model.dispose();
  });
});

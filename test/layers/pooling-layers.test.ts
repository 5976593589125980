// The pooling and reshaping layers (src/layers/pooling.ts, global-pooling.ts, reshaping.ts):
// forward and backward of each layer driven on a StepContext (guard words after every buffer,
// outputs pre-filled with NaN, x and dy only read) against the float64 references of
// test/reference/pool.ts, which follow Keras's and TensorFlow's definitions, on odd shapes
// (channels 1, 3, 5, 17; batches 1 and 7; inputs smaller than the pool where 'same' allows);
// Keras's errors, thrown before any wasm call with the model untouched; configs as Keras 3,
// Keras 2 and TF.js write them. Gradients by central differences are the layer harness's.
import { beforeAll, describe, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import type { Layer, Shape, StepContext } from '../../src/layers/layer.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { shapeSize } from '../../src/tensor.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { Ref } from '../reference/pool.js';
import {
  avgPoolGradRef, avgPoolRef, cropRef, globalAvgGradRef, globalAvgRef, globalMaxGradRef, globalMaxRef, maxPoolGradRef, maxPoolRef,
  poolGeometry, upBilinearGradRef, upBilinearRef, upNearestGradRef, upNearestRef, zeroPadRef,
} from '../reference/pool.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

const L = km.layers;

/** One forward and backward of `layer` built for `shape` on `rows` rows: y and dx (x and dy checked unchanged). */
function drive(layer: Layer, shape: Shape, rows: number, x: Float32Array, dy: Float32Array): { y: Float32Array; dx: Float32Array } {
  layer.build(shape);
  const inN = rows * shapeSize(shape);
  const outN = rows * shapeSize(layer.outputShape!);
  const bufs: GuardedBuffer[] = [];
  const buf = (len: number, data?: ArrayLike<number>) => {
    const g = new GuardedBuffer(b, Math.max(1, len));
    g.data.fill(NaN);
    if (data !== undefined) g.set(data);
    bufs.push(g);
    return g;
  };
  const [X, Y, DY, DX] = [buf(inN, x), buf(outN), buf(outN, dy), buf(inN)];
  const ws = buf(Math.ceil(layer.workspaceBytes(b.k, rows) / 4));
  layer.plan(b.arena, rows);
  const ctx: StepContext = {
    k: b.k, arena: b.arena, rows, training: true, updateStatistics: true, x: X!.ptr, y: Y!.ptr, dy: DY!.ptr, dx: DX!.ptr,
    xs: [X!.ptr], dxs: [DX!.ptr], ys: [Y!.ptr], dys: [DY!.ptr], mask: 0, maskOut: 0, accumulate: false, ws: ws.ptr, lossFused: false, trackPenalty: true, penalty: 0,
  };
  try {
    layer.forward(ctx);
    const y = Y!.data.slice();
    layer.backward(ctx);
    for (const g of bufs) g.checkGuards(layer.className);
    expect(Array.from(X!.data), `${layer.className}: x unchanged`).toEqual(Array.from(x));
    expect(Array.from(DY!.data), `${layer.className}: dy unchanged`).toEqual(Array.from(dy));
    return { y, dx: DX!.data.slice() };
  } finally {
    layer.unplan(b.arena);
    for (const g of bufs) g.free();
  }
}

/** got against a float64 reference: exact for a Float32Array (a selection or copy), else within the sum's rounding. */
function close(what: string, got: Float32Array, want: Ref | Float32Array): void {
  const value = want instanceof Float32Array ? want : want.value;
  expect(got.length, `${what}: length`).toBe(value.length);
  for (let i = 0; i < value.length; i++) {
    const tol = want instanceof Float32Array ? 0 : 1e-6 * want.mag[i]! + 1e-7;
    if (!(Math.abs(got[i]! - value[i]!) <= tol)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${value[i]} (tolerance ${tol})`);
  }
}

interface RefCase {
  title: string;
  make: () => Layer;
  shape: Shape;
  /** Forward and backward references for a batch of `rows`. */
  ref: (rows: number, x: Float32Array, dy: Float32Array) => { y: Ref | Float32Array; dx: Ref | Float32Array };
}

/** A windowed pool's references: `kind`, 2-D [h, w, c] or 1-D [steps, c] as height 1. */
function windowed(kind: 'max' | 'avg', shape: Shape, pool: number[], strides: number[], padding: 'valid' | 'same') {
  return (rows: number, x: Float32Array, dy: Float32Array) => {
    const two = shape.length === 3;
    const g = poolGeometry({
      batch: rows, inH: two ? shape[0]! : 1, inW: two ? shape[1]! : shape[0]!, cin: shape[shape.length - 1]!,
      kh: two ? pool[0]! : 1, kw: two ? pool[1]! : pool[0]!, strideH: two ? strides[0]! : 1, strideW: two ? strides[1]! : strides[0]!, padding,
    });
    return kind === 'max' ? { y: maxPoolRef(g, x).y, dx: maxPoolGradRef(g, x, dy) } : { y: avgPoolRef(g, x), dx: avgPoolGradRef(g, dy) };
  };
}

function global(kind: 'max' | 'avg', shape: Shape) {
  const c = shape[shape.length - 1]!;
  const hw = shapeSize(shape) / c;
  return (rows: number, x: Float32Array, dy: Float32Array) => (kind === 'max'
    ? { y: globalMaxRef(rows, hw, c, x), dx: globalMaxGradRef(rows, hw, c, x, dy) }
    : { y: globalAvgRef(rows, hw, c, x), dx: globalAvgGradRef(rows, hw, c, dy) });
}

const pads = (t: number, bo: number, l: number, r: number) => [t, bo, l, r] as const;

const CASES: RefCase[] = [
  { title: 'MaxPooling2D default (2, valid, odd sizes)', make: () => L.maxPooling2d(), shape: [5, 4, 3], ref: windowed('max', [5, 4, 3], [2, 2], [2, 2], 'valid') },
  { title: 'MaxPooling2D 3, strides 1, same, 17 channels', make: () => L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }), shape: [4, 5, 17], ref: windowed('max', [4, 5, 17], [3, 3], [1, 1], 'same') },
  { title: 'MaxPooling2D [2, 3], strides [3, 2], same', make: () => L.maxPooling2d({ poolSize: [2, 3], strides: [3, 2], padding: 'same' }), shape: [5, 7, 5], ref: windowed('max', [5, 7, 5], [2, 3], [3, 2], 'same') },
  { title: 'MaxPooling2D 3, same, input smaller than the pool', make: () => L.maxPooling2d({ poolSize: 3, padding: 'same' }), shape: [2, 2, 3], ref: windowed('max', [2, 2, 3], [3, 3], [3, 3], 'same') },
  { title: 'AveragePooling2D 2, same, odd sizes, 17 channels', make: () => L.averagePooling2d({ padding: 'same' }), shape: [5, 3, 17], ref: windowed('avg', [5, 3, 17], [2, 2], [2, 2], 'same') },
  { title: 'AveragePooling2D 3, strides 2, valid, 1 channel', make: () => L.averagePooling2d({ poolSize: 3, strides: 2 }), shape: [7, 5, 1], ref: windowed('avg', [7, 5, 1], [3, 3], [2, 2], 'valid') },
  { title: 'AveragePooling2D 3, same, input smaller than the pool', make: () => L.averagePooling2d({ poolSize: 3, padding: 'same' }), shape: [1, 2, 3], ref: windowed('avg', [1, 2, 3], [3, 3], [3, 3], 'same') },
  { title: 'MaxPooling1D default (2, valid, odd steps)', make: () => L.maxPooling1d(), shape: [7, 5], ref: windowed('max', [7, 5], [2], [2], 'valid') },
  { title: 'MaxPooling1D 3, strides 1, same, 17 channels', make: () => L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), shape: [5, 17], ref: windowed('max', [5, 17], [3], [1], 'same') },
  { title: 'AveragePooling1D 3, strides 2, same', make: () => L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }), shape: [6, 4], ref: windowed('avg', [6, 4], [3], [2], 'same') },
  { title: 'AveragePooling1D [2], valid, 1 channel', make: () => L.averagePooling1d({ poolSize: [2] }), shape: [5, 1], ref: windowed('avg', [5, 1], [2], [2], 'valid') },
  { title: 'GlobalAveragePooling2D', make: () => L.globalAveragePooling2d(), shape: [3, 4, 5], ref: global('avg', [3, 4, 5]) },
  { title: 'GlobalAveragePooling2D keepdims, 17 channels', make: () => L.globalAveragePooling2d({ keepdims: true }), shape: [2, 3, 17], ref: global('avg', [2, 3, 17]) },
  { title: 'GlobalMaxPooling2D', make: () => L.globalMaxPooling2d(), shape: [3, 4, 5], ref: global('max', [3, 4, 5]) },
  { title: 'GlobalMaxPooling2D on 1×1', make: () => L.globalMaxPooling2d(), shape: [1, 1, 3], ref: global('max', [1, 1, 3]) },
  { title: 'GlobalAveragePooling1D', make: () => L.globalAveragePooling1d(), shape: [6, 3], ref: global('avg', [6, 3]) },
  { title: 'GlobalMaxPooling1D keepdims, 17 channels', make: () => L.globalMaxPooling1d({ keepdims: true }), shape: [5, 17], ref: global('max', [5, 17]) },
  {
    title: 'ZeroPadding2D default', make: () => L.zeroPadding2d(), shape: [2, 3, 5],
    ref: (rows, x, dy) => ({ y: zeroPadRef(rows, 2, 3, 5, pads(1, 1, 1, 1), x), dx: cropRef(rows, 2, 3, 5, pads(1, 1, 1, 1), dy) }),
  },
  {
    title: 'ZeroPadding2D [[1, 0], [2, 1]], 17 channels', make: () => L.zeroPadding2d({ padding: [[1, 0], [2, 1]] }), shape: [3, 2, 17],
    ref: (rows, x, dy) => ({ y: zeroPadRef(rows, 3, 2, 17, pads(1, 0, 2, 1), x), dx: cropRef(rows, 3, 2, 17, pads(1, 0, 2, 1), dy) }),
  },
  {
    title: 'UpSampling2D nearest [2, 3]', make: () => L.upSampling2d({ size: [2, 3] }), shape: [2, 3, 5],
    ref: (rows, x, dy) => ({ y: upNearestRef(rows, 2, 3, 5, 2, 3, x), dx: upNearestGradRef(rows, 2, 3, 5, 2, 3, dy) }),
  },
  {
    title: 'UpSampling2D bilinear [3, 2] (half-pixel centres, as Keras)', make: () => L.upSampling2d({ size: [3, 2], interpolation: 'bilinear' }), shape: [3, 2, 5],
    ref: (rows, x, dy) => ({ y: upBilinearRef(rows, 3, 2, 5, 3, 2, true, x), dx: upBilinearGradRef(rows, 3, 2, 5, 3, 2, true, dy) }),
  },
  {
    title: 'UpSampling2D bilinear 2, 17 channels', make: () => L.upSampling2d({ size: 2, interpolation: 'bilinear' }), shape: [4, 3, 17],
    ref: (rows, x, dy) => ({ y: upBilinearRef(rows, 4, 3, 17, 2, 2, true, x), dx: upBilinearGradRef(rows, 4, 3, 17, 2, 2, true, dy) }),
  },
];

describe('forward and backward against float64 references', () => {
  test.each(CASES)('$title', ({ make, shape, ref }) => {
    const rng = new Rng(shapeSize(shape));
    for (const rows of [1, 7]) {
      const layer = make();
      const x = Float32Array.from({ length: rows * shapeSize(shape) }, () => rng.uniform(-2, 2));
      layer.build(shape);
      const dy = Float32Array.from({ length: rows * shapeSize(layer.outputShape!) }, () => rng.uniform(-1, 1));
      const got = drive(layer, shape, rows, x, dy);
      const want = ref(rows, x, dy);
      close(`${layer.className} y (${rows} rows)`, got.y, want.y);
      close(`${layer.className} dx (${rows} rows)`, got.dx, want.dx);
    }
  });

  test('MaxPooling2D and MaxPooling1D send the gradient of a tie to the first maximum (TensorFlow), summing overlapping windows', () => {
    // Windows of 3 with stride 1 overlap; every value appears twice, so each window holds a tie.
    const x = Float32Array.from([1, 3, 3, 2, 2, 5, 5, 0, 4, 4, 1, 1]);
    const dy = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    const one = drive(L.maxPooling1d({ poolSize: 3, strides: 1, padding: 'same' }), [12, 1], 1, x, dy);
    const g1 = poolGeometry({ batch: 1, inH: 1, inW: 12, cin: 1, kh: 1, kw: 3, strideH: 1, strideW: 1, padding: 'same' });
    close('1-D y', one.y, maxPoolRef(g1, x).y);
    close('1-D dx', one.dx, maxPoolGradRef(g1, x, dy));
    // Window j covers cells j − 1 … j + 1: windows 0–2 send to cell 1 (the first 3), window 3 to cell 2 (3 > 2, 2),
    // windows 4–6 to cell 5 (the first 5), 7 to cell 6, 8–9 to cell 8 (the first 4), 10 to cell 9, 11 to cell 10.
    expect(Array.from(one.dx)).toEqual([0, 1 + 2 + 3, 4, 0, 0, 5 + 6 + 7, 8, 0, 9 + 10, 11, 12, 0]);
    const two = drive(L.maxPooling2d({ poolSize: 2, strides: 1 }), [2, 6, 1], 1, x, dy.subarray(0, 5));
    const g2 = poolGeometry({ batch: 1, inH: 2, inW: 6, cin: 1, kh: 2, kw: 2, strideH: 1, strideW: 1, padding: 'valid' });
    close('2-D dx', two.dx, maxPoolGradRef(g2, x, dy.subarray(0, 5)));
  });
});

// ---------------------------------------------------------------------------------------------
describe("Keras's errors, before any wasm call", () => {
  test('a pool larger than a valid input: negative (Keras) and zero (kerasm makes no empty tensors)', () => {
    expect(() => L.maxPooling2d({ poolSize: 3, strides: 1 }).build([1, 5, 2]))
      .toThrow(/^Computed output size would be negative\. Received: `inputs\.shape=\[None 1 5 2\]` and `pool_size=\[3 3\]`\.$/);
    expect(() => L.averagePooling1d({ poolSize: 4 }).build([3, 2]))
      .toThrow(/^Computed output size would be zero \(kerasm makes no empty tensors\)\. Received: `inputs\.shape=\[None 3 2\]` and `pool_size=\[4\]`\.$/);
    expect(L.maxPooling2d({ poolSize: 3, padding: 'same' }).computeOutputShape([1, 2, 4])).toEqual([1, 1, 4]);
  });

  test('rank mismatch: InputSpec ndim', () => {
    const cases: [Layer, Shape, number][] = [
      [L.maxPooling2d({ name: 'p2' }), [4, 3], 4], [L.averagePooling1d({ name: 'p1' }), [4, 4, 3], 3], [L.globalMaxPooling2d({ name: 'g2' }), [4], 4],
      [L.globalAveragePooling1d({ name: 'g1' }), [2, 2, 2], 3], [L.zeroPadding2d({ name: 'z' }), [2, 2], 4], [L.upSampling2d({ name: 'u' }), [2, 2, 2, 2], 4],
    ];
    for (const [layer, shape, ndim] of cases) {
      expect(() => layer.build(shape)).toThrow(new km.ValueError(`Input 0 of layer "${layer.name}" is incompatible with the layer: expected ndim=${ndim}, ` +
        `found ndim=${shape.length + 1}. Full shape received: (None, ${shape.join(', ')})`));
    }
  });

  test('sizes: integers > 0 (>= 0 for padding), as standardize_tuple', () => {
    expect(() => L.maxPooling2d({ poolSize: 2.5 as never })).toThrow(/^The `poolSize` argument must be a tuple of 2 integers\. Received poolSize=2\.5$/);
    expect(() => L.maxPooling2d({ poolSize: [2, 1.5] })).toThrow(/^The `poolSize` argument must be a tuple of 2 integers\. Received poolSize=\[2, 1\.5\], including element 1\.5 of type float$/);
    expect(() => L.maxPooling2d({ strides: 0 })).toThrow(/^The `strides` argument must be a tuple of 2 integers\. Received strides=0, including values \{0\} that do not satisfy `value > 0`$/);
    expect(() => L.averagePooling1d({ strides: [0] })).toThrow(/Received strides=\[0\], including values \{0\} that do not satisfy `value > 0`$/);
    expect(() => L.maxPooling1d({ poolSize: [2, 2] as never })).toThrow(/^The `poolSize` argument must be a tuple of 1 integers\. Received poolSize=\[2, 2\]$/);
    expect(() => L.upSampling2d({ size: [2, -1] })).toThrow(/including values \{-1\} that do not satisfy `value > 0`/);
    expect(() => L.zeroPadding2d({ padding: [[1, -1], [0, 0]] })).toThrow(/^The `1st entry of padding` argument must be a tuple of 2 integers\. Received 1st entry of padding=\[1, -1\], including values \{-1\} that do not satisfy `value >= 0`$/);
    expect(() => L.zeroPadding2d({ padding: [1, 2, 3] as never })).toThrow(/^`padding` should have two elements\. Received: padding=\[1, 2, 3\]\.$/);
    expect(() => L.zeroPadding2d({ padding: 'x' as never })).toThrow(/^`padding` should be either an int, a tuple of 2 ints/);
    expect(L.zeroPadding2d({ padding: 0 }).padding).toEqual([[0, 0], [0, 0]]);
    for (const make of [() => L.maxPooling2d({ strides: 0 }), () => L.reshape({ targetShape: [0] })]) expect(make).toThrow(km.ValueError);
  });

  test("padding: 'valid' or 'same' in any case; 'causal' and others refused", () => {
    expect(L.maxPooling2d({ padding: 'SAME' as never }).padding).toBe('same');
    expect(() => L.maxPooling1d({ padding: 'causal' as never })).toThrow(/^The `padding` argument must be a list\/tuple or one of \{'valid', 'same'\}\. Received: causal$/);
  });

  test('channels_first is refused saying so, as an option and in a file; channels_last in any spelling is fine', () => {
    expect(() => L.maxPooling2d({ name: 'cf', dataFormat: 'channelsFirst' })).toThrow(/^MaxPooling2D layer "cf": data_format 'channels_first' is not supported: kerasm is channels-last only/);
    expect(() => layerFromConfig('AveragePooling2D', { name: 'f', pool_size: [2, 2], data_format: 'channels_first' })).toThrow(/AveragePooling2D layer "f": data_format 'channels_first' is not supported/);
    expect(() => layerFromConfig('GlobalAveragePooling2D', { data_format: 'channels_first' })).toThrow(/GlobalAveragePooling2D .*channels-last only/);
    expect(() => layerFromConfig('UpSampling2D', { data_format: 'channels_first' })).toThrow(/UpSampling2D .*channels-last only/);
    expect(() => layerFromConfig('ZeroPadding2D', { data_format: 'channels_first' })).toThrow(/ZeroPadding2D .*channels-last only/);
    expect(() => L.globalMaxPooling1d({ dataFormat: 'nhwc' as never })).toThrow(/^The `data_format` argument must be one of \{'channels_first', 'channels_last'\}\. Received: data_format='nhwc'$/);
    for (const f of ['channelsLast', 'channels_last', 'CHANNELS_LAST']) expect(L.upSampling2d({ dataFormat: f as never }).size).toEqual([2, 2]);
  });

  test('Reshape: one -1 at most; the size must be unchanged (Keras compute_reshape_output_shape)', () => {
    expect(() => L.reshape({ targetShape: [-1, 2, -1] })).toThrow(/^The `targetShape` argument must not contain more than one `-1` value\. Received: targetShape=\[-1, 2, -1\]$/);
    expect(() => L.reshape({ targetShape: [2, 0] })).toThrow(/argument `targetShape`: expected a list of positive integers, one of which may be -1/);
    expect(() => L.reshape({ targetShape: [5, 5] }).build([2, 3, 4])).toThrow(/^The total size of the tensor must be unchanged\. Received: input_shape=\(2, 3, 4\), target_shape=\(5, 5\)$/);
    expect(() => L.reshape({ targetShape: [5, -1] }).build([12])).toThrow(/cannot by divided by the specified dimensions in target_shape\. Received: input_shape=\(12,\), target_shape=\(5, -1\)$/);
    expect(L.reshape({ targetShape: [-1] }).computeOutputShape([2, 3, 4])).toEqual([24]);
  });

  test('UpSampling2D: nearest and bilinear; Keras\'s other methods are refused by name', () => {
    expect(L.upSampling2d({ interpolation: 'BILINEAR' as never }).interpolation).toBe('bilinear');
    expect(() => L.upSampling2d({ interpolation: 'bicubic' as never })).toThrow(/^UpSampling2D interpolation 'bicubic' is not supported by kerasm: expected 'nearest' or 'bilinear'/);
    expect(() => L.upSampling2d({ interpolation: 'cubic' as never })).toThrow(/^Invalid value for argument `interpolation`: expected 'nearest' or 'bilinear'\. Received: interpolation='cubic'$/);
  });

  test('keepdims: a boolean', () => {
    expect(() => L.globalAveragePooling2d({ keepdims: 1 as never })).toThrow(/argument `keepdims`: expected a boolean/);
  });

  test('a refused layer leaves the model as it was: same layers, predictions unchanged', () => {
    const m = km.sequential({ layers: [L.dense({ units: 6, inputShape: [4] }), L.reshape({ targetShape: [3, 2] })] });
    const x = km.tensor(Float32Array.from({ length: 8 }, (_, i) => i / 8), [2, 4]);
    const before = m.predict(x).data.slice();
    const m2 = km.sequential({ layers: [L.dense({ units: 6, inputShape: [4] }), L.reshape({ targetShape: [3, 2] })] });
    for (const bad of [L.maxPooling2d(), L.maxPooling1d({ poolSize: 4 }), L.globalMaxPooling2d(), L.zeroPadding2d()]) {
      expect(() => m2.add(bad)).toThrow(km.ValueError);
    }
    expect(m2.layers.length).toBe(2);
    m2.setWeights(m.getWeights());
    expect(Array.from(m2.predict(x).data)).toEqual(Array.from(before));
    m.dispose();
    m2.dispose();
  });
});

// ---------------------------------------------------------------------------------------------
describe('configs as Keras 3, Keras 2 and TF.js write them', () => {
  test('written in Keras form: lists, channels_last, strides filled in', () => {
    const cfg = (l: Layer) => {
      const { name: _n, trainable: _t, dtype: _d, ...rest } = l.getConfig();
      return rest;
    };
    expect(cfg(L.maxPooling2d({ poolSize: 3 }))).toEqual({ pool_size: [3, 3], padding: 'valid', strides: [3, 3], data_format: 'channels_last' });
    expect(cfg(L.averagePooling1d({ strides: 1, padding: 'same' }))).toEqual({ pool_size: [2], padding: 'same', strides: [1], data_format: 'channels_last' });
    expect(cfg(L.globalMaxPooling1d())).toEqual({ data_format: 'channels_last', keepdims: false });
    expect(cfg(L.reshape({ targetShape: [2, -1] }))).toEqual({ target_shape: [2, -1] });
    expect(cfg(L.zeroPadding2d({ padding: [1, 2] }))).toEqual({ padding: [[1, 1], [2, 2]], data_format: 'channels_last' });
    expect(cfg(L.upSampling2d({ size: 3 }))).toEqual({ size: [3, 3], data_format: 'channels_last', interpolation: 'nearest' });
  });

  test('read: Keras 3 (tuples as lists, keepdims), Keras 2 (strides null), TF.js 1-D (pool_size [n], no data_format), without warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const p2 = layerFromConfig('MaxPooling2D', { name: 'm', trainable: true, dtype: 'float32', pool_size: [3, 2], padding: 'same', strides: [1, 2], data_format: 'channels_last' }) as km.layers.MaxPooling2D;
    expect([p2.poolSize, p2.strides, p2.padding]).toEqual([[3, 2], [1, 2], 'same']);
    const k2 = layerFromConfig('AveragePooling2D', { name: 'a', pool_size: [2, 2], padding: 'valid', strides: null, data_format: 'channels_last' }) as km.layers.AveragePooling2D;
    expect(k2.strides).toEqual([2, 2]);
    const t1 = layerFromConfig('MaxPooling1D', { name: 't', trainable: true, pool_size: [3], padding: 'valid', strides: [3] }) as km.layers.MaxPooling1D;
    expect([t1.poolSize, t1.strides]).toEqual([[3], [3]]);
    const g = layerFromConfig('GlobalAveragePooling2D', { name: 'g', data_format: 'channels_last', keepdims: true }) as km.layers.GlobalAveragePooling2D;
    expect(g.computeOutputShape([3, 3, 2])).toEqual([1, 1, 2]);
    expect(layerFromConfig('GlobalMaxPooling1D', { name: 'g1' }).computeOutputShape([4, 2])).toEqual([2]);
    expect((layerFromConfig('ZeroPadding2D', { padding: [[1, 2], [3, 4]], data_format: 'channels_last' }) as km.layers.ZeroPadding2D).padding).toEqual([[1, 2], [3, 4]]);
    expect((layerFromConfig('UpSampling2D', { size: [2, 3], data_format: 'channels_last', interpolation: 'bilinear' }) as km.layers.UpSampling2D).size).toEqual([2, 3]);
    expect((layerFromConfig('Reshape', { target_shape: [4, -1] }) as km.layers.Reshape).targetShape).toEqual([4, -1]);
    // TF.js writes an unknown dimension as null; kerasm reads it as -1 and writes Keras's -1 (TF.js reads both).
    const tfReshape = layerFromConfig('Reshape', { target_shape: [null, 2] });
    expect([tfReshape.computeOutputShape([3, 4]), tfReshape.getConfig().target_shape]).toEqual([[6, 2], [-1, 2]]);
    expect(warn).not.toHaveBeenCalled();
  });
});

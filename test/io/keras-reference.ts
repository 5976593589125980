// An independent reader of Keras's files for the tests: jsfive (pure JavaScript HDF5, not the
// h5wasm kerasm uses), Python's zipfile layout read by hand through fflate's raw unzip, and a
// float64 forward pass of the layers the fixtures use, from Keras's formulas. Never kerasm.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import h5wasm from 'h5wasm';
import * as hdf5 from 'jsfive';

export const FIXTURES = new URL('../../../shared/fixtures/kerasfiles/', import.meta.url);

export type H5 = InstanceType<typeof hdf5.File>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

export function openH5(bytes: Uint8Array): H5 {
  return new hdf5.File(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'x.h5');
}

/** A .keras file's config and weights file, or an .h5's own config. */
export function openKerasFile(bytes: Uint8Array): { config: Json; h5: H5; keras3: boolean } {
  if (bytes[0] === 0x50) {
    const z = unzipSync(bytes);
    return { config: JSON.parse(new TextDecoder().decode(z['config.json'])), h5: openH5(z['model.weights.h5']!), keras3: true };
  }
  const h5 = openH5(bytes);
  return { config: JSON.parse(h5.attrs.model_config as string), h5, keras3: false };
}

interface Tensor { shape: number[]; data: Float64Array }

const snake = (s: string): string => s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** Each layer's weights as the file keeps them (class-keyed `vars` in Keras 3; `weight_names` in legacy .h5). */
export function layerWeights(file: { config: Json; h5: H5; keras3: boolean }): { cls: string; config: Json; weights: Tensor[] }[] {
  const layers: Json[] = Array.isArray(file.config.config) ? file.config.config : file.config.config.layers;
  const counts = new Map<string, number>();
  return layers.filter((l) => l.class_name !== 'InputLayer').map((l) => {
    const read = (path: string): Tensor => {
      const d = file.h5.get(path) as unknown as { value: number[]; shape: number[] };
      return { shape: d.shape, data: Float64Array.from(d.value) };
    };
    let weights: Tensor[];
    if (file.keras3) {
      const base = snake(l.class_name);
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      const layer = `layers/${n === 0 ? base : `${base}_${n}`}`;
      // Recurrent layers keep their weights on the cell: layers/lstm/cell/vars.
      const g = (file.h5.get(layer) as unknown as { keys: string[] }).keys.includes('cell') ? `${layer}/cell/vars` : `${layer}/vars`;
      const keys = (file.h5.get(g) as unknown as { keys: string[] }).keys;
      weights = keys.map(Number).sort((a, b) => a - b).map((k) => read(`${g}/${k}`));
    } else {
      const g = `model_weights/${l.config.name}`;
      const names = (file.h5.get(g) as unknown as { attrs: Json }).attrs.weight_names;
      // Keras 2 writes fixed-length strings: jsfive keeps their padding.
      weights = (Array.isArray(names) ? names : []).map((w: string) => read(`${g}/${w.replace(/[\0 ]+$/, '')}`));
    }
    return { cls: l.class_name, config: l.config, weights };
  });
}

function activate(x: Float64Array, name: string, lastDim: number): Float64Array {
  if (name === 'linear') return x;
  if (name === 'relu') return x.map((v) => Math.max(0, v));
  if (name === 'sigmoid') return x.map((v) => 1 / (1 + Math.exp(-v)));
  if (name === 'tanh') return x.map(Math.tanh);
  if (name === 'softmax') {
    const out = new Float64Array(x.length);
    for (let r = 0; r < x.length; r += lastDim) {
      let m = -Infinity;
      for (let j = 0; j < lastDim; j++) m = Math.max(m, x[r + j]!);
      let s = 0;
      for (let j = 0; j < lastDim; j++) s += (out[r + j] = Math.exp(x[r + j]! - m));
      for (let j = 0; j < lastDim; j++) out[r + j]! /= s;
    }
    return out;
  }
  throw new Error(`reference: activation ${name}`);
}

/** One sample's forward pass in float64 (shapes without the batch axis). */
export function referencePredict(layers: ReturnType<typeof layerWeights>, input: Tensor): Float64Array {
  let x = input;
  for (const { cls, config, weights } of layers) {
    const last = x.shape[x.shape.length - 1]!;
    if (cls === 'Dense') {
      const [k, b] = weights;
      const units = config.units as number;
      const rows = x.data.length / last;
      const out = new Float64Array(rows * units);
      for (let r = 0; r < rows; r++) for (let j = 0; j < units; j++) {
        let s = config.use_bias === false ? 0 : b!.data[j]!;
        for (let i = 0; i < last; i++) s += x.data[r * last + i]! * k!.data[i * units + j]!;
        out[r * units + j] = s;
      }
      x = { shape: [...x.shape.slice(0, -1), units], data: activate(out, config.activation, units) };
    } else if (cls === 'BatchNormalization') {
      const [g, b, m, v] = weights;
      const eps = config.epsilon as number;
      x = { shape: x.shape, data: x.data.map((val, i) => { const c = i % last; return g!.data[c]! * (val - m!.data[c]!) / Math.sqrt(v!.data[c]! + eps) + b!.data[c]!; }) };
    } else if (cls === 'Activation') {
      x = { shape: x.shape, data: activate(x.data, config.activation, last) };
    } else if (cls === 'Conv2D') {
      x = conv2d(x, weights[0]!, weights[1] ?? null, config);
    } else if (cls === 'MaxPooling2D') {
      x = maxPool(x, config.pool_size as number[], (config.strides ?? config.pool_size) as number[]);
    } else if (cls === 'LSTM') {
      x = lstm(x, weights as [Tensor, Tensor, Tensor], config);
    } else if (cls === 'Flatten') {
      x = { shape: [x.data.length], data: x.data };
    } else if (cls !== 'Dropout') {
      throw new Error(`reference: layer ${cls}`);
    }
  }
  return x.data;
}

/** Keras's LSTM over one sequence [steps, features]: gates i, f, c, o; zero initial state. */
function lstm(x: Tensor, [k, r, b]: [Tensor, Tensor, Tensor], config: Json): Tensor {
  const [steps, feat] = x.shape as [number, number];
  const u = config.units as number;
  const act = (v: number, name: string) => activate(Float64Array.of(v), name, 1)[0]!;
  let h = new Float64Array(u);
  const c = new Float64Array(u);
  const seq = new Float64Array(steps * u);
  for (let t = 0; t < steps; t++) {
    const z = new Float64Array(4 * u);
    for (let j = 0; j < 4 * u; j++) {
      let s = config.use_bias === false ? 0 : b.data[j]!;
      for (let i = 0; i < feat; i++) s += x.data[t * feat + i]! * k.data[i * 4 * u + j]!;
      for (let i = 0; i < u; i++) s += h[i]! * r.data[i * 4 * u + j]!;
      z[j] = s;
    }
    const next = new Float64Array(u);
    for (let j = 0; j < u; j++) {
      const gi = act(z[j]!, config.recurrent_activation);
      const gf = act(z[u + j]!, config.recurrent_activation);
      const gc = act(z[2 * u + j]!, config.activation);
      const go = act(z[3 * u + j]!, config.recurrent_activation);
      c[j] = gf * c[j]! + gi * gc;
      next[j] = go * act(c[j]!, config.activation);
    }
    h = next;
    seq.set(h, t * u);
  }
  return config.return_sequences ? { shape: [steps, u], data: seq } : { shape: [u], data: h };
}

function conv2d(x: Tensor, k: Tensor, b: Tensor | null, config: Json): Tensor {
  const [h, w, cin] = x.shape as [number, number, number];
  const [kh, kw, , cout] = k.shape as [number, number, number, number];
  if (config.padding !== 'valid' || (config.strides ?? [1, 1]).some((s: number) => s !== 1)) throw new Error('reference: conv2d valid, stride 1 only');
  const oh = h - kh + 1;
  const ow = w - kw + 1;
  const out = new Float64Array(oh * ow * cout);
  for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let o = 0; o < cout; o++) {
    let s = b === null ? 0 : b.data[o]!;
    for (let dy = 0; dy < kh; dy++) for (let dx = 0; dx < kw; dx++) for (let c = 0; c < cin; c++) {
      s += x.data[((y + dy) * w + xx + dx) * cin + c]! * k.data[((dy * kw + dx) * cin + c) * cout + o]!;
    }
    out[(y * ow + xx) * cout + o] = s;
  }
  return { shape: [oh, ow, cout], data: activate(out, config.activation, cout) };
}

function maxPool(x: Tensor, pool: number[], strides: number[]): Tensor {
  const [h, w, c] = x.shape as [number, number, number];
  const oh = Math.floor((h - pool[0]!) / strides[0]!) + 1;
  const ow = Math.floor((w - pool[1]!) / strides[1]!) + 1;
  const out = new Float64Array(oh * ow * c).fill(-Infinity);
  for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let ch = 0; ch < c; ch++) {
    for (let dy = 0; dy < pool[0]!; dy++) for (let dx = 0; dx < pool[1]!; dx++) {
      const v = x.data[((y * strides[0]! + dy) * w + xx * strides[1]! + dx) * c + ch]!;
      if (v > out[(y * ow + xx) * c + ch]!) out[(y * ow + xx) * c + ch] = v;
    }
  }
  return { shape: [oh, ow, c], data: out };
}

/**
 * The HDF5 tree as sorted lines: groups, datasets (shape, dtype) and attributes (name, HDF5 dtype:
 * `A` ASCII / `S` UTF-8 variable-length strings, `<d` float64…), read with h5wasm's metadata.
 */
export async function h5Tree(bytes: Uint8Array, skip: (path: string) => boolean = () => false): Promise<string[]> {
  const { FS } = (await h5wasm.ready) as unknown as { FS: { writeFile(p: string, b: Uint8Array): void; unlink(p: string): void } };
  const name = `/tree-${Math.random().toString(36).slice(2)}.h5`;
  FS.writeFile(name, bytes);
  const f = new h5wasm.File(name, 'r');
  const lines: string[] = [];
  const attrs = (o: { attrs: Record<string, { dtype: unknown; shape: number[] | null }> }, p: string) => {
    for (const [k, a] of Object.entries(o.attrs)) lines.push(`${p}@${k}: ${JSON.stringify(a.dtype)} ${JSON.stringify(a.shape)}`);
  };
  const walk = (g: InstanceType<typeof h5wasm.Group>, p: string) => {
    attrs(g, p || '/');
    for (const k of g.keys()) {
      const path = p === '' ? k : `${p}/${k}`;
      if (skip(path)) continue;
      const c = g.get(k);
      if (c instanceof h5wasm.Group) {
        lines.push(`${path}/`);
        walk(c, path);
      } else if (c instanceof h5wasm.Dataset) {
        lines.push(`${path} ${JSON.stringify(c.shape)} ${JSON.stringify(c.dtype)}`);
        attrs(c, path);
      }
    }
  };
  try {
    walk(f, '');
  } finally {
    f.close();
    FS.unlink(name);
  }
  return lines.sort();
}

// Input coercion: number[][], km.Tensor and { data, shape } become one Float32Array per
// dataset (used in place when it already is one). Shapes and label ranges are checked here,
// before any wasm call; non-finite values are found per staged batch in wasm.
import { ValueError, invalidArgument, show, invalidArgumentAt } from '../errors.js';
import { Tensor, shapeSize } from '../tensor.js';

/** A dataset in JS memory: `rows` samples of `shape` (without the batch), row-major. */
export interface Dataset {
  readonly data: Float32Array;
  readonly rows: number;
  /** Per-sample shape. */
  readonly shape: number[];
  /** Floats per sample. */
  readonly cols: number;
}

export type InputLike = Tensor | { data: ArrayLike<number>; shape: number[] } | number[][] | number[][][] | ArrayLike<number>[];
export type LabelLike = InputLike | number[] | Int32Array | Uint8Array | Float32Array;

function nestedShape(v: unknown): number[] {
  const shape: number[] = [];
  let p: unknown = v;
  while (Array.isArray(p) || (ArrayBuffer.isView(p) && !(p instanceof DataView))) {
    const len = (p as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    p = (p as ArrayLike<unknown>)[0];
  }
  return shape;
}

function flattenInto(v: unknown, shape: number[], name: string): Float32Array {
  const out = new Float32Array(shapeSize(shape));
  let o = 0;
  const walk = (x: unknown, dim: number, path: string): void => {
    const len = (x as ArrayLike<unknown>)?.length;
    if (len !== shape[dim]) {
      throw new ValueError(`Invalid value received for argument \`${name}\`: expected nested arrays of shape [${shape.join(', ')}]. Received: ${name}${path} of length ${len ?? show(x)}`);
    }
    if (dim === shape.length - 1) {
      const a = x as ArrayLike<unknown>;
      for (let i = 0; i < len; i++) {
        const e = a[i];
        if (typeof e !== 'number') throw invalidArgumentAt(name, 'numbers', `${show(e)} at ${name}${path}[${i}]`);
        out[o++] = e;
      }
    } else {
      const a = x as ArrayLike<unknown>;
      for (let i = 0; i < len; i++) walk(a[i], dim + 1, `${path}[${i}]`);
    }
  };
  walk(v, 0, '');
  return out;
}

/** Coerce model inputs: at least rank 2 (samples × features…). */
export function toDataset(x: unknown, name = 'x'): Dataset {
  if (x instanceof Tensor || (x !== null && typeof x === 'object' && 'data' in x && 'shape' in x && !Array.isArray(x))) {
    const t = x as { data: ArrayLike<number>; shape: number[] };
    if (!Array.isArray(t.shape) || t.shape.some((d) => !Number.isInteger(d) || d < 0)) throw invalidArgument(`${name}.shape`, 'an array of non-negative integers', t.shape);
    const size = shapeSize(t.shape);
    if (t.data === null || typeof t.data !== 'object' || typeof t.data.length !== 'number') throw invalidArgument(`${name}.data`, 'a Float32Array or an array of numbers', t.data);
    if (t.data.length !== size) {
      throw new ValueError(`Invalid value received for argument \`${name}\`: expected data of length ${size} for shape [${t.shape.join(', ')}]. Received: data of length ${t.data.length}`);
    }
    if (t.shape.length < 1) throw invalidArgument(`${name}.shape`, 'a shape of rank ≥ 1 ([samples, ...])', t.shape);
    const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
    const rows = t.shape[0]!;
    const shape = t.shape.length === 1 ? [1] : t.shape.slice(1);
    return { data, rows, shape, cols: shapeSize(shape) };
  }
  if (Array.isArray(x)) {
    const shape = nestedShape(x);
    if (shape.length === 0 || shape[0] === 0) throw new ValueError(`Invalid value received for argument \`${name}\`: expected a non-empty dataset. Received: ${name}=[]`);
    if (shape.length === 1) shape.push(1);
    const data = shape.length === 2 && !Array.isArray(x[0]) && !ArrayBuffer.isView(x[0]) ? Float32Array.from(x as number[]) : flattenInto(x, shape, name);
    return { data, rows: shape[0]!, shape: shape.slice(1), cols: shapeSize(shape.slice(1)) };
  }
  if (ArrayBuffer.isView(x)) {
    throw invalidArgumentAt(name, 'a km.Tensor, { data, shape } or nested number arrays',
      `${show(x)}. A typed array has no shape: pass { data, shape: [samples, ...features] } or km.tensor(data, [samples, ...features])`);
  }
  throw invalidArgument(name, 'a km.Tensor, { data, shape } or nested number arrays', x);
}

/** Sparse labels: one class index per sample, integers in [0, numClasses). */
export function toSparseLabels(y: unknown, numClasses: number, name = 'y'): Dataset {
  let data: Float32Array;
  if (y instanceof Int32Array || y instanceof Uint8Array || y instanceof Float32Array || y instanceof Uint16Array || y instanceof Int16Array || y instanceof Int8Array) {
    data = y instanceof Float32Array ? y : Float32Array.from(y);
  } else if (Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number')) {
    data = Float32Array.from(y as number[]);
  } else {
    const d = toDataset(y, name);
    if (d.cols !== 1) {
      const oneHot = d.cols === numClasses ? ': these look like one-hot labels. Use the loss \'categoricalCrossentropy\' for one-hot labels, or pass class ids (for a km.Tensor y, y.argMax())' : '';
      throw new ValueError(`Invalid value received for argument \`${name}\`: expected sparse labels of shape [n] or [n, 1]. Received: shape [${d.rows}, ${d.shape.join(', ')}]${oneHot}`);
    }
    data = d.data;
  }
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw invalidArgumentAt(name, `integer class labels in [0, ${numClasses})`, `${c} at sample ${i}`);
    }
  }
  return { data, rows: data.length, shape: [1], cols: 1 };
}

/** Dense targets: `[n, units]`. */
export function toTargets(y: unknown, units: number, name = 'y'): Dataset {
  let d: Dataset;
  if (ArrayBuffer.isView(y) || (Array.isArray(y) && (y.length === 0 || typeof y[0] === 'number'))) {
    const flat = y instanceof Float32Array ? y : Float32Array.from(y as ArrayLike<number>);
    d = { data: flat, rows: flat.length, shape: [1], cols: 1 };
  } else {
    d = toDataset(y, name);
  }
  if (d.cols !== units) {
    throw new ValueError(`Invalid value received for argument \`${name}\`: expected targets of shape [n, ${units}] to match the model's output. Received: shape [${d.rows}, ${d.shape.join(', ')}]${targetHints(d, units)}`);
  }
  return d;
}

/** What a one-column y that should have `units` columns probably is: class ids, or values given flat. */
function targetHints(d: Dataset, units: number): string {
  if (d.cols !== 1 || units < 2) return '';
  const hints: string[] = [];
  if (d.rows % units === 0) hints.push(`if these are ${units} values per sample given flat, pass them with their shape: km.tensor(values, [${d.rows / units}, ${units}])`);
  if (looksLikeClassIds(d.data, units)) hints.push(`if these are class ids, pass one-hot targets (km.oneHot(labels, ${units})) or use the loss 'sparseCategoricalCrossentropy'`);
  return hints.length === 0 ? '' : `. ${hints.join('; ')}`;
}

function looksLikeClassIds(data: Float32Array, classes: number): boolean {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) return false;
  }
  return data.length > 0;
}

/** Sample weights: one non-negative finite number per sample. */
export function toSampleWeights(w: unknown, rows: number, name = 'sampleWeight'): Float32Array {
  const data = w instanceof Float32Array ? w : ArrayBuffer.isView(w) || Array.isArray(w) ? Float32Array.from(w as ArrayLike<number>) : null;
  if (data === null) throw invalidArgument(name, 'an array of numbers, one per sample', w);
  if (data.length !== rows) throw invalidArgumentAt(name, `${rows} weights (one per sample)`, `${data.length} weights`);
  for (let i = 0; i < data.length; i++) {
    if (!(data[i]! >= 0) || !Number.isFinite(data[i]!)) throw invalidArgumentAt(name, 'non-negative finite numbers', `${data[i]} at sample ${i}`);
  }
  return data;
}

import { ValueError, invalidArgument, invalidArgumentAt } from './errors.js';

/**
 * A dense float32 tensor in JS memory, row-major, owned by the caller: plain data, not an op
 * library (no `add`, `matMul`…: kerasm's arithmetic runs inside its layers). TF.js's read-outs
 * work on it: `arraySync()`, `array()`, `dataSync()`. TF.js's `await t.data()` is `t.data`
 * here: the values themselves, a Float32Array field (the contract), so it cannot also be a method.
 */
export class Tensor {
  /** The values, row-major (the last axis varies fastest). The array itself, not a copy. */
  readonly data: Float32Array;
  /** The shape, batch first for model inputs and outputs (`[samples, 10]`). */
  readonly shape: number[];

  /** Wrap `data` (not copied) as a tensor of `shape`; `data.length` must be the product of `shape`. */
  constructor(data: Float32Array, shape: number[]) {
    const size = shapeSize(shape);
    if (data.length !== size) {
      throw new ValueError(`Tensor data has ${data.length} elements but shape [${shape.join(', ')}] needs ${size}`);
    }
    this.data = data;
    this.shape = shape.slice();
  }

  /** The number of values (the product of the shape). */
  get size(): number {
    return this.data.length;
  }

  /** The number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** Nested arrays, as TF.js `arraySync()`. */
  toArray(): unknown {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, offset: number): unknown => {
      const n = this.shape[dim]!;
      if (dim === this.shape.length - 1) return Array.from(this.data.subarray(offset, offset + n));
      const stride = shapeSize(this.shape.slice(dim + 1));
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** Index of the largest value along the last axis, per row. */
  argMax(): Int32Array {
    const cols = this.shape[this.shape.length - 1] ?? 1;
    const rows = cols === 0 ? 0 : this.data.length / cols;
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bv = this.data[r * cols]!;
      for (let c = 1; c < cols; c++) {
        const v = this.data[r * cols + c]!;
        if (v > bv) {
          bv = v;
          best = c;
        }
      }
      out[r] = best;
    }
    return out;
  }

  /** Nested arrays (TF.js `arraySync()`; the same as `toArray()`). */
  arraySync(): unknown {
    return this.toArray();
  }

  /** Nested arrays, as a promise (TF.js `array()`). */
  array(): Promise<unknown> {
    return Promise.resolve(this.toArray());
  }

  /** The values, flat (TF.js `dataSync()`): the tensor's own array, not a copy. */
  dataSync(): Float32Array {
    return this.data;
  }

  /** Nothing to free: a Tensor lives in JS memory. Kept for TF.js-style code. */
  dispose(): void {}
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Make a tensor from nested arrays or flat data plus a shape. */
export function tensor(values: ArrayLike<number> | unknown[], shape?: number[]): Tensor {
  if (shape !== undefined) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw invalidArgument('shape', 'non-negative integers', shape);
    }
    const flat = values instanceof Float32Array ? values : Float32Array.from(flatten(values));
    return new Tensor(flat, shape);
  }
  if (values instanceof Float32Array) return new Tensor(values, [values.length]);
  const inferred: number[] = [];
  let probe: unknown = values;
  while (Array.isArray(probe)) {
    inferred.push(probe.length);
    probe = probe[0];
  }
  if (inferred.length === 0) inferred.push((values as ArrayLike<number>).length);
  const flat = Float32Array.from(flatten(values));
  if (flat.length !== shapeSize(inferred)) throw new ValueError('tensor(): ragged nested arrays are not supported');
  return new Tensor(flat, inferred);
}

function flatten(values: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (ArrayBuffer.isView(v)) {
      const a = v as unknown as Float32Array;
      for (let i = 0; i < a.length; i++) out.push(a[i]!);
    }
    else out.push(v as number);
  };
  walk(values);
  return out;
}

/** A rank-1 tensor (TF.js `tf.tensor1d`). */
export function tensor1d(values: ArrayLike<number>): Tensor {
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<number>).length !== 'number' || (Array.isArray(values) && values.some(Array.isArray))) {
    throw invalidArgument('values', 'a flat array of numbers or a typed array', values);
  }
  return tensor(values, [values.length]);
}

/** A rank-2 tensor from nested arrays, or flat values with their `[rows, cols]` (TF.js `tf.tensor2d`). */
export function tensor2d(values: ArrayLike<number> | number[][], shape?: [number, number]): Tensor {
  if (shape !== undefined && (!Array.isArray(shape) || shape.length !== 2)) throw invalidArgument('shape', '[rows, cols]', shape);
  const t = tensor(values as ArrayLike<number>, shape);
  if (t.rank !== 2) throw invalidArgumentAt('values', 'nested arrays [[...], ...] of rank 2, or flat values with a shape [rows, cols]', `values of shape [${t.shape.join(', ')}]`);
  return t;
}

/** One-hot encode integer labels: [n] → [n, numClasses]. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Tensor {
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw invalidArgument('numClasses', 'a positive integer', numClasses);
  const n = labels.length;
  const out = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw invalidArgumentAt('labels', `integers in [0, ${numClasses})`, `${c} at index ${i}`);
    }
    out[i * numClasses + c] = 1;
  }
  return new Tensor(out, [n, numClasses]);
}

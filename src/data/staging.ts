// Staging: rows of a JS dataset copied into a wasm buffer for one batch, and the scans that find
// non-finite values there (in wasm) before a step reads them.
import type { Backend } from '../backend/loader.js';
import type { Ptr } from '../backend/kernels.js';
import { invalidArgumentAt } from '../errors.js';
import type { Dataset } from './coerce.js';

/**
 * Below this many floats a row (labels, sample weights), copying with a loop is cheaper than a
 * `set` call per row.
 */
const MIN_VIEW_COLS = 32;

/**
 * One view per row of a dataset's array, made on first use and kept as long as the array lives:
 * staging a batch then copies rows with `set` (a memcpy) instead of an element loop, and makes no
 * object per step. About 110 bytes a row (6.5 MB for 60,000 rows next to their 188 MB of floats).
 */
const rowViewCache = new WeakMap<Float32Array, Float32Array[]>();

function rowViews(d: Dataset): Float32Array[] {
  const cached = rowViewCache.get(d.data);
  if (cached !== undefined && cached.length === d.rows && (d.rows === 0 || cached[0]!.length === d.cols)) return cached;
  const views = new Array<Float32Array>(d.rows);
  for (let r = 0; r < d.rows; r++) views[r] = d.data.subarray(r * d.cols, (r + 1) * d.cols);
  rowViewCache.set(d.data, views);
  return views;
}

/**
 * Copy rows `order[start..start+rows)` of a dataset (rows `start…` without an order) into a
 * wasm buffer: one `TypedArray.set` per row through the cached row views, so staging allocates
 * nothing.
 */
export function stage(b: Backend, d: Dataset, order: Int32Array | null, start: number, rows: number, dst: Ptr): void {
  const f32 = b.arena.f32;
  const cols = d.cols;
  let o = dst >> 2;
  if (cols < MIN_VIEW_COLS) {
    const src = d.data;
    for (let r = start; r < start + rows; r++, o += cols) {
      const s = (order === null ? r : order[r]!) * cols;
      for (let j = 0; j < cols; j++) f32[o + j] = src[s + j]!;
    }
    return;
  }
  const views = rowViews(d);
  if (order === null) {
    for (let r = start; r < start + rows; r++, o += cols) f32.set(views[r]!, o);
  } else {
    for (let r = start; r < start + rows; r++, o += cols) f32.set(views[order[r]!]!, o);
  }
}

/** Reject the first non-finite value of a staged batch, naming its sample and feature. */
export function checkFinite(b: Backend, d: Dataset, order: Int32Array | null, start: number, rows: number, ptr: Ptr, name: string): void {
  const bad = b.k.f32_find_nonfinite(rows * d.cols, ptr);
  if (bad >= 0) {
    const r = Math.floor(bad / d.cols);
    const sample = order === null ? start + r : order[start + r]!;
    const value = d.data[sample * d.cols + (bad % d.cols)];
    throw invalidArgumentAt(name, 'finite numbers', `${value} at sample ${sample}, feature ${bad % d.cols}`);
  }
}

/** Stage then check: the pair every batch of every loop runs. */
export function stageChecked(b: Backend, d: Dataset, order: Int32Array | null, start: number, rows: number, ptr: Ptr, name: string): void {
  stage(b, d, order, start, rows, ptr);
  checkFinite(b, d, order, start, rows, ptr, name);
}

/**
 * Ranges of JS buffers already scanned and found finite, so repeated `fit` calls on the same
 * arrays (one epoch at a time, say) pay for the up-front scan once. The per-batch scan before
 * every step stays, so data changed in place later is still caught before its step.
 */
const finiteRanges = new WeakMap<ArrayBufferLike, string[]>();

function rangeKey(a: Float32Array): string {
  return `${a.byteOffset}:${a.length}`;
}

function isKnownFinite(a: Float32Array): boolean {
  return finiteRanges.get(a.buffer)?.includes(rangeKey(a)) ?? false;
}

function markFinite(a: Float32Array): void {
  const list = finiteRanges.get(a.buffer) ?? [];
  if (list.length >= 16) list.shift();
  list.push(rangeKey(a));
  finiteRanges.set(a.buffer, list);
}

/** Stage a whole dataset batch by batch through `ptr` (room for `rows` rows) and reject its first non-finite value. */
export function scanFinite(b: Backend, d: Dataset, rows: number, ptr: Ptr, name: string): void {
  if (isKnownFinite(d.data)) return;
  for (let start = 0; start < d.rows; start += rows) stageChecked(b, d, null, start, Math.min(rows, d.rows - start), ptr, name);
  markFinite(d.data);
}

/** Rows `[from, to)` of a dataset, without a copy. */
export function sliceRows(d: Dataset, from: number, to: number): Dataset {
  return { data: d.data.subarray(from * d.cols, to * d.cols), rows: to - from, shape: d.shape, cols: d.cols };
}

/** Per-sample weights as a one-column dataset, so they are staged like the labels. */
export function sampleWeightData(sw: Float32Array): Dataset {
  return { data: sw, rows: sw.length, shape: [1], cols: 1 };
}

// `classWeight` → per-sample weights (Keras 3: keras/src/trainers/data_adapters/
// data_adapter_utils.py `class_weight_to_sample_weights`): the class of a sample is the argmax
// of its one-hot row, or its rounded label when there is one column (sparse labels, binary
// targets); classes missing from the map weigh 1. Combined with `sampleWeight` by
// multiplication, as tf.keras 2 did (Keras 3's array adapter refuses the combination).
import { ValueError, invalidArgument, invalidArgumentAt } from '../errors.js';
import type { Dataset } from './coerce.js';

/**
 * A weight per class index, `{ 0: 1, 1: 5 }` or a Map (Keras `class_weight`): each training sample's loss is
 * scaled by its class's weight (the argmax of a one-hot row, or the rounded label of a one-column target);
 * classes not listed weigh 1.
 */
export type ClassWeight = Record<number, number> | Map<number, number>;

/** The class-weight map as an array indexed by class (missing classes 1), checked. */
function table(classWeight: unknown, name: string): Float64Array {
  const entries: [unknown, unknown][] =
    classWeight instanceof Map ? [...classWeight.entries()]
      : classWeight !== null && typeof classWeight === 'object' && !Array.isArray(classWeight) ? Object.entries(classWeight)
        : (() => { throw invalidArgument(name, 'an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }', classWeight); })();
  let max = -1;
  const parsed: [number, number][] = [];
  for (const [key, value] of entries) {
    const c = typeof key === 'number' ? key : typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(c) || c < 0) {
      throw new ValueError(`\`${name}\` must be a dictionary with integer keys representing class indices. Received an invalid key: ${String(key)}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalidArgumentAt(name, 'non-negative finite weights', `${String(value)} for class ${c}`);
    parsed.push([c, value]);
    max = Math.max(max, c);
  }
  const t = new Float64Array(max + 1).fill(1);
  for (const [c, v] of parsed) t[c] = v;
  return t;
}

/**
 * One weight per sample: classWeight[class of y[i]] × (sampleWeight[i] or 1). `y` is the
 * coerced targets (one-hot rows, or one column of labels). A fresh array; inputs are untouched.
 */
export function classWeightsToSampleWeights(classWeight: unknown, y: Dataset, sampleWeight: Float32Array | null, name = 'classWeight'): Float32Array {
  const t = table(classWeight, name);
  const out = new Float32Array(y.rows);
  const cols = y.cols;
  for (let i = 0; i < y.rows; i++) {
    let c: number;
    if (cols === 1) {
      c = Math.round(y.data[i]!);
    } else {
      c = 0;
      for (let j = 1; j < cols; j++) if (y.data[i * cols + j]! > y.data[i * cols + c]!) c = j;
    }
    const w = c >= 0 && c < t.length ? t[c]! : 1;
    out[i] = sampleWeight === null ? w : w * sampleWeight[i]!;
  }
  return out;
}

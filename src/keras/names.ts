// Where Keras 3 keeps each layer's weights in `model.weights.h5`: under a key derived from the
// layer's class (`dense`, `dense_1`, … in the order of the model's layers, whatever the layer's
// own name), in a `vars` group, or for some classes in groups of their own. One row per class
// whose weights are not simply `<key>/vars/0..n`: a new layer class with such a layout adds a row.
import { isObject } from '../io/json.js';

/** Per class: the groups holding its weights, in weight order, and the empty groups Keras also writes. */
export interface WeightLayout {
  /** Groups under the layer's key that hold its weights, each `[group, count or null = the rest]`. */
  groups: readonly (readonly [string, number | null])[];
  /** Empty groups Keras writes beside them. */
  empty: readonly string[];
}

const PLAIN: WeightLayout = { groups: [['vars', null]], empty: [] };
const CELL: WeightLayout = { groups: [['cell/vars', null]], empty: ['vars'] };

/** Classes whose weights are not under `<key>/vars` (the LSTM fixture: `layers/lstm/cell/vars/0..2`, `layers/lstm/vars` empty). */
export const WEIGHT_LAYOUTS: Readonly<Record<string, WeightLayout>> = {
  LSTM: CELL,
  GRU: CELL,
  SimpleRNN: CELL,
};

/** Where a layer of this Keras class keeps its weights in a Keras 3 weights file (`<key>/vars` for most classes). */
export function weightLayout(className: string): WeightLayout {
  return Object.hasOwn(WEIGHT_LAYOUTS, className) ? WEIGHT_LAYOUTS[className]! : PLAIN;
}

/** Keras's `to_snake_case` of a class name: `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`, `PReLU` → `p_re_lu`. */
export function toSnakeCase(name: string): string {
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

const MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** One layer of a Keras 3 file, in the weights file's order. */
export interface KeyedLayer {
  /** The layer's own name (config.json). */
  name: string;
  /** Its Keras class name (`'Dense'`...). */
  className: string;
  /** Its path in the weights file: `layers/dense_1` or `layers/sequential/layers/dense`. */
  path: string;
}

/**
 * The layers of a model config (Keras 3 or TF.js form) with their weight-file paths, nested
 * models expanded. A Sequential's InputLayer has no entry (Keras keeps it out of `layers`);
 * a functional model's InputLayers do, with empty `vars`.
 */
export function keyedLayers(topology: unknown, prefix = ''): KeyedLayer[] {
  const out: KeyedLayer[] = [];
  if (!isObject(topology)) return out;
  const modelClass = topology.class_name;
  const config = isObject(topology.config) ? topology.config : null;
  const layers = Array.isArray(topology.config) ? topology.config : config !== null && Array.isArray(config.layers) ? config.layers : [];
  const seen = new Map<string, number>();
  for (const entry of layers) {
    if (!isObject(entry) || typeof entry.class_name !== 'string') continue;
    const cls = entry.class_name;
    if (cls === 'InputLayer' && modelClass === 'Sequential') continue;
    const base = MODEL_CLASSES.has(cls) ? (cls === 'Model' ? 'functional' : toSnakeCase(cls)) : toSnakeCase(cls);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const key = n === 0 ? base : `${base}_${n}`;
    const path = `${prefix}layers/${key}`;
    const c = isObject(entry.config) ? entry.config : {};
    if (MODEL_CLASSES.has(cls)) out.push({ name: String(c.name ?? key), className: cls, path }, ...keyedLayers(entry, `${path}/`));
    else out.push({ name: String(c.name ?? key), className: cls, path });
  }
  return out;
}

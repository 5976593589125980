// Arguments of the image and sequence layers (convolution, pooling, reshaping), checked as Keras 3
// checks them (keras/src/utils/argument_validation.py standardize_tuple, backend
// standardize_padding and standardize_data_format, InputSpec's ndim, base_conv.py), with Keras's
// messages and TF.js's option names. One module for every such layer.
import type { ConvPadding } from '../backend/conv.js';
import { ValueError, show } from '../errors.js';
import type { Layer, Shape } from './layer.js';

/** TF.js's `dataFormat` spellings and Keras's. kerasm computes channels-last only. */
export type DataFormat = 'channelsLast' | 'channels_last' | 'channelsFirst' | 'channels_first';

/** A size per spatial axis: one number for all, or one per axis (Keras `int or tuple`). */
export type ConvSize = number | number[];

/** Python's tuple printing, as Keras's messages show shapes: `(None, 4, 3)`, `(5,)`. */
export function pyTuple(values: readonly (number | string | null)[]): string {
  const items = values.map((v) => (v === null ? 'None' : String(v)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/**
 * `value` as n integers (an integer repeats n times), each > 0 (≥ 0 with `allowZero`): Keras's
 * standardize_tuple. Non-integers are refused too (Keras's `int()` would truncate 2.5 silently).
 */
export function standardizeTuple(value: unknown, n: number, name: string, allowZero = false): number[] {
  let message = `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${show(value)}`;
  let tuple: unknown[];
  if (typeof value === 'number' && Number.isInteger(value)) tuple = Array<number>(n).fill(value);
  else if (Array.isArray(value) && value.length === n) tuple = value;
  else throw new ValueError(message);
  const bad = tuple.find((v) => typeof v !== 'number' || !Number.isInteger(v));
  if (bad !== undefined) throw new ValueError(`${message}, including element ${show(bad)} of type ${typeof bad === 'number' ? 'float' : typeof bad}`);
  const ints = tuple as number[];
  const unqualified = [...new Set(ints.filter((v) => (allowZero ? v < 0 : v <= 0)))];
  if (unqualified.length > 0) {
    message += `, including values {${unqualified.join(', ')}} that do not satisfy \`value ${allowZero ? '>= 0' : '> 0'}\``;
    throw new ValueError(message);
  }
  return ints.slice();
}

/** Keras's standardize_padding: 'valid' or 'same' in any case, and 'causal' where allowed (1-D convolutions). */
export function standardizePadding(value: unknown): 'valid' | 'same';
export function standardizePadding(value: unknown, allowCausal: boolean): ConvPadding;
export function standardizePadding(value: unknown, allowCausal = false): ConvPadding {
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const padding = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof padding !== 'string' || !allowed.includes(padding)) {
    throw new ValueError(`The \`padding\` argument must be a list/tuple or one of {${allowed.map((p) => `'${p}'`).join(', ')}}. Received: ${String(value)}`);
  }
  return padding as ConvPadding;
}

/**
 * Keras's data_format check, then channels-last only: a channels_first layer (an option, or a
 * layer in a file) is refused saying so, since kerasm's kernels are NHWC.
 */
export function checkChannelsLast(className: string, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const f = typeof value === 'string' ? value.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase() : value;
  if (f === 'channels_last') return;
  if (f === 'channels_first') {
    throw new ValueError(`${className} layer "${name}": data_format 'channels_first' is not supported: kerasm is channels-last only ` +
      '([batch, height, width, channels] or [batch, steps, channels]). Transpose the data to channels-last and use the default dataFormat. ' +
      `Received: data_format=${String(value)}`);
  }
  throw new ValueError(`The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${show(value)}`);
}

/**
 * Keras's InputSpec check: `ndim` dimensions with the batch. Convolutions declare `min_ndim`
 * (`min`), and Keras says so when the input has fewer.
 */
export function checkInputRank(layer: Layer, inputShape: Shape, ndim: number, min = false): void {
  if (inputShape.length + 1 === ndim) return;
  const expected = min && inputShape.length + 1 < ndim ? `min_ndim=${ndim}` : `ndim=${ndim}`;
  throw new ValueError(`Input 0 of layer "${layer.name}" is incompatible with the layer: expected ${expected}, found ndim=${inputShape.length + 1}. ` +
    `Full shape received: ${pyTuple([null, ...inputShape])}`);
}

/** Keras 3's refusal of strides > 1 with dilation > 1 (base_conv.py). */
export function checkStridesWithDilation(strides: readonly number[], dilation: readonly number[]): void {
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    throw new ValueError(`\`strides > 1\` not supported in conjunction with \`dilationRate > 1\`. Received: strides=${show(strides)} and dilationRate=${show(dilation)}`);
  }
}

/**
 * A file's `groups` (Keras 2.3+ and 3 write `groups: 1`): grouped convolutions are not supported,
 * so only 1 (or none) is read.
 */
export function checkGroups(className: string, groups: unknown): void {
  if (groups === undefined || groups === null || groups === 1) return;
  throw new ValueError(`${className} with \`groups: ${show(groups)}\` is not supported: kerasm has no grouped convolutions (groups must be 1)`);
}

// Arguments shared by the convolution layers (conv.ts, conv-depthwise.ts), checked as Keras 3
// checks them (keras/src/utils/argument_validation.py, layers/convolutional/base_conv.py): sizes
// per spatial axis from a number or a list, padding names, the channels-last layout, and the
// strides-with-dilation refusal. Errors name kerasm's (TF.js's) option names.
import { ValueError, invalidArgument, show } from '../errors.js';
import type { ConvPadding } from '../backend/conv.js';
import type { Shape } from './layer.js';

/** A size per spatial axis: one number for all, or one per axis (Keras `int or tuple`). */
export type ConvSize = number | number[];

/** TF.js's and Keras's names of the tensor layout; only channels-last is supported. */
export type DataFormat = 'channelsLast' | 'channels_last' | 'channelsFirst' | 'channels_first';

/**
 * Keras `standardize_tuple`: `value` as `n` positive integers. "The `kernelSize` argument must be
 * a tuple of 2 integers. Received kernelSize=[3, 0], including values {0} that do not satisfy
 * `value > 0`".
 */
export function convTuple(name: string, value: unknown, n: number): number[] {
  const message = `The \`${name}\` argument must be a tuple of ${n} integer${n === 1 ? '' : 's'}. Received ${name}=${show(value)}`;
  const tuple = typeof value === 'number' ? new Array<number>(n).fill(value) : value;
  if (!Array.isArray(tuple) || tuple.length !== n) throw new ValueError(message);
  const notInt = tuple.find((v) => typeof v !== 'number' || !Number.isInteger(v));
  if (notInt !== undefined) throw new ValueError(`${message}, including element ${show(notInt)} that is not an integer`);
  const bad = [...new Set(tuple.filter((v: number) => v <= 0))];
  if (bad.length > 0) throw new ValueError(`${message}, including values {${bad.join(', ')}} that do not satisfy \`value > 0\``);
  return tuple.slice() as number[];
}

/** Keras `standardize_padding`: lower-cased, 'causal' for 1-D convolutions only. */
export function convPadding(value: unknown, allowCausal: boolean): ConvPadding {
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  const padding = typeof value === 'string' ? value.toLowerCase() : value;
  if (typeof padding !== 'string' || !allowed.includes(padding)) {
    throw new ValueError(`The \`padding\` argument must be one of {${allowed.map((p) => `'${p}'`).join(', ')}}. Received: ${show(value)}`);
  }
  return padding as ConvPadding;
}

/**
 * The layout: channels-last in either spelling. Channels-first is refused saying so (kerasm's
 * kernels work on NHWC tensors; TF.js and Keras transpose channels-first data around the op).
 */
export function checkChannelsLast(className: string, value: unknown): void {
  if (value === undefined || value === null || value === 'channelsLast' || value === 'channels_last') return;
  if (value === 'channelsFirst' || value === 'channels_first') {
    throw new ValueError(`${className} with \`dataFormat: ${show(value)}\` is not supported: kerasm's convolutions take channels-last tensors ` +
      '([batch, height, width, channels]; [batch, steps, channels] in 1-D). Transpose the data and use channelsLast.');
  }
  throw invalidArgument('dataFormat', "'channelsLast' (kerasm's convolutions are channels-last only)", value);
}

/** Keras 3's refusal of strides > 1 with dilation > 1 (base_conv.py). */
export function checkStridesWithDilation(strides: readonly number[], dilation: readonly number[]): void {
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    throw new ValueError(`\`strides > 1\` not supported in conjunction with \`dilationRate > 1\`. Received: strides=${show(strides)} and dilationRate=${show(dilation)}`);
  }
}

/** Keras 3 InputSpec's error for an input of the wrong rank (with the batch: `rank + 2` axes). */
export function checkInputRank(layerName: string, inputShape: Shape, rank: number): void {
  if (inputShape.length === rank + 1) return;
  const full = inputShape.length === 0 ? '(None,)' : `(None, ${inputShape.join(', ')})`;
  const expected = inputShape.length < rank + 1 ? `min_ndim=${rank + 2}` : `ndim=${rank + 2}`;
  throw new ValueError(`Input 0 of layer "${layerName}" is incompatible with the layer: expected ${expected}, found ndim=${inputShape.length + 1}. ` +
    `Full shape received: ${full}`);
}

/**
 * A file's `groups` (Keras 2.3+ and 3 write `groups: 1`): grouped convolutions are not supported,
 * so only 1 (or none) is read.
 */
export function checkGroups(className: string, groups: unknown): void {
  if (groups === undefined || groups === null || groups === 1) return;
  throw new ValueError(`${className} with \`groups: ${show(groups)}\` is not supported: kerasm has no grouped convolutions (groups must be 1)`);
}

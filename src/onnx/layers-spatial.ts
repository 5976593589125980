// Conversions of the image and sequence layers. kerasm is channels-last ([batch, h, w, c],
// [batch, steps, c]); ONNX's Conv and pools are channels-first, so each such layer is
// Transpose → op (NCHW) → Transpose, an elementwise activation applied before the way back
// (a later pass drops the transposes that cancel). 'same' padding is explicit, split as
// TensorFlow splits it (the odd cell at the end); 'causal' pads the start only.
import type { BaseConv } from '../layers/conv-base.js';
import type { DepthwiseConv2D, SeparableConv2D } from '../layers/conv-depthwise.js';
import type { UpSampling2D, ZeroPadding2D } from '../layers/reshaping.js';
import { attr } from './graph.js';
import type { Attributes, OnnxGraph } from './graph.js';
import { emitActivation, isElementwise, permute, x0 } from './convert.js';
import type { Converter, LayerCall } from './convert.js';

/** What the pooling layers' conversions read (their common base is not exported). */
interface Pooling {
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: string;
}

/** Channels-last → channels-first and back, for rank 3 (sequences) and 4 (images). */
const TO_NCHW: Readonly<Record<number, readonly number[]>> = { 3: [0, 2, 1], 4: [0, 3, 1, 2] };
const TO_NHWC: Readonly<Record<number, readonly number[]>> = { 3: [0, 2, 1], 4: [0, 2, 3, 1] };

/** ONNX `pads` ([begins..., ends...]) for a window over `sizes`, as Keras pads. */
export function windowPads(padding: string, sizes: readonly number[], kernel: readonly number[], strides: readonly number[], dilation: readonly number[]): number[] {
  const begin: number[] = [];
  const end: number[] = [];
  sizes.forEach((n, i) => {
    const span = (kernel[i]! - 1) * dilation[i]! + 1;
    if (padding === 'causal') {
      begin.push(span - 1);
      end.push(0);
    } else if (padding === 'same') {
      const out = Math.ceil(n / strides[i]!);
      const total = Math.max((out - 1) * strides[i]! + span - n, 0);
      begin.push(Math.floor(total / 2));
      end.push(total - Math.floor(total / 2));
    } else {
      begin.push(0);
      end.push(0);
    }
  });
  return [...begin, ...end];
}

/** Run `inner` on the channels-first view of the input; returns the channels-last result. */
function channelsFirst(c: LayerCall, inner: (x: string) => string): string {
  const rank = c.inputShapes[0]!.length + 1;
  return c.g.transpose(inner(c.g.transpose(x0(c), TO_NCHW[rank]!)), TO_NHWC[rank]!);
}

/** A Keras kernel [k..., in, out] as ONNX's [out, in, k...]. */
function convWeight(g: OnnxGraph, name: string, values: Float32Array, shape: readonly number[]): string {
  const r = shape.length;
  const perm = [r - 1, r - 2, ...shape.slice(0, r - 2).map((_, i) => i)];
  return g.floats(name, perm.map((p) => shape[p]!), permute(values, shape, perm));
}

/** The shared part of the convolutions: the ONNX Conv (+ bias) and the activation, layouts handled. */
function convolution(c: LayerCall, linear: (x: string) => string): string {
  const layer = c.layer as BaseConv;
  const elementwise = isElementwise(layer.activation);
  const y = channelsFirst(c, (x) => {
    const z = linear(x);
    return elementwise ? emitActivation(c.g, z, layer.activation) : z;
  });
  return elementwise ? y : emitActivation(c.g, y, layer.activation);
}

function convAttributes(layer: BaseConv, spatial: readonly number[], group: number): Attributes {
  return {
    kernel_shape: attr.ints(layer.kernelSize),
    strides: attr.ints(layer.strides),
    dilations: attr.ints(layer.dilationRate),
    pads: attr.ints(windowPads(layer.padding, spatial, layer.kernelSize, layer.strides, layer.dilationRate)),
    group: attr.i(group),
  };
}

function bias(c: LayerCall, layer: BaseConv): string[] {
  return layer.useBias ? [c.g.floats('bias', [c.outputShape.at(-1)!], c.weight('bias'))] : [];
}

/** Conv1D and Conv2D. */
const conv: Converter = (c) => {
  const layer = c.layer as BaseConv;
  const spatial = c.inputShapes[0]!.slice(0, -1);
  const w = convWeight(c.g, 'kernel', c.weight('kernel'), layer.weights[0]!.shape);
  return convolution(c, (x) => c.g.node('Conv', [x, w, ...bias(c, layer)], convAttributes(layer, spatial, 1)));
};

/** A depthwise kernel [kh, kw, in, m] as a grouped Conv's [in·m, 1, kh, kw] (output channel i·m + j). */
function depthwiseWeight(c: LayerCall, shape: readonly number[]): string {
  const [kh, kw, cin, m] = shape as [number, number, number, number];
  return c.g.floats('depthwise_kernel', [cin * m, 1, kh, kw], permute(c.weight('depthwise_kernel'), shape, [2, 3, 0, 1]));
}

const depthwiseConv2d: Converter = (c) => {
  const layer = c.layer as DepthwiseConv2D;
  const spatial = c.inputShapes[0]!.slice(0, -1);
  const cin = c.inputShapes[0]!.at(-1)!;
  const w = depthwiseWeight(c, layer.weights[0]!.shape);
  return convolution(c, (x) => c.g.node('Conv', [x, w, ...bias(c, layer)], convAttributes(layer, spatial, cin)));
};

/** Depthwise Conv (no bias), then the pointwise 1×1 Conv with the bias. */
const separableConv2d: Converter = (c) => {
  const layer = c.layer as SeparableConv2D;
  const spatial = c.inputShapes[0]!.slice(0, -1);
  const cin = c.inputShapes[0]!.at(-1)!;
  const dw = depthwiseWeight(c, layer.weights[0]!.shape);
  const pw = convWeight(c.g, 'pointwise_kernel', c.weight('pointwise_kernel'), layer.weights[1]!.shape);
  return convolution(c, (x) => {
    const d = c.g.node('Conv', [x, dw], convAttributes(layer, spatial, cin));
    return c.g.node('Conv', [d, pw, ...bias(c, layer)], { kernel_shape: attr.ints([1, 1]) });
  });
};

/** MaxPool / AveragePool; an average over real cells only (Keras's 'same' border windows). */
function pool(op: 'MaxPool' | 'AveragePool'): Converter {
  return (c) => {
    const layer = c.layer as unknown as Pooling;
    const spatial = c.inputShapes[0]!.slice(0, -1);
    const ones = layer.poolSize.map(() => 1);
    const attributes = {
      kernel_shape: attr.ints(layer.poolSize),
      strides: attr.ints(layer.strides),
      pads: attr.ints(windowPads(layer.padding, spatial, layer.poolSize, layer.strides, ones)),
      ...(op === 'AveragePool' ? { count_include_pad: attr.i(0) } : {}),
    };
    return channelsFirst(c, (x) => c.g.node(op, [x], attributes));
  };
}

/** Global pools: a reduction over the spatial axes, channels-last as it is. */
function globalPool(op: 'ReduceMean' | 'ReduceMax'): Converter {
  return (c) => {
    const axes = c.inputShapes[0]!.slice(0, -1).map((_, i) => i + 1);
    return c.g.reduce(op, x0(c), axes, (c.layer as unknown as { readonly keepdims: boolean }).keepdims);
  };
}

const zeroPadding2d: Converter = (c) => {
  const [[top, bottom], [left, right]] = (c.layer as ZeroPadding2D).padding;
  return c.g.node('Pad', [x0(c), c.g.int64s('pads', [0, top, left, 0, 0, bottom, right, 0])], { mode: attr.s('constant') });
};

/**
 * Resize by whole factors on the channels-last tensor: nearest repeats each pixel (asymmetric
 * coordinates, floor); bilinear is TensorFlow's with half-pixel centres, as Keras's layer.
 */
const upSampling2d: Converter = (c) => {
  const layer = c.layer as UpSampling2D;
  const g = c.g;
  const scales = g.floats('scales', [4], [1, layer.size[0]!, layer.size[1]!, 1]);
  const attributes: Attributes = layer.interpolation === 'nearest'
    ? { mode: attr.s('nearest'), coordinate_transformation_mode: attr.s('asymmetric'), nearest_mode: attr.s('floor') }
    : { mode: attr.s('linear'), coordinate_transformation_mode: attr.s('half_pixel') };
  return g.node('Resize', [x0(c), '', scales], attributes);
};

/** RandomCrop at inference: the centre window, offsets ((H − height)/2, (W − width)/2) rounded down. */
const centreCrop: Converter = (c) => {
  const { height, width } = c.layer as unknown as { readonly height: number; readonly width: number };
  const [h, w] = c.inputShapes[0]! as [number, number];
  const top = Math.trunc((h - height) / 2);
  const left = Math.trunc((w - width) / 2);
  const g = c.g;
  return g.node('Slice', [x0(c), g.int64s('starts', [top, left]), g.int64s('ends', [top + height, left + width]), g.int64s('axes', [1, 2])]);
};

/** The conversions of the layers in this file, by Keras class name. */
export const SPATIAL_CONVERTERS: Readonly<Record<string, Converter>> = {
  Conv1D: conv,
  Conv2D: conv,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  MaxPooling1D: pool('MaxPool'),
  MaxPooling2D: pool('MaxPool'),
  AveragePooling1D: pool('AveragePool'),
  AveragePooling2D: pool('AveragePool'),
  GlobalAveragePooling1D: globalPool('ReduceMean'),
  GlobalAveragePooling2D: globalPool('ReduceMean'),
  GlobalMaxPooling1D: globalPool('ReduceMax'),
  GlobalMaxPooling2D: globalPool('ReduceMax'),
  ZeroPadding2D: zeroPadding2d,
  UpSampling2D: upSampling2d,
  RandomCrop: centreCrop,
};

// Conversions of the sequence helpers: Embedding (a Gather of the table by the ids, which
// kerasm takes as float32 integers), Masking (the steps whose features all equal the mask value
// zeroed; the mask itself reaches no ONNX op: a layer reading it is refused), TimeDistributed
// (the inner layer on [batch·steps, ...]) and Bidirectional (the two recurrent layers, the
// backward one's sequence flipped back, merged as Keras merges them).
import type { Layer } from '../layers/layer.js';
import { attr } from './graph.js';
import type { OnnxGraph } from './graph.js';
import { x0 } from './convert.js';
import type { Converter } from './convert.js';

/** ONNX TensorProto.DataType codes for Cast. */
const FLOAT = 1;
const INT64 = 7;

/** The layers a wrapper converts through (TimeDistributed's inner layer, Bidirectional's two). */
export function wrappedLayers(layer: Layer): Layer[] {
  const l = layer as unknown as { layer?: Layer; forwardLayer?: Layer; backwardLayer?: Layer };
  if (layer.className === 'TimeDistributed') return [l.layer!];
  if (layer.className === 'Bidirectional') return [l.forwardLayer!, l.backwardLayer!];
  return [];
}

/** Ids (float32 integers) → rows of the table: Cast to int64, Gather on axis 0. */
const embedding: Converter = (c) => {
  const { inputDim, outputDim } = c.layer as unknown as { readonly inputDim: number; readonly outputDim: number };
  const table = c.g.floats('embeddings', [inputDim, outputDim], c.weight('embeddings'));
  const ids = c.g.node('Cast', [x0(c)], { to: attr.i(INT64) });
  return c.g.node('Gather', [table, ids], { axis: attr.i(0) });
};

/** x · any(x ≠ maskValue over the features), the step kept or zeroed (Keras's Masking output). */
const masking: Converter = (c) => {
  const g = c.g;
  const { maskValue } = c.layer as unknown as { readonly maskValue: number };
  const differs = g.node('Not', [g.node('Equal', [x0(c), g.scalar('mask_value', maskValue)])]);
  const keep = g.reduce('ReduceMax', g.node('Cast', [differs], { to: attr.i(FLOAT) }), [-1], true);
  return g.node('Mul', [x0(c), keep]);
};

/** The inner layer on every step: [batch, steps, ...] → [batch·steps, ...] → inner → back. */
const timeDistributed: Converter = (c) => {
  const g = c.g;
  const [inner] = wrappedLayers(c.layer);
  const [steps, ...rest] = c.inputShapes[0]!;
  const flat = g.node('Reshape', [x0(c), g.int64s('shape', [-1, ...rest])]);
  const [y] = c.convert(inner!, [flat], [rest]);
  return g.node('Reshape', [y!, g.int64s('shape', [-1, steps!, ...c.outputShape.slice(1)])]);
};

/** Reverse axis 1 (the steps). */
function flipSteps(g: OnnxGraph, x: string): string {
  return g.node('Slice', [x, g.int64s('starts', [-1]), g.int64s('ends', [-Number.MAX_SAFE_INTEGER]), g.int64s('axes', [1]), g.int64s('steps', [-1])]);
}

/** Keras's Bidirectional: [merged (two outputs for mergeMode null), forward states, backward states]. */
const bidirectional: Converter = (c) => {
  const g = c.g;
  const [fwd, bwd] = wrappedLayers(c.layer) as [Layer, Layer];
  const { mergeMode } = c.layer as unknown as { readonly mergeMode: string | null };
  const { returnSequences } = fwd as unknown as { readonly returnSequences: boolean };
  const [yf, ...statesF] = c.convert(fwd, [x0(c)], [c.inputShapes[0]!]);
  const [yb0, ...statesB] = c.convert(bwd, [x0(c)], [c.inputShapes[0]!]);
  const yb = returnSequences ? flipSteps(g, yb0!) : yb0!;
  let merged: string[];
  switch (mergeMode) {
    case 'concat': merged = [g.node('Concat', [yf!, yb], { axis: attr.i(-1) })]; break;
    case 'sum': merged = [g.node('Add', [yf!, yb])]; break;
    case 'mul': merged = [g.node('Mul', [yf!, yb])]; break;
    case 'ave': merged = [g.node('Mul', [g.node('Add', [yf!, yb]), g.scalar('half', 0.5)])]; break;
    default: merged = [yf!, yb];
  }
  return [...merged, ...statesF, ...statesB];
};

/** The conversions of the layers in this file, by Keras class name. */
export const WRAPPER_CONVERTERS: Readonly<Record<string, Converter>> = {
  Embedding: embedding,
  Masking: masking,
  TimeDistributed: timeDistributed,
  Bidirectional: bidirectional,
};

// km.exportOnnx(model, { opset }): the model's inference graph as ONNX protobuf bytes. The graph
// is the engine's flattened program (nested models expanded, shared layers once per call); each
// layer call becomes a few ONNX nodes named after the layer, its weights initializers named
// `<layer>/<weight>`. Inputs and outputs keep the model's names and a free batch dimension.
// Loaded lazily (src/onnx/index.ts): the core bundle carries none of it.
import { ready } from '../backend/loader.js';
import { ValueError, checkOptions, invalidArgument } from '../errors.js';
import type { Layer, LayerWeight, Shape } from '../layers/layer.js';
import type { Model } from '../model/model.js';
import { KERASM_VERSION } from '../io/topology.js';
import type { Converter, LayerCall } from './convert.js';
import { OnnxGraph } from './graph.js';
import { CORE_CONVERTERS } from './layers-core.js';
import { RECURRENT_CONVERTERS } from './layers-recurrent.js';
import { SPATIAL_CONVERTERS } from './layers-spatial.js';
import { WRAPPER_CONVERTERS, wrappedLayers } from './layers-wrappers.js';
import { dropCancellingTransposes } from './optimize.js';
import { encodeModel } from './protobuf.js';
import type { ValueInfoMessage } from './protobuf.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** The ONNX opset the graph targets: 13 (default) to 21. */
  opset?: number;
}

/** Every layer class with a conversion, by Keras class name. */
const CONVERTERS: Readonly<Record<string, Converter>> = { ...CORE_CONVERTERS, ...SPATIAL_CONVERTERS, ...RECURRENT_CONVERTERS, ...WRAPPER_CONVERTERS };

/** The opsets this exporter writes, and the IR version each needs (onnx/helper.py's table). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 21;
const IR_VERSION: Readonly<Record<number, number>> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10 };

/** The symbolic name of the batch dimension in the graph's inputs and outputs. */
export const BATCH_DIM = 'batch';

/** Layer classes `exportOnnx` converts, sorted. */
export function onnxLayerClasses(): string[] {
  return Object.keys(CONVERTERS).sort();
}

/** A kerasm model (checked by shape: io's `.onnx` writer loads this module without model/). */
function isModel(m: unknown): m is Model {
  return typeof m === 'object' && m !== null && (m as Partial<Model>).isGraph === true && typeof (m as Partial<Model>).getWeights === 'function';
}

/** A ValueError naming the layer if its class has no conversion. */
function checkConvertible(layer: Layer): void {
  if (!Object.hasOwn(CONVERTERS, layer.className)) {
    throw new ValueError(`exportOnnx: layer "${layer.name}" of class ${layer.className} has no ONNX conversion in kerasm yet; ` +
      `the layers it converts are ${onnxLayerClasses().join(', ')}.`);
  }
}

function checkExportArgs(model: unknown, options: unknown): { model: Model; opset: number } {
  if (!isModel(model)) throw invalidArgument('model', 'a kerasm model (km.sequential(...) or km.model({ inputs, outputs }))', model);
  const o = checkOptions(options as ExportOnnxOptions | undefined, ['opset'], 'exportOnnx');
  const opset = o.opset ?? MIN_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw invalidArgument('opset', `an integer from ${MIN_OPSET} to ${MAX_OPSET} (the ONNX opsets kerasm writes)`, o.opset);
  }
  model.checkAlive();
  if (model.layers.length === 0) throw new ValueError('exportOnnx: the model has no layers yet (add layers, or give a Sequential its first layer with an input shape).');
  for (const op of model.program.ops) {
    for (const inner of wrappedLayers(op.base)) checkConvertible(inner);
    checkConvertible(op.base);
    const cls = op.base.className;
    if (op.mask !== -1) {
      throw new ValueError(`exportOnnx: layer "${op.base.name}" (${cls}) reads a mask; masked sequences are not exported to ONNX yet ` +
        '(export a model without the Masking layer or mask_zero, or with sequences of one length).');
    }
  }
  return { model, opset };
}

/**
 * Each weight's values, copied out of wasm memory once, keyed by the weight's memory region: a
 * wrapper lists its inner layers' weights under other names (Bidirectional's `forward_lstm/kernel`),
 * so the region, not the weight object, is what the two share.
 */
function weightValues(model: Model): Map<unknown, Float32Array> {
  const values = model.getWeights();
  return new Map(model.weights.map((w, i) => [w.region, values[i]!.data as Float32Array]));
}

/**
 * The inference graph of `model` as an ONNX model (protobuf bytes): channels-last inputs of
 * shape [batch, ...], dropout, noise and activity regularization removed, BatchNormalization
 * with its moving statistics. A layer without a conversion is a ValueError naming it, before
 * the weights are read.
 */
export async function exportOnnx(model: Model, options?: ExportOnnxOptions): Promise<Uint8Array> {
  const { opset } = checkExportArgs(model, options);
  await ready();
  const weights = weightValues(model);
  const program = model.program;
  const g = new OnnxGraph(opset);
  const names: string[] = [];
  const inputs: ValueInfoMessage[] = model.inputNames.map((name, i) => {
    const v = program.inputs[i]!;
    names[v] = g.claim(name);
    return { name: names[v], shape: [BATCH_DIM, ...program.shapes[v]!] };
  });
  const callOf = (layer: Layer, inputs: readonly string[], inputShapes: readonly Shape[], outputShape: Shape): LayerCall => {
    const own = (name: string): LayerWeight | undefined => layer.weights.find((w) => w.name === name);
    return {
      g, layer, inputs, inputShapes, outputShape,
      weight: (name) => {
        const w = own(name);
        if (w === undefined) throw new ValueError(`exportOnnx: internal: layer "${layer.name}" has no weight '${name}'`);
        return weights.get(w.region)!;
      },
      hasWeight: (name) => own(name) !== undefined,
      convert: (inner, xs, shapes) => {
        const scope = g.scope;
        g.scope = `${scope}/${inner.name}`;
        const out = CONVERTERS[inner.className]!(callOf(inner, xs, shapes, inner.outputShape!));
        g.scope = scope;
        return typeof out === 'string' ? [out] : out;
      },
    };
  };
  for (const op of program.ops) {
    const layer = op.base;
    g.scope = layer.name;
    const since = g.nodes.length;
    const out = CONVERTERS[layer.className]!(callOf(layer, op.inputs.map((v) => names[v]!), op.inputs.map((v) => program.shapes[v]!), program.shapes[op.output]!));
    const outs = typeof out === 'string' ? [out] : out;
    op.outputs.forEach((v, i) => {
      names[v] = g.rename(outs[i]!, i === 0 ? layer.name : `${layer.name}/output_${i}`, since);
    });
  }
  const outputs = outputInfos(g, model, program.outputs.map((v) => names[v]!), program.outputs.map((v) => program.shapes[v]!));
  dropCancellingTransposes(g.nodes, new Set(outputs.map((o) => o.name)));
  return encodeModel({
    irVersion: IR_VERSION[opset]!, opset, producerName: 'kerasm', producerVersion: KERASM_VERSION,
    graph: { name: model.name, nodes: g.nodes, initializers: g.initializers, inputs, outputs, docString: `${model.className} model exported by kerasm ${KERASM_VERSION}` },
  });
}

/**
 * The graph's outputs, named after the layers that make them. An output that is a graph input,
 * another output, or a tensor named otherwise (a dropout's pass-through) gets an Identity node.
 */
function outputInfos(g: OnnxGraph, model: Model, tensors: readonly string[], shapes: readonly (readonly number[])[]): ValueInfoMessage[] {
  const taken = new Set<string>();
  const produced = new Set(g.nodes.flatMap((n) => n.outputs));
  return tensors.map((t, i) => {
    let name = t;
    if (t !== model.outputNames[i] || taken.has(t) || !produced.has(t)) {
      g.scope = model.outputNames[i]!;
      name = g.rename(g.node('Identity', [t]), model.outputNames[i]!, g.nodes.length - 1);
    }
    taken.add(name);
    return { name, shape: [BATCH_DIM, ...shapes[i]!] };
  });
}

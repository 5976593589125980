// km.loadModel and km.modelFromJSON: a Sequential or a functional Model built from a file's
// topology (io/topology-read.ts parses it and makes the layers; the model classes are built here,
// so io/ never imports model/), then its weights and training state.
import { KerasmError, checkOptions, invalidArgument } from '../errors.js';
import { formatError, isArrayBuffer, isObject, own, parseJson, sanitize } from '../io/json.js';
import type { JsonObject } from '../io/json.js';
import { loadArtifacts } from '../io/resolve.js';
import { applyWeights, checkModelSize, checkRestoreOption, kerasmRecord, prepareWeights, restoreTrainingState } from '../io/restore.js';
import { graphModelError, parseTopology } from '../io/topology-read.js';
import type { ParsedFunctional, ParsedLayer, ParsedModel, TensorRef } from '../io/topology-read.js';
import { compileArgsFromJson } from '../io/training-config.js';
import type { LoadOptions, LoadSource } from '../io/types.js';
import { InputLayer } from '../layers/core.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from './graph.js';
import { inputTensorOf } from './input.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

const WHAT = 'Invalid model topology';

function buildModel(p: ParsedModel): Model {
  if (p.kind === 'sequential') return new Sequential({ name: p.name, layers: p.layers.map(buildLayer) });
  return buildFunctional(p);
}

function buildLayer(p: ParsedLayer): Layer {
  return p.kind === 'layer' ? p.layer : buildModel(p);
}

/** Make every layer, replay the file's calls (io/functional-read.ts numbers them), then the model. */
function buildFunctional(p: ParsedFunctional): Model {
  const { inputs, outputs } = replayCalls(p.layers.map((l) => ({ name: l.name, layer: buildLayer(l.spec), calls: l.calls })), p.inputs, p.outputs);
  return new Model({ inputs, outputs, name: p.name });
}

/** A layer of a functional topology, made, with the calls the file lists for it. */
interface GraphEntry {
  name: string;
  layer: Layer;
  calls: TensorRef[][];
}

/** The outputs of each call made so far, per layer name; lookups of calls not made yet give null. */
class Made {
  private readonly calls = new Map<string, SymbolicTensor[][]>();
  add(entry: GraphEntry): void {
    if (this.calls.has(entry.name)) throw formatError(WHAT, `two layers are named '${entry.name}'`);
    if (entry.layer instanceof InputLayer && entry.calls.length > 0) throw formatError(WHAT, `the InputLayer '${entry.name}' is called on other tensors`);
    this.calls.set(entry.name, entry.layer instanceof InputLayer ? [[inputTensorOf(entry.layer)]] : []);
  }
  push(name: string, outputs: SymbolicTensor[]): void {
    this.calls.get(name)!.push(outputs);
  }
  get(r: TensorRef, where: string): SymbolicTensor | null {
    const calls = this.calls.get(r.layer);
    if (calls === undefined) throw formatError(WHAT, `${where} refers to a layer '${r.layer}' the model does not have`);
    const outs = calls[r.node];
    if (outs === undefined) return null;
    const t = outs[r.tensor];
    if (t === undefined) throw formatError(WHAT, `${where} refers to output ${r.tensor} of '${r.layer}', which has ${outs.length}`);
    return t;
  }
  /** Tensors that must exist by now; one missing means the file never makes it. */
  require(refs: readonly TensorRef[], where: string): SymbolicTensor[] {
    return refs.map((r) => {
      const t = this.get(r, where);
      if (t === null) throw formatError(WHAT, `${where} refers to call ${r.node} of '${r.layer}', which the file never makes (Graph disconnected)`);
      return t;
    });
  }
}

/** One call of a layer: all its outputs (a nested model's, an RNN's with returnState). */
function callLayer(layer: Layer, inputs: SymbolicTensor[]): SymbolicTensor[] {
  if (layer instanceof Model) return layer.applyMany(inputs);
  return layer.applyMany(layer.takesList || inputs.length > 1 ? inputs : inputs[0]!);
}

/**
 * Replay the calls in an order where their inputs exist, as TF.js and Keras `fromConfig` do:
 * passes over the layers in file order, each making the calls it can (a layer's calls in their
 * order), until none is left. A pass that makes none means a call waits on a tensor the file
 * never makes.
 */
function replayCalls(entries: GraphEntry[], inputRefs: TensorRef[], outputRefs: TensorRef[]): { inputs: SymbolicTensor[]; outputs: SymbolicTensor[] } {
  const made = new Made();
  for (const e of entries) made.add(e);
  const next = entries.map(() => 0);
  for (let progress = true; progress;) {
    progress = false;
    entries.forEach((e, i) => {
      for (; next[i]! < e.calls.length; next[i]!++) {
        const inputs = e.calls[next[i]!]!.map((r) => made.get(r, `layer '${e.name}'`));
        if (inputs.includes(null)) return;
        made.push(e.name, callLayer(e.layer, inputs as SymbolicTensor[]));
        progress = true;
      }
    });
  }
  entries.forEach((e, i) => {
    if (next[i]! < e.calls.length) made.require(e.calls[next[i]!]!, `layer '${e.name}'`);
  });
  return { inputs: made.require(inputRefs, '`input_layers`'), outputs: made.require(outputRefs, '`output_layers`') };
}

function build(topology: unknown): Model {
  const model = buildModel(parseTopology(topology));
  checkModelSize(model);
  return model;
}

/** The training config to compile with: kerasm's own, TF.js's `trainingConfig`, or Keras's `training_config`. */
function trainingConfigOf(record: JsonObject | null, artifactsConfig: unknown, topology: unknown): unknown {
  const kerasm = record === null ? undefined : own(record, 'training_config');
  if (kerasm !== undefined && kerasm !== null) return kerasm;
  if (artifactsConfig !== undefined && artifactsConfig !== null) return sanitize(artifactsConfig, 'Invalid trainingConfig');
  return isObject(topology) ? own(topology, 'training_config') ?? undefined : undefined;
}

/**
 * Compile from the file's training config (Keras `compile=True`). What kerasm cannot read is
 * named in one warning: without a loss or an optimizer the model stays uncompiled; an unknown
 * metric is left out.
 */
function compileFromFile(model: Model, config: unknown): void {
  const { args, problems } = compileArgsFromJson(config, model.outputNames);
  let compiled = false;
  if (args !== null) {
    try {
      model.compile(args);
      compiled = true;
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length === 0) return;
  const how = compiled ? 'compiled without what kerasm cannot read in its training config' : 'loaded uncompiled: kerasm cannot read all it needs in its training config';
  console.warn(`kerasm: the model was ${how}: ${problems.join('; ')}.`);
}

/**
 * Load a model saved by kerasm, TF.js (`model.save`) or converted from Keras
 * (tensorflowjs_converter): `file://…/model.json` (Node), `http(s)://…/model.json`, an IO
 * handler `{ load }` or artifacts `{ modelTopology, weightSpecs, weightData }`. A Sequential
 * comes back as a `Sequential`, a functional model (`Model`, `Functional`) as a `Model`. With
 * a training config the model comes back compiled; with state saved by
 * `{ includeOptimizer: true }`, the optimizer and the dropout layers' streams continue where
 * they stopped.
 *
 * Loading draws nothing from the process-wide random stream (the file's weights are not
 * initialized first) and leaves it where it is, so another model training in the same process
 * is not affected. `{ restoreGlobalRandomState: true }` sets it back to where the saving
 * process had it: with `includeOptimizer`, the next `fit` then continues bit-identically.
 */
export async function loadModel(source: LoadSource, options?: LoadOptions): Promise<Model> {
  options = checkOptions(options, ['compile', 'restoreGlobalRandomState'], 'loadModel');
  if (options.compile !== undefined && typeof options.compile !== 'boolean') throw invalidArgument('compile', 'a boolean', options.compile);
  const restoreGlobal = checkRestoreOption(options.restoreGlobalRandomState);
  const artifacts = await loadArtifacts(source);
  if (artifacts.format === 'graph-model') throw graphModelError();
  if (artifacts.modelTopology === undefined || artifacts.modelTopology === null) {
    throw formatError('Invalid model artifacts', 'no modelTopology (a file of weights alone, from model.saveWeights, loads with model.loadWeights)');
  }
  const raw = artifacts.modelTopology;
  const topology = isArrayBuffer(raw) ? raw : typeof raw === 'string' ? parseJson(raw, 'Invalid model topology') : sanitize(raw, 'Invalid model topology');
  const weights = prepareWeights(artifacts);
  const record = kerasmRecord(artifacts);
  const model = build(topology);
  try {
    const loaded = weights === null ? null : await applyWeights(model, weights);
    if (options.compile !== false) {
      const config = trainingConfigOf(record, artifacts.trainingConfig, topology);
      if (config !== undefined) compileFromFile(model, config);
    }
    if (loaded !== null && weights !== null && record !== null) restoreTrainingState(model, loaded, weights, record, restoreGlobal);
    return model;
  } catch (e) {
    model.dispose();
    if (e instanceof KerasmError) throw e;
    throw new KerasmError(`Cannot load the model: ${(e as Error).message ?? String(e)}`);
  }
}

/**
 * A model from its topology JSON (`model.toJSON()`, a model.json, or the object itself),
 * uncompiled, with fresh weights. TF.js: `tf.models.modelFromJSON`. Nothing is drawn from the
 * random stream until the model is used (its initializers run at the first fit, predict or
 * getWeights).
 */
export async function modelFromJSON(json: string | object): Promise<Model> {
  const value = typeof json === 'string' ? parseJson(json, 'Invalid model JSON') : sanitize(json, 'Invalid model JSON');
  if (isObject(value) && value.format === 'graph-model') throw graphModelError();
  const topology = isObject(value) && own(value, 'modelTopology') !== undefined ? value.modelTopology : value;
  return build(topology);
}

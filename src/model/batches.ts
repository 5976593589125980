// Data in the model's layout: one dataset per input, labels per output, and the batch sources the
// loops read (arrays, staged in order or shuffled; a dataset of batches from an iterable).
import type { Backend } from '../backend/loader.js';
import { toDataset, toSampleWeights, toSparseLabels, toTargets } from '../data/coerce.js';
import type { Dataset } from '../data/coerce.js';
import { checkFinite, sampleWeightData, sliceRows, stage, stageChecked } from '../data/staging.js';
import { ValueError, invalidArgument } from '../errors.js';
import type { Layer, Shape } from '../layers/layer.js';
import { isGraphModel } from './program.js';
import type { GraphModel } from './program.js';
import { shapeSize } from '../tensor.js';
import type { Head } from './compile.js';
import type { Plan } from './plan.js';
import { globalRandom } from '../random.js';
import type { RandomStream } from '../random.js';

/** What coercion needs of a model. */
export interface IOModel {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputShapes: readonly Shape[];
  readonly outputShapes: readonly Shape[];
}

/** Inputs, labels per output (null: an output without loss), sample weights per output. */
export interface Arrays {
  x: Dataset[];
  y: (Dataset | null)[];
  sw: (Float32Array | null)[];
  rows: number;
}

/**
 * One value per name: for a single name the value itself; otherwise a list in order or an object
 * keyed by name (Keras and TF.js take both).
 */
export function perName(value: unknown, names: readonly string[], arg: string, optional = false): unknown[] {
  const keyed = value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value) && !('shape' in value);
  if (names.length === 1) {
    // One name: the value itself, or an object keyed by that name (Keras takes `{ pixels: x }`).
    const name = names[0]!;
    const only = keyed ? Object.keys(value) : [];
    return [only.length === 1 && only[0] === name ? (value as Record<string, unknown>)[name] : value];
  }
  if (Array.isArray(value) && value.length === names.length) return value;
  if (keyed) {
    const obj = value as Record<string, unknown>;
    const unknown = Object.keys(obj).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw invalidArgument(arg, `an object keyed by ${names.join(', ')}`, `keys ${unknown.join(', ')}`);
    return names.map((n) => obj[n]);
  }
  if (optional && value === undefined) return names.map(() => undefined);
  throw invalidArgument(arg, `${names.length} arrays (one per ${arg === 'x' ? 'input' : 'output'}: ${names.join(', ')}), as a list or an object keyed by name`, value);
}

/** Model inputs: one dataset per input, each of the input's shape, all of one length. */
export function toInputs(model: IOModel, x: unknown, name = 'x'): Dataset[] {
  const list = perName(x, model.inputNames, name).map((v, i) => {
    const where = model.inputNames.length === 1 ? name : `${name}[${model.inputNames[i]}]`;
    const d = toDataset(v, where);
    checkInputShape(d, model.inputShapes[i]!, where);
    checkInputData(model, i, d, where);
    return d;
  });
  for (const d of list) {
    if (d.rows !== list[0]!.rows) throw new ValueError(`Invalid value received for argument \`${name}\`: expected every input to have ${list[0]!.rows} samples. Received: ${d.rows}`);
  }
  return list;
}

/** Layers that read model input i directly check its values (Embedding: ids in range), nested models' included. */
function checkInputData(model: IOModel, i: number, d: Dataset, name: string): void {
  const graph = model as Partial<GraphModel>;
  const input = graph.inputs?.[i];
  if (input === undefined || graph.nodes === undefined) return;
  for (const node of graph.nodes) {
    if (node.inputs[0] !== input) continue;
    const inner = node.layer as Layer & Partial<GraphModel> & IOModel;
    if (isGraphModel(node.layer)) checkInputData(inner, 0, d, name);
    else node.layer.checkInputData(d.data, name);
  }
}

export function checkInputShape(x: Dataset, want: Shape, name: string): void {
  if (shapeSize(x.shape) !== shapeSize(want) || (x.shape.length > 1 && x.shape.join() !== want.join())) {
    // A flat array of one sample's values reads as that many samples of one feature.
    const flat = x.cols === 1 && x.rows === shapeSize(want)
      ? `. A flat array of ${x.rows} numbers is read as ${x.rows} samples of one value each; for one sample pass [[...values]] or km.tensor(values, [1, ${want.join(', ')}])` : '';
    throw new ValueError(`Invalid value received for argument \`${name}\`: expected samples of shape [${want.join(', ')}] (the model's input shape). Received: samples of shape [${x.shape.join(', ')}]${flat}`);
  }
}

/** Labels or targets of one output in the layout its loss kernel reads. */
function toLabels(head: Head, shape: Shape, y: unknown, name: string): Dataset {
  const units = shape[shape.length - 1]!;
  if (head.loss!.sparse) {
    const d = toSparseLabels(y, units, name);
    if (shape.length !== 1) throw new ValueError('Sparse labels need an output of shape [batch, classes].');
    return d;
  }
  return toTargets(y, shapeSize(shape), name);
}

/** Labels per output (outputs without a loss take none). */
export function toOutputs(model: IOModel, heads: readonly Head[], y: unknown, name = 'y'): (Dataset | null)[] {
  return perName(y, model.outputNames, name).map((v, h) => {
    const head = heads[h]!;
    if (head.loss === null) return null;
    const where = model.outputNames.length === 1 ? name : `${name}[${model.outputNames[h]}]`;
    if (v === undefined) throw invalidArgument(where, `targets for output ${head.name}, which has a loss`, v);
    return toLabels(head, model.outputShapes[h]!, v, where);
  });
}

/** Sample weights: one array for a single output, else per output (list or object; missing: none). */
export function toSampleWeightsPerOutput(model: IOModel, sw: unknown, rows: number, name = 'sampleWeight'): (Float32Array | null)[] {
  if (sw === undefined) return model.outputNames.map(() => null);
  return perName(sw, model.outputNames, name, true).map((v) => (v === undefined || v === null ? null : toSampleWeights(v, rows, name)));
}

/**
 * x and y hold the same number of samples, at least one. A y with exactly `outputs` times as
 * many values as x has samples is flat one-hot or multi-output targets given without a shape.
 */
export function checkSameRows(x: Dataset, y: Dataset, outputs: number, names: [string, string] = ['x', 'y'], where = ''): void {
  const [xn, yn] = names;
  if (x.rows === 0) throw new ValueError(`Invalid value received for argument \`${xn}\`: expected at least one sample. Received: 0 samples${where}`);
  if (x.rows === y.rows) return;
  const flat = y.cols === 1 && outputs > 1 && y.rows === x.rows * outputs
    ? `. These look like ${outputs} values per sample given flat (one-hot labels?): pass them with their shape, km.tensor(values, [${x.rows}, ${outputs}]), with the loss 'categoricalCrossentropy' for one-hot labels` : '';
  throw new ValueError(`Invalid value received for argument \`${yn}\`: expected ${x.rows} samples to match ${xn}${where}. Received: ${y.rows} samples${flat}`);
}

/** Inputs and labels of one call, checked against each other. */
export function toArrays(model: IOModel, heads: readonly Head[], x: unknown, y: unknown, names: [string, string] = ['x', 'y'], where = ''): Arrays {
  const xs = toInputs(model, x, names[0]);
  const ys = toOutputs(model, heads, y, names[1]);
  ys.forEach((d, h) => {
    if (d !== null) checkSameRows(xs[0]!, d, shapeSize(model.outputShapes[h]!), names, where);
  });
  if (xs[0]!.rows === 0) throw new ValueError(`Invalid value received for argument \`${names[0]}\`: expected at least one sample. Received: 0 samples${where}`);
  return { x: xs, y: ys, sw: heads.map(() => null), rows: xs[0]!.rows };
}

/**
 * Batches of arrays: each `next()` stages the next batch (inputs, labels, sample weights) into the
 * plan's buffers, checks it for non-finite values, and answers its row count (0 at the end of the
 * epoch). Model inputs are the program's first values (0, 1, …). With `prefetch` (a thread pool),
 * the next batch's first input is staged while a GEMM of this step runs on the workers.
 */
export class ArrayBatches {
  readonly steps: number;
  /** Stage the next batch's first input beside a GEMM of this step (set by fit where no batch hook runs between steps). */
  prefetch = false;
  private readonly order: Int32Array | null;
  private readonly swData: (Dataset | null)[];
  private step = 0;
  private start = 0;
  private rows = 0;
  /** The first input of the pulled batch is already in place (prefetched). */
  private staged = false;
  private ahead = false;
  private aheadStart = 0;
  private aheadRows = 0;
  private readonly stageAhead = (): void => stage(this.b, this.data.x[0]!, this.order, this.aheadStart, this.aheadRows, this.plan.xNext);
  private readonly b: Backend;
  private readonly plan: Plan;
  private readonly data: Arrays;
  readonly batchSize: number;

  private readonly names: [string, string];

  constructor(b: Backend, plan: Plan, data: Arrays, batchSize: number, shuffle: boolean, names: [string, string] = ['x', 'y']) {
    this.names = names;
    this.b = b;
    this.plan = plan;
    this.data = data;
    this.batchSize = batchSize;
    this.steps = Math.ceil(data.rows / batchSize);
    this.order = shuffle ? Int32Array.from({ length: data.rows }, (_, i) => i) : null;
    this.swData = data.sw.map((s) => (s === null ? null : sampleWeightData(s)));
  }

  get hasSw(): boolean {
    return this.data.sw.some((s) => s !== null);
  }

  /** Start an epoch (and shuffle, with `rng`). */
  begin(rng: RandomStream | null): void {
    if (this.order !== null && rng !== null) rng.shuffle(this.order);
    this.step = 0;
    this.staged = false;
  }

  /** Move to the next batch: its rows, 0 when the epoch is done. */
  pull(): number {
    if (this.step >= this.steps) return 0;
    this.start = this.step * this.batchSize;
    this.rows = Math.min(this.batchSize, this.data.rows - this.start);
    this.step++;
    return this.rows;
  }

  /** Stage the pulled batch (inputs, labels, sample weights) and check it for non-finite values. */
  stage(): void {
    const { b, plan, data, order, start, rows } = this;
    const several = data.x.length > 1;
    for (let i = 0; i < data.x.length; i++) {
      const d = data.x[i]!;
      if (i > 0 || !this.staged) stage(b, d, order, start, rows, plan.act[i]!);
      checkFinite(b, d, order, start, rows, plan.act[i]!, several ? `${this.names[0]}[${i}]` : this.names[0]);
    }
    this.staged = false;
    for (let h = 0; h < data.y.length; h++) {
      const d = data.y[h]!;
      if (d !== null) stageChecked(b, d, order, start, rows, plan.y[h]!, data.y.length > 1 ? `${this.names[1]}[${h}]` : this.names[1]);
      const w = this.swData[h]!;
      if (w !== null) stage(b, w, order, start, rows, plan.sw[h]!);
    }
  }

  /** Before a step: hand the pool the staging of the next batch's first input, to run beside a GEMM. */
  beforeStep(): void {
    const pool = this.b.pool;
    this.ahead = this.prefetch && pool !== null && this.plan.xNext !== 0 && this.step < this.steps;
    if (!this.ahead) return;
    this.aheadStart = this.step * this.batchSize;
    this.aheadRows = Math.min(this.batchSize, this.data.rows - this.aheadStart);
    pool!.sideJob = this.stageAhead;
  }

  /** After a step (also one that threw): stage now if no GEMM took the job, then swap the input buffers. */
  afterStep(): void {
    if (!this.ahead) return;
    this.b.pool!.runSideJob();
    const { act } = this.plan;
    const cur = act[0]!;
    // Every value that is the input's memory (Flatten of the input) moves with it.
    for (let v = 0; v < act.length; v++) if (act[v] === cur) act[v] = this.plan.xNext;
    this.plan.xNext = cur;
    this.staged = true;
    this.ahead = false;
  }
}

/** Arrays as an epoch source: shuffled per epoch from the process-wide stream. */
export class ArraySource {
  readonly batches: ArrayBatches;
  private readonly shuffle: boolean;
  constructor(batches: ArrayBatches, shuffle: boolean) {
    this.batches = batches;
    this.shuffle = shuffle;
  }
  get steps(): number {
    return this.batches.steps;
  }
  get hasSw(): boolean {
    return this.batches.hasSw;
  }
  begin(): void {
    this.batches.begin(this.shuffle ? globalRandom() : null);
  }
  pull(): number {
    return this.batches.pull();
  }
  stage(): void {
    this.batches.stage();
  }
  beforeStep(): void {
    this.batches.beforeStep();
  }
  afterStep(): void {
    this.batches.afterStep();
  }
}

/** The last `split` of the samples (before shuffling) held out for validation, as Keras. */
export function splitArrays(d: Arrays, split: number): [Arrays, Arrays] {
  const at = Math.floor(d.rows * (1 - split));
  if (at === 0 || at === d.rows) throw new ValueError(`Invalid value received for argument \`validationSplit\`: ${split} of ${d.rows} samples leaves an empty training or validation set`);
  const part = (from: number, to: number): Arrays => ({
    x: d.x.map((x) => sliceRows(x, from, to)),
    y: d.y.map((y) => (y === null ? null : sliceRows(y, from, to))),
    sw: d.sw.map((s) => (s === null ? null : s.subarray(from, to))),
    rows: to - from,
  });
  return [part(0, at), part(at, d.rows)];
}

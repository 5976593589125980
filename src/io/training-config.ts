// The compile configuration in a file: `{ loss, metrics, loss_weights, optimizer_config: {
// class_name, config } }`, the shape of TF.js's `trainingConfig` and Keras's `training_config`.
// Read in every spelling met in real files: TF.js's camelCase optimizer keys and `RMSProp` /
// `Momentum` names, tf.keras 2.11+'s `Custom>Adam`, wrapped metrics (`MeanMetricWrapper`, metric
// classes), loss objects, and per-output losses, weights and metrics (lists or objects keyed
// by output name). What cannot be read is listed, not thrown: the loader names it all in one
// warning.
import * as losses from '../losses/index.js';
import { Loss } from '../losses/index.js';
import * as metricsLib from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/index.js';
import * as schedules from '../schedules/index.js';
import type { LearningRateSchedule } from '../schedules/index.js';
import { isObject } from './json.js';
import type { JsonObject } from './json.js';
import type { CompiledView } from './types.js';

const PASCAL: Record<string, string> = {
  categoricalCrossentropy: 'CategoricalCrossentropy', sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy', meanSquaredError: 'MeanSquaredError', meanAbsoluteError: 'MeanAbsoluteError', huber: 'Huber',
};

function lossToJson(loss: Loss): unknown {
  const defaults = !loss.fromLogits && loss.labelSmoothing === 0 && loss.delta === 1;
  return defaults ? loss.name : { class_name: PASCAL[loss.kind] ?? loss.kind, config: loss.getConfig() };
}

/**
 * A compiled model's configuration, Keras keys. One output: `loss` and `metrics` as given;
 * several: one loss (null: not trained), weight and metric list per output, in output order.
 */
export function trainingConfigToJson(compiled: CompiledView): JsonObject {
  const heads = compiled.heads;
  const optimizer_config = { class_name: compiled.optimizer.className, config: compiled.optimizer.getConfig() };
  if (heads.length === 1 && heads[0]!.weight === 1) return { loss: lossToJson(heads[0]!.loss!), metrics: heads[0]!.metricIds.slice(), optimizer_config };
  return {
    loss: heads.map((h) => (h.loss === null ? null : lossToJson(h.loss))),
    loss_weights: heads.map((h) => h.weight),
    metrics: heads.map((h) => h.metricIds.slice()),
    optimizer_config,
  };
}

/**
 * Compile arguments read from a file, in the shape model/compile.ts `CompileArgs` takes: one loss
 * and metric list for a model with one output, lists in output order for several.
 */
export interface FileCompileArgs {
  optimizer: Optimizer;
  loss: Loss | (Loss | null)[];
  metrics: string[] | string[][];
  lossWeights?: number[];
}

/** The compile arguments a training config gives (null when its loss or optimizer cannot be read), and what could not be read. */
export interface ReadTrainingConfig {
  args: FileCompileArgs | null;
  problems: string[];
}

/** Run `read`; a thrown error becomes a problem and `undefined`. */
function attempt<T>(problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    problems.push((e as Error).message);
    return undefined;
  }
}

/** Compile arguments from a training config (kerasm's, TF.js's or Keras's) for a model with these outputs. */
export function compileArgsFromJson(config: unknown, outputNames: readonly string[]): ReadTrainingConfig {
  const problems: string[] = [];
  if (!isObject(config)) return { args: null, problems: ['the training config is not an object'] };
  const loss = attempt(problems, () => perOutput(config.loss, outputNames, 'loss', (v) => typeof v === 'string' || isObject(v) && typeof v.class_name === 'string').map(lossFromJson));
  if (loss !== undefined && loss.every((l) => l === null)) problems.push('it has no loss');
  const lossWeights = attempt(problems, () => weightsFromJson(config.loss_weights, outputNames));
  const metrics = metricsFromJson(config.metrics, outputNames, problems);
  for (const key of ['weighted_metrics', 'sample_weight_mode']) {
    const v = config[key];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.flat(2).length === 0)) problems.push(`\`${key}\` is not supported (left out)`);
  }
  const optimizer = attempt(problems, () => optimizerFromJson(config.optimizer_config));
  // compile() takes loss weights per output only when there are several outputs.
  const scaled = outputNames.length === 1 && lossWeights != null && lossWeights[0] !== 1;
  if (scaled) problems.push(`\`loss_weights\` ${JSON.stringify(config.loss_weights)} for a model with one output is not supported`);
  if (loss === undefined || loss.every((l) => l === null) || lossWeights === undefined || scaled || optimizer === undefined) return { args: null, problems };
  if (outputNames.length === 1) return { args: { optimizer, loss: loss[0]!, metrics: metrics[0]! }, problems };
  return { args: { optimizer, loss, metrics, ...(lossWeights === null ? {} : { lossWeights }) }, problems };
}

function fail(problem: string): Error {
  return new Error(problem);
}

/**
 * One value per output from a per-output field: a list in output order, an object keyed by output
 * name, or one value for every output. `isOne` tells a single value that is an object (a loss
 * `{ class_name, config }`) from an object keyed by output name.
 */
function perOutput(v: unknown, names: readonly string[], key: string, isOne: (v: unknown) => boolean): unknown[] {
  if (Array.isArray(v)) {
    if (v.length !== names.length) throw fail(`\`${key}\` has ${v.length} entries for ${names.length} output(s) (${names.join(', ')})`);
    return v;
  }
  if (isObject(v) && !isOne(v)) {
    const unknown = Object.keys(v).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw fail(`\`${key}\` names ${unknown.join(', ')}, not an output of the model (${names.join(', ')})`);
    return names.map((n) => v[n] ?? null);
  }
  return names.map(() => v);
}

/** A loss name or object (`{ class_name: 'CategoricalCrossentropy', config: { from_logits, … } }`); null: the output is not trained. */
function lossFromJson(v: unknown): Loss | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return losses.get(v);
  if (isObject(v) && typeof v.class_name === 'string') {
    const base = losses.get(v.class_name);
    const c = isObject(v.config) ? v.config : {};
    if (c.reduction !== undefined && c.reduction !== 'auto' && c.reduction !== 'sum_over_batch_size') {
      throw fail(`the loss ${v.class_name} has reduction '${String(c.reduction)}'; kerasm averages over the batch (sum_over_batch_size)`);
    }
    if (c.axis !== undefined && c.axis !== -1) throw fail(`the loss ${v.class_name} has axis ${String(c.axis)}; kerasm reduces over the last axis`);
    return new Loss(base.kind, {
      fromLogits: (c.from_logits ?? undefined) as boolean | undefined,
      labelSmoothing: (c.label_smoothing ?? undefined) as number | undefined,
      delta: (c.delta ?? undefined) as number | undefined,
    });
  }
  throw fail(`the loss ${JSON.stringify(v)} is not a name or { class_name, config }`);
}

/** `loss_weights`: null (all 1), a list in output order or an object keyed by output name. */
function weightsFromJson(v: unknown, names: readonly string[]): number[] | null {
  if (v === undefined || v === null) return null;
  const list = perOutput(v, names, 'loss_weights', () => false).map((w) => w ?? 1);
  if (list.some((w) => typeof w !== 'number' || !Number.isFinite(w) || w < 0)) throw fail(`\`loss_weights\` ${JSON.stringify(v)} are not non-negative numbers`);
  return list as number[];
}

/**
 * Metric lists per output: `null`; one list for every output (`['accuracy']`); a list per output
 * (`[['accuracy'], ['mae']]`, which tf.keras 2 writes even for one output: `[[…]]`); or an object
 * keyed by output name. A metric kerasm does not have is left out and named as a problem.
 */
function metricsFromJson(v: unknown, names: readonly string[], problems: string[]): string[][] {
  if (v === undefined || v === null) return names.map(() => []);
  let lists: unknown[];
  if (Array.isArray(v) && v.length > 0 && v.every(Array.isArray)) {
    if (v.length === names.length) lists = v;
    else if (names.length === 1) lists = [v.flat()];
    else {
      problems.push(`\`metrics\` has ${v.length} lists for ${names.length} outputs (left out)`);
      return names.map(() => []);
    }
  } else if (isObject(v) && !isMetricObject(v)) {
    lists = names.map((n) => v[n] ?? []);
    const unknown = Object.keys(v).filter((k) => !names.includes(k));
    if (unknown.length > 0) problems.push(`\`metrics\` names ${unknown.join(', ')}, not an output of the model (left out)`);
  } else lists = names.map(() => v);
  return lists.map((list) => (Array.isArray(list) ? list : [list]).flatMap((m) => {
    const id = metricId(m);
    if (id === null) problems.push(`the metric ${describeMetric(m)} is not one kerasm has (left out; kerasm has accuracy, acc, ${METRIC_IDS.join(', ')})`);
    return id === null ? [] : [id];
  }));
}

const METRIC_IDS = ['categorical_accuracy', 'sparse_categorical_accuracy', 'binary_accuracy', 'mse', 'mae', 'mean_squared_error', 'mean_absolute_error'];

function isMetricObject(v: JsonObject): boolean {
  return typeof v.class_name === 'string';
}

function knownMetric(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  try {
    metricsLib.resolve(id, { sparseLabels: false, outputUnits: 2, binaryLoss: false });
    return true;
  } catch {
    return false;
  }
}

/** PascalCase class name → Keras's function name: `CategoricalAccuracy` → `categorical_accuracy`. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * A metric's id: a name, or a serialized metric object — `MeanMetricWrapper` (tf.keras 2.x: its
 * `name`, else its `fn`) or a metric class (`CategoricalAccuracy`: its `name`, else the class).
 * Null when kerasm has no such metric, or has it with other settings (a BinaryAccuracy threshold).
 */
function metricId(m: unknown): string | null {
  if (knownMetric(m)) return m;
  if (!isObject(m) || typeof m.class_name !== 'string') return null;
  const c = isObject(m.config) ? m.config : {};
  if (c.threshold !== undefined && c.threshold !== null && c.threshold !== 0.5) return null;
  for (const candidate of [c.name, c.fn, snakeCase(m.class_name)]) if (knownMetric(candidate)) return candidate;
  return null;
}

function describeMetric(m: unknown): string {
  if (!isObject(m)) return JSON.stringify(m);
  const c = isObject(m.config) ? m.config : {};
  return typeof c.name === 'string' ? `'${c.name}' (${String(m.class_name)})` : `${String(m.class_name)}`;
}

/** snake_case and TF.js keys → kerasm's camelCase options. */
function optionsOf(config: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === null) continue;
    out[k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = v;
  }
  if (out.learningRate === undefined && out.lr !== undefined) out.learningRate = out.lr;
  if (isObject(out.learningRate)) out.learningRate = schedules.deserialize(out.learningRate);
  return out;
}

function bool(o: JsonObject, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw fail(`\`${key}\` is ${JSON.stringify(v)}, not a boolean`);
  return v;
}

type Num = number | undefined;
const common = (o: JsonObject) => ({
  learningRate: o.learningRate as Num | LearningRateSchedule, weightDecay: o.weightDecay as Num, clipnorm: o.clipnorm as Num,
  clipvalue: o.clipvalue as Num, globalClipnorm: o.globalClipnorm as Num,
});

const OPTIMIZERS: Record<string, (o: JsonObject) => Optimizer> = {
  Adam: (o) => optimizers.adam({ ...common(o), beta1: o.beta1 as Num, beta2: o.beta2 as Num, epsilon: o.epsilon as Num, amsgrad: bool(o, 'amsgrad') }),
  AdamW: (o) => optimizers.adamw({ ...common(o), beta1: o.beta1 as Num, beta2: o.beta2 as Num, epsilon: o.epsilon as Num, amsgrad: bool(o, 'amsgrad') }),
  SGD: (o) => optimizers.sgd({ ...common(o), momentum: o.momentum as Num, nesterov: bool(o, 'nesterov') }),
  /** TF.js `tf.train.momentum`. */
  Momentum: (o) => optimizers.sgd({ ...common(o), momentum: o.momentum as Num, nesterov: bool(o, 'useNesterov') }),
  RMSprop: (o) => optimizers.rmsprop({ ...common(o), rho: o.rho as Num, momentum: o.momentum as Num, epsilon: o.epsilon as Num, centered: bool(o, 'centered') }),
  /** TF.js `tf.train.rmsprop`: its `decay` is Keras's `rho`. */
  RMSProp: (o) => optimizers.rmsprop({ ...common(o), rho: o.decay as Num, momentum: o.momentum as Num, epsilon: o.epsilon as Num, centered: bool(o, 'centered') }),
  Adagrad: (o) => optimizers.adagrad({ ...common(o), initialAccumulatorValue: o.initialAccumulatorValue as Num, epsilon: o.epsilon as Num }),
  Ftrl: (o) => optimizers.ftrl({ ...common(o), learningRatePower: o.learningRatePower as Num, initialAccumulatorValue: o.initialAccumulatorValue as Num,
    l1RegularizationStrength: o.l1RegularizationStrength as Num, l2RegularizationStrength: o.l2RegularizationStrength as Num,
    l2ShrinkageRegularizationStrength: o.l2ShrinkageRegularizationStrength as Num, beta: o.beta as Num }),
};

/**
 * The optimizer of `optimizer_config`. tf.keras 2.11–2.15 writes its (then new) optimizers as
 * `Custom>Adam`, `Custom>SGD`, …: the same classes, registered under a prefix.
 */
function optimizerFromJson(v: unknown): Optimizer {
  if (typeof v === 'string') return optimizers.get(v);
  if (!isObject(v) || typeof v.class_name !== 'string') throw fail('`optimizer_config` is not { class_name, config }');
  const name = v.class_name.startsWith('Custom>') ? v.class_name.slice('Custom>'.length) : v.class_name;
  const make = Object.hasOwn(OPTIMIZERS, name) ? OPTIMIZERS[name]! : undefined;
  if (make === undefined) throw fail(`the optimizer '${name}' is not one of ${Object.keys(OPTIMIZERS).join(', ')}`);
  const o = optionsOf(isObject(v.config) ? v.config : {});
  if (name !== 'RMSProp' && typeof o.decay === 'number' && o.decay !== 0) throw fail('Keras 2 learning-rate `decay` is not supported');
  if (o.useEma === true) throw fail('`use_ema` is not supported');
  return make(o);
}

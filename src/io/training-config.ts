// The compile configuration in a file: `{ loss, metrics, optimizer_config: { class_name, config } }`,
// the shape of TF.js's `trainingConfig` and Keras's `training_config`. Read in both spellings
// (TF.js writes camelCase optimizer keys and `RMSProp` / `Momentum` class names).
import { KerasmError } from '../errors.js';
import * as losses from '../losses/index.js';
import { Loss } from '../losses/index.js';
import type { CompileArgs, Compiled } from '../model/compile.js';
import * as optimizers from '../optimizers/index.js';
import type { Optimizer } from '../optimizers/index.js';
import * as schedules from '../schedules/index.js';
import type { LearningRateSchedule } from '../schedules/index.js';
import { isObject } from './json.js';
import type { JsonObject } from './json.js';

const PASCAL: Record<string, string> = {
  categoricalCrossentropy: 'CategoricalCrossentropy', sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy', meanSquaredError: 'MeanSquaredError', meanAbsoluteError: 'MeanAbsoluteError', huber: 'Huber',
};

/** A compiled model's configuration, Keras keys. */
export function trainingConfigToJson(compiled: Compiled): JsonObject {
  const loss = compiled.loss;
  const defaults = !loss.fromLogits && loss.labelSmoothing === 0 && loss.delta === 1;
  return {
    loss: defaults ? loss.name : { class_name: PASCAL[loss.kind] ?? loss.kind, config: loss.getConfig() },
    metrics: compiled.metricIds.slice(),
    optimizer_config: { class_name: compiled.optimizer.className, config: compiled.optimizer.getConfig() },
  };
}

function fail(problem: string): KerasmError {
  return new KerasmError(`Cannot compile the loaded model from its training config: ${problem}`);
}

/** Compile arguments from a training config (kerasm's, TF.js's or Keras's). */
export function compileArgsFromJson(config: unknown): CompileArgs {
  if (!isObject(config)) throw fail('it is not an object');
  for (const key of ['loss_weights', 'weighted_metrics', 'sample_weight_mode']) {
    if (config[key] !== undefined && config[key] !== null) throw fail(`\`${key}\` is not supported`);
  }
  return { loss: lossFromJson(config.loss), metrics: metricsFromJson(config.metrics), optimizer: optimizerFromJson(config.optimizer_config) };
}

function lossFromJson(v: unknown): Loss {
  if (typeof v === 'string') return losses.get(v);
  if (isObject(v) && typeof v.class_name === 'string') {
    const base = losses.get(v.class_name);
    const c = isObject(v.config) ? v.config : {};
    return new Loss(base.kind, {
      fromLogits: (c.from_logits ?? undefined) as boolean | undefined,
      labelSmoothing: (c.label_smoothing ?? undefined) as number | undefined,
      delta: (c.delta ?? undefined) as number | undefined,
    });
  }
  throw fail(`the loss ${JSON.stringify(v)} is not a name or { class_name, config } (one output only)`);
}

function metricsFromJson(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : isObject(v) ? Object.values(v).flat() : [v];
  const out: string[] = [];
  for (const m of list) {
    if (typeof m === 'string') out.push(m);
    else if (isObject(m) && isObject(m.config) && typeof m.config.name === 'string') out.push(m.config.name);
    else throw fail(`the metric ${JSON.stringify(m)} is not a name`);
  }
  return out;
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

function optimizerFromJson(v: unknown): Optimizer {
  if (typeof v === 'string') return optimizers.get(v);
  if (!isObject(v) || typeof v.class_name !== 'string') throw fail('`optimizer_config` is not { class_name, config }');
  const make = Object.hasOwn(OPTIMIZERS, v.class_name) ? OPTIMIZERS[v.class_name]! : undefined;
  if (make === undefined) throw fail(`the optimizer '${v.class_name}' is not one of ${Object.keys(OPTIMIZERS).join(', ')}`);
  const o = optionsOf(isObject(v.config) ? v.config : {});
  if (v.class_name !== 'RMSProp' && typeof o.decay === 'number' && o.decay !== 0) throw fail('Keras 2 learning-rate `decay` is not supported');
  if (o.useEma === true) throw fail('`use_ema` is not supported');
  return make(o);
}

// compile(): the optimizer, and per output a loss, its weight and its metrics (Keras 3
// `CompileLoss` / `CompileMetrics`). One output is the common case and keeps its short form.
import { checkOptions, invalidArgument } from '../errors.js';
import * as losses from '../losses/index.js';
import type { Loss, LossIdentifier } from '../losses/index.js';
import * as metricsLib from '../metrics/index.js';
import type { Metric } from '../metrics/index.js';
import * as optimizers from '../optimizers/index.js';
import type { Optimizer, OptimizerIdentifier } from '../optimizers/index.js';
import type { Shape } from '../layers/layer.js';

/** Per output: a list in output order, or an object keyed by output name. */
export type PerOutput<T> = T | T[] | Record<string, T>;

/** Options of `model.compile(args)` (Keras `compile`): the optimizer, and per output a loss, its weight and metrics. */
export interface CompileArgs {
  /** An optimizer instance or name (`'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'`, `'adamw'`). */
  optimizer: OptimizerIdentifier;
  /**
   * A loss instance or name, either spelling (`'categoricalCrossentropy'`, `'mse'`…); for a model
   * with several outputs one per output (a list, or an object keyed by output name; `null` for an
   * output that is not trained), or one for all.
   */
  loss: LossIdentifier | (LossIdentifier | null)[] | Record<string, LossIdentifier | null>;
  /** Metric names: `'accuracy'` (resolved from the loss, as Keras), `'mse'`…; one list for every output, or per output. */
  metrics?: string[] | string[][] | Record<string, string[]>;
  /** Per output: the factor of its loss in the total (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
}

/** One output as compiled: its loss (null: not trained), loss weight and metrics. */
export interface Head {
  /** The output's name (its layer's name): the prefix of its history keys when there are several. */
  readonly name: string;
  readonly loss: Loss | null;
  readonly weight: number;
  readonly metricIds: string[];
  readonly metrics: Metric[];
}

export interface Compiled {
  optimizer: Optimizer;
  heads: Head[];
  /** The first output's loss (the model's loss when it has one output). */
  loss: Loss;
  /** The first output's metric names, as given. */
  metricIds: string[];
}

/** Pick output i's value from a per-output argument: a list, an object keyed by name, or one value for all. */
function perOutput<T>(arg: unknown, i: number, names: readonly string[], argName: string, isOne: (v: unknown) => boolean): T | undefined {
  if (arg === undefined) return undefined;
  // One output: also a one-element list or an object keyed by its name, as Keras takes them.
  if (names.length === 1 && Array.isArray(arg) && arg.length === 1 && !isOne(arg)) return arg[0] as T;
  if (names.length === 1 && arg !== null && typeof arg === 'object' && !Array.isArray(arg) && !isOne(arg) && Object.keys(arg).length === 1 && Object.hasOwn(arg, names[0]!)) {
    return (arg as Record<string, T>)[names[0]!];
  }
  if (names.length > 1 && Array.isArray(arg) && !isOne(arg)) {
    if (arg.length !== names.length) throw invalidArgument(argName, `a list of ${names.length} (one per output: ${names.join(', ')})`, arg);
    return arg[i] as T;
  }
  if (names.length > 1 && arg !== null && typeof arg === 'object' && !Array.isArray(arg) && !isOne(arg)) {
    const obj = arg as Record<string, T>;
    const unknown = Object.keys(obj).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw invalidArgument(argName, `keys among the output names ${names.join(', ')}`, unknown);
    return Object.hasOwn(obj, names[i]!) ? obj[names[i]!] : undefined;
  }
  return arg as T;
}

const isLoss = (v: unknown): boolean => typeof v === 'string' || (v !== null && typeof v === 'object' && 'compute' in v);
const isMetricList = (v: unknown): boolean => Array.isArray(v) && v.every((m) => typeof m === 'string');

/** Resolve compile's arguments against the model's outputs (names and per-sample shapes). */
export function resolveCompile(args: CompileArgs, names: readonly string[], shapes: readonly Shape[]): Compiled {
  checkOptions(args, ['optimizer', 'loss', 'metrics', 'lossWeights'], 'compile', false);
  if (args.loss === undefined) throw invalidArgument('loss', 'a loss name or instance', args.loss);
  if (args.optimizer === undefined) throw invalidArgument('optimizer', 'an optimizer name or instance', args.optimizer);
  if (args.metrics !== undefined && !Array.isArray(args.metrics) && (args.metrics === null || typeof args.metrics !== 'object')) {
    throw invalidArgument('metrics', 'an array of metric names', args.metrics);
  }
  const heads = names.map((name, i): Head => {
    const lossId = perOutput<LossIdentifier | null>(args.loss, i, names, 'loss', isLoss);
    const loss = lossId === undefined || lossId === null ? null : losses.get(lossId);
    const weight = perOutput<number>(args.lossWeights, i, names, 'lossWeights', (v) => typeof v === 'number') ?? 1;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw invalidArgument('lossWeights', 'non-negative finite numbers', args.lossWeights);
    const metricIds = perOutput<string[]>(args.metrics, i, names, 'metrics', isMetricList) ?? [];
    if (!Array.isArray(metricIds)) throw invalidArgument('metrics', 'an array of metric names', args.metrics);
    const shape = shapes[i]!;
    const units = shape[shape.length - 1]!;
    const metrics = loss === null ? [] : metricIds.map((id) => metricsLib.resolve(id, { sparseLabels: loss.sparse, outputUnits: units, binaryLoss: loss.kind === 'binaryCrossentropy' }));
    return { name, loss, weight, metricIds: metricIds.slice(), metrics };
  });
  const first = heads.find((h) => h.loss !== null);
  if (first === undefined) throw invalidArgument('loss', 'a loss for at least one output', args.loss);
  const optimizer = optimizers.get(args.optimizer);
  return { optimizer, heads, loss: first.loss!, metricIds: heads[0]!.metricIds };
}

/**
 * History and evaluate keys of an output's loss and metrics: plain (`loss`, `accuracy`) with one
 * output; `<output>_loss` and `<output>_<metric>` with several (Keras 3).
 */
export function headKeys(heads: readonly Head[]): { loss: string; metrics: string[] }[] {
  const several = heads.length > 1;
  return heads.map((h) => ({
    loss: several ? `${h.name}_loss` : 'loss',
    metrics: h.metrics.map((m) => (several ? `${h.name}_${m.name}` : m.name)),
  }));
}

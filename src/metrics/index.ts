// Metrics, accumulated over an epoch as counts or sums (Keras: keras/src/metrics/).
import type { KernelExports, Ptr } from '../backend/kernels.js';
import { invalidArgument } from '../errors.js';

export type MetricKind = 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'binaryAccuracy' | 'meanSquaredError' | 'meanAbsoluteError';

/** A metric as compiled into a model: the key it is logged under and how it is computed. */
export interface Metric {
  /** Key in logs and History, the name as given (`accuracy`, `acc`, `categoricalAccuracy`…). */
  readonly name: string;
  readonly kind: MetricKind;
}

const KINDS: Record<string, MetricKind> = {
  categoricalAccuracy: 'categoricalAccuracy', categorical_accuracy: 'categoricalAccuracy',
  sparseCategoricalAccuracy: 'sparseCategoricalAccuracy', sparse_categorical_accuracy: 'sparseCategoricalAccuracy',
  binaryAccuracy: 'binaryAccuracy', binary_accuracy: 'binaryAccuracy',
  meanSquaredError: 'meanSquaredError', mean_squared_error: 'meanSquaredError', mse: 'meanSquaredError',
  meanAbsoluteError: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError', mae: 'meanAbsoluteError',
};

/**
 * Resolve a metric name. `'accuracy'`/`'acc'` pick the accuracy that fits the loss and
 * output, as Keras does: binary for one output unit or binary cross-entropy, sparse
 * categorical for sparse labels, categorical otherwise.
 */
export function resolve(id: unknown, ctx: { sparseLabels: boolean; outputUnits: number; binaryLoss: boolean }): Metric {
  if (id === 'accuracy' || id === 'acc') {
    const kind: MetricKind = ctx.outputUnits === 1 || ctx.binaryLoss ? 'binaryAccuracy' : ctx.sparseLabels ? 'sparseCategoricalAccuracy' : 'categoricalAccuracy';
    return { name: id, kind };
  }
  if (typeof id === 'string' && Object.hasOwn(KINDS, id)) return { name: id, kind: KINDS[id]! };
  throw invalidArgument('metrics', `names among accuracy, acc, ${Object.keys(KINDS).join(', ')}`, id);
}

/** The metric's sum over a batch (count of correct, or Σ errors) and the count it divides by. */
export function batchSum(k: KernelExports, m: Metric, rows: number, cols: number, pred: Ptr, y: Ptr): number {
  switch (m.kind) {
    case 'categoricalAccuracy':
      return k.f32_count_argmax_match(rows, cols, pred, y);
    case 'sparseCategoricalAccuracy':
      return k.f32_count_sparse_match(rows, cols, pred, y);
    case 'binaryAccuracy':
      return k.f32_count_binary_match(rows * cols, pred, y, 0.5);
    case 'meanSquaredError':
      return k.f32_sum_sq_diff(rows * cols, pred, y);
    case 'meanAbsoluteError':
      return k.f32_sum_abs_diff(rows * cols, pred, y);
  }
}

/** What a batch's sum is divided by. */
export function batchCount(m: Metric, rows: number, cols: number): number {
  return m.kind === 'categoricalAccuracy' || m.kind === 'sparseCategoricalAccuracy' ? rows : rows * cols;
}

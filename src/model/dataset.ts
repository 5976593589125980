// fitDataset's batch source: one pass over an iterable of `{ xs, ys }` batches per epoch (data
// that does not fit in memory); the plan grows to the largest batch seen.
import type { Backend } from '../backend/loader.js';
import { checkOptionNames, checkPositiveInt, invalidArgument } from '../errors.js';
import { FIT_DATASET_OPTIONS } from './args.js';
import type { DatasetBatch, DatasetSource, FitDatasetArgs } from './args.js';
import { ArrayBatches, toArrays } from './batches.js';
import type { IOModel } from './batches.js';
import type { Compiled } from './compile.js';
import type { Executor, StepModel } from './step.js';

export type { DatasetBatch, DatasetSource, FitDatasetArgs } from './args.js';

type BatchIterator = Iterator<DatasetBatch> | AsyncIterator<DatasetBatch>;

export class DatasetBatches {
  readonly epochs: number;
  readonly steps = null;
  readonly hasSw = false;
  private readonly limit: number;
  private readonly source: DatasetSource;
  private readonly model: IOModel & StepModel;
  private readonly compiled: Compiled;
  private b: Backend | null = null;
  private exec: Executor | null = null;
  private it: BatchIterator | null = null;
  private step = 0;
  private batch: ArrayBatches | null = null;

  constructor(model: IOModel & StepModel, compiled: Compiled, source: DatasetSource, args: FitDatasetArgs) {
    if (args === null || typeof args !== 'object') throw invalidArgument('args', 'an options object', args);
    checkOptionNames(args, FIT_DATASET_OPTIONS, 'fitDataset');
    this.epochs = args.epochs === undefined ? 1 : checkPositiveInt('epochs', args.epochs);
    this.limit = args.batchesPerEpoch === undefined ? Infinity : checkPositiveInt('batchesPerEpoch', args.batchesPerEpoch);
    this.model = model;
    this.compiled = compiled;
    this.source = source;
  }

  attach(b: Backend, exec: Executor): void {
    this.b = b;
    this.exec = exec;
  }

  /** Open the source for one pass (a function source is called once per epoch). */
  begin(): void {
    void this.it?.return?.();
    const src = typeof this.source === 'function' ? this.source() : this.source;
    if (src === null || typeof src !== 'object' || (!(Symbol.asyncIterator in src) && !(Symbol.iterator in src))) {
      throw invalidArgument('source', 'an iterable or async iterable of { xs, ys } batches, or a function returning one', src);
    }
    this.it = Symbol.asyncIterator in src ? (src as AsyncIterable<DatasetBatch>)[Symbol.asyncIterator]() : (src as Iterable<DatasetBatch>)[Symbol.iterator]();
    this.step = 0;
  }

  /** The next batch, coerced and checked, the plan grown to hold it; its rows (0: the pass is over). */
  async pull(): Promise<number> {
    if (this.step >= this.limit) {
      void this.it!.return?.();
      this.it = null;
      return 0;
    }
    const next = await this.it!.next();
    if (next.done === true) {
      this.it = null;
      return 0;
    }
    const batch = next.value;
    if (batch === null || typeof batch !== 'object') throw invalidArgument(`batch ${this.step}`, 'an object { xs, ys }', batch);
    const data = toArrays(this.model, this.compiled.heads, batch.xs, batch.ys, ['xs', 'ys'], ` in batch ${this.step}`);
    const b = this.b!;
    const plan = this.exec!.plan(b, data.rows, true);
    this.exec!.buildOptimizer(b);
    this.batch = new ArrayBatches(b, plan, data, data.rows, false, ['xs', 'ys']);
    this.batch.pull();
    this.step++;
    return data.rows;
  }

  stage(): void {
    this.batch!.stage();
  }
}

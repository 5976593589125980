// The sums an epoch keeps over its batches (loss, each output's loss, metrics) and the logs made
// from them: `loss`, `<output>_loss` with several outputs, and the metrics under their keys.
import type { Logs } from '../callbacks/index.js';
import * as metricsLib from '../metrics/index.js';
import { shapeSize } from '../tensor.js';
import { headKeys } from './compile.js';
import type { Compiled } from './compile.js';
import { metricSlots } from './step.js';

/** Sums of the loss, each output's loss and the metrics over an epoch's batches, and their logs. */
export class Tally {
  readonly sums: Float64Array;
  seen = 0;
  private lossSum = 0;
  private readonly headSums: Float64Array;
  private readonly keys: { loss: string; metrics: string[] }[];
  private readonly compiled: Compiled;
  private readonly cols: number[];

  constructor(compiled: Compiled, outputShapes: readonly number[][]) {
    this.compiled = compiled;
    this.sums = new Float64Array(metricSlots(compiled));
    this.headSums = new Float64Array(compiled.heads.length);
    this.keys = headKeys(compiled.heads);
    this.cols = outputShapes.map(shapeSize);
  }

  reset(): void {
    this.sums.fill(0);
    this.headSums.fill(0);
    this.lossSum = 0;
    this.seen = 0;
  }

  add(loss: number, rows: number, headLoss: readonly number[]): void {
    this.lossSum += loss * rows;
    this.seen += rows;
    for (let h = 0; h < this.headSums.length; h++) this.headSums[h]! += headLoss[h]! * rows;
  }

  /** `loss` (plus `extra`, the weight penalty of evaluate), per-output losses when several, metrics. */
  logs(extra?: number): Logs {
    const seen = Math.max(this.seen, 1);
    const logs: Logs = { loss: extra === undefined ? this.lossSum / seen : this.lossSum / this.seen + extra };
    const heads = this.compiled.heads;
    if (heads.length > 1) heads.forEach((h, i) => (logs[this.keys[i]!.loss] = h.loss === null ? 0 : this.headSums[i]! / seen));
    let slot = 0;
    heads.forEach((h, i) => h.metrics.forEach((m, j) => {
      logs[this.keys[i]!.metrics[j]!] = this.sums[slot++]! / (metricsLib.batchCount(m, this.seen, this.cols[i]!) || 1);
    }));
    return logs;
  }

  running(): [string, number][] {
    return Object.entries(this.logs());
  }
}

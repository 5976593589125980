// The micro-batcher of the serving example (examples/serve.mjs): requests wait in a bounded queue
// of rows; one predict call takes up to `maxBatch` of them from the head (a large request is split
// over several calls, small ones share a call), and the event loop gets a turn between calls, so
// no single request holds it for more than one call.
// When a call runs, TF Serving's rule: at once if `maxBatch` rows wait, else when the oldest row
// has waited `batchTimeoutMs`. With 0 (the default) a call starts at the next turn of the event
// loop and takes every row that arrived meanwhile: requests batch exactly when they pile up behind
// a running call (when batching pays) and a lone request waits for nothing.

/** Thrown by submit when the rows would overflow the queue: the server answers 503. */
export class QueueFull extends Error {}

export class MicroBatcher {
  /**
   * @param {object} o
   * @param {(x: Float32Array, rows: number) => Float32Array} o.predict rows → outputs, row after row
   * @param {number} o.inputSize numbers per input row
   * @param {number} o.outputSize numbers per output row
   * @param {number} o.maxBatch rows per predict call (the longest synchronous slice)
   * @param {number} o.maxQueue rows waiting at most; more is refused with QueueFull
   * @param {number} [o.batchTimeoutMs] the longest a row waits for a fuller call (default 0)
   */
  constructor({ predict, inputSize, outputSize, maxBatch, maxQueue, batchTimeoutMs = 0 }) {
    this.predict = predict;
    this.inputSize = inputSize;
    this.outputSize = outputSize;
    this.maxBatch = maxBatch;
    this.maxQueue = maxQueue;
    this.batchTimeoutMs = batchTimeoutMs;
    this.staging = new Float32Array(maxBatch * inputSize);
    this.queue = [];
    this.head = 0;
    this.queuedRows = 0;
    this.immediate = null;
    this.timeout = null;
    this.resetStats();
  }

  resetStats() {
    this.stats = { calls: 0, rows: 0, requests: 0, rejected: 0, maxQueuedRows: this.queuedRows, predictMs: 0, maxCallMs: 0 };
  }

  /** Queue `rows` rows of `x`; resolves to their outputs. Throws QueueFull at once when they do not fit. */
  submit(x, rows) {
    if (this.queuedRows + rows > this.maxQueue) {
      this.stats.rejected++;
      throw new QueueFull(`the queue is full (${this.queuedRows} of ${this.maxQueue} rows waiting); retry later`);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ x, rows, done: 0, taken: 0, y: new Float32Array(rows * this.outputSize), t: performance.now(), resolve, reject });
      this.queuedRows += rows;
      this.stats.requests++;
      this.stats.maxQueuedRows = Math.max(this.stats.maxQueuedRows, this.queuedRows);
      this.schedule();
    });
  }

  schedule() {
    if (this.immediate !== null || this.queuedRows === 0) return;
    const oldest = this.queue[this.head];
    // A full batch, or the rest of a request already split over calls, goes at once.
    const wait = this.queuedRows >= this.maxBatch || oldest.taken > 0 ? 0 : this.batchTimeoutMs - (performance.now() - oldest.t);
    if (wait > 0) {
      this.timeout ??= setTimeout(() => this.fire(), wait);
      return;
    }
    if (this.timeout !== null) clearTimeout(this.timeout);
    this.timeout = null;
    this.immediate = setImmediate(() => this.fire());
  }

  fire() {
    this.immediate = null;
    this.timeout = null;
    this.runCall();
    this.schedule();
  }

  /** One predict call on up to maxBatch rows from the head of the queue. */
  runCall() {
    const parts = [];
    let n = 0;
    for (let i = this.head; i < this.queue.length && n < this.maxBatch; i++) {
      const job = this.queue[i];
      const take = Math.min(job.rows - job.taken, this.maxBatch - n);
      parts.push({ job, from: job.taken, rows: take, at: n });
      job.taken += take;
      n += take;
    }
    if (n === 0) return;
    const is = this.inputSize;
    const only = parts.length === 1 ? parts[0] : null;
    let x;
    if (only !== null) {
      x = only.job.x.subarray(only.from * is, (only.from + only.rows) * is);
    } else {
      for (const p of parts) this.staging.set(p.job.x.subarray(p.from * is, (p.from + p.rows) * is), p.at * is);
      x = this.staging.subarray(0, n * is);
    }
    this.queuedRows -= n;
    const t0 = performance.now();
    let y = null;
    let error = null;
    try {
      y = this.predict(x, n);
    } catch (e) {
      error = e;
    }
    const ms = performance.now() - t0;
    const s = this.stats;
    s.calls++;
    s.rows += n;
    s.predictMs += ms;
    s.maxCallMs = Math.max(s.maxCallMs, ms);
    const os = this.outputSize;
    for (const p of parts) {
      const job = p.job;
      if (job.y === null) continue; // an earlier part of this job failed
      if (error !== null) {
        job.y = null;
        job.reject(error);
        continue;
      }
      job.y.set(y.subarray(p.at * os, (p.at + p.rows) * os), p.from * os);
      job.done += p.rows;
      if (job.done === job.rows) job.resolve(job.y);
    }
    while (this.head < this.queue.length && this.queue[this.head].taken === this.queue[this.head].rows) this.head++;
    if (this.head > 1024 || this.head === this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}

// The worker pool: cores − 1 workers plus the main thread, GEMMs split by rows or columns in
// multiples of the tile, elementwise kernels (the kernel table's `split`) by ranges. Each element
// of C is computed by one thread in the same order as on one thread, so results are bit-identical whatever the thread count. Small GEMMs stay on the calling thread
// (a wake-up costs microseconds). Platform-neutral: spawn.ts starts the workers (Node's
// worker_threads, unref'd so they never keep a process alive; web Workers on cross-origin isolated
// pages), which all run worker-loop.js. A thread that cannot block (a browser's main thread) waits
// for its workers by spinning, with a deadline.
import { KerasmError, invalidArgument } from '../errors.js';
import type { KernelSpec } from './kernel-spec.js';
import { parseSignature } from './kernel-spec.js';
import type { KernelExports } from './kernels.js';
import { KERNELS, KERNEL_NAMES } from './kernels.js';
import type { Arena, Region } from './memory.js';
import { startWorker } from './spawn.js';
import type { ControlLayout, PoolWorker } from './spawn.js';
import { TILE6_MIN_ROWS } from './tiles.js';
import type { GemmTile } from './tiles.js';

/** GEMMs below this many flops run on one thread. */
const MIN_SPLIT_FLOPS = 1 << 22;
const MR = 4;
const NR = 8;
/** Elementwise updates below this many elements run on one thread. */
const MIN_SPLIT_ELEMENTS = 1 << 16;

/** What a worker can run: GEMMs split by rows or columns, and the kernels the table splits by range. */
const GEMMS = ['f32_gemm_nn_minmax', 'f32_gemm_tn_minmax', 'f32_gemm_nt_minmax'] as const;
const GEMMS_6X8 = ['f32_gemm_nn_minmax_6x8', 'f32_gemm_tn_minmax_6x8', 'f32_gemm_nt_minmax_6x8'] as const;

/**
 * A kernel whose element i depends only on element i of each buffer (or on i itself, through
 * `index`), from the kernel table's `split`: split by ranges that are multiples of 4, so every
 * element keeps its place in the vector body or the global tail.
 */
interface ElementwiseJob {
  readonly name: string;
  /** Argument positions of the pointers each range offsets (0 stays 0: an absent buffer). */
  readonly ptrs: readonly number[];
  /** Argument position of the index of element 0 (0: none; position 0 is always the count). */
  readonly indexArg: number;
  /** Fewer elements stay on the calling thread. */
  readonly minSplit: number;
}

function elementwiseJobs(): ElementwiseJob[] {
  const jobs: ElementwiseJob[] = [];
  for (const name of KERNEL_NAMES) {
    const spec: KernelSpec = KERNELS[name];
    if (typeof spec === 'string' || spec.split === undefined) continue;
    const { shared = [], index, minElements = MIN_SPLIT_ELEMENTS } = spec.split;
    const { args, pointers } = parseSignature(spec);
    const ptrs = pointers.filter((p) => !shared.includes(args[p]!));
    jobs.push({ name, ptrs, indexArg: index === undefined ? 0 : args.indexOf(index), minSplit: minElements });
  }
  return jobs;
}

const ELEMENTWISE = elementwiseJobs();
const NAMES: readonly string[] = [...GEMMS, ...GEMMS_6X8, ...ELEMENTWISE.map((j) => j.name)];

type GemmFn = KernelExports['f32_gemm_nn_minmax'];

/** Workers a pool can have (the calling thread makes one more): the control block's size. */
export const MAX_WORKERS = 63;
/**
 * The shared control block, per worker: 8 Int32 slots (posted job sequence, finished sequence, job
 * kind, error flag, error text length), 16 Float64 job arguments, and 256 UTF-16 code units of
 * error text, which reach the calling thread without a message (it may be unable to receive one).
 */
const LAYOUT: ControlLayout = { slots: 8, argsOffset: 2048, args: 16, textOffset: 2048 + MAX_WORKERS * 128, textChars: 256 };
const CONTROL_BYTES = LAYOUT.textOffset + MAX_WORKERS * LAYOUT.textChars * 2;
/** Job sequence numbers restart from 1 past this, well before Int32 overflow (negative: stop). */
const REWIND_AT = 1 << 30;
/** A worker that has not finished its block this long after the calling thread finished its own has failed. */
const STALL_MS = 10_000;

/** Whether this thread may block in Atomics.wait: false on a browser's main thread, where it throws. */
export function threadCanBlock(): boolean {
  try {
    // The value differs from 1, so where waiting is allowed this returns 'not-equal' at once.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class ThreadPool {
  private readonly module: WebAssembly.Module;
  private readonly memory: WebAssembly.Memory;
  private readonly arena: Arena;
  private readonly control = new SharedArrayBuffer(CONTROL_BYTES);
  private readonly i32 = new Int32Array(this.control);
  private readonly f64 = new Float64Array(this.control, LAYOUT.argsOffset);
  private readonly text = new Uint16Array(this.control, LAYOUT.textOffset);
  private workers: PoolWorker[] = [];
  private workspaces: Region[] = [];
  private wsBytes = 0;
  /**
   * The last job number posted to each worker. Numbers are per worker, so the next one always
   * differs from the one that worker last finished (the value its loop compares against): no
   * rewind of shared slots while a worker may still be reading them (an ABA race that lost a
   * wake-up when setThreads reset a shared counter).
   */
  private readonly jobs = new Int32Array(MAX_WORKERS);
  /** Set when a worker died or stalled: the pool fails fast until setThreads replaces its workers. */
  private error: string | null = null;
  /** When the calling thread posted the current job (the stall deadline counts from its own share). */
  private postedAt = 0;
  /** Kernel exports with GEMMs that split across the pool. */
  readonly k: KernelExports;
  /**
   * Whether the calling thread waits for workers in Atomics.wait (detected: false on a browser's
   * main thread, which then spins on Atomics.load). Results are the same either way.
   */
  canBlock = threadCanBlock();
  /** How long a worker may lag the calling thread's own share before join gives up on it. */
  stallMs = STALL_MS;

  private readonly tile6: boolean;

  /**
   * Work for the calling thread that does not touch wasm buffers a GEMM reads or writes (the
   * training loop stages the next batch, a JS copy workers cannot do). The next GEMM that splits
   * runs it while the workers compute, giving them a larger share so that both finish together;
   * `runSideJob` runs it if no GEMM took it. Where C's rows or columns go never changes a result.
   */
  sideJob: (() => void) | null = null;
  /** Running estimates for the uneven split: the side job's time (ms) and the GEMM rate (flops per ms). */
  private sideMs = 0;
  private flopsPerMs = 3e7;

  /** Run the pending side job, if no GEMM has. */
  runSideJob(): void {
    const side = this.sideJob;
    if (side === null) return;
    this.sideJob = null;
    side();
  }

  /** `raw`: the exports as the calling thread uses them (GEMMs already routed to the chosen tile). */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, raw: KernelExports, arena: Arena, tile: GemmTile = '4x8') {
    this.tile6 = tile === '6x8';
    this.module = module;
    this.memory = memory;
    this.arena = arena;
    const k = Object.create(raw) as KernelExports & Record<string, unknown>;
    k.f32_gemm_nn_minmax = this.split(0, raw.f32_gemm_nn_minmax);
    k.f32_gemm_tn_minmax = this.split(1, raw.f32_gemm_tn_minmax);
    k.f32_gemm_nt_minmax = this.split(2, raw.f32_gemm_nt_minmax);
    for (const { name, ptrs, minSplit, indexArg } of ELEMENTWISE) {
      k[name] = this.splitElementwise(NAMES.indexOf(name), (raw as unknown as Record<string, (...a: number[]) => void>)[name]!, ptrs,
        minSplit, indexArg);
    }
    this.k = k;
  }

  /** Threads in use, the calling thread included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Start or stop workers so that `n` threads (the calling one included) share GEMMs. Resolves once
   * every new worker has instantiated the build (web Workers start asynchronously); if one fails
   * to start, the new ones are stopped and it rejects.
   */
  async setThreads(n: number): Promise<void> {
    if (n - 1 > MAX_WORKERS) throw invalidArgument('n', `a positive integer of at most ${MAX_WORKERS + 1}`, n);
    // A failed pool (a worker died or stalled) replaces all its workers.
    const keep = this.error === null ? n - 1 : 0;
    while (this.workers.length > keep) {
      const w = this.workers.pop()!;
      const base = this.workers.length * LAYOUT.slots;
      Atomics.store(this.i32, base, -1);
      Atomics.notify(this.i32, base);
      await w.terminate();
    }
    if (this.workers.length === 0) this.error = null;
    if (this.workers.length < n - 1) {
      const starting: Promise<PoolWorker>[] = [];
      for (let index = this.workers.length; index < n - 1; index++) {
        const base = index * LAYOUT.slots;
        for (let j = 0; j < LAYOUT.slots; j++) Atomics.store(this.i32, base + j, 0);
        this.jobs[index] = 0;
        starting.push(startWorker({ module: this.module, memory: this.memory, control: this.control, index, names: NAMES, layout: LAYOUT },
          (message) => {
            this.error ??= `worker ${index + 1}: ${message}`;
          }));
      }
      const started = await Promise.allSettled(starting);
      const failed = started.find((r) => r.status === 'rejected');
      if (failed !== undefined) {
        for (const r of started) if (r.status === 'fulfilled') await r.value.terminate();
        throw failed.reason;
      }
      for (const r of started) if (r.status === 'fulfilled') this.workers.push(r.value);
    }
    this.reserve(this.wsBytes);
  }

  /** Make sure every worker has a GEMM workspace of at least `bytes` (called while planning). */
  reserve(bytes: number): void {
    if (bytes > this.wsBytes) {
      for (const r of this.workspaces) this.arena.release(r);
      this.workspaces = [];
      this.wsBytes = bytes;
    }
    while (this.workspaces.length < this.workers.length) this.workspaces.push(this.arena.alloc(Math.max(16, this.wsBytes)));
    while (this.workspaces.length > this.workers.length) this.arena.release(this.workspaces.pop()!);
  }

  private split(kind: number, fn: GemmFn): GemmFn {
    return (m, n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws) => {
      const t = this.workers.length + 1;
      if (t === 1 || 2 * m * n * k < MIN_SPLIT_FLOPS || this.workspaces.length < this.workers.length || (m < 2 * MR && n < 2 * NR)) {
        fn(m, n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
        return;
      }
      // Split the longer side of C, so the duplicated packing (B for a row split, A for a
      // column split) is the smaller one; blocks are multiples of the tile and the calling
      // thread takes the first.
      const byCols = n > m && n >= 2 * NR;
      const unit = byCols ? NR : MR;
      const total = byCols ? n : m;
      const side = this.sideJob;
      this.sideJob = null;
      // The calling thread's share [0, own); workers take `chunk` each after it.
      let own = Math.min(Math.ceil(total / t / unit) * unit, total);
      let chunk = own;
      if (side !== null) {
        // Balance own·c + side = (total − own)·c / (t − 1), c the time of one row (or column).
        const c = (2 * k * (byCols ? m : n)) / this.flopsPerMs;
        own = Math.floor(Math.max(0, (total * c - this.sideMs * (t - 1)) / (c * t)) / unit) * unit;
        chunk = Math.ceil((total - own) / (t - 1) / unit) * unit;
      }
      const f = this.f64;
      let posted = 0;
      for (let w = 0; w < this.workers.length; w++) {
        const s0 = own + chunk * w;
        if (s0 >= total) break;
        const size = Math.min(chunk, total - s0);
        const o = w * 16;
        if (byCols) {
          f[o] = m; f[o + 1] = size; f[o + 3] = a;
          f[o + 5] = kind === 2 ? b + s0 * ldb * 4 : b + s0 * 4;
          f[o + 7] = bias === 0 ? 0 : bias + s0 * 4;
          f[o + 9] = c + s0 * 4;
        } else {
          f[o] = size; f[o + 1] = n; f[o + 3] = kind === 1 ? a + s0 * 4 : a + s0 * lda * 4;
          f[o + 5] = b;
          f[o + 7] = bias;
          f[o + 9] = c + s0 * ldc * 4;
        }
        f[o + 2] = k; f[o + 4] = lda; f[o + 6] = ldb; f[o + 8] = beta; f[o + 10] = ldc; f[o + 11] = min; f[o + 12] = max;
        f[o + 13] = this.workspaces[w]!.ptr;
        // The worker runs the tile the calling thread would pick for this block (kinds 3–5: 6×8).
        this.post(w, this.tile6 && f[o]! >= TILE6_MIN_ROWS ? kind + 3 : kind);
        posted++;
      }
      if (side === null) {
        if (byCols) fn(m, own, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
        else fn(own, n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
        this.join(posted);
        return;
      }
      try {
        const t0 = performance.now();
        side();
        const t1 = performance.now();
        this.sideMs = this.sideMs === 0 ? t1 - t0 : 0.8 * this.sideMs + 0.2 * (t1 - t0);
        if (own > 0) {
          if (byCols) fn(m, own, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
          else fn(own, n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
          const ms = performance.now() - t1;
          if (ms > 0.02) this.flopsPerMs = 0.8 * this.flopsPerMs + 0.2 * ((2 * k * (byCols ? m * own : own * n)) / ms);
        }
      } finally {
        this.join(posted);
      }
    };
  }

  /**
   * Split an elementwise update `fn(n, ...pointers, ...scalars)` (at most 14 arguments) into
   * ranges, one per thread. Fixed parameters rather than rest arguments: no allocation per call.
   */
  private splitElementwise(kind: number, fn: (...args: number[]) => void, ptrs: readonly number[], minSplit: number,
    indexArg: number): (...args: number[]) => void {
    const f = this.f64;
    return (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number,
      a9: number, a10: number, a11: number, a12: number, a13: number) => {
      const t = this.workers.length + 1;
      if (t === 1 || a0 < minSplit) {
        fn(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
        return;
      }
      const chunk = Math.ceil(a0 / t / 4) * 4;
      let posted = 0;
      for (let w = 0; w < this.workers.length; w++) {
        const s0 = chunk * (w + 1);
        if (s0 >= a0) break;
        const o = w * 16;
        f[o] = Math.min(chunk, a0 - s0); f[o + 1] = a1; f[o + 2] = a2; f[o + 3] = a3; f[o + 4] = a4; f[o + 5] = a5; f[o + 6] = a6;
        f[o + 7] = a7; f[o + 8] = a8; f[o + 9] = a9; f[o + 10] = a10; f[o + 11] = a11; f[o + 12] = a12; f[o + 13] = a13;
        for (let j = 0; j < ptrs.length; j++) {
          const p = ptrs[j]!;
          if (f[o + p] !== 0) f[o + p] = f[o + p]! + s0 * 4;
        }
        if (indexArg !== 0) f[o + indexArg] = f[o + indexArg]! + s0;
        this.post(w, kind);
        posted++;
      }
      fn(Math.min(chunk, a0), a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
      this.join(posted);
    };
  }

  private post(w: number, kind: number): void {
    if (w === 0) this.postedAt = performance.now();
    const base = w * 8;
    const seq = this.jobs[w]! >= REWIND_AT ? 1 : this.jobs[w]! + 1;
    this.jobs[w] = seq;
    this.i32[base + 2] = kind;
    Atomics.store(this.i32, base, seq);
    Atomics.notify(this.i32, base);
  }

  /** Wait for the first `posted` workers to finish their jobs; a worker's failure becomes an Error. */
  private join(posted: number): void {
    for (let w = 0; w < posted; w++) {
      const base = w * 8;
      const seq = this.jobs[w]!;
      for (let i = 0; i < 20000 && Atomics.load(this.i32, base + 1) !== seq; i++);
      if (Atomics.load(this.i32, base + 1) !== seq) this.wait(w, seq);
      if (this.i32[base + 3] !== 0) {
        const length = Math.min(this.i32[base + 4]!, LAYOUT.textChars);
        const from = w * LAYOUT.textChars;
        let message = '';
        for (let i = 0; i < length; i++) message += String.fromCharCode(this.text[from + i]!);
        throw new KerasmError(`kerasm worker ${w + 1} failed: ${message || 'unknown error'}`);
      }
    }
  }

  /**
   * The slow path of join: sleep in Atomics.wait where this thread may block, else spin on
   * Atomics.load (jobs are bounded: a share of one GEMM or update). A worker that lags the calling
   * thread's own share by more than `stallMs` is taken for dead, so a page cannot hang for ever.
   */
  private wait(w: number, seq: number): void {
    const base = w * 8;
    const now = performance.now();
    const deadline = now + this.stallMs + (now - this.postedAt);
    for (let i = 1; Atomics.load(this.i32, base + 1) !== seq; i++) {
      if (this.error !== null) throw new KerasmError(`A kerasm worker failed: ${this.error}`);
      if (this.canBlock) Atomics.wait(this.i32, base + 1, Atomics.load(this.i32, base + 1), 100);
      else if ((i & 0xffff) !== 0) continue;
      if (performance.now() > deadline && Atomics.load(this.i32, base + 1) !== seq) {
        this.error = `worker ${w + 1} of ${this.workers.length} made no progress for ${((performance.now() - now) / 1000).toFixed(1)} s ` +
          'after the calling thread finished its share (it died or is starved); setThreads restarts the pool';
        throw new KerasmError(`A kerasm worker failed: ${this.error}`);
      }
    }
  }

  async shutdown(): Promise<void> {
    await this.setThreads(1);
  }
}

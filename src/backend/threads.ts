// The worker pool: cores − 1 workers plus the main thread, GEMMs split by rows or columns in
// multiples of the tile, elementwise optimizer updates split by ranges. Each element of C is computed by one thread in the same order as on one thread,
// so results are bit-identical whatever the thread count. Small GEMMs stay on the calling thread
// (a wake-up costs microseconds). Workers are unref'd: they never keep a process alive.
import { KerasmError } from '../errors.js';
import type { KernelExports } from './kernels.js';
import type { Arena, Region } from './memory.js';
import { TILE6_MIN_ROWS } from './tiles.js';
import type { GemmTile } from './tiles.js';

/** GEMMs below this many flops run on one thread. */
const MIN_SPLIT_FLOPS = 1 << 22;
const MR = 4;
const NR = 8;
/** Elementwise updates below this many elements run on one thread. */
const MIN_SPLIT_ELEMENTS = 1 << 16;

/** What a worker can run: GEMMs split by rows, elementwise optimizer updates split by range. */
const GEMMS = ['f32_gemm_nn_minmax', 'f32_gemm_tn_minmax', 'f32_gemm_nt_minmax'] as const;
/**
 * Kernels whose element i depends only on element i of each buffer: split by ranges that are
 * multiples of 4, so every element keeps its place in the vector body or the global tail. The numbers
 * are the argument positions holding pointers (0 stays 0: an absent buffer).
 */
const ELEMENTWISE: Record<string, readonly number[]> = {
  f32_sgd: [1, 2],
  f32_sgd_momentum: [1, 2, 3],
  f32_adam: [1, 2, 3, 4, 5],
  f32_rmsprop: [1, 2, 3, 4, 5],
  f32_adagrad: [1, 2, 3],
  // The backward pass's elementwise steps on large layers (dropout, ReLU, L1/L2 gradients).
  f32_vmul: [1, 2, 3],
  f32_vcopy: [1, 2],
  f32_vrelu_grad: [1, 2, 3, 4],
  f32_l1l2_grad: [1, 2],
};
const GEMMS_6X8 = ['f32_gemm_nn_minmax_6x8', 'f32_gemm_tn_minmax_6x8', 'f32_gemm_nt_minmax_6x8'] as const;
const NAMES: readonly string[] = [...GEMMS, ...GEMMS_6X8, ...Object.keys(ELEMENTWISE)];

type GemmFn = KernelExports['f32_gemm_nn_minmax'];
interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: string, fn: (arg: unknown) => void): void;
}

export class ThreadPool {
  private readonly module: WebAssembly.Module;
  private readonly memory: WebAssembly.Memory;
  private readonly arena: Arena;
  private readonly control = new SharedArrayBuffer(4096);
  private readonly i32 = new Int32Array(this.control);
  private readonly f64 = new Float64Array(this.control, 1024);
  private workers: NodeWorker[] = [];
  private workspaces: Region[] = [];
  private wsBytes = 0;
  private seq = 0;
  private error: string | null = null;
  /** Kernel exports with GEMMs that split across the pool. */
  readonly k: KernelExports;

  private readonly tile6: boolean;

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
    for (const [name, ptrs] of Object.entries(ELEMENTWISE)) {
      k[name] = this.splitElementwise(NAMES.indexOf(name), (raw as unknown as Record<string, (...a: number[]) => void>)[name]!, ptrs);
    }
    this.k = k;
  }

  /** Threads in use, the calling thread included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Start or stop workers so that `n` threads (the calling one included) share GEMMs. */
  async setThreads(n: number): Promise<void> {
    while (this.workers.length > n - 1) {
      const w = this.workers.pop()!;
      const base = this.workers.length * 8;
      Atomics.store(this.i32, base, -1);
      Atomics.notify(this.i32, base);
      await w.terminate();
    }
    if (this.workers.length < n - 1) {
      const { Worker } = await import('node:worker_threads');
      while (this.workers.length < n - 1) {
        const index = this.workers.length;
        const base = index * 8;
        Atomics.store(this.i32, base, 0);
        Atomics.store(this.i32, base + 1, 0);
        const w = new Worker(new URL('./worker.js', import.meta.url), {
          workerData: { module: this.module, memory: this.memory, control: this.control, index, names: NAMES },
        }) as unknown as NodeWorker;
        w.on('message', (m) => {
          this.error = (m as { error?: string }).error ?? this.error;
        });
        w.on('error', (e) => {
          this.error = String(e);
        });
        w.unref();
        this.workers.push(w);
      }
    }
    this.seq = 0;
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
      const chunk = byCols ? Math.ceil(n / t / NR) * NR : Math.ceil(m / t / MR) * MR;
      const total = byCols ? n : m;
      const seq = ++this.seq;
      const f = this.f64;
      let posted = 0;
      for (let w = 0; w < this.workers.length; w++) {
        const s0 = chunk * (w + 1);
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
        this.post(w, this.tile6 && f[o]! >= TILE6_MIN_ROWS ? kind + 3 : kind, seq);
        posted++;
      }
      if (byCols) fn(m, Math.min(chunk, n), k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
      else fn(Math.min(chunk, m), n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
      this.join(posted, seq);
    };
  }

  /**
   * Split an elementwise update `fn(n, ...pointers, ...scalars)` (at most 14 arguments) into
   * ranges, one per thread. Fixed parameters rather than rest arguments: no allocation per call.
   */
  private splitElementwise(kind: number, fn: (...args: number[]) => void, ptrs: readonly number[]): (...args: number[]) => void {
    const f = this.f64;
    return (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number,
      a9: number, a10: number, a11: number, a12: number, a13: number) => {
      const t = this.workers.length + 1;
      if (t === 1 || a0 < MIN_SPLIT_ELEMENTS) {
        fn(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
        return;
      }
      const chunk = Math.ceil(a0 / t / 4) * 4;
      const seq = ++this.seq;
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
        this.post(w, kind, seq);
        posted++;
      }
      fn(Math.min(chunk, a0), a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13);
      this.join(posted, seq);
    };
  }

  private post(w: number, kind: number, seq: number): void {
    const base = w * 8;
    this.i32[base + 2] = kind;
    Atomics.store(this.i32, base, seq);
    Atomics.notify(this.i32, base);
  }

  /** Wait for the first `posted` workers to finish job `seq`; a worker's failure becomes an Error. */
  private join(posted: number, seq: number): void {
    for (let w = 0; w < posted; w++) {
      const base = w * 8;
      for (let i = 0; i < 20000 && Atomics.load(this.i32, base + 1) !== seq; i++);
      while (Atomics.load(this.i32, base + 1) !== seq) {
        if (this.error !== null) throw new KerasmError(`A kerasm worker failed: ${this.error}`);
        Atomics.wait(this.i32, base + 1, Atomics.load(this.i32, base + 1), 100);
      }
      if (this.i32[base + 3] !== 0) throw new KerasmError(`A kerasm worker failed: ${this.error ?? 'unknown error'}`);
    }
  }

  async shutdown(): Promise<void> {
    await this.setThreads(1);
  }
}

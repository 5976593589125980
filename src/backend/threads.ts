// The worker pool: cores − 1 workers plus the main thread, GEMMs split by rows in multiples of
// the 4-row tile. Each element of C is computed by one thread in the same order as on one thread,
// so results are bit-identical whatever the thread count. Small GEMMs stay on the calling thread
// (a wake-up costs microseconds). Workers are unref'd: they never keep a process alive.
import { KerasmError } from '../errors.js';
import type { KernelExports, Ptr } from './kernels.js';
import type { Arena, Region } from './memory.js';

/** GEMMs below this many flops run on one thread. */
const MIN_SPLIT_FLOPS = 1 << 20;
const MR = 4;

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

  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, raw: KernelExports, arena: Arena) {
    this.module = module;
    this.memory = memory;
    this.arena = arena;
    const k = Object.create(raw) as KernelExports;
    k.f32_gemm_nn_minmax = this.split(1, raw.f32_gemm_nn_minmax);
    k.f32_gemm_tn_minmax = this.split(2, raw.f32_gemm_tn_minmax);
    k.f32_gemm_nt_minmax = this.split(3, raw.f32_gemm_nt_minmax);
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
          workerData: { module: this.module, memory: this.memory, control: this.control, index },
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
      if (t === 1 || 2 * m * n * k < MIN_SPLIT_FLOPS || m < 2 * MR || this.workspaces.length < this.workers.length) {
        fn(m, n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
        return;
      }
      // Rows per thread, a multiple of the tile; the calling thread takes the first block.
      const chunk = Math.ceil(m / t / MR) * MR;
      const seq = ++this.seq;
      let posted = 0;
      for (let w = 0; w < this.workers.length; w++) {
        const m0 = chunk * (w + 1);
        if (m0 >= m) break;
        const rows = Math.min(chunk, m - m0);
        const aOff: Ptr = kind === 2 ? a + m0 * 4 : a + m0 * lda * 4;
        const o = w * 16;
        const f = this.f64;
        f[o] = rows; f[o + 1] = n; f[o + 2] = k; f[o + 3] = aOff; f[o + 4] = lda; f[o + 5] = b; f[o + 6] = ldb;
        f[o + 7] = bias; f[o + 8] = beta; f[o + 9] = c + m0 * ldc * 4; f[o + 10] = ldc; f[o + 11] = min; f[o + 12] = max;
        f[o + 13] = this.workspaces[w]!.ptr;
        const base = w * 8;
        this.i32[base + 2] = kind;
        Atomics.store(this.i32, base, seq);
        Atomics.notify(this.i32, base);
        posted++;
      }
      fn(Math.min(chunk, m), n, k, a, lda, b, ldb, bias, beta, c, ldc, min, max, ws);
      for (let w = 0; w < posted; w++) {
        const base = w * 8;
        while (Atomics.load(this.i32, base + 1) !== seq) {
          if (this.error !== null) throw new KerasmError(`A kerasm worker failed: ${this.error}`);
          Atomics.wait(this.i32, base + 1, Atomics.load(this.i32, base + 1), 100);
        }
        if (this.i32[base + 3] !== 0) {
          throw new KerasmError(`A kerasm worker failed in a GEMM: ${this.error ?? 'unknown error'}`);
        }
      }
    };
  }

  async shutdown(): Promise<void> {
    await this.setThreads(1);
  }
}

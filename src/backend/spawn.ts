// Starting the workers of the `threads` build: Node's worker_threads under Node, web Workers
// elsewhere (a cross-origin isolated page or worker, loading dist/ itself through an import map).
// The only Node-only import of the pool is here, loaded on first use and behind a Node check.
// Browser and Worker bundles get spawn.web.ts instead (package.json "browser" field), so bundlers
// never meet node:worker_threads.
import { handshake, startWebWorker } from './web-worker.js';

/** Where a worker's slots sit in the control block (src/backend/threads.ts lays it out). */
export interface ControlLayout {
  /** Int32 slots per worker: posted sequence, finished sequence, job kind, error flag, error length. */
  slots: number;
  /** Byte offset of the Float64 job arguments, and how many each worker has. */
  argsOffset: number;
  args: number;
  /** Byte offset of the UTF-16 error texts, and how many code units each worker has. */
  textOffset: number;
  textChars: number;
}

/** What a worker is handed: everything is shared or cloned, nothing is compiled again. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  index: number;
  names: readonly string[];
  layout: ControlLayout;
}

/** A started worker, as the pool sees it. */
export interface PoolWorker {
  terminate(): Promise<void>;
}

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: string, fn: (arg: unknown) => void): void;
}

function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: unknown } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/**
 * Start worker `init.index` and resolve once it has instantiated the build (so the pool never
 * posts to a worker that is still loading). `onError` hears of failures after that.
 */
export async function startWorker(init: WorkerInit, onError: (message: string) => void): Promise<PoolWorker> {
  if (!isNode()) return startWebWorker(init, onError);
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: init }) as unknown as NodeWorker;
  // Ready workers never keep a process alive (a starting one does: setThreads awaits it).
  const h = handshake(init.index, () => w.terminate(), onError, () => w.unref());
  w.on('message', (m) => h.message(m));
  w.on('error', (e) => h.fail(String(e)));
  w.on('exit', (code) => h.fail(`it exited with code ${String(code)}`));
  return h.started;
}

// Starting a kerasm worker as a web Worker (browsers and other web-worker runtimes, on a cross-origin
// isolated page or worker). The `new Worker(new URL('./worker.web.js', import.meta.url), { type:
// 'module' })` form is the one bundlers (Vite, webpack, esbuild plugins) recognise: they bundle
// the worker file and rewrite its URL. Used by both spawn twins (a page without a bundler loads
// spawn.js itself, through an import map).
import { KerasmError } from '../errors.js';
import type { PoolWorker, WorkerInit } from './spawn.js';

/**
 * The start-up protocol of every kerasm worker, Node's or the web's: it posts `{ ready: true }`
 * once it has instantiated the build, or `{ error }`. Before "ready", a failure stops the worker
 * and rejects `started`; after it, failures go to `onError` (until the pool terminates the worker).
 */
export function handshake(index: number, stop: () => unknown, onError: (message: string) => void, onReady?: () => void): {
  started: Promise<PoolWorker>;
  message(data: unknown): void;
  fail(message: string): void;
} {
  let ready = false;
  let stopping = false;
  let resolve!: (w: PoolWorker) => void;
  let reject!: (e: Error) => void;
  const started = new Promise<PoolWorker>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const fail = (message: string): void => {
    if (stopping) return;
    if (ready) {
      onError(message);
      return;
    }
    stopping = true;
    void stop();
    reject(new KerasmError(`kerasm worker ${index + 1} failed to start: ${message}`));
  };
  const message = (data: unknown): void => {
    const m = data as { ready?: boolean; error?: string } | undefined;
    if (m?.error !== undefined) fail(m.error);
    else if (m?.ready === true && !ready) {
      ready = true;
      onReady?.();
      resolve({
        terminate: async () => {
          stopping = true;
          await stop();
        },
      });
    }
  };
  return { started, message, fail };
}

/** Start one web Worker; resolves once it has instantiated the build (its "ready" message). */
export function startWebWorker(init: WorkerInit, onError: (message: string) => void): Promise<PoolWorker> {
  if (typeof Worker !== 'function') return Promise.reject(new KerasmError('The threads build needs Worker, which this runtime lacks'));
  let w: Worker;
  try {
    // Exactly this form (a literal URL, static options): bundlers look for it.
    w = new Worker(new URL('./worker.web.js', import.meta.url), { type: 'module' });
  } catch (e) {
    return Promise.reject(new KerasmError(`Could not start kerasm worker ${init.index + 1}: ${e instanceof Error ? e.message : String(e)}`));
  }
  const h = handshake(init.index, () => w.terminate(), onError);
  w.addEventListener('message', (event: MessageEvent) => h.message(event.data));
  w.addEventListener('error', (event: ErrorEvent) => h.fail(event.message || 'the worker script could not be loaded or threw'));
  w.addEventListener('messageerror', () => h.fail('the setup message could not be received'));
  w.postMessage(init);
  return h.started;
}

// Starting a kerasm worker as a web Worker (browsers and other web-worker runtimes, on a cross-origin
// isolated page or worker). The `new Worker(new URL('./worker.web.js', import.meta.url), { type:
// 'module' })` form is the one bundlers (Vite, webpack, esbuild plugins) recognise: they bundle
// the worker file and rewrite its URL. Used by both spawn twins (a page without a bundler loads
// spawn.js itself, through an import map).
import { KerasmError } from '../errors.js';
import type { PoolWorker, WorkerInit } from './spawn.js';

/** Start one web Worker; resolves once it has instantiated the build (its "ready" message). */
export function startWebWorker(init: WorkerInit, onError: (message: string) => void): Promise<PoolWorker> {
  if (typeof Worker !== 'function') return Promise.reject(new KerasmError('The threads build needs Worker, which this runtime lacks'));
  return new Promise((resolve, reject) => {
    let started = false;
    let w: Worker;
    try {
      // Exactly this form (a literal URL, static options): bundlers look for it.
      w = new Worker(new URL('./worker.web.js', import.meta.url), { type: 'module' });
    } catch (e) {
      reject(new KerasmError(`Could not start kerasm worker ${init.index + 1}: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    const handle: PoolWorker = { terminate: async () => w.terminate() };
    const fail = (message: string): void => {
      if (started) {
        onError(message);
        return;
      }
      w.terminate();
      reject(new KerasmError(`kerasm worker ${init.index + 1} failed to start: ${message}`));
    };
    w.addEventListener('message', (event: MessageEvent) => {
      const m = event.data as { ready?: boolean; error?: string } | undefined;
      if (m?.error !== undefined) {
        fail(m.error);
      } else if (m?.ready === true && !started) {
        started = true;
        resolve(handle);
      }
    });
    w.addEventListener('error', (event: ErrorEvent) => fail(event.message || 'the worker script could not be loaded or threw'));
    w.addEventListener('messageerror', () => fail('the setup message could not be received'));
    w.postMessage(init);
  });
}

// spawn.ts for browser and Worker bundles (package.json "browser" field): web Workers only, so
// bundlers never meet node:worker_threads. They do meet web-worker.ts's
// `new Worker(new URL('./worker.web.js', import.meta.url), { type: 'module' })` and emit the worker.
import type * as node from './spawn.js';
import { startWebWorker } from './web-worker.js';

export const startWorker: typeof node.startWorker = startWebWorker;

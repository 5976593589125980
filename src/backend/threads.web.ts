// threads.ts for browser and Worker bundles (package.json "browser" field): the pool runs on Node's
// worker_threads, which the web lacks (the loader never picks the threads build there), so bundlers
// get neither node:worker_threads nor the worker file.
import { KerasmError } from '../errors.js';
import type * as node from './threads.js';

export const ThreadPool = class {
  constructor() {
    throw new KerasmError('The threads build needs worker_threads (Node.js); this bundle runs the simd or relaxed build');
  }
} as unknown as typeof node.ThreadPool;

// A kerasm worker thread under Node's worker_threads (started by src/backend/spawn.ts): the job
// loop of worker-loop.js, handed its setup through workerData. Web Workers run worker.web.js.
// Plain JavaScript on purpose: it is loaded as a file (no code from strings).
import { parentPort, workerData } from 'node:worker_threads';
import { prepareJobs } from './worker-loop.js';

let loop;
try {
  loop = prepareJobs(workerData);
} catch (e) {
  parentPort?.postMessage({ error: String(e && e.stack ? e.stack : e) });
}
if (loop !== undefined) {
  parentPort?.postMessage({ ready: true });
  loop();
}

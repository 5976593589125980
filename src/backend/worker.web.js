// A kerasm worker in a web Worker (a module Worker started by src/backend/web-worker.ts on a
// cross-origin isolated page or worker): the job loop of worker-loop.js, handed its setup by the
// first message. A Worker may block in Atomics.wait, so the loop is the one Node's workers run.
// Plain JavaScript on purpose: it is loaded as a file (no code from strings).
import { prepareJobs } from './worker-loop.js';

self.addEventListener('message', (event) => {
  let loop;
  try {
    loop = prepareJobs(event.data);
  } catch (e) {
    self.postMessage({ error: String(e && e.stack ? e.stack : e) });
    return;
  }
  self.postMessage({ ready: true });
  loop();
}, { once: true });

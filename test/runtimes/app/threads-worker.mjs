// A dedicated module Worker (bundled by Vite with threads-worker-page.mjs): the threads smoke test
// off the main thread, where the pool's calling thread may block. Posts its result.
import * as km from 'kerasm';
import { smoke } from './smoke.mjs';
import { threadsSmoke } from './threads.mjs';

threadsSmoke(km, smoke).then(
  (result) => self.postMessage(result),
  (e) => self.postMessage({ problems: [`threw: ${e && e.stack ? e.stack : e}`] }),
);

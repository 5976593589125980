// Chromium, cross-origin isolated page, no bundler (an import map names 'kerasm'): the threads
// smoke test on the page's main thread.
import * as km from 'kerasm';
import { smoke } from './smoke.mjs';
import { threadsSmoke } from './threads.mjs';

threadsSmoke(km, smoke).then(
  (result) => { window.kerasmSmoke = result; },
  (e) => { window.kerasmSmoke = { problems: [`threw: ${e && e.stack ? e.stack : e}`] }; },
);

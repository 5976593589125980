// Chromium: the page's module script, as a browser user writes it (no bundler: an import map
// names 'kerasm'; with Vite the same file is bundled).
import * as km from 'kerasm';
import { smoke } from './smoke.mjs';

smoke(km).then(
  (result) => { window.kerasmSmoke = result; },
  (e) => { window.kerasmSmoke = { problems: [`threw: ${e && e.stack ? e.stack : e}`] }; },
);

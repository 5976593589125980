// Chromium: the page's module script, as a browser user writes it (no bundler: an import map
// names 'kerasm'; with Vite the same file is bundled). Served without COOP/COEP headers, the page
// is not cross-origin isolated: kerasm runs one thread, and setThreads(2) says which headers to send.
import * as km from 'kerasm';
import { smoke } from './smoke.mjs';

async function main() {
  const result = await smoke(km);
  result.crossOriginIsolated = globalThis.crossOriginIsolated;
  if (result.build === 'threads') result.problems.push('a page that is not cross-origin isolated got the threads build');
  try {
    await km.setThreads(2);
    result.problems.push('setThreads(2) resolved on a page that is not cross-origin isolated');
  } catch (e) {
    if (!/Cross-Origin-Embedder-Policy: require-corp/.test(String(e && e.message))) result.problems.push(`setThreads(2) threw ${e}`);
  }
  return result;
}

main().then(
  (result) => { window.kerasmSmoke = result; },
  (e) => { window.kerasmSmoke = { problems: [`threw: ${e && e.stack ? e.stack : e}`] }; },
);

// Chromium, cross-origin isolated page bundled by Vite: starts threads-worker.mjs as a dedicated
// module Worker (which starts kerasm's own workers) and shows its result.
const worker = new Worker(new URL('./threads-worker.mjs', import.meta.url), { type: 'module' });
worker.addEventListener('message', (e) => { window.kerasmSmoke = e.data; });
worker.addEventListener('error', (e) => { window.kerasmSmoke = { problems: [`worker error: ${e.message}`] }; });

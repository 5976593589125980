// A kerasm worker thread (Node worker_threads): instantiates the `threads` wasm build on the
// shared memory and runs the blocks of work (GEMM rows, ranges of optimizer updates) the main
// thread hands it through a shared control block.
// Plain JavaScript on purpose: it is loaded as a file (no code from strings) by src/backend/threads.ts.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, index, names } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const k = instance.exports;
const i32 = new Int32Array(control);
const f64 = new Float64Array(control, 1024);
const base = index * 8;
const args = index * 16;
// Job kinds index this table of exports (the same list the main thread splits).
const KERNELS = names.map((name) => k[name]);

// After a job, spin for a while before sleeping: a training step posts jobs every few hundred
// microseconds, and waking from Atomics.wait costs tens of microseconds on a loaded machine.
const SPIN = 20000;
let seen = 0;
for (;;) {
  for (let i = 0; i < SPIN && Atomics.load(i32, base) === seen; i++);
  Atomics.wait(i32, base, seen);
  const seq = Atomics.load(i32, base);
  if (seq === seen) continue;
  if (seq < 0) break;
  seen = seq;
  try {
    const a = (j) => f64[args + j];
    KERNELS[i32[base + 2]](a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13));
    i32[base + 3] = 0;
  } catch (e) {
    i32[base + 3] = 1;
    parentPort?.postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
  Atomics.store(i32, base + 1, seq);
  Atomics.notify(i32, base + 1);
}

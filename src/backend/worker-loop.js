// The job loop of every kerasm worker, whatever starts it (worker.js under Node's worker_threads,
// worker.web.js in a web Worker): instantiate the `threads` wasm build on the shared memory, then
// run the blocks of work (GEMM rows or columns, ranges of elementwise updates) that the calling
// thread posts through the shared control block (src/backend/threads.ts lays it out).
// Plain JavaScript on purpose: it is loaded as a file (no code from strings), and imports nothing.

// After a job, spin for a while before sleeping: a training step posts jobs every few hundred
// microseconds, and waking from Atomics.wait costs tens of microseconds on a loaded machine.
const SPIN = 20000;

/**
 * Instantiates the build for worker `index` and returns the loop, which blocks its thread (workers
 * may block in Atomics.wait) until the pool posts a negative sequence number. Throws if the module
 * cannot be instantiated: the caller reports that before the pool uses the worker.
 */
export function prepareJobs({ module, memory, control, index, names, layout }) {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const k = instance.exports;
  // Job kinds index this table of exports (the same list the calling thread splits).
  const kernels = names.map((name) => {
    if (typeof k[name] !== 'function') throw new Error(`the threads build lacks the export ${name}`);
    return k[name];
  });
  const i32 = new Int32Array(control);
  const f64 = new Float64Array(control, layout.argsOffset);
  const text = new Uint16Array(control, layout.textOffset + index * layout.textChars * 2, layout.textChars);
  const base = index * layout.slots;
  const args = index * layout.args;
  return () => {
    for (;;) {
      // A job is due when the posted sequence differs from the finished one. Both are re-read
      // from the block: when the pool rewinds its counter it zeroes the finished slot first.
      const seen = Atomics.load(i32, base + 1);
      for (let i = 0; i < SPIN && Atomics.load(i32, base) === seen; i++);
      Atomics.wait(i32, base, seen);
      const seq = Atomics.load(i32, base);
      if (seq === Atomics.load(i32, base + 1)) continue;
      if (seq < 0) return;
      try {
        const a = (j) => f64[args + j];
        kernels[i32[base + 2]](a(0), a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13));
        i32[base + 3] = 0;
      } catch (e) {
        // The failure goes through shared memory: the calling thread is waiting on this block and
        // may be unable to receive a message until it returns (a browser's main thread spins).
        const message = String(e && e.stack ? e.stack : e).slice(0, layout.textChars);
        for (let i = 0; i < message.length; i++) text[i] = message.charCodeAt(i);
        i32[base + 4] = message.length;
        i32[base + 3] = 1;
      }
      Atomics.store(i32, base + 1, seq);
      Atomics.notify(i32, base + 1);
    }
  };
}

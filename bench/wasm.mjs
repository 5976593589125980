// Bench helpers: instantiate a given build directly (both builds in one process), bump-allocate.
import { readFileSync } from 'node:fs';

export function hasRelaxed() {
  // f32x4.relaxed_madd in a one-function module
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 62, 1, 60, 0,
    253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 12, ...new Array(16).fill(0), 253, 133, 2, 26, 11]);
  try { return WebAssembly.validate(bytes); } catch { return false; }
}

export function loadBuild(build) {
  const bytes = readFileSync(new URL(`../build/kerasm.${build}.wasm`, import.meta.url));
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  let top = (exports.heap_base() + 63) & ~63;
  const alloc = (bytes) => {
    const p = top;
    top = (top + bytes + 63) & ~63;
    const need = top - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    return p;
  };
  const f32 = () => new Float32Array(memory.buffer);
  return { k: exports, memory, alloc, f32 };
}

/** The per-core FMA peak (DESIGN.md): 12 independent relaxed_madd chains; GFLOP/s, median of runs. */
export function measurePeak(relaxedBuild, runs = 7) {
  const iters = 5e6;
  relaxedBuild.k.f32_peak_fma(iters, 0.9999, 0.0001);
  const r = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    relaxedBuild.k.f32_peak_fma(iters, 0.9999, 0.0001);
    r.push((iters * 96) / ((performance.now() - t) / 1e3) / 1e9);
  }
  return median(r);
}

export function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

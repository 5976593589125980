// The one file that loads wasm: feature detection, build choice, instantiation.
import { instantiate } from '@assemblyscript/loader';
import { KerasmError, invalidArgument } from '../errors.js';
import { Arena } from './memory.js';
import type { KernelExports } from './kernels.js';
import { KERNEL_NAMES } from './kernels.js';

export type BuildName = 'simd' | 'relaxed';

/** Anything a wasm build can be handed in as. */
export type WasmSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string;

export interface ReadyOptions {
  /** The `simd` build (baseline): a compiled module, its bytes or a URL. */
  module?: WasmSource;
  /** The `relaxed` build (fused multiply-add), used where the runtime has relaxed SIMD. */
  relaxedModule?: WasmSource;
  /** Force a build instead of the best one the runtime supports. */
  build?: BuildName;
}

export interface BackendInfo {
  build: BuildName;
  relaxedSimd: boolean;
  threads: boolean;
  memoryBytes: number;
}

export interface Backend {
  readonly k: KernelExports;
  readonly arena: Arena;
  readonly build: BuildName;
  readonly relaxedSimd: boolean;
}

/** The smallest module using f32x4.relaxed_madd: validates only where relaxed SIMD exists. */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x3e, 0x01, 0x3c, 0x00, // code section, one body of 60 bytes, no locals
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x0c, ...new Array<number>(16).fill(0),
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd
  0x1a, 0x0b, // drop, end
]);

/** Whether this runtime validates relaxed SIMD (Node 22+, Chromium 114+; Node 20 behind a flag). */
export function hasRelaxedSimd(): boolean {
  try {
    return WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

function defaultUrl(build: BuildName): URL {
  return new URL(`../../build/kerasm.${build}.wasm`, import.meta.url);
}

async function readUrl(url: URL): Promise<ArrayBuffer | Uint8Array> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (url.protocol === 'file:' && proc?.versions?.node !== undefined) {
    const fs = await import('node:fs/promises');
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new KerasmError(`Could not fetch the wasm build at ${url.href}: HTTP ${res.status}`);
  return res.arrayBuffer();
}

async function toModuleSource(src: WasmSource | undefined, build: BuildName): Promise<WebAssembly.Module | ArrayBuffer | Uint8Array> {
  if (src === undefined) return readUrl(defaultUrl(build));
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  if (src instanceof URL) return readUrl(src);
  if (typeof src === 'string') return readUrl(new URL(src, import.meta.url));
  throw invalidArgument(build === 'simd' ? 'module' : 'relaxedModule', 'a WebAssembly.Module, bytes or a URL', src);
}

let current: Backend | null = null;
let pending: Promise<Backend> | null = null;

/** Load and instantiate the best build (idempotent: later calls return the first backend). */
export function ready(options: ReadyOptions = {}): Promise<Backend> {
  if (current !== null) return Promise.resolve(current);
  if (pending === null) {
    pending = load(options).then(
      (b) => {
        current = b;
        return b;
      },
      (e: unknown) => {
        pending = null;
        throw e;
      },
    );
  }
  return pending;
}

async function load(options: ReadyOptions): Promise<Backend> {
  const relaxedSimd = hasRelaxedSimd();
  if (options.build !== undefined && options.build !== 'simd' && options.build !== 'relaxed') {
    throw invalidArgument('build', "one of 'simd', 'relaxed'", options.build);
  }
  if (options.build === 'relaxed' && !relaxedSimd) {
    throw new KerasmError("The 'relaxed' build was asked for, but this runtime has no relaxed SIMD " +
      '(Node 20 needs --experimental-wasm-relaxed-simd)');
  }
  const build: BuildName = options.build ?? (relaxedSimd ? 'relaxed' : 'simd');
  const source = await toModuleSource(build === 'relaxed' ? options.relaxedModule : options.module, build);
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536 });
  const { exports } = await instantiate<Record<string, unknown>>(source, { env: { memory } });
  for (const name of KERNEL_NAMES) {
    if (typeof exports[name] !== 'function') {
      throw new KerasmError(`The '${build}' wasm build lacks the export ${name}: rebuild it (npm run build)`);
    }
  }
  const k = exports as unknown as KernelExports;
  return { k, arena: new Arena(memory, k.heap_base()), build, relaxedSimd };
}

/** The loaded backend; throws if `ready()` has not resolved yet. */
export function backend(): Backend {
  if (current === null) throw new KerasmError('kerasm is not ready: await km.ready() first');
  return current;
}

export function backendInfo(): BackendInfo {
  const b = backend();
  return { build: b.build, relaxedSimd: b.relaxedSimd, threads: false, memoryBytes: b.arena.memoryBytes };
}

// The one file that loads wasm: feature detection, build choice, instantiation.
import { instantiate } from '@assemblyscript/loader';
import { KerasmError, checkOptions, checkPositiveInt, invalidArgument } from '../errors.js';
import { MAX_WORKERS, ThreadPool } from './threads.js';
import { calibrateTile, withTile } from './tiles.js';
import type { GemmTile } from './tiles.js';
import { Arena } from './memory.js';
import { nodeCores, readFileUrl } from './platform.js';
import type { KernelExports } from './kernels.js';
import { KERNEL_NAMES } from './kernels.js';

/**
 * The wasm builds: `'simd'` (baseline, 128-bit SIMD), `'relaxed'` (relaxed SIMD: fused multiply-add, Node 22+,
 * Chromium 114+), `'threads'` (shared memory and worker threads; it comes in both arithmetic flavours).
 */
export type BuildName = 'simd' | 'relaxed' | 'threads';

/** Anything a wasm build can be handed in as. */
export type WasmSource = WebAssembly.Module | ArrayBuffer | ArrayBufferView | URL | string;

/** Options of {@link ready}. Without any, the package finds its own wasm files next to it. */
export interface ReadyOptions {
  /** The `simd` build (baseline): a compiled module, its bytes or a URL. */
  module?: WasmSource;
  /** The `relaxed` build (fused multiply-add), used where the runtime has relaxed SIMD. */
  relaxedModule?: WasmSource;
  /** The `threads` build (shared memory), mul+add flavour; `threadsRelaxedModule` is its FMA flavour. */
  threadsModule?: WasmSource;
  /** The `threads` build, FMA flavour (used where the runtime has relaxed SIMD). */
  threadsRelaxedModule?: WasmSource;
  /** Force a build instead of the best one the runtime supports. */
  build?: BuildName;
  /** Threads for the `threads` build, the calling one included (default: all cores, at most 64). */
  threads?: number;
  /** The GEMM register tile; default: timed at start-up. Results are identical either way. */
  gemmTile?: GemmTile;
}

/** What {@link backendInfo} reports about the loaded backend. */
export interface BackendInfo {
  /** The build running. */
  build: BuildName;
  /** Whether the arithmetic is fused (relaxed SIMD): results may differ from the mul+add builds in the last bits. */
  relaxedSimd: boolean;
  /** Whether worker threads are running (the `threads` build with more than one thread). */
  threads: boolean;
  /** Threads sharing the GEMMs, the calling one included. */
  threadCount: number;
  /** The GEMM register tile in use. */
  gemmTile: GemmTile;
  /** The size of the wasm memory, in bytes (it grows as models allocate, never shrinks). */
  memoryBytes: number;
}

/**
 * What {@link ready} resolves to: the loaded backend, shared by every model in the process. Its build and
 * arithmetic are here; {@link backendInfo} also has the thread count and memory size.
 */
export interface Backend {
  /** The kernels. @internal */
  readonly k: KernelExports;
  /** The wasm memory allocator. @internal */
  readonly arena: Arena;
  /** The build running. */
  readonly build: BuildName;
  /** Whether the build's arithmetic is fused (relaxed SIMD). */
  readonly relaxedSimd: boolean;
  /** The worker pool of the `threads` build, else null. @internal */
  readonly pool: ThreadPool | null;
  /** The GEMM register tile picked at start-up (results do not depend on it). */
  readonly gemmTile: GemmTile;
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

/**
 * Where kerasm's own builds sit, next to its JavaScript: one literal `new URL('…', import.meta.url)`
 * per file, so that bundlers (Vite, webpack, Parcel) find the .wasm files and emit them.
 */
function defaultUrl(file: string): URL {
  try {
    switch (file) {
      case 'relaxed': return new URL('../../build/kerasm.relaxed.wasm', import.meta.url);
      case 'threads': return new URL('../../build/kerasm.threads.wasm', import.meta.url);
      case 'threads-relaxed': return new URL('../../build/kerasm.threads-relaxed.wasm', import.meta.url);
      default: return new URL('../../build/kerasm.simd.wasm', import.meta.url);
    }
  } catch {
    throw new KerasmError(`kerasm could not locate its '${file}' wasm build (import.meta.url is no URL here): ` +
      "hand it in with km.ready({ module }) (the file is exported as 'kerasm/wasm/kerasm.simd.wasm')");
  }
}

/** Cores of this machine, where the runtime says (Node: os.availableParallelism). */
async function cores(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === 'number') return nav.hardwareConcurrency;
  return (await nodeCores()) ?? 1;
}

/**
 * Threads need shared memory and workers that may block: Node's worker_threads, or web Workers
 * where the page or worker is cross-origin isolated (COOP/COEP headers; without isolation there is
 * no SharedArrayBuffer). Deno, Bun and workerd run one thread.
 */
function threadsSupported(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string; bun?: string; deno?: string } }; Deno?: unknown;
    crossOriginIsolated?: unknown; Worker?: unknown };
  const proc = g.process;
  if (typeof SharedArrayBuffer !== 'function' || g.Deno !== undefined || proc?.versions?.bun !== undefined || proc?.versions?.deno !== undefined) return false;
  if (proc?.versions?.node !== undefined) return true;
  return g.crossOriginIsolated === true && typeof g.Worker === 'function';
}

/** Why there is one thread here, for error messages: browsers without isolation get the headers to send. */
function oneThreadReason(): string {
  if ((globalThis as { crossOriginIsolated?: unknown }).crossOriginIsolated === false) {
    return 'this page or worker is not cross-origin isolated: serve it with the headers ' +
      "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp' for SharedArrayBuffer and threads";
  }
  return 'threads need SharedArrayBuffer and Node\'s worker_threads, or a cross-origin isolated page or worker';
}

/** Node, Deno and Bun read file: URLs from disk; the rest is fetched, compiled while streaming if served as wasm. */
async function readUrl(url: URL): Promise<WebAssembly.Module | ArrayBuffer | Uint8Array> {
  if (url.protocol === 'file:') {
    const bytes = await readFileUrl(url);
    if (bytes !== null) return bytes;
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new KerasmError(`Could not fetch the wasm build at ${url.href}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) throw new KerasmError(`Could not fetch the wasm build at ${url.href}: HTTP ${res.status}`);
  const type = res.headers.get('content-type')?.split(';')[0]?.trim();
  if (type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function') return WebAssembly.compileStreaming(res);
  return res.arrayBuffer();
}

/** Strings are URLs: relative ones resolve against the page where there is one, else against this file. */
function baseUrl(): string {
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  return typeof href === 'string' ? href : import.meta.url;
}

async function toModuleSource(src: WasmSource | undefined, build: string): Promise<WebAssembly.Module | ArrayBuffer | Uint8Array> {
  if (src === undefined) return readUrl(defaultUrl(build));
  if (src instanceof WebAssembly.Module) return src;
  if (src instanceof ArrayBuffer) return src;
  if (ArrayBuffer.isView(src)) return new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  if (src instanceof URL) return readUrl(src);
  const options: Record<string, string> = { simd: 'module', relaxed: 'relaxedModule', threads: 'threadsModule' };
  const option = options[build] ?? 'threadsRelaxedModule';
  if (typeof src === 'string') {
    let url: URL;
    try {
      url = new URL(src, baseUrl());
    } catch {
      throw invalidArgument(option, 'a WebAssembly.Module, bytes or a URL', src);
    }
    return readUrl(url);
  }
  throw invalidArgument(option, 'a WebAssembly.Module, bytes or a URL', src);
}

let current: Backend | null = null;
let pending: Promise<Backend> | null = null;

/** The options `ready` takes: a misspelt one (`modules`, `thread`) is refused, not ignored. */
const READY_OPTIONS: readonly string[] = ['module', 'relaxedModule', 'threadsModule', 'threadsRelaxedModule', 'build', 'threads', 'gemmTile'];

/** Load and instantiate the best build (idempotent: later calls return the first backend). */
export function ready(options: ReadyOptions = {}): Promise<Backend> {
  try {
    checkOptions(options, READY_OPTIONS, 'ready', false);
  } catch (e) {
    return Promise.reject(e);
  }
  if (current !== null) {
    if (options.build !== undefined && options.build !== current.build) {
      return Promise.reject(new KerasmError(`kerasm is already running the '${current.build}' build; ready({ build: '${options.build}' }) must come first (the build cannot change in a running process)`));
    }
    return Promise.resolve(current);
  }
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
  if (options.build !== undefined && options.build !== 'simd' && options.build !== 'relaxed' && options.build !== 'threads') {
    throw invalidArgument('build', "one of 'simd', 'relaxed', 'threads'", options.build);
  }
  if (options.build === 'relaxed' && !relaxedSimd) {
    throw new KerasmError("The 'relaxed' build was asked for, but this runtime has no relaxed SIMD " +
      '(Node 20 needs --experimental-wasm-relaxed-simd)');
  }
  if (options.build === 'threads' && !threadsSupported()) {
    throw new KerasmError(`The 'threads' build was asked for, but ${oneThreadReason()}`);
  }
  const threads = options.threads === undefined ? Math.min(await cores(), MAX_WORKERS + 1) : checkPositiveInt('threads', options.threads);
  // Where modules are handed in (workerd, CSP-strict pages), choose among those: no search for
  // files the runtime may be unable to load.
  const handed = options.module !== undefined || options.relaxedModule !== undefined ||
    options.threadsModule !== undefined || options.threadsRelaxedModule !== undefined;
  const threadsOk = threadsSupported() && threads > 1 &&
    (!handed || (relaxedSimd ? options.threadsRelaxedModule : options.threadsModule) !== undefined);
  const relaxedOk = relaxedSimd && (!handed || options.relaxedModule !== undefined);
  const build: BuildName = options.build ?? (threadsOk ? 'threads' : relaxedOk ? 'relaxed' : 'simd');
  const shared = build === 'threads';
  // The threads build comes in both arithmetic flavours, so threads on or off never change a result.
  const file = shared ? (relaxedSimd ? 'threads-relaxed' : 'threads') : build;
  const given = shared ? (relaxedSimd ? options.threadsRelaxedModule : options.threadsModule) : build === 'relaxed' ? options.relaxedModule : options.module;
  const source = await toModuleSource(given, file);
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source as BufferSource);
  const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared } as WebAssembly.MemoryDescriptor);
  const { exports } = await instantiate<Record<string, unknown>>(module, { env: { memory } });
  for (const name of KERNEL_NAMES) {
    if (typeof exports[name] !== 'function') {
      throw new KerasmError(`The '${file}' wasm build lacks the export ${name}: rebuild it (npm run build)`);
    }
  }
  const raw = exports as unknown as KernelExports;
  const arena = new Arena(memory, raw.heap_base());
  const gemmTile = options.gemmTile ?? calibrateTile(raw, arena);
  const tiled = withTile(raw, gemmTile);
  if (!shared) return { k: tiled, arena, build, relaxedSimd: build === 'relaxed', pool: null, gemmTile };
  const pool = new ThreadPool(module, memory, tiled, arena, gemmTile);
  await pool.setThreads(threads);
  return { k: pool.k, arena, build, relaxedSimd, pool, gemmTile };
}

/**
 * Use `n` threads (the calling one included) for the GEMMs of the `threads` build; 1 turns the
 * workers off. Results do not depend on it. Without the threads build it accepts only 1.
 */
export async function setThreads(n: number): Promise<void> {
  checkPositiveInt('n', n);
  const b = await ready();
  if (b.pool === null) {
    if (n !== 1) {
      const reason = threadsSupported() ? "ready() picked it: ask for ready({ build: 'threads' }) before anything else" : oneThreadReason();
      throw new KerasmError(`setThreads(${n}): this runtime runs the '${b.build}' build, which has one thread (${reason})`);
    }
    return;
  }
  await b.pool.setThreads(n);
}

/** Stop the worker threads (they never keep a process alive; this frees them at once). */
export async function shutdown(): Promise<void> {
  if (current?.pool) await current.pool.shutdown();
}

/**
 * The loaded backend; throws if `ready()` has not resolved yet.
 * @internal
 */
export function backend(): Backend {
  if (current === null) throw new KerasmError('kerasm is not ready: await km.ready() first');
  return current;
}

/** The loaded backend's build, threads, GEMM tile and memory size; throws if `ready()` has not resolved yet. */
export function backendInfo(): BackendInfo {
  const b = backend();
  return { build: b.build, relaxedSimd: b.relaxedSimd, threads: b.pool !== null, threadCount: b.pool?.threads ?? 1, gemmTile: b.gemmTile, memoryBytes: b.arena.memoryBytes };
}

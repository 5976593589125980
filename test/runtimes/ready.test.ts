// km.ready's sources: a compiled WebAssembly.Module (workerd), bytes, a URL or a string URL (http
// served as application/wasm compiles while streaming), and which build a handed-in module selects.
// Each test loads a fresh copy of the loader (ready() is once per module instance).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type * as Loader from '../../src/backend/loader.js';
import type * as Errors from '../../src/errors.js';

const buildDir = new URL('../../build/', import.meta.url);
const simdBytes = readFileSync(new URL('kerasm.simd.wasm', buildDir));

/** A fresh loader, with the error classes of the same module graph. */
async function freshLoader(): Promise<typeof Loader & typeof Errors> {
  vi.resetModules();
  const loader = await import('../../src/backend/loader.js');
  return { ...loader, ...(await import('../../src/errors.js')) };
}

let server: Server;
let origin = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/kerasm.simd.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(simdBytes);
    else if (req.url === '/octet/kerasm.simd.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(simdBytes);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise((resolve) => server.close(resolve));
});

describe('km.ready sources', () => {
  test('a compiled WebAssembly.Module alone gives the simd build, even where threads are possible', async () => {
    const { ready, backendInfo } = await freshLoader();
    const b = await ready({ module: await WebAssembly.compile(simdBytes), threads: 2 });
    expect(b.build).toBe('simd');
    expect(backendInfo()).toMatchObject({ build: 'simd', threads: false });
    expect(typeof b.k.heap_base()).toBe('number');
  });

  test('bytes: an ArrayBuffer view', async () => {
    const { ready } = await freshLoader();
    expect((await ready({ module: new Uint8Array(simdBytes) })).build).toBe('simd');
  });

  test('an http URL served as application/wasm is compiled while streaming', async () => {
    const { ready } = await freshLoader();
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    expect((await ready({ module: new URL('/kerasm.simd.wasm', origin) })).build).toBe('simd');
    expect(streaming).toHaveBeenCalledTimes(1);
    streaming.mockRestore();
  });

  test('an http URL with another content type is fetched as bytes', async () => {
    const { ready } = await freshLoader();
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    expect((await ready({ module: `${origin}/octet/kerasm.simd.wasm` })).build).toBe('simd');
    expect(streaming).not.toHaveBeenCalled();
    streaming.mockRestore();
  });

  test('a relative string resolves against the page (location.href) where there is one', async () => {
    const { ready } = await freshLoader();
    vi.stubGlobal('location', { href: `${origin}/app/index.html` });
    try {
      expect((await ready({ module: '../kerasm.simd.wasm' })).build).toBe('simd');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('a file: URL is read from disk in Node', async () => {
    const { ready } = await freshLoader();
    expect((await ready({ module: new URL('kerasm.simd.wasm', buildDir) })).build).toBe('simd');
  });

  test('a missing file over http rejects with a KerasmError naming the URL and status', async () => {
    const { ready, KerasmError } = await freshLoader();
    await expect(ready({ module: `${origin}/missing.wasm` })).rejects.toThrow(KerasmError);
    await expect(ready({ module: `${origin}/missing.wasm` })).rejects.toThrow(`Could not fetch the wasm build at ${origin}/missing.wasm: HTTP 404`);
  });

  test('anything else is a ValueError in Keras wording, and ready can be called again', async () => {
    const { ready, ValueError } = await freshLoader();
    await expect(ready({ module: 42 as unknown as WebAssembly.Module })).rejects.toThrow(ValueError);
    await expect(ready({ module: 42 as unknown as WebAssembly.Module })).rejects.toThrow(
      'Invalid value received for argument `module`: expected a WebAssembly.Module, bytes or a URL. Received: module=42');
    expect((await ready({ module: simdBytes })).build).toBe('simd');
  });
});

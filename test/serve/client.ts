// What the serving tests need: the example's plain-JS modules typed, a raw HTTP client (one
// connection per request, so concurrent requests really are concurrent), a server on port 0.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
// @ts-expect-error: plain JS module, the serving example's HTTP side
import { createServer as createServerJs, calibrateBatch as calibrateJs } from '../../examples/serve-http.mjs';

export interface Engine {
  name: string;
  description?: string;
  inputShape: number[];
  outputShape: number[];
  predict(x: Float32Array, rows: number): Float32Array;
}
export interface ServeOptions {
  maxBodyBytes?: number;
  maxBatch?: number;
  maxQueue?: number;
  batchTimeoutMs?: number;
  sliceMs?: number;
  calibrate?: boolean;
}
export interface Stats {
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  rssMiB: number;
  batching: { calls: number; rows: number; requests: number; rejected: number; maxQueuedRows: number; maxCallMs: number; meanRowsPerCall: number; maxBatch: number; queuedRows: number };
  status: Record<string, number>;
}
export interface ServeServer extends Server {
  batcher: { queuedRows: number; maxBatch: number; batchTimeoutMs: number; stats: Stats['batching']; schedule(): void };
  stats(reset?: boolean): Stats;
}

export const createServer = createServerJs as (engine: Engine, options?: ServeOptions) => ServeServer;
export const calibrateBatch = calibrateJs as (engine: Engine, maxBatch: number, sliceMs: number) => { rows: number; ms: number };

export interface Running {
  server: ServeServer;
  base: string;
  predictUrl: string;
  close(): Promise<void>;
}

/** A server for `engine` listening on 127.0.0.1, port 0. */
export async function start(engine: Engine, options: ServeOptions = {}): Promise<Running> {
  const server = createServer(engine, { calibrate: false, ...options });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    base,
    predictUrl: `${base}/v1/models/${engine.name}:predict`,
    close: () => new Promise<void>((res) => {
      server.closeAllConnections();
      server.close(() => res());
    }),
  };
}

export interface Reply {
  status: number;
  text: string;
  json: () => unknown;
}

/**
 * One request on its own connection. `body`: a string sent with a Content-Length, or an array of
 * chunks sent with Transfer-Encoding: chunked (no length announced).
 */
export function send(url: string, method: string, body?: string | string[], headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const c of body) req.write(c);
      req.end();
    } else {
      req.end(body);
    }
  });
}

export const post = (url: string, body: unknown): Promise<Reply> => send(url, 'POST', typeof body === 'string' ? body : JSON.stringify(body));

/** Wait (turn by turn of the event loop) until `cond` holds; fails after `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

/** Nested lists of `shape` from a flat array (what a client sends for one instance). */
export function nested(flat: ArrayLike<number>, shape: number[], offset = 0): unknown {
  if (shape.length === 1) return Array.from({ length: shape[0]! }, (_, i) => flat[offset + i]!);
  const stride = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0]! }, (_, i) => nested(flat, shape.slice(1), offset + i * stride));
}

/** Flatten a JSON prediction back to float32 (the server wrote each float32 as its exact double). */
export function toF32(v: unknown): Float32Array {
  const out: number[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else out.push(n as number);
  };
  walk(v);
  return Float32Array.from(out);
}

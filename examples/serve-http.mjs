// The HTTP side of the serving example (examples/serve.mjs), independent of the library that
// predicts: an `engine` { name, inputShape, outputShape, predict(x, rows) } behind TF Serving's
// REST routes, a micro-batcher (examples/serve-batcher.mjs) and a stats route.
//   POST /v1/models/<name>:predict  (and POST /predict)   body: see examples/serve-body.mjs
//   GET  /v1/models/<name>           TF Serving's model status, plus the shapes and batching
//   GET  /stats[?reset=1]            event-loop delay, RSS, batching and status counts
// Errors are TF Serving's { "error": "..." }: 400 bad body, 404, 405, 413 too large, 503 queue
// full, 500 if predict throws.
import { createServer as httpServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BadRequest, formatResponse, parseBody } from './serve-body.mjs';
import { MicroBatcher, QueueFull } from './serve-batcher.mjs';

export const DEFAULTS = Object.freeze({
  maxBodyBytes: 1 << 20,
  maxBatch: 64,
  maxQueue: 1024,
  batchTimeoutMs: 0,
  sliceMs: 5,
});

const ELD_RESOLUTION_MS = 1;
const DISCARD_LIMIT = 8;
const size = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * The largest batch (maxBatch, halved while needed) whose predict call takes at most `sliceMs`:
 * the longest the event loop is held by the model at once. Also warms the engine up at that size.
 */
export function calibrateBatch(engine, maxBatch, sliceMs) {
  const x = new Float32Array(maxBatch * size(engine.inputShape)).fill(0.5);
  let rows = maxBatch;
  for (;;) {
    const view = x.subarray(0, rows * size(engine.inputShape));
    engine.predict(view, rows); // warm-up (plans, caches)
    let ms = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      engine.predict(view, rows);
      ms = Math.min(ms, performance.now() - t0); // the fastest: the machine's own noise is not the model's
    }
    if (ms <= sliceMs || rows === 1) return { rows, ms };
    rows = Math.max(1, rows >> 1);
  }
}

/**
 * An http.Server serving `engine`. Options: DEFAULTS' keys; `calibrate: false` keeps maxBatch as
 * given. The server's `batcher` and `stats()` are exposed for tests and benches.
 */
export function createServer(engine, options = {}) {
  const o = { ...DEFAULTS, calibrate: true, ...options };
  const inSize = size(engine.inputShape);
  const slice = o.calibrate ? calibrateBatch(engine, o.maxBatch, o.sliceMs) : { rows: o.maxBatch, ms: null };
  const batcher = new MicroBatcher({
    predict: (x, rows) => engine.predict(x, rows),
    inputSize: inSize,
    outputSize: size(engine.outputShape),
    maxBatch: slice.rows,
    maxQueue: o.maxQueue,
    batchTimeoutMs: o.batchTimeoutMs,
  });
  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();
  const status = {};
  const route = `/v1/models/${engine.name}`;

  const send = (res, code, body) => {
    status[code] = (status[code] ?? 0) + 1;
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  const fail = (res, code, message) => send(res, code, JSON.stringify({ error: message }));

  const stats = (reset = false) => {
    const ms = (ns) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
    const mem = process.memoryUsage();
    const b = batcher.stats;
    const out = {
      eventLoopDelayMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
      rssMiB: mem.rss / 2 ** 20,
      heapUsedMiB: mem.heapUsed / 2 ** 20,
      batching: { ...b, meanRowsPerCall: b.calls > 0 ? b.rows / b.calls : 0, maxBatch: batcher.maxBatch, maxQueue: batcher.maxQueue, queuedRows: batcher.queuedRows },
      status: { ...status },
    };
    if (reset) {
      eld.reset();
      batcher.resetStats();
      for (const k of Object.keys(status)) delete status[k];
    }
    return out;
  };

  // A refused body is still read and dropped, so the client gets the 413 rather than a reset
  // connection (closing a socket with unread data resets it); past DISCARD_LIMIT x the limit the
  // connection is cut.
  const discardLimit = DISCARD_LIMIT * o.maxBodyBytes;
  const predict = (req, res) => {
    const declared = Number(req.headers['content-length']);
    req.on('error', () => {}); // a client gone mid-body: nothing to answer
    if (declared > o.maxBodyBytes) {
      if (declared > discardLimit) res.setHeader('connection', 'close');
      fail(res, 413, `the body has ${declared} bytes; this server takes at most ${o.maxBodyBytes}: split the request`);
      if (declared <= discardLimit) req.resume();
      return;
    }
    const chunks = [];
    let bytes = 0;
    let refused = false;
    req.on('data', (c) => {
      bytes += c.length;
      if (refused) {
        if (bytes > discardLimit) req.socket.destroy();
        return;
      }
      if (bytes > o.maxBodyBytes) {
        refused = true;
        fail(res, 413, `the body has more than ${o.maxBodyBytes} bytes; this server takes at most ${o.maxBodyBytes}: split the request`);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      let parsed;
      try {
        parsed = parseBody(Buffer.concat(chunks, bytes).toString('utf8'), engine.inputShape, o.maxQueue);
      } catch (e) {
        if (e instanceof BadRequest) return fail(res, e.status, e.message);
        throw e;
      }
      let pending;
      try {
        pending = batcher.submit(parsed.x, parsed.rows);
      } catch (e) {
        if (e instanceof QueueFull) return fail(res, 503, e.message);
        throw e;
      }
      pending.then(
        (y) => send(res, 200, formatResponse(y, parsed.rows, engine.outputShape, parsed.form)),
        (e) => fail(res, 500, `predict failed: ${e.message}`),
      );
    });
  };

  const server = httpServer((req, res) => {
    const [path, query = ''] = (req.url ?? '/').split('?');
    if (path === `${route}:predict` || path === '/predict') {
      if (req.method !== 'POST') return res.setHeader('allow', 'POST'), fail(res, 405, `${path} takes POST with a JSON body, not ${req.method}`);
      return predict(req, res);
    }
    if (path === route || path === '/stats') {
      if (req.method !== 'GET') return res.setHeader('allow', 'GET'), fail(res, 405, `${path} takes GET, not ${req.method}`);
      if (path === '/stats') return send(res, 200, JSON.stringify(stats(new URLSearchParams(query).get('reset') === '1')));
      return send(res, 200, JSON.stringify({
        model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }],
        engine: engine.description, inputShape: engine.inputShape, outputShape: engine.outputShape,
        maxBatch: batcher.maxBatch, maxQueue: batcher.maxQueue, batchTimeoutMs: batcher.batchTimeoutMs, maxBodyBytes: o.maxBodyBytes,
      }));
    }
    fail(res, 404, `no route ${req.method} ${path}; POST ${route}:predict with {"instances": [...]}`);
  });
  server.on('close', () => eld.disable());
  server.batcher = batcher;
  server.stats = stats;
  server.slice = slice;
  return server;
}

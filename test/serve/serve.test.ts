// The serving example (examples/serve*.mjs) on real saved models: the seed MLP and the simple
// convnet are saved with model.save, loaded back with km.loadModel and served on 127.0.0.1, port 0.
// Predictions come back bit for bit as model.predict's whether a request ran alone or batched with
// others, at any position of the batch, or split over several calls; bad bodies get 400 with the
// element at fault named, oversized ones 413, a full queue 503; the event loop serves other
// requests between the calls of a large one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { expectSameNumbers } from '../helpers/same.js';
import { calibrateBatch, nested, post, send, start, toF32, until, type Engine, type Running } from './client.js';
// @ts-expect-error: plain JS module, the serving example
import { kerasmEngine } from '../../examples/serve.mjs';
// @ts-expect-error: plain JS module, the convnet of the main job
import { simpleConvnet } from '../../examples/convnet.mjs';

let dir: string;
let mlp: km.Model;
let convnet: km.Model;
let mlpEngine: Engine;
let convEngine: Engine;
const rng = new Rng(19);
/** `rows` MNIST-like instances (values in [0, 1)), flat. */
const data = (rows: number, size: number): Float32Array => Float32Array.from({ length: rows * size }, () => Math.fround(rng.next()));
/** model.predict on one batch of all rows: what every answer must equal. */
const direct = (m: km.Model, x: Float32Array, shape: number[]): Float32Array =>
  (m.predict(km.tensor(x, [x.length / shape.reduce((a, b) => a * b, 1), ...shape])) as km.Tensor).data;
const instances = (x: Float32Array, shape: number[]): unknown[] => {
  const size = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: x.length / size }, (_, r) => nested(x, shape, r * size));
};

beforeAll(async () => {
  await testBackend();
  km.setSeed(42);
  dir = mkdtempSync(join(tmpdir(), 'kerasm-serve-test-'));
  const seed = km.sequential({ layers: [
    km.layers.dense({ units: 64, activation: 'relu', inputShape: [784], kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.5 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  seed.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
  await seed.save(pathToFileURL(join(dir, 'mlp')).href);
  await (simpleConvnet(km) as km.Model).save(pathToFileURL(join(dir, 'convnet')).href);
  mlp = await km.loadModel(pathToFileURL(join(dir, 'mlp', 'model.json')).href);
  convnet = await km.loadModel(pathToFileURL(join(dir, 'convnet', 'model.json')).href);
  mlpEngine = kerasmEngine(km, mlp, 'seed') as Engine;
  convEngine = kerasmEngine(km, convnet, 'convnet') as Engine;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('predictions', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start(mlpEngine, { maxBatch: 8 });
  });
  afterAll(() => s.close());

  test("TF Serving's instances form: predictions bit for bit as model.predict", async () => {
    const x = data(3, 784);
    const r = await post(s.predictUrl, { instances: instances(x, [784]) });
    expect(r.status).toBe(200);
    const body = r.json() as { predictions: number[][] };
    expect(Object.keys(body)).toEqual(['predictions']);
    expect(body.predictions.map((p) => p.length)).toEqual([10, 10, 10]);
    expectSameNumbers(toF32(body.predictions), direct(mlp, x, [784]), 'predictions');
  });

  test('a plain list answers a plain list, a plain instance one prediction, columnar inputs outputs', async () => {
    const x = data(2, 784);
    const want = direct(mlp, x, [784]);
    const list = await post(`${s.base}/predict`, instances(x, [784]));
    expect((list.json() as number[][]).length).toBe(2);
    expectSameNumbers(toF32(list.json()), want, 'list');
    const single = await post(s.predictUrl, Array.from(x.subarray(0, 784)));
    expect((single.json() as number[]).length).toBe(10);
    expectSameNumbers(toF32(single.json()), want.subarray(0, 10), 'single');
    const columnar = await post(s.predictUrl, { signature_name: 'serving_default', inputs: instances(x, [784]) });
    expectSameNumbers(toF32((columnar.json() as { outputs: unknown }).outputs), want, 'outputs');
  });

  test('the model route says AVAILABLE with the shapes; unknown routes 404, wrong methods 405', async () => {
    const info = (await send(`${s.base}/v1/models/seed`, 'GET')).json() as Record<string, unknown>;
    expect(info).toMatchObject({ model_version_status: [{ version: '1', state: 'AVAILABLE' }], inputShape: [784], outputShape: [10], maxBatch: 8 });
    const missing = await send(`${s.base}/v1/models/other:predict`, 'POST', '[]');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: 'no route POST /v1/models/other:predict; POST /v1/models/seed:predict with {"instances": [...]}' });
    const get = await send(s.predictUrl, 'GET');
    expect(get.status).toBe(405);
    expect(get.json()).toEqual({ error: '/v1/models/seed:predict takes POST with a JSON body, not GET' });
  });
});

describe('micro-batching', () => {
  test('concurrent requests share one predict call and get the bits they get alone, at every position', async () => {
    const s = await start(mlpEngine, { maxBatch: 8, batchTimeoutMs: 10_000 }); // runs when 8 rows wait
    try {
      const x = data(8, 784);
      s.server.stats(true);
      const replies = await Promise.all(instances(x, [784]).map((inst) => post(s.predictUrl, { instances: [inst] })));
      const b = s.server.stats().batching;
      expect({ calls: b.calls, rows: b.rows, requests: b.requests }).toEqual({ calls: 1, rows: 8, requests: 8 });
      for (let r = 0; r < 8; r++) {
        const alone = direct(mlp, x.subarray(r * 784, (r + 1) * 784), [784]);
        expectSameNumbers(toF32((replies[r]!.json() as { predictions: unknown }).predictions), alone, `request ${r}`);
      }
    } finally {
      await s.close();
    }
  });

  test('the convnet: batched and split requests give the bits of one row at a time', async () => {
    // The first request to arrive waits (fewer than 4 rows); the second fills a call of 4; the
    // split request's last row goes at once, without waiting for the timeout again.
    const s = await start(convEngine, { maxBatch: 4, batchTimeoutMs: 10_000 });
    try {
      const shape = [28, 28, 1];
      const x = data(5, 784);
      s.server.stats(true);
      const t0 = performance.now();
      const [a, b] = await Promise.all([
        post(s.predictUrl, { instances: instances(x.subarray(0, 2 * 784), shape) }),
        post(s.predictUrl, { instances: instances(x.subarray(2 * 784), shape) }),
      ]);
      expect(s.server.stats().batching).toMatchObject({ calls: 2, rows: 5 });
      expect(performance.now() - t0).toBeLessThan(5000); // not the 10 s timeout
      const got = [...toF32((a!.json() as { predictions: unknown }).predictions), ...toF32((b!.json() as { predictions: unknown }).predictions)];
      for (let r = 0; r < 5; r++) expectSameNumbers(got.slice(r * 10, r * 10 + 10), direct(convnet, x.subarray(r * 784, (r + 1) * 784), shape), `row ${r}`);
    } finally {
      await s.close();
    }
  });

  test('a large request runs in calls of maxBatch rows and the event loop answers others between them', async () => {
    const s = await start(mlpEngine, { maxBatch: 1, maxQueue: 256, maxBodyBytes: 4 << 20 });
    try {
      const rows = 120;
      const x = data(rows, 784);
      let bigDone = false;
      const big = post(s.predictUrl, { instances: instances(x, [784]) }).then((r) => ((bigDone = true), r));
      await until(() => s.server.batcher.stats.calls > 0);
      const info = await send(`${s.base}/v1/models/seed`, 'GET');
      expect(info.status).toBe(200);
      expect(bigDone).toBe(false);
      expect(s.server.batcher.stats.calls).toBeLessThan(rows);
      const r = await big;
      expect(s.server.batcher.stats.calls).toBe(rows);
      expectSameNumbers(toF32((r.json() as { predictions: unknown }).predictions), direct(mlp, x, [784]), 'split request');
    } finally {
      await s.close();
    }
  });

  test('with a batch timeout a lone request waits that long for company, then runs alone', async () => {
    const s = await start(mlpEngine, { maxBatch: 8, batchTimeoutMs: 60 });
    try {
      const t0 = performance.now();
      const r = await post(s.predictUrl, { instances: [Array.from(data(1, 784))] });
      expect(r.status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
      expect(s.server.stats().batching).toMatchObject({ calls: 1, rows: 1 });
    } finally {
      await s.close();
    }
  });

  test('calibration: maxBatch is halved until one call fits the time slice', () => {
    expect(calibrateBatch(mlpEngine, 16, 60_000).rows).toBe(16);
    expect(calibrateBatch(mlpEngine, 16, 1e-9).rows).toBe(1);
    const c = calibrateBatch(convEngine, 64, 2);
    expect(c.rows === 1 || c.ms <= 2).toBe(true);
  });
});

describe('refusals', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start(mlpEngine, { maxBatch: 8, maxQueue: 4, maxBodyBytes: 64 << 10 });
  });
  afterAll(() => s.close());
  const error = async (body: string | string[], status: number, headers: Record<string, string> = {}): Promise<string> => {
    const r = await send(s.predictUrl, 'POST', body, headers);
    expect(r.status).toBe(status);
    return (r.json() as { error: string }).error;
  };
  const row = (n = 784): number[] => Array.from({ length: n }, () => 0.5);

  test('400: not JSON, not an object or list, no instances key, an empty list', async () => {
    expect(await error('{"instances": [[0.5, ', 400)).toMatch(/^the request body is not JSON \(.+\); send \{"instances": \[\.\.\.\]\} with Content-Type: application\/json$/);
    expect(await error('42', 400)).toBe('the request body is number 42; expected {"instances": [...]} (TF Serving\'s form) or a JSON list of instances');
    expect(await error('{"instance": []}', 400)).toBe('the request body has the keys "instance"; expected exactly one of "instances" (rows) or "inputs" (columnar), as TF Serving\'s REST API');
    expect(await error('{"instances": []}', 400)).toBe('"instances" is empty; send at least one instance of shape [784]');
  });

  test('400: a wrong shape or a non-number names the element at fault', async () => {
    expect(await error(JSON.stringify({ instances: [row(), row(783)] }), 400)).toBe('instances[1] is a list of 783; expected 784 (each instance has shape [784])');
    const bad = row();
    (bad as unknown[])[5] = 'abc';
    expect(await error(JSON.stringify({ instances: [bad] }), 400)).toBe('instances[0][5] is the string "abc"; expected a number (each instance has shape [784])');
    (bad as unknown[])[5] = null;
    expect(await error(JSON.stringify([row(), bad]), 400)).toBe('body[1][5] is null; expected a number (each instance has shape [784])');
    expect(await error(`{"instances": [[${row(783).join(',')}, 1e39]]}`, 400)).toBe('instances[0][783] is 1e+39, which is not a finite float32; expected a number (each instance has shape [784])');
    expect(await error(JSON.stringify({ instances: row() }), 400)).toBe('"instances" is a list of 784 numbers, that is one instance, not a list of instances of shape [784]: wrap a single instance, {"instances": [[...]]}');
  });

  test("400: a convnet instance sent flat (a TF.js habit: tensor2d of pixels) says to nest it", async () => {
    const c = await start(convEngine, { maxBatch: 2 });
    try {
      const r = await post(c.predictUrl, { instances: [row()] });
      expect(r.status).toBe(400);
      expect((r.json() as { error: string }).error).toBe('instances[0] is a flat list of 784 numbers; this model takes instances of shape [28, 28, 1]: nest them (reshape each instance to [28, 28, 1] before JSON.stringify)');
      const short = await post(c.predictUrl, { instances: [nested(new Float32Array(27 * 28), [27, 28, 1])] });
      expect((short.json() as { error: string }).error).toBe('instances[0] is a list of 27; expected 28 (each instance has shape [28, 28, 1])');
    } finally {
      await c.close();
    }
  });

  test('413: a body over maxBodyBytes, announced or chunked, and more instances than the queue holds', async () => {
    const big = JSON.stringify({ instances: Array.from({ length: 40 }, () => row()) });
    expect(big.length).toBeGreaterThan(64 << 10);
    expect(await error(big, 413)).toBe(`the body has ${big.length} bytes; this server takes at most 65536: split the request`);
    const chunks = Array.from({ length: 8 }, (_, i) => big.slice(i * (big.length / 8), (i + 1) * (big.length / 8)));
    expect(await error(chunks, 413)).toBe('the body has more than 65536 bytes; this server takes at most 65536: split the request');
    expect(await error(JSON.stringify({ instances: [row(), row(), row(), row(), row()] }), 413)).toBe('"instances" has 5 instances; this server takes at most 4 per request: split the request');
    expect((await post(s.predictUrl, { instances: [row()] })).status).toBe(200); // still serving
  });

  test('503 when the queue is full; the queued requests are answered', async () => {
    const q = await start(mlpEngine, { maxBatch: 8, maxQueue: 4, batchTimeoutMs: 10_000 });
    try {
      const queued = [post(q.predictUrl, { instances: [row(), row(), row()] }), post(q.predictUrl, { instances: [row()] })];
      await until(() => q.server.batcher.queuedRows === 4);
      const full = await post(q.predictUrl, { instances: [row()] });
      expect(full.status).toBe(503);
      expect(full.json()).toEqual({ error: 'the queue is full (4 of 4 rows waiting); retry later' });
      q.server.batcher.batchTimeoutMs = 0; // no need to wait 10 s for the queued rows
      q.server.batcher.schedule();
      expect((await Promise.all(queued)).map((r) => r.status)).toEqual([200, 200]);
      expect(q.server.stats().status).toEqual({ 200: 2, 503: 1 });
      expect(q.server.stats().batching).toMatchObject({ calls: 1, rows: 4, rejected: 1 });
    } finally {
      await q.close();
    }
  });

  test('500 when predict throws, and the server goes on', async () => {
    let fail = true;
    const flaky: Engine = { ...mlpEngine, predict: (x, n) => {
      if (fail) throw new Error('out of memory');
      return mlpEngine.predict(x, n);
    } };
    const f = await start(flaky, { maxBatch: 4 });
    try {
      const r = await post(f.predictUrl, { instances: [row()] });
      expect(r.status).toBe(500);
      expect(r.json()).toEqual({ error: 'predict failed: out of memory' });
      fail = false;
      expect((await post(f.predictUrl, { instances: [row()] })).status).toBe(200);
    } finally {
      await f.close();
    }
  });
});

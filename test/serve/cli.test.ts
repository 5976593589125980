// The serving example as a command (node examples/serve.mjs <model> --port 0) and its TF.js
// `wasm` twin (bench/serve-tfjs.mjs), each in a child process on a model saved by kerasm: both
// answer the predictions of the model they load; the flags are checked before anything loads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import { testBackend } from '../helpers/backend.js';
import { relDiff } from '../helpers/tfjs.js';
import { post, send, toF32 } from './client.js';
// @ts-expect-error: plain JS module, the serving example
import { parseArgs } from '../../examples/serve.mjs';

const root = new URL('../../', import.meta.url);
let dir: string;
let model: km.Sequential;
const x = Float32Array.from({ length: 2 * 784 }, (_, i) => ((i * 37) % 101) / 101);

beforeAll(async () => {
  await testBackend();
  km.setSeed(7);
  dir = mkdtempSync(join(tmpdir(), 'kerasm-serve-cli-'));
  model = km.sequential({ layers: [
    km.layers.dense({ units: 16, activation: 'relu', inputShape: [784] }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  await model.save(pathToFileURL(join(dir, 'mlp')).href);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start `script` on the saved model; resolves to its URL once it prints the line it serves on. */
function serve(script: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: root });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /serving \S+ \(\d+ rows per predict call, [\d.]+ ms\) on (http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${err}`)));
  });
}

const stop = (child: ChildProcess): Promise<number | null> => new Promise((r) => {
  child.removeAllListeners('exit');
  child.once('exit', (code) => r(code));
  child.kill('SIGTERM');
});

describe('as a command', () => {
  test.each([
    ['examples/serve.mjs', 'kerasm'],
    ['bench/serve-tfjs.mjs', 'TF.js 4.22.0 wasm'],
  ])('%s serves the saved model (a folder path), answers its predictions and stops on SIGTERM', async (script, engine) => {
    const { url, child } = await serve(script, [join(dir, 'mlp'), '--port', '0', '--name', 'seed', '--max-queue', '8']);
    try {
      expect(url).toMatch(/\/v1\/models\/seed:predict$/);
      const info = (await send(url.replace(/:predict$/, ''), 'GET')).json() as { engine: string; maxQueue: number };
      expect(info.engine.startsWith(engine)).toBe(true);
      expect(info.maxQueue).toBe(8);
      const r = await post(url, { instances: [Array.from(x.subarray(0, 784)), Array.from(x.subarray(784))] });
      expect(r.status).toBe(200);
      const want = (model.predict(km.tensor(x, [2, 784])) as km.Tensor).data;
      // Another build (relaxed on Node 22+) or another library: the same model within float32 rounding.
      expect(relDiff(toF32((r.json() as { predictions: unknown }).predictions), want)).toBeLessThan(1e-6);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });
});

describe('flags', () => {
  test('argv wins over the environment; a folder becomes its model.json URL', () => {
    const o = parseArgs(['/tmp/m', '--port=9000', '--max-queue', '256'], { PORT: '1', MAX_BATCH: '16' }) as Record<string, unknown>;
    expect(o).toMatchObject({ model: 'file:///tmp/m', port: 9000, maxQueue: 256, maxBatch: 16, host: '127.0.0.1', batchTimeoutMs: 0, threads: 1 });
    expect(parseArgs([], { MODEL: 'https://example.org/m/model.json' })).toMatchObject({ model: 'https://example.org/m/model.json', port: 8501 });
    expect((parseArgs([dir + '/mlp']) as { model: string }).model).toBe(pathToFileURL(join(dir, 'mlp', 'model.json')).href);
  });

  test('an unknown flag, a bad number or no model is refused with the usage', () => {
    expect(() => parseArgs(['m', '--max-batches', '3'])).toThrow('unknown flag --max-batches; known: --port --host --name --max-batch --max-queue --batch-timeout-ms --max-body-bytes --slice-ms --threads');
    expect(() => parseArgs(['m', '--max-queue', '0'])).toThrow('--max-queue must be an integer >= 1; got 0');
    expect(() => parseArgs(['m', '--port', 'http'])).toThrow('--port must be an integer >= 0; got http');
    expect(() => parseArgs([])).toThrow(/^usage: node examples\/serve.mjs <model.json path, folder or URL>/);
  });
});

// Serving a saved model over HTTP with JSON predictions, TF Serving's REST shape:
//   node examples/serve.mjs file://./my-model/model.json              (after npm run build)
//   curl -s localhost:8501/v1/models/model:predict -d '{"instances": [[0.1, 0.2, ...]]}'
//   => {"predictions": [[...]]}
// The model is loaded once (km.loadModel: a file:// path, an http(s):// URL, or a folder holding
// model.json) and served by a plain node:http server on one thread; concurrent requests share
// predict calls through a micro-batcher with a bounded queue (examples/serve-batcher.mjs). The
// routes, body forms and status codes are in examples/serve-http.mjs and examples/serve-body.mjs.
// Options (argv, or the environment in capitals: MODEL, PORT, HOST, MAX_BATCH, ...):
//   --port 8501 --host 127.0.0.1 --name model --max-batch 64 --max-queue 1024 --batch-timeout-ms 0
//   --max-body-bytes 1048576 --slice-ms 5 --threads 1
// --max-batch is an upper bound: at start the server halves it while one predict call of that
// many rows takes over --slice-ms, so the event loop is never held longer than about that.
import { pathToFileURL } from 'node:url';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as km from '../dist/index.js';
import { DEFAULTS, createServer } from './serve-http.mjs';

/**
 * A kerasm model as a serving engine: { name, description, inputShape, outputShape,
 * predict(x, rows) }. `km` is the kerasm module, `model` a single-input, single-output model.
 */
export function kerasmEngine(km, model, name = 'model') {
  if (model.inputShapes.length !== 1 || model.outputShapes.length !== 1) {
    throw new Error(`serve.mjs serves models with one input and one output; this one has ${model.inputShapes.length} inputs and ${model.outputShapes.length} outputs`);
  }
  const inputShape = model.inputShapes[0];
  const outputShape = model.outputShapes[0];
  if (inputShape.some((d) => d === null) || outputShape.some((d) => d === null)) {
    throw new Error(`serve.mjs needs fixed shapes; this model's input is [${inputShape}] and output [${outputShape}]`);
  }
  const info = km.backendInfo();
  return {
    name,
    description: `kerasm ${info.build}`,
    inputShape,
    outputShape,
    predict: (x, rows) => model.predict(km.tensor(x, [rows, ...inputShape]), { batchSize: rows }).data,
  };
}

/** A file path or folder → a file:// URL of its model.json; URLs pass through. */
export function modelSource(arg) {
  if (/^(file|https?):\/\//.test(arg)) return arg;
  const path = resolve(arg);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // not on disk: loadModel says so
  }
  return pathToFileURL(isDir ? join(path, 'model.json') : path).href;
}

const FLAGS = { port: 'PORT', host: 'HOST', name: 'NAME', 'max-batch': 'MAX_BATCH', 'max-queue': 'MAX_QUEUE', 'batch-timeout-ms': 'BATCH_TIMEOUT_MS', 'max-body-bytes': 'MAX_BODY_BYTES', 'slice-ms': 'SLICE_MS', threads: 'THREADS' };

/** argv and the environment → options; throws a usage message on an unknown or bad flag. */
export function parseArgs(argv, env = {}) {
  const got = {};
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const [flag, inline] = a.slice(2).split('=', 2);
    if (!(flag in FLAGS)) throw new Error(`unknown flag --${flag}; known: ${Object.keys(FLAGS).map((f) => `--${f}`).join(' ')}`);
    got[flag] = inline ?? argv[++i];
  }
  const value = (flag, def) => got[flag] ?? env[FLAGS[flag]] ?? def;
  const number = (flag, def, min) => {
    const v = Number(value(flag, def));
    if (!Number.isInteger(v) || v < min) throw new Error(`--${flag} must be an integer >= ${min}; got ${value(flag, def)}`);
    return v;
  };
  const model = rest[0] ?? env.MODEL;
  if (model === undefined) throw new Error('usage: node examples/serve.mjs <model.json path, folder or URL> [--port 8501] [--max-queue 1024] ... (or MODEL=...)');
  return {
    model: modelSource(model),
    port: number('port', 8501, 0),
    host: value('host', '127.0.0.1'),
    name: value('name', 'model'),
    maxBatch: number('max-batch', DEFAULTS.maxBatch, 1),
    maxQueue: number('max-queue', DEFAULTS.maxQueue, 1),
    batchTimeoutMs: number('batch-timeout-ms', DEFAULTS.batchTimeoutMs, 0),
    maxBodyBytes: number('max-body-bytes', DEFAULTS.maxBodyBytes, 1),
    sliceMs: number('slice-ms', DEFAULTS.sliceMs, 0),
    threads: number('threads', 1, 1),
  };
}

/** Load, calibrate, listen; resolves to the listening server. Prints one line with the URL. */
export async function main(argv = process.argv.slice(2), env = process.env, log = console.log) {
  const o = parseArgs(argv, env);
  await km.ready({ threads: o.threads });
  const model = await km.loadModel(o.model);
  return listen(createServer(kerasmEngine(km, model, o.name), o), o, log);
}

/** Listen on o.port and o.host (0: any free port), print the URL, reset the stats. */
export async function listen(server, o, log = console.log) {
  await new Promise((res, rej) => server.once('error', rej).listen(o.port, o.host, res));
  const { port } = server.address();
  server.stats(true); // loading and calibrating are not serving
  log(`serving ${o.name} (${server.slice.rows} rows per predict call, ${server.slice.ms?.toFixed(2)} ms) on http://${o.host}:${port}/v1/models/${o.name}:predict`);
  return server;
}

/** Run as a command: serve until SIGTERM or SIGINT. */
export function runCli(start) {
  start().then(
    (server) => {
      const stop = () => server.close(() => process.exit(0));
      process.once('SIGTERM', stop).once('SIGINT', stop);
    },
    (e) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runCli(() => main());

// The serving example's twin on TF.js 4.22's `wasm` backend, for the load bench
// (bench/load.bench.mjs): the same HTTP server, batcher and options (examples/serve-http.mjs),
// only the engine differs. It reads the model.json + weights.bin that kerasm's model.save wrote
// (TF.js's layers format) with tf.loadLayersModel through an in-memory IO handler, since TF.js
// without tfjs-node has no file:// loader. One thread, as the kerasm server.
//   node bench/serve-tfjs.mjs /tmp/models/mlp --port 0 [the flags of examples/serve.mjs]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from '../examples/serve-http.mjs';
import { listen, parseArgs, runCli } from '../examples/serve.mjs';

/** TF.js `wasm` (one thread) ready; returns the tf module. */
export async function tfWasm() {
  const tf = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm').replace(/tfjs-backend-wasm\.wasm$/, ''));
  wasm.setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  return tf;
}

/** A TF.js LayersModel from a file:// URL of a model.json (weights beside it). */
export async function loadTfModel(tf, url) {
  const path = fileURLToPath(url);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(new URL(p, url))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

/** A TF.js model as a serving engine (examples/serve.mjs's kerasmEngine, on TF.js). */
export function tfEngine(tf, model, name = 'model') {
  const inputShape = model.inputs[0].shape.slice(1);
  const outputShape = model.outputs[0].shape.slice(1);
  return {
    name,
    description: `TF.js ${tf.version.tfjs} ${tf.getBackend()}`,
    inputShape,
    outputShape,
    predict: (x, rows) => {
      const y = tf.tidy(() => model.predict(tf.tensor(x, [rows, ...inputShape])));
      const data = y.dataSync();
      y.dispose();
      return data;
    },
  };
}

export async function main(argv = process.argv.slice(2), env = process.env, log = console.log) {
  const o = parseArgs(argv, env);
  const tf = await tfWasm();
  const model = await loadTfModel(tf, o.model);
  return listen(createServer(tfEngine(tf, model, o.name), o), o, log);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) runCli(() => main());

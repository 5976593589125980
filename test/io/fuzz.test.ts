// Property-based fuzz of the loader (fast-check): random mutations of a valid model.json and
// its weights, loaded through file:// and as in-memory artifacts. Every case loads (and then
// predicts and trains a step) or is refused with a KerasmError: no other exception, no wasm
// trap, no hang (each case has a time limit), and no wasm memory left behind.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';

type Json = Record<string, unknown>;

let b: Backend;
let dir: string;
let validJson: Json;
let validBytes: Uint8Array;
/** A functional file: two inputs, a shared layer, a nested model, a merge, two compiled outputs. */
let graphJson: Json;
let graphBytes: Uint8Array;
beforeAll(async () => {
  b = await testBackend();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-fuzz-'));
  km.setSeed(3);
  const m = km.sequential({ layers: [
    km.layers.inputLayer({ inputShape: [2, 3] }),
    km.layers.flatten(),
    km.layers.dense({ units: 5, activation: 'relu', kernelRegularizer: km.regularizers.l2(0.01) }),
    km.layers.dropout({ rate: 0.2 }),
    km.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  m.trainOnBatch([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], [[1, 0, 0], [0, 0, 1]]);
  await m.save(km.io.withSaveHandler(async (a) => {
    validJson = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
      weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }], userDefinedMetadata: a.userDefinedMetadata };
    validBytes = new Uint8Array(a.weightData as ArrayBuffer);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer: true });
  m.dispose();
  [graphJson, graphBytes] = await graphFile();
});

async function graphFile(): Promise<[Json, Uint8Array]> {
  const L = km.layers;
  const i = km.input({ shape: [3], name: 'inner_in' });
  const inner = km.model({ inputs: i, outputs: L.dense({ units: 2, name: 'inner_dense' }).apply(i), name: 'inner' });
  const a = km.input({ shape: [3], name: 'a' });
  const c = km.input({ shape: [2], name: 'c' });
  const shared = L.dense({ units: 3, activation: 'tanh', name: 'shared' });
  const h = shared.apply(shared.apply(a));
  const j = L.concatenate({ name: 'join' }).apply([inner.apply(h), c]);
  const m = km.model({ inputs: [a, c], outputs: [L.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(j), L.add({ name: 'sum' }).apply([inner.apply(a), c])] });
  m.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'mse'], lossWeights: [1, 0.5], metrics: [['accuracy'], []] });
  let out: [Json, Uint8Array] | null = null;
  await m.save(km.io.withSaveHandler(async (s) => {
    out = [{ modelTopology: s.modelTopology, format: s.format, generatedBy: s.generatedBy, weightsManifest: [{ paths: ['weights.bin'], weights: s.weightSpecs }], userDefinedMetadata: s.userDefinedMetadata },
      new Uint8Array(s.weightData as ArrayBuffer)];
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  m.dispose();
  return out!;
}
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const special = fc.constantFrom<unknown>(
  null, 0, -1, 1, 2, 3, 1.5, -0.5, 1e9, 2 ** 31, 2 ** 53, 1e300, '', 'float16', 'int32', 'string', 'Conv2D', 'L1', 'L2',
  'Functional', 'InputLayer', 'Dropout', 'optimizer', 'weights.bin', '../x.bin', '__proto__', 'constructor', true, false,
  [], {}, [null], [null, 4], [null, 1e9], [2 ** 20, 2 ** 20, 2 ** 20], { class_name: 'L1L2', config: { l1: -1 } },
  { class_name: 'DTypePolicy', config: { name: 'mixed_float16' } }, { __proto__: { a: 1 } }, [-1, 2],
);
const value = fc.oneof(special, fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
/** A walk into the JSON: each number picks a key (or index) at that level. */
const path = fc.array(fc.nat(), { minLength: 1, maxLength: 9 });

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), path, value }),
  fc.record({ kind: fc.constant('delete' as const), path }),
  // Aimed at the layer configs, where most meaning is: modelTopology.config.layers[i].config.<key>.
  fc.record({ kind: fc.constant('layer' as const), path: fc.tuple(fc.nat(), fc.nat()), value }),
  fc.record({ kind: fc.constant('text' as const), at: fc.nat(), cut: fc.nat({ max: 40 }), insert: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('bytes' as const), op: fc.constantFrom('truncate', 'extend', 'flip', 'nan'), at: fc.nat(), by: fc.integer({ min: 1, max: 255 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function walk(root: unknown, p: number[], act: (parent: Json | unknown[], key: string | number) => void): void {
  let node = root;
  for (let i = 0; i < p.length; i++) {
    if (node === null || typeof node !== 'object') return;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, j) => j) : Object.keys(node);
    if (keys.length === 0) return;
    const key = keys[p[i]! % keys.length]!;
    const child = (node as Record<string | number, unknown>)[key];
    if (i === p.length - 1 || child === null || typeof child !== 'object') {
      act(node as Json | unknown[], key);
      return;
    }
    node = child;
  }
}

function apply(mutations: Mutation[], base: [Json, Uint8Array] = [validJson, validBytes]): { text: string; bytes: Uint8Array } {
  const json = structuredClone(base[0]);
  let bytes = base[1].slice();
  const texts: Extract<Mutation, { kind: 'text' }>[] = [];
  for (const m of mutations) {
    if (m.kind === 'set') walk(json, m.path, (parent, key) => ((parent as Record<string | number, unknown>)[key] = structuredClone(m.value)));
    else if (m.kind === 'layer') {
      const layers = ((json.modelTopology as Json | undefined)?.config as Json | undefined)?.layers;
      const layer = Array.isArray(layers) && layers.length > 0 ? (layers[m.path[0] % layers.length] as Json | null) : null;
      const config = layer !== null && typeof layer === 'object' ? layer.config : null;
      if (config !== null && typeof config === 'object' && !Array.isArray(config)) {
        const keys = Object.keys(config);
        const pick = m.path[1] % (keys.length + 2);
        // Now and then the entry itself: its class_name or its whole config.
        if (pick === keys.length) layer!.class_name = structuredClone(m.value);
        else if (pick === keys.length + 1) layer!.config = structuredClone(m.value);
        else (config as Json)[keys[pick]!] = structuredClone(m.value);
      }
    } else if (m.kind === 'delete') walk(json, m.path, (parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key as string]));
    else if (m.kind === 'text') texts.push(m);
    else if (m.op === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
    else if (m.op === 'extend') bytes = new Uint8Array([...bytes, ...new Uint8Array(m.by)]);
    else if (bytes.length > 0 && m.op === 'flip') bytes[m.at % bytes.length]! ^= m.by;
    else if (bytes.length >= 4) new DataView(bytes.buffer).setUint32(4 * (m.at % (bytes.length >> 2)), m.by % 2 === 0 ? 0x7fc00000 : 0x7f800000, true);
  }
  let text = JSON.stringify(json);
  for (const t of texts) {
    const at = t.at % (text.length + 1);
    text = text.slice(0, at) + t.insert + text.slice(at + t.cut);
  }
  return { text, bytes };
}

/** The in-memory form of the same mutated file (if its JSON still parses). */
function asArtifacts(text: string, bytes: Uint8Array): km.ModelArtifacts | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const j = (json ?? {}) as Json;
  const manifest = Array.isArray(j.weightsManifest) ? (j.weightsManifest[0] as Json | undefined) : undefined;
  return { modelTopology: j.modelTopology, weightSpecs: manifest?.weights as never, weightData: bytes.slice().buffer, userDefinedMetadata: j.userDefinedMetadata as never };
}

async function exercise(load: () => Promise<km.Model>): Promise<'loaded' | 'refused'> {
  let model: km.Model;
  try {
    model = await load();
  } catch (e) {
    if (!(e instanceof km.KerasmError)) throw e;
    return 'refused';
  }
  try {
    const size = (s: number[]) => s.reduce((a, d) => a * d, 1);
    // One batch of 2 per input and per output (a list for several).
    const batch = (shapes: number[][]) => {
      const ts = shapes.map((s) => km.tensor(new Float32Array(2 * size(s)).fill(0.5), [2, ...s]));
      return ts.length === 1 ? ts[0]! : ts;
    };
    if (model.inputShapes.reduce((n, s) => n + size(s), 0) <= 4096) {
      const x = batch(model.inputShapes);
      model.predict(x, { training: true });
      if (model.compiled !== null) model.trainOnBatch(x, batch(model.outputShapes));
    }
  } catch (e) {
    if (!(e instanceof km.KerasmError)) throw e;
  } finally {
    model.dispose();
  }
  return 'loaded';
}

/** Run the property on mutations of `base`; the count of each outcome. */
async function fuzz(base: [Json, Uint8Array], seed: number): Promise<{ loaded: number; refused: number }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const outcomes = { loaded: 0, refused: 0 };
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (mutations, viaFile) => {
        const { text, bytes } = apply(mutations, base);
        let outcome: 'loaded' | 'refused';
        if (viaFile) {
          const d = join(dir, `case${seed}-${n++}`);
          await rm(d, { recursive: true, force: true });
          await (await import('node:fs/promises')).mkdir(d);
          await writeFile(join(d, 'model.json'), text);
          await writeFile(join(d, 'weights.bin'), bytes);
          outcome = await exercise(() => km.loadModel(`file://${d}/model.json`));
        } else {
          const artifacts = asArtifacts(text, bytes);
          outcome = artifacts === null ? 'refused' : await exercise(() => km.loadModel(km.io.fromMemory(artifacts)));
        }
        outcomes[outcome]++;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? seed), timeout: 10_000, endOnFailure: true },
    );
  } finally {
    warn.mockRestore();
  }
  if (process.env.FUZZ_RUNS !== undefined) console.log(outcomes);
  return outcomes;
}

test('300 mutated model.json / weights cases: each loads or throws a KerasmError, and no wasm memory leaks', async () => {
  const used = b.arena.usedBytes;
  const outcomes = await fuzz([validJson, validBytes], 20240605);
  expect(b.arena.usedBytes).toBe(used);
  // Both outcomes occur: the mutations are neither all harmless nor all fatal.
  expect(outcomes.loaded).toBeGreaterThan(20);
  expect(outcomes.refused).toBeGreaterThan(20);
});

test('300 mutated functional files (inbound nodes, a shared layer, a nested model, two outputs): each loads or throws a KerasmError, no leak', async () => {
  const used = b.arena.usedBytes;
  const outcomes = await fuzz([graphJson, graphBytes], 20261202);
  expect(b.arena.usedBytes).toBe(used);
  expect(outcomes.loaded).toBeGreaterThan(20);
  expect(outcomes.refused).toBeGreaterThan(20);
});

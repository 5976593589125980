// What the kernel table (src/backend/kernels.ts) promises beyond the binaries (exports.test.ts):
// every kernel has a caller in the library (or is marked as the benchmark's or the tests'), the
// activation table is the table's kernel pairs under their Keras names, and the pairs that no
// activation reached before (gelu's tanh approximation, exponential) now compute a Dense layer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import * as activations from '../../src/activations/index.js';
import type { KernelSpec } from '../../src/backend/kernel-spec.js';
import type { ActivationKernel, ActivationKernelInfo } from '../../src/backend/kernels-vunary.js';
import { ACTIVATION_KERNELS, vunaryKernelNames } from '../../src/backend/kernels-vunary.js';
import { KERNELS, KERNEL_NAMES } from '../../src/backend/kernels.js';
import { testBackend } from '../helpers/backend.js';
import { modelGradCheck } from '../helpers/gradcheck.js';
import { Rng } from '../helpers/rng.js';
import { ACTIVATIONS } from '../reference/activations.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The code of every .ts/.js/.mjs file under `dir` (comments stripped), except paths matching `skip`. */
function code(dir: string, skip: RegExp = /^$/): string {
  const files = readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => `${dir}/${f}`)
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !skip.test(f));
  return files.map((f) => readFileSync(join(ROOT, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')).join('\n');
}

function names(text: string): Set<string> {
  return new Set(text.match(/\b(?:f32_\w+|heap_base)\b/g) ?? []);
}

/** Kernels the activation table calls by name (fwd/grad of the elementwise kinds). */
function activationKernels(): Set<string> {
  return new Set(activations.names().flatMap((n) => {
    const a = activations.get(n);
    return a.kind === 'elementwise' ? [a.fwd, a.grad] : [];
  }));
}

/** Kernels nothing calls: not named in `library` code, not an activation's, nor marked for the bench or tests. */
function unreached(kernels: readonly string[], table: Readonly<Record<string, KernelSpec>>, library: Set<string>): string[] {
  const viaActivations = activationKernels();
  return kernels.filter((k) => {
    const spec = table[k];
    const marked = spec !== undefined && typeof spec !== 'string' && spec.usedBy !== undefined;
    return !marked && !library.has(k) && !viaActivations.has(k);
  });
}

describe('every kernel has a caller', () => {
  // The library: src/ without the kernel table itself (which names every kernel).
  const library = names(code('src', /^src\/backend\/kernel(s|-spec)[\w-]*\.ts$/));

  test('each export is called from src/ or through the activation table', () => {
    expect(unreached(KERNEL_NAMES, KERNELS, library)).toEqual([]);
  });

  test('a kernel marked for the bench or tests is called there, and not from src/', () => {
    const where = { bench: names(code('bench')), tests: names(code('test', /^test\/kernels\//)) };
    for (const name of KERNEL_NAMES) {
      const spec: KernelSpec = KERNELS[name];
      if (typeof spec === 'string' || spec.usedBy === undefined) continue;
      expect(where[spec.usedBy].has(name), `${name} is marked usedBy '${spec.usedBy}'`).toBe(true);
      expect(library.has(name), `${name} is called from src/: drop its usedBy mark`).toBe(false);
    }
  });

  test('the check can fail: a kernel named nowhere is reported', () => {
    expect(unreached(['f32_sumsq', 'f32_nowhere'], { f32_sumsq: '(n, *x) -> number', f32_nowhere: '(n)' }, library)).toEqual(['f32_nowhere']);
  });
});

describe('the activation table is derived from the kernel pairs', () => {
  test('every pair is an activation under each of its names, with its alpha default and clamp', () => {
    for (const [kernel, info] of Object.entries(ACTIVATION_KERNELS) as [ActivationKernel, ActivationKernelInfo][]) {
      const { forward, backward } = vunaryKernelNames(kernel);
      for (const name of info.names ?? [kernel]) {
        const a = activations.get(name);
        expect(a).toMatchObject({ name, kind: 'elementwise', fwd: forward, grad: backward, alpha: info.alpha ?? 0, clamp: info.clamp ?? null });
      }
    }
  });

  test('Keras names and defaults: leaky_relu 0.2, elu 1, silu is swish, gelu_new is gelu_tanh, relu and relu6 fuse', () => {
    expect(activations.get('leaky_relu').alpha).toBe(0.2);
    expect(activations.get('leakyRelu').alpha).toBe(0.2);
    expect(activations.get('elu').alpha).toBe(1);
    expect(activations.get('silu').fwd).toBe('f32_vswish');
    expect(activations.get('gelu_new').fwd).toBe('f32_vgelu_tanh');
    expect(activations.get('gelu').fwd).toBe('f32_vgelu');
    expect(activations.get('exponential').grad).toBe('f32_vexponential_grad');
    expect(activations.get('relu').clamp).toEqual([0, Infinity]);
    expect(activations.get('relu6').clamp).toEqual([0, 6]);
    expect(activations.names()).toEqual(['linear', 'relu', 'relu6', 'leaky_relu', 'elu', 'selu', 'gelu', 'gelu_new', 'sigmoid',
      'hard_sigmoid', 'tanh', 'softplus', 'softsign', 'swish', 'silu', 'exponential', 'softmax', 'log_softmax']);
  });
});

describe.each([
  ['gelu_new', 'gelu_tanh'],
  ['exponential', 'exponential'],
] as const)('%s through a Dense layer (the %s kernels)', (activation, kernel) => {
  beforeAll(async () => {
    await testBackend();
  });
  const ref = ACTIVATIONS.find((r) => r.name === kernel)!;

  /** Dense outputs and their float64 reference, act(x·W + b) from the layer's own weights. */
  function forward(): { got: Float32Array; want: Float64Array; z: Float64Array } {
    const rows = 7;
    const inDim = 4;
    const units = 5;
    km.setSeed(3);
    const model = km.sequential({ layers: [km.layers.dense({ units, activation, inputShape: [inDim], biasInitializer: 'glorotUniform' })] });
    const rng = new Rng(4);
    const x = Float32Array.from({ length: rows * inDim }, () => rng.uniform(-2.5, 2.5));
    const got = model.predict(km.tensor(x, [rows, inDim])).data.slice();
    const [w, b] = model.getWeights().map((t) => t.data);
    const z = new Float64Array(rows * units);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < units; j++) {
        let s = b![j]!;
        for (let i = 0; i < inDim; i++) s += x[r * inDim + i]! * w![i * units + j]!;
        z[r * units + j] = s;
      }
    }
    expect(model.layers[0]!.getConfig().activation).toBe(activation);
    model.dispose();
    return { got, want: z.map((v) => ref.f(v, 0)), z };
  }

  test('forward: within 1e-5 of the float64 reference', () => {
    const { got, want } = forward();
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!), `y[${i}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]!)));
  });

  test('the forward check can fail: the other GELU (or the identity) is off by more than its tolerance', () => {
    const { got, z } = forward();
    const other = kernel === 'gelu_tanh' ? ACTIVATIONS.find((r) => r.name === 'gelu')!.f : (v: number) => v;
    const worst = Math.max(...Array.from(got, (g, i) => Math.abs(g - other(z[i]!, 0)) / Math.max(1, Math.abs(other(z[i]!, 0)))));
    expect(worst).toBeGreaterThan(1e-4);
  });

  test('gradient check (hidden layer, softmax + cross-entropy on top)', () => {
    km.setSeed(7);
    const model = km.sequential({ layers: [
      km.layers.dense({ units: 5, activation, inputShape: [4] }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    modelGradCheck(model, 'categoricalCrossentropy', [4]);
  });
});

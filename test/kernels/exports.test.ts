// The kernel table (src/backend/kernels.ts) against the wasm binaries: every build exports
// exactly the table's kernels, and each export's signature has the table's argument count,
// returns a value exactly where the table says so, and takes an i32 wherever the table says
// pointer (wasm32 addresses), element count or element index. Signatures are read from the
// binaries' type sections (test/helpers/wasm-signatures.ts).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { KernelSpec } from '../../src/backend/kernel-spec.js';
import { parseSignature } from '../../src/backend/kernel-spec.js';
import { KERNELS, KERNEL_NAMES } from '../../src/backend/kernels.js';
import { testBackend } from '../helpers/backend.js';
import type { WasmSignature } from '../helpers/wasm-signatures.js';
import { exportedSignatures } from '../helpers/wasm-signatures.js';

const BUILDS = ['simd', 'relaxed', 'threads', 'threads-relaxed'] as const;
/** The pool passes a job's arguments through 14 slots (threads.ts, worker-loop.js). */
const POOL_ARGS = 14;

function binary(build: string): Uint8Array {
  const url = new URL(`../../build/kerasm.${build}.wasm`, import.meta.url);
  if (!existsSync(url)) throw new Error(`build/kerasm.${build}.wasm is missing: npm run build`);
  return readFileSync(url);
}

/** How the binary's signature of one kernel differs from the table's spec (empty: it agrees). */
function mismatches(name: string, spec: KernelSpec, sig: WasmSignature): string[] {
  const { args, pointers, returns } = parseSignature(spec);
  const out: string[] = [];
  if (sig.params.length !== args.length) out.push(`${name}: ${sig.params.length} parameters in wasm, ${args.length} in the table`);
  if (sig.results.length !== (returns ? 1 : 0)) out.push(`${name}: ${sig.results.length} results in wasm, the table says ${returns ? 'one' : 'none'}`);
  const ints = [...pointers];
  if (typeof spec !== 'string' && spec.split !== undefined) {
    ints.push(0);
    if (spec.split.index !== undefined) ints.push(args.indexOf(spec.split.index));
  }
  for (const i of ints) {
    if (i < sig.params.length && sig.params[i] !== 'i32') out.push(`${name}: argument ${i} (${args[i]}) is ${sig.params[i]} in wasm, the table needs i32`);
  }
  return out;
}

describe.each(BUILDS)('the %s build', (build) => {
  const sigs = exportedSignatures(binary(build));

  test('exports exactly the kernel table (memory is imported)', () => {
    expect([...sigs.keys()].sort()).toEqual([...KERNEL_NAMES].sort());
  });

  test('every export has the table\'s argument count, result and i32 pointers, counts and indices', () => {
    const problems = KERNEL_NAMES.flatMap((name) => (sigs.has(name) ? mismatches(name, KERNELS[name], sigs.get(name)!) : []));
    expect(problems).toEqual([]);
  });
});

describe('the checks can fail', () => {
  const sigs = exportedSignatures(binary('simd'));

  test('a missing or extra argument, a wrong result, a float marked pointer or index', () => {
    expect(mismatches('f32_sgd', '(n, *w, *g, lr, wd)', sigs.get('f32_sgd')!)).toHaveLength(1);
    expect(mismatches('f32_sumsq', '(n, *x)', sigs.get('f32_sumsq')!)).toEqual(['f32_sumsq: 1 results in wasm, the table says none']);
    expect(mismatches('f32_vscale', '(n, *x, *y, *s)', sigs.get('f32_vscale')!)).toEqual(['f32_vscale: argument 3 (s) is f32 in wasm, the table needs i32']);
    expect(mismatches('f32_uniform', { sig: '(n, *y, key0, key1, counter, first)', split: { index: 'key0' } }, sigs.get('f32_uniform')!)).toEqual([]);
    expect(mismatches('f32_dropout_mask', { sig: '(n, *mask, rate, key0, key1, counter, first)', split: { index: 'rate' } }, sigs.get('f32_dropout_mask')!))
      .toHaveLength(1);
  });

  test('the reader sees the parameter types asc wrote', () => {
    expect(sigs.get('f32_sgd')).toEqual({ params: ['i32', 'i32', 'i32', 'f32', 'f32', 'i32'], results: [] });
    expect(sigs.get('f32_softmax_xent')!.results).toEqual(['f64']);
  });
});

test('kernels the pool splits fit its argument slots', () => {
  for (const name of KERNEL_NAMES) {
    const spec: KernelSpec = KERNELS[name];
    if (typeof spec !== 'string' && spec.split !== undefined) expect(parseSignature(spec).args.length, name).toBeLessThanOrEqual(POOL_ARGS);
  }
});

test('the build under test instantiates with every kernel of the table', async () => {
  const b = await testBackend();
  for (const name of KERNEL_NAMES) expect(typeof b.k[name], name).toBe('function');
});

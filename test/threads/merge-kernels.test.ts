// The merge and activation layers' elementwise kernels on the threads builds: the pool splits
// them by ranges above its threshold (the kernel table's `split`), so 1 and 2 threads must give
// the same bits, and a 0 pointer (f32_vroute_grad's dx when no gradient is wanted) must stay 0 in
// every range rather than become an offset into low memory.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
});
afterAll(async () => {
  await km.shutdown();
});

/** Above the pool's split threshold (64k elements), odd so the last range has a tail. */
const N = 200_003;

/** Runs `fn` on fresh buffers with 1 and 2 threads; the buffers' contents afterwards, bit for bit equal. */
async function sameWithThreads(what: string, inputs: Float32Array[], outputs: number, fn: (ptrs: number[]) => void): Promise<void> {
  const runs: Uint32Array[][] = [];
  for (const threads of [1, 2]) {
    await km.setThreads(threads);
    const bufs = [...inputs.map((x) => new GuardedBuffer(b, N).set(x)), ...Array.from({ length: outputs }, () => new GuardedBuffer(b, N))];
    for (const buf of bufs.slice(inputs.length)) buf.data.fill(-7);
    fn(bufs.map((x) => x.ptr));
    runs.push(bufs.map((x) => new Uint32Array(Float32Array.from(x.data).buffer)));
    for (const buf of bufs) {
      buf.checkGuards(what);
      buf.free();
    }
  }
  runs[0]!.forEach((one, i) => {
    const two = runs[1]![i]!;
    const at = one.findIndex((v, j) => v !== two[j]);
    expect(at, `${what}: buffer ${i} differs between 1 and 2 threads at`).toBe(-1);
  });
}

test('f32_vmax, f32_vmin, f32_vroute_grad (dx given and 0), f32_vrelu_ext and its grad: 1 and 2 threads give the same bits', async () => {
  const rng = new Rng(3);
  const a = Float32Array.from({ length: N }, () => rng.awkward(2));
  const c = Float32Array.from(a, (v) => (rng.next() < 0.3 ? v : rng.awkward(2)));
  const dy = Float32Array.from({ length: N }, () => rng.awkward(1));
  await sameWithThreads('vmax', [a, c], 1, ([x, y, out]) => b.k.f32_vmax(N, x!, y!, out!));
  await sameWithThreads('vmin', [a, c], 1, ([x, y, out]) => b.k.f32_vmin(N, x!, y!, out!));
  await sameWithThreads('vroute_grad', [a, c, dy], 3, ([x0, x1, r0, y, d0, d1]) => {
    b.k.f32_vmax(N, x0!, x1!, y!);
    b.k.f32_vcopy(N, r0!, d1!); // r: a copy of dy in the last output
    b.k.f32_vroute_grad(N, x0!, y!, d1!, d0!);
    b.k.f32_vroute_grad(N, x1!, y!, d1!, 0); // the second input's gradient is not wanted
  });
  await sameWithThreads('vrelu_ext', [a], 1, ([x, y]) => b.k.f32_vrelu_ext(N, x!, y!, 1, 0.2, 0.5));
  await sameWithThreads('vrelu_ext_grad', [a, dy], 1, ([x, g, d]) => b.k.f32_vrelu_ext_grad(N, x!, g!, d!, 1, 0.2, 0.5));
});

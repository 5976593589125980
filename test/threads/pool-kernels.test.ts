// The f32-pool kernels on the threads builds: the pool splits each one's range of rows or samples
// (the kernel table's `index: 'first'`, every buffer shared) above its threshold, so 1 and 2
// threads must give the same bits — outputs written by disjoint ranges, each sum in its own fixed
// order. Shapes are the simple MNIST convnet's pools at batch 16 and odd ones with channel tails.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';
import { Rng } from '../helpers/rng.js';
import { POOL_KERNELS } from '../../src/backend/kernels-pool.js';
import { GuardedBuffer } from '../helpers/wasm-buffers.js';
import type { PoolArgs } from '../reference/pool.js';
import { poolGeometry } from '../reference/pool.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
  expect(b.pool).not.toBeNull();
});
afterAll(async () => {
  await km.shutdown();
});

/** Inputs of the given lengths, outputs of the given lengths (garbage first): run `fn` with 1 and 2 threads, same bits. */
async function sameWithThreads(what: string, inputs: Float32Array[], outputs: number[], fn: (ptrs: number[]) => void): Promise<void> {
  const runs: Uint32Array[][] = [];
  for (const threads of [1, 2]) {
    await km.setThreads(threads);
    const bufs = [
      ...inputs.map((x) => new GuardedBuffer(b, x.length).set(x)),
      ...outputs.map((n) => new GuardedBuffer(b, n)),
    ];
    for (const buf of bufs.slice(inputs.length)) buf.data.fill(-7);
    fn(bufs.map((x) => x.ptr));
    runs.push(bufs.slice(inputs.length).map((x) => new Uint32Array(Float32Array.from(x.data).buffer)));
    for (const buf of bufs) {
      buf.checkGuards(what);
      buf.free();
    }
  }
  runs[0]!.forEach((one, i) => {
    const two = runs[1]![i]!;
    const at = one.findIndex((v, j) => v !== two[j]);
    expect(at, `${what}: output ${i} differs between 1 and 2 threads at`).toBe(-1);
  });
}

function random(n: number, rng: Rng, ties = false): Float32Array {
  return Float32Array.from({ length: n }, () => (ties && rng.next() < 0.5 ? rng.int(3) - 1 : rng.awkward(2)));
}

/** The f32-conv geometry block of a pool, as 16 i32 words reinterpreted as floats (a plain input buffer). */
function block(a: PoolArgs): Float32Array {
  const g = poolGeometry(a);
  return new Float32Array(Int32Array.from([g.inH, g.inW, g.cin, g.kh, g.kw, g.strideH, g.strideW, 1, 1, g.padTop, g.padLeft, g.outH, g.outW,
    g.cin, g.batch, 0]).buffer);
}

test('the pool wraps every f32-pool kernel to split it (its own export, not the raw one)', () => {
  const names = Object.keys(POOL_KERNELS);
  expect(names.length).toBe(14);
  expect(names.filter((name) => !Object.hasOwn(b.k, name))).toEqual([]);
});

test('windowed max and average pooling, forward and backward: 1 and 2 threads give the same bits', async () => {
  const cases: PoolArgs[] = [
    { batch: 16, inH: 26, inW: 26, cin: 32, kh: 2, kw: 2, strideH: 2, strideW: 2, padding: 'valid' },
    { batch: 9, inH: 11, inW: 13, cin: 21, kh: 3, kw: 3, strideH: 1, strideW: 2, padding: 'same' },
    { batch: 40, inH: 1, inW: 37, cin: 5, kh: 1, kw: 3, strideH: 1, strideW: 2, padding: 'same' },
  ];
  const rng = new Rng(1);
  for (const a of cases) {
    const g = poolGeometry(a);
    const xN = g.batch * g.inH * g.inW * g.cin;
    const yN = g.batch * g.outH * g.outW * g.cin;
    const rows = g.batch * g.outH;
    const inRows = g.batch * g.inH;
    const what = `${a.inH}×${a.inW}×${a.cin} pool ${a.kh}×${a.kw} strides ${a.strideH}×${a.strideW} ${a.padding} batch ${a.batch}`;
    const x = random(xN, rng, true);
    const dy = random(yN, rng);
    await sameWithThreads(`max ${what}`, [block(a), x, dy], [yN, xN], ([G, X, DY, Y, DX]) => {
      b.k.f32_maxpool2d_nhwc(rows, X!, Y!, G!, 0);
      b.k.f32_maxpool2d_nhwc_grad(g.batch, X!, Y!, DY!, DX!, G!, 0);
    });
    await sameWithThreads(`avg ${what}`, [block(a), x, dy], [yN, xN], ([G, X, DY, Y, DX]) => {
      b.k.f32_avgpool2d_nhwc(rows, X!, Y!, G!, 0);
      b.k.f32_avgpool2d_nhwc_grad(inRows, DY!, DX!, G!, 0);
    });
  }
});

test('global pooling, zero padding and upsampling, forward and backward: 1 and 2 threads give the same bits', async () => {
  const rng = new Rng(2);
  const [batch, h, w, c] = [24, 9, 7, 19];
  const x = random(batch * h * w * c, rng, true);
  const dyc = random(batch * c, rng);
  await sameWithThreads('global avg', [x, dyc], [batch * c, x.length], ([X, DY, Y, DX]) => {
    b.k.f32_global_avgpool_nhwc(batch, X!, Y!, 0, h * w, c);
    b.k.f32_global_avgpool_nhwc_grad(batch, DY!, DX!, 0, h * w, c);
  });
  await sameWithThreads('global max', [x, dyc], [batch * c, x.length], ([X, DY, Y, DX]) => {
    b.k.f32_global_maxpool_nhwc(batch, X!, Y!, 0, h * w, c);
    b.k.f32_global_maxpool_nhwc_grad(batch, X!, Y!, DY!, DX!, 0, h * w, c);
  });
  const pads = [1, 2, 3, 0] as const;
  const padded = batch * (h + 3) * (w + 3) * c;
  await sameWithThreads('zero padding', [x, random(padded, rng)], [padded, x.length], ([X, DY, Y, DX]) => {
    b.k.f32_zeropad2d_nhwc(batch, X!, Y!, 0, h, w, c, ...pads);
    b.k.f32_zeropad2d_nhwc_grad(batch, DY!, DX!, 0, h, w, c, ...pads);
  });
  const [sh, sw] = [2, 3];
  const up = batch * h * sh * w * sw * c;
  const dyUp = random(up, rng);
  await sameWithThreads('nearest upsampling', [x, dyUp], [up, x.length], ([X, DY, Y, DX]) => {
    b.k.f32_upsample2d_nearest_nhwc(batch * h, X!, Y!, 0, h, w, c, sh, sw);
    b.k.f32_upsample2d_nearest_nhwc_grad(batch * h, DY!, DX!, 0, h, w, c, sh, sw);
  });
  for (const halfPixel of [0, 1]) {
    await sameWithThreads(`bilinear upsampling (halfPixel ${halfPixel})`, [x, dyUp], [up, x.length], ([X, DY, Y, DX]) => {
      b.k.f32_upsample2d_bilinear_nhwc(batch * h * sh, X!, Y!, 0, h, w, c, sh, sw, halfPixel);
      b.k.f32_upsample2d_bilinear_nhwc_grad(batch, DY!, DX!, 0, h, w, c, sh, sw, halfPixel);
    });
  }
});

// The arena: 16-byte-aligned, zeroed regions; growth refreshes the typed views; freed space is
// reused and coalesced; misuse is an error.
import { beforeAll, expect, test } from 'vitest';
import * as km from '../../src/index.js';
import type { Backend } from '../../src/backend/loader.js';
import { ready } from '../../src/backend/loader.js';
import { testBackend } from '../helpers/backend.js';

let b: Backend;
beforeAll(async () => {
  b = await testBackend();
});

test('regions are 16-byte aligned, zero-filled and do not overlap', () => {
  const sizes = [1, 3, 16, 17, 100, 4096, 5];
  const regions = sizes.map((n) => b.arena.alloc(n));
  for (const r of regions) {
    expect(r.ptr % 16).toBe(0);
    expect(r.bytes % 16).toBe(0);
    expect(Array.from(b.arena.u8.subarray(r.ptr, r.ptr + r.bytes)).every((v) => v === 0)).toBe(true);
  }
  const sorted = [...regions].sort((p, q) => p.ptr - q.ptr);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.ptr).toBeGreaterThanOrEqual(sorted[i - 1]!.ptr + sorted[i - 1]!.bytes);
  for (const r of regions) b.arena.release(r);
});

test('growth refreshes the views, and data written before growth survives it', () => {
  const small = b.arena.alloc(64);
  b.arena.f32.fill(1.5, small.ptr >> 2, (small.ptr >> 2) + 16);
  const before = b.arena.memoryBytes;
  const big = b.arena.alloc(before + 3 * 65536);
  expect(b.arena.memoryBytes).toBeGreaterThan(before);
  expect(b.arena.f32.buffer).toBe(b.arena.memory.buffer);
  expect(b.arena.f32[(big.ptr >> 2) + (big.bytes >> 2) - 1]).toBe(0);
  expect(Array.from(b.arena.view(small, 16))).toEqual(new Array(16).fill(1.5));
  b.arena.release(big);
  b.arena.release(small);
});

test('freed space is reused (neighbours coalesced) and the high-water mark holds', () => {
  const a = b.arena.alloc(1024);
  const c = b.arena.alloc(1024);
  const d = b.arena.alloc(1024);
  const high = b.arena.highWater;
  b.arena.release(a);
  b.arena.release(c);
  const e = b.arena.alloc(2048);
  expect(e.ptr).toBe(a.ptr);
  expect(b.arena.highWater).toBe(high);
  b.arena.release(e);
  b.arena.release(d);
});

test('releasing twice, or a pointer the arena did not hand out, is an error', () => {
  const r = b.arena.alloc(32);
  b.arena.release(r);
  expect(() => b.arena.release(r)).toThrow(/no live region/);
  expect(() => b.arena.release(12345)).toThrow(km.KerasmError);
  expect(() => b.arena.alloc(-1)).toThrow(/non-negative integer byte count/);
});

test('ready() with another build than the running one is an error, not a silent no-op', async () => {
  const other = b.build === 'simd' ? 'relaxed' : 'simd';
  await expect(ready({ build: other })).rejects.toThrow(new RegExp(`already running the '${b.build}' build`));
  await expect(ready({ build: b.build })).resolves.toBe(b);
});

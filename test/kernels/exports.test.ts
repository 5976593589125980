import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { KERNEL_NAMES } from '../../src/backend/kernels.js';
import { testBackend } from '../helpers/backend.js';

test('the wasm build exports exactly the kernel table (plus memory)', async () => {
  const b = await testBackend();
  const bytes = readFileSync(new URL(`../../build/kerasm.${b.build}.wasm`, import.meta.url));
  const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name).filter((n) => n !== 'memory');
  expect(names.sort()).toEqual([...KERNEL_NAMES].sort());
});

import { afterAll, beforeAll, expect } from 'vitest';
import { ready, shutdown, type Backend, type BuildName } from '../../src/backend/loader.js';

/** The build this vitest project tests (KERASM_BUILD), loaded once per test file. */
export async function testBackend(): Promise<Backend> {
  const build = (process.env.KERASM_BUILD ?? 'simd') as BuildName;
  const b = await ready({ build });
  if (b.build !== build) throw new Error(`expected the ${build} build, got ${b.build}`);
  return b;
}

/**
 * For the threads projects' files: load this project's build once before the file's tests, check
 * that it has a worker pool, and shut the pool down after them.
 */
export function usePool(): void {
  beforeAll(async () => {
    const b = await testBackend();
    expect(b.pool).not.toBeNull();
  });
  afterAll(async () => {
    await shutdown();
  });
}

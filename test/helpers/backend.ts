import { ready, type Backend, type BuildName } from '../../src/backend/loader.js';

/** The build this vitest project tests (KERASM_BUILD), loaded once per test file. */
export async function testBackend(): Promise<Backend> {
  const build = (process.env.KERASM_BUILD ?? 'simd') as BuildName;
  const b = await ready({ build });
  if (b.build !== build) throw new Error(`expected the ${build} build, got ${b.build}`);
  return b;
}

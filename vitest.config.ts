import { defineConfig } from 'vitest/config';

// Two projects: the whole suite on the baseline `simd` build, and the kernel suite again
// and the determinism tests on the `relaxed` build (Node 20 needs a flag for relaxed SIMD; Node 22+ has it).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'simd',
          include: ['test/**/*.test.ts'],
          exclude: ['test/threads/**'],
          env: { KERASM_BUILD: 'simd' },
        },
      },
      {
        extends: true,
        test: {
          name: 'relaxed',
          include: ['test/kernels/**/*.test.ts', 'test/determinism/**/*.test.ts'],
          env: { KERASM_BUILD: 'relaxed' },
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      {
        extends: true,
        test: {
          name: 'threads',
          include: ['test/threads/**/*.test.ts', 'test/determinism/**/*.test.ts'],
          env: { KERASM_BUILD: 'threads' },
        },
      },
      {
        extends: true,
        test: {
          name: 'threads-relaxed',
          include: ['test/threads/**/*.test.ts', 'test/determinism/**/*.test.ts'],
          env: { KERASM_BUILD: 'threads' },
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
    ],
  },
});

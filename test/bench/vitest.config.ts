import { defineConfig } from 'vitest/config';

// Benchmarks run one file at a time, so that they do not compete for the two cores.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
  },
});

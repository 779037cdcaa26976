import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Benchmarks run one file at a time, so that they do not compete for the two cores.
export default defineConfig({
  // One graphql for everyone, as in the main configuration (graphql-js refuses types from "another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    include: ['test/bench/**/*.bench.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
  },
});

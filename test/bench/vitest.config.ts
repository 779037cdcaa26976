import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { SERVE_V8_FLAGS } from '../../platform/cli/serveFlags.js';

/** Benchmarks of the catalog server as `mesh serve` runs it: with its V8 flags (`serveFlags.ts`). */
const SERVER_BENCHES = ['test/bench/graphql.bench.ts'];

// Benchmarks run one file at a time, so that they do not compete for the two cores.
export default defineConfig({
  // One graphql for everyone, as in the main configuration (graphql-js refuses types from "another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    projects: [
      { extends: true, test: { name: 'server', include: SERVER_BENCHES, execArgv: [...SERVE_V8_FLAGS] } },
      { extends: true, test: { name: 'bench', include: ['test/bench/**/*.bench.ts'], exclude: SERVER_BENCHES } },
    ],
  },
});

import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One graphql for everyone: Node loads @apollo/server's `graphql` as CommonJS, so the tests' own imports must
  // resolve to the same file, not to the ESM build Vite prefers (graphql-js refuses types from "another realm").
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // Validates every OpenLineage event a test emits against the spec (see the file).
    setupFiles: ['test/setup/lineageConformance.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites that need PostgreSQL create a database of their own, so files may run in parallel.
    fileParallelism: true,
  },
});

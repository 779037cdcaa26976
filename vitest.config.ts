import { defineConfig } from 'vitest/config';

export default defineConfig({
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

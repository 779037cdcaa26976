import type { Migration } from './Migration.js';

/**
 * Indexes for the GraphQL catalog under load (found with the benchmark's generated catalog, `EXPLAIN
 * ANALYZE`). The latest data-test result of each port, with its score, is read by every discovery query (the
 * quality tie-break) and every product page: an index in that order, carrying the score, answers it from the
 * index alone, without sorting the results table. It replaces `quality_results_port`, a prefix of it.
 */
export const migration: Migration = {
  version: 4,
  name: 'graphql_indexes',
  sql: /* sql */ `
create index quality_results_latest on quality_results (product_id, port, measured_at desc, id desc) include (score);
drop index quality_results_port;
`,
};

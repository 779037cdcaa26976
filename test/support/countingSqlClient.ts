import type { QueryOptions, SqlClient } from '../../platform/db/SqlClient.js';

/** A `SqlClient` that counts the statements it sends, for benchmarks and for tests that pin round trips. */
export interface CountingSqlClient extends SqlClient {
  /** Statements sent since the last `reset()`: queries, scripts, COPYs, and BEGIN and COMMIT (or ROLLBACK) of each transaction. */
  readonly statements: number;
  /** Statements by their first line, most frequent first: where the round trips go. */
  top(limit?: number): { statement: string; count: number }[];
  reset(): void;
}

/**
 * Wraps a client (and every transaction it opens) so that each statement is counted. The store and the
 * GraphQL layer take it like any client (`new SqlCatalogStore(countingSqlClient(client))`); a benchmark reads
 * the count around a phase that runs one kind of request, and divides by the requests.
 */
export function countingSqlClient(client: SqlClient): CountingSqlClient {
  const counts = { total: 0, byText: new Map<string, number>() };
  return {
    ...wrap(client, counts),
    get statements() {
      return counts.total;
    },
    top(limit = 10) {
      return [...counts.byText].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([statement, count]) => ({ statement, count }));
    },
    reset() {
      counts.total = 0;
      counts.byText.clear();
    },
  };
}

function wrap(client: SqlClient, counts: { total: number; byText: Map<string, number> }): SqlClient {
  const count = (sql: string) => {
    counts.total++;
    const head = sql.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ').slice(0, 120);
    counts.byText.set(head, (counts.byText.get(head) ?? 0) + 1);
  };
  return {
    kind: client.kind,
    location: client.location,
    query<Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      count(sql);
      return client.query<Row>(sql, params, options);
    },
    exec(sql) {
      count(sql);
      return client.exec(sql);
    },
    transaction(fn, options) {
      count('begin');
      count('commit');
      return client.transaction((tx) => fn(wrap(tx, counts)), options);
    },
    copyFrom(sql, source) {
      count(sql);
      return client.copyFrom(sql, source);
    },
    copyTo(sql) {
      count(sql);
      return client.copyTo(sql);
    },
    ...(client.listen ? { listen: client.listen.bind(client) } : {}),
    close: () => client.close(),
  };
}

/** Something that runs one parameterized SQL statement: a pool, a connection, or an open transaction. */
export interface SqlExecutor {
  /**
   * Runs one statement with `$1..$n` parameters and returns its rows. `name` asks the driver to keep the
   * statement prepared under that name (PostgreSQL only; PGlite ignores it). Driver errors arrive already
   * translated into the project's errors (`translateDatabaseError`).
   */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations only). */
  exec(script: string): Promise<void>;
}

export interface QueryOptions {
  /** A stable name under which PostgreSQL keeps the statement prepared, per connection. */
  readonly name?: string;
}

/** Which engine a client talks to; the SQL is the same for both. */
export type SqlDialect = 'postgres' | 'pglite';

/**
 * The one seam between the catalog and a database driver. The catalog store runs the same SQL through either
 * adapter: `createPgSqlClient` (a `pg` pool on a PostgreSQL server) or `createPgliteSqlClient` (embedded
 * PGlite, a data directory or memory).
 */
export interface SqlClient extends SqlExecutor {
  readonly dialect: SqlDialect;
  /** A description for messages, with any password masked. */
  readonly description: string;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws.
   * Serialization failures and deadlocks (retryable by nature) are retried a few times with backoff, so `work`
   * must be safe to run again.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

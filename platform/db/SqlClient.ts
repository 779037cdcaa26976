import type { Readable } from 'node:stream';

export interface QueryOptions {
  /** A stable name under which PostgreSQL keeps the statement prepared, per connection (PGlite ignores it). */
  readonly name?: string;
}

/** How a top-level transaction begins; a nested one (a savepoint) runs in its caller's transaction as it is. */
export interface TransactionOptions {
  /**
   * `repeatable read`: every statement sees the snapshot of the first, so that several statements measuring
   * one table agree with each other (and parallel workers share it). Default: the server's (read committed).
   */
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
}

/** Rows of a query, with the count the server reports for writes. */
export interface SqlResult<Row> {
  readonly rows: Row[];
  readonly rowCount: number;
}

/**
 * The one interface mesh speaks to a PostgreSQL database through, whether a server (`pg`) or embedded (PGlite).
 * Every statement takes parameters; identifiers go through `quoteIdent`. Both adapters return `int8` as a
 * number when it is a safe integer, and `numeric` as a string (exact).
 */
export interface SqlClient {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, for lineage and messages (no password): `postgres://host:port/db`, `pglite://<dir>`, `pglite://memory`. */
  readonly location: string;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<SqlResult<Row>>;
  /** Runs several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. Inside a
   * transaction, a savepoint (`options` do not apply: the caller's transaction decides what is seen).
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** `COPY ... FROM STDIN` fed by `source`; returns the number of rows copied. */
  copyFrom(sql: string, source: Readable | AsyncIterable<Uint8Array | string>): Promise<number>;
  /** `COPY ... TO STDOUT`, as a stream of chunks. */
  copyTo(sql: string): AsyncIterable<Uint8Array>;
  /**
   * Listens on a notification channel (`LISTEN`) over a connection of its own, which is opened again when it is
   * lost (`reset` is called then: notifications may have been missed meanwhile). Resolves once listening;
   * returns the function that stops. Absent where no other process can write (PGlite: one process owns its data).
   */
  listen?(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What a `listen` calls: each notification's payload, and `reset` after the connection was lost and opened again. */
export interface NotificationHandlers {
  message(payload: string): void;
  reset(): void;
}

/** Quotes an identifier for PostgreSQL. */
export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Quotes a string literal for SQL text where a parameter cannot go (DDL, COPY options). Relies on
 * `standard_conforming_strings` (on by default since PostgreSQL 9.1), so backslashes are plain characters.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('literal contains a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Quotes a `schema.table` pair. */
export function quoteTable(table: { schema: string; name: string }): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** Parses `int8` text the way both adapters return it: a number when exact, else the text. */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

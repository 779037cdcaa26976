import pg from 'pg';
import type { QueryOptions, SqlClient, SqlExecutor } from './SqlClient.js';
import { retryTransient } from './retryTransient.js';
import { translateDatabaseError } from './translateDatabaseError.js';
import { maskUrl } from '../util/maskUrl.js';

export interface PgSqlClientOptions {
  /** Most connections in the pool (default 10). */
  readonly maxConnections?: number;
  /** Shown in `pg_stat_activity`. */
  readonly applicationName?: string;
}

const INT8_OID = 20;

/**
 * Results must look the same from both adapters. PGlite returns `bigint` columns as numbers; `pg` returns them as
 * strings unless told otherwise. Every `bigint` the catalog keeps (identities, counts) stays far below 2^53, so
 * this pool parses them as numbers too. The parser is per pool: other `pg` users in the process are unaffected.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** The PostgreSQL adapter: a `pg` pool on a server. */
export function createPgSqlClient(url: string, options: PgSqlClientOptions = {}): SqlClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'mesh-catalog',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle connection that breaks (server restart) emits 'error' on the pool; without a listener the process
  // would crash. The pool drops the connection; the next query opens a new one.
  pool.on('error', () => {});

  const run = async <Row>(target: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] | undefined, options?: QueryOptions): Promise<Row[]> => {
    try {
      // Without parameters `pg` uses the simple protocol, which also runs multi-statement scripts (exec).
      const config: pg.QueryConfig = params === undefined ? { text: sql } : { text: sql, values: params as unknown[] };
      if (options?.name !== undefined) config.name = options.name;
      const result = await target.query(config);
      return (Array.isArray(result) ? [] : result.rows) as Row[];
    } catch (error) {
      throw translateDatabaseError(error);
    }
  };

  return {
    dialect: 'postgres',
    description: `PostgreSQL ${maskUrl(url)}`,
    query: (sql, params, options) => run(pool, sql, params, options),
    async transaction(work) {
      return retryTransient(async () => {
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (error) {
          throw translateDatabaseError(error);
        }
        const tx: SqlExecutor = {
          query: (sql, params, options) => run(client, sql, params, options),
          exec: async (script) => void (await run(client, script, undefined)),
        };
        let broken: unknown;
        try {
          await run(client, 'begin', undefined);
          const result = await work(tx);
          await run(client, 'commit', undefined);
          return result;
        } catch (error) {
          try {
            await client.query('rollback');
          } catch (rollbackError) {
            broken = rollbackError;
          }
          throw translateDatabaseError(error);
        } finally {
          // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
          client.release(broken instanceof Error ? broken : undefined);
        }
      });
    },
    exec: async (script) => void (await run(pool, script, undefined)),
    async close() {
      await pool.end();
    },
  };
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parseInt8, type SqlClient, type SqlResult } from './SqlClient.js';

const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A client for a PostgreSQL server through a `pg` pool. */
export function createPostgresClient(url: string, options: { max?: number; applicationName?: string } = {}): SqlClient {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, application_name: options.applicationName ?? 'mesh', types });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const location = redact(url);
  return poolClient(pool, location);
}

function poolClient(pool: pg.Pool, location: string): SqlClient {
  return {
    kind: 'postgres',
    location,
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await pool.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(connectionClient(client, location));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async copyFrom(sql, source) {
      const client = await pool.connect();
      try {
        return await copyFromWith(client, sql, source);
      } finally {
        client.release();
      }
    },
    copyTo(sql) {
      return copyToWith(() => pool.connect(), sql);
    },
    async close() {
      await pool.end();
    },
  };
}

/** A client bound to one connection (inside a transaction). */
function connectionClient(client: pg.PoolClient, location: string): SqlClient {
  const self: SqlClient = {
    kind: 'postgres',
    location,
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await client.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      // Nested: a savepoint, so that an inner failure undoes only the inner work.
      const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
      await client.query(`savepoint ${name}`);
      try {
        const result = await fn(self);
        await client.query(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await client.query(`rollback to savepoint ${name}`);
        throw error;
      }
    },
    copyFrom: (sql, source) => copyFromWith(client, sql, source),
    copyTo: (sql) => copyToWith(async () => client, sql, false),
    async close() {},
  };
  return self;
}

async function copyFromWith(client: pg.PoolClient, sql: string, source: Readable | AsyncIterable<Uint8Array | string>): Promise<number> {
  const stream = client.query(copyStreams.from(sql));
  await pipeline(source instanceof Readable ? source : Readable.from(source), stream);
  return Number(stream.rowCount ?? 0);
}

async function* copyToWith(connect: () => Promise<pg.PoolClient>, sql: string, release = true): AsyncIterable<Uint8Array> {
  const client = await connect();
  try {
    yield* client.query(copyStreams.to(sql)) as AsyncIterable<Uint8Array>;
  } finally {
    if (release) (client as pg.PoolClient).release();
  }
}

/** The URL without its password, for logs and lineage. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    u.search = '';
    return u.href;
  } catch {
    return 'postgres://';
  }
}

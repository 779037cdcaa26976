import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { parseInt8, quoteIdent, type NotificationHandlers, type QueryOptions, type SqlClient, type SqlResult, type TransactionOptions } from './SqlClient.js';

const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A client for a PostgreSQL server through a `pg` pool. */
export function createPostgresClient(url: string, options: { max?: number; applicationName?: string } = {}): SqlClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mesh',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const location = redact(url);
  const listener = () => new pg.Client({ connectionString: url, application_name: `${options.applicationName ?? 'mesh'}-listen`, connectionTimeoutMillis: 10_000, types });
  return poolClient(pool, location, listener);
}

function poolClient(pool: pg.Pool, location: string, listener: () => pg.Client): SqlClient {
  const listening = new Set<() => Promise<void>>();
  return {
    kind: 'postgres',
    location,
    async listen(channel, handlers) {
      const stop = await listen(listener, channel, handlers);
      const remove = async () => {
        listening.delete(remove);
        await stop();
      };
      listening.add(remove);
      return remove;
    },
    query: <Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) => run<Row>(pool, sql, params, options),
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return withConnection(pool, async (client) => {
        await client.query(options?.isolation ? `begin isolation level ${options.isolation}` : 'begin');
        try {
          const result = await fn(connectionClient(client, location));
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => {});
          throw error;
        }
      });
    },
    copyFrom(sql, source) {
      return withConnection(pool, (client) => copyFromWith(client, sql, source));
    },
    copyTo(sql) {
      return copyToWith(() => pool.connect(), sql);
    },
    async close() {
      await Promise.all([...listening].map((stop) => stop()));
      await pool.end();
    },
  };
}

/** Longest wait between two attempts to open a lost listening connection again. */
const MAX_LISTEN_RETRY_MS = 10_000;

/**
 * `LISTEN channel` on a connection of its own (a pooled one would be handed to others). When the connection is
 * lost, it is opened again after a growing wait (250 ms doubling up to 10 s), and `reset` is called once it
 * listens again, since notifications sent in between are gone. The first connection must succeed: its error
 * is the caller's.
 */
async function listen(connect: () => pg.Client, channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let wait = 250;
  const open = async (): Promise<void> => {
    const client = connect();
    client.on('notification', (n) => {
      if (n.channel === channel && !stopped) handlers.message(n.payload ?? '');
    });
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`listen ${quoteIdent(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await client.end().catch(() => {});
      return;
    }
    current = client;
    wait = 250;
  };
  const lost = (client: pg.Client) => {
    if (stopped || current !== client || retry) return;
    current = undefined;
    client.end().catch(() => {});
    const again = () => {
      retry = setTimeout(() => {
        retry = undefined;
        if (stopped) return;
        open().then(
          () => {
            if (!stopped) handlers.reset();
          },
          () => {
            wait = Math.min(wait * 2, MAX_LISTEN_RETRY_MS);
            again();
          },
        );
      }, wait);
      retry.unref();
    };
    again();
  };
  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const client = current;
    current = undefined;
    await client?.end().catch(() => {});
  };
}

/**
 * Runs `fn` on a connection of its own. While it is checked out, a connection that dies (the backend
 * terminated, the network gone) emits `error` on the client, which would end the process if nobody listened;
 * the error is kept instead, the query in flight fails with it, and the connection is destroyed rather than
 * returned to the pool, so that the next attempt gets a live one.
 */
async function withConnection<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } catch (error) {
    broken ??= connectionLost(error) ? (error as Error) : undefined;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken ?? false);
  }
}

/** A driver error after which the connection cannot be used again. */
function connectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'))) || (error instanceof Error && /^Connection terminated/.test(error.message));
}

/** A client bound to one connection (inside a transaction). */
function connectionClient(client: pg.PoolClient, location: string): SqlClient {
  const self: SqlClient = {
    kind: 'postgres',
    location,
    query: <Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) => run<Row>(client, sql, params, options),
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
        // When the connection is gone the rollback fails too; the original error is the one to report.
        await client.query(`rollback to savepoint ${name}`).catch(() => {});
        throw error;
      }
    },
    copyFrom: (sql, source) => copyFromWith(client, sql, source),
    copyTo: (sql) => copyToWith(async () => client, sql, false),
    async close() {},
  };
  return self;
}

/** One parameterized statement; `name` keeps it prepared on the connection. */
async function run<Row>(target: pg.Pool | pg.PoolClient, sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<SqlResult<Row>> {
  const config: pg.QueryConfig = { text: sql, values: params as unknown[] };
  if (options?.name !== undefined) config.name = options.name;
  const result = await target.query(config);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

async function copyFromWith(client: pg.PoolClient, sql: string, source: Readable | AsyncIterable<Uint8Array | string>): Promise<number> {
  const stream = client.query(copyStreams.from(sql));
  await pipeline(source instanceof Readable ? source : Readable.from(source), stream);
  return Number(stream.rowCount ?? 0);
}

async function* copyToWith(connect: () => Promise<pg.PoolClient>, sql: string, release = true): AsyncIterable<Uint8Array> {
  const client = await connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  if (release) client.on('error', onError);
  try {
    yield* client.query(copyStreams.to(sql)) as AsyncIterable<Uint8Array>;
  } finally {
    if (release) {
      client.off('error', onError);
      client.release(broken ?? false);
    }
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

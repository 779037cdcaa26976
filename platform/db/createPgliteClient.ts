import { mkdir, readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { PGlite, types as pgliteTypes, type PGliteInterface, type Transaction } from '@electric-sql/pglite';
import { acquireDirectoryLock } from './acquireDirectoryLock.js';
import { pgliteTemplate } from './pgliteTemplate.js';
import { parseInt8, type SqlClient, type SqlResult } from './SqlClient.js';

/**
 * A client for an embedded PGlite database: a data directory, or memory when `dataDir` is undefined. PGlite is
 * one connection: work is serialized by PGlite itself, and a transaction holds it. PGlite is also single-user:
 * two processes must never open one directory, so the client holds a lock file beside it (`<dataDir>.lock`),
 * and a second opener gets a `ConflictError` naming the process that holds it.
 */
export async function createPgliteClient(dataDir?: string, options: { what?: string } = {}): Promise<SqlClient> {
  const parsers = { [pgliteTypes.INT8]: parseInt8 };
  // A new database starts from an initialized template instead of running initdb (seconds saved each time).
  const fresh = async (dir?: string) => {
    const template = dir === undefined || (await isEmptyDirectory(dir)) ? await pgliteTemplate() : undefined;
    return template ? { loadDataDir: template } : {};
  };
  if (dataDir === undefined) {
    const db = await PGlite.create({ parsers, ...(await fresh()) });
    return pgliteClient(db, 'pglite://memory', () => db.close());
  }
  const dir = resolve(dataDir);
  await mkdir(dirname(dir), { recursive: true });
  const release = await acquireDirectoryLock(`${dir}.lock`, options.what ?? `the database in ${dir}`);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: dir, parsers, ...(await fresh(dir)) });
  } catch (error) {
    await release();
    throw error;
  }
  let closed: Promise<void> | undefined;
  return pgliteClient(db, `pglite://${dir}`, () =>
    (closed ??= (async () => {
      try {
        await db.close();
      } finally {
        await release();
      }
    })()),
  );
}

function pgliteClient(db: PGliteInterface | Transaction, location: string, close: () => Promise<void>): SqlClient {
  const self: SqlClient = {
    kind: 'pglite',
    location,
    async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await db.query<Row>(sql, params as unknown[]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      // Isolation options need nothing here: PGlite is one connection, and a transaction holds it, so no other
      // writer can change what its statements see.
      if ('transaction' in db) return db.transaction((tx) => fn(pgliteClient(tx, location, async () => {})));
      // Already in a transaction: a savepoint.
      const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
      await db.exec(`savepoint ${name}`);
      try {
        const result = await fn(self);
        await db.exec(`release savepoint ${name}`);
        return result;
      } catch (error) {
        await db.exec(`rollback to savepoint ${name}`).catch(() => {});
        throw error;
      }
    },
    async copyFrom(sql: string, source: Readable | AsyncIterable<Uint8Array | string>): Promise<number> {
      // PGlite reads COPY input from a Blob at /dev/blob: the input is gathered in memory first.
      const parts: Uint8Array[] = [];
      for await (const chunk of source instanceof Readable ? source : Readable.from(source)) {
        parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array));
      }
      const result = await db.query(sql.replace(/\bfrom\s+stdin\b/i, "FROM '/dev/blob'"), [], { blob: new Blob(parts) });
      return result.affectedRows ?? 0;
    },
    async *copyTo(sql: string): AsyncIterable<Uint8Array> {
      const result = await db.query(sql.replace(/\bto\s+stdout\b/i, "TO '/dev/blob'"));
      if (result.blob) yield new Uint8Array(await result.blob.arrayBuffer());
    },
    close,
  };
  return self;
}

async function isEmptyDirectory(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true; // does not exist yet
  }
}

import { PGlite } from '@electric-sql/pglite';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SqlClient, SqlExecutor } from './SqlClient.js';
import { translateDatabaseError } from './translateDatabaseError.js';
import { acquireDirectoryLock } from './acquireDirectoryLock.js';

/**
 * The embedded adapter: PGlite (PostgreSQL compiled to WebAssembly) in this process, keeping its files in
 * `dataDir`, or in memory when `dataDir` is undefined. PGlite is single-user: two processes must never open the
 * same directory, so the adapter holds a lock file beside it (`<dataDir>.lock`) while it is open.
 */
export async function createPgliteSqlClient(dataDir: string | undefined): Promise<SqlClient> {
  let release = async () => {};
  let db: PGlite;
  if (dataDir === undefined) {
    db = await PGlite.create();
  } else {
    const dir = resolve(dataDir);
    await mkdir(dirname(dir), { recursive: true });
    release = await acquireDirectoryLock(`${dir}.lock`, `the embedded catalog ${dir}`);
    try {
      db = await PGlite.create(dir);
    } catch (error) {
      await release();
      throw translateDatabaseError(error);
    }
  }

  const query: SqlExecutor['query'] = async (sql, params) => {
    try {
      const result = await db.query(sql, params as unknown[] | undefined);
      return result.rows as never[];
    } catch (error) {
      throw translateDatabaseError(error);
    }
  };

  let closed: Promise<void> | undefined;
  return {
    dialect: 'pglite',
    description: dataDir === undefined ? 'PGlite (in memory)' : `PGlite ${resolve(dataDir)}`,
    query,
    async transaction(work) {
      // PGlite has one connection and runs one transaction at a time, queueing other statements: there is no
      // concurrent writer, hence no serialization failure to retry.
      try {
        return await db.transaction((tx) =>
          work({
            query: async (sql, params) => (await tx.query(sql, params as unknown[] | undefined)).rows as never[],
            exec: async (script) => void (await tx.exec(script)),
          }),
        );
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
    async exec(script) {
      try {
        await db.exec(script);
      } catch (error) {
        throw translateDatabaseError(error);
      }
    },
    close() {
      closed ??= (async () => {
        try {
          await db.close();
        } finally {
          await release();
        }
      })();
      return closed;
    },
  };
}

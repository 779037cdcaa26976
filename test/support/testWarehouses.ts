import { afterAll } from 'vitest';
import { createPgliteClient } from '../../platform/db/createPgliteClient.js';
import { createPostgresClient } from '../../platform/db/createPostgresClient.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './postgres.js';

export interface WarehouseCase {
  readonly name: 'PGlite' | 'PostgreSQL';
  readonly enabled: boolean;
  /** The client, opened on first use and closed after the file's tests. */
  get(): Promise<SqlClient>;
  /** The PostgreSQL database's URL (PostgreSQL only). */
  url(): Promise<string>;
}

/**
 * One embedded and one server warehouse for `describe.each`: the same assertions run on both. The server one
 * is a database of its own, dropped afterwards.
 */
export async function openTestWarehouses(prefix: string): Promise<{ cases: WarehouseCase[] }> {
  const postgres = await postgresAvailable();
  let pglite: Promise<SqlClient> | undefined;
  let database: Promise<TestDatabase> | undefined;
  let server: Promise<SqlClient> | undefined;
  afterAll(async () => {
    await (await pglite)?.close();
    await (await server)?.close();
    await (await database)?.drop();
  });
  const db = () => (database ??= createTestDatabase(`mesh_${prefix}`));
  return {
    cases: [
      { name: 'PGlite', enabled: true, get: () => (pglite ??= createPgliteClient()), url: () => Promise.reject(new Error('PGlite has no URL')) },
      {
        name: 'PostgreSQL',
        enabled: postgres,
        get: () => (server ??= db().then((d) => createPostgresClient(d.url))),
        url: () => db().then((d) => d.url),
      },
    ],
  };
}

import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * PostgreSQL for tests. `MESH_TEST_POSTGRES_URL` points at a server (default: the local one). Each suite gets a
 * database of its own, dropped afterwards, so that suites can run in parallel and leave nothing behind.
 *
 * When the server cannot be reached: with `MESH_REQUIRE_POSTGRES=1` (set by `.ci/run`) the suite fails loudly;
 * otherwise it is skipped with a message saying why.
 */
export const POSTGRES_ADMIN_URL = process.env['MESH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_REQUIRED = process.env['MESH_REQUIRE_POSTGRES'] === '1';

let available: Promise<boolean> | undefined;

/** Whether the test server answers; throws when it does not and PostgreSQL is required. */
export function postgresAvailable(): Promise<boolean> {
  available ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (error) {
      if (POSTGRES_REQUIRED) {
        throw new Error(`PostgreSQL is required (MESH_REQUIRE_POSTGRES=1) but ${POSTGRES_ADMIN_URL} does not answer: ${(error as Error).message}`);
      }
      console.warn(`\n[mesh tests] PostgreSQL at ${POSTGRES_ADMIN_URL} does not answer (${(error as Error).message}); PostgreSQL suites are SKIPPED. Set MESH_TEST_POSTGRES_URL or start the server.\n`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return available;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Creates an empty database for one suite. */
export async function createTestDatabase(prefix = 'mesh_test'): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    name,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

import { createHash } from 'node:crypto';
import { ConflictError } from '../../platform/errors.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/**
 * Key of the PostgreSQL advisory lock that serializes migrators: two `mesh serve` processes starting against
 * the same empty database apply each migration once. (PGlite has one connection; the lock is free there.)
 */
const MIGRATION_LOCK = 0x6d657368_01; // "mesh" + 1

export interface MigrationReport {
  /** Versions applied by this call, in order. */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

/**
 * Brings the catalog schema up to date, in one transaction under an advisory lock: creates `mesh_migrations`,
 * checks the recorded checksums against the migrations it knows, and applies the missing ones in order.
 * Refuses a database migrated by a newer mesh, or one whose applied migration was edited afterwards.
 */
export async function migrate(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  return client.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    await tx.exec(`create table if not exists mesh_migrations (
      version    integer primary key,
      name       text not null,
      checksum   text not null,
      applied_at timestamptz not null default now()
    )`);
    const recorded = (await tx.query<{ version: number; name: string; checksum: string }>('select version, name, checksum from mesh_migrations order by version')).rows;
    const known = new Map(ordered.map((m) => [m.version, m]));
    for (const row of recorded) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new ConflictError(`the catalog database has schema version ${row.version} (${row.name}), which this mesh does not know; upgrade mesh`);
      }
      if (checksum(migration) !== row.checksum) {
        throw new ConflictError(`migration ${row.version} (${row.name}) was changed after it was applied to this database; migrations must never be edited`);
      }
    }
    const done = new Set(recorded.map((r) => r.version));
    const applied: number[] = [];
    for (const migration of ordered) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('insert into mesh_migrations (version, name, checksum) values ($1, $2, $3)', [migration.version, migration.name, checksum(migration)]);
      applied.push(migration.version);
    }
    return { applied, version: ordered.length > 0 ? ordered[ordered.length - 1]!.version : 0 };
  });
}

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

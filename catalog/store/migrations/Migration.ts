/**
 * One versioned step of the catalog schema. Migrations are applied in `version` order, each once, and recorded
 * in `mesh_migrations` with a checksum of their SQL: editing an applied migration is detected, never silently
 * ignored. Add a new file for every change; never edit a released one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** DDL run as one script inside the migration transaction. */
  readonly sql: string;
}

import type { DatabaseConfig } from '../../catalog/config/resolveCatalogConfig.js';
import { createTestDatabase, postgresAvailable } from './postgres.js';

/** One database the catalog suites run against. */
export interface CatalogAdapter {
  readonly name: string;
  readonly available: boolean;
  /** A fresh, empty database, and how to drop it. */
  create(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }>;
}

const postgres = await postgresAvailable();

/**
 * The adapters every catalog suite runs on with `describe.each`: embedded PGlite in memory, and the real
 * PostgreSQL server (a database of its own per call). Without a server the PostgreSQL cases are skipped,
 * except in CI, where `postgresAvailable` fails loudly.
 */
export const CATALOG_ADAPTERS: readonly CatalogAdapter[] = [
  {
    name: 'PGlite',
    available: true,
    async create() {
      return { config: { kind: 'pglite', dataDir: undefined }, drop: async () => {} };
    },
  },
  {
    name: 'PostgreSQL',
    available: postgres,
    async create() {
      const db = await createTestDatabase('mesh_catalog');
      return { config: { kind: 'postgres', url: db.url }, drop: () => db.drop() };
    },
  },
];

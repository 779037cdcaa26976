import type { DatabaseConfig } from '../config/resolveCatalogConfig.js';
import type { CatalogStore } from './CatalogStore.js';
import { migrate } from './migrate.js';
import { createPgliteSqlClient } from './PgliteSqlClient.js';
import { createPgSqlClient } from './PgSqlClient.js';
import type { SqlClient } from './SqlClient.js';
import { SqlCatalogStore, type CatalogStoreOptions } from './SqlCatalogStore.js';

export interface OpenCatalogOptions extends CatalogStoreOptions {
  /** Most PostgreSQL connections (default 10). */
  readonly maxConnections?: number;
}

/** Opens the adapter a configuration names. */
export async function openSqlClient(config: DatabaseConfig, options: { maxConnections?: number } = {}): Promise<SqlClient> {
  switch (config.kind) {
    case 'postgres':
      return createPgSqlClient(config.url, options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections });
    case 'pglite':
      return createPgliteSqlClient(config.dataDir);
  }
}

/** Opens the catalog database, brings its schema up to date, and returns the store. */
export async function openCatalogStore(config: DatabaseConfig, options: OpenCatalogOptions = {}): Promise<CatalogStore> {
  const client = await openSqlClient(config, options);
  try {
    await migrate(client);
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
  return new SqlCatalogStore(client, options);
}

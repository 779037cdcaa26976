import type { DatabaseConfig } from '../config/resolveCatalogConfig.js';
import type { CatalogStore } from './CatalogStore.js';
import { migrate } from './migrate.js';
import { resolve } from 'node:path';
import { createPgliteClient } from '../../platform/db/createPgliteClient.js';
import { createPostgresClient } from '../../platform/db/createPostgresClient.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { translatingClient } from './translatingClient.js';
import { translateDatabaseError } from './translateDatabaseError.js';
import { SqlCatalogStore, type CatalogStoreOptions } from './SqlCatalogStore.js';

export interface OpenCatalogOptions extends CatalogStoreOptions {
  /** Most PostgreSQL connections (default 10). */
  readonly maxConnections?: number;
}

/** Opens the database a configuration names, with the catalog's error translation. */
export async function openSqlClient(config: DatabaseConfig, options: { maxConnections?: number } = {}): Promise<SqlClient> {
  switch (config.kind) {
    case 'postgres':
      return translatingClient(createPostgresClient(config.url, { applicationName: 'mesh-catalog', ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }) }));
    case 'pglite':
      try {
        const what = config.dataDir === undefined ? undefined : `the embedded catalog ${resolve(config.dataDir)}`;
        return translatingClient(await createPgliteClient(config.dataDir, what === undefined ? {} : { what }));
      } catch (error) {
        throw translateDatabaseError(error);
      }
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

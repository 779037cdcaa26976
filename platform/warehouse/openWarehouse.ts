import { mkdir } from 'node:fs/promises';
import { createPgliteClient } from '../db/createPgliteClient.js';
import { createPostgresClient } from '../db/createPostgresClient.js';
import type { WarehouseConfig } from './resolveWarehouseConfig.js';
import type { SqlClient } from '../db/SqlClient.js';

/** Opens the warehouse a configuration names. */
export async function openWarehouse(config: WarehouseConfig): Promise<SqlClient> {
  if (config.kind === 'postgres') return createPostgresClient(config.url, { applicationName: 'mesh-warehouse' });
  if (config.dataDir !== undefined) await mkdir(config.dataDir, { recursive: true });
  return createPgliteClient(config.dataDir);
}

export type { SqlClient, SqlResult } from './SqlClient.js';
export { quoteIdent, quoteLiteral, quoteTable } from './SqlClient.js';
export { createPostgresClient } from './createPostgresClient.js';
export { createPgliteClient } from './createPgliteClient.js';
export { openWarehouse } from './openWarehouse.js';
export { resolveWarehouseConfig, type WarehouseConfig } from './resolveWarehouseConfig.js';
export { portTable, columnType, type TableName } from './portTable.js';
export { isTransientError, sqlState } from './transientErrors.js';

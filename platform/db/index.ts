export type { SqlClient, SqlResult, QueryOptions, TransactionOptions } from './SqlClient.js';
export { quoteIdent, quoteLiteral, quoteTable } from './SqlClient.js';
export { createPostgresClient, redact } from './createPostgresClient.js';
export { createPgliteClient } from './createPgliteClient.js';
export { acquireDirectoryLock } from './acquireDirectoryLock.js';
export { isTransientError, sqlState } from './transientErrors.js';

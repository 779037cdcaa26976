import type { NotificationHandlers, QueryOptions, SqlClient, TransactionOptions } from '../../platform/db/SqlClient.js';
import { retryTransient } from './retryTransient.js';
import { translateDatabaseError } from './translateDatabaseError.js';

/**
 * The catalog's view of a database: the same `SqlClient`, with every driver error translated into the project's
 * errors at this one boundary (`translateDatabaseError`), and top-level transactions that fail with a
 * serialization failure or a deadlock run again (`retryTransient`), so their work must be safe to repeat.
 */
export function translatingClient(client: SqlClient, nested = false): SqlClient {
  const translate = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  };
  return {
    kind: client.kind,
    location: client.location,
    query: <Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) => translate(() => client.query<Row>(sql, params, options)),
    exec: (sql) => translate(() => client.exec(sql)),
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>, options?: TransactionOptions) => {
      const once = () => translate(() => client.transaction((tx) => fn(translatingClient(tx, true)), options));
      return nested ? once() : retryTransient(once);
    },
    copyFrom: (sql, source) => translate(() => client.copyFrom(sql, source)),
    copyTo: (sql) => client.copyTo(sql),
    ...(client.listen ? { listen: (channel: string, handlers: NotificationHandlers) => translate(() => client.listen!(channel, handlers)) } : {}),
    close: () => client.close(),
  };
}

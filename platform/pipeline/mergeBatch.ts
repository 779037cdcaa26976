import { quoteIdent, quoteTable, type SqlClient } from '../warehouse/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';

/** The temporary table an incremental step or a CDC load builds its new rows in. */
export const BATCH = 'pg_temp.mesh_batch';

/** `a.k1 = b.k1 and a.k2 = b.k2`. Null keys never match, as in SQL's MERGE. */
export function keyJoin(keys: readonly string[], a: string, b: string): string {
  return keys.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' and ');
}

/**
 * The condition keeping a batch row above the watermark of `table`: its watermark greater than the largest
 * one there. An empty table has no watermark, and then every row counts.
 */
export function aboveWatermark(alias: string, watermark: string, table: string): string {
  const column = quoteIdent(watermark);
  return `(${alias}.${column} > (select max(${column}) from ${table}) or not exists (select from ${table} where ${column} is not null))`;
}

/**
 * Merges `BATCH` into `staging` (a copy of the published table): rows whose `uniqueKey` is in the batch
 * are replaced by the batch's, the others appended. Without a key every batch row is appended. Columns are
 * matched by name, so that a transform listing them in another order still merges. Returns the rows merged.
 */
export async function mergeBatch(tx: SqlClient, staging: TableName, uniqueKey: readonly string[] | undefined, columns: readonly string[]): Promise<number> {
  const target = quoteTable(staging);
  if (uniqueKey && uniqueKey.length > 0) {
    await tx.exec(`delete from ${target} as s using ${BATCH} as b where ${keyJoin(uniqueKey, 's', 'b')}`);
  }
  const list = columns.map(quoteIdent).join(', ');
  const { rowCount } = await tx.query(`insert into ${target} (${list}) select ${list} from ${BATCH}`);
  return rowCount;
}

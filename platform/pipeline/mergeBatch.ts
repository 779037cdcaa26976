import { quoteIdent, quoteTable, type SqlClient } from '../db/SqlClient.js';
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

/** Keys whose new version the audit rejected (see `keepPublishedVersions`). */
export const REJECTED_KEYS = 'pg_temp.mesh_rejected_keys';

/**
 * After the audit has removed the rejected rows from `staging`: a key that came with a new version (a row of
 * `source` matching `upserts`) but is no longer in `staging` lost it to the audit. It keeps its published
 * version instead, and the key is listed in `REJECTED_KEYS`, so that the change is not recorded as applied
 * and the next run tries it again (its dead letter stays until the source is fixed).
 */
export async function keepPublishedVersions(
  tx: SqlClient,
  staging: TableName,
  target: TableName,
  key: readonly string[],
  source: string,
  upserts: string,
  columns: readonly string[],
  restore = true,
): Promise<number> {
  const keys = key.map(quoteIdent).join(', ');
  await tx.exec(
    `create temp table ${REJECTED_KEYS} on commit drop as select distinct ${keys} from ${source} as c ` +
      `where ${upserts} and not exists (select from ${quoteTable(staging)} as s where ${keyJoin(key, 's', 'c')})`,
  );
  if (!restore) return 0; // a full refresh rebuilds from the source alone
  const exists = (await tx.query<{ found: boolean }>('select to_regclass($1) is not null as found', [quoteTable(target)])).rows[0]!.found;
  if (!exists) return 0;
  const list = columns.map(quoteIdent).join(', ');
  const { rowCount } = await tx.query(
    `insert into ${quoteTable(staging)} (${list}) select ${list} from ${quoteTable(target)} as t where exists (select from ${REJECTED_KEYS} as r where ${keyJoin(key, 't', 'r')})`,
  );
  return rowCount;
}

import { quoteIdent, quoteTable, type SqlClient } from '../db/SqlClient.js';
import type { TableName } from '../warehouse/portTable.js';

/** What a name in the warehouse is: a table, a view, or nothing yet. */
export type RelationKind = 'table' | 'view' | 'other';

const RELKINDS: Readonly<Record<string, RelationKind>> = { r: 'table', p: 'table', v: 'view' };

/** The kind of relation `table` names, or undefined when there is none. */
export async function relationKind(tx: SqlClient, table: TableName): Promise<RelationKind | undefined> {
  const { rows } = await tx.query<{ relkind: string }>(
    'select c.relkind::text as relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2',
    [table.schema, table.name],
  );
  return rows[0] === undefined ? undefined : (RELKINDS[rows[0].relkind] ?? 'other');
}

/** Views (of other products, or anyone's) whose definition reads `table`: they pin it in place. */
export async function dependentViews(tx: SqlClient, table: TableName): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `select distinct dn.nspname || '.' || dc.relname as name
       from pg_depend d
       join pg_rewrite r on r.oid = d.objid
       join pg_class dc on dc.oid = r.ev_class
       join pg_namespace dn on dn.oid = dc.relnamespace
      where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
        and d.refobjid = to_regclass($1) and r.ev_class <> d.refobjid
      order by 1`,
    [quoteTable(table)],
  );
  return rows.map((r) => r.name);
}

/** Column names and types of a relation, in order. */
export async function relationColumns(tx: SqlClient, table: TableName): Promise<{ name: string; type: string }[]> {
  const { rows } = await tx.query<{ name: string; type: string }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a
      where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [quoteTable(table)],
  );
  return rows;
}

/** Drops whatever `table` names (table or view), if anything. */
export async function dropRelation(tx: SqlClient, table: TableName): Promise<void> {
  const kind = await relationKind(tx, table);
  if (kind === 'table') await tx.exec(`drop table ${quoteTable(table)}`);
  else if (kind === 'view') await tx.exec(`drop view ${quoteTable(table)}`);
}

/**
 * A name beside `table` for the pipeline's own relations (`__staging`, `__dead_letters`, `__cdc_state`),
 * shortened to PostgreSQL's 63-byte identifiers. Port table names are ASCII (`portTable` folds them).
 */
export function besideTable(table: TableName, suffix: string): TableName {
  return { schema: table.schema, name: `${table.name.slice(0, 63 - suffix.length)}${suffix}` };
}

/** One privilege granted on a relation (to a role, or to PUBLIC when `grantee` is null). */
export interface Grant {
  readonly grantee: string | null;
  readonly privilege: string;
  readonly grantable: boolean;
}

/** The privileges granted on `table` to others than its owner. */
export async function readGrants(tx: SqlClient, table: TableName): Promise<Grant[]> {
  const { rows } = await tx.query<Grant>(
    `select case when a.grantee = 0 then null else pg_get_userbyid(a.grantee) end as grantee, a.privilege_type as privilege, a.is_grantable as grantable
       from pg_class c, aclexplode(c.relacl) a
      where c.oid = to_regclass($1) and a.grantee <> c.relowner
      order by 1, 2`,
    [quoteTable(table)],
  );
  return rows;
}

/** Gives `grants` on `table`: replacing a relation keeps its readers' access. */
export async function applyGrants(tx: SqlClient, grants: readonly Grant[], table: TableName): Promise<void> {
  for (const grant of grants) {
    await tx.exec(`grant ${grant.privilege} on ${quoteTable(table)} to ${grant.grantee === null ? 'public' : quoteIdent(grant.grantee)}${grant.grantable ? ' with grant option' : ''}`);
  }
}

/** Rows of a relation (a quoted name). CREATE TABLE AS reports no count on every driver, so count. */
export async function countRows(client: SqlClient, relation: string): Promise<number> {
  return (await client.query<{ n: number }>(`select count(*)::bigint as n from ${relation}`)).rows[0]!.n;
}

import { NotFoundError } from '../../errors.js';
import type { TableName } from '../../warehouse/portTable.js';
import { quoteTable, type SqlClient } from '../../db/SqlClient.js';

/** How a column's values read as JSON, which decides what SQL can check of them. */
export type ColumnKind = 'integer' | 'numeric' | 'float' | 'text' | 'boolean' | 'date' | 'timestamptz' | 'timestamp' | 'json' | 'other';

export interface ColumnInfo {
  readonly name: string;
  /** `format_type`, e.g. `numeric(12,2)`. */
  readonly type: string;
  readonly kind: ColumnKind;
  /** The base type's name (`int8`, `text`...), a domain's base type for a domain. */
  readonly base: string;
  /** A NOT NULL column. */
  readonly notNull: boolean;
}

export interface TableInfo {
  readonly columns: readonly ColumnInfo[];
  /** Column sets of the valid, total, plain unique indexes (primary key included). */
  readonly uniqueIndexes: readonly (readonly string[])[];
  /** Whether rows have a stable `ctid` to name them by (tables and materialized views). */
  readonly hasCtid: boolean;
  /** Text pushdown needs UTF-8 (characters are code points) and standard strings (literals as written). */
  readonly textPushdown: boolean;
  /** Names of the table's validated CHECK constraints. */
  readonly checks: readonly string[];
}

const KINDS: Record<string, ColumnKind> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'numeric',
  float8: 'float',
  text: 'text',
  varchar: 'text',
  bool: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  json: 'json',
  jsonb: 'json',
};

/** The kind of a column of base type `typname` (`int8`, `text`...). */
export function columnKind(typname: string): ColumnKind {
  return KINDS[typname] ?? 'other';
}

/** Reads a table's columns (domains by their base type), unique indexes and the server settings text checks rely on. */
export async function describeTable(client: SqlClient, table: TableName): Promise<TableInfo> {
  const name = quoteTable(table);
  const { rows: found } = await client.query<{ kind: string | null }>('select (select relkind::text from pg_class where oid = to_regclass($1)) as kind', [name]);
  const relkind = found[0]?.kind ?? null;
  if (relkind === null) throw new NotFoundError(`table ${table.schema}.${table.name} does not exist in the warehouse; run mesh run first, or pass --file`);
  const { rows: columns } = await client.query<{ name: string; type: string; base: string; notNull: boolean }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, coalesce(b.typname, t.typname)::text as base, a.attnotnull as "notNull"
       from pg_attribute a
       join pg_type t on t.oid = a.atttypid
       left join pg_type b on t.typtype = 'd' and b.oid = t.typbasetype
      where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [name],
  );
  const { rows: indexes } = await client.query<{ cols: string[] }>(
    `select array_agg(a.attname::text order by k.i) as cols
       from pg_index x
      cross join lateral unnest(x.indkey::int2[]) with ordinality as k(attnum, i)
       join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
      where x.indrelid = to_regclass($1) and x.indisunique and x.indisvalid and x.indpred is null and x.indexprs is null
        and k.i <= x.indnkeyatts
      group by x.indexrelid`,
    [name],
  );
  const { rows: checks } = await client.query<{ name: string }>(
    "select conname::text as name from pg_constraint where conrelid = to_regclass($1) and contype = 'c' and convalidated",
    [name],
  );
  const { rows: settings } = await client.query<{ ok: boolean }>(
    "select current_setting('server_encoding') = 'UTF8' and current_setting('standard_conforming_strings') = 'on' as ok",
  );
  return {
    columns: columns.map((c) => ({ name: c.name, type: c.type, kind: columnKind(c.base), base: c.base, notNull: c.notNull })),
    uniqueIndexes: indexes.map((i) => i.cols),
    hasCtid: relkind === 'r' || relkind === 'm',
    textPushdown: settings[0]?.ok === true,
    checks: checks.map((c) => c.name),
  };
}

import { createReadStream } from 'node:fs';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { InputError } from '../errors.js';
import type { FileLoad } from '../manifest/DataProductManifest.js';
import { closest } from '../util/closest.js';
import { quoteIdent, quoteLiteral, type SqlClient } from '../db/SqlClient.js';
import { sqlState } from '../db/transientErrors.js';
import { JSON_LINES_COPY_OPTIONS, jsonLinesForCopy, stripBom } from './jsonLinesForCopy.js';
import type { JsonKind, PortColumn } from './PortColumn.js';
import { readCsvHeader } from './readCsvHeader.js';

/** The temporary table that holds a load's rejected records until the audit writes them to the dead letters. */
export const LOAD_REJECTS = 'pg_temp.mesh_load_rejects';

export interface FileToLoad {
  /** Absolute path of the file. */
  readonly path: string;
  /** The path shown in messages (repository-relative). */
  readonly displayPath: string;
  readonly load: FileLoad;
  /** The columns of the table to fill. */
  readonly columns: readonly PortColumn[];
  /** Whether records may carry fields beyond `columns` (the contract is open); they are then dropped. */
  readonly open: boolean;
}

export interface LoadOutcome {
  /** Records read from the file (blank JSON lines are not records). */
  readonly records: number;
  /** Records that could not be converted to the columns' types, now in `LOAD_REJECTS`. */
  readonly rejected: number;
  /** Whether the slow path ran (a value did not convert on the fast one). */
  readonly slowPath: boolean;
}

/**
 * Loads a CSV or JSON-lines file into a new table `target` (a quoted name; `pg_temp.x` makes a temporary
 * one) with `columns`, at COPY speed, inside the caller's transaction.
 *
 * Fast path: CSV is copied straight into the typed table; JSON lines are copied as text and converted by one
 * INSERT ... SELECT whose expressions insist on each value's JSON type. One value that does not convert
 * aborts the fast path (in a savepoint), and the slow path runs: the file lands as text, each value is tried
 * against its type, the records that convert go to `target`, the others to `LOAD_REJECTS` (`record` = its
 * position in the file, `data` = the record as read, `errors` = `[{field, keyword, message}]`, `keyword` being
 * `type`, `json` or `additionalProperties`). Clean files never pay
 * for the slow path; no record is ever inserted row by row.
 *
 * What is checked here is only what a typed table cannot hold: a value that is not of its column's type, a
 * JSON line that is not an object, and (for a closed contract) a property that has no column. Everything
 * else the contract says is for the audit that follows.
 */
export async function loadFile(tx: SqlClient, target: string, file: FileToLoad): Promise<LoadOutcome> {
  await tx.exec(`create temp table ${LOAD_REJECTS} (record bigint not null, data jsonb, errors jsonb not null) on commit drop`);
  return file.load.format === 'csv' ? loadCsv(tx, target, file) : loadJsonLines(tx, target, file);
}

// ---------------------------------------------------------------------------------------------------------
// CSV

interface CsvColumn {
  /** The column as the file names it (or the contract field, without a header). */
  readonly header: string;
  /** The target column, or undefined for a column an open contract does not know (dropped after the COPY). */
  readonly column: PortColumn | undefined;
}

async function loadCsv(tx: SqlClient, target: string, file: FileToLoad): Promise<LoadOutcome> {
  const delimiter = file.load.delimiter ?? ',';
  const header = file.load.header ?? true;
  const fileColumns = header ? await csvColumns(file, delimiter) : file.columns.map((column) => ({ header: column.name, column }));
  const options = `format csv, header ${header}, delimiter ${quoteLiteral(delimiter)}, null ${quoteLiteral(file.load.nullValue ?? '')}`;
  const extras = fileColumns.flatMap((c, i) => (c.column ? [] : [`mesh_extra_${i + 1}`]));
  const copyColumns = fileColumns.map((c, i) => quoteIdent(c.column?.name ?? `mesh_extra_${i + 1}`));
  if (fileColumns.length === 0) {
    await createTable(tx, target, file.columns);
    return { records: 0, rejected: 0, slowPath: false };
  }

  const fast = await tryFastPath(tx, async (inner) => {
    await createTable(inner, target, file.columns, extras);
    const records = await copyFile(inner, `copy ${target} (${copyColumns.join(', ')}) from stdin with (${options})`, file);
    if (extras.length > 0) await inner.exec(`alter table ${target} ${extras.map((e) => `drop column ${quoteIdent(e)}`).join(', ')}`);
    return records;
  });
  if (fast !== undefined) return { records: fast, rejected: 0, slowPath: false };

  // Slow path: land every cell as text, try each against its column's type.
  const landing = 'pg_temp.mesh_landing';
  const cells = fileColumns.map((_, i) => `c${i + 1}`);
  await tx.exec(`create temp table ${landing} (mesh_record bigint generated always as identity, ${cells.map((c) => `${c} text`).join(', ')}) on commit drop`);
  const records = await copyFile(tx, `copy ${landing} (${cells.join(', ')}) from stdin with (${options})`, file);
  const typed = fileColumns.flatMap((c, i) => (c.column && c.column.sqlType !== 'text' ? [{ cell: `l.c${i + 1}`, column: c.column }] : []));
  const rowErrors =
    `pg_temp.mesh_row_errors(array[${typed.map((t) => t.cell).join(', ')}]::text[], ` +
    `array[${typed.map((t) => quoteLiteral(t.column.sqlType)).join(', ')}]::text[], array[${typed.map((t) => quoteLiteral(t.column.name)).join(', ')}]::text[])`;
  const errors = typed.length > 0 ? `case when ${typed.map((t) => surelyConverts(t.cell, t.column.sqlType)).join(' and ')} then null else ${rowErrors} end` : 'null::jsonb';
  await tx.exec(`create temp table pg_temp.mesh_checked on commit drop as select l.*, ${errors} as errors from ${landing} l`);
  await createTable(tx, target, file.columns);
  const known = fileColumns.flatMap((c, i) => (c.column ? [{ column: c.column, cell: `c${i + 1}` }] : []));
  if (known.length > 0) {
    await tx.exec(
      `insert into ${target} (${known.map((k) => quoteIdent(k.column.name)).join(', ')}) ` +
        `select ${known.map((k) => `${k.cell}::${k.column.sqlType}`).join(', ')} from pg_temp.mesh_checked where errors is null order by mesh_record`,
    );
  }
  const rejected = await tx.query(
    `insert into ${LOAD_REJECTS} (record, data, errors) ` +
      `select mesh_record, jsonb_object(array[${fileColumns.map((c) => quoteLiteral(c.header)).join(', ')}]::text[], array[${cells.join(', ')}]::text[]), errors ` +
      `from pg_temp.mesh_checked where errors is not null`,
  );
  return { records, rejected: rejected.rowCount, slowPath: true };
}

/** The file's columns from its header, matched to the contract's fields by name. */
async function csvColumns(file: FileToLoad, delimiter: string): Promise<CsvColumn[]> {
  let names: string[];
  try {
    names = await readCsvHeader(file.path, delimiter);
  } catch (error) {
    throw new InputError(`${file.displayPath}:1: ${(error as Error).message}`, { cause: error });
  }
  const byName = new Map(file.columns.map((c) => [c.name, c]));
  const seen = new Set<string>();
  return names.map((header) => {
    if (seen.has(header)) throw new InputError(`${file.displayPath}:1: column "${header}" appears twice in the header`);
    seen.add(header);
    const column = byName.get(header);
    if (!column && !file.open) {
      const hint = closest(header, [...byName.keys()]);
      throw new InputError(
        `${file.displayPath}:1: column "${header}" is not a field of the port's contract, which allows no other properties${hint ? ` (did you mean "${hint}"?)` : ''}`,
      );
    }
    return { header, column };
  });
}

// ---------------------------------------------------------------------------------------------------------
// JSON lines

async function loadJsonLines(tx: SqlClient, target: string, file: FileToLoad): Promise<LoadOutcome> {
  const landing = 'pg_temp.mesh_landing';
  await tx.exec(`create temp table ${landing} (mesh_record bigint generated always as identity, doc text) on commit drop`);
  await copyFile(tx, `copy ${landing} (doc) from stdin with (${JSON_LINES_COPY_OPTIONS})`, file, jsonLinesForCopy());
  const nonBlank = `doc is not null and doc !~ '^[[:space:]]*$'`;
  const names = `array[${file.columns.map((c) => quoteLiteral(c.name)).join(', ')}]::text[]`;
  const columnList = file.columns.map((c) => quoteIdent(c.name)).join(', ');

  const fast = await tryFastPath(tx, async (inner) => {
    await createTable(inner, target, file.columns);
    if (file.columns.length === 0) return (await inner.query<{ n: number }>(`select count(*)::int as n from ${landing} where ${nonBlank}`)).rows[0]!.n;
    // `offset 0` keeps the parsed document from being inlined (and parsed again) into every column's expression.
    const rowCheck = `case when jsonb_typeof(d) <> 'object' then false${file.open ? '' : ` when d - ${names} <> '{}'::jsonb then false`} else true end`;
    const inserted = await inner.query(
      `insert into ${target} (${columnList}) ` +
        `select ${file.columns.map((c) => convert(c)).join(', ')} ` +
        `from (select doc::jsonb as d from ${landing} where ${nonBlank} offset 0) as s ` +
        `where case when ${rowCheck} then true else pg_temp.mesh_reject('record')::boolean end`,
    );
    return inserted.rowCount;
  });
  if (fast !== undefined) return { records: fast, rejected: 0, slowPath: false };

  const fieldErrors = file.columns.map((c, i) => `(${i + 1}, ${quoteLiteral(c.name)}, 'type', ${conversionError(c)})`);
  const extras = file.open
    ? ''
    : ` union all select ${file.columns.length + 1}, k, 'additionalProperties', 'is not a field of the port''s contract, which allows no other properties' from jsonb_object_keys(p.d - ${names}) as k`;
  const perField =
    fieldErrors.length > 0 || extras !== ''
      ? `(select jsonb_agg(jsonb_build_object('field', f, 'keyword', kw, 'message', m) order by o, f) from (select * from (values ${fieldErrors.length > 0 ? fieldErrors.join(', ') : "(0, null, 'type', null)"}) as v(o, f, kw, m)${extras}) as x(o, f, kw, m) where m is not null)`
      : 'null::jsonb';
  await tx.exec(
    `create temp table pg_temp.mesh_checked on commit drop as ` +
      `select p.mesh_record, p.doc, p.d, case ` +
      `when p.parse_error is not null then jsonb_build_array(jsonb_build_object('keyword', 'json', 'message', 'not valid JSON: ' || p.parse_error)) ` +
      `when jsonb_typeof(p.d) <> 'object' then jsonb_build_array(jsonb_build_object('keyword', 'type', 'message', 'expected a JSON object, got ' || jsonb_typeof(p.d))) ` +
      `else ${perField} end as errors ` +
      `from (select l.mesh_record, l.doc, e.parse_error, case when e.parse_error is null then l.doc::jsonb end as d ` +
      `from ${landing} l cross join lateral (select pg_temp.mesh_cast_error(l.doc, 'jsonb') as parse_error) as e where ${nonBlank} offset 0) as p`,
  );
  await createTable(tx, target, file.columns);
  const inserted =
    file.columns.length === 0
      ? (await tx.query<{ n: number }>(`select count(*)::int as n from pg_temp.mesh_checked where errors is null`)).rows[0]!.n
      : (await tx.query(`insert into ${target} (${columnList}) select ${file.columns.map((c) => convert(c)).join(', ')} from pg_temp.mesh_checked where errors is null order by mesh_record`)).rowCount;
  const rejected = await tx.query(`insert into ${LOAD_REJECTS} (record, data, errors) select mesh_record, coalesce(d, to_jsonb(doc)), errors from pg_temp.mesh_checked where errors is not null`);
  return { records: inserted + rejected.rowCount, rejected: rejected.rowCount, slowPath: true };
}

/** jsonb_typeof names for each kind. */
const JSON_TYPE: Record<Exclude<JsonKind, 'any'>, string> = { string: 'string', integer: 'number', number: 'number', boolean: 'boolean', object: 'object', array: 'array' };

/** The expression converting property `c` of `d` to its column type; raises a data exception when it cannot. */
function convert(c: PortColumn): string {
  const v = `d -> ${quoteLiteral(c.name)}`;
  const text = `(${v} #>> '{}')`;
  if (c.json === 'any') return `case when jsonb_typeof(${v}) = 'null' then null else ${v} end`;
  const reject = `pg_temp.mesh_reject(${quoteLiteral(c.name)})::${c.sqlType}`;
  let value: string;
  switch (c.json) {
    case 'object':
    case 'array':
      value = v;
      break;
    case 'integer':
      value = `case when ${text}::numeric = trunc(${text}::numeric) then ${text}::numeric::bigint else ${reject} end`;
      break;
    default:
      value = c.sqlType === 'text' ? text : `${text}::${c.sqlType}`;
  }
  return `case coalesce(jsonb_typeof(${v}), 'null') when ${quoteLiteral(JSON_TYPE[c.json])} then ${value} when 'null' then null else ${reject} end`;
}

/** The expression giving why property `c` of `p.d` does not convert, or null. Never raises. */
function conversionError(c: PortColumn): string {
  if (c.json === 'any') return 'null::text';
  const v = `p.d -> ${quoteLiteral(c.name)}`;
  const expected = JSON_TYPE[c.json];
  const label = c.json === 'integer' ? 'an integer' : c.json === 'array' || c.json === 'object' ? `an ${c.json}` : `a ${c.json}`;
  const text = `(${v} #>> '{}')`;
  const cast =
    c.sqlType === 'text' || c.json === 'object' || c.json === 'array'
      ? 'null::text'
      : `case when ${surelyConverts(text, c.sqlType)} then null else pg_temp.mesh_cast_error(${text}, ${quoteLiteral(c.json === 'integer' ? 'integer' : c.sqlType)}) end`;
  return `case coalesce(jsonb_typeof(${v}), 'null') when 'null' then null when ${quoteLiteral(expected)} then ${cast} else 'expected ${label}, got ' || jsonb_typeof(${v}) end`;
}

/**
 * Text that surely converts to each type: a regular expression matching a subset of what the type's input
 * function accepts (18 digits always fit a bigint; days up to 28 exist in every month). The slow path of a
 * load asks PostgreSQL (`pg_temp.mesh_cast_error`, a function call per value) only about values outside
 * the subset, so that a file with a few bad values does not pay a function call for each good one.
 */
export const SURELY_CONVERTS: Readonly<Record<string, string>> = {
  bigint: '^[[:space:]]*[-+]?[0-9]{1,18}[[:space:]]*$',
  numeric: '^[[:space:]]*[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,3})?[[:space:]]*$',
  boolean: '^[[:space:]]*(t|true|f|false|y|yes|n|no|on|off|1|0)[[:space:]]*$',
  date: '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$',
  timestamptz:
    '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?(Z|[-+](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$',
};

/** The condition that `value` (text) is null or surely converts to `type`; false when nothing is sure. */
function surelyConverts(value: string, type: string): string {
  const pattern = SURELY_CONVERTS[type];
  if (pattern === undefined) return `${value} is null`;
  return `(${value} is null or ${value} ${type === 'boolean' ? '~*' : '~'} ${quoteLiteral(pattern)})`;
}

// ---------------------------------------------------------------------------------------------------------
// Shared

async function createTable(tx: SqlClient, target: string, columns: readonly PortColumn[], extras: readonly string[] = []): Promise<void> {
  const definitions = [...columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}`), ...extras.map((e) => `${quoteIdent(e)} text`)];
  await tx.exec(`create ${target.startsWith('pg_temp.') ? 'temp ' : ''}table ${target} (${definitions.join(', ')})${target.startsWith('pg_temp.') ? ' on commit drop' : ''}`);
}

/**
 * Runs the fast path in a savepoint. A data exception (a value that does not convert) rolls it back and
 * returns undefined; any other error (a malformed file, a lost connection) propagates.
 */
async function tryFastPath(tx: SqlClient, fn: (inner: SqlClient) => Promise<number>): Promise<number | undefined> {
  try {
    return await tx.transaction(fn);
  } catch (error) {
    // `copyFile` wraps the driver's error in an InputError that names the file; the SQLSTATE is on the cause.
    const state = sqlState(error) ?? sqlState((error as { cause?: unknown }).cause);
    if (state !== undefined && state.startsWith('22') && state !== '22P04' && state !== '22021') return undefined;
    throw error;
  }
}

/** Streams the file into a COPY; errors name the file and, when PostgreSQL says, the line. */
async function copyFile(tx: SqlClient, sql: string, file: FileToLoad, transform?: Transform): Promise<number> {
  // `pipeline` (not `pipe`) so that a read error (a missing file) reaches the COPY instead of stalling it.
  const bom = stripBom();
  const source: Readable = transform ? pipeline(createReadStream(file.path), bom, transform, () => {}) : pipeline(createReadStream(file.path), bom, () => {});
  try {
    return await tx.copyFrom(sql, source);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT' || (error as { code?: unknown }).code === 'EISDIR') {
      throw new InputError(`${file.displayPath}: cannot read the file (${(error as { code: string }).code})`, { cause: error });
    }
    const state = sqlState(error);
    if (state === undefined || !(state.startsWith('22') || state === '42601' || state === '0A000')) throw error;
    const where = (error as { where?: unknown }).where;
    const line = typeof where === 'string' ? /line (\d+)/.exec(where)?.[1] : undefined;
    throw new InputError(`${file.displayPath}${line ? `:${line}` : ''}: ${(error as Error).message}`, { cause: error });
  }
}

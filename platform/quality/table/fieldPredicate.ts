import { decimalParts } from '../../util/rational.js';
import { quoteIdent } from '../../db/SqlClient.js';
import type { Constraint, FieldAnalysis } from '../contract/analyzeContract.js';
import type { ColumnInfo, ColumnKind } from './describeTable.js';

/**
 * SQL predicates that say a column's value is valid against its contract field, so that rows SQL proves valid
 * never reach Ajv.
 *
 * Soundness is one-sided and that side is strict: when a predicate is true, Ajv accepts the value that the
 * row serializes to (`jsonValueSql`). A predicate may be false for a value Ajv accepts; such a row is only a
 * suspect, streamed to Ajv, which has the last word. The numeric rules mirror JavaScript: a JSON number is
 * read as the nearest double, so inclusive bounds compare exactly (rounding is monotonic), exclusive bounds
 * compare against the next double, `multipleOf` is proven only where Ajv's floating-point test cannot differ,
 * and non-finite or huge values are left to Ajv. Text comparisons use the "C" collation (bytewise equality),
 * lengths count characters (code points, as JSON Schema does), and patterns go through `translatePattern`.
 * `undefined` means SQL cannot decide: the field is checked by Ajv.
 */
export interface PredicateContext {
  /** UTF-8 server encoding and standard-conforming strings. */
  readonly textPushdown: boolean;
  /** Whether the database compiled a translated pattern (a too-complex one is left to Ajv). */
  readonly regexOk: (are: string) => boolean;
}

const TRUE = 'true';
const FALSE = 'false';
/** Numbers beyond this magnitude (and NaN, infinities) are left to Ajv. */
const FINITE = 'between -1e300 and 1e300';

/** The row-level predicate of one field: NULL handling included; `undefined` when SQL cannot decide. */
export function fieldPredicate(field: FieldAnalysis, column: ColumnInfo | undefined, context: PredicateContext): string | undefined {
  if (field.constraints === undefined || field.nullValid === undefined) return undefined;
  if (!column) return field.nullValid ? TRUE : FALSE; // a missing column reads as NULL in every row
  const col = quoteIdent(column.name);
  const nonNull = valuePredicate(field.constraints, col, column.kind, context);
  if (nonNull === undefined) return undefined;
  if (field.nullValid) return nonNull === TRUE ? TRUE : `(${col} is null or ${nonNull})`;
  return nonNull === FALSE ? FALSE : nonNull === TRUE ? `${col} is not null` : `(${col} is not null and ${nonNull})`;
}

/** A conjunction of constraints on a non-null column value. */
export function valuePredicate(constraints: readonly Constraint[], col: string, kind: ColumnKind, context: PredicateContext): string | undefined {
  const parts: string[] = [];
  for (const constraint of constraints) {
    const part = one(constraint, col, kind, context);
    if (part === undefined) return undefined;
    if (part === FALSE) return FALSE;
    if (part !== TRUE) parts.push(part);
  }
  return parts.length === 0 ? TRUE : parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`;
}

function one(c: Constraint, col: string, kind: ColumnKind, context: PredicateContext): string | undefined {
  const numeric = kind === 'integer' || kind === 'numeric' || kind === 'float';
  const text = kind === 'text' && context.textPushdown;
  // A keyword that applies to other JSON types than the column's says nothing about its values, except
  // that NaN and infinities of numeric and float8 columns become the JSON strings "NaN", "Infinity".
  const vacuousFor = (applies: (k: ColumnKind) => boolean) =>
    applies(kind) || kind === 'json' || kind === 'other' ? undefined : kind === 'numeric' || kind === 'float' ? `${col} ${FINITE}` : TRUE;
  switch (c.kind) {
    case 'never':
      return FALSE;
    case 'type':
      return typePredicate(c.types, col, kind);
    case 'enum':
      return enumPredicate(c.values, col, kind, context);
    case 'bound': {
      if (!numeric) return vacuousFor(() => false);
      if (kind === 'float') return `${col} ${c.op} ${float8(c.value)}`;
      // Exact comparison is sound for inclusive bounds; an exclusive bound is moved to the next double.
      switch (c.op) {
        case '>=':
          return `${col} >= ${decimal(c.value)}`;
        case '<=':
          return `${col} <= ${decimal(c.value)}`;
        case '>':
          return `${col} >= ${decimal(nextDouble(c.value, 1))}`;
        case '<':
          return `${col} <= ${decimal(nextDouble(c.value, -1))}`;
      }
      return undefined;
    }
    case 'multipleOf':
      if (!numeric) return vacuousFor(() => false);
      return multipleOfPredicate(c.value, col, kind);
    case 'length':
      if (kind === 'text') return text ? `char_length(${col}) ${c.op} ${c.value}` : undefined;
      return vacuousFor((k) => k === 'date' || k === 'timestamptz' || k === 'timestamp');
    case 'pattern':
      if (kind === 'text') return text && c.are !== undefined && context.regexOk(c.are) ? `${col} ~ ${literal(c.are)}` : undefined;
      return vacuousFor((k) => k === 'date' || k === 'timestamptz' || k === 'timestamp');
    case 'format':
      return formatPredicate(c, col, kind, context);
    case 'anyOf': {
      const branches: string[] = [];
      for (const branch of c.branches) {
        const p = valuePredicate(branch, col, kind, context);
        if (p === undefined) return undefined;
        if (p === TRUE) return TRUE;
        if (p !== FALSE) branches.push(p);
      }
      return branches.length === 0 ? FALSE : `(${branches.join(' or ')})`;
    }
  }
}

function typePredicate(types: readonly string[], col: string, kind: ColumnKind): string | undefined {
  const has = (t: string) => types.includes(t);
  switch (kind) {
    case 'integer':
      return has('integer') || has('number') ? TRUE : FALSE;
    case 'numeric':
    case 'float':
      if (has('number')) return `${col} ${FINITE}`;
      return has('integer') ? `(${col} ${FINITE} and ${col} = trunc(${col}))` : FALSE;
    case 'text':
    case 'date':
    case 'timestamptz':
    case 'timestamp':
      return has('string') ? TRUE : FALSE;
    case 'boolean':
      return has('boolean') ? TRUE : FALSE;
    case 'json':
    case 'other':
      return undefined;
  }
}

function enumPredicate(values: readonly unknown[], col: string, kind: ColumnKind, context: PredicateContext): string | undefined {
  switch (kind) {
    case 'integer':
    case 'numeric':
    case 'float': {
      const numbers = values.filter((v): v is number => typeof v === 'number');
      if (numbers.length === 0) return FALSE;
      const cast = kind === 'float' ? 'float8' : 'numeric';
      return `${col} = any(array[${numbers.map((n) => (kind === 'float' ? float8(n) : decimal(n))).join(', ')}]::${cast}[])`;
    }
    case 'text': {
      if (!context.textPushdown) return undefined;
      // A string with NUL can never be stored in text, so it can never match.
      const strings = values.filter((v): v is string => typeof v === 'string' && !v.includes('\u0000'));
      if (strings.length === 0) return FALSE;
      return `${col} collate "C" = any(array[${strings.map(literal).join(', ')}]::text[])`;
    }
    case 'boolean': {
      const booleans = [...new Set(values.filter((v): v is boolean => typeof v === 'boolean'))];
      return booleans.length === 0 ? FALSE : booleans.length === 2 ? TRUE : `${col} = ${booleans[0]}`;
    }
    default:
      return undefined;
  }
}

/**
 * Contract validators decide `multipleOf` exactly on the shortest decimal form of a number (see
 * `decimalMultipleOf.ts`). A value with at most 15 significant digits crosses JSON and a double unchanged, so
 * there the database's exact `mod()` decides the same. Every multiple of m = d * 10^e below 10^(15 + e) has at
 * most 15 significant digits; larger values are left to the validator.
 */
function multipleOfPredicate(m: number, column: string, kind: ColumnKind): string | undefined {
  if (kind === 'float') return undefined;
  // As numeric: abs() of the smallest bigint would overflow.
  const col = kind === 'integer' ? `${column}::numeric` : column;
  const parts = decimalParts(m);
  const exponent = parts?.exponent ?? 0;
  // A power of ten 10^-k divides every value of at most k decimals: scale() is much cheaper than mod().
  const powerOfTen = parts !== undefined && parts.digits === 1n && exponent <= 0;
  const multiple = powerOfTen ? (kind === 'integer' ? TRUE : `(scale(${col}) <= ${-exponent} or mod(${col}, ${decimal(m)}) = 0)`) : `mod(${col}, ${decimal(m)}) = 0`;
  // CASE keeps mod() away from NaN and infinities.
  return `(case when ${col} ${FINITE} then abs(${col}) < 1e${15 + exponent}${multiple === TRUE ? '' : ` and ${multiple}`} else false end)`;
}

function formatPredicate(c: Extract<Constraint, { kind: 'format' }>, col: string, kind: ColumnKind, context: PredicateContext): string | undefined {
  const test = c.test;
  if (test.kind === 'always') return TRUE;
  switch (kind) {
    case 'integer':
    case 'boolean':
      // String formats say nothing about numbers and booleans; number formats are left to Ajv.
      return test.kind === 'number' ? undefined : TRUE;
    case 'numeric':
    case 'float':
      return test.kind === 'number' ? undefined : `${col} ${FINITE}`;
    case 'text':
      if (test.kind === 'number') return TRUE;
      if (test.kind === 'regex' && test.are !== undefined && context.textPushdown && context.regexOk(test.are)) return `${col} ~ ${literal(test.are)}`;
      return undefined;
    case 'timestamptz':
      if (c.name === 'date-time' || c.name === 'iso-date-time') return inRange(col, kind);
      return undefined;
    case 'timestamp':
      if (c.name === 'iso-date-time') return inRange(col, kind);
      // Serialized without an offset, it is never an RFC 3339 date-time.
      return c.name === 'date-time' ? FALSE : undefined;
    case 'date':
      return c.name === 'date' ? inRange(col, kind) : undefined;
    default:
      return undefined;
  }
}

const RANGES: Partial<Record<ColumnKind, [string, string]>> = {
  timestamptz: ["'0001-01-01 00:00:00+00'::timestamptz", "'9999-12-31 23:59:59.999999+00'::timestamptz"],
  timestamp: ["'0001-01-01 00:00:00'::timestamp", "'9999-12-31 23:59:59.999999'::timestamp"],
  date: ["'0001-01-01'::date", "'9999-12-31'::date"],
};

/** Dates from year 1 to 9999 serialize to the RFC 3339 layout; others (BC, infinity, year 10000+) do not. */
function inRange(col: string, kind: ColumnKind): string {
  const [low, high] = RANGES[kind]!;
  return `${col} between ${low} and ${high}`;
}

/**
 * The JSON value of a column as the record Ajv sees: dates and timestamps as RFC 3339 text in UTC (whatever
 * the session's time zone), json as its jsonb form (no raw line breaks), everything else as PostgreSQL's
 * JSON rendering of it.
 */
export function jsonValueSql(col: string, kind: ColumnKind): string {
  switch (kind) {
    case 'timestamptz':
      return `case when ${inRange(col, kind)} then to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') else ${col}::text end`;
    case 'timestamp':
      return `case when ${inRange(col, kind)} then to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.US') else ${col}::text end`;
    case 'date':
      return `case when ${inRange(col, kind)} then to_char(${col}, 'YYYY-MM-DD') else ${col}::text end`;
    case 'json':
      return `${col}::jsonb`;
    default:
      return col;
  }
}

/** A JSON object built from (key, SQL value) pairs, as text; `json_build_object` takes at most 50 pairs, so larger objects are joined. */
export function jsonObjectSql(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return `'{}'`;
  const chunks: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) {
    chunks.push(`json_build_object(${pairs.slice(i, i + 50).map(([k, v]) => `${literal(k)}, ${v}`).join(', ')})::text`);
  }
  if (chunks.length === 1) return chunks[0]!;
  // '{"a": 1}' and '{"b": 2}' become '{"a": 1, "b": 2}'.
  return chunks.map((c, i) => (i === 0 ? `left(${c}, -1)` : i === chunks.length - 1 ? `', ' || right(${c}, -1)` : `', ' || substr(left(${c}, -1), 2)`)).join(' || ');
}

/** A string literal; callers check that standard_conforming_strings is on (backslashes literal). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A JavaScript number as an exact SQL numeric literal whose nearest double is the number. */
function decimal(n: number): string {
  return String(n);
}

function float8(n: number): string {
  return `'${String(n)}'::float8`;
}

/** The neighbouring double of `n` towards +Infinity (`direction` 1) or -Infinity (-1). */
export function nextDouble(n: number, direction: 1 | -1): number {
  if (n === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, (n > 0) === (direction > 0) ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

import { recordShape } from '../contract/recordFields.js';
import type { Repository } from '../repo/Repository.js';
import type { StepPlan } from './planStep.js';
import { findSqlRefs } from './sqlRefs.js';

/** How an output column is derived from an input field, in OpenLineage's terms (`DIRECT` transformations). */
export type ColumnTransformation = 'IDENTITY' | 'TRANSFORMATION' | 'AGGREGATION';

/** One input field an output column is computed from. */
export interface ColumnSource {
  readonly product: string;
  readonly port: string;
  readonly field: string;
  readonly transformation: ColumnTransformation;
}

/** Output column -> the upstream fields it comes from. Columns whose sources are unknown are absent. */
export type ColumnLineage = Readonly<Record<string, readonly ColumnSource[]>>;

/** Aggregate functions of PostgreSQL that turn many input values into one. */
const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg',
  'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp',
  'percentile_cont', 'percentile_disc', 'mode', 'corr', 'covar_pop', 'covar_samp',
]);

/** Words that end the FROM clause, or the SELECT list when no FROM follows. */
const CLAUSE_END = new Set(['where', 'group', 'having', 'window', 'order', 'limit', 'offset', 'fetch', 'for']);
const SET_OPERATIONS = new Set(['union', 'intersect', 'except']);
const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'lateral', 'on', 'using']);

type Token =
  | { readonly kind: 'word'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'ref'; readonly product: string; readonly port: string | undefined }
  | { readonly kind: 'punct'; readonly text: string }
  | { readonly kind: 'literal' };

interface Source {
  readonly product: string;
  readonly port: string;
  readonly fields: ReadonlySet<string>;
}

/**
 * Column lineage of a SQL step, read from its SELECT list: each output column's upstream fields, with
 * IDENTITY for a column passed through (`o.order_id`, `order_id as id`), AGGREGATION when an aggregate
 * function is applied, TRANSFORMATION for any other expression. `*` and `alias.*` pass every field of their
 * inputs through.
 *
 * It reads one plain SELECT over `{{ ref(...) }}` inputs. It gives up (returns undefined) on what it cannot
 * follow soundly: a WITH clause, set operations (UNION, ...), an input that is a subquery. Identifiers it
 * cannot attribute to exactly one input are left out rather than guessed.
 */
export function deriveColumnLineage(repository: Repository, plan: StepPlan): ColumnLineage | undefined {
  if (!plan.sql) return undefined;
  const portFields = (product: string, port: string): ReadonlySet<string> => {
    const manifest = repository.products.get(product)?.manifest;
    const file = manifest?.outputs.find((o) => o.port === port)?.contract;
    const contract = file !== undefined ? repository.contracts.get(file) : undefined;
    if (!contract || !repository.contracts.isCompilable(file!)) return new Set();
    return new Set(recordShape(contract.schema, contract.uri, repository.contracts.resolver).fields.map((f) => f.name));
  };
  const onlyPort = (product: string) => repository.products.get(product)?.manifest.outputs[0]?.port;
  return columnLineageOf(plan.sql.text, portFields, onlyPort);
}

/** The same, from the SQL text and a way to know each input port's fields (exported for tests). */
export function columnLineageOf(
  sql: string,
  portFields: (product: string, port: string) => ReadonlySet<string>,
  onlyPort: (product: string) => string | undefined,
): ColumnLineage | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return undefined;
  }
  const top = splitTopLevel(tokens);
  if (!top || top.select.length === 0) return undefined;

  // Inputs by alias (and by bare table reference when unaliased). Anything but a ref where a table goes (a
  // subquery, a function, a table not named by ref) has columns this reader cannot know: it gives up.
  const sources = new Map<string, Source>();
  const unaliased: Source[] = [];
  let depth = 0;
  let expectTable = true;
  for (let i = 0; i < top.from.length; i++) {
    const token = top.from[i]!;
    if (isPunct(token, ')')) depth--;
    if (depth === 0 && expectTable) {
      if (token.kind === 'word' && !token.quoted && (token.text === 'lateral' || token.text === 'only')) continue;
      if (token.kind !== 'ref') return undefined;
      expectTable = false;
      const port = token.port ?? onlyPort(token.product);
      if (port === undefined) return undefined;
      const source: Source = { product: token.product, port, fields: portFields(token.product, port) };
      let next = top.from[i + 1];
      if (isWord(next, 'as')) next = top.from[i + 2];
      if (next?.kind === 'word' && (next.quoted || !isReserved(next.text))) {
        if (isPunct(top.from[i + (isWord(top.from[i + 1], 'as') ? 3 : 2)], '(')) return undefined; // column aliases rename the fields
        sources.set(next.text, source);
      } else unaliased.push(source);
      continue;
    }
    if (isPunct(token, '(')) depth++;
    if (depth === 0 && (isPunct(token, ',') || isWord(token, 'join'))) expectTable = true;
  }
  const all = [...sources.values(), ...unaliased];
  if (all.length === 0) return undefined;

  const lineage: Record<string, ColumnSource[]> = {};
  const add = (column: string, source: Source, field: string, transformation: ColumnTransformation) => {
    const list = (lineage[column] ??= []);
    if (!list.some((s) => s.product === source.product && s.port === source.port && s.field === field)) list.push({ product: source.product, port: source.port, field, transformation });
  };

  for (const item of splitOnCommas(top.select)) {
    if (item.length === 1 && item[0]!.kind === 'punct' && item[0]!.text === '*') {
      for (const source of all) for (const field of source.fields) add(field, source, field, 'IDENTITY');
      continue;
    }
    if (item.length === 3 && item[0]!.kind === 'word' && isPunct(item[1], '.') && isPunct(item[2], '*')) {
      const source = sources.get(item[0]!.text);
      if (!source) return undefined;
      for (const field of source.fields) add(field, source, field, 'IDENTITY');
      continue;
    }
    const { expression, alias } = splitAlias(item);
    const name = alias ?? impliedName(expression);
    if (name === undefined) continue;
    const references = columnReferences(expression, sources, all);
    if (references.length === 0) continue;
    const transformation: ColumnTransformation = isColumnReference(expression) ? 'IDENTITY' : usesAggregate(expression) ? 'AGGREGATION' : 'TRANSFORMATION';
    for (const { source, field } of references) add(name, source, field, transformation);
  }
  return lineage;
}

// ---------------------------------------------------------------------------------------------------------

/** The SELECT list and FROM clause at the top level, or undefined for a query this reader does not follow. */
function splitTopLevel(tokens: Token[]): { select: Token[]; from: Token[] } | undefined {
  let i = 0;
  if (!isWord(tokens[i], 'select')) return undefined;
  i++;
  if (isWord(tokens[i], 'all')) i++;
  else if (isWord(tokens[i], 'distinct')) {
    i++;
    if (isWord(tokens[i], 'on')) {
      const end = closing(tokens, i + 1);
      if (end === undefined) return undefined;
      i = end + 1;
    }
  }
  const select: Token[] = [];
  const from: Token[] = [];
  let depth = 0;
  let part: 'select' | 'from' | 'rest' = 'select';
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct' && token.text === '(') depth++;
    if (token.kind === 'punct' && token.text === ')') depth--;
    if (depth === 0 && token.kind === 'word' && !token.quoted) {
      if (SET_OPERATIONS.has(token.text)) return undefined;
      if (token.text === 'group' && isWord(tokens[i - 1], 'within')) {
        select.push(token);
        continue;
      }
      if (part === 'select' && token.text === 'from') {
        part = 'from';
        continue;
      }
      if (CLAUSE_END.has(token.text) && part !== 'rest') {
        part = 'rest';
        continue;
      }
    }
    if (part === 'select') select.push(token);
    else if (part === 'from') from.push(token);
  }
  return { select, from };
}

function splitOnCommas(tokens: Token[]): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === '(') depth++;
    if (token.kind === 'punct' && token.text === ')') depth--;
    if (depth === 0 && token.kind === 'punct' && token.text === ',') items.push([]);
    else items[items.length - 1]!.push(token);
  }
  return items.filter((item) => item.length > 0);
}

/** Words after which an expression cannot have ended, so that a following word is no alias. */
const NOT_ENDING = new Set(['and', 'or', 'not', 'is', 'in', 'like', 'ilike', 'similar', 'between', 'as', 'case', 'when', 'then', 'else', 'distinct', 'all', 'any', 'some', 'interval', 'at', 'zone', 'by', 'over', 'filter', 'within', 'array', 'cast', 'collate', 'exists', 'select', 'escape']);

/** `expr AS name` or `expr name` (a bare trailing identifier after a complete expression). */
function splitAlias(item: Token[]): { expression: Token[]; alias?: string } {
  const last = item[item.length - 1]!;
  const before = item[item.length - 2];
  if (last.kind !== 'word' || before === undefined) return { expression: item };
  if (isWord(before, 'as')) return { expression: item.slice(0, -2), alias: last.text };
  if (!last.quoted && isReserved(last.text)) return { expression: item };
  const endsExpression = isPunct(before, ')') || before.kind === 'literal' || (before.kind === 'word' && (before.quoted || !NOT_ENDING.has(before.text)));
  return endsExpression ? { expression: item.slice(0, -1), alias: last.text } : { expression: item };
}

/** The name PostgreSQL gives an unaliased column: the column's for a reference (or a cast of one), the function's for a call. */
function impliedName(expression: Token[]): string | undefined {
  const base = stripCast(expression);
  if (isColumnReference(base)) return (base[base.length - 1] as { text: string }).text;
  const first = base[0];
  if (first?.kind === 'word' && isPunct(base[1], '(')) return first.text;
  return undefined;
}

function stripCast(expression: Token[]): Token[] {
  const cast = expression.findIndex((t) => isPunct(t, '::'));
  return cast > 0 ? expression.slice(0, cast) : expression;
}

/** `a` or `t.a`. */
function isColumnReference(expression: Token[]): boolean {
  if (expression.length === 1) return expression[0]!.kind === 'word' && (expression[0]!.quoted || !isReserved(expression[0]!.text));
  return expression.length === 3 && expression[0]!.kind === 'word' && isPunct(expression[1], '.') && expression[2]!.kind === 'word';
}

function usesAggregate(expression: Token[]): boolean {
  return expression.some((t, i) => t.kind === 'word' && !t.quoted && AGGREGATES.has(t.text) && isPunct(expression[i + 1], '('));
}

/** Identifiers in `expression` that name a field of exactly one input. */
function columnReferences(expression: Token[], sources: ReadonlyMap<string, Source>, all: readonly Source[]): { source: Source; field: string }[] {
  const found: { source: Source; field: string }[] = [];
  for (let i = 0; i < expression.length; i++) {
    const token = expression[i]!;
    if (token.kind !== 'word') continue;
    if (isPunct(expression[i - 1], '::') || isPunct(expression[i - 1], '.')) continue; // a type name, or handled with its qualifier
    if (isPunct(expression[i + 1], '(')) continue; // a function
    if (isPunct(expression[i - 1], '(') && isWord(expression[i - 2], 'extract')) continue; // extract(year from ...)
    if (isPunct(expression[i + 1], '.')) {
      const source = sources.get(token.text);
      const field = expression[i + 2];
      if (source && field?.kind === 'word' && source.fields.has(field.text)) found.push({ source, field: field.text });
      i += 2;
      continue;
    }
    if (!token.quoted && isReserved(token.text)) continue;
    const owners = all.filter((s) => s.fields.has(token.text));
    if (owners.length === 1) found.push({ source: owners[0]!, field: token.text });
  }
  return found;
}

function closing(tokens: Token[], open: number): number | undefined {
  if (!isPunct(tokens[open], '(')) return undefined;
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    if (isPunct(tokens[i], ')') && --depth === 0) return i;
  }
  return undefined;
}

function isWord(token: Token | undefined, text: string): boolean {
  return token?.kind === 'word' && !token.quoted && token.text === text;
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

/** Keywords that are never column names in a SELECT list (as PostgreSQL reserves them, and a few more). */
const RESERVED = new Set([
  'all', 'and', 'any', 'array', 'as', 'asc', 'between', 'both', 'case', 'cast', 'collate', 'current_date', 'current_time',
  'current_timestamp', 'current_user', 'date', 'default', 'desc', 'distinct', 'else', 'end', 'false', 'filter', 'from', 'in',
  'interval', 'is', 'isnull', 'leading', 'like', 'ilike', 'localtime', 'localtimestamp', 'not', 'notnull', 'null', 'or', 'over',
  'partition', 'rows', 'range', 'session_user', 'similar', 'some', 'then', 'time', 'timestamp', 'trailing', 'true', 'unknown',
  'user', 'when', 'where', 'within', 'group', 'by', 'order', 'with', 'zone', 'at', 'exists', 'select', ...JOIN_WORDS,
]);

function isReserved(word: string): boolean {
  return RESERVED.has(word);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * PostgreSQL's lexical structure, enough to find identifiers: comments (nested block comments), string
 * literals ('', E'', $tag$), quoted identifiers, numbers, operators, and `{{ ref(...) }}` references.
 * Unquoted identifiers fold to lower case, as PostgreSQL folds them.
 */
function tokenize(sql: string): Token[] {
  const refs = new Map(findSqlRefs(sql).map((r) => [r.offset, r]));
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ref = refs.get(i);
    if (ref) {
      tokens.push({ kind: 'ref', product: ref.product, port: ref.port });
      i += ref.length;
      continue;
    }
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (sql.startsWith('--', i)) i = lineEnd(sql, i);
    else if (sql.startsWith('/*', i)) i = blockCommentEnd(sql, i);
    else if (c === "'" || ((c === 'e' || c === 'E') && sql[i + 1] === "'")) {
      i = stringEnd(sql, c === "'" ? i : i + 1, c !== "'");
      tokens.push({ kind: 'literal' });
    } else if (c === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(sql.slice(i, i + 64))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64))![0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) throw new Error('unterminated dollar quote');
      i = end + tag.length;
      tokens.push({ kind: 'literal' });
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) throw new Error('unterminated identifier');
        if (sql[j] === '"') {
          if (sql[j + 1] === '"') {
            text += '"';
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      tokens.push({ kind: 'word', text, quoted: true });
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i, i + 256))!;
      tokens.push({ kind: 'word', text: match[0].toLowerCase(), quoted: false });
      i += match[0].length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const match = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(i, i + 256))!;
      tokens.push({ kind: 'literal' });
      i += match[0].length;
    } else if (sql.startsWith('::', i)) {
      tokens.push({ kind: 'punct', text: '::' });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

function lineEnd(sql: string, i: number): number {
  const end = sql.indexOf('\n', i);
  return end < 0 ? sql.length : end + 1;
}

function blockCommentEnd(sql: string, i: number): number {
  let depth = 0;
  for (let j = i; j < sql.length - 1; j++) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j++;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j++;
      if (depth === 0) return j + 1;
    }
  }
  throw new Error('unterminated comment');
}

function stringEnd(sql: string, quote: number, backslashes: boolean): number {
  for (let j = quote + 1; j < sql.length; j++) {
    if (backslashes && sql[j] === '\\') j++;
    else if (sql[j] === "'") {
      if (sql[j + 1] === "'") j++;
      else return j + 1;
    }
  }
  throw new Error('unterminated string');
}

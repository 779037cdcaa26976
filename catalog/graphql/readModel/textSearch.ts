/**
 * PostgreSQL full-text search evaluated in memory, on the values PostgreSQL itself produced: a `tsvector` as
 * `search::text` prints it, and a `tsquery` as `websearch_to_tsquery('english', text)::text` prints it. Parsing,
 * stemming and stop words stay PostgreSQL's; what runs here is `tsvector @@ tsquery` and `ts_rank_cd` (with the
 * default weights and no normalization), ported from PostgreSQL 15's `tsvector_op.c` and `tsrank.c` so that
 * they give the same answers, to the last bit of the float4 rank (the read model's tests compare them with the
 * database's on generated catalogs).
 *
 * Phrase operators (`<->`, `<N>`: quoted phrases), prefix operands (`:*`) and weight-restricted operands are
 * not evaluated here: `parseTsQuery` returns `undefined` for them, and the caller asks PostgreSQL instead.
 */

/** A lexeme's positions in a document: `position * 4 + weight` (weight D = 0, C = 1, B = 2, A = 3), ascending. */
export type Positions = readonly number[];

/** A parsed `tsvector`: lexeme to positions. */
export type TsVector = ReadonlyMap<string, Positions>;

/** A `tsquery` of `&`, `|` and `!` over lexemes; `lexemes` are its distinct operands, `lexeme` indexes them. */
export type TsQueryNode =
  | { readonly op: 'lexeme'; readonly lexeme: number }
  | { readonly op: 'not'; readonly arg: TsQueryNode }
  | { readonly op: 'and' | 'or'; readonly left: TsQueryNode; readonly right: TsQueryNode };

export interface TsQuery {
  /** `undefined` for an empty query (only stop words), which matches nothing. */
  readonly root: TsQueryNode | undefined;
  readonly lexemes: readonly string[];
}

/** Reads one quoted lexeme at `at` (`'...'`, quotes doubled and backslashes escaped as `tsvectorout` writes). */
function readQuoted(text: string, at: number): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new Error(`unterminated lexeme in ${JSON.stringify(text.slice(0, 80))}`);
    if (c === '\\') {
      value += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
      } else return { value, end: i + 1 };
    } else {
      value += c;
      i++;
    }
  }
}

const WEIGHT_CODES: Readonly<Record<string, number>> = { A: 3, B: 2, C: 1, D: 0 };

/** Parses `tsvector` output text: `'lexeme':1A,5B 'other':3 ...`. */
export function parseTsVector(text: string): Map<string, number[]> {
  const vector = new Map<string, number[]>();
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    const { value, end } = readQuoted(text, i);
    i = end;
    const positions: number[] = [];
    if (text[i] === ':') {
      i++;
      for (;;) {
        let n = 0;
        while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) n = n * 10 + text.charCodeAt(i++) - 48;
        const weight = WEIGHT_CODES[text[i] ?? ''];
        if (weight !== undefined) i++;
        positions.push(n * 4 + (weight ?? 0));
        if (text[i] !== ',') break;
        i++;
      }
    }
    vector.set(value, positions);
  }
  return vector;
}

/**
 * Parses `tsquery` output text into a tree, or `undefined` when it uses what `matches` and `rankCoverDensity`
 * do not evaluate (phrases, prefixes, weights). Precedence as PostgreSQL's parser: `!`, then `&`, then `|`.
 */
export function parseTsQuery(text: string): TsQuery | undefined {
  const lexemes: string[] = [];
  let i = 0;
  let unsupported = false;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  const primary = (): TsQueryNode => {
    skip();
    const c = text[i];
    if (c === '!') {
      i++;
      return { op: 'not', arg: primary() };
    }
    if (c === '(') {
      i++;
      const inner = or();
      skip();
      if (text[i] !== ')') throw new Error(`unbalanced tsquery ${JSON.stringify(text.slice(0, 80))}`);
      i++;
      return inner;
    }
    if (c !== "'") throw new Error(`unexpected ${JSON.stringify(c)} in tsquery ${JSON.stringify(text.slice(0, 80))}`);
    const { value, end } = readQuoted(text, i);
    i = end;
    if (text[i] === ':') {
      unsupported = true; // a prefix or a weight restriction
      while (i < text.length && /[:*ABCD]/.test(text[i]!)) i++;
    }
    let index = lexemes.indexOf(value);
    if (index < 0) index = lexemes.push(value) - 1;
    return { op: 'lexeme', lexeme: index };
  };
  const phrase = (): TsQueryNode => {
    const left = primary();
    skip();
    if (text[i] === '<') {
      unsupported = true;
      while (text[i] === '<' || (text[i] !== undefined && text[i] !== '>')) i++;
      i++;
      phrase();
    }
    return left;
  };
  const and = (): TsQueryNode => {
    let left = phrase();
    for (skip(); text[i] === '&'; skip()) {
      i++;
      left = { op: 'and', left, right: phrase() };
    }
    return left;
  };
  const or = (): TsQueryNode => {
    let left = and();
    for (skip(); text[i] === '|'; skip()) {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  skip();
  if (i >= text.length) return { root: undefined, lexemes };
  const root = or();
  skip();
  if (i < text.length) throw new Error(`trailing text in tsquery ${JSON.stringify(text.slice(0, 80))}`);
  return unsupported ? undefined : { root, lexemes };
}

/** Evaluates a query over which of its lexemes are present (`TS_execute` without phrases: plain logic). */
export function evaluate(node: TsQueryNode, present: (lexeme: number) => boolean): boolean {
  switch (node.op) {
    case 'lexeme':
      return present(node.lexeme);
    case 'not':
      return !evaluate(node.arg, present);
    case 'and':
      return evaluate(node.left, present) && evaluate(node.right, present);
    case 'or':
      return evaluate(node.left, present) || evaluate(node.right, present);
  }
}

/** `vector @@ query`: an empty query matches nothing. */
export function matches(vector: TsVector, query: TsQuery): boolean {
  if (query.root === undefined) return false;
  return evaluate(query.root, (lexeme) => vector.has(query.lexemes[lexeme]!));
}

/** `ts_rank_cd(vector, query)`: see `rankCoverDensity`. */
export function rankVector(vector: TsVector, query: TsQuery): number {
  return rankCoverDensity(query, (lexeme) => vector.get(query.lexemes[lexeme]!));
}

/** `1 / weight` for D, C, B, A: PostgreSQL's default weights {0.1, 0.2, 0.4, 1.0} are float4, widened to double. */
const INVERSE_WEIGHTS = [0.1, 0.2, 0.4, 1.0].map((w) => 1 / Math.fround(w));

/**
 * `ts_rank_cd(vector, query)` where a query lexeme's positions are `positionsOf(lexeme)` (ascending, encoded as in
 * `Positions`), as PostgreSQL 15 computes it (`calc_rank_cd` with `Cover`): the document's positions of the
 * query's lexemes, in order; each minimal cover (a stretch that satisfies the query) adds its density, the number
 * of its matched positions over the sum of their inverse weights, divided by one plus the noise (positions within
 * it that are not the query's); the sum is returned as float4.
 */
export function rankCoverDensity(query: TsQuery, positionsOf: (lexeme: number) => Positions | undefined): number {
  if (query.root === undefined) return 0;
  const { order, byOrder, holds } = prepared(query);
  // The document representation as get_docrep sorts it: by position, then weight, then lexeme in the
  // tsvector's order; encoded as one number per entry so that a numeric sort orders it.
  const n = query.lexemes.length;
  let size = 0;
  for (let l = 0; l < n; l++) size += positionsOf(l)?.length ?? 0;
  if (size === 0) return 0;
  if (scratch.keys.length < size) scratch = { ...scratch, keys: new Float64Array(size * 2), lexeme: new Int32Array(size * 2), position: new Int32Array(size * 2), weight: new Int32Array(size * 2) };
  if (scratch.present.length < n) scratch.present = new Uint32Array(n * 2);
  const { keys, lexeme, position, weight, present } = scratch;
  let k = 0;
  for (let l = 0; l < n; l++) for (const p of positionsOf(l) ?? []) keys[k++] = p * n + order[l]!;
  const doc = keys.subarray(0, size);
  if (n > 1) doc.sort();
  for (let i = 0; i < size; i++) {
    const key = doc[i]!;
    const p = Math.floor(key / n);
    lexeme[i] = byOrder[key - p * n]!;
    position[i] = p >> 2;
    weight[i] = p & 3;
  }
  // Which lexemes the window holds: `present[l] === mark`, a new mark for each window instead of clearing.
  let mark = 0;
  const seen = (l: number) => present[l] === mark;
  let wdoc = 0;
  let start = 0; // ext.pos
  while (start < size) {
    // Upper bound: the first entry from `start` at which the query holds.
    mark = ++scratch.mark;
    let end = -1;
    for (let i = start; i < size; i++) {
      present[lexeme[i]!] = mark;
      if (holds(seen)) {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    // Lower bound: from there back down, the first entry at which the query holds again.
    mark = ++scratch.mark;
    let begin = -1;
    let i = end;
    for (; i >= start; i--) {
      present[lexeme[i]!] = mark;
      if (holds(seen)) {
        begin = i;
        break;
      }
    }
    if (begin < 0) {
      start++;
      continue;
    }
    start = i + 1;
    let inverseSum = 0;
    for (let j = begin; j <= end; j++) inverseSum += INVERSE_WEIGHTS[weight[j]!]!;
    const density = (end - begin + 1) / inverseSum;
    let noise = position[end]! - position[begin]! - (end - begin);
    if (noise < 0) noise = Math.trunc((end - begin) / 2);
    wdoc += density / (1 + noise);
  }
  return Math.fround(wdoc);
}

/** Scratch space of `rankCoverDensity`, grown as needed and reused (ranking is synchronous, on one thread). */
let scratch = { keys: new Float64Array(256), lexeme: new Int32Array(256), position: new Int32Array(256), weight: new Int32Array(256), present: new Uint32Array(16), mark: 0 };

/** A query compiled once: its lexemes' byte order (the tsvector's order of lexemes), and its logic as a closure. */
interface Prepared {
  /** Lexeme to its rank in byte order, and back. */
  readonly order: Int32Array;
  readonly byOrder: Int32Array;
  readonly holds: (present: (lexeme: number) => boolean) => boolean;
}

const preparedQueries = new WeakMap<TsQuery, Prepared>();

/** Compiles a query's logic and lexeme order, once per query. */
export function prepared(query: TsQuery): Prepared {
  let found = preparedQueries.get(query);
  if (!found) {
    const sorted = query.lexemes.map((text, l) => ({ text, l })).sort((a, b) => compareLexemes(a.text, b.text));
    const order = new Int32Array(query.lexemes.length);
    const byOrder = new Int32Array(query.lexemes.length);
    sorted.forEach((entry, rank) => {
      order[entry.l] = rank;
      byOrder[rank] = entry.l;
    });
    found = { order, byOrder, holds: query.root === undefined ? () => false : compile(query.root) };
    preparedQueries.set(query, found);
  }
  return found;
}

function compile(node: TsQueryNode): (present: (lexeme: number) => boolean) => boolean {
  switch (node.op) {
    case 'lexeme': {
      const l = node.lexeme;
      return (present) => present(l);
    }
    case 'not': {
      const arg = compile(node.arg);
      return (present) => !arg(present);
    }
    case 'and': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (present) => left(present) && right(present);
    }
    case 'or': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (present) => left(present) || right(present);
    }
  }
}

/** The order of lexemes in a tsvector: bytes, a prefix first (`tsCompareString`). */
function compareLexemes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

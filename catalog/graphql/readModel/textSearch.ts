/**
 * PostgreSQL full-text search evaluated in memory, on the values PostgreSQL itself produced: a `tsvector` as
 * `search::text` prints it, and a `tsquery` as `websearch_to_tsquery('english', text)::text` prints it. Parsing,
 * stemming and stop words stay PostgreSQL's; what runs here is `tsvector @@ tsquery` and `ts_rank_cd` (with the
 * default weights and no normalization), ported from PostgreSQL 15's `tsvector_op.c` and `tsrank.c` so that
 * they give the same answers, to the last bit of the float4 rank (the read model's tests compare them with the
 * database's on generated catalogs).
 *
 * Phrase operators (`<->`, `<N>`: quoted phrases) are evaluated as `TS_phrase_execute` does, on the lexemes'
 * positions (in the whole document for `@@`, in the stretch a cover spans for `ts_rank_cd`). Prefix operands
 * (`:*`) and weight-restricted operands are not: `parseTsQuery` returns `undefined` for them, and the caller asks
 * PostgreSQL instead.
 */

/** A lexeme's positions in a document: `position * 4 + weight` (weight D = 0, C = 1, B = 2, A = 3), ascending. */
export type Positions = readonly number[];

/** A parsed `tsvector`: lexeme to positions. */
export type TsVector = ReadonlyMap<string, Positions>;

/**
 * A `tsquery` of `&`, `|`, `!` and phrase operators (`<N>`: `right` follows `left` by `distance` positions) over
 * lexemes; `lexemes` are its distinct operands, `lexeme` indexes them.
 */
export type TsQueryNode =
  | { readonly op: 'lexeme'; readonly lexeme: number }
  | { readonly op: 'not'; readonly arg: TsQueryNode }
  | { readonly op: 'and' | 'or'; readonly left: TsQueryNode; readonly right: TsQueryNode }
  | { readonly op: 'phrase'; readonly distance: number; readonly left: TsQueryNode; readonly right: TsQueryNode };

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
 * do not evaluate (prefixes, weights). Precedence as PostgreSQL's parser: `!`, then `<N>` (left to right, as
 * `tsqueryout` prints a chain without parentheses), then `&`, then `|`.
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
    let left = primary();
    for (skip(); text[i] === '<'; skip()) {
      const close = text.indexOf('>', i);
      const inner = close < 0 ? '' : text.slice(i + 1, close);
      if (inner !== '-' && !/^\d+$/.test(inner)) throw new Error(`unexpected phrase operator in tsquery ${JSON.stringify(text.slice(0, 80))}`);
      i = close + 1;
      left = { op: 'phrase', distance: inner === '-' ? 1 : Number(inner), left, right: primary() };
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

/** A lexeme's positions where a query is evaluated (encoded as in `Positions`), `undefined` where it is absent. */
export type PositionsOf = (lexeme: number) => Positions | undefined;

/** `vector @@ query`: an empty query matches nothing. */
export function matches(vector: TsVector, query: TsQuery): boolean {
  if (query.root === undefined) return false;
  return prepared(query).holds((lexeme) => vector.get(query.lexemes[lexeme]!));
}

/**
 * What `TS_phrase_execute` reports of a match (`ExecPhraseData`): the positions it ends at (plain positions,
 * ascending), or with `negate` every position but those; and its width (the phrase distances it spans).
 */
interface PhraseData {
  pos: number[];
  negate: boolean;
  width: number;
}

const L_ONLY = 1;
const R_ONLY = 2;
const BOTH = 4;

/**
 * `TS_phrase_output`: merges two position lists (each offset), emitting positions found only in the left, only
 * in the right, or in both, as `emit` says; into `data`, or (`data` null) just whether any would be emitted.
 */
function phraseOutput(data: PhraseData | null, left: PhraseData, right: PhraseData, emit: number, leftOffset: number, rightOffset: number): boolean {
  let l = 0;
  let r = 0;
  while (l < left.pos.length || r < right.pos.length) {
    let lpos: number;
    let rpos: number;
    let out = 0;
    if (l < left.pos.length) lpos = left.pos[l]! + leftOffset;
    else {
      if (!(emit & R_ONLY)) break;
      lpos = Number.MAX_SAFE_INTEGER;
    }
    if (r < right.pos.length) rpos = right.pos[r]! + rightOffset;
    else {
      if (!(emit & L_ONLY)) break;
      rpos = Number.MAX_SAFE_INTEGER;
    }
    if (lpos < rpos) {
      if (emit & L_ONLY) out = lpos;
      l++;
    } else if (lpos === rpos) {
      if (emit & BOTH) out = rpos;
      l++;
      r++;
    } else {
      if (emit & R_ONLY) out = rpos;
      r++;
    }
    if (out > 0) {
      if (!data) return true;
      data.pos.push(out);
    }
  }
  return data !== null && data.pos.length > 0;
}

const emptyData = (): PhraseData => ({ pos: [], negate: false, width: 0 });

/**
 * `TS_phrase_execute` at and below a phrase operator, where positions matter; `data` is null only for the
 * phrase operator it is first called on. Every operand here has positions, so PostgreSQL's "maybe" never arises.
 */
function phraseExecute(node: TsQueryNode, positionsOf: PositionsOf, data: PhraseData | null): boolean {
  switch (node.op) {
    case 'lexeme': {
      const positions = positionsOf(node.lexeme);
      if (positions === undefined || positions.length === 0) return false;
      if (data) data.pos = positions.map((p) => p >> 2);
      return true;
    }
    case 'not': {
      const d = data!;
      if (!phraseExecute(node.arg, positionsOf, d)) {
        d.negate = true; // "match nowhere" becomes "match everywhere"
        return true;
      }
      if (d.pos.length > 0) {
        d.negate = !d.negate;
        return true;
      }
      d.negate = false; // "match everywhere" becomes "match nowhere"
      return false;
    }
    case 'phrase':
    case 'and': {
      const left = emptyData();
      const right = emptyData();
      if (!phraseExecute(node.left, positionsOf, left)) return false;
      if (!phraseExecute(node.right, positionsOf, right)) return false;
      let leftOffset: number;
      let rightOffset: number;
      if (node.op === 'phrase') {
        leftOffset = node.distance + right.width;
        rightOffset = 0;
        if (data) data.width = node.distance + left.width + right.width;
      } else {
        const width = Math.max(left.width, right.width);
        leftOffset = width - left.width;
        rightOffset = width - right.width;
        if (data) data.width = width;
      }
      if (left.negate && right.negate) {
        phraseOutput(data, left, right, BOTH | L_ONLY | R_ONLY, leftOffset, rightOffset);
        if (data) data.negate = true;
        return true;
      }
      if (left.negate) return phraseOutput(data, left, right, R_ONLY, leftOffset, rightOffset);
      if (right.negate) return phraseOutput(data, left, right, L_ONLY, leftOffset, rightOffset);
      return phraseOutput(data, left, right, BOTH, leftOffset, rightOffset);
    }
    case 'or': {
      const d = data!;
      const left = emptyData();
      const right = emptyData();
      const leftMatch = phraseExecute(node.left, positionsOf, left);
      const rightMatch = phraseExecute(node.right, positionsOf, right);
      if (!leftMatch && !rightMatch) return false;
      if (!leftMatch) left.width = 0;
      if (!rightMatch) right.width = 0;
      const width = Math.max(left.width, right.width);
      const leftOffset = width - left.width;
      const rightOffset = width - right.width;
      d.width = width;
      if (left.negate && right.negate) {
        phraseOutput(d, left, right, BOTH, leftOffset, rightOffset);
        d.negate = true;
        return true;
      }
      if (left.negate) {
        phraseOutput(d, left, right, L_ONLY, leftOffset, rightOffset);
        d.negate = true;
        return true;
      }
      if (right.negate) {
        phraseOutput(d, left, right, R_ONLY, leftOffset, rightOffset);
        d.negate = true;
        return true;
      }
      return phraseOutput(d, left, right, BOTH | L_ONLY | R_ONLY, leftOffset, rightOffset);
    }
  }
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
  const { order, byOrder, holds, phrases } = prepared(query);
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
  // Which lexemes the window holds: `present[l] === mark`, a new mark for each window instead of clearing. A
  // query with phrases is asked with the window's positions of each lexeme instead (`windowPositions`).
  let mark = 0;
  const seen: PositionsOf = (l) => (present[l] === mark ? PRESENT : undefined);
  const window = phrases ? new WindowPositions(n, lexeme, position, weight) : undefined;
  let wdoc = 0;
  let start = 0; // ext.pos
  while (start < size) {
    // Upper bound: the first entry from `start` at which the query holds.
    mark = ++scratch.mark;
    let end = -1;
    for (let i = start; i < size; i++) {
      present[lexeme[i]!] = mark;
      if (window ? holds(window.of(start, i)) : holds(seen)) {
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
      if (window ? holds(window.of(i, end)) : holds(seen)) {
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

/** What `seen` answers for a lexeme in the window of a query without phrases, where only presence counts. */
const PRESENT: Positions = [];

/**
 * The positions of each query lexeme within a stretch of the document representation (`first` to `last`), as
 * `fillQueryRepresentationData` collects them for `checkcondition_QueryOperand`: ascending, encoded as in
 * `Positions`. Built afresh for each stretch: a document holds few positions of a query's lexemes.
 */
class WindowPositions {
  private readonly lists: number[][];
  constructor(
    lexemes: number,
    private readonly lexeme: Int32Array,
    private readonly position: Int32Array,
    private readonly weight: Int32Array,
  ) {
    this.lists = Array.from({ length: lexemes }, () => []);
  }

  of(first: number, last: number): PositionsOf {
    for (const list of this.lists) list.length = 0;
    for (let j = first; j <= last; j++) this.lists[this.lexeme[j]!]!.push(this.position[j]! * 4 + this.weight[j]!);
    return (l) => (this.lists[l]!.length > 0 ? this.lists[l] : undefined);
  }
}

/** Scratch space of `rankCoverDensity`, grown as needed and reused (ranking is synchronous, on one thread). */
let scratch = { keys: new Float64Array(256), lexeme: new Int32Array(256), position: new Int32Array(256), weight: new Int32Array(256), present: new Uint32Array(16), mark: 0 };

/** A query compiled once: its lexemes' byte order (the tsvector's order of lexemes), and its logic as a closure. */
interface Prepared {
  /** Lexeme to its rank in byte order, and back. */
  readonly order: Int32Array;
  readonly byOrder: Int32Array;
  /** `TS_execute`: whether the query holds where its lexemes are at `positionsOf` (absent: `undefined`). */
  readonly holds: (positionsOf: PositionsOf) => boolean;
  /** Whether it has phrase operators (which need positions; the rest only presence). */
  readonly phrases: boolean;
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
    found = { order, byOrder, holds: query.root === undefined ? () => false : compile(query.root), phrases: query.root !== undefined && hasPhrase(query.root) };
    preparedQueries.set(query, found);
  }
  return found;
}

function hasPhrase(node: TsQueryNode): boolean {
  return node.op === 'phrase' || (node.op === 'not' ? hasPhrase(node.arg) : node.op !== 'lexeme' && (hasPhrase(node.left) || hasPhrase(node.right)));
}

/** `TS_execute_recurse` as a closure: plain logic above phrase operators, `phraseExecute` at them. */
function compile(node: TsQueryNode): (positionsOf: PositionsOf) => boolean {
  switch (node.op) {
    case 'lexeme': {
      const l = node.lexeme;
      return (positionsOf) => positionsOf(l) !== undefined;
    }
    case 'not': {
      const arg = compile(node.arg);
      return (positionsOf) => !arg(positionsOf);
    }
    case 'and': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (positionsOf) => left(positionsOf) && right(positionsOf);
    }
    case 'or': {
      const left = compile(node.left);
      const right = compile(node.right);
      return (positionsOf) => left(positionsOf) || right(positionsOf);
    }
    case 'phrase':
      return (positionsOf) => phraseExecute(node, positionsOf, null);
  }
}

/** The order of lexemes in a tsvector: bytes, a prefix first (`tsCompareString`). */
function compareLexemes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

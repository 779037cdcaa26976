/**
 * Translates an ECMAScript regular expression into a PostgreSQL ARE (advanced regular expression) that accepts
 * exactly the same strings, or returns `undefined` when it cannot prove that it does.
 *
 * The two dialects differ in ways that matter for validation: `.` matches a newline in ARE but not in
 * ECMAScript, `\d`, `\w` and `\s` follow the locale in ARE and are ASCII (or a fixed list) in ECMAScript, `\x`
 * takes every following hex digit in ARE, bounds stop at 255 in ARE, case-insensitive matching folds
 * differently, and lookarounds and back-references have no safe counterpart. So the pattern is parsed into a
 * small subset (literals, classes, groups, alternatives, greedy or lazy quantifiers, `^` and `$`) and emitted
 * with every character class spelled out as positive code-point ranges in `\u`/`\U` escapes, never with
 * ARE's own shorthand, negation, `.` or case folding. Anything outside the subset returns `undefined`, and
 * the value is checked by Ajv instead.
 *
 * Membership does not depend on greediness (no possessive or atomic groups exist in either dialect), so lazy
 * quantifiers become greedy. Both engines test for a match anywhere in the string, as JSON Schema's `pattern`
 * does.
 *
 * Flags: `u` (how Ajv compiles contract patterns), none, or `i` without `u` (how ajv-formats writes `email`
 * and `uuid`). Without `u`, the engine sees UTF-16 code units, so only classes of BMP characters outside
 * the surrogate range and no negation or `.` are accepted: then a character outside the BMP matches in
 * neither dialect. `i` without `u` folds only ASCII letters (ECMA-262 Canonicalize never maps a non-ASCII
 * character to an ASCII one), which is emitted as explicit case pairs.
 */
export function translatePattern(source: string, flags = 'u'): string | undefined {
  const unicode = flags.includes('u');
  const ignoreCase = flags.includes('i');
  if (/[^ui]/.test(flags) || (unicode && ignoreCase)) return undefined;
  try {
    const parser = new PatternParser(source, unicode);
    const tree = parser.parseDisjunction();
    if (!parser.atEnd()) return undefined;
    return emitDisjunction(tree, { unicode, ignoreCase });
  } catch {
    // Unsupported syntax, or a pattern nested too deeply for the parser's stack: Ajv checks it.
    return undefined;
  }
}

/** Inclusive code-point ranges, sorted and disjoint. */
type CharSet = Array<[number, number]>;

type Node =
  | { readonly kind: 'set'; readonly set: CharSet }
  | { readonly kind: 'start' }
  | { readonly kind: 'end' }
  | { readonly kind: 'group'; readonly body: Term[][] };

interface Term {
  readonly node: Node;
  readonly min: number;
  readonly max: number; // Infinity for unbounded
}

/** Thrown where the subset ends; `translatePattern` turns it (and any other failure) into `undefined`. */
class Unsupported extends Error {}

const MAX_CODE_POINT = 0x10ffff;
/** ARE's RE_DUP_MAX. */
const MAX_BOUND = 255;
const SYNTAX_CHARACTERS = new Set('^$\\.*+?()[]{}|/-');

const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
// ECMA-262 WhiteSpace and LineTerminator, the definition of \s.
const SPACE: CharSet = normalize([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f],
  [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];

class PatternParser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly unicode: boolean,
  ) {}

  atEnd(): boolean {
    return this.i >= this.text.length;
  }

  parseDisjunction(): Term[][] {
    const alternatives: Term[][] = [];
    for (;;) {
      alternatives.push(this.parseAlternative());
      if (this.peek() !== '|') break;
      this.i++;
    }
    return alternatives;
  }

  private parseAlternative(): Term[] {
    const terms: Term[] = [];
    while (!this.atEnd() && this.peek() !== '|' && this.peek() !== ')') {
      const node = this.parseAtom();
      const { min, max } = this.parseQuantifier();
      if ((node.kind === 'start' || node.kind === 'end') && (min !== 1 || max !== 1)) throw new Unsupported();
      terms.push({ node, min, max });
    }
    return terms;
  }

  private parseAtom(): Node {
    const c = this.next();
    switch (c) {
      case '^':
        return { kind: 'start' };
      case '$':
        return { kind: 'end' };
      case '.':
        if (!this.unicode) throw new Unsupported();
        return { kind: 'set', set: complement(LINE_TERMINATORS) };
      case '(': {
        if (this.peek() === '?') {
          if (this.text.startsWith('?:', this.i)) this.i += 2;
          else if (this.text.startsWith('?<', this.i) && !this.text.startsWith('?<=', this.i) && !this.text.startsWith('?<!', this.i)) {
            const close = this.text.indexOf('>', this.i);
            if (close === -1 || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(this.text.slice(this.i + 2, close))) throw new Unsupported();
            this.i = close + 1;
          } else throw new Unsupported(); // lookarounds, modifiers
        }
        const body = this.parseDisjunction();
        if (this.next() !== ')') throw new Unsupported();
        return { kind: 'group', body };
      }
      case '[':
        return { kind: 'set', set: this.parseClass() };
      case '\\':
        return { kind: 'set', set: this.parseEscape(false) };
      case ')':
      case ']':
      case '{':
      case '}':
      case '*':
      case '+':
      case '?':
      case undefined:
        throw new Unsupported();
      default:
        return { kind: 'set', set: this.single(this.codePointAt(c)) };
    }
  }

  private parseQuantifier(): { min: number; max: number } {
    let min = 1;
    let max = 1;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.i));
      if (!match) throw new Unsupported();
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      if (min > MAX_BOUND || (max !== Infinity && (max > MAX_BOUND || max < min))) throw new Unsupported();
      this.i += match[0].length - 1;
    } else return { min, max };
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: same membership
    return { min, max };
  }

  private parseClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.i++;
    }
    const ranges: CharSet = [];
    while (this.peek() !== ']') {
      if (this.atEnd()) throw new Unsupported();
      const low = this.classAtom();
      if (this.peek() === '-' && this.text[this.i + 1] !== ']' && this.i + 1 < this.text.length) {
        this.i++;
        const high = this.classAtom();
        if (low.length !== 1 || high.length !== 1 || low[0]![0] !== low[0]![1] || high[0]![0] !== high[0]![1]) throw new Unsupported();
        if (low[0]![0] > high[0]![0]) throw new Unsupported();
        ranges.push([low[0]![0], high[0]![0]]);
      } else ranges.push(...low);
    }
    this.i++;
    const set = normalize(ranges);
    if (set.length === 0) throw new Unsupported(); // [] and [^]: rare, and ARE has no spelling for them
    if (negated && !this.unicode) throw new Unsupported();
    const result = negated ? complement(set) : set;
    if (result.length === 0) throw new Unsupported(); // [^\d\D]: matches nothing, and ARE cannot say so
    return result;
  }

  private classAtom(): CharSet {
    const c = this.next();
    if (c === '\\') return this.parseEscape(true);
    if (c === undefined) throw new Unsupported();
    return this.single(this.codePointAt(c));
  }

  private parseEscape(inClass: boolean): CharSet {
    const c = this.next();
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return this.negatedShorthand(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return this.negatedShorthand(WORD);
      case 's':
        return SPACE;
      case 'S':
        return this.negatedShorthand(SPACE);
      case 't':
        return [[0x09, 0x09]];
      case 'n':
        return [[0x0a, 0x0a]];
      case 'v':
        return [[0x0b, 0x0b]];
      case 'f':
        return [[0x0c, 0x0c]];
      case 'r':
        return [[0x0d, 0x0d]];
      case 'b':
        if (inClass) return [[0x08, 0x08]];
        throw new Unsupported(); // word boundary
      case 'x': {
        const hex = /^[0-9A-Fa-f]{2}/.exec(this.text.slice(this.i));
        if (!hex) throw new Unsupported();
        this.i += 2;
        return this.single(parseInt(hex[0], 16));
      }
      case 'u': {
        const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(this.text.slice(this.i));
        if (braced && this.unicode) {
          this.i += braced[0].length;
          const cp = parseInt(braced[1]!, 16);
          if (cp > MAX_CODE_POINT) throw new Unsupported();
          return this.single(cp);
        }
        const hex = /^[0-9A-Fa-f]{4}/.exec(this.text.slice(this.i));
        if (!hex) throw new Unsupported();
        this.i += 4;
        return this.single(parseInt(hex[0], 16));
      }
      default:
        if (c !== undefined && SYNTAX_CHARACTERS.has(c)) return this.single(c.codePointAt(0)!);
        throw new Unsupported(); // back-references, \c, \p, \k, \0, \B, identity escapes of letters
    }
  }

  private negatedShorthand(set: CharSet): CharSet {
    if (!this.unicode) throw new Unsupported();
    return complement(set);
  }

  /** One character; surrogates (lone, or halves of a pair outside `u` mode) are refused. */
  private single(cp: number): CharSet {
    if (cp === 0 || (cp >= 0xd800 && cp <= 0xdfff)) throw new Unsupported(); // NUL and surrogates never occur in PostgreSQL text
    if (!this.unicode && cp > 0xffff) throw new Unsupported();
    return [[cp, cp]];
  }

  private codePointAt(c: string): number {
    if (this.unicode) {
      // `next()` returned one UTF-16 unit; take the whole code point.
      const cp = this.text.codePointAt(this.i - 1)!;
      if (cp > 0xffff) this.i++;
      return cp;
    }
    return c.charCodeAt(0);
  }

  private peek(): string | undefined {
    return this.text[this.i];
  }

  private next(): string | undefined {
    return this.text[this.i++];
  }
}

function normalize(ranges: CharSet): CharSet {
  const sorted = ranges.map(([a, b]) => [a, b] as [number, number]).sort((x, y) => x[0] - y[0]);
  const out: CharSet = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Every code point PostgreSQL text can hold (no NUL, no surrogates) that is not in `set`. */
function complement(set: CharSet): CharSet {
  const out: CharSet = [];
  let from = 1;
  for (const [a, b] of normalize(set)) {
    if (a > from) out.push([from, a - 1]);
    from = Math.max(from, b + 1);
  }
  if (from <= MAX_CODE_POINT) out.push([from, MAX_CODE_POINT]);
  return withoutSurrogates(out);
}

function withoutSurrogates(set: CharSet): CharSet {
  const out: CharSet = [];
  for (const [a, b] of set) {
    if (b < 0xd800 || a > 0xdfff) out.push([a, b]);
    else {
      if (a < 0xd800) out.push([a, 0xd7ff]);
      if (b > 0xdfff) out.push([0xe000, b]);
    }
  }
  return out;
}

/** Adds the other case of every ASCII letter in the set (ECMA-262 Canonicalize outside `u` mode). */
function foldAsciiCase(set: CharSet): CharSet {
  const extra: CharSet = [];
  for (const [a, b] of set) {
    for (const [lo, hi, shift] of [[0x41, 0x5a, 0x20], [0x61, 0x7a, -0x20]] as const) {
      const from = Math.max(a, lo);
      const to = Math.min(b, hi);
      if (from <= to) extra.push([from + shift, to + shift]);
    }
  }
  return normalize([...set, ...extra]);
}

interface EmitOptions {
  readonly unicode: boolean;
  readonly ignoreCase: boolean;
}

function emitDisjunction(alternatives: Term[][], options: EmitOptions): string {
  return alternatives.map((terms) => terms.map((t) => emitTerm(t, options)).join('')).join('|');
}

function emitTerm(term: Term, options: EmitOptions): string {
  const atom = emitNode(term.node, options);
  if (term.min === 1 && term.max === 1) return atom;
  if (term.min === 0 && term.max === Infinity) return `${atom}*`;
  if (term.min === 1 && term.max === Infinity) return `${atom}+`;
  if (term.min === 0 && term.max === 1) return `${atom}?`;
  if (term.max === Infinity) return `${atom}{${term.min},}`;
  if (term.min === term.max) return `${atom}{${term.min}}`;
  return `${atom}{${term.min},${term.max}}`;
}

function emitNode(node: Node, options: EmitOptions): string {
  switch (node.kind) {
    case 'start':
      return '^';
    case 'end':
      return '$';
    case 'group':
      return `(?:${emitDisjunction(node.body, options)})`;
    case 'set': {
      const set = options.ignoreCase ? foldAsciiCase(node.set) : node.set;
      if (set.length === 1 && set[0]![0] === set[0]![1]) return emitChar(set[0]![0]);
      return `[${set.map(([a, b]) => (a === b ? escape(a) : `${escape(a)}-${escape(b)}`)).join('')}]`;
    }
  }
}

function emitChar(cp: number): string {
  return isAsciiAlphanumeric(cp) ? String.fromCodePoint(cp) : escape(cp);
}

/** A character-entry escape: `\uXXXX` or `\UXXXXXXXX`, valid inside and outside brackets. */
function escape(cp: number): string {
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

function isAsciiAlphanumeric(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

/**
 * A fast reader for the plain YAML that manifests are written in, with exactly the value the `yaml` library
 * gives (YAML 1.2, core schema), or `NOT_PLAIN` for anything outside that subset, so that the caller falls back
 * to the library. The library spends about a millisecond on a two-kilobyte manifest building a syntax tree with
 * source positions that are only needed when a problem is reported; this reads the same text in a tenth of that,
 * and the tree is built later, for the few documents that need a position.
 *
 * The subset, line by line: block mappings whose keys are plain words (`[A-Za-z_][A-Za-z0-9_./-]*`, not a null
 * or boolean spelling), block sequences (`- value`, `- key: value` and `-` with a nested block), and on one line
 * as a value: a plain scalar, a single- or double-quoted scalar (simple escapes only), or a flow mapping or
 * sequence of those. Comments and blank lines anywhere. Everything else is `NOT_PLAIN`: block scalars (`|`,
 * `>`), multi-line scalars and flow collections, anchors, aliases, tags, directives, document markers, tabs,
 * carriage returns, quoted keys, duplicate keys, `__proto__` keys, keys longer than YAML allows for an implicit
 * key, nesting deeper than `MAX_DEPTH`. Saying `NOT_PLAIN` is always safe; a value that differs from the
 * library's is a bug, and test/source/parsePlainYaml.test.ts compares both on generated documents.
 */
export const NOT_PLAIN: unique symbol = Symbol('not plain YAML');

/** Nesting beyond this goes to the library (which reports documents nested too deep). */
const MAX_DEPTH = 64;
/** YAML limits an implicit key to 1024 characters. */
const MAX_KEY_LENGTH = 1024;

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Key spellings that the core schema does not read as strings. */
const NON_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

class NotPlain extends Error {}
const notPlain = (): never => {
  throw new NotPlain();
};

interface Line {
  /** Index of the line in the text. */
  readonly row: number;
  readonly indent: number;
  /** The line without its indentation, its trailing spaces and (outside quotes) its comment. */
  readonly content: string;
}

/** Parses `text` when it is plain YAML; `NOT_PLAIN` otherwise. */
export function parsePlainYaml(text: string): unknown {
  // Tabs, carriage returns and other control characters have rules of their own; the library applies them.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/.test(text)) return NOT_PLAIN;
  const raws = text.split('\n');
  const lines: Line[] = [];
  for (let row = 0; row < raws.length; row++) {
    const raw = raws[row]!;
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    if (indent === raw.length || raw.charCodeAt(indent) === 35 /* # */) continue;
    if (indent === 0 && (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%'))) return NOT_PLAIN;
    lines.push({ row, indent, content: trimSpaces(raw.slice(indent)) });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0) return NOT_PLAIN;
  try {
    const reader = new Reader(lines, raws);
    const value = reader.block(0, 0);
    return reader.done() ? value : NOT_PLAIN;
  } catch (error) {
    if (error instanceof NotPlain) return NOT_PLAIN;
    throw error;
  }
}

class Reader {
  private at = 0;
  /** A line that starts inside another one: the `key: value` after a sequence's `- `. */
  private pending: Line | undefined;
  /** Row of the line taken last. */
  private row = -1;

  constructor(
    private readonly lines: readonly Line[],
    /** Every line of the text, blank lines and comments included (block scalars read them). */
    private readonly raws: readonly string[],
  ) {}

  done(): boolean {
    return this.pending === undefined && this.at === this.lines.length;
  }

  private peek(): Line | undefined {
    return this.pending ?? this.lines[this.at];
  }

  private take(): void {
    if (this.pending) {
      this.row = this.pending.row;
      this.pending = undefined;
    } else {
      this.row = this.lines[this.at++]!.row;
    }
  }

  /** The block (mapping or sequence) that starts at the next line, indented `indent`. */
  block(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) notPlain();
    const line = this.peek()!;
    return isItem(line.content) ? this.sequence(indent, depth) : this.mapping(indent, depth);
  }

  private mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.peek(); line !== undefined && line.indent === indent && !isItem(line.content); line = this.peek()) {
      const colon = line.content.indexOf(':');
      if (colon <= 0) notPlain();
      const key = line.content.slice(0, colon);
      const after = line.content.charCodeAt(colon + 1);
      if (!KEY.test(key) || NON_STRING_KEY.test(key) || key.length > MAX_KEY_LENGTH || key === '__proto__') notPlain();
      if (!Number.isNaN(after) && after !== 32) notPlain();
      if (Object.prototype.hasOwnProperty.call(out, key)) notPlain();
      const rest = line.content.slice(colon + 1).replace(/^ +/, '');
      this.take();
      out[key] = this.valueAfter(rest, indent, depth, true);
    }
    this.expectDedent(indent);
    return out;
  }

  private sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.peek(); line !== undefined && line.indent === indent && isItem(line.content); line = this.peek()) {
      let offset = 1;
      while (line.content.charCodeAt(offset) === 32) offset++;
      const rest = line.content.slice(offset);
      this.take();
      if (rest !== '' && isCompactMapping(rest)) {
        // `- key: value`: a mapping whose keys line up after the dash.
        this.pending = { row: line.row, indent: indent + offset, content: rest };
        out.push(this.mapping(indent + offset, depth + 1));
      } else {
        out.push(this.valueAfter(rest, indent, depth, false));
      }
    }
    this.expectDedent(indent);
    return out;
  }

  /** The value of a `key:` or `-` whose remaining text is `rest`; a nested block when `rest` is empty. */
  private valueAfter(text: string, indent: number, depth: number, inMapping: boolean): unknown {
    // `key: # comment` has no value on its line.
    const rest = text.charCodeAt(0) === 35 /* # */ ? '' : text;
    const next = this.peek();
    if (rest === '') {
      if (next !== undefined && next.indent > indent) return this.block(next.indent, depth + 1);
      // A mapping's value may be a sequence at the mapping's own indentation.
      if (inMapping && next !== undefined && next.indent === indent && isItem(next.content)) return this.sequence(indent, depth + 1);
      return null;
    }
    if (rest.charCodeAt(0) === 124 /* | */ || rest.charCodeAt(0) === 62 /* > */) return this.blockScalar(rest, indent);
    // A more indented line after a value continues a scalar or is an error: the library decides.
    if (next !== undefined && next.indent > indent) notPlain();
    return inlineValue(rest, depth);
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar after the line taken last, with the default (clip) or strip
   * (`-`) chomping. Keep chomping (`+`), indentation indicators, leading blank lines, more-indented lines of a
   * folded scalar, trailing spaces and a last line without a line break go to the library.
   */
  private blockScalar(header: string, indent: number): string {
    const match = /^([|>])(-?)(?: +#.*)?$/.exec(header);
    if (!match) notPlain();
    const [, style, chomp] = match!;
    const first = this.row + 1;
    const firstRaw = this.raws[first];
    if (firstRaw === undefined) notPlain();
    let m = 0;
    while (firstRaw!.charCodeAt(m) === 32) m++;
    if (m <= indent || m === firstRaw!.length) notPlain();
    const parts: string[] = [];
    let row = first;
    for (; row < this.raws.length; row++) {
      const raw = this.raws[row]!;
      let spaces = 0;
      while (raw.charCodeAt(spaces) === 32) spaces++;
      if (spaces === raw.length) {
        if (spaces > m) notPlain();
        parts.push('');
        continue;
      }
      if (spaces < m) break;
      if (raw.charCodeAt(raw.length - 1) === 32 || (style === '>' && spaces > m)) notPlain();
      parts.push(raw.slice(m));
    }
    // The scalar's last line must end with a line break.
    if (row === this.raws.length && this.raws[row - 1] !== '') notPlain();
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    while (this.at < this.lines.length && this.lines[this.at]!.row < row) this.at++;
    let value = '';
    if (style === '|') {
      value = parts.join('\n');
    } else {
      for (let i = 0; i < parts.length; i++) {
        if (i === 0) value = parts[0]!;
        else if (parts[i] === '') value += '\n';
        else value += parts[i - 1] === '' ? parts[i] : ' ' + parts[i];
      }
    }
    return chomp === '-' || value === '' ? value : value + '\n';
  }

  /** After a block: the next line must belong to an enclosing block, never sit in between. */
  private expectDedent(indent: number): void {
    const next = this.peek();
    if (next !== undefined && next.indent > indent) notPlain();
  }
}

/** Drops trailing spaces only: YAML's white space is space and tab, not what `trimEnd` takes (NBSP...). */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(0, end);
}

function isItem(content: string): boolean {
  return content.charCodeAt(0) === 45 /* - */ && (content.length === 1 || content.charCodeAt(1) === 32);
}

function isCompactMapping(rest: string): boolean {
  const colon = rest.indexOf(':');
  if (colon <= 0) return false;
  return KEY.test(rest.slice(0, colon)) && (colon + 1 === rest.length || rest.charCodeAt(colon + 1) === 32);
}

/** A value written on the rest of one line: flow collection, quoted or plain scalar, then maybe a comment. */
function inlineValue(text: string, depth: number): unknown {
  const first = text.charCodeAt(0);
  if (first === 123 /* { */ || first === 91 /* [ */) {
    const flow = new FlowReader(text);
    const value = flow.value(depth + 1);
    flow.end();
    return value;
  }
  if (first === 34 /* " */ || first === 39 /* ' */) {
    const quoted = readQuoted(text, 0);
    if (!onlyComment(text, quoted.end)) notPlain();
    return quoted.value;
  }
  const comment = text.indexOf(' #');
  const plain = comment === -1 ? text : trimSpaces(text.slice(0, comment));
  // Indicators that start something else (or an error) in YAML; `: ` inside is a mapping where none may be.
  if (startsWithIndicator(plain)) notPlain();
  if (plain.includes(': ') || plain.endsWith(':')) notPlain();
  return plainScalar(plain);
}

/** Whether a plain scalar starts with an indicator that makes it something else, or an error. */
function startsWithIndicator(plain: string): boolean {
  return /^[-?:,[\]{}#&*!|>'"%@`]/.test(plain) && !/^[-?:][^\s,[\]{}]/.test(plain);
}

function onlyComment(text: string, from: number): boolean {
  const rest = text.slice(from);
  return rest === '' || /^ +(?:#|$)/.test(rest);
}

/** A quoted scalar starting at `start`, on this line. Escapes beyond the simple ones go to the library. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = quote === "'" ? text.indexOf("'", i) : nextOf(text, i);
    if (next === -1) notPlain();
    value += text.slice(i, next);
    if (quote === "'") {
      if (text[next + 1] === "'") {
        value += "'";
        i = next + 2;
        continue;
      }
      return { value, end: next + 1 };
    }
    if (text[next] === '"') return { value, end: next + 1 };
    const escaped = ESCAPES[text[next + 1] ?? ''];
    if (escaped === undefined) notPlain();
    value += escaped;
    i = next + 2;
  }
}

function nextOf(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92) return i;
  }
  return -1;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' };

/** Flow collections on one line: `{ key: value, ... }` and `[value, ...]` of plain words and quoted scalars. */
class FlowReader {
  private i = 0;
  constructor(private readonly text: string) {}

  private spaces(): void {
    while (this.text.charCodeAt(this.i) === 32) this.i++;
  }

  end(): void {
    if (!onlyComment(this.text, this.i)) notPlain();
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) notPlain();
    this.spaces();
    const c = this.text.charCodeAt(this.i);
    if (c === 123 /* { */) return this.mapping(depth);
    if (c === 91 /* [ */) return this.sequence(depth);
    if (c === 34 || c === 39) {
      const quoted = readQuoted(this.text, this.i);
      this.i = quoted.end;
      return quoted.value;
    }
    return plainScalar(this.plain());
  }

  /** A plain scalar in flow context: up to `,`, `]` or `}`; anything that might be YAML's business is not ours. */
  private plain(): string {
    const from = this.i;
    while (this.i < this.text.length) {
      const c = this.text.charCodeAt(this.i);
      if (c === 44 || c === 93 || c === 125) break;
      this.i++;
    }
    const word = trimSpaces(this.text.slice(from, this.i));
    // Flow indicators cannot appear in a flow scalar; `#` might start a comment, and a `:` not followed by a
    // character of the scalar ends a key.
    if (word === '' || /[#[\]{}]|:(?![^\s,[\]{}])/.test(word) || startsWithIndicator(word)) notPlain();
    return word;
  }

  private mapping(depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.spaces();
    if (this.text.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      this.spaces();
      const from = this.i;
      while (this.i < this.text.length && this.text.charCodeAt(this.i) !== 58 /* : */) this.i++;
      const key = this.text.slice(from, this.i);
      if (!KEY.test(key) || NON_STRING_KEY.test(key) || key === '__proto__' || Object.prototype.hasOwnProperty.call(out, key)) notPlain();
      if (this.text.charCodeAt(this.i + 1) !== 32) notPlain();
      this.i++;
      out[key] = this.value(depth + 1);
      if (this.separator(125)) return out;
    }
  }

  private sequence(depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.spaces();
    if (this.text.charCodeAt(this.i) === 93) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      if (this.separator(93)) return out;
    }
  }

  /** After an entry: `,` then another (a trailing comma goes to the library), or the closing bracket. */
  private separator(close: number): boolean {
    this.spaces();
    const c = this.text.charCodeAt(this.i);
    this.i++;
    if (c === close) return true;
    if (c !== 44) notPlain();
    this.spaces();
    const next = this.text.charCodeAt(this.i);
    if (next === 44 || next === 93 || next === 125) notPlain();
    return false;
  }
}

/** A plain scalar's value under the YAML 1.2 core schema, as the `yaml` library resolves it. */
function plainScalar(text: string): unknown {
  // Most scalars are words: only these first characters can start a null, boolean or number.
  if (!/^[-+.0-9~nNtTfF]/.test(text) && text !== '') return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(text)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return parseFloat(text);
  return text;
}

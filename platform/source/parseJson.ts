import { createRequire } from 'node:module';
import type { Node, ParseError } from 'jsonc-parser';
import { ProblemCode } from '../problems/codes.js';
import { parsePointer } from '../util/jsonPointer.js';
import { inspectValue, type DocumentLimits, DEFAULT_DOCUMENT_LIMITS } from './inspectValue.js';
import type { ParsedSource } from './parseYaml.js';
import { LineIndex, problemAt, problemInFile, type Position, type PositionPart, type SourceDocument } from './SourceDocument.js';

// jsonc-parser is loaded on first use: only a syntax error or a position asked for needs it.
const require = createRequire(import.meta.url);
let library: typeof import('jsonc-parser') | undefined;
const jsonc = (): typeof import('jsonc-parser') => (library ??= require('jsonc-parser') as typeof import('jsonc-parser'));

/**
 * Parses strict JSON with the engine's `JSON.parse` (fast path) and builds a syntax tree only when a position
 * is asked for, so that valid files cost a plain parse. Syntax errors are located with jsonc-parser.
 */
export function parseJson(file: string, text: string, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): ParsedSource {
  const lines = new LineIndex(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { document: jsonDocument(file, text, undefined, lines), problems: [syntaxProblem(file, text, lines)] };
  }
  const document = jsonDocument(file, text, value, lines);
  const problems = inspectValue(value, limits).map((finding) =>
    finding.kind === 'unsafe-key'
      ? problemAt(document, ProblemCode.UNSAFE_KEY, 'error', finding.pointer, 'the key "__proto__" is not allowed', 'key')
      : // Located by scanning brackets: the syntax tree of such a document would overflow the stack.
        problemInFile(file, ProblemCode.DOCUMENT_TOO_DEEP, 'error', `nesting deeper than ${limits.maxDepth} levels`, lines.position(offsetAtDepth(text, limits.maxDepth)), finding.pointer),
  );
  if (problems.length > 0) return { document: jsonDocument(file, text, undefined, lines), problems };
  return { document, problems };
}

function syntaxProblem(file: string, text: string, lines: LineIndex) {
  const errors: ParseError[] = [];
  jsonc().parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return problemInFile(file, ProblemCode.JSON_SYNTAX, 'error', `${file} is not valid JSON`);
  return problemInFile(
    file,
    ProblemCode.JSON_SYNTAX,
    'error',
    `JSON syntax: ${describeParseError(jsonc().printParseErrorCode(first.error))}`,
    lines.position(first.offset),
  );
}

function describeParseError(code: string): string {
  // jsonc-parser names errors like "CommaExpected"; spell them as words.
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function jsonDocument(file: string, text: string, value: unknown, lines: LineIndex): SourceDocument {
  let tree: Node | undefined | null = null;
  let index: JsonIndex | undefined;
  return {
    file,
    text,
    value,
    position(pointer: string, part: PositionPart = 'value'): Position {
      // Text that JSON.parse read is scanned for the pointer, no tree built (a contract with lint warnings asks
      // for several positions, and a syntax tree cost more than the rest of its checks); broken text goes to
      // jsonc-parser, which reads what it can.
      if (value !== undefined) return lines.position(locateInJson(text, parsePointer(pointer), part, (index ??= new Map())));
      try {
        if (tree === null) tree = jsonc().parseTree(text, [], { disallowComments: true }) ?? undefined;
        if (!tree) return { line: 1, column: 1 };
        return lines.position(locateJson(tree, parsePointer(pointer), part));
      } catch {
        return { line: 1, column: 1 }; // a tree too deep for the parser's recursion
      }
    },
  };
}

/** Where `segments` points in a jsonc-parser syntax tree (of text JSON.parse may refuse). */
export function locateJson(root: Node, segments: readonly string[], part: PositionPart): number {
  let node = root;
  let offset = root.offset;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (node.type === 'object') {
      // Later duplicates win in JSON.parse, so search from the end.
      const property = node.children?.findLast((p) => p.children?.[0]?.value === segment);
      const key = property?.children?.[0];
      const value = property?.children?.[1];
      if (!key) return offset;
      if (last && part === 'key') return key.offset;
      if (!value) return key.offset;
      node = value;
      offset = last ? value.offset : key.offset;
    } else if (node.type === 'array') {
      const item = /^\d+$/.test(segment) ? node.children?.[Number(segment)] : undefined;
      if (!item) return offset;
      node = item;
      offset = item.offset;
    } else {
      return offset;
    }
  }
  return offset;
}

/** What `locateInJson` learnt of a text's objects and arrays, by the offset where each starts. */
export type JsonIndex = Map<number, Map<string, readonly [key: number, value: number]> | number[]>;

/**
 * `locateJson`'s answer read straight from valid JSON text: the offset of the value (or key) at `segments`, or
 * of the deepest part of the path that exists; the last of duplicate keys wins, as in JSON.parse. Each object
 * and array on the way is read once per `index`, so that further positions in the same document cost little.
 */
export function locateInJson(text: string, segments: readonly string[], part: PositionPart, index: JsonIndex = new Map()): number {
  let i = skipSpace(text, 0);
  let offset = i;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s]!;
    const last = s === segments.length - 1;
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      const member = (members(text, i, index)).get(segment);
      if (!member) return offset;
      if (last && part === 'key') return member[0];
      i = member[1];
      offset = last ? member[1] : member[0];
    } else if (c === 0x5b /* [ */) {
      const item = /^\d+$/.test(segment) ? items(text, i, index)[Number(segment)] : undefined;
      if (item === undefined) return offset;
      i = item;
      offset = item;
    } else {
      return offset;
    }
  }
  return offset;
}

/** The members of the object at `start`: key to the offsets of key and value, the last duplicate winning. */
function members(text: string, start: number, index: JsonIndex): Map<string, readonly [number, number]> {
  const known = index.get(start);
  if (known instanceof Map) return known;
  const out = new Map<string, readonly [number, number]>();
  let i = skipSpace(text, start + 1);
  while (text.charCodeAt(i) === 0x22) {
    const keyStart = i;
    i = stringEnd(text, i);
    const raw = text.slice(keyStart + 1, i - 1);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(keyStart, i)) as string) : raw;
    i = skipSpace(text, skipSpace(text, i) + 1); // past the colon
    out.set(key, [keyStart, i]);
    i = skipSpace(text, valueEnd(text, i));
    if (text.charCodeAt(i) === 0x2c /* , */) i = skipSpace(text, i + 1);
  }
  index.set(start, out);
  return out;
}

/** The offsets of the items of the array at `start`. */
function items(text: string, start: number, index: JsonIndex): number[] {
  const known = index.get(start);
  if (Array.isArray(known)) return known;
  const out: number[] = [];
  let i = skipSpace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) !== 0x5d /* ] */) {
    out.push(i);
    i = skipSpace(text, valueEnd(text, i));
    if (text.charCodeAt(i) === 0x2c) i = skipSpace(text, i + 1);
  }
  index.set(start, out);
  return out;
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The offset after the string that starts at `i` (its opening quote). */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return i;
}

/** The offset after the value that starts at `i`, nested objects and arrays included, without recursion. */
function valueEnd(text: string, i: number): number {
  let depth = 0;
  do {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    else if (depth === 0) {
      // A number, true, false or null: up to the next delimiter.
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x5d || d === 0x7d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
      }
      return i;
    }
    i++;
  } while (depth > 0 && i < text.length);
  return i;
}

/** Offset of the first bracket that opens nesting level `depth + 1`, skipping strings. */
function offsetAtDepth(text: string, depth: number): number {
  let level = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash escapes the next character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x5b || ch === 0x7b) {
      if (++level > depth) return i;
    } else if (ch === 0x5d || ch === 0x7d) {
      level--;
    }
  }
  return 0;
}

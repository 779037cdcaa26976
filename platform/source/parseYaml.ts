import { createRequire } from 'node:module';
import type { Document, Node } from 'yaml';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { parsePointer } from '../util/jsonPointer.js';
import { inspectValue, type DocumentLimits, DEFAULT_DOCUMENT_LIMITS } from './inspectValue.js';
import { NOT_PLAIN, parsePlainYaml } from './parsePlainYaml.js';
import { LineIndex, problemAt, problemInFile, type Position, type PositionPart, type SourceDocument } from './SourceDocument.js';
import { errorMessage } from '../errors.js';

const OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' } as const;

// The yaml library is loaded on first use: plain manifests never need it, and it is a tenth of `mesh validate`'s
// start-up.
const require = createRequire(import.meta.url);
let library: typeof import('yaml') | undefined;
const yaml = (): typeof import('yaml') => (library ??= require('yaml') as typeof import('yaml'));

/** Aliases expanded at most this many times per document; the YAML "billion laughs" needs far more. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedSource {
  readonly document: SourceDocument;
  readonly problems: Problem[];
}

/**
 * Parses one YAML document (YAML 1.2 core schema), keeping source positions. Syntax errors, duplicate keys,
 * multiple documents, alias bombs, `__proto__` keys and excessive nesting are problems, never exceptions;
 * on any of them the document's value is `undefined`.
 */
export function parseYaml(file: string, text: string, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): ParsedSource {
  const lines = new LineIndex(text);
  // Plain YAML (what nearly every manifest is) is read without a syntax tree, which is built only if a position
  // is asked for; a document with any finding takes the library's path, which locates it.
  const plain = parsePlainYaml(text);
  if (plain !== NOT_PLAIN && inspectValue(plain, limits).length === 0) {
    let tree: Document.Parsed | undefined;
    return { document: yamlDocument(file, text, plain, () => (tree ??= yaml().parseDocument(text, OPTIONS)), lines), problems: [] };
  }
  let doc: Document.Parsed;
  try {
    doc = yaml().parseDocument(text, OPTIONS);
  } catch (error) {
    const problem = problemInFile(file, ProblemCode.YAML_SYNTAX, 'error', `${file} is not valid YAML: ${errorMessage(error)}`);
    return { document: yamlDocument(file, text, undefined, () => undefined, lines), problems: [problem] };
  }
  const problems: Problem[] = [];
  // Warnings (an unresolved tag such as !!js/function, a collection used as a key) are errors in a manifest.
  for (const error of [...doc.errors, ...doc.warnings]) {
    const at = lines.position(error.pos[0]);
    const message = firstLine(error.message);
    problems.push(
      /Maximum call stack/.test(message)
        ? problemInFile(file, ProblemCode.DOCUMENT_TOO_DEEP, 'error', `nesting deeper than ${limits.maxDepth} levels`, at)
        : problemInFile(file, ProblemCode.YAML_SYNTAX, 'error', `YAML syntax: ${message}`, at),
    );
  }
  if (problems.length > 0) return { document: yamlDocument(file, text, undefined, () => doc, lines), problems };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const at = firstAliasPosition(doc, lines);
    const code = error instanceof ReferenceError ? ProblemCode.YAML_ALIAS_LIMIT : ProblemCode.YAML_SYNTAX;
    const message =
      code === ProblemCode.YAML_ALIAS_LIMIT
        ? `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions); flatten the document`
        : `YAML could not be read: ${errorMessage(error)}`;
    problems.push(problemInFile(file, code, 'error', message, at));
    return { document: yamlDocument(file, text, undefined, () => doc, lines), problems };
  }

  const document = yamlDocument(file, text, value, () => doc, lines);
  for (const finding of inspectValue(value, limits)) {
    problems.push(
      finding.kind === 'unsafe-key'
        ? problemAt(document, ProblemCode.UNSAFE_KEY, 'error', finding.pointer, 'the key "__proto__" is not allowed', 'key')
        : problemAt(document, ProblemCode.DOCUMENT_TOO_DEEP, 'error', finding.pointer, `nesting deeper than ${limits.maxDepth} levels`),
    );
  }
  if (problems.length > 0) return { document: yamlDocument(file, text, undefined, () => doc, lines), problems };
  return { document, problems };
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return i === -1 ? message : message.slice(0, i);
}

function firstAliasPosition(doc: Document, lines: LineIndex): Position {
  let offset = 0;
  yaml().visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return yaml().visit.BREAK;
    },
  });
  return lines.position(offset);
}

function yamlDocument(
  file: string,
  text: string,
  value: unknown,
  tree: () => Document | undefined,
  lines: LineIndex,
): SourceDocument {
  return {
    file,
    text,
    value,
    position(pointer: string, part: PositionPart = 'value'): Position {
      const doc = tree();
      if (!doc) return { line: 1, column: 1 };
      return lines.position(locateYaml(doc, parsePointer(pointer), part));
    },
  };
}

/** Offset of the node at `segments`, or of the pair holding the deepest ancestor that exists. */
function locateYaml(doc: Document, segments: readonly string[], part: PositionPart): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  const { isAlias, isMap, isSeq } = yaml();
  for (let i = 0; i < segments.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === segment);
      if (!pair) return offset;
      const keyOffset = startOf(pair.key) ?? offset;
      if (last && part === 'key') return keyOffset;
      node = pair.value;
      offset = last ? startOf(node) ?? keyOffset : keyOffset;
    } else if (isSeq(node)) {
      const item = /^\d+$/.test(segment) ? node.items[Number(segment)] : undefined;
      if (item === undefined) return offset;
      node = item;
      offset = startOf(item) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function keyText(key: unknown): string | undefined {
  if (yaml().isScalar(key)) return String(key.value);
  if (typeof key === 'string' || typeof key === 'number') return String(key);
  return undefined;
}

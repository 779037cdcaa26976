import { toPointer } from '../../platform/util/jsonPointer.js';

/** What `inspectJson` finds wrong in a parsed value. */
export interface JsonFinding {
  readonly kind: 'too-deep' | 'unsafe-key' | 'unstorable-text';
  readonly pointer: string;
  readonly message: string;
}

// A NUL character, or a surrogate half without its partner: PostgreSQL's text and jsonb refuse both.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether JSON text (as `JSON.stringify` writes it) holds text PostgreSQL cannot store: `JSON.stringify` writes a
 * NUL as `\u0000` and an unpaired surrogate as `\udXXX` (lower-case hex; a paired one stays as it is), and a
 * backslash of the value as `\\`, so such an escape preceded by an even number of backslashes is one of them.
 * One scan of the text, instead of a test of every string of the value.
 */
export function jsonTextUnstorable(text: string): boolean {
  return UNSTORABLE_ESCAPE.test(text);
}

const UNSTORABLE_ESCAPE = /(?:^|[^\\])(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;

export interface InspectOptions {
  /** Whether to look for unstorable text in keys and strings (default true); see `jsonTextUnstorable`. */
  readonly text?: boolean;
}

/**
 * One pass over a value received as JSON, before anything else reads it: nesting deeper than `maxDepth` (it would
 * overflow recursive code), keys named `__proto__` (prototype pollution in code that copies objects), and text
 * PostgreSQL cannot store. It recurses at most `maxDepth` levels, allocates nothing per value, and builds a
 * pointer only for a finding; findings come in document order, at most one per kind.
 */
export function inspectJson(root: unknown, maxDepth: number, options: InspectOptions = {}): JsonFinding[] {
  const text = options.text ?? true;
  const findings: JsonFinding[] = [];
  const seen = new Set<JsonFinding['kind']>();
  const path: string[] = [];
  const report = (kind: JsonFinding['kind'], message: string) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    findings.push({ kind, pointer: toPointer(path), message });
  };
  const visit = (value: unknown, depth: number): void => {
    if (typeof value === 'string') {
      if (text && UNSTORABLE.test(value)) report('unstorable-text', 'text with a NUL character or an unpaired surrogate cannot be stored');
      return;
    }
    if (value === null || typeof value !== 'object') return;
    if (depth >= maxDepth) {
      report('too-deep', `nesting deeper than ${maxDepth} levels`);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(String(i));
        visit(value[i], depth + 1);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(value)) {
      path.push(key);
      if (key === '__proto__') report('unsafe-key', 'the key "__proto__" is not allowed');
      else if (text && UNSTORABLE.test(key)) report('unstorable-text', 'text with a NUL character or an unpaired surrogate cannot be stored');
      visit((value as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  visit(root, 0);
  return findings;
}

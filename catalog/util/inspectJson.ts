import { toPointer } from '../../platform/util/jsonPointer.js';

/** What `inspectJson` finds wrong in a parsed value. */
export interface JsonFinding {
  readonly kind: 'too-deep' | 'unsafe-key' | 'unstorable-text';
  readonly pointer: string;
  readonly message: string;
}

// A NUL character, or a surrogate half without its partner: PostgreSQL's text and jsonb refuse both.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Frame {
  readonly value: unknown;
  readonly key: string;
  readonly depth: number;
  readonly parent: Frame | undefined;
}

/**
 * One pass over a value received as JSON, before anything else reads it: nesting deeper than `maxDepth` (it would
 * overflow recursive code), keys named `__proto__` (prototype pollution in code that copies objects), and text
 * PostgreSQL cannot store. Iterative, it stops descending at the limit, and builds a pointer only for a finding;
 * findings come in document order, at most one per kind.
 */
export function inspectJson(root: unknown, maxDepth: number): JsonFinding[] {
  const findings: JsonFinding[] = [];
  const seen = new Set<JsonFinding['kind']>();
  const report = (kind: JsonFinding['kind'], frame: Frame, message: string) => {
    if (seen.has(kind)) return;
    seen.add(kind);
    findings.push({ kind, pointer: pointerOf(frame), message });
  };
  const stack: Frame[] = [{ value: root, key: '', depth: 0, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) report('unstorable-text', frame, 'text with a NUL character or an unpaired surrogate cannot be stored');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (frame.depth >= maxDepth) {
      report('too-deep', frame, `nesting deeper than ${maxDepth} levels`);
      continue;
    }
    // Children are pushed last first, so that findings come in document order.
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), depth: frame.depth + 1, parent: frame });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child: Frame = { value: (value as Record<string, unknown>)[key], key, depth: frame.depth + 1, parent: frame };
      if (key === '__proto__') report('unsafe-key', child, 'the key "__proto__" is not allowed');
      else if (UNSTORABLE.test(key)) report('unstorable-text', child, 'text with a NUL character or an unpaired surrogate cannot be stored');
      stack.push(child);
    }
  }
  return findings;
}

function pointerOf(frame: Frame): string {
  const segments: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) segments.unshift(f.key);
  return toPointer(segments);
}

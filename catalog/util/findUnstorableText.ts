import { toPointer } from '../../platform/util/jsonPointer.js';

// A NUL character, or a surrogate half without its partner: PostgreSQL's text and jsonb refuse both.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Frame {
  readonly value: unknown;
  readonly key: string;
  readonly parent: Frame | undefined;
}

/**
 * The pointer of the first string (value or key) in a parsed JSON value that PostgreSQL cannot store, or
 * `undefined`. Iterative, so depth costs no stack; the path is built only for a finding. Keys are checked as
 * their object is reached, values in document order.
 */
export function findUnstorableText(root: unknown): string | undefined {
  const stack: Frame[] = [{ value: root, key: '', parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return pathOf(frame);
    } else if (Array.isArray(value)) {
      // Children are pushed last first, so that the first finding is the first in document order.
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: String(i), parent: frame });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Frame = { value: (value as Record<string, unknown>)[key], key, parent: frame };
        if (UNSTORABLE.test(key)) return pathOf(child);
        stack.push(child);
      }
    }
  }
  return undefined;
}

function pathOf(frame: Frame): string {
  const segments: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) segments.unshift(f.key);
  return toPointer(segments);
}

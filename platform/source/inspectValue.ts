import { toPointer } from '../util/jsonPointer.js';

/** Limits applied to every document the platform reads. */
export interface DocumentLimits {
  /** Deepest nesting of objects and arrays accepted. Deeper documents would overflow recursive checks. */
  readonly maxDepth: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = { maxDepth: 128 };

export interface ValueFinding {
  readonly kind: 'too-deep' | 'unsafe-key';
  readonly pointer: string;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string;
}

/**
 * Walks a parsed value without recursion and reports keys named `__proto__` (a prototype-pollution vector in
 * any code that later copies the object) and nesting deeper than the limit. It stops descending at the limit,
 * so a hostile document costs no more than its size.
 */
export function inspectValue(root: unknown, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): ValueFinding[] {
  const findings: ValueFinding[] = [];
  const stack: Frame[] = [{ value: root, depth: 0, parent: undefined, key: '' }];
  let tooDeep = false;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (value === null || typeof value !== 'object') continue;
    if (frame.depth >= limits.maxDepth) {
      if (!tooDeep) findings.push({ kind: 'too-deep', pointer: pathOf(frame) });
      tooDeep = true;
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], depth: frame.depth + 1, parent: frame, key: String(i) });
      }
    } else {
      for (const key of Object.keys(value)) {
        const child: Frame = { value: (value as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key };
        if (key === '__proto__') findings.push({ kind: 'unsafe-key', pointer: pathOf(child) });
        stack.push(child);
      }
    }
  }
  return findings;
}

function pathOf(frame: Frame): string {
  const segments: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) segments.push(f.key);
  return toPointer(segments.reverse());
}

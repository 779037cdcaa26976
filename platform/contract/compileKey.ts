import { isObject } from '../util/guards.js';
import type { Contract } from './Contract.js';
import { directSubschemas } from './schemaKeywords.js';

/**
 * Annotations that Ajv reads nowhere when it compiles: no code, no strict-mode check (`$comment` only with its
 * option, `default` is kept since `useDefaults` would read it). The mesh `x-` keywords are not among them:
 * Ajv checks their values against their meta-schemas while compiling.
 */
const IGNORED_BY_COMPILE: ReadonlySet<string> = new Set(['title', 'description', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly']);

/**
 * What Ajv's compilation of a contract depends on: its folder (relative `$ref`s resolve against it) and its
 * schema without the annotations Ajv never reads. Two contracts with the same key compile to the same code,
 * refer to the same documents, and so either both compile or neither does.
 */
export function compileKey(contract: Contract): string {
  const folder = contract.uri.slice(0, contract.uri.lastIndexOf('/') + 1);
  return `${folder}\n${JSON.stringify(withoutAnnotations(contract.schema))}`;
}

function withoutAnnotations(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (!IGNORED_BY_COMPILE.has(keyword)) define(out, keyword, value);
  }
  for (const { path, schema: sub } of directSubschemas(schema)) {
    const [keyword, member] = path as [string, string | undefined];
    if (member === undefined) {
      define(out, keyword, withoutAnnotations(sub));
      continue;
    }
    // Copy the container (properties, allOf...) once before replacing its members: the contract stays as read.
    if (out[keyword] === schema[keyword]) define(out, keyword, Array.isArray(out[keyword]) ? [...(out[keyword] as unknown[])] : { ...(out[keyword] as object) });
    define(out[keyword] as Record<string, unknown>, member, withoutAnnotations(sub));
  }
  return out;
}

/** Sets an own property, whatever its name (a property called `__proto__` included). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

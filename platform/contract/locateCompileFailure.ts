import { isObject } from '../util/guards.js';
import { getAtPointer, toPointer, unescapeSegment } from '../util/jsonPointer.js';
import type { Contract } from './Contract.js';
import { walkSchemas } from './schemaKeywords.js';

/** Where in its contract a compilation failure lies: a JSON pointer, and whether the key or the value is at fault. */
export interface FailureLocation {
  readonly pointer: string;
  readonly part: 'key' | 'value';
}

/** Keywords that Ajv's strict mode ignores, and refuses, without a companion. */
const COMPANIONS: Readonly<Record<string, readonly string[]>> = { if: ['then', 'else'], then: ['if'], else: ['if'], minContains: ['contains'], maxContains: ['contains'] };

/**
 * Finds where Ajv's refusal of a contract lies in the contract itself, from Ajv's message: the keyword that
 * strict mode refuses (`"if" without "then" and "else"`, `"minContains" without "contains"`, a property that a
 * pattern property also matches), an empty `enum`, or a keyword whose value Ajv's keyword definition rejects (it
 * names the schema's path). Ajv stays the judge of whether the contract compiles; this only says where. The
 * first schema of the contract that shows the named fault is the one reported; `undefined` when none of the
 * contract's own schemas shows it (the fault is in a contract it refers to, or Ajv's message is not one of these).
 */
export function locateCompileFailure(contract: Contract, message: string): FailureLocation | undefined {
  const keywordValue = /^keyword "([^"]+)" value is invalid at path "#([^"]*)"/.exec(message);
  if (keywordValue) {
    const segments = keywordValue[2] === '' ? [] : keywordValue[2]!.slice(1).split('/').map((s) => unescapeSegment(safeDecode(s)));
    const pointer = toPointer([...segments, keywordValue[1]!]);
    return getAtPointer(contract.schema, pointer) === undefined ? undefined : { pointer, part: 'value' };
  }
  const companion = /^strict mode: "([A-Za-z]+)" without "/.exec(message);
  const lonely = companion && COMPANIONS[companion[1]!] ? companion[1]! : undefined;
  let found: FailureLocation | undefined;
  walkSchemas(contract.schema, contract.uri, ({ schema, path }) => {
    if (found || !isObject(schema)) return;
    if (lonely !== undefined) {
      if (has(schema, lonely) && COMPANIONS[lonely]!.every((k) => schema[k] === undefined)) found = { pointer: toPointer([...path, lonely]), part: 'key' };
    } else if (message === 'enum must have non-empty array') {
      if (Array.isArray(schema['enum']) && schema['enum'].length === 0) found = { pointer: toPointer([...path, 'enum']), part: 'value' };
    } else if (isObject(schema['properties']) && isObject(schema['patternProperties'])) {
      for (const pattern of Object.keys(schema['patternProperties'])) {
        for (const property of Object.keys(schema['properties'])) {
          if (!found && message === `strict mode: property ${property} matches pattern ${pattern} (use allowMatchingProperties)`) {
            found = { pointer: toPointer([...path, 'properties', property]), part: 'key' };
          }
        }
      }
    }
  });
  return found;
}

function has(schema: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(schema, key);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

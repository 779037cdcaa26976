import type { Problem } from '../../problems/Problem.js';
import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { toPointer } from '../../util/jsonPointer.js';
import { isObject } from '../../util/guards.js';
import type { Contract } from '../Contract.js';
import { SCHEMA_ARRAY_KEYWORDS, SCHEMA_MAP_KEYWORDS, walkSchemas } from '../schemaKeywords.js';
import type { SchemaResolver } from '../SchemaResolver.js';
import { piiReason } from './piiNames.js';

/**
 * What a reviewer would flag in a contract, as warnings: a property without a description, a field whose name
 * looks like personal data but is not marked `x-pii`, and a PII field without a classification (or classified
 * `public`). What depends on a contract being a port's (a primary key) is the `port-contracts` rule's. A property given by `$ref` is described by the
 * `$ref`'s target when it has no description of its own. A property that a condition or a branch only refines
 * (`if: {properties: {type: {const: "charge"}}}` under an object that declares `type`) is linted where it is
 * declared, not in the branch.
 */
export function lintContract(contract: Contract, resolver: SchemaResolver): Problem[] {
  const problems: Problem[] = [];
  const warn = (code: Problem['code'], pointer: string, message: string, part: 'key' | 'value' = 'value') =>
    problems.push(problemAt(contract.document, code, 'warning', pointer, message, part));

  // Classification inherited from the nearest enclosing schema that sets one.
  const classificationAt = new Map<string, unknown>();
  const schemaAt = new Map<string, unknown>();
  walkSchemas(contract.schema, contract.uri, ({ schema, path, baseUri }) => {
    const pointer = toPointer(path);
    schemaAt.set(pointer, schema);
    const parentPointer = toPointer(path.slice(0, -2));
    const inherited = classificationAt.get(path.length >= 2 ? parentPointer : '');
    const own = isObject(schema) ? schema['x-classification'] : undefined;
    classificationAt.set(pointer, own ?? inherited);

    if (path.length < 2 || path[path.length - 2] !== 'properties' || !isObject(schema)) return;
    const name = path[path.length - 1]!;
    if (refinesDeclaredProperty(path, schemaAt)) return;
    const target = typeof schema['$ref'] === 'string' ? resolver.resolve(schema['$ref'], baseUri)?.schema : undefined;
    const read = (keyword: string): unknown => schema[keyword] ?? (isObject(target) ? target[keyword] : undefined);

    if (typeof read('description') !== 'string' || (read('description') as string).trim() === '') {
      warn(ProblemCode.LINT_DESCRIPTION_MISSING, pointer, `property "${name}" has no description`, 'key');
    }
    const pii = read('x-pii');
    const reason = piiReason(name);
    if (pii === undefined && reason) {
      warn(ProblemCode.LINT_PII_UNMARKED, pointer, `property "${name}" looks like personal data (${reason}); mark it "x-pii": true, or "x-pii": false if it is not`, 'key');
    }
    if (pii === true) {
      const classification = read('x-classification') ?? inherited;
      if (classification === undefined) {
        warn(ProblemCode.LINT_PII_UNCLASSIFIED, pointer, `PII property "${name}" has no "x-classification" (confidential or restricted)`, 'key');
      } else if (classification === 'public') {
        warn(ProblemCode.LINT_PII_UNCLASSIFIED, pointer + '/x-classification', `PII property "${name}" is classified "public"`);
      }
    }
  });
  return problems;
}

/** Applicators whose subschemas apply to the same value as the schema holding them. */
const SAME_VALUE_KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'not', 'allOf', 'anyOf', 'oneOf', 'dependentSchemas', 'dependencies']);
const KEYED_KEYWORDS: ReadonlySet<string> = new Set<string>([...SCHEMA_MAP_KEYWORDS, ...SCHEMA_ARRAY_KEYWORDS, 'dependencies']);

/**
 * Whether the property at `path` (`.../properties/<name>`) sits in a same-value branch (a condition, a
 * `then`/`else`, an `allOf` member...) of a schema that declares the same property itself: then the branch only
 * refines it. `schemaAt` holds the schemas visited so far by pointer (a pre-order walk visits parents first).
 */
function refinesDeclaredProperty(path: readonly string[], schemaAt: ReadonlyMap<string, unknown>): boolean {
  const name = path[path.length - 1]!;
  // Split the holder's path into keyword steps: ["allOf", "0"], ["then"], ["properties", "x"]...
  const steps: string[][] = [];
  const holder = path.slice(0, -2);
  for (let i = 0; i < holder.length; ) {
    const keyword = holder[i]!;
    const keyed = KEYED_KEYWORDS.has(keyword) || (keyword === 'items' && /^[0-9]+$/.test(holder[i + 1] ?? ''));
    steps.push(keyed ? [keyword, holder[i + 1]!] : [keyword]);
    i += keyed ? 2 : 1;
  }
  while (steps.length > 0 && SAME_VALUE_KEYWORDS.has(steps[steps.length - 1]![0]!)) {
    steps.pop();
    const enclosing = schemaAt.get(toPointer(steps.flat()));
    const declared = isObject(enclosing) && isObject(enclosing['properties']) ? enclosing['properties'] : undefined;
    if (declared && Object.prototype.hasOwnProperty.call(declared, name)) return true;
  }
  return false;
}

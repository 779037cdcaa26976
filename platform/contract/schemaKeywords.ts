/**
 * Where JSON Schema keywords hold subschemas. One table serves every walk over schemas (contract checks,
 * lint, compatibility, types), so that all of them agree on what a subschema is.
 */

/** Keywords whose value is one schema. */
export const SCHEMA_KEYWORDS = [
  'additionalProperties',
  'propertyNames',
  'unevaluatedProperties',
  'items',
  'additionalItems',
  'contains',
  'unevaluatedItems',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
] as const;

/** Keywords whose value is an object of schemas. */
export const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'] as const;

/** Keywords whose value is an array of schemas. */
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/** Keywords of JSON Schema draft 2020-12 (and the draft-07 spellings Ajv also reads) that mesh accepts. */
export const STANDARD_KEYWORDS: ReadonlySet<string> = new Set([
  // core
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs', 'definitions',
  // applicator
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies', 'prefixItems', 'items',
  'contains', 'properties', 'patternProperties', 'additionalProperties', 'propertyNames',
  // unevaluated
  'unevaluatedItems', 'unevaluatedProperties',
  // validation
  'type', 'const', 'enum', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired',
  // meta-data, format, content
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'format',
  'contentEncoding', 'contentMediaType', 'contentSchema',
]);

/** Keywords that describe a schema without constraining values: they never change what a schema accepts. */
export const METADATA_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$comment', '$anchor', '$dynamicAnchor', '$vocabulary', 'title', 'description', 'default', 'deprecated',
  'readOnly', 'writeOnly', 'examples', 'contentEncoding', 'contentMediaType', 'contentSchema',
]);

/** One subschema of a schema: the keyword path from the parent and the value found there. */
export interface SubschemaRef {
  /** Path segments from the parent schema, e.g. `["properties", "id"]` or `["allOf", "0"]`. */
  readonly path: readonly string[];
  readonly schema: unknown;
}

/**
 * Lists the direct subschemas of `schema`. Array-form `items` and `dependencies` of earlier drafts are
 * included, so walks read old schemas correctly too.
 */
export function directSubschemas(schema: unknown): SubschemaRef[] {
  const out: SubschemaRef[] = [];
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const s = schema as Record<string, unknown>;
  for (const keyword of SCHEMA_KEYWORDS) {
    if (!Object.prototype.hasOwnProperty.call(s, keyword)) continue;
    const value = s[keyword];
    if (keyword === 'items' && Array.isArray(value)) {
      value.forEach((item, i) => out.push({ path: ['items', String(i)], schema: item }));
    } else {
      out.push({ path: [keyword], schema: value });
    }
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const value = s[keyword];
    if (!Object.prototype.hasOwnProperty.call(s, keyword) || value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [name, sub] of Object.entries(value)) out.push({ path: [keyword, name], schema: sub });
  }
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    const value = s[keyword];
    if (!Object.prototype.hasOwnProperty.call(s, keyword) || !Array.isArray(value)) continue;
    value.forEach((sub, i) => out.push({ path: [keyword, String(i)], schema: sub }));
  }
  const dependencies = s['dependencies'];
  if (Object.prototype.hasOwnProperty.call(s, 'dependencies') && dependencies !== null && typeof dependencies === 'object') {
    for (const [name, sub] of Object.entries(dependencies)) {
      if (!Array.isArray(sub)) out.push({ path: ['dependencies', name], schema: sub });
    }
  }
  return out;
}

/** A schema visited by `walkSchemas`, with its pointer from the document root. */
export interface VisitedSchema {
  readonly schema: unknown;
  /** Pointer segments from the document root. */
  readonly path: readonly string[];
  /** Nearest enclosing `$id`-based URI (the base for resolving `$ref`). */
  readonly baseUri: string;
}

/**
 * Visits every schema in a document, without recursion, in document order. `baseUri` follows `$id` as
 * the draft 2020-12 rules say (an embedded `$id` starts a new resource).
 */
export function walkSchemas(root: unknown, rootUri: string, visit: (node: VisitedSchema) => void): void {
  const stack: VisitedSchema[] = [{ schema: root, path: [], baseUri: rebase(rootUri, root) }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    const children = directSubschemas(node.schema);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      stack.push({ schema: child.schema, path: [...node.path, ...child.path], baseUri: rebase(node.baseUri, child.schema) });
    }
  }
}

/** The base URI inside `schema`: its `$id` resolved against the outer base, else the outer base. */
export function rebase(outer: string, schema: unknown): string {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return outer;
  const id = (schema as Record<string, unknown>)['$id'];
  if (typeof id !== 'string' || id === '' || id.startsWith('#')) return outer;
  try {
    return stripFragment(new URL(id, outer).href);
  } catch {
    return outer;
  }
}

export function stripFragment(uri: string): string {
  const i = uri.indexOf('#');
  return i === -1 ? uri : uri.slice(0, i);
}

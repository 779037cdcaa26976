import { isObject, type JsonObject } from '../util/guards.js';
import type { SchemaResolver } from './SchemaResolver.js';
import { rebase } from './schemaKeywords.js';
import type { Classification } from './vocabulary.js';

/** A JSON type name. */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/**
 * One top-level field of a record contract, flattened for the places that think in columns: warehouse
 * tables, SQL checks, the catalog, OpenLineage schema facets.
 */
export interface RecordField {
  readonly name: string;
  /** The main non-null type; `undefined` when the contract leaves it open. */
  readonly type: JsonType | undefined;
  readonly nullable: boolean;
  readonly required: boolean;
  readonly format: string | undefined;
  readonly description: string | undefined;
  readonly pii: boolean;
  readonly classification: Classification | undefined;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly enum: readonly unknown[] | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: number | undefined;
  readonly exclusiveMaximum: number | undefined;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: string | undefined;
  /** The field's own schema with `$ref` and `allOf` merged in, for nested fields. */
  readonly schema: JsonObject;
}

export interface RecordShape {
  readonly fields: RecordField[];
  readonly primaryKey: readonly string[];
  /** Root-level classification, the default for fields without their own. */
  readonly classification: Classification | undefined;
  /** Whether records may carry properties beyond `fields`. */
  readonly open: boolean;
}

const MAX_REF_HOPS = 64;

/**
 * Reads the record shape of a contract: its top-level properties with `$ref`s followed and `allOf` branches
 * merged. Constraints under `anyOf`/`oneOf` are not flattened (they stay for Ajv to check), except the common
 * `anyOf: [{...}, {"type": "null"}]` spelling of a nullable field.
 */
export function recordShape(schema: unknown, uri: string, resolver: SchemaResolver): RecordShape {
  const { schema: root, baseUri } = flatten(schema, uri, resolver);
  const properties = isObject(root['properties']) ? root['properties'] : {};
  const required = new Set(Array.isArray(root['required']) ? root['required'].filter((r): r is string => typeof r === 'string') : []);
  const primaryKey = Array.isArray(root['x-primary-key']) ? root['x-primary-key'].filter((r): r is string => typeof r === 'string') : [];
  const rootClassification = root['x-classification'] as Classification | undefined;
  const fields = Object.keys(properties).map((name): RecordField => {
    const { schema: flat, baseUri: ownBase } = flatten(properties[name], baseUri, resolver);
    const { type, nullable } = typeOf(flat, resolver, ownBase);
    const own = withNullableBranch(flat, ownBase, resolver);
    const num = (k: string) => (typeof own[k] === 'number' ? (own[k] as number) : undefined);
    return {
      name,
      type,
      nullable,
      required: required.has(name),
      format: typeof own['format'] === 'string' ? own['format'] : undefined,
      description: typeof own['description'] === 'string' ? own['description'] : undefined,
      pii: own['x-pii'] === true,
      classification: (own['x-classification'] as Classification | undefined) ?? (own['x-pii'] === true ? rootClassification : undefined),
      unique: own['x-unique'] === true || (primaryKey.length === 1 && primaryKey[0] === name),
      primaryKey: primaryKey.includes(name),
      enum: Array.isArray(own['enum']) ? own['enum'] : own['const'] !== undefined ? [own['const']] : undefined,
      minimum: num('minimum'),
      maximum: num('maximum'),
      exclusiveMinimum: num('exclusiveMinimum'),
      exclusiveMaximum: num('exclusiveMaximum'),
      minLength: num('minLength'),
      maxLength: num('maxLength'),
      pattern: typeof own['pattern'] === 'string' ? own['pattern'] : undefined,
      schema: own,
    };
  });
  const additional = root['additionalProperties'] ?? root['unevaluatedProperties'];
  return { fields, primaryKey, classification: rootClassification, open: additional !== false };
}

/** Follows `$ref` chains and merges `allOf` branches into one object (first definition of a keyword wins). */
function flatten(schema: unknown, baseUri: string, resolver: SchemaResolver, hops = 0): { schema: JsonObject; baseUri: string } {
  if (!isObject(schema) || hops > MAX_REF_HOPS) return { schema: {}, baseUri };
  const base = rebase(baseUri, schema);
  const out: JsonObject = { ...schema };
  const merge = (other: JsonObject) => {
    for (const [k, v] of Object.entries(other)) {
      if (k === 'properties' && isObject(v)) out['properties'] = { ...v, ...(isObject(out['properties']) ? out['properties'] : {}) };
      else if (k === 'required' && Array.isArray(v)) out['required'] = [...new Set([...(Array.isArray(out['required']) ? out['required'] : []), ...v])];
      else if (!(k in out)) out[k] = v;
    }
  };
  if (typeof schema['$ref'] === 'string') {
    const target = resolver.resolve(schema['$ref'], base);
    if (target) merge(flatten(target.schema, target.baseUri, resolver, hops + 1).schema);
  }
  if (Array.isArray(schema['allOf'])) for (const branch of schema['allOf']) merge(flatten(branch, base, resolver, hops + 1).schema);
  return { schema: out, baseUri: base };
}

/**
 * The `anyOf` / `oneOf` spelling of a nullable field, `[{...}, {"type": "null"}]`: the non-null branch's keywords
 * (format, bounds, enum, pattern...) are the field's, so that a nullable timestamp is still a `date-time`. The
 * field's own keywords win. Any other union is left as it is.
 */
function withNullableBranch(schema: JsonObject, baseUri: string, resolver: SchemaResolver): JsonObject {
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (!Array.isArray(branches) || branches.length !== 2) return schema;
  const flat = branches.map((branch) => flatten(branch, baseUri, resolver).schema);
  const isNull = (s: JsonObject) => s['type'] === 'null' || s['const'] === null || (Array.isArray(s['enum']) && s['enum'].length === 1 && s['enum'][0] === null);
  const values = flat.filter((s) => !isNull(s));
  if (values.length !== 1) return schema;
  const out: JsonObject = { ...schema };
  for (const [keyword, value] of Object.entries(values[0]!)) if (!(keyword in out)) out[keyword] = value;
  return out;
}

const TYPE_ORDER: readonly JsonType[] = ['integer', 'number', 'string', 'boolean', 'object', 'array'];

function typeOf(schema: JsonObject, resolver: SchemaResolver, baseUri: string): { type: JsonType | undefined; nullable: boolean } {
  const declared = schema['type'];
  if (typeof declared === 'string') return { type: declared === 'null' ? undefined : (declared as JsonType), nullable: declared === 'null' };
  if (Array.isArray(declared)) {
    const types = declared as JsonType[];
    return { type: TYPE_ORDER.find((t) => types.includes(t)), nullable: types.includes('null') };
  }
  const values = Array.isArray(schema['enum']) ? schema['enum'] : schema['const'] !== undefined ? [schema['const']] : undefined;
  if (values) {
    const types = new Set(values.map(jsonTypeOf));
    return { type: TYPE_ORDER.find((t) => types.has(t)), nullable: types.has('null') };
  }
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (Array.isArray(branches)) {
    const kinds = branches.map((b) => {
      const flat = flatten(b, baseUri, resolver);
      return typeOf(flat.schema, resolver, flat.baseUri);
    });
    const nonNull = kinds.map((k) => k.type).filter((t): t is JsonType => t !== undefined);
    const unique = [...new Set(nonNull)];
    return { type: unique.length === 1 ? unique[0] : undefined, nullable: kinds.some((k) => k.nullable) };
  }
  return { type: undefined, nullable: true };
}

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

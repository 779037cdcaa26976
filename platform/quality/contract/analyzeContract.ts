import type { Contract } from '../../contract/Contract.js';
import type { ContractSet } from '../../contract/ContractSet.js';
import { recordShape, type JsonType, type RecordField, type RecordShape } from '../../contract/recordFields.js';
import { METADATA_KEYWORDS, rebase } from '../../contract/schemaKeywords.js';
import { isObject, type JsonObject } from '../../util/guards.js';
import { translatePattern } from './translatePattern.js';

/**
 * One constraint on a non-null value, read from a field's schema. Keywords apply to the JSON types they
 * name (a `pattern` says nothing about a number), so whether SQL can decide a constraint depends on the
 * column it meets; see `fieldPredicate`.
 */
export type Constraint =
  | { readonly kind: 'type'; readonly types: readonly JsonType[] }
  | { readonly kind: 'enum'; readonly values: readonly unknown[] }
  | { readonly kind: 'bound'; readonly op: '>=' | '>' | '<=' | '<'; readonly value: number }
  | { readonly kind: 'multipleOf'; readonly value: number }
  | { readonly kind: 'length'; readonly op: '>=' | '<='; readonly value: number }
  /** `are` is the proven PostgreSQL translation, undefined when there is none. */
  | { readonly kind: 'pattern'; readonly source: string; readonly are: string | undefined }
  | { readonly kind: 'format'; readonly name: string; readonly test: FormatTest }
  | { readonly kind: 'anyOf'; readonly branches: readonly (readonly Constraint[])[] }
  | { readonly kind: 'never' };

/** How Ajv checks a format: always true, a regular expression (translated when provable), a function, or a number format. */
export type FormatTest =
  | { readonly kind: 'always' }
  | { readonly kind: 'regex'; readonly are: string | undefined }
  | { readonly kind: 'function' }
  | { readonly kind: 'number' };

/** What the analysis knows about one top-level field. */
export interface FieldAnalysis {
  readonly field: RecordField;
  /** Constraints on a non-null value, all of which must hold; undefined when some keyword is beyond SQL. */
  readonly constraints: readonly Constraint[] | undefined;
  /** Why the constraints are undefined. */
  readonly residual: string | undefined;
  /**
   * How a NULL cell of a table or an empty CSV cell is handed to Ajv. Tabular sources cannot tell "absent"
   * from "null": a field that is optional and does not admit null reads an empty cell as absent, any other
   * field as null.
   */
  readonly nullAs: 'null' | 'absent';
  /** Whether a NULL cell is valid (known when the constraints are). */
  readonly nullValid: boolean | undefined;
}

/** The contract of a port, read for pushing checks down into SQL. */
export interface ContractAnalysis {
  readonly contract: Contract;
  readonly shape: RecordShape;
  readonly fields: readonly FieldAnalysis[];
  /** Why records as a whole need Ajv (root keywords SQL cannot decide); undefined when SQL can. */
  readonly rootResidual: string | undefined;
  /** Properties other than the fields: `none` (closed), `any`, or `schema` (constrained: Ajv decides). */
  readonly others: 'none' | 'any' | 'schema';
}

const MAX_DEPTH = 32;
/** Root keywords that SQL decides by construction: records are built from the fields, as objects. */
const ROOT_KEYWORDS = new Set(['type', 'properties', 'required', 'additionalProperties', 'unevaluatedProperties', '$defs', 'definitions']);

/** Reads a contract for the table engine: the record shape, and for each field the constraints SQL can check. */
export function analyzeContract(contracts: ContractSet, contract: Contract): ContractAnalysis {
  const shape = recordShape(contract.schema, contract.uri, contracts.resolver);
  const ajv = contracts.ajv();
  const formats = ajv.formats as Record<string, unknown>;
  const root = contract.schema;
  const rootResidual = residualRoot(root, shape);
  const properties = isObject(root) && isObject(root['properties']) ? root['properties'] : {};
  const baseUri = rebase(contract.uri, root);
  const reader = new SchemaReader(contracts, formats);
  const fields = shape.fields.map((field): FieldAnalysis => {
    const read = reader.read(properties[field.name], baseUri, 0);
    const nullAs = field.required || (read.ok ? read.acceptsNull : field.nullable) ? 'null' : 'absent';
    if (!read.ok) return { field, constraints: undefined, residual: read.reason, nullAs, nullValid: undefined };
    return { field, constraints: read.constraints, residual: undefined, nullAs, nullValid: nullAs === 'absent' || read.acceptsNull };
  });
  const others = isObject(root) ? otherProperties(root) : 'schema';
  return {
    contract,
    shape,
    fields,
    rootResidual,
    others,
  };
}

function residualRoot(root: unknown, shape: RecordShape): string | undefined {
  if (!isObject(root)) return 'the contract is not an object schema';
  for (const key of Object.keys(root)) {
    if (ROOT_KEYWORDS.has(key) || METADATA_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    return `the contract uses "${key}" at its root`;
  }
  const type = root['type'];
  if (type !== undefined && type !== 'object' && !(Array.isArray(type) && type.includes('object'))) return 'the contract root is not of type object';
  const names = new Set(shape.fields.map((f) => f.name));
  const required = Array.isArray(root['required']) ? root['required'] : [];
  const outside = required.find((r) => typeof r !== 'string' || !names.has(r));
  if (outside !== undefined) return `required "${String(outside)}" is not among the properties`;
  return undefined;
}

function otherProperties(root: JsonObject): 'none' | 'any' | 'schema' {
  const verdicts = ['additionalProperties', 'unevaluatedProperties'].map((k) => root[k]);
  if (verdicts.some((v) => v === false)) return 'none';
  if (verdicts.every((v) => v === undefined || v === true || (isObject(v) && Object.keys(v).length === 0))) return 'any';
  return 'schema';
}

type Read = { ok: true; constraints: Constraint[]; acceptsNull: boolean } | { ok: false; reason: string };

class SchemaReader {
  constructor(
    private readonly contracts: ContractSet,
    private readonly formats: Record<string, unknown>,
  ) {}

  /** The constraints of a schema on non-null values (a conjunction), and whether it accepts null. */
  read(schema: unknown, baseUri: string, depth: number): Read {
    if (depth > MAX_DEPTH) return { ok: false, reason: 'references nest too deeply' };
    if (schema === true || schema === undefined) return { ok: true, constraints: [], acceptsNull: true };
    if (schema === false) return { ok: true, constraints: [{ kind: 'never' }], acceptsNull: false };
    if (!isObject(schema)) return { ok: false, reason: 'not a schema' };
    const base = rebase(baseUri, schema);
    const constraints: Constraint[] = [];
    let acceptsNull = true;
    const and = (read: Read): Read | undefined => {
      if (!read.ok) return read;
      constraints.push(...read.constraints);
      acceptsNull &&= read.acceptsNull;
      return undefined;
    };
    for (const [keyword, value] of Object.entries(schema)) {
      if (METADATA_KEYWORDS.has(keyword) || keyword === '$defs' || keyword === 'definitions' || keyword.startsWith('x-')) continue;
      const failed = this.keyword(keyword, value, base, depth, constraints, and);
      if (failed) return failed;
      if (keyword === 'type') acceptsNull &&= typeIncludesNull(value);
      if (keyword === 'enum' || keyword === 'const') acceptsNull &&= (keyword === 'enum' ? (value as unknown[]) : [value]).includes(null);
    }
    return { ok: true, constraints, acceptsNull };
  }

  private keyword(
    keyword: string,
    value: unknown,
    base: string,
    depth: number,
    constraints: Constraint[],
    and: (read: Read) => Read | undefined,
  ): Read | undefined {
    const unsupported = (): Read => ({ ok: false, reason: `"${keyword}" is checked by Ajv` });
    switch (keyword) {
      case 'type': {
        const types = (Array.isArray(value) ? value : [value]) as JsonType[];
        constraints.push({ kind: 'type', types: types.filter((t) => t !== 'null') });
        return undefined;
      }
      case 'enum':
      case 'const': {
        const values = keyword === 'enum' ? (value as unknown[]) : [value];
        constraints.push({ kind: 'enum', values: values.filter((v) => v !== null) });
        return undefined;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        if (typeof value !== 'number') return unsupported();
        const op = ({ minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' } as const)[keyword];
        constraints.push({ kind: 'bound', op, value });
        return undefined;
      }
      case 'multipleOf':
        if (typeof value !== 'number' || !(value > 0)) return unsupported();
        constraints.push({ kind: 'multipleOf', value });
        return undefined;
      case 'minLength':
      case 'maxLength':
        if (typeof value !== 'number') return unsupported();
        constraints.push({ kind: 'length', op: keyword === 'minLength' ? '>=' : '<=', value });
        return undefined;
      case 'pattern':
        if (typeof value !== 'string') return unsupported();
        constraints.push({ kind: 'pattern', source: value, are: translatePattern(value, 'u') });
        return undefined;
      case 'format':
        if (typeof value !== 'string') return unsupported();
        constraints.push({ kind: 'format', name: value, test: this.formatTest(value) });
        return undefined;
      case '$ref': {
        if (typeof value !== 'string') return unsupported();
        const target = this.contracts.resolver.resolve(value, base);
        if (!target) return { ok: false, reason: `"$ref" ${value} does not resolve` };
        return and(this.read(target.schema, target.baseUri, depth + 1));
      }
      case 'allOf': {
        if (!Array.isArray(value)) return unsupported();
        for (const branch of value) {
          const failed = and(this.read(branch, base, depth + 1));
          if (failed) return failed;
        }
        return undefined;
      }
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(value)) return unsupported();
        const reads: Array<{ constraints: Constraint[]; acceptsNull: boolean }> = [];
        for (const branch of value) {
          const read = this.read(branch, base, depth + 1);
          if (!read.ok) return read;
          reads.push(read);
        }
        if (keyword === 'anyOf') {
          return and({ ok: true, constraints: [{ kind: 'anyOf', branches: reads.map((r) => r.constraints) }], acceptsNull: reads.some((r) => r.acceptsNull) });
        }
        // oneOf: decidable when at most one branch admits a non-null value (the `[X, {"type": "null"}]`
        // spelling of a nullable field); then exactly-one is that branch for non-null values.
        const nonNull = reads.filter((r) => !r.constraints.some(rejectsEveryNonNull));
        if (nonNull.length > 1) return unsupported();
        const nulls = reads.filter((r) => r.acceptsNull).length;
        return and({ ok: true, constraints: nonNull.length === 1 ? nonNull[0]!.constraints : [{ kind: 'never' }], acceptsNull: nulls === 1 });
      }
      default:
        return unsupported();
    }
  }

  private formatTest(name: string): FormatTest {
    const format = this.formats[name];
    if (format === true) return { kind: 'always' };
    if (format instanceof RegExp) return { kind: 'regex', are: translatePattern(format.source, format.flags) };
    if (isObject(format)) {
      if (format['type'] === 'number') return { kind: 'number' };
      const validate = format['validate'];
      if (validate instanceof RegExp) return { kind: 'regex', are: translatePattern(validate.source, validate.flags) };
    }
    return { kind: 'function' };
  }
}

function typeIncludesNull(value: unknown): boolean {
  return value === 'null' || (Array.isArray(value) && value.includes('null'));
}

/** A constraint no non-null value meets: `type: null`, an enum of only null, `false`. */
function rejectsEveryNonNull(constraint: Constraint): boolean {
  return (constraint.kind === 'type' && constraint.types.length === 0) || (constraint.kind === 'enum' && constraint.values.length === 0) || constraint.kind === 'never';
}

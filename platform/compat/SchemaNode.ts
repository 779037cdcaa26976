import { rebase } from '../contract/schemaKeywords.js';
import { escapeSegment } from '../util/jsonPointer.js';
import { hasOwn, isObject } from '../util/guards.js';
import { ALL_KINDS, Kind, kindOfName, normalizeKinds, type KindSet } from './kinds.js';
import { toRational, type Rational } from '../util/rational.js';
import type { SchemaGraph, Side } from './SchemaGraph.js';

/** A keyword's value with the pointer of the keyword, for locating changes. */
export interface At<T> {
  readonly value: T;
  /** Pointer of the keyword inside `node`'s document. */
  readonly pointer: string;
  /** The schema that holds the keyword. */
  readonly node: SchemaNode;
}

/** A numeric bound; `exclusive` for `exclusiveMinimum`/`exclusiveMaximum` (either draft spelling). */
export interface Bound {
  readonly value: Rational;
  readonly raw: number;
  readonly exclusive: boolean;
  readonly pointer: string;
  readonly node: SchemaNode;
}

export interface PatternProperty {
  readonly source: string;
  /** `undefined` when the pattern is not a valid ECMA-262 regular expression. */
  readonly regex: RegExp | undefined;
  readonly node: SchemaNode;
}

/**
 * The keywords of one schema object, read once and normalized: draft-04 boolean `exclusiveMinimum`, draft-07
 * `dependencies`, `definitions` and array-form `items` + `additionalItems` come out as their 2020-12 forms.
 * Subschemas are nodes; in-place applicators stay as they are written.
 */
export interface Keywords {
  /** Set for the boolean schemas `true` and `false` (and for `{}`-like objects it stays undefined). */
  readonly boolean: boolean | undefined;
  readonly ref: SchemaNode | undefined;
  /** Keywords the checker cannot reason about (`$dynamicRef`, `$recursiveRef`, an unresolved `$ref`, malformed values). */
  readonly unsupported: readonly At<string>[];
  readonly type: At<KindSet> | undefined;
  /** `enum` and `const`, each a list of allowed values; a value must be in every list. */
  readonly valueSets: readonly (At<readonly unknown[]> & { readonly keyword: 'enum' | 'const' })[];
  readonly lower: Bound | undefined;
  readonly upper: Bound | undefined;
  readonly multipleOf: (At<Rational> & { readonly raw: number }) | undefined;
  readonly minLength: At<number> | undefined;
  readonly maxLength: At<number> | undefined;
  readonly pattern: (At<string> & { readonly regex: RegExp | undefined }) | undefined;
  readonly format: At<string> | undefined;
  readonly properties: ReadonlyMap<string, SchemaNode>;
  readonly patternProperties: readonly PatternProperty[];
  readonly additionalProperties: SchemaNode | undefined;
  readonly required: At<readonly string[]> | undefined;
  readonly minProperties: At<number> | undefined;
  readonly maxProperties: At<number> | undefined;
  readonly propertyNames: SchemaNode | undefined;
  readonly dependentRequired: ReadonlyMap<string, At<readonly string[]>>;
  readonly dependentSchemas: ReadonlyMap<string, SchemaNode>;
  readonly unevaluatedProperties: SchemaNode | undefined;
  readonly prefixItems: readonly SchemaNode[];
  readonly items: SchemaNode | undefined;
  readonly minItems: At<number> | undefined;
  readonly maxItems: At<number> | undefined;
  readonly uniqueItems: At<true> | undefined;
  readonly contains: SchemaNode | undefined;
  readonly minContains: At<number> | undefined;
  readonly maxContains: At<number> | undefined;
  readonly unevaluatedItems: SchemaNode | undefined;
  readonly allOf: readonly SchemaNode[];
  readonly anyOf: readonly SchemaNode[] | undefined;
  readonly oneOf: readonly SchemaNode[] | undefined;
  readonly not: SchemaNode | undefined;
  readonly if: SchemaNode | undefined;
  readonly then: SchemaNode | undefined;
  readonly else: SchemaNode | undefined;
  /** Whether `properties`, `patternProperties` or `additionalProperties` is present. */
  readonly objectRule: boolean;
  /** Whether `prefixItems` or `items` (any draft) is present. */
  readonly arrayRule: boolean;
}

/** Keywords that never constrain values (annotations, identifiers, definitions holders). */
export const NON_CONSTRAINT_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$comment', '$anchor', '$dynamicAnchor', '$recursiveAnchor', '$vocabulary', '$defs', 'definitions',
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'contentEncoding',
  'contentMediaType', 'contentSchema', 'id',
]);

export function isConstraintKeyword(keyword: string): boolean {
  return !NON_CONSTRAINT_KEYWORDS.has(keyword) && !keyword.startsWith('x-');
}

/** One schema at one location of one side. */
export class SchemaNode {
  private keywordCache: Keywords | undefined;
  private canonicalCache: string | null | undefined;

  constructor(
    readonly graph: SchemaGraph,
    /** Unique across both sides: cache keys use it. */
    readonly id: number,
    readonly documentUri: string,
    /** JSON pointer of the schema inside its document. */
    readonly pointer: string,
    readonly schema: unknown,
    /** Base URI in effect for the schema's own `$ref`s. */
    readonly baseUri: string,
  ) {}

  get side(): Side {
    return this.graph.side;
  }

  get k(): Keywords {
    return (this.keywordCache ??= readKeywords(this));
  }

  /** Pointer of a keyword (or deeper path) of this schema. */
  at(...segments: string[]): string {
    let out = this.pointer;
    for (const s of segments) out += '/' + escapeSegment(s);
    return out;
  }

  child(...segments: string[]): SchemaNode {
    let value: unknown = this.schema;
    for (const s of segments) value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[s] : undefined;
    return this.graph.node(this.documentUri, this.at(...segments), value, rebase(this.baseUri, value));
  }

  /**
   * The schema's constraints as a canonical string (keys sorted, annotations dropped), or `undefined` when the
   * schema holds a reference anywhere inside: two nodes with equal canonical strings accept the same values.
   */
  get canonical(): string | undefined {
    if (this.canonicalCache === undefined) this.canonicalCache = computeCanonical(this) ?? null;
    return this.canonicalCache ?? undefined;
  }
}

const SINGLE = new Set(['additionalProperties', 'propertyNames', 'unevaluatedProperties', 'additionalItems', 'contains', 'unevaluatedItems', 'not', 'if', 'then', 'else']);
const MAP = new Set(['properties', 'patternProperties', 'dependentSchemas']);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose array order does not matter: branches, and the lists of `type`, `required`, `enum`. */
const UNORDERED = new Set(['allOf', 'anyOf', 'oneOf', 'type', 'required', 'enum']);

function computeCanonical(node: SchemaNode): string | undefined {
  return constraintText(node, (child) => child.canonical, undefined);
}

/**
 * The constraints of a schema as text with `$ref`s expanded (a reference back into a schema being
 * expanded prints as `{"$rec":n}`), so that two spellings of the same schema, inline or behind `$ref`s,
 * print alike. `undefined` past `limit` characters.
 */
export function expandedConstraintText(root: SchemaNode, limit = 2_000_000): string | undefined {
  const stack: number[] = [];
  let size = 0;
  const visit = (node: SchemaNode): string | undefined => {
    const depth = stack.indexOf(node.id);
    if (depth !== -1) return `{"$rec":${stack.length - depth}}`;
    stack.push(node.id);
    const text = constraintText(node, visit, (target) => (target ? visit(target) : undefined));
    stack.pop();
    size += text?.length ?? 0;
    return size > limit ? undefined : text;
  };
  return visit(root);
}

function constraintText(node: SchemaNode, sub: (child: SchemaNode) => string | undefined, ref: ((target: SchemaNode | undefined) => string | undefined) | undefined): string | undefined {
  const schema = node.schema;
  if (typeof schema === 'boolean') return schema ? '{}' : 'false';
  if (!isObject(schema)) return JSON.stringify(schema ?? null);
  if (hasOwn(schema, '$dynamicRef') || hasOwn(schema, '$recursiveRef')) return undefined;
  if (hasOwn(schema, '$ref') && !ref) return undefined;
  const parts: string[] = [];
  for (const key of Object.keys(schema).sort()) {
    if (!isConstraintKeyword(key)) continue;
    const value = schema[key];
    let text: string | undefined;
    if (key === '$ref') {
      text = ref!(node.k.ref);
    } else if (SINGLE.has(key) || (key === 'items' && !Array.isArray(value))) {
      text = sub(node.child(key));
    } else if ((LIST.has(key) || key === 'items') && Array.isArray(value)) {
      const items = value.map((_, i) => sub(node.child(key, String(i))));
      // Branch order means nothing to allOf, anyOf and oneOf; position is everything to prefixItems.
      if (UNORDERED.has(key)) items.sort();
      text = items.includes(undefined) ? undefined : `[${items.join(',')}]`;
    } else if (UNORDERED.has(key) && Array.isArray(value)) {
      text = `[${[...new Set(value.map(stableJson))].sort().join(',')}]`;
    } else if ((MAP.has(key) || key === 'dependencies') && isObject(value)) {
      const entries = Object.keys(value)
        .sort()
        .map((name) => {
          const inner = key === 'dependencies' && Array.isArray(value[name]) ? stableJson(value[name]) : sub(node.child(key, name));
          return inner === undefined ? undefined : `${JSON.stringify(name)}:${inner}`;
        });
      text = entries.includes(undefined) ? undefined : `{${entries.join(',')}}`;
    } else {
      text = stableJson(value);
    }
    if (text === undefined) return undefined;
    // A schema that is only a reference reads as its target.
    if (key === '$ref' && Object.keys(schema).filter(isConstraintKeyword).length === 1) return text;
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return parts.length === 0 ? '{}' : `{${parts.join(',')}}`;
}

/** JSON with object keys sorted, so that equal values have equal text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>();

function readKeywords(node: SchemaNode): Keywords {
  const schema = node.schema;
  const unsupported: At<string>[] = [];
  const bad = (keyword: string, message: string) => {
    const pointer = node.at(keyword);
    unsupported.push({ value: keyword, node, pointer });
    node.graph.report(node.documentUri, pointer, message);
  };

  if (typeof schema === 'boolean' || !isObject(schema)) {
    if (typeof schema !== 'boolean') node.graph.report(node.documentUri, node.pointer, 'a schema must be an object or a boolean');
    return { ...EMPTY_KEYWORDS, boolean: typeof schema === 'boolean' ? schema : false, unsupported: typeof schema === 'boolean' ? [] : [{ value: 'schema', node, pointer: node.pointer }] };
  }
  const s = schema;
  const has = (k: string) => hasOwn(s, k);
  const child = (...path: string[]) => node.child(...path);
  const schemaAt = (k: string): SchemaNode | undefined => {
    if (!has(k)) return undefined;
    if (typeof s[k] !== 'boolean' && !isObject(s[k])) {
      bad(k, `"${k}" must be a schema`);
      return undefined;
    }
    return child(k);
  };
  const count = (k: string): At<number> | undefined => {
    if (!has(k)) return undefined;
    const v = s[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      bad(k, `"${k}" must be a non-negative integer`);
      return undefined;
    }
    return { value: v, node, pointer: node.at(k) };
  };
  const schemaList = (k: string): SchemaNode[] | undefined => {
    if (!has(k)) return undefined;
    const v = s[k];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'boolean' && !isObject(x))) {
      bad(k, `"${k}" must be an array of schemas`);
      return undefined;
    }
    return v.map((_, i) => child(k, String(i)));
  };
  const schemaMap = (k: string): Map<string, SchemaNode> | undefined => {
    if (!has(k)) return undefined;
    const v = s[k];
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'boolean' && !isObject(x))) {
      bad(k, `"${k}" must map names to schemas`);
      return undefined;
    }
    return new Map(Object.keys(v).map((name) => [name, child(k, name)]));
  };
  const stringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((x) => typeof x === 'string');

  // References
  let ref: SchemaNode | undefined;
  if (has('$ref')) {
    if (typeof s['$ref'] !== 'string') bad('$ref', '"$ref" must be a string');
    else {
      ref = node.graph.resolve(node, s['$ref']);
      if (!ref) bad('$ref', `cannot resolve $ref "${s['$ref']}"`);
    }
  }
  for (const dynamic of ['$dynamicRef', '$recursiveRef']) {
    if (has(dynamic)) unsupported.push({ value: dynamic, node, pointer: node.at(dynamic) });
  }

  // Types and values
  let type: At<KindSet> | undefined;
  if (has('type')) {
    const names = Array.isArray(s['type']) ? s['type'] : [s['type']];
    let kinds = 0;
    for (const name of names) {
      const kind = typeof name === 'string' ? kindOfName(name) : undefined;
      if (kind === undefined) {
        bad('type', `unknown type ${JSON.stringify(name)}`);
        kinds = ALL_KINDS;
        break;
      }
      kinds |= kind;
    }
    type = { value: normalizeKinds(kinds), node, pointer: node.at('type') };
  }
  const valueSets: (At<readonly unknown[]> & { keyword: 'enum' | 'const' })[] = [];
  if (has('enum')) {
    if (Array.isArray(s['enum'])) valueSets.push({ value: s['enum'], node, pointer: node.at('enum'), keyword: 'enum' });
    else bad('enum', '"enum" must be an array');
  }
  if (has('const')) valueSets.push({ value: [s['const']], node, pointer: node.at('const'), keyword: 'const' });

  // Numbers: draft 2020-12 numeric exclusive bounds, and draft-04 boolean ones that qualify minimum/maximum.
  const bound = (keyword: string, exclusive: boolean): Bound | undefined => {
    const raw = s[keyword];
    if (typeof raw !== 'number') {
      bad(keyword, `"${keyword}" must be a number`);
      return undefined;
    }
    const value = toRational(raw);
    if (!value) {
      bad(keyword, `"${keyword}" is out of range`);
      return undefined;
    }
    return { value, raw, exclusive, node, pointer: node.at(keyword) };
  };
  const readBounds = (plain: 'minimum' | 'maximum', strict: 'exclusiveMinimum' | 'exclusiveMaximum'): Bound | undefined => {
    const draft4 = typeof s[strict] === 'boolean';
    const candidates: Bound[] = [];
    if (has(plain)) {
      const b = bound(plain, draft4 && s[strict] === true);
      if (b) candidates.push(b);
    }
    if (has(strict) && !draft4) {
      const b = bound(strict, true);
      if (b) candidates.push(b);
    }
    return tightest(candidates, plain === 'minimum' ? 1 : -1);
  };
  const lower = readBounds('minimum', 'exclusiveMinimum');
  const upper = readBounds('maximum', 'exclusiveMaximum');
  let multipleOf: (At<Rational> & { raw: number }) | undefined;
  if (has('multipleOf')) {
    const raw = s['multipleOf'];
    const value = typeof raw === 'number' && raw > 0 ? toRational(raw) : undefined;
    if (typeof raw !== 'number' || !value) bad('multipleOf', '"multipleOf" must be a number greater than 0');
    else multipleOf = { value, raw, node, pointer: node.at('multipleOf') };
  }

  // Strings
  let pattern: (At<string> & { regex: RegExp | undefined }) | undefined;
  if (has('pattern')) {
    if (typeof s['pattern'] !== 'string') bad('pattern', '"pattern" must be a string');
    else pattern = { value: s['pattern'], regex: compileRegex(s['pattern']), node, pointer: node.at('pattern') };
  }
  let format: At<string> | undefined;
  if (has('format')) {
    if (typeof s['format'] !== 'string') bad('format', '"format" must be a string');
    else format = { value: s['format'], node, pointer: node.at('format') };
  }

  // Objects
  const patternMap = schemaMap('patternProperties');
  const patternProperties: PatternProperty[] = patternMap
    ? [...patternMap].map(([source, n]) => ({ source, regex: compileRegex(source), node: n }))
    : [];
  let required: At<readonly string[]> | undefined;
  if (has('required')) {
    if (stringList(s['required'])) required = { value: [...new Set(s['required'])], node, pointer: node.at('required') };
    else bad('required', '"required" must be an array of strings');
  }
  const dependentRequired = new Map<string, At<readonly string[]>>();
  const dependentSchemas = new Map<string, SchemaNode>();
  if (has('dependentRequired')) {
    const v = s['dependentRequired'];
    if (isObject(v) && Object.values(v).every(stringList)) {
      for (const [name, list] of Object.entries(v)) dependentRequired.set(name, { value: list as string[], node, pointer: node.at('dependentRequired', name) });
    } else bad('dependentRequired', '"dependentRequired" must map names to arrays of strings');
  }
  for (const [name, n] of schemaMap('dependentSchemas') ?? []) dependentSchemas.set(name, n);
  if (has('dependencies')) {
    // draft-07: an array is a dependentRequired, a schema a dependentSchemas.
    const v = s['dependencies'];
    if (!isObject(v)) bad('dependencies', '"dependencies" must be an object');
    else {
      for (const [name, dep] of Object.entries(v)) {
        if (stringList(dep)) {
          const before = dependentRequired.get(name)?.value ?? [];
          dependentRequired.set(name, { value: [...before, ...dep], node, pointer: node.at('dependencies', name) });
        } else if (typeof dep === 'boolean' || isObject(dep)) {
          if (dependentSchemas.has(name)) bad('dependencies', `"${name}" has a dependent schema twice`);
          else dependentSchemas.set(name, child('dependencies', name));
        } else bad('dependencies', `"dependencies/${name}" must be an array of strings or a schema`);
      }
    }
  }

  // Arrays: array-form `items` is draft-07's `prefixItems`, and `additionalItems` then means `items`.
  let prefixItems: SchemaNode[] = schemaList('prefixItems') ?? [];
  let items: SchemaNode | undefined;
  if (has('items')) {
    if (Array.isArray(s['items'])) {
      prefixItems = schemaList('items') ?? [];
      items = schemaAt('additionalItems');
    } else items = schemaAt('items');
  }
  let uniqueItems: At<true> | undefined;
  if (has('uniqueItems')) {
    if (typeof s['uniqueItems'] !== 'boolean') bad('uniqueItems', '"uniqueItems" must be a boolean');
    else if (s['uniqueItems']) uniqueItems = { value: true, node, pointer: node.at('uniqueItems') };
  }

  const properties = schemaMap('properties') ?? EMPTY_MAP;
  const additionalProperties = schemaAt('additionalProperties');
  const contains = schemaAt('contains');
  return {
    boolean: undefined,
    ref,
    unsupported,
    type,
    valueSets,
    lower,
    upper,
    multipleOf,
    minLength: count('minLength'),
    maxLength: count('maxLength'),
    pattern,
    format,
    properties,
    patternProperties,
    additionalProperties,
    required,
    minProperties: count('minProperties'),
    maxProperties: count('maxProperties'),
    propertyNames: schemaAt('propertyNames'),
    dependentRequired,
    dependentSchemas,
    unevaluatedProperties: schemaAt('unevaluatedProperties'),
    prefixItems,
    items,
    minItems: count('minItems'),
    maxItems: count('maxItems'),
    uniqueItems,
    contains,
    // Without `contains`, minContains and maxContains do nothing.
    minContains: contains ? count('minContains') : undefined,
    maxContains: contains ? count('maxContains') : undefined,
    unevaluatedItems: schemaAt('unevaluatedItems'),
    allOf: schemaList('allOf') ?? [],
    anyOf: schemaList('anyOf'),
    oneOf: schemaList('oneOf'),
    not: schemaAt('not'),
    if: schemaAt('if'),
    then: schemaAt('then'),
    else: schemaAt('else'),
    objectRule: properties.size > 0 || has('properties') || patternProperties.length > 0 || additionalProperties !== undefined,
    arrayRule: prefixItems.length > 0 || items !== undefined,
  };
}

const EMPTY_KEYWORDS: Keywords = {
  boolean: undefined,
  ref: undefined,
  unsupported: [],
  type: undefined,
  valueSets: [],
  lower: undefined,
  upper: undefined,
  multipleOf: undefined,
  minLength: undefined,
  maxLength: undefined,
  pattern: undefined,
  format: undefined,
  properties: EMPTY_MAP,
  patternProperties: [],
  additionalProperties: undefined,
  required: undefined,
  minProperties: undefined,
  maxProperties: undefined,
  propertyNames: undefined,
  dependentRequired: EMPTY_MAP,
  dependentSchemas: EMPTY_MAP,
  unevaluatedProperties: undefined,
  prefixItems: [],
  items: undefined,
  minItems: undefined,
  maxItems: undefined,
  uniqueItems: undefined,
  contains: undefined,
  minContains: undefined,
  maxContains: undefined,
  unevaluatedItems: undefined,
  allOf: [],
  anyOf: undefined,
  oneOf: undefined,
  not: undefined,
  if: undefined,
  then: undefined,
  else: undefined,
  objectRule: false,
  arrayRule: false,
};

/** The tighter of several bounds: direction 1 for lower bounds (larger wins), -1 for upper bounds. */
export function tightest(bounds: readonly Bound[], direction: 1 | -1): Bound | undefined {
  let best: Bound | undefined;
  for (const b of bounds) {
    if (!best || tighter(b, best, direction)) best = b;
  }
  return best;
}

/** Whether bound `a` admits strictly fewer values than `b`. */
export function tighter(a: Bound, b: Bound, direction: 1 | -1): boolean {
  const c = compareRational(a.value, b.value) * direction;
  return c > 0 || (c === 0 && a.exclusive && !b.exclusive);
}

function compareRational(a: Rational, b: Rational): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

const regexCache = new Map<string, RegExp | undefined>();

/** Patterns compile as Ajv compiles them for contracts: ECMA-262 with the `u` flag. */
export function compileRegex(source: string): RegExp | undefined {
  if (regexCache.has(source)) return regexCache.get(source);
  let regex: RegExp | undefined;
  try {
    regex = new RegExp(source, 'u');
  } catch {
    regex = undefined;
  }
  if (regexCache.size > 10_000) regexCache.clear();
  regexCache.set(source, regex);
  return regex;
}

export { Kind };

import { deepEqual, evaluateValue } from './evaluateValue.js';
import { ALL_KINDS, Kind, NUMERIC, intersectKinds, kindOfValue, kindAccepts, type KindSet } from './kinds.js';
import {
  ONE,
  ceilToMultiple,
  compare,
  floorToMultiple,
  isInteger,
  lcm,
  type Rational,
} from '../util/rational.js';
import { tighter, type At, type Bound, type PatternProperty, type SchemaNode } from './SchemaNode.js';

/**
 * One member of a conjunction. `full` is a schema with everything it applies in place; `own` is a schema's
 * own keywords only (its `$ref`, `allOf`, `anyOf`... were expanded into other items); `neg` is a negated
 * schema; `require` says a property is present (from `dependentSchemas`).
 */
export type Item =
  | { readonly kind: 'full'; readonly node: SchemaNode }
  | { readonly kind: 'own'; readonly node: SchemaNode }
  | { readonly kind: 'neg'; readonly node: SchemaNode }
  | { readonly kind: 'require'; readonly name: string }
  | { readonly kind: 'kinds'; readonly set: KindSet };

export const full = (node: SchemaNode): Item => ({ kind: 'full', node });
export const negated = (node: SchemaNode): Item => ({ kind: 'neg', node });
export const requires = (name: string): Item => ({ kind: 'require', name });
/** Restricts a conjunction to some JSON types, to split it by type. */
export const ofKinds = (set: KindSet): Item => ({ kind: 'kinds', set });

export function itemKey(item: Item): string {
  switch (item.kind) {
    case 'full':
      return `f${item.node.id}`;
    case 'own':
      return `o${item.node.id}`;
    case 'neg':
      return `n${item.node.id}`;
    case 'require':
      return `r${JSON.stringify(item.name)}`;
    case 'kinds':
      return `k${item.set}`;
  }
}

export function itemsKey(items: readonly Item[]): string {
  return items.map(itemKey).sort().join(',');
}

/**
 * One alternative of a conjunction once its `anyOf`, `oneOf` and `if`/`then`/`else` are split: a flat list
 * of `own`, `neg` and `require` items that all hold.
 */
export interface Disjunct {
  readonly items: readonly Item[];
  readonly key: string;
  /** Every schema met while expanding, `true` schemas included, in order: the first of a side anchors locations. */
  readonly seen: readonly SchemaNode[];
  /** The branch (`anyOf/1`, `then`...) this alternative was chosen from, when it was. */
  readonly origin: SchemaNode | undefined;
}

/** Alternatives beyond this many are not split further: the group is dropped, which only widens the set. */
const MAX_DISJUNCTS = 128;
const MAX_NESTING = 8;

/**
 * Splits a conjunction into disjuncts whose union holds every value of the conjunction (it may hold more,
 * when a group is too large to split: sound for the side that must be contained). Unsatisfiable
 * alternatives (`false`, `not: true`) are dropped, so `[]` means the conjunction accepts nothing.
 */
export function expand(items: readonly Item[]): Disjunct[] {
  return expandAt(items, 0).map(finish);
}

interface Partial {
  readonly items: Item[];
  readonly seen: SchemaNode[];
  readonly origin: SchemaNode | undefined;
}

function finish(p: Partial): Disjunct {
  const unique = new Map<string, Item>();
  for (const item of p.items) unique.set(itemKey(item), item);
  const items = [...unique.values()];
  return { items, key: itemsKey(items), seen: p.seen, origin: p.origin };
}

function expandAt(items: readonly Item[], nesting: number): Partial[] {
  const flat: Item[] = [];
  const seen: SchemaNode[] = [];
  const groups: { items: Item[]; origin: SchemaNode }[][] = [];
  const visited = new Set<number>();
  const queue = [...items];
  while (queue.length > 0) {
    const item = queue.shift()!;
    if (item.kind === 'require' || item.kind === 'kinds') {
      flat.push(item);
      continue;
    }
    if (item.kind === 'neg') {
      const b = item.node.k.boolean;
      if (b === true) return [];
      if (b === false) continue;
      flat.push(item);
      continue;
    }
    const node = item.node;
    if (item.kind === 'own') {
      seen.push(node);
      flat.push(item);
      continue;
    }
    if (visited.has(node.id)) continue;
    visited.add(node.id);
    seen.push(node);
    const k = node.k;
    if (k.boolean === false) return [];
    if (k.boolean === true) continue;
    flat.push({ kind: 'own', node });
    if (k.ref) queue.push(full(k.ref));
    for (const sub of k.allOf) queue.push(full(sub));
    if (k.not) {
      if (k.not.k.boolean === true) return [];
      if (k.not.k.boolean !== false) flat.push(negated(k.not));
    }
    if (k.anyOf) groups.push(k.anyOf.map((b) => ({ items: [full(b)], origin: b })));
    if (k.oneOf) groups.push(k.oneOf.map((b) => ({ items: [full(b)], origin: b })));
    if (k.if && (k.then || k.else)) {
      groups.push([
        { items: k.then ? [full(k.if), full(k.then)] : [full(k.if)], origin: k.then ?? k.if },
        { items: k.else ? [negated(k.if), full(k.else)] : [negated(k.if)], origin: k.else ?? k.if },
      ]);
    }
  }
  let result: Partial[] = [{ items: flat, seen, origin: undefined }];
  for (const group of groups) {
    if (nesting >= MAX_NESTING) continue;
    const next: Partial[] = [];
    for (const alternative of group) {
      for (const sub of expandAt(alternative.items, nesting + 1)) {
        for (const d of result) {
          next.push({ items: [...d.items, ...sub.items], seen: [...d.seen, ...sub.seen], origin: d.origin ?? sub.origin ?? alternative.origin });
        }
      }
      if (next.length > MAX_DISJUNCTS) break;
    }
    if (next.length > MAX_DISJUNCTS) continue;
    result = next;
    if (result.length === 0) return [];
  }
  return result;
}

/** A numeric bound after tightening to the values' step: inclusive whenever a step is known. */
export interface EffectiveBound {
  readonly value: Rational;
  readonly exclusive: boolean;
}

export interface Contains {
  readonly node: SchemaNode;
  readonly min: number;
  readonly max: number | undefined;
}

/** A schema with `unevaluatedProperties`/`unevaluatedItems` and the node that owns the keyword. */
export interface Unevaluated {
  readonly node: SchemaNode;
  readonly owner: SchemaNode;
}

/** The keywords of a disjunct merged by intersection, and which kinds of values it can hold. */
export interface Facets {
  readonly nodes: readonly SchemaNode[];
  /** Kinds of values the disjunct can hold; kinds whose constraints contradict each other are left out. */
  readonly kinds: KindSet;
  readonly typeNodes: readonly SchemaNode[];
  /** The allowed values when an `enum` or `const` applies, already filtered by the other keywords. */
  readonly values: readonly unknown[] | undefined;
  readonly valueSources: readonly { readonly node: SchemaNode; readonly keyword: 'enum' | 'const'; readonly pointer: string }[];
  readonly lower: Bound | undefined;
  readonly upper: Bound | undefined;
  readonly steps: readonly At<Rational>[];
  /** Least common multiple of every `multipleOf` (and 1 for integers); `undefined` when values are not stepped. */
  readonly step: Rational | undefined;
  readonly effectiveLower: EffectiveBound | undefined;
  readonly effectiveUpper: EffectiveBound | undefined;
  readonly minLength: At<number> | undefined;
  readonly maxLength: At<number> | undefined;
  readonly patterns: readonly At<string>[];
  readonly formats: readonly At<string>[];
  readonly objectNodes: readonly SchemaNode[];
  readonly required: ReadonlyMap<string, string>;
  readonly minProperties: At<number> | undefined;
  readonly maxProperties: At<number> | undefined;
  readonly propertyNames: readonly SchemaNode[];
  readonly dependentRequired: ReadonlyMap<string, ReadonlySet<string>>;
  readonly dependentSchemas: ReadonlyMap<string, readonly SchemaNode[]>;
  readonly unevaluatedProperties: readonly Unevaluated[];
  /** Whether some object rule names properties: the lenient policy closes such objects. */
  readonly recordLike: boolean;
  readonly arrayNodes: readonly SchemaNode[];
  readonly minItems: At<number> | undefined;
  readonly maxItems: At<number> | undefined;
  /** Arrays are no longer than this: `maxItems`, or the first position every rule forbids. */
  readonly effectiveMaxItems: number;
  readonly unique: At<true> | undefined;
  readonly contains: readonly Contains[];
  readonly unevaluatedItems: readonly Unevaluated[];
  readonly negations: readonly SchemaNode[];
  /** Nodes with `if`, `not`, `anyOf`, `oneOf` among the own items, for naming changes. */
  readonly conditionals: readonly SchemaNode[];
  readonly nots: readonly SchemaNode[];
}

/**
 * Merges a disjunct's keywords. `undefined` when the disjunct accepts no value at all. With `prune` off the
 * merge is literal: contradictions are kept, for naming changes rather than proving them.
 */
export function facetsOf(d: Pick<Disjunct, 'items'>, prune = true): Facets | undefined {
  const nodes: SchemaNode[] = [];
  const negations: SchemaNode[] = [];
  const required = new Map<string, string>();
  let kinds = ALL_KINDS;
  const typeNodes: SchemaNode[] = [];
  let values: unknown[] | undefined;
  const valueSources: { node: SchemaNode; keyword: 'enum' | 'const'; pointer: string }[] = [];
  let lower: Bound | undefined;
  let upper: Bound | undefined;
  const steps: At<Rational>[] = [];
  let minLength: At<number> | undefined;
  let maxLength: At<number> | undefined;
  const patterns: At<string>[] = [];
  const formats: At<string>[] = [];
  const objectNodes: SchemaNode[] = [];
  let minProperties: At<number> | undefined;
  let maxProperties: At<number> | undefined;
  const propertyNames: SchemaNode[] = [];
  const dependentRequired = new Map<string, Set<string>>();
  const dependentSchemas = new Map<string, SchemaNode[]>();
  const unevaluatedProperties: Unevaluated[] = [];
  const arrayNodes: SchemaNode[] = [];
  let minItems: At<number> | undefined;
  let maxItems: At<number> | undefined;
  let unique: At<true> | undefined;
  const contains: Contains[] = [];
  const unevaluatedItems: Unevaluated[] = [];
  const conditionals: SchemaNode[] = [];
  const nots: SchemaNode[] = [];
  const larger = (a: At<number> | undefined, b: At<number> | undefined) => (!a || (b && b.value > a.value) ? b : a);
  const smaller = (a: At<number> | undefined, b: At<number> | undefined) => (!a || (b && b.value < a.value) ? b : a);

  for (const item of d.items) {
    if (item.kind === 'require') {
      if (!required.has(item.name)) required.set(item.name, '');
      continue;
    }
    if (item.kind === 'kinds') {
      kinds = intersectKinds(kinds, item.set);
      continue;
    }
    if (item.kind === 'neg') {
      negations.push(item.node);
      continue;
    }
    const node = item.node;
    const k = node.k;
    nodes.push(node);
    if (k.type) {
      kinds = intersectKinds(kinds, k.type.value);
      typeNodes.push(node);
    }
    for (const set of k.valueSets) {
      values = values === undefined ? [...set.value] : values.filter((v) => set.value.some((w) => deepEqual(v, w)));
      valueSources.push({ node, keyword: set.keyword, pointer: set.pointer });
    }
    if (k.lower && (!lower || tighter(k.lower, lower, 1))) lower = k.lower;
    if (k.upper && (!upper || tighter(k.upper, upper, -1))) upper = k.upper;
    if (k.multipleOf) steps.push(k.multipleOf);
    minLength = larger(minLength, k.minLength);
    maxLength = smaller(maxLength, k.maxLength);
    if (k.pattern) patterns.push(k.pattern);
    if (k.format) formats.push(k.format);
    if (k.objectRule) objectNodes.push(node);
    for (const name of k.required?.value ?? []) if (!required.get(name)) required.set(name, k.required!.pointer);
    minProperties = larger(minProperties, k.minProperties);
    maxProperties = smaller(maxProperties, k.maxProperties);
    if (k.propertyNames) propertyNames.push(k.propertyNames);
    for (const [name, deps] of k.dependentRequired) {
      const set = dependentRequired.get(name) ?? new Set<string>();
      for (const dep of deps.value) set.add(dep);
      dependentRequired.set(name, set);
    }
    for (const [name, dep] of k.dependentSchemas) dependentSchemas.set(name, [...(dependentSchemas.get(name) ?? []), dep]);
    if (k.unevaluatedProperties) unevaluatedProperties.push({ node: k.unevaluatedProperties, owner: node });
    if (k.arrayRule) arrayNodes.push(node);
    minItems = larger(minItems, k.minItems);
    maxItems = smaller(maxItems, k.maxItems);
    unique ??= k.uniqueItems;
    if (k.contains) contains.push({ node: k.contains, min: k.minContains?.value ?? 1, max: k.maxContains?.value });
    if (k.unevaluatedItems) unevaluatedItems.push({ node: k.unevaluatedItems, owner: node });
    if (k.if) conditionals.push(node);
    if (k.not) nots.push(node);
  }

  const literalKinds = kinds;
  // Negations of a bare type or value list remove kinds or values outright.
  const excluded: unknown[] = [];
  for (const neg of negations) {
    const k = neg.k;
    if (onlyKeywords(neg, ['type']) && k.type) kinds = kinds & ~k.type.value & ~(k.type.value & Kind.NUMBER ? Kind.INTEGER : 0);
    if (onlyKeywords(neg, ['enum', 'const'])) for (const set of k.valueSets) excluded.push(...set.value);
  }

  // Numbers: stepped values have tighter effective bounds; an empty range drops the numeric kinds.
  if (!prune) kinds = literalKinds;
  const integerOnly = (kinds & Kind.NUMBER) === 0;
  let step: Rational | undefined = integerOnly ? ONE : undefined;
  for (const s of steps) step = step ? lcm(step, s.value) : s.value;
  if (prune && step && !integerOnly && isInteger(step)) kinds = (kinds & ~Kind.NUMBER) | Kind.INTEGER;
  const effectiveLower = lower && (step ? { value: ceilToMultiple(lower.value, step, lower.exclusive), exclusive: false } : lower);
  const effectiveUpper = upper && (step ? { value: floorToMultiple(upper.value, step, upper.exclusive), exclusive: false } : upper);
  if (effectiveLower && effectiveUpper) {
    const c = compare(effectiveLower.value, effectiveUpper.value);
    if (c > 0 || (c === 0 && (effectiveLower.exclusive || effectiveUpper.exclusive))) kinds &= ~NUMERIC;
  }
  if (minLength && maxLength && minLength.value > maxLength.value) kinds &= ~Kind.STRING;
  if (minProperties && maxProperties && minProperties.value > maxProperties.value) kinds &= ~Kind.OBJECT;
  for (const name of required.keys()) {
    if (objectNodes.some((n) => forbids(n, name))) kinds &= ~Kind.OBJECT;
  }
  let effectiveMaxItems = maxItems?.value ?? Infinity;
  for (const node of arrayNodes) {
    const k = node.k;
    const cut = k.prefixItems.findIndex((p) => p.k.boolean === false);
    if (cut !== -1) effectiveMaxItems = Math.min(effectiveMaxItems, cut);
    else if (k.items?.k.boolean === false) effectiveMaxItems = Math.min(effectiveMaxItems, k.prefixItems.length);
  }
  if ((minItems?.value ?? 0) > effectiveMaxItems) kinds &= ~Kind.ARRAY;
  if (contains.some((c) => c.max !== undefined && c.min > c.max)) kinds &= ~Kind.ARRAY;

  if (!prune) kinds = literalKinds;
  else if (values !== undefined) {
    values = values.filter((v) => {
      const kind = kindOfValue(v);
      if (kind === undefined || !kindAccepts(kinds, kind)) return false;
      if (excluded.some((x) => deepEqual(x, v))) return false;
      for (const item of d.items) {
        if (item.kind === 'own' && evaluateValue(item.node, v, true) === false) return false;
        if (item.kind === 'neg' && evaluateValue(item.node, v) === true) return false;
        if (item.kind === 'require' && !(v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, item.name))) return false;
      }
      return true;
    });
    if (values.length === 0) return undefined;
  } else if (kinds === 0) {
    return undefined;
  }

  return {
    nodes,
    kinds,
    typeNodes,
    values,
    valueSources,
    lower,
    upper,
    steps,
    step,
    effectiveLower,
    effectiveUpper,
    minLength,
    maxLength,
    patterns,
    formats,
    objectNodes,
    required,
    minProperties,
    maxProperties,
    propertyNames,
    dependentRequired,
    dependentSchemas,
    unevaluatedProperties,
    recordLike: objectNodes.some((n) => n.k.properties.size > 0),
    arrayNodes,
    minItems,
    maxItems,
    effectiveMaxItems,
    unique,
    contains,
    unevaluatedItems,
    negations,
    conditionals,
    nots,
  };
}

function onlyKeywords(node: SchemaNode, allowed: readonly string[]): boolean {
  const s = node.schema;
  if (typeof s !== 'object' || s === null) return false;
  return Object.keys(s).every((key) => allowed.includes(key) || !isConstraint(key));
}

function isConstraint(key: string): boolean {
  return !key.startsWith('x-') && !['title', 'description', '$comment', 'examples', 'default', '$id', '$schema', '$anchor', 'deprecated', 'readOnly', 'writeOnly'].includes(key);
}

/** Whether an object rule forbids property `name` outright (a `false` schema applies to it). */
export function forbids(node: SchemaNode, name: string): boolean {
  return ruleSchemasFor(node, name).schemas.some((s) => s.k.boolean === false);
}

/** How one object rule treats one property name. */
export interface RuleSlot {
  /** Schemas that apply to the property's value. */
  readonly schemas: readonly SchemaNode[];
  /** `properties` or a matching pattern names it. */
  readonly declared: boolean;
  /** Only `additionalProperties` applies. */
  readonly additional: boolean;
  /** A pattern that might match could not be tested (invalid regular expression). */
  readonly unsure: boolean;
}

export function ruleSchemasFor(node: SchemaNode, name: string): RuleSlot {
  const k = node.k;
  const property = k.properties.get(name);
  const schemas: SchemaNode[] = [];
  let unsure = false;
  let matched = false;
  if (property) {
    schemas.push(property);
    matched = true;
  }
  for (const p of k.patternProperties) {
    if (!p.regex) unsure = true;
    else if (p.regex.test(name)) {
      schemas.push(p.node);
      matched = true;
    }
  }
  if (!matched && k.additionalProperties) return { schemas: [k.additionalProperties], declared: false, additional: true, unsure };
  return { schemas, declared: matched, additional: false, unsure };
}

/** Names and patterns evaluated by a schema's in-place tree, for `unevaluatedProperties`. */
export interface EvaluatedNames {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
  readonly patterns: readonly PatternProperty[];
}

const possibleCache = new WeakMap<SchemaNode, EvaluatedNames>();
const certainCache = new WeakMap<SchemaNode, EvaluatedNames>();
const treeCache = new WeakMap<SchemaNode, readonly SchemaNode[]>();

/**
 * A schema and every schema it applies in place to the same value, over every branch: `$ref`, `allOf`,
 * `anyOf`, `oneOf`, `if`/`then`/`else` and `dependentSchemas`. These are what may evaluate properties and
 * items before `unevaluated*` looks.
 */
function inPlaceTree(owner: SchemaNode): readonly SchemaNode[] {
  let tree = treeCache.get(owner);
  if (!tree) {
    const out: SchemaNode[] = [];
    const visited = new Set<number>();
    const stack = [owner];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (visited.has(node.id)) continue;
      visited.add(node.id);
      out.push(node);
      const k = node.k;
      for (const next of [k.ref, ...k.allOf, ...(k.anyOf ?? []), ...(k.oneOf ?? []), k.if, k.then, k.else, ...k.dependentSchemas.values()]) {
        if (next) stack.push(next);
      }
    }
    treeCache.set(owner, (tree = out));
  }
  return tree;
}

/**
 * Names that some in-place subschema of `owner` may evaluate: over every branch, whether it passes or not.
 * A name outside this set is certainly unevaluated, so `unevaluatedProperties` applies to it.
 */
export function possiblyEvaluated(owner: SchemaNode): EvaluatedNames {
  let result = possibleCache.get(owner);
  if (!result) {
    const names = new Set<string>();
    const patterns: PatternProperty[] = [];
    let all = false;
    for (const node of inPlaceTree(owner)) {
      const k = node.k;
      for (const name of k.properties.keys()) names.add(name);
      patterns.push(...k.patternProperties);
      if (k.additionalProperties || k.unsupported.length > 0 || (node !== owner && k.unevaluatedProperties)) all = true;
      if (k.patternProperties.some((p) => !p.regex)) all = true;
    }
    result = { all, names, patterns };
    possibleCache.set(owner, result);
  }
  return result;
}

/**
 * Names that `owner` certainly evaluates whenever it accepts an object: its own keywords, `$ref` and `allOf`
 * targets, and names every `anyOf`/`oneOf` branch evaluates.
 */
export function certainlyEvaluated(owner: SchemaNode): EvaluatedNames {
  let result = certainCache.get(owner);
  if (!result) {
    result = certain(owner, new Set());
    certainCache.set(owner, result);
  }
  return result;
}

function certain(node: SchemaNode, visiting: Set<number>): EvaluatedNames {
  if (visiting.has(node.id)) return { all: false, names: new Set(), patterns: [] };
  visiting.add(node.id);
  const k = node.k;
  let all = k.additionalProperties !== undefined;
  const names = new Set(k.properties.keys());
  const patterns = [...k.patternProperties];
  const parts = [...(k.ref ? [k.ref] : []), ...k.allOf].map((n) => certain(n, visiting));
  for (const group of [k.anyOf, k.oneOf]) {
    if (!group || group.length === 0) continue;
    const branches = group.map((n) => certain(n, visiting));
    const common = branches.reduce((a, b) => ({
      all: a.all && b.all,
      names: new Set([...a.names].filter((x) => b.all || b.names.has(x))),
      patterns: a.patterns.filter((p) => b.all || b.patterns.some((q) => q.source === p.source)),
    }));
    parts.push(common);
  }
  for (const part of parts) {
    all ||= part.all;
    for (const name of part.names) names.add(name);
    patterns.push(...part.patterns);
  }
  visiting.delete(node.id);
  return { all, names, patterns };
}

export function evaluatesName(set: EvaluatedNames, name: string): boolean | undefined {
  if (set.all || set.names.has(name)) return true;
  let unsure = false;
  for (const p of set.patterns) {
    if (!p.regex) unsure = true;
    else if (p.regex.test(name)) return true;
  }
  return unsure ? undefined : false;
}

/** Longest prefix of items that some in-place subschema may evaluate (`Infinity` for all). */
export function possiblyEvaluatedItems(owner: SchemaNode): number {
  let longest = 0;
  for (const node of inPlaceTree(owner)) {
    const k = node.k;
    if (k.items || k.contains || k.unsupported.length > 0 || (node !== owner && k.unevaluatedItems)) return Infinity;
    longest = Math.max(longest, k.prefixItems.length);
  }
  return longest;
}

/** Items that `owner` certainly evaluates: `Infinity` when an unconditional `items` applies. */
export function certainlyEvaluatedItems(owner: SchemaNode, visiting = new Set<number>()): number {
  if (visiting.has(owner.id)) return 0;
  visiting.add(owner.id);
  const k = owner.k;
  let n = k.items ? Infinity : k.prefixItems.length;
  for (const next of [...(k.ref ? [k.ref] : []), ...k.allOf]) n = Math.max(n, certainlyEvaluatedItems(next, visiting));
  visiting.delete(owner.id);
  return n;
}

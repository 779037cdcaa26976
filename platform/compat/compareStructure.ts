import { hasOwn, isObject } from '../util/guards.js';
import { ChangeCode } from './ChangeCode.js';
import { boundCode, describeBoundChange, type BoundFamily } from './boundCodes.js';
import { deepEqual } from './evaluateValue.js';
import { Kind, describeKinds, kindName, kindsOf } from './kinds.js';
import { ONE, ceilToMultiple, compare, equals, floorToMultiple, format as formatRational } from './rational.js';
import { isConstraintKeyword, stableJson, type At, type Bound, type Keywords, type SchemaNode } from './SchemaNode.js';
import { preview, type Finding } from './SubsetChecker.js';

/** Metadata keywords with a code of their own; every other annotation is `ANNOTATION_CHANGED`. */
const METADATA_CODES: Readonly<Record<string, ChangeCode>> = {
  title: ChangeCode.TITLE_CHANGED,
  description: ChangeCode.DESCRIPTION_CHANGED,
  default: ChangeCode.DEFAULT_CHANGED,
  examples: ChangeCode.EXAMPLES_CHANGED,
  $id: ChangeCode.ID_CHANGED,
  id: ChangeCode.ID_CHANGED,
  'x-version': ChangeCode.VERSION_CHANGED,
};

/** Keywords that hold schemas but are not compared as metadata (their contents are walked, or only reached by `$ref`). */
const NOT_METADATA = new Set(['$defs', 'definitions']);

/**
 * Names the changes between two schemas by walking them side by side: properties by name, items by
 * position, branches of `allOf`/`anyOf`/`oneOf` matched by content, `$ref`s followed. This is what a reader
 * sees as "the diff"; it says nothing about compatibility, which the subset checker proves. Codes and
 * locations are the checker's own, so that each change meets the checker's verdict on it.
 */
export function compareStructure(oldRoot: SchemaNode, newRoot: SchemaNode): Finding[] {
  const out: Finding[] = [];
  const visited = new Set<string>();
  const add = (code: ChangeCode, node: SchemaNode, pointer: string, detail: string, message: string) =>
    out.push({ code, documentUri: node.documentUri, pointer, detail, message });

  const stack: Pair[] = [[oldRoot, newRoot, undefined]];
  while (stack.length > 0) {
    const [o0, n0, slot] = stack.pop()!;
    const key = `${o0.id}:${n0.id}`;
    if (visited.has(key)) continue;
    visited.add(key);
    compareMetadata(o0, n0);
    const o = followPureRef(o0);
    const n = followPureRef(n0);
    if (o !== o0 || n !== n0) {
      // Compare what the references stand for, once (a target's own annotations are compared there).
      stack.push([o, n, slot]);
      continue;
    }
    const pairs = compareNode(o, n, slot);
    for (let i = pairs.length - 1; i >= 0; i--) stack.push(pairs[i]!);
  }
  return out;

  function compareMetadata(o: SchemaNode, n: SchemaNode): void {
    const os = isObject(o.schema) ? o.schema : {};
    const ns = isObject(n.schema) ? n.schema : {};
    const keys = new Set([...Object.keys(os), ...Object.keys(ns)]);
    for (const keyword of [...keys].sort()) {
      if (isConstraintKeyword(keyword) || NOT_METADATA.has(keyword)) continue;
      const before = os[keyword];
      const after = ns[keyword];
      if (hasOwn(os, keyword) && hasOwn(ns, keyword) && deepEqual(before, after)) continue;
      const code = METADATA_CODES[keyword] ?? ChangeCode.ANNOTATION_CHANGED;
      const what = !hasOwn(os, keyword) ? `${keyword} added` : !hasOwn(ns, keyword) ? `${keyword} removed` : `${keyword} changed from ${preview(before)} to ${preview(after)}`;
      add(code, o, o.at(keyword), keyword, what);
    }
  }

  /** Compares the keywords of two schemas and returns the pairs of subschemas to walk next. */
  function compareNode(o: SchemaNode, n: SchemaNode, slot: Slot | undefined): Pair[] {
    const ok = o.k;
    const nk = n.k;
    const pairs: Pair[] = [];
    const same = o.canonical !== undefined && o.canonical === n.canonical;
    if (ok.boolean === false || nk.boolean === false) {
      // `false` where a property or an item was: the property or item itself was added or removed.
      if (ok.boolean === nk.boolean) return pairs;
      if (nk.boolean === false) add(slot?.removed ?? ChangeCode.TYPE_REMOVED, o, o.pointer, slot?.detail ?? '*', slot ? `${slot.what} removed (now false)` : 'the new schema accepts no value here (false)');
      else add(slot?.added ?? ChangeCode.TYPE_ADDED, o, o.pointer, slot?.detail ?? '*', slot ? `${slot.what} added (was false)` : 'the old schema accepted no value here (false)');
      return pairs;
    }
    if (!same) {
      compareTypes(o, n);
      compareValues(o, n);
      const integral = integerOnly(o) && integerOnly(n);
      compareBound('MINIMUM', o, ok.lower, nk.lower, 1, integral);
      compareBound('MAXIMUM', o, ok.upper, nk.upper, -1, integral);
      compareMultipleOf(o, ok.multipleOf, nk.multipleOf);
      compareCount('MIN_LENGTH', o, ok.minLength, nk.minLength);
      compareCount('MAX_LENGTH', o, ok.maxLength, nk.maxLength);
      compareOpaque('PATTERN', 'pattern', o, ok.pattern, nk.pattern);
      compareOpaque('FORMAT', 'format', o, ok.format, nk.format);
      compareCount('MIN_PROPERTIES', o, ok.minProperties, nk.minProperties);
      compareCount('MAX_PROPERTIES', o, ok.maxProperties, nk.maxProperties);
      compareCount('MIN_ITEMS', o, ok.minItems, nk.minItems);
      compareCount('MAX_ITEMS', o, ok.maxItems, nk.maxItems);
      const oldRequired = new Set(ok.required?.value ?? []);
      const newRequired = new Set(nk.required?.value ?? []);
      for (const name of newRequired) if (!oldRequired.has(name)) add(ChangeCode.REQUIRED_ADDED, o, o.at('required'), name, `property "${name}" is now required`);
      for (const name of oldRequired) if (!newRequired.has(name)) add(ChangeCode.REQUIRED_REMOVED, o, ok.required!.pointer, name, `property "${name}" is no longer required`);
      if (!ok.uniqueItems && nk.uniqueItems) add(ChangeCode.UNIQUE_ITEMS_ADDED, o, o.at('uniqueItems'), '', 'items must now be unique');
      if (ok.uniqueItems && !nk.uniqueItems) add(ChangeCode.UNIQUE_ITEMS_REMOVED, o, ok.uniqueItems.pointer, '', 'items no longer need to be unique');
      for (const [name, deps] of nk.dependentRequired) {
        const before = new Set(ok.dependentRequired.get(name)?.value ?? []);
        for (const dep of deps.value) if (!before.has(dep)) add(ChangeCode.DEPENDENT_REQUIRED_ADDED, o, o.at('dependentRequired', name), dep, `when "${name}" is present, "${dep}" is now required`);
      }
      for (const [name, deps] of ok.dependentRequired) {
        const after = new Set(nk.dependentRequired.get(name)?.value ?? []);
        for (const dep of deps.value) if (!after.has(dep)) add(ChangeCode.DEPENDENT_REQUIRED_REMOVED, o, deps.pointer, dep, `when "${name}" is present, "${dep}" is no longer required`);
      }
      if (ok.contains && nk.contains && ((ok.minContains?.value ?? 1) !== (nk.minContains?.value ?? 1) || ok.maxContains?.value !== nk.maxContains?.value)) {
        add(ChangeCode.CONTAINS_CHANGED, o, o.at('contains'), '', 'minContains or maxContains changed');
      }
    }

    // Subschemas, by name or position.
    for (const [name, schema] of ok.properties) {
      const other = nk.properties.get(name);
      if (other) pairs.push([schema, other, { added: ChangeCode.PROPERTY_ADDED, removed: ChangeCode.PROPERTY_REMOVED, detail: name, what: `property "${name}"` }]);
      else if (!same) add(ChangeCode.PROPERTY_REMOVED, o, o.at('properties', name), name, `property "${name}" removed`);
    }
    for (const name of nk.properties.keys()) {
      if (!ok.properties.has(name) && !same) add(ChangeCode.PROPERTY_ADDED, o, o.at('properties', name), name, `property "${name}" added`);
    }
    // A pattern that goes away leaves its properties to additionalProperties: closed, that narrows.
    const closedNew = nk.additionalProperties?.k.boolean === false;
    const closedOld = ok.additionalProperties?.k.boolean === false;
    for (const p of ok.patternProperties) {
      const other = nk.patternProperties.find((q) => q.source === p.source);
      if (other) pairs.push([p.node, other.node, undefined]);
      else if (!same) add(closedNew ? ChangeCode.PATTERN_PROPERTIES_NARROWED : ChangeCode.PATTERN_PROPERTIES_WIDENED, o, p.node.pointer, p.source, `patternProperties ${preview(p.source)} removed`);
    }
    for (const p of nk.patternProperties) {
      if (!ok.patternProperties.some((q) => q.source === p.source) && !same) {
        add(closedOld ? ChangeCode.PATTERN_PROPERTIES_WIDENED : ChangeCode.PATTERN_PROPERTIES_NARROWED, o, o.at('patternProperties', p.source), p.source, `patternProperties ${preview(p.source)} added`);
      }
    }
    for (const [name, schema] of ok.dependentSchemas) {
      const other = nk.dependentSchemas.get(name);
      if (other) pairs.push([schema, other, undefined]);
      else if (!same) add(ChangeCode.DEPENDENT_SCHEMA_REMOVED, o, schema.pointer, '', `the schema that applied when "${name}" is present was dropped`);
    }
    for (const name of nk.dependentSchemas.keys()) {
      if (!ok.dependentSchemas.has(name) && !same) add(ChangeCode.DEPENDENT_SCHEMA_ADDED, o, o.at('dependentSchemas', name), '', `a schema now applies when "${name}" is present`);
    }
    const longest = Math.max(ok.prefixItems.length, nk.prefixItems.length);
    for (let i = 0; i < longest; i++) {
      const before = ok.prefixItems[i];
      const after = nk.prefixItems[i];
      if (before && after) pairs.push([before, after, { added: ChangeCode.PREFIX_ITEM_ADDED, removed: ChangeCode.PREFIX_ITEM_REMOVED, detail: '', what: `item ${i}` }]);
      else if (!same && before) add(ChangeCode.PREFIX_ITEM_REMOVED, o, before.pointer, '', `item ${i} removed from prefixItems`);
      else if (!same && after) add(ChangeCode.PREFIX_ITEM_ADDED, o, o.at('prefixItems', String(i)), '', `item ${i} added to prefixItems`);
    }
    optional('items', ok.items, nk.items, ChangeCode.ITEMS_ADDED, ChangeCode.ITEMS_REMOVED, { added: ChangeCode.ITEMS_ADDED, removed: ChangeCode.ITEMS_REMOVED, detail: '', what: 'items' });
    widening('additionalProperties', ok.additionalProperties, nk.additionalProperties, 'ADDITIONAL_PROPERTIES');
    widening('unevaluatedProperties', ok.unevaluatedProperties, nk.unevaluatedProperties, 'UNEVALUATED_PROPERTIES');
    widening('unevaluatedItems', ok.unevaluatedItems, nk.unevaluatedItems, 'UNEVALUATED_ITEMS');
    widening('propertyNames', ok.propertyNames, nk.propertyNames, 'PROPERTY_NAMES');
    optional('contains', ok.contains, nk.contains, ChangeCode.CONTAINS_ADDED, ChangeCode.CONTAINS_REMOVED);
    optional('not', ok.not, nk.not, ChangeCode.NOT_ADDED, ChangeCode.NOT_REMOVED);
    optional('if', ok.if, nk.if, ChangeCode.CONDITIONAL_ADDED, ChangeCode.CONDITIONAL_REMOVED);
    if (ok.if && nk.if) {
      if (ok.then && nk.then) pairs.push([ok.then, nk.then, undefined]);
      if (ok.else && nk.else) pairs.push([ok.else, nk.else, undefined]);
    }
    if (ok.ref && nk.ref) pairs.push([ok.ref, nk.ref, undefined]);
    branches('allOf', ok.allOf, nk.allOf, ChangeCode.ALL_OF_BRANCH_ADDED, ChangeCode.ALL_OF_BRANCH_REMOVED);
    branches('anyOf', ok.anyOf ?? [], nk.anyOf ?? [], ChangeCode.ANY_OF_BRANCH_ADDED, ChangeCode.ANY_OF_BRANCH_REMOVED);
    branches('oneOf', ok.oneOf ?? [], nk.oneOf ?? [], ChangeCode.ONE_OF_BRANCH_ADDED, ChangeCode.ONE_OF_BRANCH_REMOVED);
    return pairs;

    function optional(keyword: string, before: SchemaNode | undefined, after: SchemaNode | undefined, added: ChangeCode, removed: ChangeCode, slot?: Slot): void {
      if (before && after) pairs.push([before, after, slot]);
      else if (same) return;
      else if (after && after.k.boolean !== true) add(added, o, o.at(keyword), '', `${keyword} added`);
      else if (before && before.k.boolean !== true) add(removed, o, before.pointer, '', `${keyword} removed`);
    }

    /** Keywords whose absence means "anything": a schema appearing narrows, disappearing widens. */
    function widening(keyword: string, before: SchemaNode | undefined, after: SchemaNode | undefined, family: string): void {
      const b = before && before.k.boolean !== true ? before : undefined;
      const a = after && after.k.boolean !== true ? after : undefined;
      if (same || (!a && !b)) return;
      if (b && a && b.k.boolean === undefined && a.k.boolean === undefined) {
        pairs.push([b, a, undefined]);
        return;
      }
      if (b && a && b.k.boolean === a.k.boolean) return;
      if (!b || a?.k.boolean === false) add(`${family}_NARROWED` as ChangeCode, o, o.at(keyword), '', `${keyword} narrowed`);
      else add(`${family}_WIDENED` as ChangeCode, o, b.pointer, '', `${keyword} widened`);
    }

    function branches(keyword: string, before: readonly SchemaNode[], after: readonly SchemaNode[], added: ChangeCode, removed: ChangeCode): void {
      const matched = matchBranches(before, after);
      for (const [i, j] of matched) pairs.push([before[i]!, after[j]!, undefined]);
      if (same) return;
      const usedOld = new Set(matched.map(([i]) => i));
      const usedNew = new Set(matched.map(([, j]) => j));
      before.forEach((b, i) => {
        if (!usedOld.has(i)) add(removed, o, b.pointer, '', `${keyword} branch ${i} has no counterpart in the new schema`);
      });
      after.forEach((a, j) => {
        if (!usedNew.has(j)) add(added, o, o.at(keyword), a.pointer, `${keyword} branch ${j} of the new schema is new`);
      });
    }
  }

  function compareTypes(o: SchemaNode, n: SchemaNode): void {
    const before = o.k.type?.value;
    const after = n.k.type?.value;
    if (before === after) return;
    const oldKinds = before ?? (Kind.NULL | Kind.BOOLEAN | Kind.STRING | Kind.NUMBER | Kind.OBJECT | Kind.ARRAY);
    const newKinds = after ?? (Kind.NULL | Kind.BOOLEAN | Kind.STRING | Kind.NUMBER | Kind.OBJECT | Kind.ARRAY);
    const pointer = o.k.type?.pointer ?? o.pointer;
    for (const kind of kindsOf(oldKinds)) {
      if (kind === Kind.NUMBER && newKinds & Kind.INTEGER) add(ChangeCode.TYPE_NARROWED, o, pointer, 'number', 'type narrowed from number to integer');
      else if (!(newKinds & kind) && !(kind === Kind.INTEGER && newKinds & Kind.NUMBER)) {
        add(ChangeCode.TYPE_REMOVED, o, pointer, kindName(kind), `type ${kindName(kind)} removed (now ${describeKinds(newKinds)})`);
      }
    }
    for (const kind of kindsOf(newKinds)) {
      if (kind === Kind.NUMBER && oldKinds & Kind.INTEGER) add(ChangeCode.TYPE_WIDENED, o, pointer, 'number', 'type widened from integer to number');
      else if (!(oldKinds & kind) && !(kind === Kind.INTEGER && oldKinds & Kind.NUMBER)) {
        add(ChangeCode.TYPE_ADDED, o, pointer, kindName(kind), `type ${kindName(kind)} added (was ${describeKinds(oldKinds)})`);
      }
    }
  }

  function compareValues(o: SchemaNode, n: SchemaNode): void {
    const before = o.k.valueSets;
    const after = n.k.valueSets;
    if (before.length === 0 && after.length === 0) return;
    const values = (sets: typeof before) => sets.reduce<unknown[] | undefined>((acc, s) => (acc === undefined ? [...s.value] : acc.filter((v) => s.value.some((w) => deepEqual(v, w)))), undefined) ?? [];
    const isConst = (sets: typeof before) => sets.length > 0 && sets.every((s) => s.keyword === 'const');
    if (before.length === 0) {
      add(isConst(after) ? ChangeCode.CONST_ADDED : ChangeCode.ENUM_ADDED, o, o.pointer, '', `values limited to ${values(after).map(preview).join(', ')}`);
      return;
    }
    if (after.length === 0) {
      add(isConst(before) ? ChangeCode.CONST_REMOVED : ChangeCode.ENUM_REMOVED, o, before[0]!.pointer, '', `values no longer limited to ${values(before).map(preview).join(', ')}`);
      return;
    }
    const oldValues = values(before);
    const newValues = values(after);
    if (isConst(before) && isConst(after)) {
      if (!deepEqual(oldValues, newValues)) add(ChangeCode.CONST_CHANGED, o, before[0]!.pointer, '', `const changed from ${oldValues.map(preview).join()} to ${newValues.map(preview).join()}`);
      return;
    }
    for (const v of oldValues) if (!newValues.some((w) => deepEqual(v, w))) add(ChangeCode.ENUM_VALUE_REMOVED, o, before[0]!.pointer, stableJson(v), `value ${preview(v)} removed`);
    for (const v of newValues) if (!oldValues.some((w) => deepEqual(v, w))) add(ChangeCode.ENUM_VALUE_ADDED, o, before[0]!.pointer, stableJson(v), `value ${preview(v)} added`);
  }

  function compareBound(family: BoundFamily, o: SchemaNode, before: Bound | undefined, after: Bound | undefined, direction: 1 | -1, integral: boolean): void {
    if (!before && !after) return;
    if (before && after && equals(before.value, after.value) && before.exclusive === after.exclusive) return;
    if (before && after && integral) {
      // For integers, "> 0" and ">= 1" are the same bound.
      const round = (b: Bound) => (direction === 1 ? ceilToMultiple(b.value, ONE, b.exclusive) : floorToMultiple(b.value, ONE, b.exclusive));
      if (equals(round(before), round(after))) return;
    }
    const show = (b: Bound | undefined) => b && `${b.exclusive ? (direction === 1 ? '> ' : '< ') : ''}${b.raw}`;
    const tighter = before && after ? compare(after.value, before.value) * direction > 0 || (equals(after.value, before.value) && after.exclusive) : true;
    add(boundCode(family, before !== undefined, after !== undefined, tighter), o, before?.pointer ?? o.pointer, '', describeBoundChange(family, show(before), show(after)));
  }

  function compareCount(family: BoundFamily, o: SchemaNode, before: At<number> | undefined, after: At<number> | undefined): void {
    if (before?.value === after?.value) return;
    const lower = family.startsWith('MIN');
    const tighter = before && after ? (lower ? after.value > before.value : after.value < before.value) : true;
    add(boundCode(family, before !== undefined, after !== undefined, tighter), o, before?.pointer ?? o.pointer, '', describeBoundChange(family, before && String(before.value), after && String(after.value)));
  }

  function compareMultipleOf(o: SchemaNode, before: Keywords['multipleOf'], after: Keywords['multipleOf']): void {
    if (!before && !after) return;
    if (before && after) {
      if (!equals(before.value, after.value)) add(ChangeCode.MULTIPLE_OF_CHANGED, o, before.pointer, '', `multipleOf changed from ${formatRational(before.value)} to ${formatRational(after.value)}`);
    } else if (after) add(ChangeCode.MULTIPLE_OF_ADDED, o, o.pointer, '', `multipleOf ${after.raw} added`);
    else if (before) add(ChangeCode.MULTIPLE_OF_REMOVED, o, before.pointer, '', `multipleOf ${before.raw} removed`);
  }

  function compareOpaque(family: 'PATTERN' | 'FORMAT', keyword: string, o: SchemaNode, before: At<string> | undefined, after: At<string> | undefined): void {
    if (before?.value === after?.value) return;
    if (before && after) add(`${family}_CHANGED` as ChangeCode, o, before.pointer, '', `${keyword} changed from ${preview(before.value)} to ${preview(after.value)}`);
    else if (after) add(`${family}_ADDED` as ChangeCode, o, o.at(keyword), '', `${keyword} ${preview(after.value)} added`);
    else if (before) add(`${family}_REMOVED` as ChangeCode, o, before.pointer, '', `${keyword} ${preview(before.value)} removed`);
  }
}

/** How a `false` subschema reads where a property or an item stood. */
interface Slot {
  readonly added: ChangeCode;
  readonly removed: ChangeCode;
  readonly detail: string;
  readonly what: string;
}

type Pair = [SchemaNode, SchemaNode, Slot | undefined];

function integerOnly(node: SchemaNode): boolean {
  const type = node.k.type?.value;
  return type !== undefined && (type & Kind.INTEGER) !== 0 && (type & ~Kind.INTEGER) === 0;
}

/** A schema that is only a `$ref` (with annotations) stands for its target. */
function followPureRef(node: SchemaNode): SchemaNode {
  let current = node;
  for (let hops = 0; hops < 32; hops++) {
    const k = current.k;
    if (!k.ref || !isObject(current.schema)) return current;
    const constraints = Object.keys(current.schema).filter((key) => isConstraintKeyword(key) && key !== '$ref');
    if (constraints.length > 0) return current;
    current = k.ref;
  }
  return current;
}

/**
 * Pairs the branches of two combinators by content, not by position: equal branches first, then the most
 * similar remaining pairs (shared keywords with equal values, same type), greedily.
 */
export function matchBranches(before: readonly SchemaNode[], after: readonly SchemaNode[]): [number, number][] {
  const pairs: [number, number][] = [];
  const usedOld = new Set<number>();
  const usedNew = new Set<number>();
  before.forEach((b, i) => {
    const text = fingerprint(b);
    const j = after.findIndex((a, j) => !usedNew.has(j) && fingerprint(a) === text);
    if (j !== -1) {
      pairs.push([i, j]);
      usedOld.add(i);
      usedNew.add(j);
    }
  });
  const candidates: { i: number; j: number; score: number }[] = [];
  before.forEach((b, i) => {
    if (usedOld.has(i)) return;
    after.forEach((a, j) => {
      if (usedNew.has(j)) return;
      const score = similarity(b, a);
      if (score > 0) candidates.push({ i, j, score });
    });
  });
  candidates.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  for (const { i, j } of candidates) {
    if (usedOld.has(i) || usedNew.has(j)) continue;
    pairs.push([i, j]);
    usedOld.add(i);
    usedNew.add(j);
  }
  return pairs.sort((x, y) => x[0] - y[0]);
}

function fingerprint(node: SchemaNode): string {
  return node.canonical ?? stableJson(node.schema);
}

function similarity(a: SchemaNode, b: SchemaNode): number {
  const sa = isObject(a.schema) ? a.schema : {};
  const sb = isObject(b.schema) ? b.schema : {};
  let score = 0;
  for (const key of Object.keys(sa)) {
    if (!isConstraintKeyword(key) || !hasOwn(sb, key)) continue;
    score += deepEqual(sa[key], sb[key]) ? 3 : 1;
  }
  if (a.k.type && b.k.type && (a.k.type.value & b.k.type.value) !== 0) score += 2;
  if (a.k.ref && b.k.ref && stableJson((sa as Record<string, unknown>)['$ref']) === stableJson((sb as Record<string, unknown>)['$ref'])) score += 5;
  return score;
}

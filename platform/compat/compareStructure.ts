import { hasOwn, isObject } from '../util/guards.js';
import { ChangeCode } from './ChangeCode.js';
import { boundCode, describeBoundChange, type BoundFamily } from './boundCodes.js';
import { facetsOf, type Facets } from './Conjunction.js';
import { deepEqual } from './evaluateValue.js';
import { Kind, describeKinds, kindName, kindsOf } from './kinds.js';
import { ONE, ceilToMultiple, equals, floorToMultiple, format as formatRational, lcm, compare, type Rational } from '../util/rational.js';
import { isConstraintKeyword, stableJson, type At, type Bound, type SchemaNode } from './SchemaNode.js';
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

/** Keywords that hold schemas reached only by `$ref`: their contents are compared where they are used. */
const NOT_METADATA = new Set(['$defs', 'definitions']);

/** How a `false` subschema reads where a property or an item stood. */
interface Slot {
  readonly added: ChangeCode;
  readonly removed: ChangeCode;
  readonly detail: string;
  readonly what: string;
}

type Pair = [SchemaNode, SchemaNode, Slot | undefined];

/**
 * A schema as the checker sees it: its own keywords merged with those of its `allOf` branches and `$ref`
 * targets, and the alternatives (`anyOf`, `oneOf`, `not`, `if`) it holds.
 */
interface View {
  readonly root: SchemaNode;
  readonly never: boolean;
  readonly nodes: readonly SchemaNode[];
  readonly facets: Facets;
  readonly anyOf: readonly Group[];
  readonly oneOf: readonly Group[];
}

/** One `anyOf` or `oneOf` and the schema that holds it. */
interface Group {
  readonly holder: SchemaNode;
  readonly branches: readonly SchemaNode[];
}

function viewOf(root: SchemaNode): View {
  const nodes: SchemaNode[] = [];
  const anyOf: Group[] = [];
  const oneOf: Group[] = [];
  const visited = new Set<number>();
  const queue = [root];
  let never = false;
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (visited.has(node.id)) continue;
    visited.add(node.id);
    const k = node.k;
    if (k.boolean === false || k.not?.k.boolean === true) never = true;
    if (k.boolean !== undefined) continue;
    nodes.push(node);
    if (k.ref) queue.push(k.ref);
    queue.push(...k.allOf);
    if (k.anyOf) anyOf.push({ holder: node, branches: k.anyOf });
    if (k.oneOf) oneOf.push({ holder: node, branches: k.oneOf });
  }
  const facets = facetsOf({ items: nodes.map((node) => ({ kind: 'own' as const, node })) }, false)!;
  return { root, never, nodes, facets, anyOf, oneOf };
}

/**
 * Names the changes between two schemas by walking them side by side: each schema merged with its `allOf`
 * branches and `$ref` targets (as the checker merges them), properties paired by name, items by position,
 * branches of `anyOf`/`oneOf` by content. This is what a reader sees as "the diff", compatible changes and
 * metadata included; it says nothing about compatibility, which the checker proves. Codes and locations are
 * the checker's own, so that each change meets the checker's verdict on it.
 */
export function compareStructure(oldRoot: SchemaNode, newRoot: SchemaNode): Finding[] {
  const out: Finding[] = [];
  const visited = new Set<string>();
  const add = (code: ChangeCode, node: SchemaNode, pointer: string, detail: string, message: string) =>
    out.push({ code, documentUri: node.documentUri, pointer, detail, message });

  const stack: Pair[] = [[oldRoot, newRoot, undefined]];
  while (stack.length > 0) {
    const [o, n, slot] = stack.pop()!;
    const key = `${o.id}:${n.id}`;
    if (visited.has(key)) continue;
    visited.add(key);
    // Equal constraints, no reference inside and equal annotations: nothing below changed.
    if (o.canonical !== undefined && o.canonical === n.canonical && deepEqual(o.schema, n.schema)) continue;
    compareMetadata(o, n);
    const pairs = compareViews(viewOf(o), viewOf(n), slot);
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

  /** Compares two merged views and returns the pairs of subschemas to walk next. */
  function compareViews(vo: View, vn: View, slot: Slot | undefined): Pair[] {
    const o = vo.root;
    const pairs: Pair[] = [];
    if (vo.never || vn.never) {
      // `false` where a property or an item was: the property or item itself was added or removed.
      if (vo.never === vn.never) return pairs;
      if (vn.never) add(slot?.removed ?? ChangeCode.TYPE_REMOVED, o, o.pointer, slot?.detail ?? '*', slot ? `${slot.what} removed (now false)` : 'the new schema accepts no value here (false)');
      else add(slot?.added ?? ChangeCode.TYPE_ADDED, o, o.pointer, slot?.detail ?? '*', slot ? `${slot.what} added (was false)` : 'the old schema accepted no value here (false)');
      return pairs;
    }
    const fo = vo.facets;
    const fn = vn.facets;
    const same = o.canonical !== undefined && o.canonical === vn.root.canonical;
    const first = <T>(view: View, pick: (node: SchemaNode) => T | undefined): T | undefined => {
      for (const node of view.nodes) {
        const value = pick(node);
        if (value !== undefined) return value;
      }
      return undefined;
    };

    if (!same) {
      compareTypes(vo, vn);
      compareValues(vo, vn);
      const integral = (fo.kinds & ~Kind.INTEGER) === 0 && (fn.kinds & ~Kind.INTEGER) === 0 && fo.kinds !== 0;
      compareBound('MINIMUM', o, fo.lower, fn.lower, 1, integral);
      compareBound('MAXIMUM', o, fo.upper, fn.upper, -1, integral);
      compareSteps(o, fo.steps, fn.steps);
      compareCount('MIN_LENGTH', o, fo.minLength, fn.minLength);
      compareCount('MAX_LENGTH', o, fo.maxLength, fn.maxLength);
      compareOpaque('PATTERN', 'pattern', o, fo.patterns, fn.patterns);
      compareOpaque('FORMAT', 'format', o, fo.formats, fn.formats);
      compareCount('MIN_PROPERTIES', o, fo.minProperties, fn.minProperties);
      compareCount('MAX_PROPERTIES', o, fo.maxProperties, fn.maxProperties);
      compareCount('MIN_ITEMS', o, fo.minItems, fn.minItems);
      compareCount('MAX_ITEMS', o, fo.maxItems, fn.maxItems);
      const requiredAt = (first(vo, (node) => node.k.required && node) ?? o).at('required');
      for (const name of fn.required.keys()) if (!fo.required.has(name)) add(ChangeCode.REQUIRED_ADDED, o, requiredAt, name, `property "${name}" is now required`);
      for (const [name, pointer] of fo.required) {
        if (!fn.required.has(name)) add(ChangeCode.REQUIRED_REMOVED, nodeOf(vo, pointer), pointer, name, `property "${name}" is no longer required`);
      }
      if (!fo.unique && fn.unique) add(ChangeCode.UNIQUE_ITEMS_ADDED, o, o.at('uniqueItems'), '', 'items must now be unique');
      if (fo.unique && !fn.unique) add(ChangeCode.UNIQUE_ITEMS_REMOVED, fo.unique.node, fo.unique.pointer, '', 'items no longer need to be unique');
      for (const [name, deps] of fn.dependentRequired) {
        const before = fo.dependentRequired.get(name) ?? new Set<string>();
        for (const dep of deps) if (!before.has(dep)) add(ChangeCode.DEPENDENT_REQUIRED_ADDED, o, o.at('dependentRequired', name), dep, `when "${name}" is present, "${dep}" is now required`);
      }
      for (const [name, deps] of fo.dependentRequired) {
        const after = fn.dependentRequired.get(name) ?? new Set<string>();
        const at = first(vo, (node) => node.k.dependentRequired.get(name))!;
        for (const dep of deps) if (!after.has(dep)) add(ChangeCode.DEPENDENT_REQUIRED_REMOVED, at.node, at.pointer, dep, `when "${name}" is present, "${dep}" is no longer required`);
      }
      const co = fo.contains[0];
      const cn = fn.contains[0];
      if (co && cn && (co.min !== cn.min || co.max !== cn.max)) add(ChangeCode.CONTAINS_CHANGED, o, o.at('contains'), '', 'minContains or maxContains changed');
    }

    // Properties by name, wherever in the merged view they are declared.
    const oldProperties = declared(vo);
    const newProperties = declared(vn);
    for (const [name, schema] of oldProperties) {
      const other = newProperties.get(name);
      if (other) pairs.push([schema, other, { added: ChangeCode.PROPERTY_ADDED, removed: ChangeCode.PROPERTY_REMOVED, detail: name, what: `property "${name}"` }]);
      else if (!same) add(ChangeCode.PROPERTY_REMOVED, schema, schema.pointer, name, `property "${name}" removed`);
    }
    for (const name of newProperties.keys()) {
      if (!oldProperties.has(name) && !same) add(ChangeCode.PROPERTY_ADDED, o, o.at('properties', name), name, `property "${name}" added`);
    }
    // A pattern that goes away leaves its properties to additionalProperties: closed, that narrows.
    const closedOld = fo.objectNodes.some((node) => node.k.additionalProperties?.k.boolean === false);
    const closedNew = fn.objectNodes.some((node) => node.k.additionalProperties?.k.boolean === false);
    const oldPatterns = fo.objectNodes.flatMap((node) => node.k.patternProperties);
    const newPatterns = fn.objectNodes.flatMap((node) => node.k.patternProperties);
    for (const p of oldPatterns) {
      const other = newPatterns.find((q) => q.source === p.source);
      if (other) pairs.push([p.node, other.node, undefined]);
      else if (!same) add(closedNew ? ChangeCode.PATTERN_PROPERTIES_NARROWED : ChangeCode.PATTERN_PROPERTIES_WIDENED, p.node, p.node.pointer, p.source, `patternProperties ${preview(p.source)} removed`);
    }
    for (const p of newPatterns) {
      if (!oldPatterns.some((q) => q.source === p.source) && !same) {
        add(closedOld ? ChangeCode.PATTERN_PROPERTIES_WIDENED : ChangeCode.PATTERN_PROPERTIES_NARROWED, o, o.at('patternProperties', p.source), p.source, `patternProperties ${preview(p.source)} added`);
      }
    }
    for (const [name, schemas] of fo.dependentSchemas) {
      const other = fn.dependentSchemas.get(name)?.[0];
      if (other) pairs.push([schemas[0]!, other, undefined]);
      else if (!same) add(ChangeCode.DEPENDENT_SCHEMA_REMOVED, schemas[0]!, schemas[0]!.pointer, '', `the schema that applied when "${name}" is present was dropped`);
    }
    for (const name of fn.dependentSchemas.keys()) {
      if (!fo.dependentSchemas.has(name) && !same) add(ChangeCode.DEPENDENT_SCHEMA_ADDED, o, o.at('dependentSchemas', name), '', `a schema now applies when "${name}" is present`);
    }

    // Items by position, from the first array rule of each side.
    const ao = fo.arrayNodes[0]?.k;
    const an = fn.arrayNodes[0]?.k;
    const longest = Math.max(ao?.prefixItems.length ?? 0, an?.prefixItems.length ?? 0);
    for (let i = 0; i < longest; i++) {
      const before = ao?.prefixItems[i];
      const after = an?.prefixItems[i];
      if (before && after) pairs.push([before, after, { added: ChangeCode.PREFIX_ITEM_ADDED, removed: ChangeCode.PREFIX_ITEM_REMOVED, detail: '', what: `item ${i}` }]);
      else if (!same && before && before.k.boolean !== false) add(ChangeCode.PREFIX_ITEM_REMOVED, before, before.pointer, '', `item ${i} removed from prefixItems`);
      else if (!same && after && after.k.boolean !== false) add(ChangeCode.PREFIX_ITEM_ADDED, o, o.at('prefixItems', String(i)), '', `item ${i} added to prefixItems`);
    }
    optional('items', ao?.items, an?.items, ChangeCode.ITEMS_ADDED, ChangeCode.ITEMS_REMOVED, { added: ChangeCode.ITEMS_ADDED, removed: ChangeCode.ITEMS_REMOVED, detail: '', what: 'items' });
    optional('contains', co(fo), co(fn), ChangeCode.CONTAINS_ADDED, ChangeCode.CONTAINS_REMOVED);
    widening('additionalProperties', first(vo, (node) => node.k.additionalProperties), first(vn, (node) => node.k.additionalProperties), 'ADDITIONAL_PROPERTIES');
    widening('unevaluatedProperties', first(vo, (node) => node.k.unevaluatedProperties), first(vn, (node) => node.k.unevaluatedProperties), 'UNEVALUATED_PROPERTIES');
    widening('unevaluatedItems', first(vo, (node) => node.k.unevaluatedItems), first(vn, (node) => node.k.unevaluatedItems), 'UNEVALUATED_ITEMS');
    widening('propertyNames', first(vo, (node) => node.k.propertyNames), first(vn, (node) => node.k.propertyNames), 'PROPERTY_NAMES');
    optional('not', first(vo, (node) => node.k.not), first(vn, (node) => node.k.not), ChangeCode.NOT_ADDED, ChangeCode.NOT_REMOVED);
    const io = first(vo, (node) => (node.k.if && (node.k.then || node.k.else) ? node : undefined));
    const inn = first(vn, (node) => (node.k.if && (node.k.then || node.k.else) ? node : undefined));
    optional('if', io?.k.if, inn?.k.if, ChangeCode.CONDITIONAL_ADDED, ChangeCode.CONDITIONAL_REMOVED);
    if (io && inn) {
      if (io.k.then && inn.k.then) pairs.push([io.k.then, inn.k.then, undefined]);
      if (io.k.else && inn.k.else) pairs.push([io.k.else, inn.k.else, undefined]);
    }
    groups('anyOf', vo.anyOf, vn.anyOf, ChangeCode.ANY_OF_BRANCH_ADDED, ChangeCode.ANY_OF_BRANCH_REMOVED);
    groups('oneOf', vo.oneOf, vn.oneOf, ChangeCode.ONE_OF_BRANCH_ADDED, ChangeCode.ONE_OF_BRANCH_REMOVED);
    return pairs;

    function co(f: Facets): SchemaNode | undefined {
      return f.contains[0]?.node;
    }

    function optional(keyword: string, before: SchemaNode | undefined, after: SchemaNode | undefined, added: ChangeCode, removed: ChangeCode, itemSlot?: Slot): void {
      if (before && after) pairs.push([before, after, itemSlot]);
      else if (same) return;
      else if (after && after.k.boolean !== true) add(added, o, o.at(keyword), '', `${keyword} added`);
      else if (before && before.k.boolean !== true) add(removed, before, before.pointer, '', `${keyword} removed`);
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
      if (!b || a?.k.boolean === false) add(`${family}_NARROWED` as ChangeCode, o, b?.pointer ?? o.at(keyword), '', `${keyword} narrowed`);
      else add(`${family}_WIDENED` as ChangeCode, b, b.pointer, '', `${keyword} widened`);
    }

    function groups(keyword: string, before: readonly Group[], after: readonly Group[], added: ChangeCode, removed: ChangeCode): void {
      const count = Math.max(before.length, after.length);
      for (let g = 0; g < count; g++) {
        const b = before[g]?.branches ?? [];
        const a = after[g]?.branches ?? [];
        const matched = matchBranches(b, a);
        for (const [i, j] of matched) pairs.push([b[i]!, a[j]!, undefined]);
        const usedOld = new Set(matched.map(([i]) => i));
        const usedNew = new Set(matched.map(([, j]) => j));
        b.forEach((branch, i) => {
          if (!usedOld.has(i)) add(removed, branch, branch.pointer, '', `${keyword} branch ${i} has no counterpart in the new schema`);
        });
        const holder = before[g]?.holder ?? o;
        a.forEach((branch, j) => {
          if (!usedNew.has(j)) add(added, holder, holder.at(keyword), branch.pointer, `${keyword} branch ${j} of the new schema is new`);
        });
      }
    }
  }

  function compareTypes(vo: View, vn: View): void {
    const oldKinds = vo.facets.kinds;
    const newKinds = vn.facets.kinds;
    if (oldKinds === newKinds) return;
    const o = vo.root;
    const typed = vo.facets.typeNodes[0];
    const node = typed ?? o;
    const pointer = typed ? typed.at('type') : o.pointer;
    for (const kind of kindsOf(oldKinds)) {
      if (kind === Kind.NUMBER && newKinds & Kind.INTEGER) add(ChangeCode.TYPE_NARROWED, node, pointer, 'number', 'type narrowed from number to integer');
      else if (!(newKinds & kind) && !(kind === Kind.INTEGER && newKinds & Kind.NUMBER)) {
        add(ChangeCode.TYPE_REMOVED, node, pointer, kindName(kind), `type ${kindName(kind)} removed (now ${describeKinds(newKinds) || 'none'})`);
      }
    }
    for (const kind of kindsOf(newKinds)) {
      if (kind === Kind.NUMBER && oldKinds & Kind.INTEGER) add(ChangeCode.TYPE_WIDENED, node, pointer, 'number', 'type widened from integer to number');
      else if (!(oldKinds & kind) && !(kind === Kind.INTEGER && oldKinds & Kind.NUMBER)) {
        add(ChangeCode.TYPE_ADDED, node, pointer, kindName(kind), `type ${kindName(kind)} added (was ${describeKinds(oldKinds) || 'none'})`);
      }
    }
  }

  function compareValues(vo: View, vn: View): void {
    const before = vo.facets;
    const after = vn.facets;
    if (before.values === undefined && after.values === undefined) return;
    const o = vo.root;
    const isConst = (f: Facets) => f.valueSources.length > 0 && f.valueSources.every((s) => s.keyword === 'const');
    const source = before.valueSources[0];
    if (before.values === undefined) {
      add(isConst(after) ? ChangeCode.CONST_ADDED : ChangeCode.ENUM_ADDED, o, o.pointer, '', `values limited to ${after.values!.map(preview).join(', ')}`);
      return;
    }
    if (after.values === undefined) {
      add(isConst(before) ? ChangeCode.CONST_REMOVED : ChangeCode.ENUM_REMOVED, source!.node, source!.pointer, '', `values no longer limited to ${before.values.map(preview).join(', ')}`);
      return;
    }
    if (isConst(before) && isConst(after)) {
      if (!deepEqual(before.values, after.values)) add(ChangeCode.CONST_CHANGED, source!.node, source!.pointer, '', `const changed from ${before.values.map(preview).join()} to ${after.values.map(preview).join()}`);
      return;
    }
    for (const v of before.values) if (!after.values.some((w) => deepEqual(v, w))) add(ChangeCode.ENUM_VALUE_REMOVED, source!.node, source!.pointer, stableJson(v), `value ${preview(v)} removed`);
    for (const v of after.values) if (!before.values.some((w) => deepEqual(v, w))) add(ChangeCode.ENUM_VALUE_ADDED, source!.node, source!.pointer, stableJson(v), `value ${preview(v)} added`);
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
    add(boundCode(family, before !== undefined, after !== undefined, tighter), before?.node ?? o, before?.pointer ?? o.pointer, '', describeBoundChange(family, show(before), show(after)));
  }

  function compareCount(family: BoundFamily, o: SchemaNode, before: At<number> | undefined, after: At<number> | undefined): void {
    if (before?.value === after?.value) return;
    const lower = family.startsWith('MIN');
    const tighter = before && after ? (lower ? after.value > before.value : after.value < before.value) : true;
    add(boundCode(family, before !== undefined, after !== undefined, tighter), before?.node ?? o, before?.pointer ?? o.pointer, '', describeBoundChange(family, before && String(before.value), after && String(after.value)));
  }

  function compareSteps(o: SchemaNode, before: readonly At<Rational>[], after: readonly At<Rational>[]): void {
    const combined = (steps: readonly At<Rational>[]) => steps.reduce<Rational | undefined>((acc, s) => (acc ? lcm(acc, s.value) : s.value), undefined);
    const b = combined(before);
    const a = combined(after);
    if (!b && !a) return;
    if (b && a) {
      if (!equals(b, a)) add(ChangeCode.MULTIPLE_OF_CHANGED, before[0]!.node, before[0]!.pointer, '', `multipleOf changed from ${formatRational(b)} to ${formatRational(a)}`);
    } else if (a) add(ChangeCode.MULTIPLE_OF_ADDED, o, o.pointer, '', `multipleOf ${formatRational(a)} added`);
    else if (b) add(ChangeCode.MULTIPLE_OF_REMOVED, before[0]!.node, before[0]!.pointer, '', `multipleOf ${formatRational(b)} removed`);
  }

  function compareOpaque(family: 'PATTERN' | 'FORMAT', keyword: string, o: SchemaNode, before: readonly At<string>[], after: readonly At<string>[]): void {
    const removed = before.filter((b) => !after.some((a) => a.value === b.value));
    const added = after.filter((a) => !before.some((b) => b.value === a.value));
    if (removed.length === 0 && added.length === 0) return;
    if (removed.length > 0 && added.length > 0) {
      add(`${family}_CHANGED` as ChangeCode, removed[0]!.node, removed[0]!.pointer, '', `${keyword} changed from ${preview(removed[0]!.value)} to ${preview(added[0]!.value)}`);
      return;
    }
    for (const a of added) add(`${family}_ADDED` as ChangeCode, o, o.at(keyword), '', `${keyword} ${preview(a.value)} added`);
    for (const r of removed) add(`${family}_REMOVED` as ChangeCode, r.node, r.pointer, '', `${keyword} ${preview(r.value)} removed`);
  }
}

/** The node of a view that holds a keyword pointer. */
function nodeOf(view: View, pointer: string): SchemaNode {
  return view.nodes.find((node) => pointer.startsWith(node.pointer + '/')) ?? view.root;
}

/** Properties a view declares, each with the first schema that declares it. */
function declared(view: View): Map<string, SchemaNode> {
  const out = new Map<string, SchemaNode>();
  for (const node of view.facets.objectNodes) for (const [name, schema] of node.k.properties) if (!out.has(name)) out.set(name, schema);
  return out;
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
  return score;
}

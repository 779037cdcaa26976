import { ChangeCode } from './ChangeCode.js';
import { boundCode, describeBoundChange, type BoundFamily } from './boundCodes.js';
import {
  certainlyEvaluated,
  certainlyEvaluatedItems,
  evaluatesName,
  expand,
  facetsOf,
  full,
  itemsKey,
  negated,
  ofKinds,
  possiblyEvaluated,
  possiblyEvaluatedItems,
  requires,
  ruleSchemasFor,
  type Disjunct,
  type EvaluatedNames,
  type Facets,
  type Item,
} from './Conjunction.js';
import { deepEqual, evaluateValue, formatValueType } from './evaluateValue.js';
import { Kind, NUMERIC, describeKinds, intersectKinds, kindAccepts, kindName, kindOfValue, kindsOf, type KindSet } from './kinds.js';
import { compare, format as formatRational, isMultipleOf, multiplesBetween, add, type Rational } from '../util/rational.js';
import type { Side } from './SchemaGraph.js';
import { stableJson, type At, type SchemaNode } from './SchemaNode.js';

/** The lenient policy treats open record objects as closed to properties they do not name. */
export type Policy = 'strict' | 'lenient';

/**
 * A reason why the checker could not prove that one schema's values are all accepted by the other: a stable
 * code, read from old to new, and a location in the old contract.
 */
export interface Finding {
  readonly code: ChangeCode;
  /** Document of the old contract that holds the location. */
  readonly documentUri: string;
  /** JSON pointer into that document; it may name a keyword the old schema lacks (the new one has it). */
  readonly pointer: string;
  /** Distinguishes findings with the same code and pointer (an enum value, a property name). */
  readonly detail: string;
  readonly message: string;
}

/** Thrown when a proof exceeds its step budget; the caller reports `TOO_COMPLEX` for that direction. */
export class ComplexityError extends Error {
  constructor() {
    super('the compatibility proof exceeded its step budget');
  }
}

export interface SubsetOptions {
  readonly policy: Policy;
  /** Most sub-proofs one direction may take before giving up. */
  readonly maxSteps: number;
}

const NONE: readonly Finding[] = [];
const MAX_DEPTH = 400;
/** Numeric ranges with at most this many stepped values are checked value by value. */
const MAX_ENUMERATED = 256;

interface PropertySlot {
  readonly items: Item[];
  readonly status: 'declared' | 'additional' | 'open' | 'absent';
}

/**
 * Proves `sub ⊆ sup` over the values of two schemas, soundly: an empty answer means every value the first
 * accepts, the second accepts too; anything it cannot prove is a finding. One checker proves one direction:
 * `sub` names the side whose values must be contained (old for backward, new for forward).
 *
 * The sub side is expanded into disjuncts (its `anyOf`/`oneOf`/`if` split, `allOf` and `$ref` merged) and
 * over-approximated where it cannot be split; the sup side is decomposed keyword by keyword, which is exact.
 * Recursive schemas terminate by co-induction: a question met again while being answered is assumed to hold,
 * which is sound because every cycle between valid schemas passes through a property or an item, that is,
 * through a strictly smaller value.
 */
export class SubsetChecker {
  /** The checker for the other direction, for the few questions asked the other way round. */
  reverse: SubsetChecker | undefined;
  private readonly subsetCache = new Map<string, readonly Finding[]>();
  private readonly disjointCache = new Map<string, boolean>();
  private readonly facetCache = new Map<string, Facets | null>();
  private readonly expansions = new Map<string, readonly Disjunct[]>();
  private readonly active = new Map<string, { level: number; value: number }>();
  /** How many property or item values deep the current question is: co-induction needs it to grow. */
  private valueDepth = 0;
  private depth = 0;
  private lowest = Infinity;
  /** The containing schema of the innermost comparison, for locating changes. */
  private current: SchemaNode | undefined;
  private steps = 0;

  constructor(
    readonly sub: Side,
    /** Location of last resort: the old contract's root. */
    private readonly oldRoot: SchemaNode,
    private readonly options: SubsetOptions,
  ) {}

  /** Findings that stand between `items` (all holding at once) and `sup`; empty when proven. */
  subset(items: readonly Item[], sup: SchemaNode): readonly Finding[] {
    if (sup.k.boolean === true) return NONE;
    const canonical = sup.canonical;
    if (canonical !== undefined && items.some((i) => i.kind === 'full' && i.node.canonical === canonical)) return NONE;
    const key = itemsKey(items);
    return this.memo(
      this.subsetCache,
      `${key}>${sup.id}`,
      NONE,
      () => {
        const out: Finding[] = [];
        for (const d of this.expand(items, key)) out.push(...this.disjunct(d, sup));
        return dedupe(out);
      },
      () => [this.make(ChangeCode.UNSUPPORTED_KEYWORD, this.oldRoot, this.oldRoot.pointer, 'cycle', 'a $ref cycle that never reaches a value: nothing can be proven about it')],
    );
  }

  /** Whether no value satisfies both `items` (this checker's side) and `other` (the other side). */
  disjoint(items: readonly Item[], other: SchemaNode): boolean {
    const key = itemsKey(items);
    return this.memo(
      this.disjointCache,
      `${key}#${other.id}`,
      true,
      () => {
        const xs = this.expand(items, key);
        if (xs.length === 0) return true;
        const ys = this.expand([full(other)], `f${other.id}`);
        return xs.every((x) => ys.every((y) => this.disjointPair(x, y)));
      },
      () => false,
    );
  }

  /** Runs a question about a part of the value (a property, an item, a property name). */
  private inner<T>(question: () => T): T {
    this.valueDepth++;
    try {
      return question();
    } finally {
      this.valueDepth--;
    }
  }

  /**
   * Memoized recursion with co-inductive assumptions: a key met again while it is being answered returns
   * `assumed`. An answer that relied on an assumption still open further up is not cached, since that
   * assumption may yet fail; failures never depend on assumptions being wrong, so they are always cached.
   */
  private memo<T>(cache: Map<string, T>, key: string, assumed: T, compute: () => T, cyclic: () => T): T {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const open = this.active.get(key);
    if (open !== undefined) {
      // Met again inside the same value: a $ref cycle that consumes no data. Assuming it would prove anything.
      if (open.value === this.valueDepth) return cyclic();
      this.lowest = Math.min(this.lowest, open.level);
      return assumed;
    }
    if (++this.steps > this.options.maxSteps || this.depth > MAX_DEPTH) throw new ComplexityError();
    const level = this.depth;
    this.active.set(key, { level, value: this.valueDepth });
    this.depth++;
    const outer = this.lowest;
    this.lowest = Infinity;
    let result: T;
    try {
      result = compute();
    } finally {
      this.depth--;
      this.active.delete(key);
    }
    const used = this.lowest;
    this.lowest = Math.min(outer, used);
    const failed = result !== assumed;
    if (failed || used >= level) cache.set(key, result);
    return result;
  }

  /** Expansions are cached, and their size counts against the step budget: they are most of the work. */
  private expand(items: readonly Item[], key: string): readonly Disjunct[] {
    let out = this.expansions.get(key);
    if (!out) {
      out = expand(items);
      this.steps += out.length;
      this.expansions.set(key, out);
    }
    return out;
  }

  private facets(d: Disjunct): Facets | undefined {
    let f = this.facetCache.get(d.key);
    if (f === undefined) {
      f = facetsOf(d) ?? null;
      this.facetCache.set(d.key, f);
    }
    return f ?? undefined;
  }

  // ---------------------------------------------------------------------------------------------------------
  // One disjunct against one schema

  private disjunct(d: Disjunct, sup: SchemaNode): Finding[] {
    const outer = this.current;
    this.current = sup;
    try {
      return this.disjunctAgainst(d, sup);
    } finally {
      this.current = outer;
    }
  }

  private disjunctAgainst(d: Disjunct, sup: SchemaNode): Finding[] {
    const f = this.facets(d);
    if (!f) return [];
    const k = sup.k;
    const anchor = this.anchor(d);
    if (k.boolean === false) {
      return [
        this.sub === 'old'
          ? this.make(ChangeCode.TYPE_REMOVED, anchor, anchor.pointer, '*', 'the new schema accepts no value here (false)')
          : this.make(ChangeCode.TYPE_ADDED, sup, sup.pointer, '*', 'the old schema accepted no value here (false)'),
      ];
    }
    const out: Finding[] = [];
    for (const u of k.unsupported) {
      const at = this.oldSide(u, anchor, u.value);
      out.push(this.make(ChangeCode.UNSUPPORTED_KEYWORD, at.node, at.pointer, u.value, `cannot prove anything about "${u.value}"; treated as a break`));
    }
    if (f.values) {
      out.push(...this.values(d, f, sup, f.values, false));
      return out;
    }
    if (k.ref) out.push(...this.subset(d.items, k.ref));
    out.push(...this.keywords(d, f, sup));
    for (const branch of k.allOf) out.push(...this.subset(d.items, branch));
    if (k.anyOf) out.push(...this.branches(d, f, sup, 'anyOf'));
    if (k.oneOf) out.push(...this.branches(d, f, sup, 'oneOf'));
    if (k.not) out.push(...this.not(d, f, sup, k.not));
    if (k.if && (k.then || k.else)) out.push(...this.conditional(d, f, sup, k.if));
    return out;
  }

  /** Every value of a finite set must be accepted (by all of `sup`, or by its own keywords when `own`). */
  private values(d: Disjunct, f: Facets, sup: SchemaNode, values: readonly unknown[], own: boolean): Finding[] {
    const out: Finding[] = [];
    const supSets = sup.k.valueSets;
    const subConst = f.valueSources.length > 0 && f.valueSources.every((s) => s.keyword === 'const');
    const supConst = supSets.length > 0 && supSets.every((s) => s.keyword === 'const');
    const explicit = f.valueSources.some((s) => s.node.side === this.sub);
    for (const value of values) {
      if (evaluateValue(sup, value, own) === true) continue;
      const text = preview(value);
      if (!explicit && supSets.length > 0) {
        // The contained side has no list of its own (its values were enumerated): the list itself is the change.
        return [this.listChange(d, sup, supConst)];
      }
      if (subConst && supConst) {
        const at = this.sub === 'old' ? this.ownAt(f.valueSources, d) : { node: sup, pointer: supSets[0]!.pointer };
        const other = preview(supSets[0]!.value[0]);
        const [before, after] = this.sub === 'old' ? [text, other] : [other, text];
        out.push(this.make(ChangeCode.CONST_CHANGED, at.node, at.pointer, '', `const changed from ${before} to ${after}`));
      } else if (this.sub === 'old') {
        const at = this.ownAt(f.valueSources, d);
        out.push(this.make(ChangeCode.ENUM_VALUE_REMOVED, at.node, at.pointer, stableJson(value), `the old schema allows ${text}; the new one rejects it`));
      } else {
        const pointer = supSets[0]?.pointer ?? sup.pointer;
        out.push(this.make(ChangeCode.ENUM_VALUE_ADDED, sup, pointer, stableJson(value), `the new schema allows ${text}; the old one rejects it`));
      }
    }
    return out;
  }

  /** A value list on the containing side that the contained side, without one, does not stay within. */
  private listChange(d: Disjunct, sup: SchemaNode, isConst: boolean): Finding {
    const sets = sup.k.valueSets;
    const shown = sets[0]!.value.map(preview).join(', ');
    const anchor = this.anchor(d);
    return this.sub === 'old'
      ? this.make(isConst ? ChangeCode.CONST_ADDED : ChangeCode.ENUM_ADDED, anchor, anchor.pointer, '', `the new schema allows only ${shown}`)
      : this.make(isConst ? ChangeCode.CONST_REMOVED : ChangeCode.ENUM_REMOVED, sup, sets[0]!.pointer, '', `the new schema no longer limits values to ${shown}`);
  }

  /** The schema's own keywords: type, value lists, and the keywords of each kind of value. */
  private keywords(d: Disjunct, f: Facets, sup: SchemaNode): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    if (k.valueSets.length > 0) {
      const finite = enumerate(f);
      if (finite) {
        // Every value is known: membership in the schema's own keywords says everything they can say.
        out.push(...this.values(d, f, sup, finite, true));
        return out;
      } else {
        out.push(this.listChange(d, sup, k.valueSets.every((s) => s.keyword === 'const')));
      }
    }
    let common = f.kinds;
    if (k.type) {
      const allowed = k.type.value;
      common = intersectKinds(f.kinds, allowed);
      for (const kind of kindsOf(f.kinds)) {
        if (intersectKinds(kind, allowed) === kind) continue;
        const partly = kind === Kind.NUMBER && (allowed & Kind.INTEGER) !== 0;
        if (this.sub === 'old') {
          const at = this.ownAt(f.typeNodes.map((n) => n.k.type!), d);
          out.push(
            partly
              ? this.make(ChangeCode.TYPE_NARROWED, at.node, at.pointer, 'number', 'type narrowed from number to integer')
              : this.make(ChangeCode.TYPE_REMOVED, at.node, at.pointer, kindName(kind), `the new schema rejects ${kindName(kind)} values (it allows ${describeKinds(allowed)})`),
          );
        } else {
          out.push(
            partly
              ? this.make(ChangeCode.TYPE_WIDENED, sup, k.type.pointer, 'number', 'type widened from integer to number')
              : this.make(ChangeCode.TYPE_ADDED, sup, k.type.pointer, kindName(kind), `the new schema allows ${kindName(kind)} values (the old one allows ${describeKinds(allowed)})`),
          );
        }
      }
    }
    if (common & NUMERIC) out.push(...this.numbers(d, f, sup));
    if (common & Kind.STRING) out.push(...this.strings(d, f, sup));
    if (common & Kind.OBJECT) out.push(...this.objects(d, f, sup));
    if (common & Kind.ARRAY) out.push(...this.arrays(d, f, sup));
    return out;
  }

  private numbers(d: Disjunct, f: Facets, sup: SchemaNode): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    const low = f.effectiveLower;
    const high = f.effectiveUpper;
    if (k.lower) {
      const c = low ? compare(low.value, k.lower.value) : -1;
      if (!(low && (c > 0 || (c === 0 && (low.exclusive || !k.lower.exclusive))))) {
        out.push(this.bound('MINIMUM', d, f.lower, k.lower, (b) => `${b.exclusive ? '> ' : ''}${b.raw}`));
      }
    }
    if (k.upper) {
      const c = high ? compare(high.value, k.upper.value) : 1;
      if (!(high && (c < 0 || (c === 0 && (high.exclusive || !k.upper.exclusive))))) {
        out.push(this.bound('MAXIMUM', d, f.upper, k.upper, (b) => `${b.exclusive ? '< ' : ''}${b.raw}`));
      }
    }
    if (k.multipleOf) {
      const step = k.multipleOf.value;
      const ok = (f.step !== undefined && isMultipleOf(f.step, step)) || everyStepped(f, (v) => isMultipleOf(v, step));
      if (!ok) {
        const own = f.steps.find((s) => s.node.side === this.sub);
        if (this.sub === 'old') {
          const at = own ?? this.anchorAt(d);
          const message = own ? `multipleOf changed from ${formatRational(own.value)} to ${k.multipleOf.raw}` : `multipleOf ${k.multipleOf.raw} added`;
          out.push(this.make(own ? ChangeCode.MULTIPLE_OF_CHANGED : ChangeCode.MULTIPLE_OF_ADDED, at.node, at.pointer, '', message));
        } else {
          out.push(this.make(own ? ChangeCode.MULTIPLE_OF_CHANGED : ChangeCode.MULTIPLE_OF_REMOVED, sup, k.multipleOf.pointer, '', own ? `multipleOf changed from ${k.multipleOf.raw} to ${formatRational(own.value)}` : `multipleOf ${k.multipleOf.raw} removed`));
        }
      }
    }
    if (k.format && formatValueType(k.format.value) === 'number') out.push(...this.format(d, f, sup, k.format));
    return out;
  }

  private strings(d: Disjunct, f: Facets, sup: SchemaNode): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    if (k.minLength && k.minLength.value > 0 && !(f.minLength && f.minLength.value >= k.minLength.value)) {
      out.push(this.count('MIN_LENGTH', d, f.minLength, k.minLength));
    }
    if (k.maxLength && !(f.maxLength && f.maxLength.value <= k.maxLength.value)) {
      out.push(this.count('MAX_LENGTH', d, f.maxLength, k.maxLength));
    }
    if (k.pattern && !f.patterns.some((p) => p.value === k.pattern!.value)) {
      out.push(this.opaque('PATTERN', d, f.patterns, k.pattern, 'pattern'));
    }
    if (k.format && formatValueType(k.format.value) !== 'number') out.push(...this.format(d, f, sup, k.format));
    return out;
  }

  private format(d: Disjunct, f: Facets, _sup: SchemaNode, wanted: At<string>): Finding[] {
    if (f.formats.some((x) => x.value === wanted.value)) return [];
    return [this.opaque('FORMAT', d, f.formats, wanted, 'format')];
  }

  /** Patterns and formats: only an equal one on the contained side proves anything. */
  private opaque(family: 'PATTERN' | 'FORMAT', d: Disjunct, mine: readonly At<string>[], theirs: At<string>, keyword: string): Finding {
    const own = mine.find((m) => m.node.side === this.sub);
    if (this.sub === 'old') {
      const anchor = this.anchor(d);
      return own
        ? this.make(`${family}_CHANGED` as ChangeCode, own.node, own.pointer, '', `${keyword} changed from ${preview(own.value)} to ${preview(theirs.value)}`)
        : this.make(`${family}_ADDED` as ChangeCode, anchor, anchor.at(keyword), '', `${keyword} ${preview(theirs.value)} added`);
    }
    return own
      ? this.make(`${family}_CHANGED` as ChangeCode, theirs.node, theirs.pointer, '', `${keyword} changed from ${preview(theirs.value)} to ${preview(own.value)}`)
      : this.make(`${family}_REMOVED` as ChangeCode, theirs.node, theirs.pointer, '', `${keyword} ${preview(theirs.value)} removed`);
  }

  /** A numeric bound the contained side does not meet. */
  private bound(family: 'MINIMUM' | 'MAXIMUM', d: Disjunct, mine: (At<unknown> & { raw: number; exclusive: boolean }) | undefined, theirs: { raw: number; exclusive: boolean; pointer: string; node: SchemaNode }, show: (b: { raw: number; exclusive: boolean }) => string): Finding {
    const own = mine && mine.node.side === this.sub ? mine : undefined;
    if (this.sub === 'old') {
      const at = own ?? this.anchorAt(d);
      return this.make(boundCode(family, own !== undefined, true, true), at.node, at.pointer, '', describeBoundChange(family, own && show(own), show(theirs)));
    }
    return this.make(boundCode(family, true, own !== undefined, false), theirs.node, theirs.pointer, '', describeBoundChange(family, show(theirs), own && show(own)));
  }

  /** A count bound (lengths, items, properties) the contained side does not meet. */
  private count(family: BoundFamily, d: Disjunct, mine: At<number> | undefined, theirs: At<number>): Finding {
    const own = mine && mine.node.side === this.sub ? mine : undefined;
    if (this.sub === 'old') {
      const at = own ?? this.anchorAt(d);
      return this.make(boundCode(family, own !== undefined, true, true), at.node, at.pointer, '', describeBoundChange(family, own && String(own.value), String(theirs.value)));
    }
    return this.make(boundCode(family, true, own !== undefined, false), theirs.node, theirs.pointer, '', describeBoundChange(family, String(theirs.value), own && String(own.value)));
  }

  // ---------------------------------------------------------------------------------------------------------
  // Objects

  private objects(d: Disjunct, f: Facets, sup: SchemaNode): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    const lenient = this.options.policy === 'lenient' && f.recordLike;
    const supCertain = k.unevaluatedProperties && k.unevaluatedProperties.k.boolean !== true ? certainlyEvaluated(sup) : undefined;
    const names = new Set<string>();
    for (const node of f.objectNodes) for (const name of node.k.properties.keys()) names.add(name);
    for (const u of f.unevaluatedProperties) for (const name of possiblyEvaluated(u.owner).names) names.add(name);
    for (const name of f.required.keys()) names.add(name);
    for (const name of k.properties.keys()) names.add(name);
    for (const name of k.required?.value ?? []) names.add(name);
    for (const [name, deps] of k.dependentRequired) {
      names.add(name);
      for (const dep of deps.value) names.add(dep);
    }
    for (const name of k.dependentSchemas.keys()) names.add(name);

    for (const name of names) out.push(...this.property(d, f, sup, name, lenient, supCertain));
    out.push(...this.otherProperties(d, f, sup, supCertain, lenient));

    for (const name of k.required?.value ?? []) {
      if (f.required.has(name)) continue;
      if (this.sub === 'old') {
        const at = this.requiredNode(d, f);
        out.push(this.make(ChangeCode.REQUIRED_ADDED, at, at.at('required'), name, `property "${name}" is now required`));
      } else {
        out.push(this.make(ChangeCode.REQUIRED_REMOVED, sup, k.required!.pointer, name, `property "${name}" is no longer required`));
      }
    }

    if (k.minProperties) {
      const have = Math.max(f.minProperties?.value ?? 0, f.required.size);
      if (have < k.minProperties.value) out.push(this.count('MIN_PROPERTIES', d, f.minProperties, k.minProperties));
    }
    const possible = this.possibleNames(f, lenient);
    if (k.maxProperties) {
      const ok = (f.maxProperties !== undefined && f.maxProperties.value <= k.maxProperties.value) || (possible !== undefined && possible.length <= k.maxProperties.value);
      if (!ok) out.push(this.count('MAX_PROPERTIES', d, f.maxProperties, k.maxProperties));
    }
    if (k.propertyNames && k.propertyNames.k.boolean !== true) {
      const target = k.propertyNames;
      let ok: boolean;
      if (possible !== undefined) ok = possible.every((name) => evaluateValue(target, name) === true);
      else if (f.propertyNames.length > 0) {
        out.push(...this.inner(() => this.subset(f.propertyNames.map(full), target)));
        ok = true;
      } else ok = false;
      if (!ok) {
        out.push(
          this.sub === 'old'
            ? this.make(ChangeCode.PROPERTY_NAMES_NARROWED, this.anchor(d), this.anchor(d).at('propertyNames'), '', 'the new schema restricts property names further')
            : this.make(ChangeCode.PROPERTY_NAMES_WIDENED, sup, target.pointer, '', 'the new schema allows property names the old one rejects'),
        );
      }
    }
    for (const [name, deps] of k.dependentRequired) {
      if (this.propertySlot(f, name, false).status === 'absent') continue;
      for (const dep of deps.value) {
        if (f.required.has(dep) || f.dependentRequired.get(name)?.has(dep)) continue;
        out.push(
          this.sub === 'old'
            ? this.make(ChangeCode.DEPENDENT_REQUIRED_ADDED, this.anchor(d), this.anchor(d).at('dependentRequired', name), dep, `when "${name}" is present, "${dep}" is now required`)
            : this.make(ChangeCode.DEPENDENT_REQUIRED_REMOVED, sup, deps.pointer, dep, `when "${name}" is present, "${dep}" is no longer required`),
        );
      }
    }
    for (const [name, dependent] of k.dependentSchemas) {
      if (dependent.k.boolean === true || this.propertySlot(f, name, false).status === 'absent') continue;
      const mine = f.dependentSchemas.get(name) ?? [];
      const found = this.subset([...d.items, requires(name), ...mine.map(full)], dependent);
      if (mine.some((n) => n.side === this.sub)) out.push(...found);
      else if (found.length > 0) {
        out.push(
          this.sub === 'old'
            ? this.make(ChangeCode.DEPENDENT_SCHEMA_ADDED, this.anchor(d), this.anchor(d).at('dependentSchemas', name), '', `a schema now applies when "${name}" is present`)
            : this.make(ChangeCode.DEPENDENT_SCHEMA_REMOVED, sup, dependent.pointer, '', `the schema that applied when "${name}" is present was dropped`),
        );
      }
    }
    return out;
  }

  /** How the contained side constrains one property: the schemas that apply, and where they come from. */
  private propertySlot(f: Facets, name: string, lenient: boolean): PropertySlot {
    const items: Item[] = [];
    let declared = false;
    let additional = false;
    let absent = false;
    for (const node of f.objectNodes) {
      const slot = ruleSchemasFor(node, name);
      // A pattern that cannot be tested may or may not apply: leaving the rule out only widens the set.
      if (slot.unsure) continue;
      for (const schema of slot.schemas) {
        items.push(full(schema));
        if (schema.k.boolean === false) absent = true;
      }
      declared ||= slot.declared;
      additional ||= slot.additional;
    }
    for (const u of f.unevaluatedProperties) {
      if (evaluatesName(possiblyEvaluated(u.owner), name) !== false) continue;
      items.push(full(u.node));
      if (u.node.k.boolean === false) absent = true;
    }
    if (lenient && !declared && !f.required.has(name)) absent = true;
    return { items, status: absent ? 'absent' : declared ? 'declared' : additional ? 'additional' : 'open' };
  }

  private property(d: Disjunct, f: Facets, sup: SchemaNode, name: string, lenient: boolean, supCertain: EvaluatedNames | undefined): Finding[] {
    const a = this.propertySlot(f, name, lenient);
    if (a.status === 'absent') return [];
    const k = sup.k;
    const slot = ruleSchemasFor(sup, name);
    const declared = slot.declared ? [...slot.schemas] : [];
    const fallback: { node: SchemaNode; code: 'AP' | 'UNEVALUATED' }[] = [];
    if (!slot.declared && slot.additional) fallback.push({ node: slot.schemas[0]!, code: 'AP' });
    if (slot.unsure) {
      for (const p of k.patternProperties) if (!p.regex) declared.push(p.node);
      if (!slot.declared && k.additionalProperties && !slot.additional) fallback.push({ node: k.additionalProperties, code: 'AP' });
    }
    if (supCertain && evaluatesName(supCertain, name) !== true) fallback.push({ node: k.unevaluatedProperties!, code: 'UNEVALUATED' });

    const out: Finding[] = [];
    const aDeclared = a.status === 'declared';
    const live = declared.filter((n) => n.k.boolean !== true);
    if (live.some((n) => n.k.boolean === false)) {
      // The containing side forbids the property outright.
      out.push(this.propertyFinding(d, sup, name, this.sub === 'old' ? 'removed' : 'added'));
    } else if (live.length > 0) {
      if (aDeclared) for (const n of live) out.push(...this.inner(() => this.subset(a.items, n)));
      else if (!live.every((n) => this.inner(() => this.subset(a.items, n)).length === 0)) {
        out.push(this.propertyFinding(d, sup, name, this.sub === 'old' ? 'added' : 'removed'));
      }
    }
    for (const { node, code } of fallback) {
      if (node.k.boolean === true || this.inner(() => this.subset(a.items, node)).length === 0) continue;
      if (aDeclared && declared.length === 0 && code === 'AP') {
        out.push(this.propertyFinding(d, sup, name, this.sub === 'old' ? 'removed' : 'added'));
      } else out.push(this.fallbackFinding(d, sup, code, node, name));
    }
    return out;
  }

  private propertyFinding(d: Disjunct, sup: SchemaNode, name: string, change: 'added' | 'removed'): Finding {
    const code = change === 'added' ? ChangeCode.PROPERTY_ADDED : ChangeCode.PROPERTY_REMOVED;
    const oldNode = this.sub === 'old' ? this.declaringNode(d, name) : sup;
    const why =
      this.sub === 'old'
        ? change === 'added'
          ? `old data may carry "${name}" with values the new schema rejects`
          : `the new schema rejects values of "${name}" that old data may carry`
        : change === 'added'
          ? `new data may carry "${name}" with values the old schema rejects`
          : `new data may carry "${name}" with values the old schema rejected`;
    return this.make(code, oldNode, oldNode.at('properties', name), name, `property "${name}" ${change}: ${why}`);
  }

  private fallbackFinding(d: Disjunct, sup: SchemaNode, code: 'AP' | 'UNEVALUATED', node: SchemaNode, name: string | undefined): Finding {
    const family = code === 'AP' ? 'ADDITIONAL_PROPERTIES' : 'UNEVALUATED_PROPERTIES';
    const keyword = code === 'AP' ? 'additionalProperties' : 'unevaluatedProperties';
    const subject = name === undefined ? 'properties it does not name' : `property "${name}"`;
    if (this.sub === 'old') {
      const anchor = this.anchor(d);
      return this.make(`${family}_NARROWED` as ChangeCode, anchor, anchor.at(keyword), '', `${keyword}: the new schema rejects values of ${subject} that the old one accepted`);
    }
    return this.make(`${family}_WIDENED` as ChangeCode, sup, node.pointer, '', `${keyword}: the new schema accepts values of ${subject} that the old one rejected`);
  }

  /**
   * Properties that neither side names: for every name matching one of `sup`'s patterns, or none, or left
   * unevaluated, the contained side's schema for it must be within `sup`'s.
   */
  private otherProperties(d: Disjunct, f: Facets, sup: SchemaNode, supCertain: EvaluatedNames | undefined, lenient: boolean): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    const rules = f.objectNodes;
    for (const p of k.patternProperties) {
      if (p.node.k.boolean === true) continue;
      const twin = rules.flatMap((r) => r.k.patternProperties).find((q) => q.source === p.source);
      if (twin) {
        out.push(...this.inner(() => this.subset([full(twin.node)], p.node)));
        continue;
      }
      if (this.unknownNamesWithin(f, p.node, [], lenient) === true) continue;
      out.push(
        this.sub === 'old'
          ? this.make(ChangeCode.PATTERN_PROPERTIES_NARROWED, this.anchor(d), this.anchor(d).at('patternProperties', p.source), p.source, `properties matching ${preview(p.source)} now have a schema the old values may not meet`)
          : this.make(ChangeCode.PATTERN_PROPERTIES_WIDENED, sup, p.node.pointer, p.source, `properties matching ${preview(p.source)} may now hold values the old schema rejected`),
      );
    }
    const ap = k.additionalProperties;
    if (ap && ap.k.boolean !== true) {
      const excluded = k.patternProperties.map((p) => p.source);
      const only = rules.length === 1 ? rules[0]!.k : undefined;
      const theirs = only?.additionalProperties;
      if (!lenient && only && theirs && theirs.k.boolean === undefined && ap.k.boolean === undefined && only.patternProperties.every((q) => excluded.includes(q.source))) {
        out.push(...this.inner(() => this.subset([full(theirs)], ap)));
      } else {
        const result = this.unknownNamesWithin(f, ap, excluded, lenient);
        if (result !== true) out.push(result.pattern ? this.patternFinding(d, sup, result.pattern) : this.fallbackFinding(d, sup, 'AP', ap, undefined));
      }
    }
    const u = k.unevaluatedProperties;
    if (u && u.k.boolean !== true && supCertain && !supCertain.all) {
      const result = this.unknownNamesWithin(f, u, supCertain.patterns.map((p) => p.source), lenient);
      if (result !== true) out.push(result.pattern ? this.patternFinding(d, sup, result.pattern) : this.fallbackFinding(d, sup, 'UNEVALUATED', u, undefined));
    }
    return out;
  }

  /** A pattern of the contained side whose properties the containing side does not accept. */
  private patternFinding(d: Disjunct, sup: SchemaNode, pattern: At<string>): Finding {
    const source = pattern.value;
    if (this.sub === 'old' && pattern.node.side === 'old') {
      return this.make(ChangeCode.PATTERN_PROPERTIES_NARROWED, pattern.node, pattern.pointer, source, `the new schema rejects values of properties matching ${preview(source)} that the old one accepted`);
    }
    if (this.sub === 'new') {
      return this.make(ChangeCode.PATTERN_PROPERTIES_WIDENED, sup, sup.at('patternProperties', source), source, `properties matching ${preview(source)} may now hold values the old schema rejected`);
    }
    return this.fallbackFinding(d, sup, 'AP', sup, undefined);
  }

  /**
   * Whether every property the contained side does not name (and that matches none of `excluded`) has a
   * schema within `target`. Sufficient: one object rule whose remaining patterns and `additionalProperties`
   * are all within it, or an `unevaluatedProperties` that certainly applies.
   */
  private unknownNamesWithin(f: Facets, target: SchemaNode, excluded: readonly string[], lenient: boolean): true | { pattern: At<string> | undefined } {
    const within = (schema: SchemaNode | undefined) => this.inner(() => this.subset(schema ? [full(schema)] : [], target)).length === 0;
    if (lenient) {
      // Records carry only the properties their schema names: here, those matching its patterns.
      for (const rule of f.objectNodes) {
        const bad = rule.k.patternProperties.find((p) => !excluded.includes(p.source) && (!p.regex || !within(p.node)));
        if (bad) return { pattern: { value: bad.source, node: rule, pointer: bad.node.pointer } };
      }
      return true;
    }
    if (f.objectNodes.length === 0 && f.unevaluatedProperties.length === 0) return within(undefined) || { pattern: undefined };
    let failed: { pattern: At<string> | undefined } = { pattern: undefined };
    for (const rule of f.objectNodes) {
      const k = rule.k;
      if (k.patternProperties.some((p) => !p.regex)) continue;
      const bad = k.patternProperties.find((p) => !excluded.includes(p.source) && !within(p.node));
      if (!bad && within(k.additionalProperties)) return true;
      if (bad) failed = { pattern: { value: bad.source, node: rule, pointer: bad.node.pointer } };
    }
    for (const u of f.unevaluatedProperties) {
      const evaluated = possiblyEvaluated(u.owner);
      if (!evaluated.all && evaluated.patterns.length === 0 && within(u.node)) return true;
    }
    return failed;
  }

  /** The names an object of the contained side can have, when that list is finite. */
  private possibleNames(f: Facets, lenient: boolean): string[] | undefined {
    let names: string[];
    if (lenient) {
      if (f.objectNodes.some((n) => n.k.patternProperties.length > 0)) return undefined;
      names = [...new Set([...f.objectNodes.flatMap((n) => [...n.k.properties.keys()]), ...f.required.keys()])];
    } else {
      const closed = f.objectNodes.find((n) => n.k.additionalProperties?.k.boolean === false && n.k.patternProperties.length === 0);
      if (!closed) return undefined;
      names = [...closed.k.properties.keys()];
    }
    return names.filter((name) => this.propertySlot(f, name, lenient).status !== 'absent');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Arrays

  private itemSlot(f: Facets, index: number): { items: Item[]; declared: boolean; absent: boolean } {
    const items: Item[] = [];
    let declared = false;
    let absent = false;
    for (const node of f.arrayNodes) {
      const k = node.k;
      const schema = index < k.prefixItems.length ? k.prefixItems[index] : k.items;
      if (!schema) continue;
      items.push(full(schema));
      declared = true;
      if (schema.k.boolean === false) absent = true;
    }
    for (const u of f.unevaluatedItems) {
      if (index < possiblyEvaluatedItems(u.owner)) continue;
      items.push(full(u.node));
      if (u.node.k.boolean === false) absent = true;
    }
    return { items, declared, absent };
  }

  private arrays(d: Disjunct, f: Facets, sup: SchemaNode): Finding[] {
    const k = sup.k;
    const out: Finding[] = [];
    const last = Math.max(k.prefixItems.length, ...f.arrayNodes.map((n) => n.k.prefixItems.length));
    const longest = f.effectiveMaxItems;
    const certain = k.unevaluatedItems && k.unevaluatedItems.k.boolean !== true ? certainlyEvaluatedItems(sup) : Infinity;
    for (let i = 0; i <= last && i < longest; i++) {
      const rest = i === last;
      const a = this.itemSlot(f, i);
      if (a.absent) continue;
      const theirs = i < k.prefixItems.length ? k.prefixItems[i] : k.items;
      if (!theirs || theirs.k.boolean === true) {
        // The containing side does not constrain this position.
      } else if (theirs.k.boolean === false) {
        out.push(this.itemFinding(d, sup, i, rest, this.sub === 'old' ? 'removed' : 'added'));
      } else if (a.declared) {
        out.push(...this.inner(() => this.subset(a.items, theirs)));
      } else if (this.inner(() => this.subset(a.items, theirs)).length > 0) {
        out.push(this.itemFinding(d, sup, i, rest, this.sub === 'old' ? 'added' : 'removed'));
      }
      if (k.unevaluatedItems && k.unevaluatedItems.k.boolean !== true && i >= certain && this.inner(() => this.subset(a.items, k.unevaluatedItems!)).length > 0) {
        const anchor = this.anchor(d);
        out.push(
          this.sub === 'old'
            ? this.make(ChangeCode.UNEVALUATED_ITEMS_NARROWED, anchor, anchor.at('unevaluatedItems'), '', 'unevaluatedItems: the new schema rejects items the old one accepted')
            : this.make(ChangeCode.UNEVALUATED_ITEMS_WIDENED, sup, k.unevaluatedItems.pointer, '', 'unevaluatedItems: the new schema accepts items the old one rejected'),
        );
      }
    }
    if (k.minItems && (f.minItems?.value ?? 0) < k.minItems.value) out.push(this.count('MIN_ITEMS', d, f.minItems, k.minItems));
    if (k.maxItems && !(longest <= k.maxItems.value)) out.push(this.count('MAX_ITEMS', d, f.maxItems, k.maxItems));
    if (k.uniqueItems && !f.unique && longest > 1) {
      const anchor = this.anchor(d);
      out.push(
        this.sub === 'old'
          ? this.make(ChangeCode.UNIQUE_ITEMS_ADDED, anchor, anchor.at('uniqueItems'), '', 'items must now be unique')
          : this.make(ChangeCode.UNIQUE_ITEMS_REMOVED, sup, k.uniqueItems.pointer, '', 'items no longer need to be unique'),
      );
    }
    if (k.contains) {
      const wanted = k.contains;
      const min = k.minContains?.value ?? 1;
      const max = k.maxContains?.value;
      const minOk =
        min === 0 ||
        f.contains.some((c) => c.min >= min && this.inner(() => this.subset([full(c.node)], wanted)).length === 0) ||
        ((f.minItems?.value ?? 0) >= min && this.allItemsWithin(f, wanted, last));
      const maxOk =
        max === undefined ||
        longest <= max ||
        f.contains.some((c) => c.max !== undefined && c.max <= max && this.reverse !== undefined && this.reverse.subset([full(wanted)], c.node).length === 0);
      if (!minOk || !maxOk) {
        const own = f.contains.length > 0;
        const anchor = this.anchor(d);
        out.push(
          this.sub === 'old'
            ? this.make(own ? ChangeCode.CONTAINS_CHANGED : ChangeCode.CONTAINS_ADDED, anchor, anchor.at('contains'), '', own ? 'contains, minContains or maxContains changed: old arrays may not meet the new condition' : 'arrays must now contain a matching item')
            : this.make(own ? ChangeCode.CONTAINS_CHANGED : ChangeCode.CONTAINS_REMOVED, sup, wanted.pointer, '', own ? 'contains, minContains or maxContains changed: new arrays may not meet the old condition' : 'arrays no longer need to contain a matching item'),
        );
      }
    }
    return out;
  }

  private allItemsWithin(f: Facets, target: SchemaNode, last: number): boolean {
    for (let i = 0; i <= last && i < f.effectiveMaxItems; i++) {
      const a = this.itemSlot(f, i);
      if (!a.absent && this.inner(() => this.subset(a.items, target)).length > 0) return false;
    }
    return true;
  }

  private itemFinding(d: Disjunct, sup: SchemaNode, index: number, rest: boolean, change: 'added' | 'removed'): Finding {
    const code = rest ? (change === 'added' ? ChangeCode.ITEMS_ADDED : ChangeCode.ITEMS_REMOVED) : change === 'added' ? ChangeCode.PREFIX_ITEM_ADDED : ChangeCode.PREFIX_ITEM_REMOVED;
    const what = rest ? 'items' : `item ${index}`;
    if (this.sub === 'old') {
      const anchor = this.anchor(d);
      const own = change === 'removed' ? this.facets(d)?.arrayNodes.map((n) => (index < n.k.prefixItems.length ? n.k.prefixItems[index] : n.k.items)).find((n) => n?.side === 'old') : undefined;
      return this.make(code, own ?? anchor, own?.pointer ?? (rest ? anchor.at('items') : anchor.at('prefixItems', String(index))), '', `${what}: the new schema rejects values the old one accepted`);
    }
    const k = sup.k;
    const node = rest ? k.items : k.prefixItems[index];
    return this.make(code, sup, node?.pointer ?? sup.at(rest ? 'items' : 'prefixItems', String(index)), '', `${what}: the new schema accepts values the old one rejected`);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Combinators

  /** `anyOf`/`oneOf` on the containing side: some branch must hold the disjunct, matched by content. */
  private branches(d: Disjunct, f: Facets, sup: SchemaNode, keyword: 'anyOf' | 'oneOf'): Finding[] {
    const list = sup.k[keyword]!;
    let overlap = false;
    const failures: { branch: SchemaNode; findings: readonly Finding[] }[] = [];
    for (let i = 0; i < list.length; i++) {
      const findings = this.subset(d.items, list[i]!);
      if (findings.length === 0) {
        if (keyword === 'anyOf') return [];
        // oneOf: the other branches must reject every value of the disjunct, or those values match twice.
        if (list.every((other, j) => j === i || this.disjoint(d.items, other))) return [];
        overlap = true;
        continue;
      }
      failures.push({ branch: list[i]!, findings });
    }
    // A disjunct of several types may be held by one branch per type.
    const kinds = kindsOf(f.kinds);
    if (!overlap && kinds.length > 1) {
      const proven = kinds.every((kind) => {
        const part = expandOne(d, kind);
        const facets = this.facets(part);
        return !facets || this.branches(part, facets, sup, keyword).length === 0;
      });
      if (proven) return [];
    }
    const anchor = this.anchor(d);
    if (overlap) {
      return [
        this.sub === 'old'
          ? this.make(ChangeCode.ONE_OF_OVERLAP, d.origin?.side === 'old' ? d.origin : anchor, (d.origin?.side === 'old' ? d.origin : anchor).pointer, '', 'some old values may match more than one branch of the new oneOf, which rejects them')
          : this.make(ChangeCode.ONE_OF_OVERLAP, sup, sup.at('oneOf'), '', 'some new values may match more than one branch of the old oneOf, which rejects them'),
      ];
    }
    // No branch holds it: explain with the nearest branch of the same kind, else name the branch.
    // The nearest branch explains best when it holds the same types and shares values with the disjunct.
    const related = failures.filter((x) => intersectKinds(kindsOfNode(x.branch), f.kinds) === f.kinds && !this.disjoint(d.items, x.branch)).sort((x, y) => x.findings.length - y.findings.length);
    if (related.length > 0) return [...related[0]!.findings];
    const prefix = keyword === 'anyOf' ? 'ANY_OF' : 'ONE_OF';
    if (this.sub === 'old') {
      const at = d.origin?.side === 'old' ? d.origin : anchor;
      return [this.make(`${prefix}_BRANCH_REMOVED` as ChangeCode, at, at.pointer, '', `no branch of the new ${keyword} accepts all the values of this old schema`)];
    }
    return [this.make(`${prefix}_BRANCH_ADDED` as ChangeCode, sup, sup.at(keyword), d.origin?.pointer ?? '', `the new schema accepts values (${d.origin?.pointer ?? anchor.pointer}) that no branch of the old ${keyword} accepts`)];
  }

  private not(d: Disjunct, f: Facets, sup: SchemaNode, excluded: SchemaNode): Finding[] {
    if (this.disjoint(d.items, excluded)) return [];
    const own = f.nots.find((n) => n.side === this.sub);
    if (this.sub === 'old') {
      const at = own ?? this.anchor(d);
      return [this.make(own ? ChangeCode.NOT_CHANGED : ChangeCode.NOT_ADDED, at, at.at('not'), '', 'the new "not" excludes values the old schema accepted')];
    }
    return [this.make(own ? ChangeCode.NOT_CHANGED : ChangeCode.NOT_REMOVED, sup, excluded.pointer, '', 'the new schema accepts values the old "not" excluded')];
  }

  /** `if`/`then`/`else` on the containing side: (if ∧ ¬then) and (¬if ∧ ¬else) must not meet the disjunct. */
  private conditional(d: Disjunct, f: Facets, sup: SchemaNode, condition: SchemaNode): Finding[] {
    const k = sup.k;
    const canonical = condition.canonical;
    const same = (item: Item) => canonical !== undefined && 'node' in item && item.node.canonical === canonical;
    const hasIf = d.items.some((i) => (i.kind === 'full' || (i.kind === 'own' && wholeInPlace(i.node))) && same(i));
    const hasNotIf = d.items.some((i) => i.kind === 'neg' && same(i));
    const out: Finding[] = [];
    let generic = false;
    if (k.then && k.then.k.boolean !== true && !hasNotIf && !this.disjoint(d.items, condition)) {
      if (hasIf) out.push(...this.subset(d.items, k.then));
      else if (this.subset([...d.items, full(condition)], k.then).length > 0) generic = true;
    }
    if (k.else && k.else.k.boolean !== true && !hasIf) {
      if (hasNotIf) out.push(...this.subset(d.items, k.else));
      else if (this.subset(d.items, condition).length > 0 && this.subset([...d.items, negated(condition)], k.else).length > 0) generic = true;
    }
    if (generic) {
      const own = f.conditionals.find((n) => n.side === this.sub);
      if (this.sub === 'old') {
        const at = own ?? this.anchor(d);
        out.push(this.make(own ? ChangeCode.CONDITIONAL_CHANGED : ChangeCode.CONDITIONAL_ADDED, at, at.at('if'), '', 'the new if/then/else rejects values the old schema accepted'));
      } else {
        out.push(this.make(own ? ChangeCode.CONDITIONAL_CHANGED : ChangeCode.CONDITIONAL_REMOVED, sup, condition.pointer, '', 'the new schema accepts values the old if/then/else rejected'));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Disjointness

  private disjointPair(x: Disjunct, y: Disjunct): boolean {
    const fx = this.facets(x);
    const fy = this.facets(y);
    if (!fx || !fy) return true;
    const excludes = (negs: readonly SchemaNode[], other: Disjunct) =>
      negs.some((n) => n.canonical !== undefined && other.items.some((i) => i.kind === 'own' && wholeInPlace(i.node) && i.node.canonical === n.canonical));
    if (excludes(fx.negations, y) || excludes(fy.negations, x)) return true;
    if (fx.values && fx.values.every((v) => rejects(y, v))) return true;
    if (fy.values && fy.values.every((v) => rejects(x, v))) return true;
    if (fx.values || fy.values) {
      // A finite side that is not wholly rejected shares at least one candidate value: not provably disjoint.
      return false;
    }
    const common = intersectKinds(fx.kinds, fy.kinds);
    if (common & (Kind.NULL | Kind.BOOLEAN)) return false;
    if (common & NUMERIC && !rangesApart(fx, fy)) return false;
    if (common & Kind.STRING && !lengthsApart(fx, fy)) return false;
    if (common & Kind.OBJECT && !this.objectsApart(fx, fy)) return false;
    if (common & Kind.ARRAY && !this.arraysApart(fx, fy)) return false;
    return true;
  }

  private objectsApart(fx: Facets, fy: Facets): boolean {
    for (const name of new Set([...fx.required.keys(), ...fy.required.keys()])) {
      const sx = this.propertySlot(fx, name, false);
      const sy = this.reverseSlot(fy, name);
      if (sx.status === 'absent' || sy.absent) return true;
      if (sy.nodes.some((node) => this.inner(() => this.disjoint(sx.items, node)))) return true;
    }
    return false;
  }

  /** The other side's schemas for one property (they are asked as `sup` nodes, so no lenient policy). */
  private reverseSlot(f: Facets, name: string): { nodes: SchemaNode[]; absent: boolean } {
    const nodes: SchemaNode[] = [];
    for (const node of f.objectNodes) {
      const slot = ruleSchemasFor(node, name);
      if (slot.unsure) continue;
      nodes.push(...slot.schemas);
    }
    return { nodes, absent: nodes.some((n) => n.k.boolean === false) };
  }

  private arraysApart(fx: Facets, fy: Facets): boolean {
    const minX = fx.minItems?.value ?? 0;
    const minY = fy.minItems?.value ?? 0;
    if (minX > fy.effectiveMaxItems || minY > fx.effectiveMaxItems) return true;
    const present = Math.max(minX, minY);
    for (let i = 0; i < present && i < 64; i++) {
      const a = this.itemSlot(fx, i);
      const b = this.itemSlot(fy, i).items.flatMap((item) => (item.kind === 'full' ? [item.node] : []));
      if (b.some((node) => this.inner(() => this.disjoint(a.items, node)))) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Locations

  /**
   * Where a change without a keyword of its own is located on the contained side: the schema standing at the
   * same place as the containing one (`/then` for `/then`), else the first schema of the disjunct.
   */
  private anchor(d: Disjunct): SchemaNode {
    const sup = this.current;
    return (sup && d.seen.find((n) => n.side === this.sub && n.pointer === sup.pointer)) || d.seen.find((n) => n.side === this.sub) || this.oldRoot;
  }

  private anchorAt(d: Disjunct): { node: SchemaNode; pointer: string } {
    const anchor = this.anchor(d);
    return { node: anchor, pointer: anchor.pointer };
  }

  /** The first keyword of the contained side in `list`, else the anchor. */
  private ownAt(list: readonly { node: SchemaNode; pointer: string }[], d: Disjunct): { node: SchemaNode; pointer: string } {
    return list.find((x) => x.node.side === this.sub) ?? this.anchorAt(d);
  }

  /** Where a keyword of `sup` sits in the old contract: its own place when sup is old, else the anchor. */
  private oldSide(at: { node: SchemaNode; pointer: string }, anchor: SchemaNode, keyword: string): { node: SchemaNode; pointer: string } {
    return at.node.side === 'old' ? at : { node: anchor, pointer: anchor.at(keyword) };
  }

  private requiredNode(d: Disjunct, f: Facets): SchemaNode {
    const sup = this.current;
    return (sup && f.nodes.find((n) => n.side === this.sub && n.pointer === sup.pointer)) || f.nodes.find((n) => n.side === this.sub && n.k.required !== undefined) || this.anchor(d);
  }

  private declaringNode(d: Disjunct, name: string): SchemaNode {
    const f = this.facets(d);
    return f?.objectNodes.find((n) => n.side === this.sub && n.k.properties.has(name)) ?? this.anchor(d);
  }

  private make(code: ChangeCode, node: SchemaNode, pointer: string, detail: string, message: string): Finding {
    if (node.side !== 'old') {
      // Only the old contract is located; a new-side node here would be a bug in the caller, so fall back.
      node = this.oldRoot;
      pointer = this.oldRoot.pointer;
    }
    return { code, documentUri: node.documentUri, pointer, detail, message };
  }
}

/**
 * Whether a disjunct's `own` item stands for the whole schema: true when the schema has no alternatives,
 * which expansion might have left unsplit (and so unapplied) on a large conjunction.
 */
function wholeInPlace(node: SchemaNode): boolean {
  const k = node.k;
  return !k.anyOf && !k.oneOf && !(k.if && (k.then || k.else));
}

/** The disjunct restricted to one JSON type. */
function expandOne(d: Disjunct, kind: number): Disjunct {
  const items = [...d.items, ofKinds(kind)];
  return { ...d, items, key: itemsKey(items) };
}

/** Whether some item of a disjunct certainly rejects `value`. */
function rejects(d: Disjunct, value: unknown): boolean {
  return d.items.some((item) => {
    switch (item.kind) {
      case 'own':
        return evaluateValue(item.node, value, true) === false;
      case 'full':
        return evaluateValue(item.node, value) === false;
      case 'neg':
        return evaluateValue(item.node, value) === true;
      case 'require':
        return !(value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, item.name));
      case 'kinds': {
        const kind = kindOfValue(value);
        return kind === undefined || !kindAccepts(item.set, kind);
      }
    }
  });
}

function rangesApart(a: Facets, b: Facets): boolean {
  const below = (high: Facets['effectiveUpper'], low: Facets['effectiveLower']) => {
    if (!high || !low) return false;
    const c = compare(high.value, low.value);
    return c < 0 || (c === 0 && (high.exclusive || low.exclusive));
  };
  return below(a.effectiveUpper, b.effectiveLower) || below(b.effectiveUpper, a.effectiveLower);
}

function lengthsApart(a: Facets, b: Facets): boolean {
  return (a.maxLength !== undefined && b.minLength !== undefined && a.maxLength.value < b.minLength.value) || (b.maxLength !== undefined && a.minLength !== undefined && b.maxLength.value < a.minLength.value);
}

/** The finite values a disjunct can take without an `enum`: null, booleans and small stepped ranges. */
function enumerate(f: Facets): unknown[] | undefined {
  const out: unknown[] = [];
  if (f.kinds & ~(Kind.NULL | Kind.BOOLEAN | NUMERIC)) return undefined;
  if (f.kinds & Kind.NULL) out.push(null);
  if (f.kinds & Kind.BOOLEAN) out.push(false, true);
  if (f.kinds & NUMERIC) {
    const stepped = steppedValues(f);
    if (!stepped) return undefined;
    out.push(...stepped.map((r) => Number(r.n) / Number(r.d)));
  }
  return out;
}

function steppedValues(f: Facets): Rational[] | undefined {
  const low = f.effectiveLower;
  const high = f.effectiveUpper;
  if (!f.step || !low || !high) return undefined;
  const n = multiplesBetween(low.value, high.value, f.step);
  if (n > BigInt(MAX_ENUMERATED)) return undefined;
  const out: Rational[] = [];
  for (let v = low.value, i = 0n; i < n; i++, v = add(v, f.step)) out.push(v);
  return out;
}

function everyStepped(f: Facets, test: (v: Rational) => boolean): boolean {
  const values = steppedValues(f);
  return values !== undefined && values.every(test);
}

const kindCache = new WeakMap<SchemaNode, KindSet>();

/** The kinds of values a schema can take, over all of its alternatives. */
function kindsOfNode(node: SchemaNode): KindSet {
  let kinds = kindCache.get(node);
  if (kinds === undefined) {
    kinds = 0;
    for (const d of expand([full(node)])) {
      const f = facetsOf(d);
      if (f) kinds |= f.values ? f.values.reduce<number>((acc, v) => acc | kindOf(v), 0) : f.kinds;
    }
    kindCache.set(node, kinds);
  }
  return kinds;
}

function kindOf(value: unknown): number {
  if (value === null) return Kind.NULL;
  if (typeof value === 'number') return Number.isInteger(value) ? Kind.INTEGER | Kind.NUMBER : Kind.NUMBER;
  if (typeof value === 'string') return Kind.STRING;
  if (typeof value === 'boolean') return Kind.BOOLEAN;
  return Array.isArray(value) ? Kind.ARRAY : Kind.OBJECT;
}

function dedupe(findings: Finding[]): readonly Finding[] {
  if (findings.length === 0) return NONE;
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.code}|${f.documentUri}|${f.pointer}|${f.detail}`;
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()];
}

/** A value for a message: JSON, cut short. */
export function preview(value: unknown): string {
  const text = stableJson(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export { deepEqual };

import { fullFormats } from 'ajv-formats/dist/formats.js';
import { hasOwn, isObject } from '../util/guards.js';
import { Kind, kindAccepts, kindOfValue } from './kinds.js';
import { compare, isMultipleOf, toRational } from '../util/rational.js';
import type { SchemaNode } from './SchemaNode.js';

/** `true` accepted, `false` rejected, `undefined` when the evaluator cannot tell (unsupported keywords). */
export type Verdict = boolean | undefined;

interface Outcome {
  readonly valid: Verdict;
  /** Property names evaluated (for `unevaluatedProperties`); `undefined` when unknown. */
  readonly props: ReadonlySet<string> | 'all' | undefined;
  /** Array items evaluated from the start, or `all`; `undefined` when unknown. */
  readonly items: number | 'all' | undefined;
}

const MAX_DEPTH = 256;

/**
 * Whether a schema accepts one concrete JSON value, with draft 2020-12 semantics (annotations included, for
 * `unevaluated*`). `own` reads the node's own keywords only (no `$ref`, `allOf`, `anyOf`, `oneOf`, `not`,
 * `if`), for a node whose in-place applicators are accounted for elsewhere. Numbers compare exactly.
 */
export function evaluateValue(node: SchemaNode, value: unknown, own = false): Verdict {
  return evaluate(node, value, own, 0).valid;
}

function evaluate(node: SchemaNode, value: unknown, own: boolean, depth: number): Outcome {
  const k = node.k;
  if (k.boolean !== undefined) return { valid: k.boolean, props: new Set(), items: 0 };
  if (depth > MAX_DEPTH) return UNKNOWN;
  let valid = true as Verdict;
  const rejected = () => valid === false;
  const and = (v: Verdict) => {
    if (v === false) valid = false;
    else if (v === undefined && valid === true) valid = undefined;
  };
  if (!own && k.unsupported.length > 0) and(undefined);
  const kind = kindOfValue(value);
  if (kind === undefined) return { valid: false, props: undefined, items: undefined };

  if (k.type && !kindAccepts(k.type.value, kind)) return REJECTED;
  for (const set of k.valueSets) if (!set.value.some((v) => deepEqual(v, value))) return REJECTED;

  if (kind === Kind.INTEGER || kind === Kind.NUMBER) {
    const r = toRational(value as number);
    if (!r) return UNKNOWN;
    if (k.lower) {
      const c = compare(r, k.lower.value);
      if (c < 0 || (c === 0 && k.lower.exclusive)) return REJECTED;
    }
    if (k.upper) {
      const c = compare(r, k.upper.value);
      if (c > 0 || (c === 0 && k.upper.exclusive)) return REJECTED;
    }
    if (k.multipleOf && !isMultipleOf(r, k.multipleOf.value)) return REJECTED;
    if (k.format) and(checkFormat(k.format.value, value, 'number'));
  }
  if (kind === Kind.STRING) {
    const text = value as string;
    const length = codePoints(text);
    if (k.minLength && length < k.minLength.value) return REJECTED;
    if (k.maxLength && length > k.maxLength.value) return REJECTED;
    if (k.pattern) {
      if (!k.pattern.regex) and(undefined);
      else if (!k.pattern.regex.test(text)) return REJECTED;
    }
    if (k.format) and(checkFormat(k.format.value, text, 'string'));
  }

  const evaluatedProps = new Set<string>();
  let allProps = false;
  let propsKnown = true;
  let evaluatedItems = 0;
  let allItems = false;
  let itemsKnown = true;

  if (kind === Kind.OBJECT) {
    const object = value as Record<string, unknown>;
    const names = Object.keys(object);
    if (k.minProperties && names.length < k.minProperties.value) return REJECTED;
    if (k.maxProperties && names.length > k.maxProperties.value) return REJECTED;
    for (const name of k.required?.value ?? []) if (!hasOwn(object, name)) return REJECTED;
    for (const [name, deps] of k.dependentRequired) {
      if (hasOwn(object, name) && deps.value.some((d) => !hasOwn(object, d))) return REJECTED;
    }
    for (const name of names) {
      if (k.propertyNames) and(evaluate(k.propertyNames, name, false, depth + 1).valid);
      let matched = false;
      const property = k.properties.get(name);
      if (property) {
        matched = true;
        and(evaluate(property, object[name], false, depth + 1).valid);
      }
      for (const p of k.patternProperties) {
        if (!p.regex) {
          and(undefined);
          propsKnown = false;
          continue;
        }
        if (p.regex.test(name)) {
          matched = true;
          and(evaluate(p.node, object[name], false, depth + 1).valid);
        }
      }
      if (matched) evaluatedProps.add(name);
      else if (k.additionalProperties) {
        evaluatedProps.add(name);
        and(evaluate(k.additionalProperties, object[name], false, depth + 1).valid);
      }
      if (rejected()) return REJECTED;
    }
    for (const [name, dependent] of k.dependentSchemas) {
      if (!hasOwn(object, name)) continue;
      const outcome = evaluate(dependent, value, false, depth + 1);
      and(outcome.valid);
      merge(outcome);
    }
  }
  if (kind === Kind.ARRAY) {
    const array = value as unknown[];
    if (k.minItems && array.length < k.minItems.value) return REJECTED;
    if (k.maxItems && array.length > k.maxItems.value) return REJECTED;
    if (k.uniqueItems) {
      for (let i = 0; i < array.length; i++) for (let j = i + 1; j < array.length; j++) if (deepEqual(array[i], array[j])) return REJECTED;
    }
    array.forEach((item, i) => {
      const schema = i < k.prefixItems.length ? k.prefixItems[i] : k.items;
      if (schema) and(evaluate(schema, item, false, depth + 1).valid);
    });
    evaluatedItems = Math.min(array.length, k.prefixItems.length);
    if (k.items) allItems = true;
    if (k.contains) {
      let matches = 0;
      let unsure = false;
      for (const item of array) {
        const v = evaluate(k.contains, item, false, depth + 1).valid;
        if (v === true) matches++;
        else if (v === undefined) unsure = true;
      }
      const min = k.minContains?.value ?? 1;
      const max = k.maxContains?.value;
      if (unsure) {
        and(undefined);
        itemsKnown = false;
      } else if (matches < min || (max !== undefined && matches > max)) return REJECTED;
      // Items that match `contains` count as evaluated; the plain count suffices only when all match.
      if (matches === array.length) allItems = true;
      else if (matches > 0) itemsKnown = false;
    }
  }
  if (rejected()) return REJECTED;

  if (!own) {
    if (k.ref) {
      const outcome = evaluate(k.ref, value, false, depth + 1);
      and(outcome.valid);
      merge(outcome);
    }
    for (const sub of k.allOf) {
      const outcome = evaluate(sub, value, false, depth + 1);
      and(outcome.valid);
      merge(outcome);
      if (rejected()) return REJECTED;
    }
    if (k.anyOf) {
      let any: Verdict = false;
      for (const sub of k.anyOf) {
        const outcome = evaluate(sub, value, false, depth + 1);
        if (outcome.valid === true) {
          any = true;
          merge(outcome);
        } else if (outcome.valid === undefined) {
          if (any === false) any = undefined;
          propsKnown = itemsKnown = false;
        }
      }
      and(any);
    }
    if (k.oneOf) {
      let passing = 0;
      let unsure = false;
      for (const sub of k.oneOf) {
        const outcome = evaluate(sub, value, false, depth + 1);
        if (outcome.valid === true) {
          passing++;
          merge(outcome);
        } else if (outcome.valid === undefined) unsure = true;
      }
      if (passing > 1) return REJECTED;
      and(unsure ? undefined : passing === 1);
      if (unsure) propsKnown = itemsKnown = false;
    }
    if (k.not) {
      const v = evaluate(k.not, value, false, depth + 1).valid;
      and(v === undefined ? undefined : !v);
    }
    if (k.if) {
      const condition = evaluate(k.if, value, false, depth + 1);
      if (condition.valid === undefined) {
        and(undefined);
        propsKnown = itemsKnown = false;
      } else {
        if (condition.valid) merge(condition);
        const branch = condition.valid ? k.then : k.else;
        if (branch) {
          const outcome = evaluate(branch, value, false, depth + 1);
          and(outcome.valid);
          merge(outcome);
        }
      }
    }
    if (rejected()) return REJECTED;

    if (kind === Kind.OBJECT && k.unevaluatedProperties) {
      if (!propsKnown) and(undefined);
      else if (!allProps) {
        for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
          if (evaluatedProps.has(name)) continue;
          and(evaluate(k.unevaluatedProperties, item, false, depth + 1).valid);
          evaluatedProps.add(name);
        }
      }
      allProps = true;
    }
    if (kind === Kind.ARRAY && k.unevaluatedItems) {
      if (!itemsKnown) and(undefined);
      else if (!allItems) {
        (value as unknown[]).slice(evaluatedItems).forEach((item) => and(evaluate(k.unevaluatedItems!, item, false, depth + 1).valid));
      }
      allItems = true;
    }
  }
  if (rejected()) return REJECTED;
  return {
    valid,
    props: !propsKnown ? undefined : allProps ? 'all' : evaluatedProps,
    items: !itemsKnown ? undefined : allItems ? 'all' : evaluatedItems,
  };

  function merge(outcome: Outcome): void {
    if (outcome.valid !== true) return;
    if (outcome.props === undefined) propsKnown = false;
    else if (outcome.props === 'all') allProps = true;
    else for (const p of outcome.props) evaluatedProps.add(p);
    if (outcome.items === undefined) itemsKnown = false;
    else if (outcome.items === 'all') allItems = true;
    else evaluatedItems = Math.max(evaluatedItems, outcome.items);
  }
}

const REJECTED: Outcome = { valid: false, props: undefined, items: undefined };
const UNKNOWN: Outcome = { valid: undefined, props: undefined, items: undefined };

/** String length in code points, as JSON Schema (and Ajv) count it. */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    n++;
  }
  return n;
}

type FormatCheck = RegExp | ((value: never) => boolean) | { type?: string; validate: RegExp | ((value: never) => boolean) };

/** Formats as ajv-formats checks them ("full" mode); an unknown format is unknown, not accepted. */
function checkFormat(name: string, value: unknown, type: 'string' | 'number'): Verdict {
  const formats = fullFormats as unknown as Record<string, FormatCheck | undefined>;
  if (!hasOwn(formats, name)) return undefined;
  const definition = formats[name]!;
  const validate = definition instanceof RegExp || typeof definition === 'function' ? definition : definition.validate;
  const formatType = definition instanceof RegExp || typeof definition === 'function' ? 'string' : (definition.type ?? 'string');
  if (formatType !== type) return true;
  try {
    return validate instanceof RegExp ? validate.test(String(value)) : Boolean((validate as (v: unknown) => boolean)(value));
  } catch {
    return undefined;
  }
}

/** The format's value type in ajv-formats (`number` for int32, float...), or `undefined` if unknown. */
export function formatValueType(name: string): 'string' | 'number' | undefined {
  const formats = fullFormats as unknown as Record<string, FormatCheck | undefined>;
  if (!hasOwn(formats, name)) return undefined;
  const definition = formats[name]!;
  return definition instanceof RegExp || typeof definition === 'function' ? 'string' : definition.type === 'number' ? 'number' : 'string';
}

/** Structural equality of JSON values, as JSON Schema's `enum`, `const` and `uniqueItems` use it (1 equals 1.0). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((key) => hasOwn(b, key) && deepEqual(a[key], b[key]));
}

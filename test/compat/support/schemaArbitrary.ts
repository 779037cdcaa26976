import fc from 'fast-check';

/** Property names the generated object schemas use; `x1` and `x2` match the pattern `^x`. */
export const NAMES = ['a', 'b', 'x1', 'x2'] as const;
/** Patterns the generated schemas use, each with strings that match it and strings that do not. */
export const PATTERNS: Record<string, readonly string[]> = {
  '^[a-z]+$': ['abc', 'z', 'Abc', '1'],
  '^x': ['x', 'xy', 'y'],
  '^[0-9]{2}$': ['12', '123', 'ab'],
};
export const FORMATS: Record<string, readonly string[]> = {
  date: ['2024-01-31', '2024-02-31', 'nope'],
  email: ['a@example.com', 'nope'],
};
const TYPES = ['null', 'boolean', 'string', 'integer', 'number', 'object', 'array'] as const;
/** Numbers whose quotients are exact in binary floating point, so that Ajv's division agrees with exact arithmetic. */
const NUMBERS = [-2, -1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 10] as const;
const STEPS = [0.25, 0.5, 1, 2, 3, 4] as const;
const ATOMS = [null, true, false, 0, 1, 2, 0.5, -1, '', 'a', 'ab', 'abc', 'x', '12'] as const;

export type Schema = boolean | { [key: string]: unknown };

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

function clean(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) if (v !== undefined) out[k] = v;
  return out;
}

const typeArb: fc.Arbitrary<string | string[]> = fc.oneof(
  fc.constantFrom(...TYPES),
  fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }),
);

const numberLeaf = fc
  .record({
    type: fc.constantFrom('number', 'integer', undefined),
    minimum: maybe(fc.constantFrom(...NUMBERS)),
    maximum: maybe(fc.constantFrom(...NUMBERS)),
    exclusiveMinimum: maybe(fc.constantFrom(...NUMBERS)),
    exclusiveMaximum: maybe(fc.constantFrom(...NUMBERS)),
    multipleOf: maybe(fc.constantFrom(...STEPS)),
  })
  .map(clean);

const stringLeaf = fc
  .record({
    type: fc.constantFrom('string', undefined),
    minLength: maybe(fc.nat(3)),
    maxLength: maybe(fc.nat(3)),
    pattern: maybe(fc.constantFrom(...Object.keys(PATTERNS))),
    format: maybe(fc.constantFrom(...Object.keys(FORMATS))),
  })
  .map(clean);

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ type: typeArb }) },
  { weight: 1, arbitrary: fc.record({ enum: fc.uniqueArray(fc.constantFrom(...ATOMS), { minLength: 1, maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ const: fc.constantFrom(...ATOMS) }) },
  { weight: 2, arbitrary: numberLeaf },
  { weight: 2, arbitrary: stringLeaf },
  { weight: 1, arbitrary: fc.constantFrom<Schema>(true, false, {}) },
  { weight: 1, arbitrary: fc.record({ type: typeArb, enum: fc.uniqueArray(fc.constantFrom(...ATOMS), { minLength: 1, maxLength: 4 }) }) },
);

/** Schemas up to a depth, over the keywords the checker reasons about. */
export function schemaArb(depth: number): fc.Arbitrary<Schema> {
  if (depth <= 0) return leaf;
  const sub = schemaArb(depth - 1);
  const names = fc.subarray([...NAMES], { minLength: 0, maxLength: 3 });
  const object = fc
    .record({
      type: fc.constantFrom('object', undefined),
      properties: maybe(fc.dictionary(fc.constantFrom(...NAMES), sub, { maxKeys: 3 })),
      required: maybe(names),
      additionalProperties: maybe(fc.oneof(fc.boolean(), sub)),
      patternProperties: maybe(fc.record({ '^x': sub })),
      minProperties: maybe(fc.nat(2)),
      maxProperties: maybe(fc.nat(3)),
      propertyNames: maybe(fc.record({ maxLength: fc.integer({ min: 1, max: 2 }) })),
      dependentRequired: maybe(fc.record({ a: names })),
      dependentSchemas: maybe(fc.record({ b: sub })),
      unevaluatedProperties: maybe(fc.oneof(fc.boolean(), sub)),
    })
    .map(clean);
  const array = fc
    .record({
      type: fc.constantFrom('array', undefined),
      items: maybe(fc.oneof(fc.boolean(), sub)),
      prefixItems: maybe(fc.array(sub, { minLength: 1, maxLength: 2 })),
      minItems: maybe(fc.nat(2)),
      maxItems: maybe(fc.nat(3)),
      uniqueItems: maybe(fc.boolean()),
      contains: maybe(fc.record({ schema: sub, min: maybe(fc.nat(2)), max: maybe(fc.nat(2)) })),
      unevaluatedItems: maybe(fc.boolean()),
    })
    .map(({ contains, ...rest }) => {
      // minContains and maxContains only with contains, and not contradicting each other (strict mode refuses both).
      if (!contains) return clean(rest);
      const min = contains.min !== undefined && contains.max !== undefined && contains.min > contains.max ? contains.max : contains.min;
      const max = min === 0 && contains.max === undefined ? 1 : contains.max;
      return clean({ ...rest, contains: contains.schema, minContains: min, maxContains: max });
    });
  const combinator = fc.oneof(
    fc.record({ anyOf: fc.array(sub, { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(sub, { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(sub, { minLength: 1, maxLength: 2 }) }),
    fc.record({ not: sub }),
    fc.record({ if: sub, then: sub, else: maybe(sub) }).map(clean),
  );
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 3, arbitrary: object }, { weight: 2, arbitrary: array }, { weight: 3, arbitrary: combinator });
}

/** A root schema, sometimes recursive through `$defs` and `$ref`. */
export function rootArb(depth: number): fc.Arbitrary<Schema> {
  const plain = schemaArb(depth);
  const recursive = fc.record({ value: schemaArb(depth - 1), closed: fc.boolean() }).map(({ value, closed }) => ({
    $ref: '#/$defs/node',
    $defs: {
      node: {
        type: 'object',
        properties: { a: value, b: { type: 'array', items: { $ref: '#/$defs/node' } }, x1: { $ref: '#/$defs/node' } },
        ...(closed ? { additionalProperties: false } : {}),
      },
    },
  }));
  return fc.oneof({ weight: 5, arbitrary: plain }, { weight: 1, arbitrary: recursive });
}

/** One edit to a schema: replace the subschema at a position, or nudge one of its keywords. */
export interface Edit {
  readonly at: number;
  readonly replacement: Schema;
  readonly nudge: number;
}

export function editArb(depth: number): fc.Arbitrary<Edit> {
  return fc.record({ at: fc.nat(40), replacement: schemaArb(depth), nudge: fc.nat(9) });
}

/** Applies edits to a copy of a schema; each edit picks a subschema by its position in a walk. */
export function applyEdits(schema: Schema, edits: readonly Edit[]): Schema {
  let current = structuredClone(schema);
  for (const edit of edits) {
    const slots = subschemaSlots(current);
    const slot = slots[edit.at % slots.length]!;
    const target = slot.get();
    if (edit.nudge < 4 && typeof target === 'object' && target !== null) slot.set(nudge(target, edit.nudge));
    else if (slot.isRoot) current = edit.replacement;
    else slot.set(edit.replacement);
  }
  return current;
}

interface Slot {
  readonly isRoot: boolean;
  get(): Schema;
  set(value: Schema): void;
}

function subschemaSlots(root: Schema): Slot[] {
  const slots: Slot[] = [];
  let rootValue = root;
  slots.push({ isRoot: true, get: () => rootValue, set: (v) => (rootValue = v) });
  const visit = (schema: Schema) => {
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Record<string, unknown>;
    const at = (holder: Record<string, unknown> | unknown[], key: string | number) => {
      const value = (holder as Record<string, unknown>)[key as string] as Schema;
      slots.push({ isRoot: false, get: () => (holder as Record<string, unknown>)[key as string] as Schema, set: (v) => ((holder as Record<string, unknown>)[key as string] = v) });
      visit(value);
    };
    for (const key of ['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'not', 'if', 'then', 'else']) if (key in s) at(s, key);
    for (const key of ['properties', 'patternProperties', 'dependentSchemas', '$defs']) {
      const map = s[key];
      if (map && typeof map === 'object') for (const name of Object.keys(map)) at(map as Record<string, unknown>, name);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
      const list = s[key];
      if (Array.isArray(list)) list.forEach((_, i) => at(list, i));
    }
  };
  visit(root);
  return slots;
}

/** Small edits a contract author makes: a bound moves, a value or a required name comes or goes. */
function nudge(schema: { [key: string]: unknown }, how: number): Schema {
  const s = { ...schema };
  switch (how) {
    case 0:
      if (typeof s['maximum'] === 'number') s['maximum'] = (s['maximum'] as number) - 1;
      else if (typeof s['maxLength'] === 'number') s['maxLength'] = Math.max(0, (s['maxLength'] as number) - 1);
      else if (Array.isArray(s['enum']) && s['enum'].length > 1) s['enum'] = s['enum'].slice(1);
      else s['minimum'] = 0;
      break;
    case 1:
      if (typeof s['minimum'] === 'number') s['minimum'] = (s['minimum'] as number) - 1;
      else if (Array.isArray(s['enum'])) s['enum'] = [...new Set([...(s['enum'] as unknown[]), 'new'])];
      else if (Array.isArray(s['required']) && s['required'].length > 0) s['required'] = s['required'].slice(1);
      else delete s['type'];
      break;
    case 2:
      if ('additionalProperties' in s) delete s['additionalProperties'];
      else s['additionalProperties'] = false;
      break;
    default:
      if (Array.isArray(s['type'])) s['type'] = [...new Set([...(s['type'] as string[]), 'null'])];
      else if (typeof s['type'] === 'string') s['type'] = s['type'] === 'integer' ? 'number' : s['type'] === 'number' ? 'integer' : [s['type'], 'null'];
      else s['required'] = [...new Set([...((s['required'] as string[]) ?? []), 'a'])];
  }
  return s;
}

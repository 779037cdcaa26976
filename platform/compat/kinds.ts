/**
 * JSON types as bits, so that type sets intersect in one operation. `NUMBER` means every number and so
 * includes the integers; a set never holds both bits (see `normalizeKinds`).
 */
export const Kind = {
  NULL: 1,
  BOOLEAN: 2,
  STRING: 4,
  INTEGER: 8,
  NUMBER: 16,
  OBJECT: 32,
  ARRAY: 64,
} as const;

export type KindSet = number;

export const ALL_KINDS: KindSet = Kind.NULL | Kind.BOOLEAN | Kind.STRING | Kind.NUMBER | Kind.OBJECT | Kind.ARRAY;
export const NUMERIC: KindSet = Kind.INTEGER | Kind.NUMBER;

const NAMES: readonly [number, string][] = [
  [Kind.NULL, 'null'],
  [Kind.BOOLEAN, 'boolean'],
  [Kind.STRING, 'string'],
  [Kind.INTEGER, 'integer'],
  [Kind.NUMBER, 'number'],
  [Kind.OBJECT, 'object'],
  [Kind.ARRAY, 'array'],
];

export function kindOfName(name: string): number | undefined {
  return NAMES.find(([, n]) => n === name)?.[0];
}

export function kindName(kind: number): string {
  return NAMES.find(([k]) => k === kind)?.[1] ?? 'unknown';
}

/** The single kinds of a set, in a stable order. */
export function kindsOf(set: KindSet): number[] {
  return NAMES.map(([k]) => k).filter((k) => (set & k) !== 0);
}

export function normalizeKinds(set: KindSet): KindSet {
  return set & Kind.NUMBER ? set & ~Kind.INTEGER : set;
}

/** Intersection where NUMBER ∩ INTEGER is INTEGER. */
export function intersectKinds(a: KindSet, b: KindSet): KindSet {
  const rest = a & b & ~NUMERIC;
  const rank = (s: KindSet) => (s & Kind.NUMBER ? 2 : s & Kind.INTEGER ? 1 : 0);
  const numeric = Math.min(rank(a), rank(b));
  return rest | (numeric === 2 ? Kind.NUMBER : numeric === 1 ? Kind.INTEGER : 0);
}

/** The kind of a JSON value; integral numbers are INTEGER. */
export function kindOfValue(value: unknown): number | undefined {
  if (value === null) return Kind.NULL;
  switch (typeof value) {
    case 'boolean':
      return Kind.BOOLEAN;
    case 'string':
      return Kind.STRING;
    case 'number':
      return Number.isFinite(value) ? (Number.isInteger(value) ? Kind.INTEGER : Kind.NUMBER) : undefined;
    case 'object':
      return Array.isArray(value) ? Kind.ARRAY : Kind.OBJECT;
    default:
      return undefined;
  }
}

/** Whether a value of kind `valueKind` belongs to the set. */
export function kindAccepts(set: KindSet, valueKind: number): boolean {
  if (valueKind === Kind.INTEGER) return (set & NUMERIC) !== 0;
  return (set & valueKind) !== 0;
}

export function describeKinds(set: KindSet): string {
  return kindsOf(set).map(kindName).join(', ');
}

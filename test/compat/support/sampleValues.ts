import { FORMATS, NAMES, PATTERNS, type Schema } from './schemaArbitrary.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const BASE: Json[] = [null, true, false, 0, 1, -1, 0.5, 2.5, '', 'a', 'ab', 'abc', 'abcd', [], {}];

/**
 * Values near the edges of some schemas: bounds and their neighbours, lengths around the limits, strings
 * that match and miss each pattern and format, enum members, and objects and arrays built from the samples
 * of their subschemas (declared properties present and absent, extra properties, short and long arrays).
 */
export function sampleValues(schemas: readonly Schema[], limit = 400): Json[] {
  const atoms = new Map<string, Json>();
  const addAtom = (v: Json) => atoms.set(JSON.stringify(v), v);
  for (const v of BASE) addAtom(v);
  for (const schema of schemas) collectAtoms(schema, addAtom, 0);
  const out = new Map<string, Json>();
  const add = (v: Json) => {
    if (out.size < limit) out.set(JSON.stringify(v), v);
  };
  for (const v of atoms.values()) add(v);
  for (const schema of schemas) for (const v of structured(schema, schema, 3, [...atoms.values()])) add(v);
  return [...out.values()];
}

function collectAtoms(schema: unknown, add: (v: Json) => void, depth: number): void {
  if (depth > 12 || typeof schema !== 'object' || schema === null) return;
  if (Array.isArray(schema)) {
    for (const s of schema) collectAtoms(s, add, depth + 1);
    return;
  }
  const s = schema as Record<string, unknown>;
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    const v = s[key];
    if (typeof v === 'number') for (const d of [0, 1, -1, 0.25, -0.25, 0.5, -0.5]) add(v + d);
  }
  if (typeof s['multipleOf'] === 'number') for (const k of [1, 2, 3, 0.5, -1]) add(s['multipleOf'] * k);
  for (const key of ['minLength', 'maxLength']) {
    const v = s[key];
    if (typeof v === 'number') for (const n of [v - 1, v, v + 1]) if (n >= 0) add('b'.repeat(n));
  }
  if (typeof s['pattern'] === 'string') for (const v of PATTERNS[s['pattern']] ?? []) add(v);
  if (typeof s['format'] === 'string') for (const v of FORMATS[s['format']] ?? []) add(v);
  if (Array.isArray(s['enum'])) for (const v of s['enum']) add(v as Json);
  if ('const' in s) add(s['const'] as Json);
  for (const value of Object.values(s)) collectAtoms(value, add, depth + 1);
}

/** Objects and arrays shaped by a schema, with samples of its parts. */
function structured(schema: unknown, root: unknown, depth: number, atoms: Json[]): Json[] {
  if (depth <= 0 || typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  const out: Json[] = [];
  const parts = (sub: unknown): Json[] => [...structured(sub, root, depth - 1, atoms).slice(0, 4), ...leafSamples(sub, atoms)].slice(0, 6);
  if (typeof s['$ref'] === 'string' && s['$ref'].startsWith('#/$defs/')) {
    const defs = (root as Record<string, unknown>)['$defs'] as Record<string, unknown> | undefined;
    out.push(...structured(defs?.[s['$ref'].slice('#/$defs/'.length)], root, depth - 1, atoms));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    const list = s[key];
    if (Array.isArray(list)) for (const sub of list) out.push(...structured(sub, root, depth, atoms).slice(0, 6));
  }
  for (const key of ['if', 'then', 'else', 'not']) if (key in s) out.push(...structured(s[key], root, depth, atoms).slice(0, 4));
  const properties = (s['properties'] ?? {}) as Record<string, unknown>;
  const objectish = 'properties' in s || 'required' in s || 'additionalProperties' in s || 'patternProperties' in s || s['type'] === 'object' || 'dependentSchemas' in s || 'unevaluatedProperties' in s;
  if (objectish) {
    const samples = new Map<string, Json[]>();
    for (const name of NAMES) samples.set(name, properties[name] !== undefined ? parts(properties[name]) : [atoms[1] ?? 1, 'x']);
    const full: Record<string, Json> = {};
    for (const name of Object.keys(properties)) full[name] = samples.get(name)![0] ?? null;
    out.push(full, {});
    for (const name of NAMES) {
      for (const value of samples.get(name)!) {
        out.push({ ...full, [name]: value });
        out.push({ [name]: value });
      }
    }
    out.push({ ...full, zz: 1 }, { ...full, x2: 'x' }, { a: 1, b: 'b', x1: null, x2: [] });
  }
  const arrayish = 'items' in s || 'prefixItems' in s || 'contains' in s || s['type'] === 'array' || 'unevaluatedItems' in s;
  if (arrayish) {
    const first = Array.isArray(s['prefixItems']) ? parts(s['prefixItems'][0]) : [];
    const rest = s['items'] !== undefined ? parts(s['items']) : s['contains'] !== undefined ? parts(s['contains']) : [1, 'a'];
    out.push([]);
    for (const a of [...first, ...rest].slice(0, 5)) {
      out.push([a], [a, a]);
      for (const b of rest.slice(0, 3)) out.push([a, b], [a, b, b]);
    }
  }
  return out;
}

/** Scalar samples that fit a leaf schema's own constraints, and a few that do not. */
function leafSamples(schema: unknown, atoms: Json[]): Json[] {
  if (typeof schema !== 'object' || schema === null) return [null, 'a'];
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s['enum'])) return s['enum'] as Json[];
  if ('const' in s) return [s['const'] as Json];
  return atoms.filter((_, i) => i % 3 === 0).slice(0, 8);
}

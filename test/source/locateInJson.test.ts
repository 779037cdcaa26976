import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { locateInJson, locateJson } from '../../platform/source/parseJson.js';

// Positions in valid JSON are read from the text by a scanner instead of jsonc-parser's syntax tree: it must
// answer as the tree does, for pointers that exist, that stop short, that go into scalars, and for duplicate keys.
const KEYS = ['a', 'b', 'é', 'x y', 'q"uote', 'back\\slash', '0', '1', ''];

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom(null, true, false, 0, -1.5e3, 'text', 'a"b', ''), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 4 }),
})).value;

/** Writes a value with random spacing; objects as lists of pairs, so that keys may repeat. */
function write(value: unknown, space: string): string {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string')) {
    return `{${space}${(value as [string, unknown][]).map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${write(v, space)}`).join(`,${space}`)}${space}}`;
  }
  if (Array.isArray(value)) return `[${space}${value.map((v) => write(v, space)).join(`,${space}`)}${space}]`;
  return JSON.stringify(value);
}

function pointersOf(text: string): string[][] {
  const out: string[][] = [[]];
  const walk = (value: unknown, path: string[]) => {
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      out.push([...path, k], [...path, k, 'missing'], [...path, '9']);
      walk(v, [...path, k]);
    }
  };
  walk(JSON.parse(text), []);
  return out;
}

describe('locateInJson', () => {
  it('answers as jsonc-parser\'s tree does', () => {
    fc.assert(
      fc.property(json, fc.constantFrom('', ' ', '\n  ', '\t'), (value, space) => {
        const text = `${space}${write(value, space)}${space}`;
        const tree = parseTree(text, [], { disallowComments: true })!;
        // One index for all the pointers of a text, as a document keeps it.
        const index = new Map();
        for (const segments of pointersOf(text)) {
          for (const part of ['key', 'value'] as const) expect(locateInJson(text, segments, part, index), `${text} ${JSON.stringify(segments)} ${part}`).toBe(locateJson(tree, segments, part));
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('finds the last of duplicate keys, as JSON.parse keeps it', () => {
    const text = '{"a": 1, "b": {"c": 2}, "a": [3, 4]}';
    expect(locateInJson(text, ['a'], 'key')).toBe(text.lastIndexOf('"a"'));
    expect(locateInJson(text, ['a', '1'], 'value')).toBe(text.indexOf('4'));
    expect(locateInJson(text, ['b', 'c', 'd'], 'value')).toBe(text.indexOf('"c"'));
  });
});

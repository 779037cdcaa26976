import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../platform/compat/diffContracts.js';
import { revision } from './support/cases.js';

/** Schemas built to make a prover work hard: the answer must come back, sound, without a hang or a crash. */
describe('hostile schemas', () => {
  it('nested alternatives beyond the split limit', () => {
    let schema: unknown = { type: 'string' };
    for (let i = 0; i < 12; i++) schema = { anyOf: [schema, { type: 'integer', minimum: i }, { type: 'array', items: schema }] };
    const changed = JSON.parse(JSON.stringify(schema).replace('"minimum":3', '"minimum":4')) as unknown;
    const result = diffContracts(revision('old', schema), revision('new', changed), { mode: 'full' });
    expect(result.compatible).toBe(false);
    expect(result.changes.some((c) => !c.backward)).toBe(true);
  });

  it('wide oneOf against wide oneOf', () => {
    const branches = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'object', properties: { kind: { const: `k${i}` }, v: { type: 'integer', maximum: i } }, required: ['kind'] }));
    const result = diffContracts(revision('old', { oneOf: branches(60) }), revision('new', { oneOf: branches(61) }), { mode: 'full' });
    expect(result.compatible).toBe(false);
    expect(result.changes.map((c) => [c.code, c.backward, c.forward])).toEqual([['ONE_OF_BRANCH_ADDED', true, false]]);
  });

  it('mutual recursion through many definitions', () => {
    const defs = (last: string) =>
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`d${i}`, { type: 'object', properties: { next: { $ref: `#/$defs/d${(i + 1) % 50}` }, v: { type: i === 49 ? last : 'string' } } }]));
    const result = diffContracts(revision('old', { $ref: '#/$defs/d0', $defs: defs('string') }), revision('new', { $ref: '#/$defs/d0', $defs: defs('integer') }), { mode: 'full' });
    expect(result.compatible).toBe(false);
    expect(result.changes.filter((c) => c.code.startsWith('TYPE_')).map((c) => c.pointer)).toContain('/$defs/d49/properties/v/type');
  });

  it('a step budget that runs out reports a break, never a pass', () => {
    const big = (n: number) => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, { anyOf: [{ type: 'integer', maximum: n }, { type: 'null' }] }])) });
    const result = diffContracts(revision('old', big(1)), revision('new', big(2)), { mode: 'full', maxSteps: 500 });
    expect(result.compatible).toBe(false);
    expect(result.changes.some((c) => c.code === 'TOO_COMPLEX')).toBe(true);
  });
});

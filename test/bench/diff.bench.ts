import { describe, expect, it } from 'vitest';
import { SchemaResolver } from '../../platform/contract/SchemaResolver.js';
import { diffContracts, type ContractRevision } from '../../platform/compat/diffContracts.js';

/**
 * `mesh diff` in process on two 500-property contracts with nested combinators (target: under 50 ms),
 * reported against JSON.parse of the same two files, measured in the same run.
 */
const PROPERTIES = 500;

function property(i: number, variant: number): unknown {
  switch (i % 5) {
    case 0:
      return { type: 'object', properties: { a: { type: 'string', maxLength: 10 + variant }, b: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] } }, required: ['a'], additionalProperties: false };
    case 1:
      return { oneOf: [
        { type: 'object', properties: { kind: { const: 'card' }, number: { type: 'string', pattern: '^[0-9]{16}$' } }, required: ['kind', 'number'] },
        { type: 'object', properties: { kind: { const: 'iban' }, iban: { type: 'string' } }, required: ['kind', 'iban'] },
      ] };
    case 2:
      return { type: 'array', items: { allOf: [{ type: 'object', properties: { sku: { type: 'string' } } }, { required: ['sku'] }] }, maxItems: 100 + variant };
    case 3:
      return { $ref: '#/$defs/money' };
    default:
      return { type: ['string', 'null'], enum: ['open', 'shipped', 'cancelled', null, ...(variant > 0 ? ['lost'] : [])] };
  }
}

function contract(changed: ReadonlySet<number>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < PROPERTIES; i++) properties[`p${i}`] = property(i, changed.has(i) ? 1 : 0);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    'x-version': changed.size > 0 ? '2.0.0' : '1.0.0',
    type: 'object',
    additionalProperties: false,
    properties,
    required: ['p0', 'p1'],
    $defs: { money: { type: 'number', multipleOf: 0.01, minimum: 0 } },
  };
}

function revision(side: string, text: string): ContractRevision {
  const schema: unknown = JSON.parse(text);
  const resolver = new SchemaResolver();
  const uri = `file:///${side}/contract.schema.json`;
  resolver.addDocument(uri, schema);
  return { schema, uri, resolver };
}

function best(runs: number, f: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    f();
    min = Math.min(min, performance.now() - start);
  }
  return min;
}

describe('mesh diff on two 500-property contracts', () => {
  const oldText = JSON.stringify(contract(new Set()));
  // Every tenth property changes: a bound, a branch's constraint, an enum value.
  const newText = JSON.stringify(contract(new Set(Array.from({ length: PROPERTIES / 10 }, (_, k) => k * 10 + (k % 5)))));
  const allText = JSON.stringify(contract(new Set(Array.from({ length: PROPERTIES }, (_, k) => k))));

  it('reports the figures and their ratio to JSON.parse of both files', () => {
    const parse = best(20, () => [JSON.parse(oldText), JSON.parse(newText)]);
    const some = best(40, () => diffContracts(revision('old', oldText), revision('new', newText), { mode: 'full' }));
    const every = best(20, () => diffContracts(revision('old', oldText), revision('new', allText), { mode: 'full' }));
    const result = diffContracts(revision('old', oldText), revision('new', newText), { mode: 'full' });
    expect(result.compatible).toBe(false);
    expect(result.changes.length).toBeGreaterThanOrEqual(30);
    console.log(
      `mesh diff in process, ${PROPERTIES} properties: 50 changed ${some.toFixed(1)} ms, all changed ${every.toFixed(1)} ms (target < 50 ms); JSON.parse of both ${parse.toFixed(2)} ms; ratios ${(some / parse).toFixed(0)}x and ${(every / parse).toFixed(0)}x`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { Contract } from '../../platform/contract/Contract.js';
import { compileKey } from '../../platform/contract/compileKey.js';
import { ORDERS_CONTRACT, validRepoFiles } from '../support/fixtureRepo.js';
import { validateFiles } from '../support/validateRepo.js';

type Schema = Record<string, any>;

function contract(file: string, schema: unknown): Contract {
  return { file, uri: `file:///repo/${file}`, schema } as Contract;
}

function variant(edit: (c: Schema) => void): Schema {
  const c = structuredClone(ORDERS_CONTRACT) as Schema;
  edit(c);
  return c;
}

describe('compileKey: contracts that compile alike', () => {
  const key = (schema: unknown, file = 'contracts/sales/a.schema.json') => compileKey(contract(file, schema));
  const base = key(ORDERS_CONTRACT);

  it('ignores the annotations Ajv never reads, at every level', () => {
    expect(key(variant((c) => { c.title = 'Other'; c.description = 'Reworded.'; c.properties.order_id.description = 'Reworded too.'; c.$comment = 'why'; }))).toBe(base);
    expect(key(ORDERS_CONTRACT, 'contracts/sales/b.schema.json')).toBe(base);
  });

  it('keeps what Ajv reads: the folder, mesh annotations, and properties named like annotations', () => {
    expect(key(ORDERS_CONTRACT, 'contracts/finance/a.schema.json')).not.toBe(base);
    expect(key(variant((c) => (c['x-version'] = '9.0.0')))).not.toBe(base);
    expect(key(variant((c) => (c.properties.order_id.maxLength = 7)))).not.toBe(base);
    expect(key(variant((c) => (c.properties.description = { type: 'string' })))).not.toBe(key(variant((c) => (c.properties.description = { type: 'number' }))));
    expect(key(variant((c) => (c.properties.order_id.examples = ['SO-000001'])))).toBe(base);
    expect(key(variant((c) => (c.properties.order_id.const = { description: 'a value, not an annotation' })))).not.toBe(key(variant((c) => (c.properties.order_id.const = {}))));
  });

  it('leaves the contract as it was read', () => {
    const schema = variant(() => undefined);
    key(schema);
    expect(schema).toEqual(ORDERS_CONTRACT);
  });
});

describe('mesh validate compiles each distinct contract once, and still reports every failure', () => {
  it('a contract that differs only in a property called "title" that Ajv refuses is reported, its twin is not', async () => {
    const files = validRepoFiles();
    // "if" without "then" or "else" passes the structural checks; Ajv's strict mode refuses it.
    const refused = variant((c) => (c.properties.title = { description: 'Title.', if: { type: 'string' } }));
    const accepted = variant((c) => {
      c.description = 'The same contract, reworded.';
      c.properties.title = { description: 'Title.', type: 'string' };
    });
    files['contracts/sales/accepted.schema.json'] = JSON.stringify(accepted, null, 2);
    files['contracts/sales/refused.schema.json'] = JSON.stringify(refused, null, 2);
    const problems = (await validateFiles(files)).filter((p) => p.code === 'CONTRACT_COMPILE_FAILED');
    expect(problems.map((p) => p.file)).toEqual(['contracts/sales/refused.schema.json']);
    expect(problems[0]!.message).toMatch(/"if" without "then" and "else"/);
  });
});

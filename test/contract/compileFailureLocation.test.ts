import { describe, expect, it } from 'vitest';
import { checkContracts } from '../../platform/contract/checkContracts.js';
import { contractsFromTexts } from '../../platform/contract/loadContracts.js';
import { ORDERS_CONTRACT, validRepoFiles } from '../support/fixtureRepo.js';
import { lineOf, validateFiles } from '../support/validateRepo.js';

type Schema = Record<string, any>;

/** The orders contract with one property replaced or added, pretty-printed as people write contracts. */
function withProperty(name: string, property: Schema, edit: (c: Schema) => void = () => undefined): string {
  const c = structuredClone(ORDERS_CONTRACT) as Schema;
  c.properties[name] = property;
  edit(c);
  return JSON.stringify(c, null, 2);
}

// Contracts that pass mesh's structural checks but that Ajv refuses to compile: the problem is reported at the
// keyword Ajv refuses, not at the top of the file. Each case: the contract text, the pointer, and the text on the
// problem's line (after the text before `…`, when there is one).
const CASES: [string, string, string, string][] = [
  ['"if" without "then" or "else"', withProperty('note', { description: 'N.', if: { type: 'string' } }), '/properties/note/if', '"if":'],
  ['"then" without "if"', withProperty('note', { description: 'N.', then: { type: 'string' } }), '/properties/note/then', '"then":'],
  ['"else" without "if"', withProperty('note', { description: 'N.', else: { type: 'string' } }), '/properties/note/else', '"else":'],
  ['"minContains" without "contains"', withProperty('tags', { description: 'T.', type: 'array', minContains: 1 }), '/properties/tags/minContains', '"minContains":'],
  ['"maxContains" without "contains"', withProperty('tags', { description: 'T.', type: 'array', maxContains: 2 }), '/properties/tags/maxContains', '"maxContains":'],
  ['an empty enum', withProperty('channel', { description: 'C.', type: 'string', enum: [] }), '/properties/channel/enum', '"enum": []'],
  [
    'a property that a pattern property matches',
    withProperty('zz_extra', { description: 'Z.', type: 'string' }, (c) => (c.patternProperties = { '^zz_': { type: 'string' } })),
    '/properties/zz_extra',
    '"zz_extra": {',
  ],
  [
    'an empty primary key name, nested',
    withProperty('lines', { description: 'L.', type: 'array', items: { type: 'object', 'x-primary-key': [''], properties: { '': { type: 'string', description: 'E.' } } } }),
    '/properties/lines/items/x-primary-key',
    '"lines": {…"x-primary-key": [',
  ],
];

describe('a contract Ajv refuses is reported where Ajv refuses it', () => {
  it.each(CASES)('%s', async (_name, text, pointer, needle) => {
    const files = validRepoFiles();
    files['contracts/sales/orders.schema.json'] = text;
    const problems = (await validateFiles(files)).filter((p) => p.severity === 'error' && p.file.startsWith('contracts/'));
    expect(problems.map(({ code, file, pointer: at }) => ({ code, file, pointer: at }))).toEqual([
      { code: 'CONTRACT_COMPILE_FAILED', file: 'contracts/sales/orders.schema.json', pointer },
    ]);
    const [anchor, after] = needle.includes('…') ? (needle.split('…') as [string, string]) : ['', needle];
    const index = text.indexOf(after, text.indexOf(anchor));
    expect(index).toBeGreaterThan(0);
    expect(problems[0]!.line).toBe(text.slice(0, index).split('\n').length);
    expect(problems[0]!.line).toBeGreaterThan(1);
    expect(problems[0]!.message).toMatch(/^Ajv cannot compile the contract: /);
  });

  it('names the first of two faults of the same kind, and Ajv still judges: the contract stays refused', () => {
    const text = withProperty('a', { description: 'A.', if: { type: 'string' } }, (c) => {
      c.properties.b = { description: 'B.', if: { type: 'number' } };
      c.properties.total = { description: 'Total.', type: 'number' };
    });
    const loaded = { ...contractsFromTexts('/tmp/mesh-locate', [{ file: 'contracts/x.schema.json', text }]), problems: [] };
    const problems = checkContracts(loaded, '/tmp/mesh-locate').problems.filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([['CONTRACT_COMPILE_FAILED', '/properties/a/if']]);
  });

  it('a failure whose fault lies in another contract stays at the top of the referring file', async () => {
    const files = validRepoFiles();
    files['contracts/sales/bad.schema.json'] = withProperty('x', { description: 'X.', enum: [] });
    files['contracts/sales/orders.schema.json'] = withProperty('ref', { description: 'R.', $ref: 'bad.schema.json#/properties/x' });
    const problems = (await validateFiles(files)).filter((p) => p.code === 'CONTRACT_COMPILE_FAILED');
    const byFile = Object.fromEntries(problems.map((p) => [p.file, [p.line, p.pointer]]));
    expect(byFile['contracts/sales/bad.schema.json']).toEqual([lineOf(files['contracts/sales/bad.schema.json'], '"enum": []'), '/properties/x/enum']);
    expect(byFile['contracts/sales/orders.schema.json']).toEqual([1, '']);
  });
});

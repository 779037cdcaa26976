import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANGE_CODE_INFO, ChangeCode } from '../../platform/compat/ChangeCode.js';
import { diffContracts } from '../../platform/compat/diffContracts.js';
import { loadCases, revision } from './support/cases.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('change codes', () => {
  it.each(Object.keys(ChangeCode))('%s is in the README with its example', (code) => {
    const info = CHANGE_CODE_INFO[code as ChangeCode];
    expect(readme).toContain(`| \`${code}\` | ${info.example} |`);
  });

  it('every code but TOO_COMPLEX is exercised by a table case', () => {
    const used = new Set(loadCases().flatMap(({ cases }) => cases.flatMap((c) => c.codes)));
    expect(Object.keys(ChangeCode).filter((code) => !used.has(code))).toEqual(['TOO_COMPLEX']);
  });

  it('reports TOO_COMPLEX, as a break, when a proof runs out of steps', () => {
    const schema = (n: number) => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, { anyOf: [{ type: 'integer', maximum: n }, { type: 'string' }] }])) });
    const result = diffContracts(revision('old', schema(10)), revision('new', schema(20)), { mode: 'full', maxSteps: 20 });
    expect(result.compatible).toBe(false);
    expect(result.changes.filter((c) => c.code === 'TOO_COMPLEX').map((c) => [c.backward, c.forward])).toEqual([[false, true], [true, false]]);
  });
});

import { it } from 'vitest';
import { diffContracts } from '../../platform/compat/diffContracts.js';
import { loadCases, revision } from './diffCases.test.js';

it('peek', () => {
  const wanted = (process.env['PEEK'] ?? '').split('|');
  for (const { cases } of loadCases()) for (const c of cases) {
    if (!wanted.includes(c.name)) continue;
    const r = diffContracts(revision('old', c.old, c.oldFiles), revision('new', c.new, c.newFiles), { mode: 'full', policy: c.policy ?? 'strict' });
    console.log(`== ${c.name}\n` + r.changes.map((x) => `  ${x.code} ${x.pointer} b=${x.backward} f=${x.forward} ${x.file ?? ''} :: ${x.message}`).join('\n'));
  }
});

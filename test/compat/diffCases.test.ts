import { describe, expect, it } from 'vitest';
import { ChangeCode } from '../../platform/compat/ChangeCode.js';
import { diffContracts } from '../../platform/compat/diffContracts.js';
import { loadCases, revision } from './support/cases.js';

/**
 * The compatibility table: every file in cases/ holds cases `{ name, old, new, policy?, backward, forward,
 * codes, oldFiles?, newFiles?, changes? }`. `backward`/`forward` are the expected verdicts of each
 * direction; `codes` the exact set of change codes reported; `changes` (optional) exact change records.
 */
const all = loadCases();

describe('compatibility cases', () => {
  it('has at least 150 cases, named uniquely, with known codes', () => {
    const names = all.flatMap(({ file, cases }) => cases.map((c) => `${file}: ${c.name}`));
    expect(names.length).toBeGreaterThanOrEqual(150);
    expect(new Set(names).size).toBe(names.length);
    for (const { cases } of all) for (const c of cases) for (const code of c.codes) expect(Object.values(ChangeCode)).toContain(code);
  });

  for (const { file, cases } of all) {
    describe(file, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        const oldRev = revision('old', c.old, c.oldFiles);
        const newRev = revision('new', c.new, c.newFiles);
        const options = { policy: c.policy ?? 'strict', fileName: (uri: string) => uri.replace('file:///old/contracts/', '') };
        const full = diffContracts(oldRev, newRev, { ...options, mode: 'full' });
        const verdicts = {
          backward: diffContracts(oldRev, newRev, { ...options, mode: 'backward' }).compatible,
          forward: diffContracts(oldRev, newRev, { ...options, mode: 'forward' }).compatible,
        };
        const shown = JSON.stringify(full.changes, null, 1);
        expect(verdicts, shown).toEqual({ backward: c.backward, forward: c.forward });
        expect(full.compatible).toBe(c.backward && c.forward);
        expect(diffContracts(oldRev, newRev, { ...options, mode: 'none' }).compatible).toBe(true);
        expect([...new Set(full.changes.map((ch) => ch.code))].sort(), shown).toEqual([...c.codes].sort());
        // A direction fails exactly when some change says it breaks.
        expect(full.changes.some((ch) => !ch.backward)).toBe(!c.backward);
        expect(full.changes.some((ch) => !ch.forward)).toBe(!c.forward);
        if (c.changes) {
          expect(full.changes.map(({ code, pointer, backward, forward, file: f }) => ({ code, pointer, backward, forward, ...(f ? { file: f } : {}) }))).toEqual(c.changes);
        }
      });
    });
  }
});

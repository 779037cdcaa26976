import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaResolver } from '../../platform/contract/SchemaResolver.js';
import { ChangeCode } from '../../platform/compat/ChangeCode.js';
import { diffContracts, type ContractRevision, type Policy } from '../../platform/compat/diffContracts.js';

/**
 * The compatibility table: every file in cases/ holds cases `{ name, old, new, policy?, backward, forward,
 * codes, oldFiles?, newFiles?, changes? }`. `backward`/`forward` are the expected verdicts of each
 * direction; `codes` the exact set of change codes reported; `changes` (optional) exact change records.
 */
interface Case {
  readonly name: string;
  readonly old: unknown;
  readonly new: unknown;
  readonly policy?: Policy;
  readonly backward: boolean;
  readonly forward: boolean;
  readonly codes: string[];
  readonly oldFiles?: Record<string, unknown>;
  readonly newFiles?: Record<string, unknown>;
  readonly changes?: { code: string; pointer: string; backward: boolean; forward: boolean; file?: string }[];
}

const dir = join(import.meta.dirname, 'cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

export function revision(side: 'old' | 'new', schema: unknown, extra: Record<string, unknown> = {}): ContractRevision {
  const base = `file:///${side}/contracts/`;
  const resolver = new SchemaResolver();
  for (const [path, document] of Object.entries(extra)) resolver.addDocument(new URL(path, base).href, document);
  const uri = base + 'contract.schema.json';
  resolver.addDocument(uri, schema);
  return { schema, uri, resolver };
}

export function loadCases(): { file: string; cases: Case[] }[] {
  return files.map((file) => ({ file, cases: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases: Case[] }).cases }));
}

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

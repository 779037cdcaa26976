import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaResolver } from '../../../platform/contract/SchemaResolver.js';
import type { ContractRevision, Policy } from '../../../platform/compat/diffContracts.js';

/** One row of the compatibility table in `test/compat/cases/*.json`. */
export interface Case {
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

const dir = join(import.meta.dirname, '..', 'cases');

export function loadCases(): { file: string; cases: Case[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, cases: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases: Case[] }).cases }));
}

/** A revision of a contract at `file:///<side>/contracts/contract.schema.json`, with extra files beside it. */
export function revision(side: 'old' | 'new', schema: unknown, extra: Record<string, unknown> = {}): ContractRevision {
  const base = `file:///${side}/contracts/`;
  const resolver = new SchemaResolver();
  for (const [path, document] of Object.entries(extra)) resolver.addDocument(new URL(path, base).href, document);
  const uri = base + 'contract.schema.json';
  resolver.addDocument(uri, schema);
  return { schema, uri, resolver };
}

import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { ORDERS_CONTRACT, validRepoFiles, writeTempRepo, type RepoFiles } from '../support/fixtureRepo.js';

const MANIFEST = 'products/sales/orders/product.yaml';
const CONTRACT = 'contracts/sales/orders.schema.json';

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [prev, next] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h'], ['h', 'i']]) {
    lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}

interface Case {
  readonly name: string;
  readonly files: (files: RepoFiles) => void;
  readonly file: string;
  readonly code: string;
  readonly line?: number;
}

// Hostile and broken files: each gives a located problem, never a crash, a hang or a stack trace, and the
// rest of the repository (the customers product) loses nothing.
const CASES: readonly Case[] = [
  { name: 'malformed YAML', files: (f) => (f[MANIFEST] = 'apiVersion: mesh/v1\nid: [unclosed\nname: x\n'), file: MANIFEST, code: 'YAML_SYNTAX', line: 3 },
  { name: 'tab indentation', files: (f) => (f[MANIFEST] = 'owner:\n\tteam: x\n'), file: MANIFEST, code: 'YAML_SYNTAX', line: 2 },
  { name: 'YAML alias bomb', files: (f) => (f[MANIFEST] = aliasBomb()), file: MANIFEST, code: 'YAML_ALIAS_LIMIT' },
  { name: 'two YAML documents', files: (f) => (f[MANIFEST] = 'id: a.b\n---\nid: c.d\n'), file: MANIFEST, code: 'YAML_SYNTAX', line: 2 },
  { name: 'duplicate YAML key', files: (f) => (f[MANIFEST] = 'id: a.b\nid: c.d\n'), file: MANIFEST, code: 'YAML_SYNTAX', line: 2 },
  { name: '__proto__ key in a manifest', files: (f) => (f[MANIFEST] = f[MANIFEST]! + '__proto__: { polluted: true }\n'), file: MANIFEST, code: 'UNSAFE_KEY', line: 35 },
  { name: 'deeply nested YAML', files: (f) => (f[MANIFEST] = 'tags: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n'), file: MANIFEST, code: 'DOCUMENT_TOO_DEEP' },
  { name: 'oversized manifest', files: (f) => (f[MANIFEST] = f[MANIFEST]! + `description: "${'x'.repeat(2 * 1024 * 1024)}"\n`), file: MANIFEST, code: 'FILE_TOO_LARGE', line: 1 },
  { name: 'binary garbage', files: (f) => (f[MANIFEST] = '\u0000\u0001\u0002\uFFFD\u0007garbage: [\u0000'), file: MANIFEST, code: 'YAML_SYNTAX' },
  { name: 'empty manifest', files: (f) => (f[MANIFEST] = ''), file: MANIFEST, code: 'MANIFEST_TYPE', line: 1 },
  { name: 'manifest is a list', files: (f) => (f[MANIFEST] = '- a\n- b\n'), file: MANIFEST, code: 'MANIFEST_TYPE', line: 1 },
  { name: 'YAML with an unknown tag', files: (f) => (f[MANIFEST] = 'id: !!js/function "function(){}"\n'), file: MANIFEST, code: 'YAML_SYNTAX', line: 1 },
  { name: 'deeply nested JSON contract', files: (f) => (f[CONTRACT] = '{"a":' + '['.repeat(100000) + ']'.repeat(100000) + '}'), file: CONTRACT, code: 'DOCUMENT_TOO_DEEP' },
  { name: 'oversized contract', files: (f) => (f[CONTRACT] = JSON.stringify({ ...ORDERS_CONTRACT, description: 'x'.repeat(9 * 1024 * 1024) })), file: CONTRACT, code: 'FILE_TOO_LARGE', line: 1 },
  { name: 'contract is an array', files: (f) => (f[CONTRACT] = '[]'), file: CONTRACT, code: 'CONTRACT_SCHEMA_INVALID', line: 1 },
  { name: 'contract truncated', files: (f) => (f[CONTRACT] = f[CONTRACT]!.slice(0, 200)), file: CONTRACT, code: 'JSON_SYNTAX' },
  { name: '__proto__ in a contract', files: (f) => (f[CONTRACT] = '{"type":"object","x-version":"1.0.0","__proto__":{"polluted":true}}'), file: CONTRACT, code: 'UNSAFE_KEY', line: 1 },
];

describe('hostile input', () => {
  it.each(CASES)('$name gives a located $code', async (c) => {
    const files = validRepoFiles();
    c.files(files);
    const repo = await writeTempRepo(files);
    try {
      const started = Date.now();
      const repository = await loadRepository(repo.root);
      const problem = repository.problems.find((p) => p.file === c.file && p.code === c.code);
      expect(problem, JSON.stringify(repository.problems.slice(0, 5), null, 2)).toBeDefined();
      expect(problem!.line).toBeGreaterThan(0);
      if (c.line !== undefined) expect(problem!.line).toBe(c.line);
      expect(problem!.message).not.toMatch(/\n\s+at /); // no stack trace
      // The rest of the repository is intact.
      expect(repository.products.has('sales.customers')).toBe(true);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      // Not a hang: generous, only to catch runaway work (the whole case takes milliseconds).
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await repo.cleanup();
    }
  });

  it('does not follow symbolic links out of the repository', async () => {
    const files = validRepoFiles();
    delete files[MANIFEST];
    const repo = await writeTempRepo(files);
    try {
      await symlink('/dev/zero', join(repo.root, 'products/sales/orders/product.yaml'));
      await symlink('/etc', join(repo.root, 'contracts/etc'));
      const repository = await loadRepository(repo.root);
      expect(repository.manifests.map((m) => m.file)).toEqual(['products/sales/customers/product.yaml']);
      expect(repository.contracts.all().map((c) => c.file).sort()).toEqual([
        'contracts/common/types.schema.json',
        'contracts/sales/customers.schema.json',
        CONTRACT,
      ]);
    } finally {
      await repo.cleanup();
    }
  });
});

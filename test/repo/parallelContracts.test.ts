import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepository } from '../support/generateRepository.js';
import { runBin } from '../support/runCli.js';

// Contracts that Ajv has to compile are compiled by worker threads beside the main thread when there are many
// (from the build only). The answer must be one thread's, problem for problem and in the same order, whichever
// thread reached which verdict: structural errors, lint warnings, compile failures that only Ajv finds, and a
// compile failure that depends on another contract's verdict (a $ref into a broken contract). One contract has
// an $id, so that no contract is proven to compile (CompileProof) and Ajv compiles them all.
const dist = (path: string) => new URL(`../../dist/platform/${path}`, import.meta.url).href;
const { ContractWorkers } = (await import(dist('contract/ContractWorkers.js'))) as typeof import('../../platform/contract/ContractWorkers.js');
const { ajvTasks, checkContracts, checkStructure, contractCompiler } = (await import(dist('contract/checkContracts.js'))) as typeof import('../../platform/contract/checkContracts.js');
const { loadContracts } = (await import(dist('contract/loadContracts.js'))) as typeof import('../../platform/contract/loadContracts.js');
const { listRepositoryFiles } = (await import(dist('repo/listRepositoryFiles.js'))) as typeof import('../../platform/repo/listRepositoryFiles.js');

const PRODUCTS = 200;
let root: string;

/** Rewrites the contract of product `i` (generation order) with `change` applied to its parsed schema. */
async function breakContract(ids: readonly string[], i: number, change: (schema: Record<string, any>) => void): Promise<string> {
  const [domain, name] = ids[i]!.split('.') as [string, string];
  const file = `contracts/${domain}/${name}.schema.json`;
  const schema = JSON.parse(await readFile(join(root, file), 'utf8')) as Record<string, any>;
  change(schema);
  await writeFile(join(root, file), JSON.stringify(schema, null, 2));
  return file;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mesh-parallel-'));
  const { ids } = await generateRepository(root, PRODUCTS);
  const broken = await breakContract(ids, 5, (s) => (s['properties']['quantity']['type'] = 'integr'));
  await breakContract(ids, 40, (s) => (s['properties']['country']['pattern'] = '([A-Z]'));
  await breakContract(ids, 77, (s) => (s['properties']['notes']['maxLenght'] = 10));
  await breakContract(ids, 120, (s) => (s['properties']['amount']['$ref'] = '../common/types.schema.json#/$defs/nope'));
  await breakContract(ids, 150, (s) => (s['properties']['status']['enum'] = []));
  await breakContract(ids, 170, (s) => (s['properties']['quantity'] = { $ref: `../../${broken}#/properties/quantity`, description: 'Units.' }));
  await breakContract(ids, 180, (s) => delete s['properties']['channel']['description']);
  await breakContract(ids, 188, (s) => (s['$defs'] = { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }));
  await breakContract(ids, 100, (s) => (s['$id'] = 'urn:example:contract-100'));
  const [domain, name] = ids[195]!.split('.') as [string, string];
  const manifest = join(root, 'products', domain, name, 'product.yaml');
  await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('layer:', 'layr:'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('contracts checked in worker threads', () => {
  it('mesh validate gives the same problems, in the same order, with 1, 2 and 3 threads', async () => {
    const runs = await Promise.all(['1', '2', '3'].map((threads) => runBin(['validate', root, '--format', 'json'], { cwd: root, env: { PATH: process.env['PATH'], MESH_THREADS: threads } })));
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(runs[1]!.stdout).toBe(runs[0]!.stdout);
    expect(runs[2]!.stdout).toBe(runs[0]!.stdout);
    const { problems } = JSON.parse(runs[0]!.stdout) as { problems: { code: string; severity: string }[] };
    const codes = new Set(problems.map((p) => p.code));
    for (const code of ['CONTRACT_SCHEMA_INVALID', 'CONTRACT_PATTERN_INVALID', 'CONTRACT_KEYWORD_UNKNOWN', 'CONTRACT_REF_UNRESOLVED', 'CONTRACT_COMPILE_FAILED', 'CONTRACT_REF_CYCLE', 'LINT_DESCRIPTION_MISSING', 'MANIFEST_FIELD_UNKNOWN']) {
      expect(codes, code).toContain(code);
    }
    // enum: [] passes the meta-schema and only Ajv refuses it; the $ref into a broken contract resolves, but
    // Ajv never holds the broken contract.
    expect(problems.filter((p) => p.code === 'CONTRACT_COMPILE_FAILED')).toHaveLength(2);
  });

  it('workers take part, and their verdicts are the main thread alone\'s', async () => {
    const files = await listRepositoryFiles(root);
    const loaded = await loadContracts(root, files.contracts);
    const serial = checkContracts(loaded, root);
    const structure = loaded.contracts.map((c) => checkStructure(c, loaded.resolver));
    const compiler = contractCompiler(loaded, root, structure);
    const tasks = ajvTasks(loaded, structure, compiler);
    expect(tasks.length).toBeGreaterThan(150);
    expect(ContractWorkers.available()).toBe(true);
    const workers = ContractWorkers.start(root, 2);
    await workers.ready();
    const broken = structure.flatMap((v, i) => (v.broken ? [i] : []));
    const compiled = await workers.compile(loaded, broken, tasks, compiler, {});
    expect(workers.workerTasks).toBeGreaterThan(0);
    const failed = [...compiled.keys()].sort((a, b) => a - b).map((i) => loaded.contracts[i]!.file);
    expect(failed).toEqual(serial.problems.filter((p) => p.code === 'CONTRACT_COMPILE_FAILED').map((p) => p.file));
    expect([...compiled.values()]).toEqual(serial.problems.filter((p) => p.code === 'CONTRACT_COMPILE_FAILED'));
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepository } from '../support/generateRepository.js';
import { runBin } from '../support/runCli.js';

// Large repositories are read by worker threads (from the build only). Their answer must be the serial one's,
// problem for problem, including problems that cross shares (a consumer in one share, its producer in another).
describe('loadRepository in worker threads', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-parallel-'));
    await generateRepository(root, 400);
    const broken = join(root, 'products/sales/product_00008/product.yaml');
    await writeFile(broken, 'apiVersion: mesh/v1\nid: [unclosed\n');
    await writeFile(join(root, 'contracts/marketing/product_00001.schema.json'), '{"type": "object", "x-version": "1.0.0", "properties": {"a": {"type": "strin"}}}');
    await writeFile(join(root, 'contracts/finance/product_00002.schema.json'), '{"type": "object", "x-version": "1.0.0", "properties": {"a": {"pattern": "(", "description": "x"}}}');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives the same problems with 1 and with 3 threads', async () => {
    const one = await runBin(['validate', root, '--format', 'json'], { cwd: root, env: { PATH: process.env['PATH'], MESH_THREADS: '1' } });
    const three = await runBin(['validate', root, '--format', 'json'], { cwd: root, env: { PATH: process.env['PATH'], MESH_THREADS: '3' } });
    expect(one.code).toBe(1);
    const serial = JSON.parse(one.stdout);
    expect(serial.problems.length).toBeGreaterThanOrEqual(4);
    expect(serial.problems.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['YAML_SYNTAX', 'CONTRACT_SCHEMA_INVALID', 'CONTRACT_PATTERN_INVALID', 'INPUT_PRODUCT_UNKNOWN']));
    expect(three.code).toBe(1);
    expect(JSON.parse(three.stdout)).toEqual(serial);
  });
});

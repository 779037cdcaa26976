import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validRepoFiles, writeTempRepo } from '../support/fixtureRepo.js';
import { runCli } from '../support/runCli.js';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('mesh types', () => {
  let repo: Awaited<ReturnType<typeof writeTempRepo>>;
  beforeAll(async () => {
    const files = validRepoFiles();
    // A consumer module that uses the generated types, so that the compile proves they are usable, not only valid.
    files['consumer/use.ts'] = `import type { salesOrders, salesCustomers } from '../types/index.js';
const order: salesOrders.Order = { order_id: 'SO-000001', customer_id: 'C-1', status: 'open', total: 1.5, updated_at: '2026-01-01T00:00:00Z' };
// @ts-expect-error status is a closed enum
const bad: salesOrders.Order = { ...order, status: 'lost' };
const customer: salesCustomers.Customer = { customer_id: 'C-1', email: 'a@example.com' };
export { order, bad, customer };
`;
    repo = await writeTempRepo(files);
  });
  afterAll(() => repo.cleanup());

  it('writes one module per contract and an index', async () => {
    const result = await runCli(['types', '--format', 'json'], { cwd: repo.root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.modules.map((m: { path: string }) => m.path)).toEqual(['common/types.ts', 'sales/customers.ts', 'sales/orders.ts', 'index.ts']);
    expect((await readdir(join(repo.root, 'types', 'sales'))).sort()).toEqual(['customers.ts', 'orders.ts']);
    const orders = await readFile(join(repo.root, 'types', 'sales', 'orders.ts'), 'utf8');
    expect(orders).toContain('export interface Order');
    expect(orders).toContain('status: "open" | "shipped" | "cancelled";');
  });

  it('the output compiles under tsc --strict', async () => {
    await runCli(['types'], { cwd: repo.root });
    const files = ['types/index.ts', 'consumer/use.ts'];
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [TSC, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--exactOptionalPropertyTypes', ...files],
      { cwd: repo.root },
    ).catch((error: { stdout: string; stderr: string }) => error);
    expect(stdout + stderr).toBe('');
  });
});

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRepo, writeTempRepo } from '../support/fixtureRepo.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { runBin, runCli } from '../support/runCli.js';
import { pipelineRepo } from '../pipeline/pipelineFixture.js';

const postgres = await postgresAvailable();

describe('mesh run', () => {
  let repo: { root: string; cleanup(): Promise<void> };
  let warehouseDir: string;
  beforeAll(async () => {
    repo = await writeTempRepo(pipelineRepo());
    warehouseDir = await mkdtemp(join(tmpdir(), 'mesh-warehouse-'));
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(warehouseDir, { recursive: true, force: true });
  });

  it.each([
    { args: ['run'], message: /name one product, or --all/ },
    { args: ['run', 'shop.orders', '--all'], message: /name one product, or --all/ },
    { args: ['run', 'shop.ordres'], message: /no product shop\.ordres in .* \(did you mean shop\.orders\?\)/ },
    { args: ['run', '--all', '--warehouse', 'mysql://x'], message: /the warehouse URL must start with postgres:\/\// },
    { args: ['run', '--all', '--format', 'markdown'], message: /--format must be one of text, json/ },
  ])('refuses $args with exit 2', async ({ args, message }) => {
    const result = await runCli(args, { cwd: repo.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses to run an invalid repository, listing its errors, and touches no warehouse', async () => {
    const broken = await writeTempRepo(pipelineRepo({ 'products/shop/orders/product.yaml': pipelineRepo()['products/shop/orders/product.yaml']!.replace('format: jsonl }', 'format: jsonl }\n      materialized: view') }));
    try {
      const text = await runCli(['run', '--all'], { cwd: broken.root });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('products/shop/orders/product.yaml:');
      expect(text.stdout).toContain('PIPELINE_STEP_INVALID');
      expect(text.stdout).toContain('the repository has 1 error; nothing was run (see mesh validate)');
      const json = await runCli(['run', '--all', '--format', 'json'], { cwd: broken.root });
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'invalid', problems: [{ code: 'PIPELINE_STEP_INVALID', line: expect.any(Number) }] });
      expect(existsSync(join(broken.root, '.mesh'))).toBe(false);
    } finally {
      await broken.cleanup();
    }
  });

  it('runs the whole mesh into an embedded warehouse on disk, twice, and reports it in text and JSON', async () => {
    const events = join(warehouseDir, 'events.jsonl');
    const lineageEnv = { OPENLINEAGE__TRANSPORT__TYPE: 'file', OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: events };
    const first = await runCli(['run', '--all', '--warehouse-dir', warehouseDir], { cwd: repo.root, env: lineageEnv });
    expect(first.stderr).toBe('');
    // START then COMPLETE for each product (job <id>) and each step (job <id>.step.<port>, child of its product run).
    const emitted = (await readFile(events, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(emitted).toHaveLength(24);
    const revenue = emitted.filter((e) => e.job.name === 'shop.revenue.step.revenue');
    expect(revenue.map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
    const product = emitted.find((e) => e.job.name === 'shop.revenue' && e.eventType === 'START');
    expect(revenue[1].run.facets.parent.run.runId).toBe(product.run.runId);
    expect(revenue[1].inputs.map((d: { name: string }) => d.name).sort()).toEqual(['bronze.shop_customers', 'bronze.shop_orders']);
    const output = revenue[1].outputs[0];
    expect(output).toMatchObject({ namespace: 'postgres://warehouse', name: 'gold.shop_revenue', outputFacets: { outputStatistics: { rowCount: 2 } } });
    expect(Object.keys(output.facets.columnLineage.fields).length).toBeGreaterThan(0);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/✓ shop\.revenue/);
    expect(first.stdout).toMatch(/revenue -> gold\.shop_revenue \(sql-table\) completed: 2 in, 2 out, 0 rejected/);
    expect(first.stdout).toMatch(/6 products \(6 completed\), 6 ports: \d+ rows in, \d+ out, 0 rejected; .* on pglite:\/\//);
    const second = await runCli(['run', '--all', '--warehouse-dir', warehouseDir, '--format', 'json'], { cwd: repo.root });
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ status: 'completed', totals: { products: 6, completed: 6, failed: 0, ports: 6, rejected: 0 } });
    expect(summary.products.find((p: { product: string }) => p.product === 'shop.orders').steps[0]).toMatchObject({ rowsIn: 4, rowsOut: 4, published: 'refilled' });
  });

  it('exits 1 and says why when a run fails, and the product can be run alone', async () => {
    await writeRepo(repo.root, { 'products/shop/customers/customers.csv': 'customer_id;email;country;signed_up\nC1;a@x.org;Germany;2026-01-05T10:00:00Z\n' });
    const events = join(warehouseDir, 'failed-events.jsonl');
    const failed = await runCli(['run', 'shop.customers', '--warehouse-dir', warehouseDir], { cwd: repo.root, env: { OPENLINEAGE__TRANSPORT__TYPE: 'file', OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: events } });
    expect(failed.code).toBe(1);
    // The FAIL events name the reason.
    const fails = (await readFile(events, 'utf8')).trim().split('\n').map((line) => JSON.parse(line)).filter((e) => e.eventType === 'FAIL');
    expect(fails.map((e) => e.job.name).sort()).toEqual(['shop.customers', 'shop.customers.step.customers']);
    for (const e of fails) expect(e.run.facets.errorMessage.message).toContain('1 of 1 record (100%) rejected');
    expect(failed.stdout).toContain('✗ shop.customers');
    expect(failed.stdout).toContain('1 of 1 record (100%) rejected, and without a completeness SLA none may be');
    expect(failed.stdout).toContain('the published bronze.shop_customers is unchanged (3 rows)');
    expect(failed.stdout).toContain('1 rejected record is in bronze.shop_customers__rejected');
    await writeRepo(repo.root, pipelineRepo());
  });

  it('builds the dist binary that users run', async () => {
    const result = await runBin(['run', 'shop.orders', '--warehouse-dir', warehouseDir, '--format', 'json'], { cwd: repo.root, env: { PATH: process.env['PATH'], OPENLINEAGE_DISABLED: 'true' } });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'completed', products: [{ product: 'shop.orders', status: 'completed' }] });
  });

  describe.skipIf(!postgres)('on a PostgreSQL warehouse', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase('mesh_cli_run');
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('takes --warehouse, or MESH_WAREHOUSE_URL, and does not print the password', async () => {
      const flag = await runCli(['run', '--all', '--warehouse', database.url], { cwd: repo.root });
      expect(flag.code).toBe(0);
      const env = await runCli(['run', 'shop.revenue', '--format', 'json'], { cwd: repo.root, env: { MESH_WAREHOUSE_URL: database.url } });
      expect(env.code).toBe(0);
      const summary = JSON.parse(env.stdout);
      expect(summary.warehouse).toMatch(/^postgres:\/\/127\.0\.0\.1:5432\/mesh_cli_run_/);
      expect(summary.products[0].steps[0]).toMatchObject({ table: 'gold.shop_revenue', rowsOut: 2 });
    });
  });
});

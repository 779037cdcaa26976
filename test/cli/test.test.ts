import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../platform/cli/main.js';
import { createTestCommand } from '../../platform/cli/commands/test.js';
import { createPgliteClient } from '../../platform/db/createPgliteClient.js';
import { writeTempRepo } from '../support/fixtureRepo.js';
import { cleanOrder, CUSTOMER_IDS, ORDER_FIELDS, plantedOrders, qualityRepoFiles } from '../support/qualityRepo.js';
import { runCli } from '../support/runCli.js';
import { CatalogServer } from '../../catalog/server/CatalogServer.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';

/** Clean orders dated now, so that the freshness SLA holds whenever the test runs. */
function freshOrders(n: number): Record<string, unknown>[] {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_v, i) => ({ ...cleanOrder(i + 1), updated_at: now }));
}

describe('mesh test', () => {
  let repo: Awaited<ReturnType<typeof writeTempRepo>>;
  beforeAll(async () => {
    repo = await writeTempRepo(qualityRepoFiles());
    await writeFile(join(repo.root, 'planted.jsonl'), plantedOrders().map((p) => JSON.stringify(p.record)).join('\n'));
    await writeFile(join(repo.root, 'fresh.jsonl'), freshOrders(30).map((r) => JSON.stringify(r)).join('\n'));
    const warehouse = await createPgliteClient(join(repo.root, 'warehouse'));
    await warehouse.exec(`create schema gold; create schema silver;
      create table silver.shop_customers (customer_id text primary key, name text);
      create table gold.shop_orders (order_id text, customer_id text, status text, total numeric, quantity numeric, currency text,
        customer_email text, ordered_at timestamptz, updated_at timestamptz, country text, discount numeric, gift boolean);`);
    await warehouse.query('insert into silver.shop_customers select * from json_populate_recordset(null::silver.shop_customers, $1::json)', [JSON.stringify(CUSTOMER_IDS.map((id) => ({ customer_id: id, name: id })))]);
    await warehouse.query('insert into gold.shop_orders select * from json_populate_recordset(null::gold.shop_orders, $1::json)', [JSON.stringify(plantedOrders().map((p) => p.record))]);
    await warehouse.close();
  });
  afterAll(() => repo.cleanup());

  it('prints the report as JSON and exits 1 when checks fail, with dead letters beside the file', async () => {
    const result = await runCli(['test', 'shop.orders', '--file', 'planted.jsonl', '--format', 'json'], { cwd: repo.root, env: { OPENLINEAGE_DISABLED: 'true' } });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ product: 'shop.orders', port: 'orders', records: 22, valid: 16, invalid: 6, score: { score: expect.any(Number), grade: expect.any(String) } });
    expect(report.score.dimensions.map((d: { name: string }) => d.name)).toEqual(['validity', 'completeness', 'uniqueness', 'freshness', 'checks', 'documentation']);
    for (const check of report.checks) expect(check).toMatchObject({ name: expect.any(String), passed: expect.any(Boolean) });
    const letters = (await readFile(join(repo.root, 'planted.jsonl.rejected.jsonl'), 'utf8')).trim().split('\n');
    expect(letters).toHaveLength(6);
    expect(result.stderr).toBe(''); // not a terminal: no progress bar
  });

  it('exits 0 on clean, fresh data', async () => {
    const result = await runCli(['test', 'shop.orders', '--file', 'fresh.jsonl'], { cwd: repo.root });
    expect(result.stdout).toMatch(/^shop\.orders\.orders {2}fresh\.jsonl {2}30 records, 0 invalid {2}score \d+(\.\d)? \([AB]\) {2}PASS$/m);
    expect(result.stdout).toContain('1 port tested: 1 passed, 0 failed');
    expect(result.code).toBe(0);
  });

  it('reads CSV with the options of the port\'s file load', async () => {
    const csv = [ORDER_FIELDS.join(';'), ...freshOrders(3).map((r) => ORDER_FIELDS.map((f) => (r[f] === null ? 'NULL' : String(r[f]))).join(';'))].join('\n');
    const files = qualityRepoFiles();
    files['products/shop/orders/product.yaml'] += 'pipeline:\n  steps:\n    - port: orders\n      load: { file: orders.csv, format: csv, delimiter: ";", nullValue: "NULL" }\n';
    const other = await writeTempRepo(files);
    try {
      await writeFile(join(other.root, 'products/shop/orders/orders.csv'), csv);
      const result = await runCli(['test', 'shop.orders', '--file', 'products/shop/orders/orders.csv', '--format', 'json'], { cwd: other.root });
      expect(JSON.parse(result.stdout)).toMatchObject({ records: 3, invalid: 0 });
      expect(result.code).toBe(0);
    } finally {
      await other.cleanup();
    }
  });

  it('tests every port of every product in the warehouse with --all', async () => {
    const result = await runCli(['test', '--all', '--warehouse-dir', 'warehouse', '--format', 'json'], { cwd: repo.root });
    const reports = JSON.parse(result.stdout);
    expect(reports.map((r: { product: string; records: number; invalid: number }) => [r.product, r.records, r.invalid])).toEqual([
      ['shop.customers', 5, 0],
      ['shop.orders', 22, 6],
    ]);
    expect(result.code).toBe(1);
  });

  it('reports a port without a table and exits 2, testing the others', async () => {
    const result = await runCli(['test', '--all', '--warehouse-dir', 'empty-warehouse', '--format', 'json'], { cwd: repo.root });
    expect(JSON.parse(result.stdout)).toEqual([
      { product: 'shop.customers', port: 'customers', error: expect.stringContaining('silver.shop_customers does not exist') },
      { product: 'shop.orders', port: 'orders', error: expect.stringContaining('gold.shop_orders does not exist') },
    ]);
    expect(result.code).toBe(2);
  });

  it.each([
    [['test'], /name one product, or --all/],
    [['test', 'shop.orders', '--all'], /name one product, or --all/],
    [['test', '--all', '--file', 'x.jsonl'], /--file tests one port/],
    [['test', 'shop.nope'], /no product shop.nope/],
    [['test', 'shop.orders', '--port', 'nope'], /no port nope/],
    [['test', 'shop.orders', '--file', 'planted.txt'], /cannot tell the format/],
    [['test', 'shop.orders', '--file', 'missing.jsonl'], /cannot read .*missing\.jsonl/],
  ])('exits 2 on %j', async (argv, message) => {
    const result = await runCli(argv, { cwd: repo.root });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
  });

  it('draws a progress bar on a terminal only, and calls its hooks for every port', async () => {
    let stderr = '';
    const seen: string[] = [];
    const command = createTestCommand(() => ({
      onStart: (t) => void seen.push(`start ${t.product}.${t.port} ${t.source}`),
      onResult: (t, r) => void seen.push(`result ${t.product}.${t.port} ${r.records}`),
      close: () => void seen.push('close'),
    }));
    const code = await main(
      ['test', 'shop.orders', '--file', 'planted.jsonl'],
      { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t), isTTY: true }, cwd: repo.root, env: {} },
      [command],
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/\r\u001b\[2Kshop\.orders\.orders read \[#+\] 100% /);
    expect(stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(seen).toEqual(['start shop.orders.orders planted.jsonl', 'result shop.orders.orders 22', 'close']);
  });

  it('emits a test run with quality facets, and records the results in the catalog it is given', async () => {
    const store = await openCatalogStore({ kind: 'pglite', dataDir: undefined });
    const server = new CatalogServer({ store, tokenCacheMs: 0 });
    const { url } = await server.listen(0, '127.0.0.1');
    try {
      const { token } = await store.createToken('shop', { kind: 'direct', name: 'tester' });
      await store.publish(buildPublishBundle(await loadRepository(repo.root)), { kind: 'direct', name: 'tester' });
      const events = join(repo.root, 'test-events.jsonl');
      const result = await runCli(['test', 'shop.orders', '--file', 'planted.jsonl', '--catalog', url, '--format', 'json'], {
        cwd: repo.root,
        env: { MESH_TOKEN: token, OPENLINEAGE__TRANSPORT__TYPE: 'file', OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: events },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(1);
      const emitted = (await readFile(events, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
      expect(emitted.map((e) => `${e.eventType} ${e.job.name}`)).toEqual(['START shop.orders.test', 'COMPLETE shop.orders.test']);
      const input = emitted[1].inputs[0];
      expect(input.inputFacets.dataQualityMetrics).toMatchObject({ rowCount: 22, columnMetrics: { order_id: { nullCount: expect.any(Number) } } });
      expect(input.inputFacets.dataQualityAssertions.assertions).toContainEqual(expect.objectContaining({ assertion: 'schema', success: false, actual: '6' }));
      const { rows } = await store.sql.query<{ run_id: string; records: number; invalid: number; grade: string }>('select run_id, records, invalid, grade from quality_results where product_id = $1', ['shop.orders']);
      expect(rows).toEqual([{ run_id: emitted[0].run.runId, records: 22, invalid: 6, grade: JSON.parse(result.stdout).score.grade }]);
      const sla = await store.sql.query<{ completeness: string }>('select completeness from sla_status where product_id = $1', ['shop.orders']);
      expect(sla.rows).toHaveLength(1);
      // A catalog without a token is a usage error, before anything is read.
      const refused = await runCli(['test', 'shop.orders', '--file', 'planted.jsonl', '--catalog', url], { cwd: repo.root });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('needs a token');
      // Another team's token: every port is tested and reported, nothing is sent for products the team does not own.
      const other = await store.createToken('growth', { kind: 'direct', name: 'tester' });
      const before = (await store.counts()).audit;
      const all = await runCli(['test', '--all', '--warehouse-dir', 'warehouse', '--catalog', url, '--token', other.token, '--format', 'json'], { cwd: repo.root, env: { OPENLINEAGE_DISABLED: 'true' } });
      expect(all.code).toBe(1);
      expect((JSON.parse(all.stdout) as unknown[]).length).toBe(2);
      expect(all.stderr).toBe('mesh test: results not recorded in the catalog for products the token\'s team growth does not own: shop (shop.customers, shop.orders); record them with their team\'s token\n');
      expect((await store.counts()).audit).toBe(before);
    } finally {
      await server.close();
      await store.close();
    }
  });
});

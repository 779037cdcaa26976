import pg from 'pg';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { writeRepo, writeTempRepo } from '../support/fixtureRepo.js';
import { ACCOUNT_EVENTS_CSV, ORDERS_JSONL, pipelineRepo } from './pipelineFixture.js';
import { checksum, constraintsOf, resetWarehouse, rowsOf, runMesh, stepOf } from './pipelineSupport.js';
import { assessPort } from '../../platform/quality/assessPort.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { openTestWarehouses } from '../support/testWarehouses.js';

const warehouses = await openTestWarehouses('run');

const PORT_TABLES = ['bronze.shop_customers', 'bronze.shop_orders', 'silver.shop_accounts', 'gold.shop_revenue', 'gold.shop_open_orders', 'silver.shop_order_history'];

describe.each(warehouses.cases)('mesh run on $name', ({ name, enabled, get, url }) => {
  let client: SqlClient;
  let repo: { root: string; cleanup(): Promise<void> };
  beforeAll(async () => {
    if (enabled) client = await get();
  });
  beforeEach(async () => {
    if (!enabled) return;
    await resetWarehouse(client);
    repo = await writeTempRepo(pipelineRepo());
  });
  afterEach(async () => {
    await repo?.cleanup();
  });

  it.skipIf(!enabled)('builds every kind of step, producers before consumers', async () => {
    const summary = await runMesh(repo.root, client);
    expect(summary.status).toBe('completed');
    expect(summary.products.map((p) => p.product)).toEqual(['shop.accounts', 'shop.customers', 'shop.orders', 'shop.open_orders', 'shop.order_history', 'shop.revenue']);
    expect(await rowsOf(client, 'bronze.shop_customers')).toEqual([
      { customer_id: 'C1', email: 'ann@example.com', country: 'DE', signed_up: '2026-01-05T10:00:00.000Z' },
      { customer_id: 'C2', email: 'bob@example.com', country: 'FR', signed_up: '2026-01-06T11:30:00.000Z' },
      { customer_id: 'C3', email: null, country: 'DE', signed_up: '2026-02-01T09:00:00.000Z' },
    ]);
    expect(await rowsOf(client, 'silver.shop_accounts')).toEqual([
      { account_id: 'A1', owner: 'ann', balance: 150 },
      { account_id: 'A3', owner: 'cy', balance: 12 },
    ]);
    expect(await rowsOf(client, 'gold.shop_revenue')).toEqual([
      { country: 'DE', orders: 2, revenue: '30.5' },
      { country: 'FR', orders: 1, revenue: '7.25' },
    ]);
    expect(await rowsOf(client, 'gold.shop_open_orders')).toEqual([
      { order_id: 'O1', total: '10.5' },
      { order_id: 'O3', total: '7.25' },
    ]);
    expect((await rowsOf(client, 'silver.shop_order_history')).map((r) => r['order_id'])).toEqual(['O1', 'O2', 'O3', 'O4']);
    expect((await client.query(`select relkind::text as k from pg_class where oid = 'gold.shop_open_orders'::regclass`)).rows).toEqual([{ k: 'v' }]);
    expect(stepOf(summary, 'shop.accounts')).toMatchObject({ kind: 'cdc', rowsIn: 6, rowsOut: 2, rejected: 0, attempts: 1, published: 'created' });
    expect(stepOf(summary, 'shop.revenue')).toMatchObject({ kind: 'sql-table', rowsIn: 2, rowsOut: 2 });
    expect(summary.totals).toMatchObject({ products: 6, completed: 6, failed: 0, skipped: 0, ports: 6 });
    // The warehouse documents itself from the contracts.
    const comment = await client.query<{ c: string }>(`select col_description('bronze.shop_orders'::regclass, 3) as c`);
    expect(comment.rows[0]!.c).toBe('Order total.');
  });

  it.skipIf(!enabled)('gives identical tables, without duplicates, when the whole mesh runs twice', async () => {
    expect((await runMesh(repo.root, client)).status).toBe('completed');
    const first = await Promise.all(PORT_TABLES.map((t) => checksum(client, t)));
    const second = await runMesh(repo.root, client);
    expect(second.status).toBe('completed');
    expect(await Promise.all(PORT_TABLES.map((t) => checksum(client, t)))).toEqual(first);
    // Views depending on bronze.shop_orders pin it: the second run refilled it in place instead of swapping.
    expect(stepOf(second, 'shop.orders').published).toBe('refilled');
    expect(stepOf(second, 'shop.customers').published).toBe('swapped');
    for (const [table, key] of [['bronze.shop_orders', 'order_id'], ['silver.shop_accounts', 'account_id'], ['silver.shop_order_history', 'order_id']] as const) {
      const dup = await client.query(`select ${key} from ${table} group by ${key} having count(*) > 1`);
      expect(dup.rows, table).toEqual([]);
    }
  });

  it.skipIf(!enabled)('publishes tables that enforce their contract, the same after every run, which mesh test then trusts', async () => {
    const summary = await runMesh(repo.root, client);
    const orders = stepOf(summary, 'shop.orders').enforces!;
    expect(orders).toEqual({
      check: expect.stringMatching(/^mesh_contract_[0-9a-f]{24}$/),
      notNull: ['order_id', 'customer_id', 'total', 'status', 'updated_at'],
      keys: [{ fields: ['order_id'], primary: true, constraint: 'shop_orders_pkey' }],
      skipped: [],
    });
    expect(await constraintsOf(client, 'bronze.shop_orders')).toEqual({
      constraints: [`${orders.check} c validated`, 'shop_orders_pkey p validated'].sort(),
      notNull: ['customer_id', 'order_id', 'status', 'total', 'updated_at'],
    });
    // Every table step's table enforces its contract; a view cannot.
    expect(stepOf(summary, 'shop.customers').enforces).toMatchObject({ check: expect.stringMatching(/^mesh_contract_/), keys: [{ constraint: 'shop_customers_pkey' }] });
    expect(stepOf(summary, 'shop.accounts').enforces).toMatchObject({ keys: [{ constraint: 'shop_accounts_pkey' }], skipped: [] });
    expect(stepOf(summary, 'shop.order_history').enforces).toMatchObject({ keys: [{ constraint: 'shop_order_history_pkey' }], skipped: [] });
    expect(stepOf(summary, 'shop.open_orders').enforces).toBeUndefined();
    const before = await Promise.all(PORT_TABLES.map((t) => constraintsOf(client, t)));

    // Run again: swapped, refilled in place (views pin bronze.shop_orders), merged, applied; the same constraints.
    const again = await runMesh(repo.root, client);
    expect(stepOf(again, 'shop.orders')).toMatchObject({ published: 'refilled', enforces: orders });
    expect(await Promise.all(PORT_TABLES.map((t) => constraintsOf(client, t)))).toEqual(before);

    // mesh test evaluates nothing the table enforces, and the table refuses what its contract forbids.
    const repository = await loadRepository(repo.root);
    const report = await assessPort({ repository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client, table: { schema: 'bronze', name: 'shop_orders' } }, deadLetter: false });
    expect(report.method).toMatchObject({ provedBy: orders.check, streamed: 0 });
    expect(report.keys[0]).toMatchObject({ enforced: true, duplicates: 0 });
    await expect(client.query("insert into bronze.shop_orders (order_id, customer_id, total, status, updated_at) values ('O9', 'C1', -1, 'open', now())")).rejects.toThrow(/mesh_contract_/);
  });

  it.skipIf(!enabled)('publishes what the audit accepts even when the table cannot enforce it: a number beyond what SQL proves, duplicate keys', async () => {
    // 1e301 is a valid total to Ajv, beyond the magnitudes SQL decides; O1 comes twice (a bronze port may publish that).
    const lines = [...ORDERS_JSONL.split('\n'), '{"order_id": "O5", "customer_id": "C2", "total": 1e301, "status": "open", "updated_at": "2026-03-05T00:00:00Z"}', ORDERS_JSONL.split('\n')[0]!];
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': lines.join('\n') });
    const step = stepOf(await runMesh(repo.root, client, ['shop.orders']), 'shop.orders');
    expect(step).toMatchObject({ status: 'completed', rejected: 0, rowsOut: 6 });
    expect(step.enforces).toMatchObject({ check: null, notNull: ['order_id', 'customer_id', 'total', 'status', 'updated_at'], keys: [] });
    expect(step.enforces!.skipped).toEqual([expect.stringMatching(/^check mesh_contract_\w+: .*violated/), 'primary key (order_id): 1 duplicate key']);
    expect((await constraintsOf(client, 'bronze.shop_orders')).constraints).toEqual([]);
  });

  it.skipIf(!enabled)('holds a table refilled in place to the new contract, not the old one', async () => {
    await runMesh(repo.root, client);
    const old = stepOf(await runMesh(repo.root, client, ['shop.orders']), 'shop.orders').enforces!.check;
    // The new contract lets totals be negative, and the new file has one: the old CHECK would refuse it.
    const contract = JSON.parse(pipelineRepo()['contracts/shop/orders.schema.json']!) as { properties: { total: { minimum?: number } } };
    delete contract.properties.total.minimum;
    await writeRepo(repo.root, {
      'contracts/shop/orders.schema.json': JSON.stringify(contract),
      'products/shop/orders/orders.jsonl': [...ORDERS_JSONL.split('\n'), '{"order_id": "O5", "customer_id": "C2", "total": -3, "status": "open", "updated_at": "2026-03-05T00:00:00Z"}'].join('\n'),
    });
    const step = stepOf(await runMesh(repo.root, client, ['shop.orders']), 'shop.orders');
    expect(step).toMatchObject({ status: 'completed', published: 'refilled', rowsOut: 5, enforces: { check: expect.stringMatching(/^mesh_contract_/), skipped: [] } });
    expect(step.enforces!.check).not.toBe(old);
    expect((await constraintsOf(client, 'bronze.shop_orders')).constraints).toEqual([`${step.enforces!.check} c validated`, 'shop_orders_pkey p validated'].sort());
  });

  it.skipIf(!enabled)('processes only rows above the watermark in an incremental table, merging on the unique key', async () => {
    await runMesh(repo.root, client);
    const lines = ORDERS_JSONL.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    lines[0]!['total'] = 999; // changed without moving its watermark: not processed again
    lines[1]!['status'] = 'cancelled'; // changed with a later watermark: merged on order_id
    lines[1]!['updated_at'] = '2026-03-10T00:00:00Z';
    lines.push({ order_id: 'O5', customer_id: 'C2', total: 5, status: 'open', updated_at: '2026-03-11T00:00:00Z' });
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': lines.map((l) => JSON.stringify(l)).join('\n') });
    const summary = await runMesh(repo.root, client);
    expect(stepOf(summary, 'shop.order_history')).toMatchObject({ rowsIn: 2, rowsOut: 5 });
    expect(await rowsOf(client, 'silver.shop_order_history')).toEqual([
      { order_id: 'O1', status: 'open', total: '10.5', updated_at: '2026-03-01T10:00:00.000Z' },
      { order_id: 'O2', status: 'cancelled', total: '20', updated_at: '2026-03-10T00:00:00.000Z' },
      { order_id: 'O3', status: 'open', total: '7.25', updated_at: '2026-03-03T10:00:00.000Z' },
      { order_id: 'O4', status: 'cancelled', total: '100', updated_at: '2026-03-04T10:00:00.000Z' },
      { order_id: 'O5', status: 'open', total: '5', updated_at: '2026-03-11T00:00:00.000Z' },
    ]);
    // Again: nothing above the watermark, nothing changes.
    const before = await checksum(client, 'silver.shop_order_history');
    expect(stepOf(await runMesh(repo.root, client), 'shop.order_history')).toMatchObject({ rowsIn: 0, rowsOut: 5 });
    expect(await checksum(client, 'silver.shop_order_history')).toEqual(before);
    // A full refresh rebuilds it from the source as it is now (O1's new total included).
    const refreshed = await runMesh(repo.root, client, ['shop.order_history'], { fullRefresh: true });
    expect(stepOf(refreshed, 'shop.order_history')).toMatchObject({ rowsIn: 5, rowsOut: 5 });
    expect((await rowsOf(client, 'silver.shop_order_history'))[0]).toMatchObject({ order_id: 'O1', total: '999' });
  });

  it.skipIf(!enabled)('applies change events by key in sequence order: late stale events are ignored, deletes stick, replays change nothing', async () => {
    await runMesh(repo.root, client, ['shop.accounts']);
    // A new batch: A2 comes back (after its delete), a stale update of A1 (older lsn) is ignored, A3 is deleted,
    // and two events of A4 with the same lsn: the later one in the file wins.
    await writeRepo(repo.root, { 'products/shop/accounts/events.csv': 'op,lsn,account_id,owner,balance\nc,7,A2,bob,70\nu,2,A1,ann,1\nd,8,A3,,\nc,9,A4,dee,1\nu,9,A4,dee,2\n' });
    const summary = await runMesh(repo.root, client, ['shop.accounts']);
    expect(stepOf(summary, 'shop.accounts')).toMatchObject({ status: 'completed', rowsIn: 5, rowsOut: 3 });
    const after = [
      { account_id: 'A1', owner: 'ann', balance: 150 },
      { account_id: 'A2', owner: 'bob', balance: 70 },
      { account_id: 'A4', owner: 'dee', balance: 2 },
    ];
    expect(await rowsOf(client, 'silver.shop_accounts')).toEqual(after);
    // The first batch again: every event is older than what was applied; A3 stays deleted.
    await writeRepo(repo.root, { 'products/shop/accounts/events.csv': ACCOUNT_EVENTS_CSV });
    await runMesh(repo.root, client, ['shop.accounts']);
    expect(await rowsOf(client, 'silver.shop_accounts')).toEqual(after);
    // A full refresh applies the file alone, from scratch.
    await runMesh(repo.root, client, ['shop.accounts'], { fullRefresh: true });
    expect(await rowsOf(client, 'silver.shop_accounts')).toEqual([
      { account_id: 'A1', owner: 'ann', balance: 150 },
      { account_id: 'A3', owner: 'cy', balance: 12 },
    ]);
  });

  // Regression: a rejected change used to be recorded as applied, so its key lost its row and the next run
  // dropped its dead letter.
  it.skipIf(!enabled)('keeps the published row of a key whose change is rejected, and rejects it again on the next run', async () => {
    const manifest = pipelineRepo()['products/shop/accounts/product.yaml']!.replace('pipeline:', 'sla:\n  completeness: 50\npipeline:');
    await writeRepo(repo.root, { 'products/shop/accounts/product.yaml': manifest });
    await runMesh(repo.root, client, ['shop.accounts']);
    // A1 loses its owner (required, a string: the contract rejects a null), A5 is new and fine.
    await writeRepo(repo.root, { 'products/shop/accounts/events.csv': 'op,lsn,account_id,owner,balance\nu,7,A1,,999\nc,8,A5,eve,5\n' });
    const expected = [
      { account_id: 'A1', owner: 'ann', balance: 150 },
      { account_id: 'A3', owner: 'cy', balance: 12 },
      { account_id: 'A5', owner: 'eve', balance: 5 },
    ];
    for (let run = 1; run <= 2; run++) {
      const step = stepOf(await runMesh(repo.root, client, ['shop.accounts']), 'shop.accounts');
      expect(step, `run ${run}`).toMatchObject({ status: 'completed', records: 3, rejected: 1, rowsOut: 3 });
      expect(await rowsOf(client, 'silver.shop_accounts'), `run ${run}`).toEqual(expected);
      const letters = await client.query<{ record: unknown }>('select record from silver.shop_accounts__rejected');
      expect(letters.rows, `run ${run}`).toEqual([{ record: { account_id: 'A1', owner: null, balance: 999 } }]);
    }
    // Fixed at the source, with a later sequence: applied.
    await writeRepo(repo.root, { 'products/shop/accounts/events.csv': 'op,lsn,account_id,owner,balance\nu,9,A1,ann,999\n' });
    expect(stepOf(await runMesh(repo.root, client, ['shop.accounts']), 'shop.accounts')).toMatchObject({ status: 'completed', rejected: 0 });
    expect((await rowsOf(client, 'silver.shop_accounts'))[0]).toEqual({ account_id: 'A1', owner: 'ann', balance: 999 });
  });

  it.skipIf(!enabled)('keeps the published row of a key whose incremental update is rejected, and tries it again', async () => {
    const files = pipelineRepo();
    const contract = JSON.parse(files['contracts/shop/order_history.schema.json']!);
    contract.properties.total.maximum = 500;
    await writeRepo(repo.root, {
      'contracts/shop/order_history.schema.json': JSON.stringify(contract),
      'products/shop/order_history/product.yaml': files['products/shop/order_history/product.yaml']!.replace('pipeline:', 'sla:\n  completeness: 50\npipeline:'),
    });
    await runMesh(repo.root, client, ['shop.orders', 'shop.order_history']);
    const lines = ORDERS_JSONL.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    Object.assign(lines[1]!, { total: 1000, updated_at: '2026-03-10T00:00:00Z' }); // fine in bronze, too much for the history
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': lines.map((l) => JSON.stringify(l)).join('\n') });
    for (let run = 1; run <= 2; run++) {
      const step = stepOf(await runMesh(repo.root, client, ['shop.orders', 'shop.order_history']), 'shop.order_history');
      expect(step, `run ${run}`).toMatchObject({ status: 'completed', rowsIn: 1, rejected: 1, rowsOut: 4 });
      expect((await rowsOf(client, 'silver.shop_order_history'))[1], `run ${run}`).toEqual({ order_id: 'O2', status: 'shipped', total: '20', updated_at: '2026-03-02T10:00:00.000Z' });
      expect((await client.query('select count(*)::int as n from silver.shop_order_history__rejected')).rows, `run ${run}`).toEqual([{ n: 1 }]);
    }
  });

  it.skipIf(!enabled)('rejects change events with an unknown operation or no key into the dead letters', async () => {
    await writeRepo(repo.root, { 'products/shop/accounts/events.csv': 'op,lsn,account_id,owner,balance\nc,1,A1,ann,1\nx,2,A1,ann,2\nc,3,,zed,3\n' });
    const summary = await runMesh(repo.root, client, ['shop.accounts']);
    // No completeness SLA: any reject fails the run, and nothing is published.
    expect(stepOf(summary, 'shop.accounts')).toMatchObject({ status: 'failed', rejected: 2, deadLetters: 'silver.shop_accounts__rejected' });
    expect(await client.query(`select to_regclass('silver.shop_accounts')::text as t`)).toMatchObject({ rows: [{ t: null }] });
    const letters = await client.query<{ source: string; errors: { instancePath: string; keyword: string; params: object; message: string }[] }>(
      `select source, errors from silver.shop_accounts__rejected order by (errors->0->'params'->>'record')::int`,
    );
    expect(letters.rows).toEqual([
      { source: 'silver.shop_accounts', errors: [{ instancePath: '/op', schemaPath: '', keyword: 'cdc', params: { record: 1, file: 'products/shop/accounts/events.csv' }, message: 'operation "x"; expected one of c, u, d, r' }] },
      { source: 'silver.shop_accounts', errors: [{ instancePath: '/account_id', schemaPath: '', keyword: 'cdc', params: { record: 2, file: 'products/shop/accounts/events.csv' }, message: 'key missing' }] },
    ]);
  });

  it.skipIf(!enabled)('keeps the previous good table when a run is rejected, fills the dead letters and says why', async () => {
    await runMesh(repo.root, client);
    const good = await checksum(client, 'bronze.shop_customers');
    await writeRepo(repo.root, { 'products/shop/customers/customers.csv': 'customer_id;email;country;signed_up\nC1;a@x.org;DE;2026-01-05T10:00:00Z\nC9;z@x.org;FR;not-a-date\n' });
    const summary = await runMesh(repo.root, client);
    const step = stepOf(summary, 'shop.customers');
    expect(step).toMatchObject({ status: 'failed', records: 2, rejected: 1, rowsOut: 3, deadLetters: 'bronze.shop_customers__rejected' });
    expect(step.error).toBe('1 of 2 records (50%) rejected, and without a completeness SLA none may be');
    expect(step.published).toBeUndefined();
    expect(await checksum(client, 'bronze.shop_customers')).toEqual(good);
    expect(await client.query(`select to_regclass('bronze.shop_customers__staging')::text as t`)).toMatchObject({ rows: [{ t: null }] });
    const letters = await client.query<{ source: string; run_id: string; source_ctid: string | null; record: unknown; errors: { instancePath: string; params: object; message: string }[] }>(
      'select source, run_id, source_ctid::text, record, errors from bronze.shop_customers__rejected',
    );
    expect(letters.rows).toHaveLength(1);
    expect(letters.rows[0]).toMatchObject({ source: 'bronze.shop_customers', source_ctid: null, record: { customer_id: 'C9', email: 'z@x.org', country: 'FR', signed_up: 'not-a-date' } });
    expect(letters.rows[0]!.run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(letters.rows[0]!.errors).toEqual([
      { instancePath: '/signed_up', schemaPath: '', keyword: 'type', params: { record: 2, file: 'products/shop/customers/customers.csv' }, message: expect.stringContaining('not-a-date') },
    ]);
    // Downstream of the failed product is skipped; products beside it still run.
    expect(summary.products.find((p) => p.product === 'shop.revenue')).toMatchObject({ status: 'skipped', reason: 'upstream product shop.customers failed in this run' });
    expect(summary.products.find((p) => p.product === 'shop.orders')?.status).toBe('completed');
    expect(summary.status).toBe('failed');
  });

  it.skipIf(!enabled)('fails a run whose output breaks the contract, keeping the previous table, with the records and reasons in the dead letters', async () => {
    await runMesh(repo.root, client);
    const good = await checksum(client, 'bronze.shop_customers');
    // Every value converts to its column: only the contract rejects (country ^[A-Z]{2}$; a null country, NA being the null text, is not a string).
    await writeRepo(repo.root, { 'products/shop/customers/customers.csv': 'customer_id;email;country;signed_up\nC1;a@x.org;DE;2026-01-05T10:00:00Z\nC2;b@x.org;Germany;2026-01-06T10:00:00Z\nC3;c@x.org;NA;2026-01-07T10:00:00Z\n' });
    const step = stepOf(await runMesh(repo.root, client, ['shop.customers']), 'shop.customers');
    expect(step).toMatchObject({ status: 'failed', records: 3, rejected: 2, rowsOut: 3, deadLetters: 'bronze.shop_customers__rejected' });
    expect(step.error).toBe('2 of 3 records (66.7%) rejected, and without a completeness SLA none may be');
    expect(await checksum(client, 'bronze.shop_customers')).toEqual(good);
    const letters = await client.query<{ record: { customer_id: string }; errors: { instancePath: string; keyword: string }[] }>(
      `select record, errors from bronze.shop_customers__rejected where source = 'bronze.shop_customers' order by record->>'customer_id'`,
    );
    expect(letters.rows.map((r) => [r.record.customer_id, r.errors.map((e) => `${e.instancePath} ${e.keyword}`)])).toEqual([
      ['C2', ['/country pattern']],
      ['C3', ['/country type']],
    ]);
  });

  it.skipIf(!enabled)('completes with rejects when the completeness SLA allows them, publishing only the valid records', async () => {
    const lines = [
      ...ORDERS_JSONL.split('\n'),
      '{"order_id": "O9", "customer_id": "C1", "total": "lots", "status": "open", "updated_at": "2026-03-05T00:00:00Z"}',
      '{"order_id": "O8", "customer_id": "C1", "total": 3, "status": "lost", "updated_at": "2026-03-05T00:00:00Z"}',
    ];
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': lines.join('\n') });
    const summary = await runMesh(repo.root, client, ['shop.orders']);
    // 4 of 6 valid = 66.7%: below the SLA's 70%.
    expect(stepOf(summary, 'shop.orders')).toMatchObject({ status: 'failed', records: 6, rejected: 2 });
    expect(stepOf(summary, 'shop.orders').error).toBe('2 of 6 records (33.3%) rejected; the completeness SLA of 70% allows at most 30%');
    // Without the conversion failure: 5 of 6... the contract reject alone, 1 of 5 = 80% valid.
    await writeRepo(repo.root, { 'products/shop/orders/orders.jsonl': [...lines.slice(0, 4), lines[5]].join('\n') });
    const ok = stepOf(await runMesh(repo.root, client, ['shop.orders']), 'shop.orders');
    expect(ok).toMatchObject({ status: 'completed', records: 5, rejected: 1, rowsOut: 4, deadLetters: 'bronze.shop_orders__rejected' });
    expect(ok.quality?.grade).toMatch(/^[A-F]$/);
    expect((await rowsOf(client, 'bronze.shop_orders')).map((r) => r['order_id'])).toEqual(['O1', 'O2', 'O3', 'O4']);
    // The dead letters are the last run's: the earlier run's rows of this port were replaced.
    const letters = await client.query<{ record: { order_id: string }; errors: { instancePath: string; keyword: string }[] }>('select record, errors from bronze.shop_orders__rejected');
    expect(letters.rows.map((r) => [r.record.order_id, r.errors.map((e) => `${e.instancePath} ${e.keyword}`)])).toEqual([['O8', ['/status enum']]]);
  });

  it.skipIf(!enabled)('fails on an error-severity check and only notes a warning one', async () => {
    await runMesh(repo.root, client, ['shop.orders', 'shop.customers']);
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select c.country, count(*) as orders, sum(o.total) as revenue from {{ ref('shop.orders', 'orders') }} o join {{ ref('shop.customers', 'customers') }} c using (customer_id) where o.status = 'nothing' group by 1" });
    const step = stepOf(await runMesh(repo.root, client, ['shop.revenue']), 'shop.revenue');
    expect(step.status).toBe('failed');
    expect(step.error).toMatch(/^check row_count\S* failed: 0 records; expected /);
    expect(step.checks.find((c) => c.name.startsWith('row_count'))).toMatchObject({ status: 'failed', severity: 'error' });

    const manifest = (await import('node:fs/promises')).readFile(`${repo.root}/products/shop/revenue/product.yaml`, 'utf8');
    await writeRepo(repo.root, { 'products/shop/revenue/product.yaml': (await manifest).replace('{ check: row_count, min: 1 }', '{ check: row_count, min: 1, severity: warn }') });
    const warned = stepOf(await runMesh(repo.root, client, ['shop.revenue']), 'shop.revenue');
    expect(warned).toMatchObject({ status: 'completed', rowsOut: 0 });
    expect(warned.checks.find((c) => c.name.startsWith('row_count'))).toMatchObject({ status: 'failed', severity: 'warn' });
  });

  it.skipIf(!enabled)('keeps the previous view when a new definition breaks the contract', async () => {
    await runMesh(repo.root, client);
    const manifest = pipelineRepo()['products/shop/open_orders/product.yaml']!;
    await writeRepo(repo.root, { 'products/shop/open_orders/product.yaml': manifest.replace("select order_id, total from", "select order_id, total::text as total from") });
    const step = stepOf(await runMesh(repo.root, client, ['shop.open_orders']), 'shop.open_orders');
    expect(step).toMatchObject({ status: 'failed', records: 2, rejected: 2, rowsOut: 2 });
    expect(step.error).toBe('2 of 2 records (100%) rejected, and without a completeness SLA none may be');
    const { rows } = await client.query<{ type: string }>(`select data_type as type from information_schema.columns where table_schema = 'gold' and table_name = 'shop_open_orders' and column_name = 'total'`);
    expect(rows).toEqual([{ type: 'numeric' }]);
    expect(await client.query(`select to_regclass('gold.shop_open_orders__staging')::text as t`)).toMatchObject({ rows: [{ t: null }] });
    expect((await client.query('select count(*)::int as n from gold.shop_open_orders__rejected')).rows).toEqual([{ n: 2 }]);
  });

  it.skipIf(!enabled)('refuses to run a product whose upstream was never built, and says which', async () => {
    const summary = await runMesh(repo.root, client, ['shop.revenue']);
    expect(summary.status).toBe('failed');
    expect(stepOf(summary, 'shop.revenue').error).toBe(
      'upstream port shop.orders/orders has not been built (bronze.shop_orders does not exist in the warehouse); run mesh run shop.orders first, or mesh run --all',
    );
    expect(stepOf(summary, 'shop.revenue').attempts).toBe(1);
  });

  it.skipIf(!enabled)('retries a serialization failure with backoff and then succeeds', async () => {
    await client.exec(`
      drop sequence if exists public.flaky_seq; create sequence public.flaky_seq;
      create or replace function public.flaky() returns int language plpgsql volatile as $$
      begin
        if nextval('public.flaky_seq') = 1 then raise exception 'simulated conflict' using errcode = 'serialization_failure'; end if;
        return 1;
      end $$;`);
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select 'ALL' as country, count(*) as orders, sum(total) as revenue from {{ ref('shop.orders', 'orders') }} where public.flaky() = 1" });
    await runMesh(repo.root, client, ['shop.orders', 'shop.customers']);
    const summary = await runMesh(repo.root, client, ['shop.revenue']);
    const step = stepOf(summary, 'shop.revenue');
    expect(step).toMatchObject({ status: 'completed', attempts: 2, rowsOut: 1 });
    expect(step.retries).toEqual([{ attempt: 1, error: 'simulated conflict', delayMs: 10 }]);
  });

  it.skipIf(!enabled)('does not retry an error a retry cannot fix, and stops after the last attempt', async () => {
    await runMesh(repo.root, client, ['shop.orders', 'shop.customers']);
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select 'x' as country, 1 / (count(*) - count(*)) as orders, 0 as revenue from {{ ref('shop.orders', 'orders') }}" });
    const broken = stepOf(await runMesh(repo.root, client, ['shop.revenue']), 'shop.revenue');
    expect(broken).toMatchObject({ status: 'failed', attempts: 1, retries: [] });
    expect(broken.error).toBe('division by zero [SQLSTATE 22012]');

    await client.exec(`create or replace function public.always_conflicts() returns int language plpgsql volatile as $$ begin raise exception 'always' using errcode = '40P01'; end $$;`);
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select 'x' as country, public.always_conflicts() as orders, 0 as revenue from {{ ref('shop.orders', 'orders') }}" });
    const exhausted = stepOf(await runMesh(repo.root, client, ['shop.revenue']), 'shop.revenue');
    expect(exhausted).toMatchObject({ status: 'failed', attempts: 3, error: 'always [SQLSTATE 40P01]' });
    expect(exhausted.retries.map((r) => r.delayMs)).toEqual([10, 20]);
  });

  it.skipIf(!enabled || name !== 'PostgreSQL')('retries when the server terminates the connection mid-step', async () => {
    await runMesh(repo.root, client, ['shop.orders', 'shop.customers']);
    await writeRepo(repo.root, {
      'products/shop/revenue/revenue.sql': "select 'ALL' as country, count(*) as orders, sum(total) as revenue from {{ ref('shop.orders', 'orders') }} cross join (select pg_advisory_xact_lock_shared(4242)) as gate",
    });
    const admin = new pg.Client({ connectionString: await url() });
    await admin.connect();
    try {
      await admin.query('select pg_advisory_lock(4242)');
      const running = runMesh(repo.root, client, ['shop.revenue']);
      // Wait until the step blocks on the gate, then kill its backend and open the gate.
      let killed = 0;
      for (let i = 0; i < 200 && killed === 0; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const result = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory' and pid <> pg_backend_pid()`,
        );
        killed = result.rowCount ?? 0;
      }
      expect(killed).toBe(1);
      await admin.query('select pg_advisory_unlock(4242)');
      const step = stepOf(await running, 'shop.revenue');
      expect(step).toMatchObject({ status: 'completed', attempts: 2, rowsOut: 1 });
      expect(step.retries[0]!.error).toMatch(/terminating connection due to administrator command|Connection terminated/);
      expect(await rowsOf(client, 'gold.shop_revenue')).toEqual([{ country: 'ALL', orders: 4, revenue: '137.75' }]);
    } finally {
      await admin.end();
    }
  });

  it.skipIf(!enabled || name !== 'PostgreSQL')('keeps the grants of a table it replaces', async () => {
    const role = `mesh_reader_${process.pid}`;
    await client.exec(`drop role if exists ${role}; create role ${role}`);
    try {
      await runMesh(repo.root, client, ['shop.customers']);
      await client.exec(`grant usage on schema bronze to ${role}; grant select on bronze.shop_customers to ${role}`);
      expect(stepOf(await runMesh(repo.root, client, ['shop.customers']), 'shop.customers').published).toBe('swapped');
      const { rows } = await client.query<{ ok: boolean }>(`select has_table_privilege($1, 'bronze.shop_customers', 'select') as ok`, [role]);
      expect(rows).toEqual([{ ok: true }]);
    } finally {
      await client.exec(`drop owned by ${role}; drop role ${role}`);
    }
  });

  it.skipIf(!enabled)('refuses to replace a table whose columns change while views depend on it, naming them', async () => {
    await runMesh(repo.root, client);
    // Still valid against the contract (a number is a number), but the column type changes.
    await writeRepo(repo.root, { 'products/shop/revenue/revenue.sql': "select c.country, count(*) as orders, sum(o.total)::float8 as revenue from {{ ref('shop.orders', 'orders') }} o join {{ ref('shop.customers', 'customers') }} c using (customer_id) group by 1" });
    await client.exec('create view public.revenue_report as select * from gold.shop_revenue');
    const before = await checksum(client, 'gold.shop_revenue');
    const step = stepOf(await runMesh(repo.root, client, ['shop.revenue']), 'shop.revenue');
    expect(step.status).toBe('failed');
    expect(step.error).toBe(
      'cannot replace table "gold"."shop_revenue" with a table with other columns: view public.revenue_report depends on it. Drop it (a product\'s view comes back on its next run), then run again.',
    );
    expect(await checksum(client, 'gold.shop_revenue')).toEqual(before);
    await client.exec('drop view public.revenue_report');
  });
});

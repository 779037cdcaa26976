import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessPort, type AssessPortInput } from '../../platform/quality/assessPort.js';
import { contractConstraint } from '../../platform/quality/contractConstraint.js';
import { notRejectedSql } from '../../platform/quality/deadLetter/DeadLetterTable.js';
import type { QualityReport } from '../../platform/quality/QualityReport.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { Repository } from '../../platform/repo/Repository.js';
import type { QueryOptions, SqlClient } from '../../platform/db/SqlClient.js';
import { writeTempRepo } from '../support/fixtureRepo.js';
import { openTestWarehouses } from '../support/testWarehouses.js';
import { UPSTREAM_VALUES } from '../../platform/quality/table/measureTable.js';
import { CUSTOMER_IDS, ORDER_FIELDS, ordersManifest, plantedOrders, qualityRepoFiles } from '../support/qualityRepo.js';

// The clients are closed, and the server database dropped, after the file's tests.
const { cases: warehouses } = await openTestWarehouses('quality');
const NOW = new Date('2026-11-02T12:00:00Z');
const planted = plantedOrders();

const COLUMNS = `order_id text, customer_id text, status text, total numeric, quantity numeric, currency text, customer_email text,
  ordered_at timestamptz, updated_at timestamptz, country text, discount numeric, gift boolean`;

/** Inserts records through json_populate_record, so that values arrive exactly as in the files. */
async function insert(client: SqlClient, table: string, records: readonly Record<string, unknown>[]): Promise<void> {
  await client.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(records)]);
}

/** A client that runs `action` before the first statement `matches`, in whatever transaction it comes. */
function beforeStatement(client: SqlClient, matches: (sql: string) => boolean, action: () => Promise<void>): SqlClient {
  const wrap = (inner: SqlClient): SqlClient => ({
    kind: inner.kind,
    location: inner.location,
    async query<Row>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      if (matches(sql)) await action();
      return inner.query<Row>(sql, params, options);
    },
    exec: (sql) => inner.exec(sql),
    transaction: (fn, options) => inner.transaction((tx) => fn(wrap(tx)), options),
    copyFrom: (sql, source) => inner.copyFrom(sql, source),
    copyTo: (sql) => inner.copyTo(sql),
    close: () => inner.close(),
  });
  return wrap(client);
}

// One suite, both adapters: the same planted faults must give the same report on PGlite and PostgreSQL.
describe.each(warehouses)('assessPort on a $name table', ({ name, enabled, get }) => {
  let client: SqlClient;
  let repo: Awaited<ReturnType<typeof writeTempRepo>>;
  let repository: Repository;
  let report: QualityReport;
  const assess = (overrides: Partial<AssessPortInput> = {}) =>
    assessPort({ repository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client, table: { schema: 'gold', name: 'shop_orders' } }, now: NOW, ...overrides });

  beforeAll(async () => {
    if (!enabled) return;
    repo = await writeTempRepo(qualityRepoFiles());
    repository = await loadRepository(repo.root);
    client = await get();
    await client.exec(`create schema gold; create schema silver;
      create table silver.shop_customers (customer_id text primary key, name text);
      create table gold.shop_orders (${COLUMNS});`);
    await insert(client, 'silver.shop_customers', CUSTOMER_IDS.map((id) => ({ customer_id: id, name: id })));
    await insert(client, 'gold.shop_orders', planted.map((p) => p.record));
    report = await assess();
  });
  afterAll(async () => {
    await repo?.cleanup();
  });

  it.skipIf(!enabled)('counts records, valid and invalid exactly, deciding every field in SQL', () => {
    expect({ records: report.records, valid: report.valid, invalid: report.invalid }).toEqual({ records: 22, valid: 16, invalid: 6 });
    expect(report.method.pushedDown).toEqual(ORDER_FIELDS);
    expect(report.method.streamedFields).toEqual([]);
    // Only the six rows SQL could not prove valid went through Ajv.
    expect(report.method.streamed).toBe(6);
  });

  it.skipIf(!enabled)('decides as Ajv does: every row through Ajv gives the same counts, metrics, checks and dead letters', async () => {
    const ajvOnly = await assess({
      source: { kind: 'table', client, table: { schema: 'gold', name: 'shop_orders' }, pushDown: false },
      deadLetter: { table: { schema: 'gold', name: 'ajv_rejected' } },
    });
    expect(ajvOnly.method).toMatchObject({ pushedDown: [], streamed: 22, streamedFields: [{ field: '(record)', reason: 'push-down turned off' }] });
    const outcome = (r: QualityReport) => ({
      records: r.records,
      valid: r.valid,
      invalid: r.invalid,
      fields: r.fields,
      keys: r.keys,
      checks: r.checks.map((c) => [c.name, c.status, c.observed]),
      score: r.score,
      deadLetters: r.deadLetter?.count,
    });
    expect(outcome(ajvOnly)).toEqual(outcome(report));
    const letters = async (table: string) =>
      (await client.query(`select source_ctid::text as row, record, errors from ${table} order by source_ctid`)).rows;
    expect(await letters('gold.ajv_rejected')).toEqual(await letters('gold.shop_orders__rejected'));
    await client.exec('drop table gold.ajv_rejected');
  });

  it.skipIf(!enabled)('writes the dead letters beside the table, with ctid, record and errors', async () => {
    expect(report.deadLetter).toEqual({ kind: 'table', table: 'gold.shop_orders__rejected', source: 'gold.shop_orders', runId: null, count: 6 });
    const { rows } = await client.query<{ source_ctid: string; record: Record<string, unknown>; errors: { instancePath: string }[] }>(
      'select source_ctid::text as source_ctid, record, errors from gold.shop_orders__rejected order by (record->>\'order_id\'), source_ctid',
    );
    const expected = planted.filter((p) => p.invalid).map((p) => ({ order_id: p.record['order_id'], paths: p.errors }));
    const actual = rows.map((r) => ({ order_id: r.record['order_id'], paths: [...new Set(r.errors.map((e) => e.instancePath))].sort() }));
    const byId = (a: { order_id: unknown }, b: { order_id: unknown }) => String(a.order_id).localeCompare(String(b.order_id));
    expect(actual.sort(byId)).toEqual(expected.sort(byId));
    for (const row of rows) expect(row.source_ctid).toMatch(/^\(\d+,\d+\)$/);
    // Timestamps are serialized in UTC whatever the session's zone.
    expect(rows[0]!.record['ordered_at']).toMatch(/^2026-11-01T\d\d:00:00\.000000Z$/);
  });

  it.skipIf(!enabled)('names rejected rows so that a publish can leave them out', async () => {
    const { rows } = await client.query<{ n: number }>(
      `select count(*) as n from gold.shop_orders t where ${notRejectedSql({ table: { schema: 'gold', name: 'shop_orders__rejected' }, source: 'gold.shop_orders' }, 't')}`,
    );
    expect(rows[0]!.n).toBe(16);
  });

  it.skipIf(!enabled)('gives the same metrics and checks as the file, plus the checks that need a table', () => {
    const field = (n: string) => report.fields.find((f) => f.name === n)!;
    expect(field('customer_id')).toMatchObject({ nulls: 1, count: 21, invalid: 1 });
    expect(field('customer_email')).toMatchObject({ nulls: 5, invalid: 1 });
    expect(field('discount')).toMatchObject({ nulls: 7, min: 0.25, max: 0.25 });
    expect(field('order_id')).toMatchObject({ distinct: 21, invalid: 1 });
    expect(field('quantity')).toMatchObject({ min: 1, max: 500 });
    expect(field('updated_at')).toMatchObject({ min: '2026-11-01T01:30:00.000000Z', max: '2026-11-01T22:30:00.000000Z' });
    const outcome = Object.fromEntries(report.checks.map((c) => [c.name, [c.status, c.observed]]));
    expect(outcome).toEqual({
      contract: ['failed', 6],
      primary_key: ['failed', 1],
      unique_order_id: ['failed', 1],
      not_null_customer_id: ['failed', 1],
      accepted_values_status: ['failed', 2],
      range_quantity: ['failed', 1],
      row_count: ['passed', 22],
      relationships_customer_id: ['failed', 1],
      no_negative_totals: ['failed', 1],
    });
    expect(report.checks.find((c) => c.name === 'relationships_customer_id')!.examples).toEqual(['C-999']);
    expect(report.keys[0]).toMatchObject({ count: 22, distinct: 21, duplicates: 1, examples: ['SO-000001'], enforced: false });
  });

  it.skipIf(!enabled)('scores it: the checks dimension counts the two table-only checks', () => {
    const dims = Object.fromEntries(report.score.dimensions.map((d) => [d.name, d.score]));
    expect(dims['checks']).toBeCloseTo(100 / 7, 1);
    const expected = 0.3 * ((100 * 16) / 22) + 0.15 * ((100 * 251) / 264) + 0.15 * ((100 * 21) / 22) + 0.2 * 100 + 0.1 * (100 / 7) + 0.1 * 100;
    expect(report.score.score).toBeCloseTo(expected, 1);
    expect(report.score.grade).toBe('B');
    expect(report.sla.freshness).toMatchObject({ status: 'MET', lagSeconds: 13.5 * 3600 });
  });

  it.skipIf(!enabled)('replaces the earlier dead letters of the same source on the next test', async () => {
    await client.exec("update gold.shop_orders set customer_id = 'C-1' where customer_id is null");
    const again = await assess();
    expect(again.invalid).toBe(5);
    const { rows } = await client.query<{ n: number }>('select count(*) as n from gold.shop_orders__rejected');
    expect(rows[0]!.n).toBe(5);
    await client.exec("update gold.shop_orders set customer_id = null where order_id = 'SO-000013'");
  });

  it.skipIf(!enabled)('streams to Ajv only the fields SQL cannot decide, and finds the same rejects', async () => {
    // A text column with a date-time format: Ajv checks dates with a function, SQL cannot.
    await client.exec(`create table gold.text_dates as select order_id, customer_id, status, total, quantity, currency, customer_email,
      ordered_at::text as ordered_at, updated_at, country, discount, gift from gold.shop_orders;
      update gold.text_dates set ordered_at = 'yesterday' where order_id = 'SO-000002';
      update gold.text_dates set ordered_at = to_char(ordered_at::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') where ordered_at <> 'yesterday';`);
    const text = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'text_dates' } }, deadLetter: false });
    expect(text.method.streamedFields).toEqual([{ field: 'ordered_at', reason: 'not decidable in SQL on a text column' }]);
    expect(text.method.streamed).toBe(22);
    expect({ records: text.records, invalid: text.invalid }).toEqual({ records: 22, invalid: 7 });
    expect(text.fields.find((f) => f.name === 'ordered_at')!.invalid).toBe(1);
    expect(text.deadLetter).toBeNull();
  });

  it.skipIf(!enabled)('takes a unique index as proof of a key, without counting it', async () => {
    await client.exec(`create table gold.indexed (${COLUMNS}, primary key (order_id))`);
    await insert(client, 'gold.indexed', planted.filter((p) => !p.invalid && p.fault !== 'duplicate key').map((p) => p.record));
    const indexed = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'indexed' } } });
    expect(indexed.keys[0]).toMatchObject({ count: 15, distinct: 15, duplicates: 0, enforced: true });
    expect(indexed.invalid).toBe(0);
    expect(indexed.method.streamed).toBe(0);
    // No key scan, no stream: the aggregate (the relationships check looks its values up there), the values
    // the quantity range's maximum says are out of range, examples of the missing customer, and the sql check.
    expect(indexed.method.scans).toBe(4);
  });

  it.skipIf(!enabled)('takes a CHECK constraint made from the contract as proof, and the constraint enforces it', async () => {
    await client.exec(`create table gold.enforced (like gold.indexed including all); insert into gold.enforced select * from gold.indexed`);
    const target = { repository, product: 'shop.orders', port: 'orders', client, table: { schema: 'gold', name: 'enforced' } };
    const constraint = (await contractConstraint(target))!;
    expect(constraint.name).toMatch(/^mesh_contract_[0-9a-f]{24}$/);
    expect(constraint.notNull).toEqual(['order_id', 'customer_id', 'status', 'total', 'quantity', 'currency', 'ordered_at', 'updated_at', 'country', 'gift']);
    expect(constraint.unchecked).toEqual([]);
    // The planted table breaks it: PostgreSQL refuses the constraint there.
    await expect(client.exec(constraint.sql.replace('"gold"."enforced"', '"gold"."shop_orders"'))).rejects.toThrow(/violated/);
    await client.exec(constraint.sql);
    await client.exec(constraint.notNull.map((f) => `alter table gold.enforced alter column ${f} set not null`).join('; '));
    const proved = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'enforced' } } });
    expect(proved.method).toMatchObject({ provedBy: constraint.name, streamed: 0 });
    const reference = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'indexed' } } });
    // The constraint confines status to the contract's enum: the check looks for 'returned' alone, and finds it.
    expect(proved.checks.find((c) => c.name === 'accepted_values_status')).toMatchObject({ status: 'failed', observed: 1 });
    const { method: _a, source: _b, deadLetter: _c, ...rest } = proved;
    const { method: _d, source: _e, deadLetter: _f, ...expected } = reference;
    expect(rest).toEqual(expected);
    await expect(client.query(`insert into gold.enforced select * from gold.shop_orders where order_id = 'SO-12'`)).rejects.toThrow(/mesh_contract_/);
  });

  /** Runs `fn` in a transaction that is rolled back, returning its result and every statement sent. */
  const rolledBack = async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<{ result: T; statements: string[] }> => {
    const statements: string[] = [];
    const result = await client
      .transaction(async (tx) => {
        const result = await fn(beforeStatement(tx, (sql) => (statements.push(sql), false), async () => {}));
        throw Object.assign(new Error('rollback'), { result });
      })
      .catch((error: { result?: T }) => {
        if (!('result' in error)) throw error;
        return error.result!;
      });
    return { result, statements };
  };
  const aggregateOf = (statements: readonly string[]) => statements.find((sql) => sql.startsWith('select count(*) as a0'))!;
  const relationships = (r: QualityReport) => r.checks.find((c) => c.name === 'relationships_customer_id');

  it.skipIf(!enabled)('looks a relationships check up in the aggregate scan, in a list of the upstream values or a hashed subquery, in a query of its own otherwise', async () => {
    const table = { schema: 'gold', name: 'indexed' };
    // Five customers: their values go into the aggregate statement as an array.
    const listed = await rolledBack((tx) => assess({ source: { kind: 'table', client: tx, table } }));
    expect(aggregateOf(listed.statements)).toMatch(/= any\('\{C-0,C-1,C-2,C-3,C-4\}'::text\[\]\)/);
    expect(aggregateOf(listed.statements)).not.toMatch(/not in \(select/);
    // One more customer than a list takes: a subquery, which the planner hashes in the default work_mem.
    const more = `insert into silver.shop_customers select 'X-' || i, 'x' from generate_series(1, ${UPSTREAM_VALUES + 1 - CUSTOMER_IDS.length}) i`;
    const hashed = await rolledBack(async (tx) => (await tx.exec(more), assess({ source: { kind: 'table', client: tx, table } })));
    expect(aggregateOf(hashed.statements)).toMatch(/not in \(select u\."customer_id" from "silver"\."shop_customers"/);
    // The same in 64 kB of work_mem: the planner would not hash them, so the check runs apart.
    const apart = await rolledBack(async (tx) => (await tx.exec(`set local work_mem = '64kB'; ${more}`), assess({ source: { kind: 'table', client: tx, table } })));
    expect(aggregateOf(apart.statements)).not.toMatch(/t\."customer_id" (not in|= any)/);
    // The count of missing customers is a query of its own.
    expect([listed.result.method.scans, hashed.result.method.scans, apart.result.method.scans]).toEqual([4, 4, 5]);
    for (const r of [listed.result, hashed.result, apart.result]) expect(relationships(r)).toMatchObject({ status: 'failed', observed: 1, examples: ['C-999'] });
    expect(relationships(hashed.result)).toEqual(relationships(listed.result));
    expect(relationships(apart.result)).toEqual(relationships(listed.result));
  });

  it.skipIf(!enabled)('finds exactly the values missing from a list of upstream values that need quoting, and the same in a hashed subquery', async () => {
    // Upstream values that an array literal must quote, and a null (which matches nothing); rows whose values
    // differ from them by a character or by case are missing upstream, a row's null is not.
    const upstream = ['C-"1"', 'a,b', '{x}', 'back\\slash', "it's", 'NULL', ' sp', 'C-1'];
    const orphans = ['C-"1', 'a', '{x', 'back\\', 'null', 'sp', 'c-1', 'C-1 ', 'C-999'];
    const clean = planted.find((p) => !p.invalid)!.record;
    const rows = [...upstream, ...orphans, ...orphans.slice(0, 2), null].map((id, i) => ({ ...clean, order_id: `SO-${String(i).padStart(6, '0')}`, customer_id: id }));
    const table = { schema: 'gold', name: 'looked_up' };
    const setUp = async (tx: SqlClient, more = 0) => {
      await tx.exec(`alter table silver.shop_customers drop constraint shop_customers_pkey, alter column customer_id drop not null; delete from silver.shop_customers;
        create table gold.looked_up (like gold.indexed);`);
      await insert(tx, 'silver.shop_customers', [...upstream, null].map((id) => ({ customer_id: id, name: 'x' })));
      if (more > 0) await tx.exec(`insert into silver.shop_customers select 'X-' || i, 'x' from generate_series(1, ${more}) i`);
      await insert(tx, 'gold.looked_up', rows);
      // The reference: a plain anti-join, counted apart from the code under test.
      const { rows: expected } = await tx.query<{ n: number }>(
        'select count(*)::int as n from gold.looked_up t where t.customer_id is not null and not exists (select 1 from silver.shop_customers u where u.customer_id = t.customer_id)',
      );
      return Number(expected[0]!.n);
    };
    const run = (more: number) =>
      rolledBack(async (tx) => {
        const expected = await setUp(tx, more);
        return { expected, report: await assess({ source: { kind: 'table', client: tx, table }, deadLetter: false }) };
      });
    const listed = await run(0);
    expect(aggregateOf(listed.statements)).toMatch(/t\."customer_id" = any\(/);
    const hashed = await run(UPSTREAM_VALUES);
    expect(aggregateOf(hashed.statements)).toMatch(/not in \(select/);
    for (const { result } of [listed, hashed]) {
      // Every orphan row counted, the two repeated ones twice; the null row and the upstream values not at all.
      expect(result.expected).toBe(orphans.length + 2);
      expect(relationships(result.report)).toMatchObject({ status: 'failed', observed: orphans.length + 2 });
      const examples = relationships(result.report)!.examples as string[];
      expect(examples).toHaveLength(5);
      for (const example of examples) expect(orphans).toContain(example);
    }
    // Nothing missing once the orphans are upstream too.
    const none = await rolledBack(async (tx) => {
      await setUp(tx);
      await insert(tx, 'silver.shop_customers', orphans.map((id) => ({ customer_id: id, name: 'x' })));
      return assess({ source: { kind: 'table', client: tx, table }, deadLetter: false });
    });
    expect(relationships(none.result)).toMatchObject({ status: 'passed', observed: 0 });
    // An empty upstream: every non-null value is missing.
    const empty = await rolledBack(async (tx) => {
      await setUp(tx);
      await tx.exec('delete from silver.shop_customers');
      return assess({ source: { kind: 'table', client: tx, table }, deadLetter: false });
    });
    expect(aggregateOf(empty.statements)).toMatch(/= any\('\{\}'::text\[\]\)/);
    expect(relationships(empty.result)).toMatchObject({ status: 'failed', observed: rows.length - 1 });
  });

  it.skipIf(!enabled || name !== 'PostgreSQL')('measures one snapshot: rows committed during the test are in none of its counts', async () => {
    const seen = await writeTempRepo(qualityRepoFiles({ ordersManifest: ordersManifest('  - { check: sql, name: rows_seen, query: "select count(*) from {table}", min: 0 }\n') }));
    try {
      const seenRepository = await loadRepository(seen.root);
      await client.exec('create table gold.changing as select * from gold.shop_orders');
      // Right after the aggregate scan, another session commits an invalid row (a negative total).
      let inserted = false;
      const writer = client;
      const intercepted = beforeStatement(client, (sql) => !inserted && sql.includes('count(distinct'), async () => {
        inserted = true;
        await writer.exec(`insert into gold.changing select 'SO-999999', customer_id, status, -1, quantity, currency, customer_email, ordered_at, updated_at, country, discount, gift from gold.shop_orders limit 1`);
      });
      const changing = await assessPort({ repository: seenRepository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client: intercepted, table: { schema: 'gold', name: 'changing' } }, now: NOW });
      expect(inserted).toBe(true);
      expect({ records: changing.records, invalid: changing.invalid, letters: changing.deadLetter?.count }).toEqual({ records: 22, invalid: 6, letters: 6 });
      expect(changing.checks.find((c) => c.name === 'rows_seen')!.observed).toBe(22);
      expect((await client.query<{ n: number }>('select count(*) as n from gold.changing')).rows[0]!.n).toBe(23);
    } finally {
      await seen.cleanup();
    }
  });

  it.skipIf(!enabled)('rejects every row of a closed contract that has an extra column, but not the platform columns', async () => {
    await client.exec(`create table gold.extra as select *, 1 as note, 'r1' as _mesh_run_id from gold.indexed`);
    const extra = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'extra' } }, deadLetter: false });
    expect(extra.source).toMatchObject({ extraColumns: ['note'], missingColumns: [] });
    expect(extra.invalid).toBe(15);
    expect(extra.fields.every((f) => f.invalid === 0)).toBe(true);
  });

  it.skipIf(!enabled)('reads a missing required column as null in every row', async () => {
    await client.exec('create table gold.missing as select order_id, customer_id, status, total, quantity, currency, customer_email, ordered_at, updated_at, discount, gift from gold.indexed');
    const missing = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'missing' } }, deadLetter: false });
    expect(missing.source).toMatchObject({ missingColumns: ['country'] });
    expect({ invalid: missing.invalid, countryInvalid: missing.fields.find((f) => f.name === 'country')!.invalid }).toEqual({ invalid: 15, countryInvalid: 15 });
  });

  it.skipIf(!enabled)('tests a view, whose rows have no ctid', async () => {
    await client.exec('create view gold.orders_view as select * from gold.shop_orders');
    const view = await assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'orders_view' } } });
    expect({ records: view.records, invalid: view.invalid }).toEqual({ records: 22, invalid: 6 });
    const { rows } = await client.query<{ n: number; ctids: number }>('select count(*) as n, count(source_ctid) as ctids from gold.orders_view__rejected');
    expect(rows[0]).toEqual({ n: 6, ctids: 0 });
  });

  it.skipIf(!enabled)('runs inside a caller transaction: a broken sql check is an error, the transaction stays usable', async () => {
    const broken = await writeTempRepo(
      qualityRepoFiles({ ordersManifest: ordersManifest('  - { check: sql, name: broken, query: "select count(*) from {table} where no_such_column > 0", mustBe: 0 }\n  - { check: sql, name: writes, query: "select count(*) from {table}; drop table gold.shop_orders", mustBe: 0 }\n') }),
    );
    try {
      const brokenRepository = await loadRepository(broken.root);
      const result = await client.transaction(async (tx) => {
        const inner = await assessPort({ repository: brokenRepository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client: tx, table: { schema: 'gold', name: 'shop_orders' } }, now: NOW });
        const still = await tx.query<{ n: number }>('select count(*) as n from gold.shop_orders');
        return { inner, n: still.rows[0]!.n };
      });
      expect(result.n).toBe(22);
      const checks = Object.fromEntries(result.inner.checks.map((c) => [c.name, c.status]));
      expect(checks['broken']).toBe('error');
      expect(checks['writes']).toBe('error');
      expect(result.inner.invalid).toBe(6);
      expect((await client.query<{ n: number }>('select count(*) as n from gold.shop_orders')).rows[0]!.n).toBe(22);
    } finally {
      await broken.cleanup();
    }
  });

  it.skipIf(!enabled)('says a missing table is not found', async () => {
    await expect(assess({ source: { kind: 'table', client, table: { schema: 'gold', name: 'nope' } } })).rejects.toThrow(/gold\.nope does not exist/);
  });

});

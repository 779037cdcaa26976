import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { assessPort } from '../../platform/quality/assessPort.js';
import { contractConstraint } from '../../platform/quality/contractConstraint.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { createPostgresClient } from '../../platform/db/createPostgresClient.js';
import { writeRepo } from '../support/fixtureRepo.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { qualityRepoFiles, writeOrdersFile } from '../support/qualityRepo.js';
import { medianMs, report } from './support.js';

/** Rows of the benchmark table: 5,000,000 unless `MESH_BENCH_ROWS` scales it down for a quick run. */
const ROWS = Number(process.env['MESH_BENCH_ROWS'] ?? 5_000_000);
/** The machine is shared: every figure is reported with the load it was measured under. */
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const BIN = fileURLToPath(new URL('../../dist/platform/cli/bin.js', import.meta.url));

// Baseline: the least any validator of a JSON-lines file must do, read it line by line and parse each line,
// as a plain script would (readline), in a fresh process like `mesh test`.
const BASELINE = `
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
let n = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[1]), crlfDelay: Infinity })) { JSON.parse(line); n++; }
console.log(n);
`;

/** Runs node; `mesh test` exits 1 when checks fail, which is a result here, not an error. */
function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, env, cwd }, (error, stdout, stderr) => {
      if (error && error.code !== 1) reject(new Error(`${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it('mesh test --file on 1,000,000 records against a 12-field contract, vs reading and parsing the lines', async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-bench-quality-'));
  await writeRepo(scratch, qualityRepoFiles());
  const file = join(scratch, 'orders.jsonl');
  const bytes = await writeOrdersFile(file, 1_000_000, 1000);
  const args = [BIN, 'test', 'shop.orders', '--file', file, '--format', 'json'];
  const dir = scratch;
  const output = JSON.parse(await run(args, dir));
  expect({ records: output.records, invalid: output.invalid }).toEqual({ records: 1_000_000, invalid: 1000 });
  expect(output.keys[0]).toMatchObject({ distinct: 1_000_000, duplicates: 0 });
  await run(['--input-type=module', '-e', BASELINE, file], dir); // warm the page cache
  const runs = 3;
  const baseline = await medianMs(runs, () => run(['--input-type=module', '-e', BASELINE, file], dir));
  const single = await medianMs(runs, () => run(args, dir, { ...process.env, MESH_THREADS: '1' }));
  const both = await medianMs(runs, () => run(args, dir, { ...process.env, MESH_THREADS: '2' }));
  const threaded = await medianMs(runs, () => run(args, dir));
  report('mesh test --file, 1,000,000 JSON lines, 12-field contract (median wall time, fresh process each run)', [
    { 'file MiB': bytes / 2 ** 20, 'readline + JSON.parse ms': baseline, 'load average': load() },
    { variant: 'one thread (MESH_THREADS=1)', 'mesh test ms': single, ratio: single / baseline, target: '<= 1.5' },
    { variant: 'both cores (MESH_THREADS=2)', 'mesh test ms': both, ratio: both / baseline, target: '<= 1.5' },
    { variant: 'default threads (every core, at most 4)', 'mesh test ms': threaded, ratio: threaded / baseline, target: '<= 1.5' },
  ]);
});

const postgres = await postgresAvailable();

it.skipIf(!postgres)(`assessPort on a PostgreSQL table of ${ROWS.toLocaleString('en')} rows, vs SELECT count(*)`, async () => {
  const database = await createTestDatabase('mesh_bench_quality');
  const client = createPostgresClient(database.url);
  const root = await mkdtemp(join(tmpdir(), 'mesh-bench-quality-table-'));
  try {
    await writeRepo(root, qualityRepoFiles());
    const repository = await loadRepository(root);
    // The same 12 columns the pipeline would create for the contract; every 1000th total negative.
    await client.exec(`create schema gold; create schema silver;
      create table silver.shop_customers as select 'C-' || i as customer_id, 'n' || i as name from generate_series(0, 999) i;
      create table gold.shop_orders as select 'SO-' || lpad(i::text, 8, '0') as order_id, 'C-' || (i % 1000) as customer_id,
        (array['open', 'shipped', 'cancelled', 'returned'])[1 + i % 4] as status,
        case when i % 1000 = 0 then -1 else round(((i * 7.13) % 5000)::numeric, 2) end as total, (1 + i % 20)::bigint as quantity,
        'EUR'::text as currency, case when i % 10 = 0 then null else 'customer' || i || '@example.com' end as customer_email,
        timestamptz '2022-01-01' + i * interval '1 second' as ordered_at, timestamptz '2022-01-01' + i * interval '1 second' as updated_at,
        'DE'::text as country, case when i % 3 = 0 then null else 0.15 end::numeric as discount, i % 2 = 0 as gift
      from generate_series(1, ${ROWS}) i;`);
    await client.exec('vacuum analyze gold.shop_orders'); // alone: VACUUM cannot run in the implicit transaction of several statements
    const table = { schema: 'gold', name: 'shop_orders' };
    const assess = () => assessPort({ repository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client, table } });
    const first = await assess();
    const planted = Math.floor(ROWS / 1000);
    expect({ records: first.records, invalid: first.invalid, streamed: first.method.streamed }).toEqual({ records: ROWS, invalid: planted, streamed: planted });
    expect(first.method.pushedDown).toHaveLength(12);
    const runs = 3;
    // count(*) runs in parallel workers when the server allows them; say how many it had.
    const plan = (await client.query<{ 'QUERY PLAN': string }>('explain (analyze, costs off) select count(*) from gold.shop_orders')).rows.map((r) => r['QUERY PLAN']).join(' ');
    const countWorkers = /Workers Launched: (\d+)/.exec(plan)?.[1] ?? '0';
    const count = await medianMs(runs, () => client.query('select count(*) from gold.shop_orders'));
    const full = await medianMs(runs, assess);
    // The share of the aggregate scan without any contract predicate: what the metrics alone cost.
    const metricsOnly = await medianMs(runs, () =>
      client.query(
        `select count(*), ${['order_id', 'customer_id', 'status', 'total', 'quantity', 'currency', 'customer_email', 'ordered_at', 'updated_at', 'country', 'discount', 'gift'].map((c) => `count(${c})`).join(', ')},
         min(total), max(total), min(quantity), max(quantity), min(ordered_at), max(ordered_at), min(updated_at), max(updated_at), min(discount), max(discount) from gold.shop_orders`,
      ),
    );
    await client.exec('alter table gold.shop_orders add primary key (order_id)');
    const keyed = await medianMs(runs, assess);
    // As a pipeline publishes it: the audited rows only, in a table that enforces the contract (its CHECK
    // constraint, NOT NULL on required fields, the primary key): a data test then evaluates no predicate.
    await client.exec(`create table gold.published (like gold.shop_orders including all);
      insert into gold.published select * from gold.shop_orders where total >= 0;`);
    const published = { schema: 'gold', name: 'published' };
    const constraint = (await contractConstraint({ repository, product: 'shop.orders', port: 'orders', client, table: published }))!;
    await client.exec(`${constraint.sql}; ${constraint.notNull.map((f) => `alter table gold.published alter column ${f} set not null`).join('; ')}`);
    await client.exec('vacuum analyze gold.published');
    const assessPublished = () => assessPort({ repository, product: 'shop.orders', port: 'orders', source: { kind: 'table', client, table: published } });
    expect((await assessPublished()).method.provedBy).toBe(constraint.name);
    const publishedCount = await medianMs(runs, () => client.query('select count(*) from gold.published'));
    const enforced = await medianMs(runs, assessPublished);
    report(`assessPort on a PostgreSQL table, ${ROWS.toLocaleString('en')} rows, 12-field contract (median wall time)`, [
      { 'SELECT count(*) ms': count, 'its parallel workers': countWorkers, 'load average': load() },
      { variant: 'full assessment', ms: full, ratio: full / count, target: '<= 3', statements: `${first.method.scans} scans` },
      { variant: 'with a primary key (no key scan)', ms: keyed, ratio: keyed / count, target: '<= 3' },
      { variant: 'published table enforcing the contract', ms: enforced, 'its count(*) ms': publishedCount, ratio: enforced / publishedCount, target: '<= 3' },
      { variant: 'metrics-only aggregate, for scale', ms: metricsOnly, ratio: metricsOnly / count },
    ]);
  } finally {
    await client.close();
    await database.drop();
    await rm(root, { recursive: true, force: true });
  }
});

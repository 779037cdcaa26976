import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { loadFile } from '../../platform/pipeline/loadFile.js';
import type { PortColumn } from '../../platform/pipeline/PortColumn.js';
import { sessionSetup } from '../../platform/pipeline/sessionSetup.js';
import { createPostgresClient } from '../../platform/db/createPostgresClient.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { writeRepo } from '../support/fixtureRepo.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { runMesh, stepOf } from '../pipeline/pipelineSupport.js';
import { medianMs, report } from './support.js';

const exec = promisify(execFile);
const ROWS = 1_000_000;
const RUNS = 3;

const COLUMNS: PortColumn[] = [
  { name: 'order_id', sqlType: 'bigint', json: 'integer' },
  { name: 'customer_id', sqlType: 'text', json: 'string' },
  { name: 'amount', sqlType: 'numeric', json: 'number' },
  { name: 'quantity', sqlType: 'bigint', json: 'integer' },
  { name: 'status', sqlType: 'text', json: 'string' },
  { name: 'country', sqlType: 'text', json: 'string' },
  { name: 'ordered_at', sqlType: 'timestamptz', json: 'string' },
  { name: 'note', sqlType: 'text', json: 'string' },
];

const CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'BenchOrder',
  description: 'One order.',
  'x-version': '1.0.0',
  'x-primary-key': ['order_id'],
  type: 'object',
  additionalProperties: false,
  required: ['order_id', 'customer_id', 'amount', 'quantity', 'status', 'country', 'ordered_at'],
  properties: {
    order_id: { description: 'Id.', type: 'integer' },
    customer_id: { description: 'Customer.', type: 'string' },
    amount: { description: 'Amount.', type: 'number' },
    quantity: { description: 'Quantity.', type: 'integer' },
    status: { description: 'Status.', type: 'string' },
    country: { description: 'Country.', type: 'string' },
    ordered_at: { description: 'When.', type: 'string', format: 'date-time' },
    note: { description: 'Free text.', type: ['string', 'null'] },
  },
};

let scratch: string | undefined;
let database: TestDatabase | undefined;
let client: SqlClient | undefined;
afterAll(async () => {
  await client?.close();
  await database?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Writes `rows` CSV records; every `dirtyEvery`-th has an amount that is not a number. */
async function writeCsv(path: string, rows: number, dirtyEvery = 0): Promise<void> {
  const out = createWriteStream(path);
  const statuses = ['open', 'shipped', 'cancelled'];
  const countries = ['DE', 'FR', 'US', 'JP', 'BR'];
  out.write(`${COLUMNS.map((c) => c.name).join(',')}\n`);
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const amount = dirtyEvery > 0 && i % dirtyEvery === 0 ? 'n/a' : ((i * 7919) % 100000 / 100).toFixed(2);
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    chunk += `${i},C${i % 50000},${amount},${(i % 9) + 1},${statuses[i % 3]},${countries[i % 5]},${at},"note ${i}, with a comma"\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

it('loads 1,000,000 CSV rows into PostgreSQL through mesh run, against psql \\copy of the same file', async () => {
  if (!(await postgresAvailable())) {
    console.warn('PostgreSQL is not available: the pipeline benchmark needs a server');
    return;
  }
  scratch = await mkdtemp(join(tmpdir(), 'mesh-bench-pipeline-'));
  database = await createTestDatabase('mesh_bench_pipeline');
  client = createPostgresClient(database.url);
  const file = join(scratch, 'orders.csv');
  await writeCsv(file, ROWS);
  const bytes = (await stat(file)).size;

  const definition = COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ');
  await client.exec(`create schema bench; create table bench.psql_copy (${definition})`);

  // Baseline: psql's \copy (client-side COPY FROM STDIN) of the same file into a table of the same types.
  const psql = await medianMs(RUNS, async () => {
    await client!.exec('truncate bench.psql_copy');
    await exec('psql', [database!.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench.psql_copy (${COLUMNS.map((c) => c.name).join(', ')}) from '${file}' with (format csv, header true)`]);
  });
  expect((await client.query<{ n: number }>('select count(*)::int as n from bench.psql_copy')).rows[0]!.n).toBe(ROWS);

  // The loader alone: a new typed table, in a transaction, as a step does.
  const load = { path: file, displayPath: 'orders.csv', load: { file: 'orders.csv', format: 'csv' as const }, columns: COLUMNS, open: false };
  const loader = await medianMs(RUNS, async () => {
    await client!.exec('drop table if exists bench.loaded');
    const outcome = await client!.transaction(async (tx) => {
      await sessionSetup(tx);
      return loadFile(tx, 'bench.loaded', load);
    });
    expect(outcome).toEqual({ records: ROWS, rejected: 0, slowPath: false });
  });

  // The whole step through mesh run: build, audit, publish (the table is replaced on each run).
  const root = join(scratch, 'repo');
  await writeRepo(root, {
    'contracts/bench/orders.schema.json': JSON.stringify(CONTRACT),
    'products/bench/orders/product.yaml': `apiVersion: mesh/v1
kind: DataProduct
id: bench.orders
name: Orders
domain: bench
version: 1.0.0
status: active
description: Benchmark orders.
owner: { team: bench, email: bench@example.com }
layer: bronze
pattern: file
outputs:
  - port: orders
    contract: contracts/bench/orders.schema.json
pipeline:
  steps:
    - port: orders
      load: { file: orders.csv, format: csv }
`,
  });
  await exec('cp', [file, join(root, 'products/bench/orders/orders.csv')]);
  const meshRun = await medianMs(RUNS, async () => {
    const summary = await runMesh(root, client!, ['bench.orders']);
    expect(stepOf(summary, 'bench.orders')).toMatchObject({ status: 'completed', rowsIn: ROWS, rowsOut: ROWS });
  });

  // For the record: a file with 1% of values that do not convert takes the slow path.
  const dirty = join(scratch, 'dirty.csv');
  await writeCsv(dirty, ROWS, 100);
  const slow = await medianMs(1, async () => {
    await client!.exec('drop table if exists bench.dirty');
    const outcome = await client!.transaction(async (tx) => {
      await sessionSetup(tx);
      return loadFile(tx, 'bench.dirty', { ...load, path: dirty });
    });
    expect(outcome).toEqual({ records: ROWS, rejected: ROWS / 100, slowPath: true });
  });

  report(`pipeline load of ${ROWS.toLocaleString('en')} CSV rows (${(bytes / 1e6).toFixed(0)} MB, ${COLUMNS.length} columns) into PostgreSQL, median of ${RUNS}`, [
    { what: 'psql \\copy (baseline)', ms: psql, 'rows/s': (ROWS / psql) * 1000, ratio: 1 },
    { what: 'mesh loader (loadFile)', ms: loader, 'rows/s': (ROWS / loader) * 1000, ratio: loader / psql },
    { what: 'mesh run, whole step (load, audit, publish)', ms: meshRun, 'rows/s': (ROWS / meshRun) * 1000, ratio: meshRun / psql },
    { what: 'mesh loader, 1% bad values (slow path, 1 run)', ms: slow, 'rows/s': (ROWS / slow) * 1000, ratio: slow / psql },
  ]);
});

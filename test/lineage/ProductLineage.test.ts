import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../platform/errors.js';
import type { DataProductManifest, QualityCheck } from '../../platform/manifest/DataProductManifest.js';
import type { DatasetEvent, JobEvent, OutputDataset } from '../../platform/lineage/OpenLineageEvent.js';
import { OpenLineageValidator } from '../../platform/lineage/OpenLineageValidator.js';
import {
  DEFAULT_WAREHOUSE_NAMESPACE,
  portDataset,
  ProductLineage,
  readStepSql,
  warehouseNamespace,
} from '../../platform/lineage/ProductLineage.js';
import { portTable } from '../../platform/warehouse/portTable.js';
import { qualityAssertion } from '../../platform/lineage/qualityAssertion.js';
import { FIXTURE_MESH, fixtureRepository } from './support.js';

const validator = OpenLineageValidator.forMesh();
const T0 = new Date('2026-11-26T10:00:00.000Z');

async function lineage(options: ConstructorParameters<typeof ProductLineage>[1] = {}) {
  return new ProductLineage(await fixtureRepository(), options);
}

function byName(datasets: readonly OutputDataset[], name: string): OutputDataset {
  const found = datasets.find((d) => d.name === name);
  if (!found) throw new Error(`no dataset ${name} in ${datasets.map((d) => d.name).join(', ')}`);
  return found;
}

describe('port datasets', () => {
  const manifest: Pick<DataProductManifest, 'id' | 'layer' | 'outputs'> = {
    id: 'sales.orders',
    layer: 'gold',
    outputs: [
      { port: 'orders', contract: 'c' },
      { port: 'order_totals', contract: 'c' },
      { port: 'x', contract: 'c', dataset: { namespace: 'kafka://b:9092', name: 't' } },
    ],
  };

  it('uses the dataset the manifest names, else the port table the warehouse writes, in its namespace', () => {
    expect(portDataset(manifest, 'x')).toEqual({ namespace: 'kafka://b:9092', name: 't' });
    for (const port of ['orders', 'order_totals']) {
      const table = portTable(manifest, port);
      expect(portDataset(manifest, port)).toEqual({ namespace: DEFAULT_WAREHOUSE_NAMESPACE, name: `${table.schema}.${table.name}` });
    }
    expect(portDataset(manifest, 'order_totals')).toEqual({ namespace: DEFAULT_WAREHOUSE_NAMESPACE, name: 'gold.sales_orders__order_totals' });
    expect(portDataset({ ...manifest, outputs: [manifest.outputs[0]] }, 'orders', 'postgres://db.internal:5432')).toEqual({ namespace: 'postgres://db.internal:5432', name: 'gold.sales_orders' });
    expect(() => portDataset(manifest, 'nope')).toThrow(NotFoundError);
  });

  it.each([
    { config: { kind: 'pglite', dataDir: '/repo/.mesh/warehouse' } as const, namespace: 'postgres://warehouse' },
    { config: { kind: 'postgres', url: 'postgres://mesh:secret@db.internal:6543/warehouse' } as const, namespace: 'postgres://db.internal:6543' },
    { config: { kind: 'postgres', url: 'postgresql://db.internal/warehouse' } as const, namespace: 'postgres://db.internal:5432' },
  ])('the warehouse namespace of $config.kind $config.url', ({ config, namespace }) => {
    expect(warehouseNamespace(config)).toBe(namespace);
  });
});

describe('run events', () => {
  it('START names the job, its type, its inputs (upstream ports, external datasets) and outputs', async () => {
    const l = await lineage();
    const run = l.run('sales.orders', { runId: '0196b7b0-9c1e-7d2a-8f00-0123456789ab' });
    const event = l.start(run, { eventTime: T0 });
    expect(validator.validate(event)).toEqual([]);
    expect(event).toMatchObject({ eventType: 'START', eventTime: T0.toISOString(), run: { runId: run.runId }, job: { namespace: 'mesh', name: 'sales.orders' } });
    expect(event.job.facets?.jobType).toMatchObject({ processingType: 'BATCH', integration: 'MESH', jobType: 'DATA_PRODUCT' });
    expect(event.job.facets?.['mesh_dataProduct']).toMatchObject({ domain: 'sales', product: 'sales.orders', productVersion: '2.1.0', owner: { team: 'sales-analytics' } });
    expect(event.run.facets?.processing_engine).toMatchObject({ name: 'mesh' });
    expect(event.inputs.map((d) => `${d.namespace}/${d.name}`)).toEqual(['postgres://warehouse/silver.sales_customers', 'postgres://crm:5432/crm.public.orders']);
    expect(event.inputs[1]!.facets?.documentation?.description).toBe('Orders as the shop records them.');
    expect(event.outputs.map((d) => d.name)).toEqual(['gold.sales_orders', 'gold.sales_orders__order_totals']);
    // Nothing is replaced yet: no version, no lifecycle change.
    for (const output of event.outputs) {
      expect(output.facets?.version).toBeUndefined();
      expect(output.facets?.lifecycleStateChange).toBeUndefined();
    }
  });

  it('dataset facets come from the manifest and the contract', async () => {
    const l = await lineage();
    const event = l.start(l.run('sales.orders'));
    const customers = event.inputs[0]!;
    expect(customers.facets?.schema?.fields.map((f) => [f.name, f.type, f.ordinal_position])).toEqual([
      ['customer_id', 'string', 1],
      ['name', 'string', 2],
      ['email', 'string', 3],
      ['country', 'string', 4],
      ['address', 'object', 5],
      ['signed_up_at', 'string', 6],
    ]);
    const address = customers.facets!.schema!.fields[4]!;
    expect(address.fields?.map((f) => f.name)).toEqual(['street', 'city', 'geo']);
    expect(address.fields?.[2]?.fields).toEqual([
      { name: 'lat', type: 'number', description: 'Latitude.', ordinal_position: 1 },
      { name: 'lon', type: 'number', description: 'Longitude.', ordinal_position: 2 },
    ]);
    expect(customers.facets?.ownership?.owners).toEqual([
      { name: 'team:sales-core', type: 'OWNER' },
      { name: 'email:sales-core@example.com', type: 'CONTACT' },
    ]);
    expect(customers.facets?.documentation?.description).toBe('Every customer of the shop, one row per customer.');
    expect(customers.facets?.dataSource).toMatchObject({ name: 'postgres://warehouse', uri: 'postgres://warehouse' });
    expect(customers.facets?.['mesh_dataProduct']).toMatchObject({ product: 'sales.customers', port: 'customers', contract: 'contracts/sales/customers.schema.json', contractVersion: '1.3.0', compatibility: 'forward', layer: 'silver' });
    const tags = customers.facets?.tags?.tags ?? [];
    expect(tags).toContainEqual({ key: 'classification', value: 'confidential', source: 'CONTRACT' });
    expect(tags).toContainEqual({ key: 'pii', value: 'true', source: 'CONTRACT', field: 'email' });
    expect(tags).toContainEqual({ key: 'classification', value: 'restricted', source: 'CONTRACT', field: 'email' });
    expect(tags).toContainEqual({ key: 'layer', value: 'silver', source: 'MANIFEST' });
    expect(tags).toContainEqual({ key: 'customers', value: 'true', source: 'MANIFEST' });
    const totals = byName(event.outputs, 'gold.sales_orders__order_totals');
    expect(totals.facets?.documentation?.description).toBe('Revenue per day and currency.');
    expect(totals.facets?.['mesh_dataProduct']).toMatchObject({ port: 'order_totals', compatibility: 'backward', contractVersion: '1.0.0' });
  });

  it('COMPLETE versions the outputs by run, says how they changed, and carries statistics and column lineage', async () => {
    const l = await lineage();
    const run = l.run('sales.orders');
    const columnLineage = { total: { inputFields: [{ namespace: 'postgres://crm:5432', name: 'crm.public.orders', field: 'amount' }] } };
    const event = l.complete(run, { outputs: { orders: { rowCount: 12, size: 4096, columnLineage } } });
    expect(validator.validate(event)).toEqual([]);
    const orders = byName(event.outputs, 'gold.sales_orders');
    expect(orders.facets?.version?.datasetVersion).toBe(run.runId);
    expect(orders.facets?.lifecycleStateChange?.lifecycleStateChange).toBe('OVERWRITE');
    expect(orders.outputFacets?.outputStatistics).toMatchObject({ rowCount: 12, size: 4096 });
    expect(orders.facets?.columnLineage?.fields).toEqual(columnLineage);
    const totals = byName(event.outputs, 'gold.sales_orders__order_totals');
    expect(totals.facets?.lifecycleStateChange?.lifecycleStateChange).toBe('CREATE'); // a view
    expect(totals.outputFacets).toBeUndefined();
    expect(totals.facets?.columnLineage).toBeUndefined(); // SQL: not known unless given
  });

  it('a file load maps each file column to the field of the same name', async () => {
    const l = await lineage();
    const event = l.complete(l.run('sales.customers'));
    const file = join(FIXTURE_MESH, 'products/sales/customers/customers.csv');
    expect(event.inputs.map((d) => [d.namespace, d.name])).toEqual([['file', file]]);
    const lineageFacet = event.outputs[0]!.facets?.columnLineage;
    expect(Object.keys(lineageFacet!.fields)).toEqual(['customer_id', 'name', 'email', 'country', 'address', 'signed_up_at']);
    expect(lineageFacet!.fields['email']).toEqual({ inputFields: [{ namespace: 'file', name: file, field: 'email', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }] });
  });

  it('FAIL carries the error and leaves the outputs unversioned (nothing was swapped in)', async () => {
    const l = await lineage();
    const run = l.run('sales.orders');
    const error = new Error('relation "crm_orders" does not exist');
    const event = l.fail(run, error);
    expect(validator.validate(event)).toEqual([]);
    expect(event.eventType).toBe('FAIL');
    expect(event.run.facets?.errorMessage).toMatchObject({ message: error.message, programmingLanguage: 'JAVASCRIPT', stackTrace: error.stack });
    for (const output of event.outputs) expect(output.facets?.version).toBeUndefined();
    expect(l.fail(run, 'plain text').run.facets?.errorMessage).toMatchObject({ message: 'plain text' });
  });

  it('a streaming product runs as STREAMING and publishes the dataset it names', async () => {
    const l = await lineage();
    const event = l.start(l.run('marketing.clicks'));
    expect(event.job.facets?.jobType?.processingType).toBe('STREAMING');
    expect(event.outputs.map((d) => [d.namespace, d.name])).toEqual([['kafka://broker:9092', 'mesh.marketing.clicks']]);
  });

  it('a step is a child run that reads what its SQL references, with the SQL as run', async () => {
    const l = await lineage();
    const steps = await readStepSql(await fixtureRepository(), 'sales.orders');
    expect(steps['orders']!.sql).toContain("{{ ref('sales.customers', 'customers') }}");
    expect(steps['order_totals']!.sql).toMatch(/^select date\(ordered_at\)/);
    const parent = l.run('sales.orders', { steps: { ...steps, orders: { ...steps['orders']!, compiled: 'select 1 from silver.sales_customers' } }, parent: { run: { runId: '0196b7b0-9c1e-7d2a-8f00-0123456789ab' }, job: { namespace: 'airflow', name: 'nightly' } } });
    const step = l.step(parent, 'orders');
    const event = l.start(step);
    expect(validator.validate(event)).toEqual([]);
    expect(event.job.name).toBe('sales.orders.step.orders');
    expect(event.job.facets?.jobType?.jobType).toBe('STEP');
    expect(event.job.facets?.sql).toMatchObject({ query: 'select 1 from silver.sales_customers', dialect: 'postgres' });
    expect(event.run.facets?.parent).toMatchObject({
      run: { runId: parent.runId },
      job: { namespace: 'mesh', name: 'sales.orders' },
      root: { run: { runId: '0196b7b0-9c1e-7d2a-8f00-0123456789ab' }, job: { namespace: 'airflow', name: 'nightly' } },
    });
    expect(event.inputs.map((d) => d.name)).toEqual(['silver.sales_customers']);
    expect(event.outputs.map((d) => d.name)).toEqual(['gold.sales_orders']);
    // Two SQL steps: the pipeline job itself carries no single query.
    expect(l.start(parent).job.facets?.sql).toBeUndefined();
    expect(() => l.step(parent, 'nope')).toThrow(NotFoundError);
  });

  it('a data test reads the ports it measures, with metrics and assertions as input facets', async () => {
    const l = await lineage();
    const repository = await fixtureRepository();
    const checks = repository.products.get('sales.orders')!.manifest.quality!;
    const deadLetter = { namespace: DEFAULT_WAREHOUSE_NAMESPACE, name: 'dead_letter.sales_orders' };
    const test = l.test('sales.orders', { extraOutputs: [deadLetter] });
    const start = l.start(test);
    expect(start.job.name).toBe('sales.orders.test');
    expect(start.job.facets?.jobType?.jobType).toBe('TEST');
    expect(start.inputs.map((d) => d.name)).toEqual(['gold.sales_orders', 'gold.sales_orders__order_totals']);
    expect(start.inputs[0]!.inputFacets).toBeUndefined();
    const end = l.fail(test, new Error('1 check failed'), {
      quality: {
        orders: {
          metrics: { rowCount: 12, columnMetrics: { order_id: { nullCount: 0, distinctCount: 11 } } },
          assertions: checks.map((c) => qualityAssertion(c, { success: c.check !== 'unique', actual: c.check === 'unique' ? 1 : 12 })),
        },
      },
    });
    expect(validator.validate(end)).toEqual([]);
    expect(end.inputs[0]!.inputFacets?.dataQualityMetrics?.rowCount).toBe(12);
    expect(end.inputs[0]!.inputFacets?.dataQualityAssertions?.assertions).toEqual([
      { assertion: 'unique', column: 'order_id', success: false, name: 'unique_order_id', severity: 'error', actual: '1', expected: '0 duplicates' },
      { assertion: 'row_count', success: true, name: 'row_count', severity: 'error', actual: '12', expected: '>= 1' },
    ]);
    expect(end.inputs[1]!.inputFacets).toBeUndefined();
    expect(end.outputs).toEqual([deadLetter]);
  });

  it('refuses a product the repository does not hold', async () => {
    const l = await lineage();
    expect(() => l.run('sales.nope')).toThrow(NotFoundError);
  });
});

describe('static lineage for mesh publish', () => {
  it('announces each product: its port datasets, then its pipeline job, producers first', async () => {
    const l = await lineage({ namespace: 'acme' });
    const events = await l.publishEvents({ eventTime: T0 });
    for (const event of events) expect(validator.validate(event)).toEqual([]);
    const summary = events.map((e) => ('dataset' in e ? `dataset ${e.dataset.name}` : `job ${e.job.namespace}/${e.job.name}`));
    expect(summary).toEqual([
      'dataset mesh.marketing.clicks',
      'job acme/marketing.clicks',
      'dataset silver.sales_customers',
      'job acme/sales.customers',
      'dataset gold.sales_orders',
      'dataset gold.sales_orders__order_totals',
      'job acme/sales.orders',
    ]);
    const job = events[6] as JobEvent;
    expect(job.eventTime).toBe(T0.toISOString());
    expect(job.inputs.map((d) => d.name)).toEqual(['silver.sales_customers', 'crm.public.orders']);
    expect(job.outputs.map((d) => d.name)).toEqual(['gold.sales_orders', 'gold.sales_orders__order_totals']);
    for (const dataset of [...job.outputs, job.inputs[0]!]) {
      expect(Object.keys(dataset.facets ?? {})).toEqual(expect.arrayContaining(['schema', 'ownership', 'documentation', 'mesh_dataProduct']));
    }
    const ds = events[2] as DatasetEvent;
    expect(ds.dataset.facets?.schema?.fields.length).toBe(6);
  });
});

describe('quality assertions', () => {
  const cases: { check: QualityCheck; expected: Record<string, unknown> }[] = [
    { check: { check: 'unique', fields: ['a', 'b'] }, expected: { assertion: 'unique', params: { fields: ['a', 'b'] }, name: 'unique_a_b', expected: '0 duplicates' } },
    { check: { check: 'not_null', field: 'a', severity: 'warn' }, expected: { assertion: 'not_null', column: 'a', severity: 'warn', name: 'not_null_a' } },
    { check: { check: 'accepted_values', field: 's', values: ['x', 'y'] }, expected: { assertion: 'accepted_values', column: 's', expected: '["x","y"]', params: { values: ['x', 'y'] } } },
    { check: { check: 'row_count', min: 1, max: 9 }, expected: { assertion: 'row_count', expected: 'between 1 and 9' } },
    { check: { check: 'range', field: 't', max: 5 }, expected: { assertion: 'range', column: 't', expected: '<= 5' } },
    {
      check: { check: 'relationships', field: 'c', to: { product: 'sales.customers', port: 'customers', field: 'customer_id' } },
      expected: { assertion: 'relationships', column: 'c', params: { product: 'sales.customers', port: 'customers', field: 'customer_id' } },
    },
    {
      check: { check: 'sql', name: 'no_negative', query: 'select count(*) from {table} where total < 0', mustBe: 0, description: 'No refunds as orders.' },
      expected: { assertion: 'custom_sql', name: 'no_negative', expected: '= 0', content: 'select count(*) from {table} where total < 0', contentType: 'sql', description: 'No refunds as orders.' },
    },
  ];

  it.each(cases)('$check.check', ({ check, expected }) => {
    const assertion = qualityAssertion(check, { success: true, actual: 0 });
    expect(assertion).toMatchObject({ success: true, actual: '0', severity: 'error', ...expected });
  });
});

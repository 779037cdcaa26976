import { GraphQLClient, gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogReadModel } from '../../catalog/graphql/readModel/CatalogReadModel.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { migrate } from '../../catalog/store/migrate.js';
import { openSqlClient } from '../../catalog/store/openCatalogStore.js';
import { SqlCatalogStore } from '../../catalog/store/SqlCatalogStore.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { countingSqlClient, type CountingSqlClient } from '../support/countingSqlClient.js';
import { generateCatalog, type GeneratedCatalog } from '../support/generateCatalog.js';
import { EXAMPLE_MESH, PRODUCT_DETAIL_QUERY, publishExampleMesh, startGraphQLCatalog } from '../support/graphqlCatalog.js';
import { postJson } from '../support/httpRequest.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';

const admin = { kind: 'direct', name: 'test' } as const;

/** Everything a product page can show, down to version manifests, contract schemas and every quality and SLA field. */
const PAGE = gql`
  query Page($id: ID!) {
    product(id: $id) {
      id apiVersion kind name domain version status sunset replacedById description tags layer pattern links quality scoring pipeline file publishedAt updatedAt
      owner { team email name slack }
      team { name }
      sla { freshnessMax freshnessColumn availability completeness latency }
      inputs { productId port fields description product { id name domain } dataset { id namespace name } }
      outputs {
        name description compatibility status
        dataset { id namespace name product { id } }
        contract { path version title description owner schema fields { name type required nullable pii classification description format primaryKey unique } versions { seq version } }
        qualityScore { score grade measuredAt port records valid invalid checks dimensions { name score weight detail } }
        slaStatus { measuredAt port freshness freshnessLagSeconds freshnessMaxSeconds availability availabilityPercent completeness completenessPercent detail }
      }
      consumers { port fields product { id name domain } team { name } }
      versions(first: 50) { seq version publishedAt publishedBy manifest contracts { port path version seq contractVersion { seq version } } }
      runs(first: 5) { id job state startedAt endedAt updatedAt errorMessage }
      slaStatus { measuredAt port freshness freshnessLagSeconds freshnessMaxSeconds availability availabilityPercent completeness completenessPercent detail }
      qualityScore { score grade measuredAt port records valid invalid checks dimensions { name score weight detail } }
    }
  }
`;

/** The benchmark's product page: what the page model serves, and runs. */
const DETAIL = PRODUCT_DETAIL_QUERY;

type Page = Record<string, any> | null;

/**
 * Product pages from the read model are the pages the database gives: on a generated catalog (several versions,
 * inputs from other products, results on several ports), every page is asked of a server with the read models
 * and of one without, and compared whole. The model's page costs one statement (runs) where the database's costs
 * two; counted, so that a page quietly read from the database would fail.
 */
describe.each(CATALOG_ADAPTERS)('product pages from the read model agree with the database ($name)', (adapter) => {
  let sql: CountingSqlClient;
  let store: SqlCatalogStore;
  let drop: () => Promise<void>;
  let catalog: GeneratedCatalog;
  let withModel: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let withoutModel: Awaited<ReturnType<typeof startGraphQLCatalog>>;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    sql = countingSqlClient(await openSqlClient(db.config));
    await migrate(sql);
    store = new SqlCatalogStore(sql);
    catalog = await generateCatalog(store, { products: 60, domains: 3, teams: 6, datasets: 300, edges: 1_200, seed: 'product-pages' });
    withModel = await startGraphQLCatalog(store, { readModel: true });
    withoutModel = await startGraphQLCatalog(store, { readModel: false });
    await withModel.readModel!.ready();
  });
  afterAll(async () => {
    await withModel?.close();
    await withoutModel?.close();
    await store?.close();
    await drop?.();
  });

  it.skipIf(!adapter.available)('every page, whole, and a product that does not exist', async () => {
    const model = withModel.readModel!;
    const fromModel = new GraphQLClient(withModel.graphqlUrl);
    const fromDatabase = new GraphQLClient(withoutModel.graphqlUrl);
    const ids = [...catalog.products.map((p) => p.id), 'nope.nothing'];
    const shown = { versions: 0, consumers: 0, inputs: 0, quality: 0, sla: 0, runs: 0 };
    for (const id of ids) {
      expect(model.productPage(id), id).toBeDefined();
      const expected = (await fromDatabase.request<{ product: Page }>(PAGE, { id })).product;
      expect((await fromModel.request<{ product: Page }>(PAGE, { id })).product, id).toEqual(expected);
      if (!expected) continue;
      if (expected['versions'].length > 1) shown.versions++;
      if (expected['consumers'].length > 0) shown.consumers++;
      if (expected['inputs'].some((i: any) => i.product)) shown.inputs++;
      if (expected['outputs'].some((o: any) => o.qualityScore)) shown.quality++;
      if (expected['slaStatus']) shown.sla++;
      if (expected['runs'].length > 0) shown.runs++;
    }
    // The generated catalog shows each part on some pages, so that the comparison covers it.
    for (const [part, count] of Object.entries(shown)) expect(count, part).toBeGreaterThan(3);
  });

  it.skipIf(!adapter.available)("the benchmark's page costs one statement (runs) from the model; the database reads it with the page statement", async () => {
    const fromModel = new GraphQLClient(withModel.graphqlUrl);
    const fromDatabase = new GraphQLClient(withoutModel.graphqlUrl);
    for (const { id } of catalog.products.slice(0, 10)) {
      sql.reset();
      const expected = await fromDatabase.request(DETAIL, { id });
      expect(sql.top().map((s) => s.statement)).toContainEqual(expect.stringMatching(/^select to_jsonb\(pr\) as product/));
      sql.reset();
      expect(await fromModel.request(DETAIL, { id })).toEqual(expected);
      expect(sql.top()).toEqual([{ statement: expect.stringMatching(/^with jobs as/), count: 1 }]);
    }
  });
});

/**
 * Writes through the store show on the product page in the response to the next request, over HTTP: a publication
 * (of the product, of a product that reads it, of its contract alone), a quality result, an SLA status, an
 * ingested run. Until the model has read the page again it is stale and the database answers; after, the model
 * does. Each time the page equals the database's.
 */
describe.each(CATALOG_ADAPTERS)('product pages stay current ($name)', (adapter) => {
  let store: SqlCatalogStore;
  let drop: () => Promise<void>;
  let server: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let reference: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let model: CatalogReadModel;
  let client: GraphQLClient;
  let financeToken: string;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = new SqlCatalogStore(await openSqlClient(db.config));
    await migrate(store.sql);
    await publishExampleMesh(store);
    financeToken = (await store.createToken('finance-analytics', admin)).token;
    // Rebuilt only when a test waits for it (ready()), so that each write is first seen while the page is stale.
    server = await startGraphQLCatalog(store, { readModel: { minRebuildMs: 3_600_000 } });
    reference = await startGraphQLCatalog(store, { readModel: false });
    model = server.readModel!;
    client = new GraphQLClient(server.graphqlUrl);
    await model.ready();
  });
  afterAll(async () => {
    await server?.close();
    await reference?.close();
    await store?.close();
    await drop?.();
  });

  const page = async (id: string) => (await client.request<{ product: Record<string, any> }>(PAGE, { id })).product;
  /** The page now, and once the model has read it again: each as the database gives it; the latter from the model. */
  const current = async (id: string) => {
    const expected = async () => (await new GraphQLClient(reference.graphqlUrl).request<{ product: Page }>(PAGE, { id })).product;
    const stale = await page(id);
    expect(stale).toEqual(await expected());
    await model.ready();
    expect(model.productPage(id), `${id} is served by the model once refreshed`).toBeTruthy();
    expect(await page(id)).toEqual(await expected());
    return stale;
  };

  it.skipIf(!adapter.available)('a publication of the product, and of a product that reads it (its consumers)', async () => {
    expect(model.productPage('finance.revenue')).toBeTruthy();
    expect((await page('sales.orders'))['consumers'].map((c: any) => c.product.id)).toContain('finance.revenue');
    const repository = await loadRepository(EXAMPLE_MESH);
    const bundle = structuredClone(buildPublishBundle(repository, { products: ['finance.revenue'] })) as any;
    const revenue = bundle.products[0].manifest;
    revenue.version = '3.2.0';
    revenue.description = 'Recognised revenue, now without the sales orders input.';
    revenue.inputs = revenue.inputs.filter((i: any) => i.product !== 'sales.orders');
    revenue.quality = revenue.quality.filter((q: any) => q.to?.product !== 'sales.orders');
    await store.publish(bundle, admin);

    // Stale at once, for both pages the publication changed; the answer is the database's, already new.
    expect(model.productPage('finance.revenue')).toBeUndefined();
    expect(model.productPage('sales.orders')).toBeUndefined();
    expect(model.productPage('finance.payments')).toBeUndefined();
    expect(model.productPage('marketing.campaigns')).toBeTruthy();
    const published = await current('finance.revenue');
    expect(published['description']).toBe('Recognised revenue, now without the sales orders input.');
    expect(published['versions'].map((v: any) => v.version)).toEqual(['3.2.0', '3.1.0']);
    expect(published['versions'][0].manifest.description).toBe(published['description']);
    expect(published['inputs'].map((i: any) => i.productId)).not.toContain('sales.orders');
    expect((await current('sales.orders'))['consumers'].map((c: any) => c.product.id)).not.toContain('finance.revenue');
  });

  it.skipIf(!adapter.available)("a publication of a contract by another product: every page whose port shows it", async () => {
    await model.ready();
    const repository = await loadRepository(EXAMPLE_MESH);
    // A second product whose port shares sales.orders' contract publishes a new version of it; sales.orders
    // itself is not in the bundle.
    const bundle = structuredClone(buildPublishBundle(repository, { products: ['sales.orders'] })) as any;
    const copy = bundle.products[0];
    copy.file = 'products/sales/orders_copy/product.yaml';
    copy.manifest.id = 'sales.orders_copy';
    copy.manifest.outputs[0].dataset.name = 'analytics.gold.sales_orders_copy';
    const contract = bundle.contracts.find((c: any) => c.file === copy.manifest.outputs[0].contract);
    contract.schema.properties.zebracorn_note = { type: 'string', description: 'Counted by the zebracorn.' };
    const outcome = await store.publish(bundle, admin);
    expect(outcome.products.map((p) => [p.id, p.action])).toEqual([['sales.orders_copy', 'created']]);
    expect(outcome.contracts.find((c) => c.id === contract.file)!.action).toBe('updated');
    expect(model.productPage('sales.orders')).toBeUndefined();
    const fields = (await current('sales.orders'))['outputs'][0].contract.fields;
    expect(fields).toContainEqual(expect.objectContaining({ name: 'zebracorn_note', description: 'Counted by the zebracorn.' }));
    expect((await current('sales.orders_copy'))['outputs'][0].contract.fields).toEqual(fields);
  });

  it.skipIf(!adapter.available)('a quality result, and an SLA status', async () => {
    await model.ready();
    expect(model.productPage('finance.payments')).toBeTruthy();
    await store.recordQualityResult({ productId: 'finance.payments', port: 'payments', measuredAt: '2026-12-01T00:00:00.000Z', score: 42.5, grade: 'F', records: 10, valid: 4, invalid: 6 }, admin);
    expect(model.productPage('finance.payments')).toBeUndefined();
    const scored = await current('finance.payments');
    expect(scored['qualityScore']).toMatchObject({ score: 42.5, grade: 'F', records: 10 });
    expect(scored['outputs'][0].qualityScore).toMatchObject({ score: 42.5, grade: 'F' });

    await store.recordSlaStatus({ productId: 'finance.payments', port: 'payments', measuredAt: '2026-12-01T00:00:00.000Z', freshness: { status: 'BREACHED', lagSeconds: 90_000, maxSeconds: 86_400 }, availability: { status: 'MET', percent: 100 }, completeness: { status: 'AT_RISK', percent: 98.5 } }, admin);
    expect(model.productPage('finance.payments')).toBeUndefined();
    const measured = await current('finance.payments');
    expect(measured['slaStatus']).toMatchObject({ freshness: 'BREACHED', freshnessLagSeconds: 90_000, completenessPercent: 98.5 });
    expect(measured['outputs'][0].slaStatus).toMatchObject({ freshness: 'BREACHED' });
  });

  it.skipIf(!adapter.available)('a run ingested over HTTP, by a job writing the product’s dataset', async () => {
    await model.ready();
    const before = await page('finance.payments');
    const dataset = before['outputs'][0].dataset;
    const runId = uuidFor('product-pages-run');
    const answer = await postJson(`${server.url}/api/v1/lineage`, runEvent({ runId, eventType: 'COMPLETE', eventTime: '2026-12-02T00:00:00.000Z', job: { namespace: 'airflow', name: 'payments_load' }, outputs: [{ namespace: dataset.namespace, name: dataset.name }] }), financeToken);
    expect(answer.status, answer.text).toBe(201);
    // The page itself did not change, and stays in the model; runs are read for every request.
    expect(model.productPage('finance.payments')).toBeTruthy();
    const after = await current('finance.payments');
    expect(after['runs'][0]).toMatchObject({ id: runId, job: 'job:airflow:payments_load', state: 'COMPLETE' });
  });
});

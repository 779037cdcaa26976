import { GraphQLClient, gql } from 'graphql-request';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { ChangeNotifier } from '../../catalog/store/ChangeNotifier.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { SqlCatalogStore } from '../../catalog/store/SqlCatalogStore.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { EXAMPLE_MESH, publishExampleMesh, startGraphQLCatalog } from '../support/graphqlCatalog.js';
import { postJson } from '../support/httpRequest.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';

const admin = { kind: 'direct', name: 'test' } as const;
const available = await postgresAvailable();

/** Polls `probe` until it holds (every 50 ms, at most `ms`); returns whether it did. */
async function eventually(probe: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Two catalog servers on one PostgreSQL database, as two `mesh serve` processes would be (each store has its own
 * pool, listening connection and origin): what one commits reaches the other's read models by notification, so
 * that the other's answers catch up within milliseconds instead of at a rebuild that nothing would trigger.
 */
describe.skipIf(!available)('writes by another process reach the read models (PostgreSQL)', () => {
  let db: TestDatabase;
  let reader: SqlCatalogStore;
  let writer: SqlCatalogStore;
  let served: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let writing: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let client: GraphQLClient;

  beforeAll(async () => {
    db = await createTestDatabase('mesh_changes');
    writer = (await openCatalogStore({ kind: 'postgres', url: db.url })) as SqlCatalogStore;
    await publishExampleMesh(writer);
    reader = (await openCatalogStore({ kind: 'postgres', url: db.url })) as SqlCatalogStore;
    served = await startGraphQLCatalog(reader, { readModel: { minRebuildMs: 50 } });
    writing = await startGraphQLCatalog(writer, { readModel: false });
    client = new GraphQLClient(served.graphqlUrl);
    expect(await reader.hearingOthers()).toBe(true);
    await served.readModel!.ready();
  });
  afterAll(async () => {
    await served?.close();
    await writing?.close();
    await reader?.close();
    await writer?.close();
    await db?.drop();
  });

  const found = async (word: string) =>
    (await client.request<{ products: { edges: { node: { id: string } }[] } }>(gql`query($q: String) { products(query: $q) { edges { node { id } } } }`, { q: word })).products.edges.map((e) => e.node.id);

  async function publishWord(word: string): Promise<void> {
    const bundle = buildPublishBundle(await loadRepository(EXAMPLE_MESH));
    const orders = bundle.products.find((p) => (p.manifest as { id: string }).id === 'sales.orders')!;
    await writer.publish({ ...bundle, products: [{ ...orders, manifest: { ...(orders.manifest as object), description: `Confirmed orders, counted by the ${word}.` } }] }, admin);
  }

  it('a publication by the other process is found by search, from the database and then from the rebuilt index', async () => {
    expect(await found('zebracorn')).toEqual([]);
    await publishWord('zebracorn');
    expect(await eventually(async () => (await found('zebracorn')).includes('sales.orders'))).toBe(true);
    await served.readModel!.ready();
    const model = served.readModel!;
    expect(model.searchIndex()!.search((await model.tsquery('zebracorn')) ?? undefined, {}, 10, 0).page.map((p) => p.id)).toEqual(['sales.orders']);
  });

  it("a publication and an SLA status by the other process show on the product pages, stale first, then from the model", async () => {
    const model = served.readModel!;
    await model.ready();
    const description = async (id: string) => (await client.request<{ product: { description: string; slaStatus: { freshness: string } | null; outputs: unknown[] } }>(gql`query($id: ID!) { product(id: $id) { description slaStatus { freshness } outputs { name } } }`, { id })).product;
    expect(model.productPage('sales.orders')).toBeTruthy();
    await publishWord('aardvark');
    expect(await eventually(async () => (await description('sales.orders')).description.includes('aardvark'))).toBe(true);
    await model.ready();
    expect(model.productPage('sales.orders')!.page.product.description).toContain('aardvark');
    await writer.recordSlaStatus({ productId: 'sales.customers', measuredAt: '2026-12-01T00:00:00.000Z', freshness: { status: 'BREACHED' }, availability: { status: 'MET' }, completeness: { status: 'MET' } }, admin);
    expect(await eventually(async () => (await description('sales.customers')).slaStatus?.freshness === 'BREACHED')).toBe(true);
    // An unknown change (what a reopened listening connection reports): every page is stale until read again.
    model.changed({ kind: 'unknown' });
    expect(model.productPage('sales.orders')).toBeUndefined();
    expect(model.productPage('finance.revenue')).toBeUndefined();
    await model.ready();
    expect(model.productPage('finance.revenue')).toBeTruthy();
    expect(model.productPage('sales.customers')!.page.sla.map((s) => s.freshness)).toContain('BREACHED');
  });

  it('lineage ingested by the other server shows in walks', async () => {
    const token = (await writer.createToken('sales-analytics', admin)).token;
    const job = { namespace: 'airflow', name: 'okapi_export' };
    const report = { namespace: 'postgres://warehouse.internal:5432', name: 'reports.okapi' };
    const walk = async () =>
      (await client.request<{ lineage: { nodes: { id: string }[] } }>(gql`query($n: ID!) { lineage(node: $n, direction: DOWNSTREAM, depth: 2) { nodes { id } } }`, { n: `job:${job.namespace}:${job.name}` })).lineage.nodes.map((n) => n.id);
    await served.readModel!.ready();
    expect(await walk()).toEqual([]);
    const event = runEvent({ runId: uuidFor('cross-process-run'), eventType: 'COMPLETE', job, inputs: [{ namespace: 'postgres://crm:5432', name: 'crm.public.orders' }], outputs: [report], fields: 2 });
    const answer = await postJson(`${writing.url}/api/v1/lineage`, event, token);
    expect(answer.status, answer.text).toBe(201);
    expect(await eventually(async () => (await walk()).includes(`dataset:${report.namespace}:${report.name}`))).toBe(true);
  });

  it('a lost listening connection is opened again, and changes after it are heard', async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      const listeners = async () => (await admin.query<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and query ilike 'listen%'`, [db.name])).rows.map((r) => r.pid);
      const before = await listeners();
      expect(before.length).toBe(1);
      await admin.query('select pg_terminate_backend($1)', [before[0]]);
      expect(await eventually(async () => {
        const now = await listeners();
        return now.length === 1 && now[0] !== before[0];
      })).toBe(true);
      await served.readModel!.ready();
      expect(await found('quagga')).toEqual([]);
      await publishWord('quagga');
      expect(await eventually(async () => (await found('quagga')).includes('sales.orders'))).toBe(true);
    } finally {
      await admin.end();
    }
  });

  it('without notifications the same publication stays unseen by a current model: what the tests above would miss', async () => {
    const deaf = (await openCatalogStore({ kind: 'postgres', url: db.url })) as SqlCatalogStore;
    // The same store over a client that cannot listen, as every store was before notifications.
    const { listen: _listen, ...sql } = deaf.sql;
    const store = new SqlCatalogStore(sql);
    const other = await startGraphQLCatalog(store, { readModel: { minRebuildMs: 50 } });
    try {
      expect(await store.hearingOthers()).toBe(false);
      await other.readModel!.ready();
      const deafClient = new GraphQLClient(other.graphqlUrl);
      const seen = async () => (await deafClient.request<{ products: { edges: unknown[] } }>(gql`{ products(query: "aardwolf") { edges { node { id } } } }`)).products.edges.length > 0;
      await publishWord('aardwolf');
      expect(await eventually(seen, 1_000)).toBe(false);
      expect(await found('aardwolf')).toEqual(['sales.orders']);
    } finally {
      await other.close();
      await deaf.close();
    }
  });
});

describe('ChangeNotifier payloads', () => {
  const notifier = new ChangeNotifier({ kind: 'postgres', location: 'postgres://', query: async () => ({ rows: [], rowCount: 0 }), exec: async () => {}, transaction: async () => { throw new Error('unused'); }, copyFrom: async () => 0, copyTo: async function* () {}, close: async () => {}, listen: async () => async () => {} });

  it.each([
    ['another origin\'s publish names what it wrote', { o: 'x', c: { kind: 'publish', products: ['a.b'], contracts: ['c.json'], upstreams: [] } }, { kind: 'publish', products: ['a.b'], contracts: ['c.json'], upstreams: [] }],
    ['a publish without what it wrote is anything', { o: 'x', c: { kind: 'publish' } }, { kind: 'unknown' }],
    ['an SLA status names its product', { o: 'x', c: { kind: 'sla', products: ['a.b'] } }, { kind: 'sla', products: ['a.b'] }],
    ['an SLA status without it is anything', { o: 'x', c: { kind: 'sla' } }, { kind: 'unknown' }],
    ['a quality result names its products', { o: 'x', c: { kind: 'quality', products: ['a.b'] } }, { kind: 'quality', products: ['a.b'] }],
    ['a quality result without products is anything', { o: 'x', c: { kind: 'quality', products: [1] } }, { kind: 'unknown' }],
    ['its own origin is ignored', { o: notifier.origin, c: { kind: 'publish' } }, undefined],
    ['an unknown kind is ignored', { o: 'x', c: { kind: 'drop' } }, undefined],
    ['a payload that is not ours', 'hello', undefined],
  ])('%s', (_name, payload, expected) => {
    expect(notifier.decode(typeof payload === 'string' ? payload : JSON.stringify(payload))).toEqual(expected);
  });
});

import { readFile } from 'node:fs/promises';
import { getIntrospectionQuery } from 'graphql';
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { SqlCatalogStore } from '../../catalog/store/SqlCatalogStore.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';
import { meshDatasetFacet } from '../../platform/lineage/meshFacets.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { EXAMPLE_MESH, publishExampleMesh, startGraphQLCatalog } from '../support/graphqlCatalog.js';
import { postJson, send } from '../support/httpRequest.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';

const admin = { kind: 'direct', name: 'test' } as const;
const WAREHOUSE = 'postgres://warehouse.internal:5432';

/** A SqlClient that counts the statements sent through it. */
function countingClient(inner: SqlClient): SqlClient & { count: number } {
  const counted = {
    ...inner,
    count: 0,
    query: (text: string, params?: readonly unknown[]) => {
      counted.count++;
      return inner.query(text, params);
    },
  } as SqlClient & { count: number };
  return counted;
}

/** A query nested `levels` deep: product, consumers, product, consumers, ... */
function nested(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `product { ${inner} }` : `consumers { ${inner} }`;
  return `{ product(id: "sales.orders") { ${inner} } }`;
}

/** What a refused query answers: the HTTP status and each error's code. */
async function refusal(client: GraphQLClient, query: string, variables?: Record<string, unknown>) {
  try {
    await client.request(query, variables);
  } catch (error) {
    if (error instanceof ClientError) return { status: error.response.status, codes: (error.response.errors ?? []).map((e) => e.extensions?.['code']), messages: (error.response.errors ?? []).map((e) => e.message) };
    throw error;
  }
  throw new Error('the query was not refused');
}

describe.each(CATALOG_ADAPTERS)('GraphQL catalog on $name', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let client: GraphQLClient;
  let salesToken: string;
  let financeToken: string;
  const logged: string[] = [];

  beforeAll(async () => {
    if (!adapter.available) return;
    const created = await adapter.create();
    drop = created.drop;
    // A differ that classifies every new contract version with one change, to see that changes are served.
    store = await openCatalogStore(created.config, { contractDiffer: (before, after) => [{ code: 'TEST_CHANGE', pointer: '', backward: true, forward: true, message: `${before.version} to ${after.version}` }] });
    await publishExampleMesh(store);
    catalog = await startGraphQLCatalog(store, { log: (line) => logged.push(line) });
    client = new GraphQLClient(catalog.graphqlUrl);
    salesToken = (await store.createToken('sales-analytics', admin)).token;
    financeToken = (await store.createToken('finance-analytics', admin)).token;
    // A pipeline run observed through OpenLineage: finance.revenue's job reads sales.orders' dataset, with
    // column lineage from its id field.
    const run = { runId: uuidFor('graphql-revenue-run'), job: { namespace: 'mesh', name: 'finance.revenue' }, inputs: [{ namespace: WAREHOUSE, name: 'analytics.gold.sales_orders' }], outputs: [{ namespace: WAREHOUSE, name: 'analytics.gold.finance_revenue' }] };
    for (const eventType of ['START', 'COMPLETE'] as const) {
      const res = await postJson(`${catalog.url}/api/v1/lineage`, runEvent({ ...run, eventType, eventTime: eventType === 'START' ? '2026-11-26T10:00:00.000Z' : '2026-11-26T10:05:00.000Z' }), financeToken);
      expect(res.status).toBe(201);
    }
    await store.recordQualityResult(
      { productId: 'finance.revenue', port: 'revenue', measuredAt: '2026-11-26T10:06:00.000Z', score: 91.5, grade: 'A', records: 1000, valid: 990, invalid: 10, dimensions: [{ name: 'validity', score: 99, weight: 0.35, detail: '990 of 1000 records valid' }] },
      admin,
    );
    await store.recordSlaStatus(
      { productId: 'finance.revenue', port: 'revenue', measuredAt: '2026-11-26T10:06:00.000Z', freshness: { status: 'BREACHED', lagSeconds: 200_000, maxSeconds: 86_400 }, availability: { status: 'MET', percent: 100 }, completeness: { status: 'AT_RISK', percent: 99.0 } },
      admin,
    );
  });
  afterAll(async () => {
    await catalog?.close();
    await store?.close();
    await drop?.();
  });

  describe.skipIf(!adapter.available)('', () => {
    it('finds products by full-text search, ranked, with facets and cursor pagination', async () => {
      const query = gql`
        query Search($q: String, $first: Int, $after: String) {
          products(query: $q, first: $first, after: $after) {
            totalCount
            edges { cursor rank node { id name domain layer tags qualityScore { score grade } } }
            pageInfo { hasNextPage endCursor }
            facets { domain { value count } layer { value count } owner { value count } tag { value count } status { value count } }
          }
        }
      `;
      const all = await client.request<any>(query, { first: 100 });
      expect(all.products.totalCount).toBe(19);
      expect(all.products.facets.domain).toEqual([{ value: 'marketing', count: 7 }, { value: 'finance', count: 6 }, { value: 'sales', count: 6 }]);
      expect(all.products.facets.layer).toEqual([{ value: 'bronze', count: 8 }, { value: 'silver', count: 6 }, { value: 'gold', count: 5 }]);
      for (const facet of ['owner', 'status']) expect(all.products.facets[facet].reduce((sum: number, f: any) => sum + f.count, 0), facet).toBe(19);
      expect(all.products.facets.owner).toContainEqual({ value: 'finance-analytics', count: 2 });
      // Without a query, the quality score breaks ties: the one scored product comes first.
      expect(all.products.edges[0].node).toMatchObject({ id: 'finance.revenue', qualityScore: { score: 91.5, grade: 'A' } });

      const revenue = await client.request<any>(query, { q: 'revenue', first: 3 });
      expect(revenue.products.totalCount).toBeGreaterThan(3);
      expect(revenue.products.edges).toHaveLength(3);
      expect(revenue.products.edges.map((e: any) => e.node.id)).toContain('finance.revenue');
      const ranks = revenue.products.edges.map((e: any) => e.rank);
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
      // The facets count the whole result, not the page.
      const facetTotal = revenue.products.facets.domain.reduce((sum: number, f: any) => sum + f.count, 0);
      expect(facetTotal).toBe(revenue.products.totalCount);

      // Pages follow each other without overlap, and the last says there is no next one.
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await client.request<any>(query, { q: 'revenue', first: 2, after });
        seen.push(...page.products.edges.map((e: any) => e.node.id));
        if (!page.products.pageInfo.hasNextPage) break;
        after = page.products.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(revenue.products.totalCount);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('searches contract field names too, and filters by domain, layer, tag, owner and status', async () => {
      const data = await client.request<any>(gql`{
        byField: products(query: "eur_per_unit") { edges { node { id } } }
        gold: products(domain: "finance", layer: gold, first: 50) { totalCount edges { node { id layer domain } } }
        tagged: products(tag: "kpi") { edges { node { id tags } } }
        owned: products(owner: "sales-analytics", status: active, first: 50) { totalCount edges { node { owner { team } status } } }
      }`);
      expect(data.byField.edges.map((e: any) => e.node.id)).toContain('finance.fx_rates');
      expect(data.gold.edges.every((e: any) => e.node.layer === 'gold' && e.node.domain === 'finance')).toBe(true);
      expect(data.gold.edges.map((e: any) => e.node.id)).toEqual(expect.arrayContaining(['finance.revenue', 'finance.monthly_revenue']));
      expect(data.tagged.edges.every((e: any) => e.node.tags.includes('kpi'))).toBe(true);
      expect(data.owned.totalCount).toBeGreaterThan(0);
      expect(data.owned.edges.every((e: any) => e.node.owner.team === 'sales-analytics' && e.node.status === 'active')).toBe(true);
    });

    it('reads an explicit null argument as its default', async () => {
      const data = await client.request<any>(gql`{
        products(first: null, after: null) { edges { node { id } } }
        lineage(node: "product:finance.revenue", direction: null, depth: null, first: null) { nodes { id distance } }
      }`);
      expect(data.products.edges).toHaveLength(19);
      expect(data.lineage.nodes.length).toBeGreaterThan(5);
      expect(Math.max(...data.lineage.nodes.map((n: any) => n.distance))).toBe(3);
    });

    it.each([
      ["'; drop table products; --"],
      ['" or 1=1 --'],
      ['revenue & | ! ( ) : * <->'],
      ['%_\\'],
      [''],
    ])('takes SQL and tsquery metacharacters in search as plain text: %j', async (text) => {
      const data = await client.request<any>(gql`query($q: String) { products(query: $q) { totalCount } fields(query: $q) { totalCount } }`, { q: text });
      expect(data.products.totalCount).toBeGreaterThanOrEqual(0);
      expect((await store.counts()).products).toBe(19);
    });

    it('shows a product in detail: manifest fields, ports with contract fields, inputs, consumers, versions', async () => {
      const data = await client.request<any>(gql`{
        product(id: "finance.revenue") {
          id apiVersion kind name domain version status sunset replacedById replacedBy { id } layer pattern description tags file
          owner { team email name slack }
          team { name products { id } domains }
          links sla { freshnessMax freshnessColumn availability completeness latency }
          quality manifest
          outputs { name compatibility dataset { id namespace name product { id } }
            contract { path version fields { name type required pii classification description } versions { seq version changes { code } } } }
          inputs { productId port fields product { id } dataset { id } }
          consumers { product { id } port team { name } }
          versions { seq version publishedBy contracts { port path contractVersion { seq } } }
        }
        missing: product(id: "nope.nothing") { id }
      }`);
      const p = data.product;
      expect(p).toMatchObject({ id: 'finance.revenue', apiVersion: 'mesh/v1', kind: 'DataProduct', sunset: null, replacedById: null, replacedBy: null, name: 'Revenue', domain: 'finance', version: '3.1.0', status: 'active', layer: 'gold', pattern: 'elt' });
      expect(p.owner).toEqual({ team: 'finance-analytics', email: 'finance-analytics@acme-outdoor.example', name: 'Finance Analytics', slack: '#finance-analytics' });
      expect(p.team.domains).toEqual(['finance']);
      expect(p.sla).toMatchObject({ freshnessMax: 'P1D', freshnessColumn: 'recognized_at', availability: 99.9 });
      expect(p.manifest.id).toBe('finance.revenue');
      expect(p.outputs[0].dataset).toEqual({ id: `dataset:${WAREHOUSE}:analytics.gold.finance_revenue`, namespace: WAREHOUSE, name: 'analytics.gold.finance_revenue', product: { id: 'finance.revenue' } });
      expect(p.outputs[0].contract.path).toBe('contracts/finance/revenue.schema.json');
      expect(p.outputs[0].contract.fields.length).toBeGreaterThan(5);
      expect(p.outputs[0].contract.fields.find((f: any) => f.name === 'order_id')).toMatchObject({ required: true, pii: false });
      expect(p.outputs[0].contract.versions).toEqual([{ seq: 1, version: expect.any(String), changes: null }]);
      expect(p.inputs.map((i: any) => i.productId)).toEqual(['sales.orders', 'finance.payments', 'finance.fx_rates']);
      expect(p.inputs[0]).toMatchObject({ port: 'orders', product: { id: 'sales.orders' }, dataset: null });
      expect(p.inputs[0].fields).toContain('order_id');
      expect(p.consumers).toContainEqual({ product: { id: 'finance.monthly_revenue' }, port: 'revenue', team: { name: 'finance-analytics' } });
      expect(p.versions).toEqual([{ seq: 1, version: '3.1.0', publishedBy: 'direct:test', contracts: [{ port: 'revenue', path: 'contracts/finance/revenue.schema.json', contractVersion: { seq: 1 } }] }]);
      expect(data.missing).toBeNull();
    });

    it('walks lineage upstream from finance.revenue to the bronze products and their external sources', async () => {
      const data = await client.request<any>(gql`{
        lineage(node: "product:finance.revenue", direction: UPSTREAM, depth: 5) { truncated nodes { id kind distance } edges { source target kind via } }
      }`);
      const ids = data.lineage.nodes.map((n: any) => n.id);
      expect(ids).toEqual(expect.arrayContaining([
        'product:finance.revenue',
        'product:sales.orders',
        'product:sales.shop_orders',
        'product:finance.psp_transactions',
        'product:finance.ecb_fx_rates',
        'dataset:mysql://shop-db.internal:3306:shop.orders',
        'dataset:https://api.psp.example:v1/balance_transactions',
        // The observed run: the job that writes revenue's dataset, and what it reads.
        'job:mesh:finance.revenue',
        `dataset:${WAREHOUSE}:analytics.gold.sales_orders`,
      ]));
      expect(data.lineage.nodes.find((n: any) => n.id === 'product:finance.revenue')).toEqual({ id: 'product:finance.revenue', kind: 'product', distance: 0 });
      expect(ids).not.toContain('product:finance.monthly_revenue');
      expect(data.lineage.edges).toContainEqual({ source: 'product:sales.orders', target: 'product:finance.revenue', kind: 'feeds', via: 'orders' });
      expect(data.lineage.edges).toContainEqual({ source: 'dataset:mysql://shop-db.internal:3306:shop.orders', target: 'product:sales.shop_orders', kind: 'consumes', via: null });
      // Every edge joins two returned nodes.
      for (const e of data.lineage.edges) expect(ids).toEqual(expect.arrayContaining([e.source, e.target]));
    });

    it('says truncated when depth or the node cap cuts the walk short, and walks downstream and both ways', async () => {
      const data = await client.request<any>(gql`{
        short: lineage(node: "product:finance.revenue", direction: UPSTREAM, depth: 1) { truncated nodes { id } }
        capped: lineage(node: "product:finance.revenue", direction: UPSTREAM, depth: 5, first: 3) { truncated nodes { id } }
        whole: lineage(node: "product:finance.monthly_revenue", direction: DOWNSTREAM, depth: 5) { truncated nodes { id } }
        both: lineage(node: "product:finance.revenue") { nodes { id } }
        missing: lineage(node: "product:nope") { truncated nodes { id } edges { source } }
        product(id: "sales.orders") { downstream(depth: 1) { nodes { id } } upstream(depth: 2) { nodes { id } } }
      }`);
      expect(data.short.truncated).toBe(true);
      expect(data.capped).toMatchObject({ truncated: true });
      expect(data.capped.nodes).toHaveLength(3);
      expect(data.whole.truncated).toBe(false);
      const both = data.both.nodes.map((n: any) => n.id);
      expect(both).toEqual(expect.arrayContaining(['product:sales.orders', 'product:finance.monthly_revenue']));
      expect(data.missing).toEqual({ truncated: false, nodes: [], edges: [] });
      expect(data.product.downstream.nodes.map((n: any) => n.id)).toContain('product:finance.revenue');
      expect(data.product.upstream.nodes.map((n: any) => n.id)).toContain('product:sales.shop_orders');
    });

    it('analyses impact of a product, a port and a contract field, with teams and distances', async () => {
      const data = await client.request<any>(gql`{
        product(id: "sales.orders") {
          impact { product { id } team { name } distance fieldLevel fields }
          byField: impact(port: "orders", field: "id") { product { id } distance fieldLevel fields }
          unread: impact(port: "orders", field: "no_such_field") { product { id } }
        }
        viaNode: impact(node: "dataset:${WAREHOUSE}:analytics.gold.sales_orders") { product { id } distance }
      }`);
      const impact = data.product.impact;
      expect(impact).toContainEqual({ product: { id: 'finance.revenue' }, team: { name: 'finance-analytics' }, distance: 1, fieldLevel: false, fields: [] });
      expect(impact).toContainEqual(expect.objectContaining({ product: { id: 'finance.monthly_revenue' }, distance: 2 }));
      const distances = impact.map((i: any) => i.distance);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      // Column lineage from the observed run: revenue's id derives from orders' id.
      expect(data.product.byField).toContainEqual(expect.objectContaining({ product: { id: 'finance.revenue' }, distance: 1, fieldLevel: true, fields: ['id'] }));
      expect(data.product.unread.map((i: any) => i.product.id)).not.toContain('finance.revenue');
      expect(data.viaNode.map((i: any) => i.product.id)).toContain('finance.revenue');
    });

    it('finds every PII field named like email across the mesh', async () => {
      const data = await client.request<any>(gql`{ fields(query: "email", pii: true, first: 50) { totalCount edges { node { id contract port product { id } field { name pii classification } } } } }`);
      expect(data.fields.totalCount).toBeGreaterThan(0);
      for (const { node } of data.fields.edges) {
        expect(node.field.pii).toBe(true);
        expect(node.field.name).toMatch(/email/);
      }
      expect(data.fields.edges.map((e: any) => e.node.product?.id)).toContain('sales.customers');
    });

    it('lists domains and teams with what they own', async () => {
      const data = await client.request<any>(gql`{ domains { name productCount products { id } teams { name } } teams { name domains products { id } } team(name: "finance-analytics") { name } nobody: team(name: "nobody") { name } }`);
      expect(data.domains.map((d: any) => d.name)).toEqual(['finance', 'marketing', 'sales']);
      expect(data.domains[0].productCount).toBe(6);
      expect(data.domains[0].products).toHaveLength(6);
      expect(data.teams.map((t: any) => t.name)).toContain('finance-analytics');
      expect(data.team).toEqual({ name: 'finance-analytics' });
      expect(data.nobody).toBeNull();
    });

    it('reports quality scores, their history, SLA status and runs', async () => {
      const data = await client.request<any>(gql`{
        product(id: "finance.revenue") {
          qualityScore { score grade measuredAt port dimensions { name score weight detail } }
          qualityHistory { score }
          slaStatus { freshness freshnessLagSeconds freshnessMaxSeconds availability availabilityPercent completeness completenessPercent }
          outputs { qualityScore { score port } slaStatus { freshness } }
          runs { id job state startedAt endedAt }
        }
        unscored: product(id: "sales.orders") { qualityScore { score } slaStatus { freshness } }
      }`);
      const p = data.product;
      expect(p.qualityScore).toEqual({ score: 91.5, grade: 'A', measuredAt: '2026-11-26T10:06:00.000Z', port: 'revenue', dimensions: [{ name: 'validity', score: 99, weight: 0.35, detail: '990 of 1000 records valid' }] });
      expect(p.qualityHistory).toEqual([{ score: 91.5 }]);
      expect(p.slaStatus).toEqual({ freshness: 'BREACHED', freshnessLagSeconds: 200_000, freshnessMaxSeconds: 86_400, availability: 'MET', availabilityPercent: 100, completeness: 'AT_RISK', completenessPercent: 99 });
      expect(p.outputs[0]).toEqual({ qualityScore: { score: 91.5, port: 'revenue' }, slaStatus: { freshness: 'BREACHED' } });
      expect(p.runs).toEqual([{ id: uuidFor('graphql-revenue-run'), job: 'job:mesh:finance.revenue', state: 'COMPLETE', startedAt: '2026-11-26T10:00:00.000Z', endedAt: '2026-11-26T10:05:00.000Z' }]);
      expect(data.unscored).toEqual({ qualityScore: null, slaStatus: null });
    });

    describe('hostile queries get a clear error and leave the server up', () => {
      const introspectionAbuse = `{ __schema { types { ${'fields { type { '.repeat(8)}name${' } }'.repeat(8)} } } }`;
      it.each([
        ['a query 50 levels deep', nested(50), undefined, 'QUERY_TOO_COMPLEX', /nested \d+ levels deep; at most 15/],
        ['1,000 aliases', `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: products { totalCount }`).join(' ')} }`, undefined, 'QUERY_TOO_COMPLEX', /1000 aliases; at most 100/],
        ['a page size of 10^6', '{ products(first: 1000000) { totalCount } }', undefined, 'BAD_USER_INPUT', /products\(first: 1000000\) is out of range: first must be between 0 and 100/],
        ['a page size of 10^6 in a variable', 'query($n: Int) { fields(first: $n) { totalCount } }', { n: 1_000_000 }, 'BAD_USER_INPUT', /fields\(first: 1000000\)/],
        ['a nested page size of 10^6', '{ product(id: "finance.revenue") { runs(first: 1000000) { id } } }', undefined, 'BAD_USER_INPUT', /runs\(first: 1000000\)/],
        ['a lineage walk 11 hops deep', '{ lineage(node: "product:finance.revenue", depth: 11) { truncated } }', undefined, 'BAD_USER_INPUT', /depth must be between 0 and 10/],
        ['a lineage node cap of 10^6', '{ lineage(node: "product:finance.revenue", first: 1000000) { truncated } }', undefined, 'BAD_USER_INPUT', /first must be between 0 and 500/],
        ['an expensive product of lists', '{ products(first: 100) { edges { node { upstream(first: 500) { nodes { product { outputs { contract { fields { name } } } } } } } } } }', undefined, 'QUERY_TOO_COMPLEX', /estimated cost of \d+; at most 100000/],
        ['introspection nested through fields', introspectionAbuse, undefined, 'GRAPHQL_VALIDATION_FAILED', /Maximum introspection depth exceeded/],
        ['introspection nested through ofType', `{ __type(name: "DataProduct") { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } }`, undefined, 'QUERY_TOO_COMPLEX', /nested 22 levels deep/],
        ['introspection with 1,000 aliases', `{ ${Array.from({ length: 1000 }, (_, i) => `t${i}: __schema { types { name } }`).join(' ')} }`, undefined, 'QUERY_TOO_COMPLEX', /1000 aliases/],
        ['a search text of 100,000 characters', 'query($q: String) { products(query: $q) { totalCount } }', { q: 'revenue '.repeat(12_500) }, 'BAD_USER_INPUT', /100000 characters long; at most 500/],
        ['a cursor this catalog never gave', '{ products(after: "bm9wZQ") { totalCount } }', undefined, 'BAD_USER_INPUT', /not a cursor/],
        ['a syntax error', '{ products(', undefined, 'GRAPHQL_PARSE_FAILED', /Syntax Error/],
        ['an unknown field', '{ products { nope } }', undefined, 'GRAPHQL_VALIDATION_FAILED', /Cannot query field "nope"/],
        ['a document of too many tokens', `{ ${'__typename '.repeat(20_000)} }`, undefined, 'GRAPHQL_PARSE_FAILED', /more that 15000 tokens/],
      ])('%s', async (_name, query, variables, code, message) => {
        const refused = await refusal(client, query, variables);
        expect(refused.codes).toEqual([code]);
        expect(refused.messages[0]).toMatch(message);
        if (code !== 'BAD_USER_INPUT' || !/cursor/.test(refused.messages[0]!)) expect(refused.status).toBe(400);
        expect((await send(`${catalog.url}/healthz`)).status).toBe(200);
        expect((await client.request<any>('{ products(first: 1) { totalCount } }')).products.totalCount).toBe(19);
      });

      it('allows the standard introspection query', async () => {
        const data = await client.request<any>(getIntrospectionQuery());
        expect(data.__schema.queryType.name).toBe('Query');
        expect(data.__schema.types.map((t: any) => t.name)).toEqual(expect.arrayContaining(['DataProduct', 'LineageGraph', 'QualityScore']));
      });
    });

    it('batches reads: a page of 19 products costs as many SQL statements as a page of 2, give or take an empty loader', async () => {
      const counting = countingClient(store.sql);
      const counted = await startGraphQLCatalog(new SqlCatalogStore(counting));
      // The read models build in the background on the same client; counted once they are built.
      await counted.readModel?.ready();
      try {
        const countedClient = new GraphQLClient(counted.graphqlUrl);
        const query = gql`query($first: Int) { products(first: $first) { totalCount edges { node {
          id owner { team } team { name }
          outputs { name dataset { id } qualityScore { score } slaStatus { freshness } contract { path fields { name pii } versions { seq changes { code } } } }
          inputs { product { id name } dataset { id } }
          consumers { product { id } team { name } }
          versions { seq contracts { contractVersion { seq } } }
          qualityScore { score grade } slaStatus { freshness } runs(first: 3) { id }
        } } } }`;
        const statements = async (first: number) => {
          const before = counting.count;
          const data = await countedClient.request<any>(query, { first });
          expect(data.products.edges).toHaveLength(first);
          return counting.count - before;
        };
        // One statement per loader and level, whatever the page size; N+1 would add one per product and field
        // (over a hundred here). The two may differ by a statement or two: a loader with no key to load sends
        // nothing, and products already loaded at one level are not loaded again at the next.
        const small = await statements(2);
        const large = await statements(19);
        expect(Math.abs(large - small)).toBeLessThanOrEqual(2);
        expect(large).toBeLessThanOrEqual(20);
      } finally {
        await counted.close();
      }
    });

    describe('mutations', () => {
      const publish = gql`mutation($bundle: JSON!) { publish(bundle: $bundle) { products { id action seq version } contracts { id action } warnings } }`;
      const record = gql`mutation($input: JSON!) { recordQualityResult(input: $input) }`;
      const withToken = (token: string) => new GraphQLClient(catalog.graphqlUrl, { headers: { Authorization: `Bearer ${token}` } });

      it('need a token: without one UNAUTHENTICATED, with a wrong one 401 in GraphQL form', async () => {
        const bundle = buildPublishBundle(await loadRepository(EXAMPLE_MESH), { products: ['sales.orders'] });
        expect(await refusal(client, publish, { bundle })).toMatchObject({ codes: ['UNAUTHENTICATED'] });
        expect(await refusal(withToken('mesh_wrong'), '{ products { totalCount } }')).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
      });

      it("publish within the token's team, and refuse another team's products with FORBIDDEN", async () => {
        const repository = await loadRepository(EXAMPLE_MESH);
        const own = await withToken(salesToken).request<any>(publish, { bundle: buildPublishBundle(repository, { products: ['sales.orders'] }) });
        expect(own.publish.products).toEqual([{ id: 'sales.orders', action: 'unchanged', seq: 1, version: expect.any(String) }]);
        const other = await refusal(withToken(salesToken), publish, { bundle: buildPublishBundle(repository, { products: ['finance.revenue'] }) });
        expect(other.codes).toEqual(['FORBIDDEN']);
        expect(other.messages[0]).toMatch(/team sales-analytics publishes only that team's products/);
        const invalid = await refusal(withToken(salesToken), publish, { bundle: { products: 'nope' } });
        expect(invalid.codes).toEqual(['BAD_USER_INPUT']);
      });

      it('publish a new version of a product and its contract, which the history then shows with the classified changes', async () => {
        const bundle = structuredClone(buildPublishBundle(await loadRepository(EXAMPLE_MESH), { products: ['sales.order_items'] })) as any;
        const product = bundle.products[0].manifest;
        product.version = '9.9.9';
        product.description = `${product.description} Now with a second version.`;
        const contract = bundle.contracts.find((c: any) => c.file === product.outputs[0].contract);
        contract.schema.description = 'A second version of the contract.';
        expect(product.owner.team).toBe('sales-analytics');
        const published = await withToken(salesToken).request<any>(publish, { bundle });
        expect(published.publish.products).toEqual([{ id: 'sales.order_items', action: 'updated', seq: 2, version: '9.9.9' }]);
        expect(published.publish.contracts).toContainEqual({ id: contract.file, action: 'updated' });
        const data = await client.request<any>(gql`{ product(id: "sales.order_items") { version
          versions { seq version publishedBy contracts { contractVersion { seq changes { code pointer backward forward message } } } }
          outputs { contract { versions { seq changes { code } } } } } }`);
        expect(data.product.version).toBe('9.9.9');
        expect(data.product.versions.map((v: any) => [v.seq, v.version])).toEqual([[2, '9.9.9'], [1, expect.any(String)]]);
        expect(data.product.versions[0].publishedBy).toBe('sales-analytics');
        expect(data.product.versions[0].contracts[0].contractVersion).toEqual({ seq: 2, changes: [{ code: 'TEST_CHANGE', pointer: '', backward: true, forward: true, message: expect.stringMatching(/ to /) }] });
        expect(data.product.outputs[0].contract.versions).toEqual([{ seq: 2, changes: [{ code: 'TEST_CHANGE' }] }, { seq: 1, changes: null }]);
      });

      it('record SLA status, which slaStatus then shows', async () => {
        const input = { productId: 'finance.monthly_revenue', measuredAt: '2026-11-26T11:00:00.000Z', freshness: { status: 'MET', lagSeconds: 60, maxSeconds: 86_400 }, availability: { status: 'UNKNOWN' }, completeness: { status: 'MET', percent: 100 } };
        const id = (await withToken(financeToken).request<any>(gql`mutation($input: JSON!) { recordSlaStatus(input: $input) }`, { input })).recordSlaStatus;
        expect(id).toMatch(/^\d+$/);
        const data = await client.request<any>('{ product(id: "finance.monthly_revenue") { slaStatus { freshness freshnessLagSeconds availability availabilityPercent completeness port } } }');
        expect(data.product.slaStatus).toEqual({ freshness: 'MET', freshnessLagSeconds: 60, availability: 'UNKNOWN', availabilityPercent: null, completeness: 'MET', port: null });
      });

      it('record quality results for the team’s own products, which the queries then show', async () => {
        // Measured before the result recorded at the start, so the latest score stays the same for other tests.
        const input = { productId: 'finance.revenue', port: 'revenue', measuredAt: '2026-11-26T09:00:00.000Z', score: 72.25, grade: 'C', dimensions: [{ name: 'validity', score: 72.25, weight: 0.3, detail: 'measured' }] };
        const port = 'revenue';
        const id = (await withToken(financeToken).request<any>(record, { input })).recordQualityResult;
        expect(id).toMatch(/^\d+$/);
        const data = await client.request<any>('{ product(id: "finance.revenue") { qualityScore { score grade port } qualityHistory(first: 5) { score measuredAt } } }');
        expect(data.product.qualityScore).toEqual({ score: 91.5, grade: 'A', port });
        expect(data.product.qualityHistory).toEqual([{ score: 91.5, measuredAt: '2026-11-26T10:06:00.000Z' }, { score: 72.25, measuredAt: '2026-11-26T09:00:00.000Z' }]);
        expect(await refusal(withToken(salesToken), record, { input: { ...input, port } })).toMatchObject({ codes: ['FORBIDDEN'] });
        expect(await refusal(withToken(financeToken), record, { input: { ...input, port, score: 140 } })).toMatchObject({ codes: ['BAD_USER_INPUT'] });
        expect(await refusal(withToken(financeToken), record, { input: { ...input, productId: 'finance.nope' } })).toMatchObject({ codes: ['NOT_FOUND'] });
        const audit = await store.auditLog({ team: 'finance-analytics' });
        expect(audit.map((a) => a.action)).toContain('quality.record');
      });
    });

    it('answers GET with a preflight header, and needs a token for reads with --auth-reads', async () => {
      const get = await send(`${catalog.graphqlUrl}?query=${encodeURIComponent('{ domains { name } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect([get.status, get.json.data.domains.length]).toEqual([200, 3]);
      const guarded = await startGraphQLCatalog(store, { authReads: true });
      try {
        const anonymous = await refusal(new GraphQLClient(guarded.graphqlUrl), '{ domains { name } }');
        expect(anonymous).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
        const data = await new GraphQLClient(guarded.graphqlUrl, { headers: { Authorization: `Bearer ${salesToken}` } }).request<any>('{ domains { name } }');
        expect(data.domains).toHaveLength(3);
      } finally {
        await guarded.close();
      }
    });

    it('serves the data-product facet schemas at their _schemaURL', async () => {
      for (const name of ['MeshDataProductDatasetFacet', 'MeshDataProductJobFacet']) {
        const url = `${catalog.url}/schemas/facets/1-0-0/${name}.json`;
        const res = await send(url);
        expect(res.status).toBe(200);
        expect(res.json.$id).toBe(url);
        expect(res.json.$defs[name]).toBeDefined();
      }
    });

    it("runs the README's GraphQL examples without an error", async () => {
      const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
      const start = readme.indexOf('<!-- section: catalog and graphql -->');
      const section = readme.slice(start, readme.indexOf('\n## ', start));
      const blocks = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks.length).toBeGreaterThanOrEqual(5);
      for (const query of blocks) {
        const data = await client.request<Record<string, unknown>>(query);
        expect(Object.values(data).every((value) => value !== null)).toBe(true);
      }
    });

    it('ties a dataset to the product its mesh facet names, when the manifest does not name it', async () => {
      const { manifest } = (await loadRepository(EXAMPLE_MESH)).products.get('marketing.sessions')!;
      const output = manifest.outputs[0]!;
      const event = runEvent({ runId: uuidFor('graphql-facet-run'), eventType: 'COMPLETE', job: { namespace: 'mesh', name: 'marketing.sessions.copy' }, inputs: [], outputs: [{ namespace: 'postgres://warehouse', name: 'scratch.sessions_copy' }] }) as any;
      event.outputs[0].facets.mesh_dataProduct = meshDatasetFacet('https://example.com/test', catalog.url, manifest, output, undefined);
      delete event.outputs[0].facets.columnLineage;
      expect((await postJson(`${catalog.url}/api/v1/lineage`, event, salesToken)).status).toBe(201);
      const data = await client.request<any>(gql`{
        down: lineage(node: "product:marketing.sessions", direction: DOWNSTREAM, depth: 1) { nodes { id } edges { source target kind via } }
        up: lineage(node: "dataset:postgres://warehouse:scratch.sessions_copy", direction: UPSTREAM, depth: 1) { nodes { id } }
        dataset(id: "dataset:postgres://warehouse:scratch.sessions_copy") { product { id } port }
      }`);
      expect(data.dataset).toEqual({ product: { id: 'marketing.sessions' }, port: output.port });
      expect(data.down.nodes.map((n: any) => n.id)).toContain('dataset:postgres://warehouse:scratch.sessions_copy');
      expect(data.down.edges).toContainEqual({ source: 'product:marketing.sessions', target: 'dataset:postgres://warehouse:scratch.sessions_copy', kind: 'publishes', via: output.port });
      expect(data.up.nodes.map((n: any) => n.id)).toEqual(expect.arrayContaining(['product:marketing.sessions', 'job:mesh:marketing.sessions.copy']));
    });

    it('looks up datasets and any lineage node by id', async () => {
      const data = await client.request<any>(gql`{
        dataset(id: "dataset:${WAREHOUSE}:analytics.gold.sales_orders") { id namespace name port product { id } }
        job: node(id: "job:mesh:finance.revenue") { id kind name namespace }
        jobFacets: node(id: "job:mesh:finance.revenue") { facets }
        notADataset: dataset(id: "job:mesh:finance.revenue") { id }
      }`);
      expect(data.dataset).toEqual({ id: `dataset:${WAREHOUSE}:analytics.gold.sales_orders`, namespace: WAREHOUSE, name: 'analytics.gold.sales_orders', port: 'orders', product: { id: 'sales.orders' } });
      expect(data.job).toEqual({ id: 'job:mesh:finance.revenue', kind: 'job', name: 'finance.revenue', namespace: 'mesh' });
      expect(data.notADataset).toBeNull();
      expect(data.jobFacets.facets.jobType).toMatchObject({ processingType: 'BATCH', jobType: 'JOB' });
    });

    it('logged no internal error through all of the above, hostile queries included', () => {
      expect(logged).toEqual([]);
    });
  });
});

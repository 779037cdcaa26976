import { GraphQLClient, gql } from 'graphql-request';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Loaders } from '../../catalog/graphql/loaders.js';
import { impactOf, type ImpactStart } from '../../catalog/graphql/queries/impactOf.js';
import { searchProducts, type ProductFilter } from '../../catalog/graphql/queries/searchProducts.js';
import { walkLineage, type Direction } from '../../catalog/graphql/queries/walkLineage.js';
import { CatalogReadModel } from '../../catalog/graphql/readModel/CatalogReadModel.js';
import { LineageGraph } from '../../catalog/graphql/readModel/LineageGraph.js';
import { SearchIndex } from '../../catalog/graphql/readModel/SearchIndex.js';
import { parseTsQuery, parseTsVector } from '../../catalog/graphql/readModel/textSearch.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { meshDatasetFacet } from '../../platform/lineage/meshFacets.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { generateCatalog, type GeneratedCatalog } from '../support/generateCatalog.js';
import { EXAMPLE_MESH, publishExampleMesh, startGraphQLCatalog } from '../support/graphqlCatalog.js';
import { postJson } from '../support/httpRequest.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';

const admin = { kind: 'direct', name: 'test' } as const;

describe('textSearch parsing', () => {
  it.each([
    ["'order':1A,5B 'raw':3 'it''s':2C", { order: [7, 22], raw: [12], "it's": [9] }],
    ["'a\\\\b':4", { 'a\\b': [16] }],
    ['', {}],
  ])('reads tsvector text %j', (text, expected) => {
    expect(Object.fromEntries(parseTsVector(text))).toEqual(expected);
  });

  it.each([
    ["'payment' & !'raw'", true],
    ["'invoic' | 'refund'", true],
    ["( 'a' | 'b' ) & !'c'", true],
    ['', true],
    ["'custom' <-> 'enrich'", true],
    ["'custom' <2> 'order'", true],
    ["'b' <-> ( 'c' <2> 'd' ) | !( 'd' <-> 'e' )", true],
    ["'pref':*", false],
    ["'weigh':AB", false],
  ])('parses tsquery text %j (evaluated in memory: %s)', (text, supported) => {
    expect(parseTsQuery(text) !== undefined).toBe(supported);
  });
});

/**
 * The read models answer exactly what the database answers: on a generated catalog, every search, walk and
 * impact analysis below is run both ways and compared whole (order, ranks to the bit, facets, truncation).
 */
describe.each(CATALOG_ADAPTERS)('GraphQL read models agree with the database ($name)', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: GeneratedCatalog;
  let model: CatalogReadModel;
  let index: SearchIndex;
  let graph: LineageGraph;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = await openCatalogStore(db.config);
    catalog = await generateCatalog(store, { products: 120, domains: 4, teams: 8, datasets: 600, edges: 2_400, seed: 'read-model' });
    model = new CatalogReadModel(store.sql);
    index = await SearchIndex.load(store.sql);
    graph = await LineageGraph.load(store.sql);
  });
  afterAll(async () => {
    await model?.close();
    await store?.close();
    await drop?.();
  });

  it.skipIf(!adapter.available)('search: matches, ranks, ties, totals, facets and pages', async () => {
    const texts = [
      ...catalog.searchTerms,
      'orders daily', 'payments -raw', 'invoices or refunds', 'email', '-raw', 'customers or -daily', 'amount currency status',
      'orders orders', 'cleaned -orders -customers', "'; drop table products; --", 'revenue & | ! ( ) : * <->', '%_\\', 'the', 'zzzznothing', '',
      // Quoted phrases: PostgreSQL's <-> and <N> (stop words inside count as distance), negated, or'ed, repeated.
      '"customers enriched"', '"one row per record"', '"the orders of customers"', '"cleaned and conformed" -gold', '-"one row"', '"row per" or "per record"',
      '"record record"', '"business-ready orders"', '"orders"', 'orders "row per record" -"late-arriving"', '"of the"',
    ];
    const filters: ProductFilter[] = [{}, { layer: 'gold' }, { domain: catalog.products[0]!.domain, status: 'active' }, { tag: catalog.products[3]!.layer }, { owner: catalog.products[5]!.team }, { domain: 'nowhere' }];
    let compared = 0;
    for (const text of texts) {
      const tsquery = text.trim() === '' ? undefined : await model.tsquery(text.trim());
      expect(tsquery, text).not.toBeNull();
      for (const filter of filters) {
        for (const [first, offset] of [[20, 0], [5, 5], [100, 0], [10, 10_000]] as const) {
          const expected = await searchProducts(store.sql, { ...filter, query: text }, first, offset);
          expect(index.search(tsquery ?? undefined, filter, first, offset), `${text} ${JSON.stringify(filter)} ${first}/${offset}`).toEqual(expected);
          if (expected.totalCount > 0) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it.skipIf(!adapter.available)('search with phrases: random quoted texts over the catalog\'s own words agree with PostgreSQL', async () => {
    // Words of the generated names and descriptions, stop words among them, so that phrases match often.
    const words = [...new Set([...catalog.searchTerms, 'one', 'row', 'per', 'record', 'of', 'the', 'and', 'cleaned', 'conformed', 'business-ready', 'raw', 'now', 'with', 'late-arriving', 'corrections', 'owned', 'by', 'domain', 'for'])];
    const word = fc.constantFrom(...words);
    const quoted = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => `"${ws.join(' ')}"`);
    const term = fc.oneof(word, quoted, quoted.map((q) => `-${q}`), word.map((w) => `-${w}`));
    const text = fc.array(term, { minLength: 1, maxLength: 4 }).chain((terms) => fc.array(fc.constantFrom(' ', ' or '), { minLength: terms.length, maxLength: terms.length }).map((seps) => terms.map((t, i) => (i === 0 ? t : seps[i]! + t)).join('')));
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom<ProductFilter>({}, { layer: 'silver' }), async (query, filter) => {
        const tsquery = await model.tsquery(query);
        expect(tsquery, query).not.toBeNull();
        const expected = await searchProducts(store.sql, { ...filter, query }, 20, 0);
        expect(index.search(tsquery!, filter, 20, 0), `${query} ${JSON.stringify(filter)}`).toEqual(expected);
        if (expected.totalCount > 0) matched++;
      }),
      { numRuns: 150 },
    );
    expect(matched).toBeGreaterThan(30);
  });

  it.skipIf(!adapter.available)("search hits' rows and latest quality results, as the request loaders read them", async () => {
    const loaders = new Loaders(store.sql);
    const ids = [...catalog.products.map((p) => p.id), 'nope.nothing'];
    expect(ids.map((id) => index.product(id))).toEqual(await Promise.all(ids.map((id) => loaders.product.load(id))));
    expect(ids.map((id) => index.latestQuality(id))).toEqual(await Promise.all(ids.map((id) => loaders.latestQuality.load(id))));
    expect(ids.filter((id) => index.latestQuality(id).length > 0).length).toBeGreaterThan(50);
  });

  it.skipIf(!adapter.available)('lineage walks: nodes, distances, edges and truncation, in every direction', async () => {
    const starts = [
      ...catalog.products.filter((_, i) => i % 15 === 0).flatMap((p) => [`product:${p.id}`, p.ports[0]!.key]),
      ...catalog.longestChain.filter((_, i) => i % 3 === 1).map((id) => `product:${id}`),
      `field:${catalog.products[10]!.ports[0]!.dataset.namespace}:${catalog.products[10]!.ports[0]!.dataset.name}:customer_id`,
      'product:nope.nothing',
      'dataset:nowhere:x',
    ];
    let compared = 0;
    for (const start of starts) {
      const cases: [Direction, number, number][] = [['BOTH', 0, 100], ['BOTH', 1, 5], ['BOTH', 3, 50], ['BOTH', 5, 100], ['UPSTREAM', 10, 500], ['DOWNSTREAM', 5, 100]];
      {
        for (const [direction, depth, first] of cases) {
          const expected = await walkLineage(store.sql, start, direction, depth, first);
          expect(graph.walk(start, direction, depth, first), `${start} ${direction} ${depth}/${first}`).toEqual(expected);
          if (expected.edges.length > 0) compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
  });

  it.skipIf(!adapter.available)('impact analysis: products, ports, fields, named starts and unknown ones', async () => {
    const starts: ImpactStart[] = [
      ...catalog.products.filter((_, i) => i % 8 === 0).flatMap((p): ImpactStart[] => {
        const port = p.ports[0]!;
        return [
          { node: `product:${p.id}` },
          { node: port.key },
          { node: `field:${port.dataset.namespace}:${port.dataset.name}:customer_id` },
          { product: p.id, port: port.name, field: 'amount' },
          { product: p.id, port: port.name },
          { product: p.id },
        ];
      }),
      { node: 'field:' },
      { node: 'product:nope.nothing' },
      { node: 'dataset:postgres://nowhere:5432:x.y' },
    ];
    let compared = 0;
    for (const start of starts) {
      for (const [depth, first] of [[1, 100], [3, 5], [10, 100]] as const) {
        const expected = await impactOf(store.sql, start, depth, first);
        expect(graph.impact(start, depth, first), `${JSON.stringify(start)} ${depth}/${first}`).toEqual(expected);
        if (expected.rows.length > 0) compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
  });
});

/**
 * The read models over HTTP: a write through the store is seen by the next query at once (the model is stale
 * and the database answers), and by the model once rebuilt; a quality result reorders search ties; new lineage
 * shows in walks and impact.
 */
describe.each(CATALOG_ADAPTERS)('GraphQL read models stay current ($name)', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let client: GraphQLClient;
  let token: string;

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = await openCatalogStore(db.config);
    await publishExampleMesh(store);
    token = (await store.createToken('sales-analytics', admin)).token;
    catalog = await startGraphQLCatalog(store, { readModel: true });
    client = new GraphQLClient(catalog.graphqlUrl);
    await catalog.readModel!.ready();
  });
  afterAll(async () => {
    await catalog?.close();
    await store?.close();
    await drop?.();
  });

  const search = async (query: string) =>
    (await client.request<{ products: { totalCount: number; edges: { node: { id: string; description: string } }[] } }>(
      gql`query($q: String) { products(query: $q, first: 50) { totalCount edges { node { id description } } } }`,
      { q: query },
    )).products;

  it.skipIf(!adapter.available)('a publication is searchable at once, and from the rebuilt index', async () => {
    const model = catalog.readModel!;
    expect(model.searchIndex()).toBeDefined();
    expect((await search('zebracorn')).totalCount).toBe(0);
    const repository = await loadRepository(EXAMPLE_MESH);
    const bundle = buildPublishBundle(repository);
    const orders = bundle.products.find((p) => (p.manifest as { id: string }).id === 'sales.orders')!;
    const changed = { ...bundle, products: [{ ...orders, manifest: { ...(orders.manifest as object), description: 'Confirmed orders, counted by the zebracorn.' } }] };
    await store.publish(changed, admin);
    // Stale now: the next query is answered by the database, and already finds the new word.
    expect(model.searchIndex()).toBeUndefined();
    expect((await search('zebracorn')).edges.map((e) => e.node.id)).toEqual(['sales.orders']);
    await model.ready();
    const index = model.searchIndex()!;
    expect(index).toBeDefined();
    expect(index.search(await model.tsquery('zebracorn') ?? undefined, {}, 10, 0).page.map((p) => p.id)).toEqual(['sales.orders']);
    expect((await search('zebracorn')).edges.map((e) => e.node.id)).toEqual(['sales.orders']);
  });

  it.skipIf(!adapter.available)('a quality result breaks search ties by the new score, in the model too', async () => {
    const model = catalog.readModel!;
    await model.ready();
    const unranked = await client.request<{ products: { edges: { node: { id: string } }[] } }>(gql`{ products(first: 100) { edges { node { id } } } }`);
    const last = unranked.products.edges.at(-1)!.node.id;
    await store.recordQualityResult({ productId: last, port: (await store.sql.query<{ name: string }>('select name from ports where product_id = $1 limit 1', [last])).rows[0]!.name, measuredAt: '2026-12-01T00:00:00.000Z', score: 99.9 }, admin);
    expect(model.searchIndex()).toBeUndefined();
    const first = async () => (await client.request<{ products: { edges: { node: { id: string } }[] } }>(gql`{ products(first: 1) { edges { node { id } } } }`)).products.edges[0]!.node.id;
    expect(await first()).toBe(last);
    await model.ready();
    expect(model.searchIndex()).toBeDefined();
    expect(await first()).toBe(last);
  });

  it.skipIf(!adapter.available)('ingested lineage shows in walks and impact at once, and from the rebuilt graph', async () => {
    const model = catalog.readModel!;
    await model.ready();
    const job = { namespace: 'airflow', name: 'zebracorn_export' };
    const report = { namespace: 'postgres://warehouse.internal:5432', name: 'reports.zebracorn' };
    const walk = async () =>
      (await client.request<{ lineage: { nodes: { id: string }[] } }>(gql`query($n: ID!) { lineage(node: $n, direction: DOWNSTREAM, depth: 2) { nodes { id } } }`, { n: `job:${job.namespace}:${job.name}` })).lineage.nodes.map((n) => n.id);
    expect(await walk()).toEqual([]);
    const event = runEvent({ runId: uuidFor('read-model-run'), eventType: 'COMPLETE', job, inputs: [{ namespace: 'postgres://crm:5432', name: 'crm.public.orders' }], outputs: [report], fields: 2 });
    const answer = await postJson(`${catalog.url}/api/v1/lineage`, event, token);
    expect(answer.status, answer.text).toBe(201);
    expect(model.lineageGraph()).toBeUndefined();
    expect(await walk()).toContain(`dataset:${report.namespace}:${report.name}`);
    await model.ready();
    expect(model.lineageGraph()).toBeDefined();
    expect(await walk()).toContain(`dataset:${report.namespace}:${report.name}`);
    // A walk's nodes carry no facets; asked for, they are read (a regression: they used to break the non-null field).
    const withFacets = await client.request<{ lineage: { nodes: { id: string; facets: Record<string, unknown> }[] } }>(
      gql`query($n: ID!) { lineage(node: $n, direction: DOWNSTREAM, depth: 1) { nodes { id facets } } }`,
      { n: `job:${job.namespace}:${job.name}` },
    );
    expect(withFacets.lineage.nodes.find((n) => n.id === `dataset:${report.namespace}:${report.name}`)!.facets).toHaveProperty('schema');
  });

  it.skipIf(!adapter.available)('another run over known lineage leaves the graph current; a mesh facet on a known dataset does not', async () => {
    const model = catalog.readModel!;
    const job = { namespace: 'airflow', name: 'okapi_refresh' };
    const copy = { namespace: 'postgres://warehouse.internal:5432', name: 'scratch.okapi_sessions' };
    const input = { namespace: 'postgres://crm:5432', name: 'crm.public.sessions' };
    const post = async (event: Record<string, unknown>) => {
      const answer = await postJson(`${catalog.url}/api/v1/lineage`, event, token);
      expect(answer.status, answer.text).toBe(201);
    };
    const run = (name: string) => runEvent({ runId: uuidFor(name), eventType: 'COMPLETE', job, inputs: [input], outputs: [copy], fields: 2 }) as any;
    await post(run('okapi-1'));
    expect(model.lineageGraph()).toBeUndefined();
    await model.ready();
    // The same job over the same datasets again: a new run, new facet stamps, nothing the graph holds.
    await post(run('okapi-2'));
    expect(model.lineageGraph()).toBeDefined();
    expect((await store.sql.query('select 1 from runs where run_id = $1', [uuidFor('okapi-2')])).rows).toHaveLength(1);
    // The dataset now names its product through mesh's facet: the graph changes (the dataset joins the product).
    const { manifest } = (await loadRepository(EXAMPLE_MESH)).products.get('marketing.sessions')!;
    const port = manifest.outputs[0]!;
    const tagged = run('okapi-3');
    tagged.outputs[0].facets.mesh_dataProduct = meshDatasetFacet('https://example.com/test', catalog.url, manifest, port, undefined);
    await post(tagged);
    expect(model.lineageGraph()).toBeUndefined();
    await model.ready();
    const dataset = await client.request<{ dataset: { product: { id: string } | null; port: string | null } }>(gql`query($id: ID!) { dataset(id: $id) { product { id } port } }`, { id: `dataset:${copy.namespace}:${copy.name}` });
    expect(dataset.dataset).toEqual({ product: { id: 'marketing.sessions' }, port: port.port });
  });
});

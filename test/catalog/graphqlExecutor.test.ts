import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getIntrospectionQuery } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jitGateway } from '../../catalog/graphql/jitExecutor.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { generateCatalog, type GeneratedCatalog } from '../support/generateCatalog.js';
import { startGraphQLCatalog } from '../support/graphqlCatalog.js';

/** What a server answered: HTTP status, data and errors, as a GraphQL client receives them. */
async function answer(client: GraphQLClient, query: string, variables?: Record<string, unknown>) {
  try {
    const { status, data, errors } = await client.rawRequest<Record<string, unknown>>(query, variables);
    return { status, data, errors };
  } catch (error) {
    if (error instanceof ClientError) return { status: error.response.status, data: error.response.data, errors: error.response.errors };
    throw error;
  }
}

const SEARCH = `query Search($query: String, $after: String) {
  products(query: $query, first: 5, after: $after) {
    totalCount
    edges { cursor node { id name domain layer tags qualityScore { score grade } } }
    pageInfo { hasNextPage endCursor }
    facets { domain { value count } layer { value count } owner { value count } tag { value count } status { value count } }
  }
}`;
const DETAIL = `query Detail($id: ID!) {
  product(id: $id) {
    id name domain version status description tags layer pattern file publishedAt updatedAt apiVersion kind
    owner { team email slack name } team { name }
    sla { freshnessMax freshnessColumn availability completeness }
    inputs { productId port fields description product { id name } dataset { id name } }
    outputs {
      name description compatibility status
      dataset { id namespace name port product { id } }
      contract { path version title owner fields { name type required nullable pii classification description primaryKey unique } versions { seq version publishedAt changes { code } } }
      qualityScore { score grade measuredAt port records valid invalid checks dimensions { name score weight detail } }
      slaStatus { freshness availability completeness }
    }
    consumers { port fields product { id name domain } team { name } }
    versions { seq version publishedAt publishedBy contracts { port path version seq contractVersion { seq } } }
    runs(first: 5) { id job state startedAt endedAt updatedAt errorMessage }
    slaStatus { measuredAt freshness freshnessLagSeconds freshnessMaxSeconds availability availabilityPercent completeness completenessPercent }
    qualityScore { score grade measuredAt records dimensions { name score weight detail } }
    qualityHistory(first: 3) { score measuredAt port }
  }
}`;
const LINEAGE = `query Lineage($node: ID!, $direction: Direction, $depth: Int) {
  lineage(node: $node, direction: $direction, depth: $depth, first: 100) {
    nodes { id kind name namespace field distance product { id owner { team } } }
    edges { source target kind via }
    truncated
  }
}`;
const IMPACT = `query Impact($node: ID!) {
  impact(node: $node) { distance fieldLevel fields product { id name } team { name } }
}`;
/** Fragments, aliases, directives, typenames and a variable default: what the compiler must treat as graphql-js does. */
const SHAPES = `fragment Names on DataProduct { id name ... on DataProduct { domain } }
query Shapes($skip: Boolean!, $first: Int = 3) {
  __typename
  a: products(first: $first) { edges { node { ...Names __typename owner @skip(if: $skip) { team } } } }
  b: products(first: $first, layer: gold) { totalCount edges { node { ...Names tags @include(if: $skip) } } }
  domains { name productCount teams { name } }
  teams { name domains products { id } }
}`;

/**
 * The compiled executor (graphql-jit, the default) and graphql-js answer every query alike: two servers on one
 * generated catalog, one of each, asked the same queries over HTTP with a GraphQL client, must answer the same
 * status, data and errors (messages, codes, locations and paths), on each store adapter.
 */
describe.each(CATALOG_ADAPTERS)('the compiled executor answers as graphql-js does ($name)', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;
  let catalog: GeneratedCatalog;
  let jit: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  let interpreted: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  const logged: string[] = [];

  beforeAll(async () => {
    if (!adapter.available) return;
    const db = await adapter.create();
    drop = db.drop;
    store = await openCatalogStore(db.config);
    catalog = await generateCatalog(store, { products: 60, domains: 3, teams: 6, datasets: 300, edges: 1_200, seed: 'executor' });
    // Every operation compiled from its first sighting, so that every answer below is the compiled one.
    jit = await startGraphQLCatalog(store, { log: (line) => logged.push(line), executor: 'jit', jit: { compileAfter: 1 } });
    interpreted = await startGraphQLCatalog(store, { log: (line) => logged.push(line), executor: 'graphql-js' });
    await Promise.all([jit.readModel?.ready(), interpreted.readModel?.ready()]);
  });
  afterAll(async () => {
    await jit?.close();
    await interpreted?.close();
    await store?.close();
    await drop?.();
  });

  const same = async (query: string, variables?: Record<string, unknown>) => {
    const compiled = await answer(new GraphQLClient(jit.graphqlUrl), query, variables);
    expect(compiled).toEqual(await answer(new GraphQLClient(interpreted.graphqlUrl), query, variables));
    return compiled;
  };

  it.skipIf(!adapter.available)('search, product detail, lineage and impact', async () => {
    const products = catalog.products.filter((_, i) => i % 6 === 0);
    for (const query of [...catalog.searchTerms.slice(0, 8), '"customers enriched"', 'orders -raw', null]) {
      const first = await same(SEARCH, { query });
      const after = (first.data as any)?.products.pageInfo.endCursor;
      if (after) await same(SEARCH, { query, after });
    }
    for (const product of products) {
      const detail = await same(DETAIL, { id: product.id });
      expect((detail.data as any).product.id).toBe(product.id);
      const port = product.ports[0]!;
      for (const node of [`product:${product.id}`, port.key]) {
        for (const direction of ['UPSTREAM', 'DOWNSTREAM', 'BOTH']) await same(LINEAGE, { node, direction, depth: 5 });
        await same(IMPACT, { node });
      }
      await same(IMPACT, { node: `field:${port.dataset.namespace}:${port.dataset.name}:customer_id` });
    }
    const graph = await same(LINEAGE, { node: `product:${catalog.longestChain[0]}`, direction: 'BOTH', depth: 5 });
    expect((graph.data as any).lineage.nodes.length).toBeGreaterThan(5);
  });

  it.skipIf(!adapter.available)('fragments, aliases, directives, variable defaults, introspection', async () => {
    for (const skip of [true, false]) expect((await same(SHAPES, { skip })).errors).toBeUndefined();
    const schema = await same(getIntrospectionQuery());
    expect((schema.data as any).__schema.queryType.name).toBe('Query');
    await same('{ __type(name: "DataProduct") { name fields { name type { kind name ofType { name } } } } }');
  });

  it.skipIf(!adapter.available)('errors: refused variables, resolver errors, a missing product, unauthenticated mutations', async () => {
    const cases: [string, Record<string, unknown> | undefined, number, string | undefined][] = [
      ['query($n: Int) { products(first: $n) { totalCount } }', { n: 'many' }, 400, 'BAD_USER_INPUT'],
      ['query($id: ID!) { product(id: $id) { id } }', {}, 400, 'BAD_USER_INPUT'],
      ['query($d: Direction) { lineage(node: "product:x", direction: $d) { truncated } }', { d: 'SIDEWAYS' }, 400, 'BAD_USER_INPUT'],
      ['{ products(after: "bm9wZQ") { totalCount } }', undefined, 200, 'BAD_USER_INPUT'],
      ['{ ok: products(first: 1) { totalCount } bad: products(after: "bm9wZQ") { totalCount } }', undefined, 200, 'BAD_USER_INPUT'],
      ['{ product(id: "no.such.product") { id name } }', undefined, 200, undefined],
      ['mutation { recordSlaStatus(input: {productId: "x", measuredAt: "2026-01-01T00:00:00Z"}) }', undefined, 200, 'UNAUTHENTICATED'],
      ['{ products(first: 1000000) { totalCount } }', undefined, 400, 'BAD_USER_INPUT'],
      [`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(' ')} }`, undefined, 400, 'QUERY_TOO_COMPLEX'],
    ];
    for (const [query, variables, status, code] of cases) {
      const got = await same(query, variables);
      expect(got.status, query).toBe(status);
      expect(got.errors?.[0]?.extensions?.['code'], query).toBe(code);
    }
    expect(logged).toEqual([]);
  });
});

describe('jitGateway', () => {
  const schema = makeExecutableSchema({ typeDefs: 'type Query { echo(n: Int!): Int! }', resolvers: { Query: { echo: (_: unknown, args: { n: number }) => args.n } } });
  const single = (res: Awaited<ReturnType<ApolloServer['executeOperation']>>) => (res.body.kind === 'single' ? res.body.singleResult : undefined);

  it('keeps at most cacheSize compiled operations, and answers every operation, evicted or not', async () => {
    const gateway = jitGateway(schema, { cacheSize: 3, compileAfter: 1 });
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      for (let round = 0; round < 2; round++) {
        for (let n = 0; n < 10; n++) {
          expect(single(await server.executeOperation({ query: `{ echo(n: ${n}) }` }))?.data).toEqual({ echo: n });
          expect(gateway.compiled()).toBeLessThanOrEqual(3);
        }
      }
      // Two operations in one document: each compiled apart, by name.
      const document = 'query A { a: echo(n: 1) } query B { b: echo(n: 2) }';
      expect(single(await server.executeOperation({ query: document, operationName: 'A' }))?.data).toEqual({ a: 1 });
      expect(single(await server.executeOperation({ query: document, operationName: 'B' }))?.data).toEqual({ b: 2 });
      expect(gateway.compiled()).toBe(3);
    } finally {
      await server.stop();
    }
  });

  it('compiles an operation when it comes again, and never one of more than maxCompiledFields fields', async () => {
    const gateway = jitGateway(schema, { maxCompiledFields: 20 });
    const server = new ApolloServer({ gateway });
    await server.start();
    try {
      const small = '{ a: echo(n: 1) b: echo(n: 2) }';
      expect(single(await server.executeOperation({ query: small }))?.data).toEqual({ a: 1, b: 2 });
      expect(gateway.compiled()).toBe(0);
      expect(single(await server.executeOperation({ query: small }))?.data).toEqual({ a: 1, b: 2 });
      expect(gateway.compiled()).toBe(1);
      // 21 fields through a fragment spread 7 times: counted expanded.
      const large = `fragment Three on Query { x: echo(n: 1) y: echo(n: 2) z: echo(n: 3) } { ${Array.from({ length: 7 }, (_, i) => `... on Query { ...Three } q${i}: __typename`).join(' ')} }`;
      for (let i = 0; i < 3; i++) expect(single(await server.executeOperation({ query: large }))?.data).toMatchObject({ x: 1, y: 2, z: 3, q6: 'Query' });
      expect(gateway.compiled()).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

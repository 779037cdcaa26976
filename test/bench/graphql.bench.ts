/**
 * The GraphQL catalog under load (issue 6), on the real PostgreSQL server: a generated catalog of 10,000
 * products, 50,000 datasets and 200,000 lineage edges (`generateCatalog`), a real `CatalogServer` with the
 * GraphQL handler on 127.0.0.1, and 32 concurrent keep-alive clients for 30 s per kind of query
 * (`MESH_BENCH_SECONDS` to shorten, `MESH_BENCH_PRODUCTS` to scale the catalog down): search, product detail,
 * lineage at depth 5, impact. Reported per kind: p50, p95, p99, throughput, and SQL statements per query
 * (the store runs over a counting client). Target: p95 under 50 ms for each.
 *
 * Baselines, measured in the same run over the same HTTP, Apollo and pg path: `{ __typename }` (no SQL), and a
 * primary-key lookup `product(id) { id name }` (one statement). The ratio is against the lookup.
 *
 * The load clients run in a worker thread (`loadFor`), as a separate load tool would, not on the server's event
 * loop. The GraphQL read models are measured once built (`MESH_BENCH_READ_MODEL=0`: without them).
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../catalog/store/migrate.js';
import { openSqlClient } from '../../catalog/store/openCatalogStore.js';
import { SqlCatalogStore } from '../../catalog/store/SqlCatalogStore.js';
import { countingSqlClient, type CountingSqlClient } from '../support/countingSqlClient.js';
import { BENCH_SCALE, generateCatalog, type CatalogScale, type GeneratedCatalog } from '../support/generateCatalog.js';
import { PRODUCT_DETAIL_QUERY, startGraphQLCatalog } from '../support/graphqlCatalog.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { loadFor, type LoadResult } from './loadClients.js';
import { report } from './support.js';

const SECONDS = Number(process.env['MESH_BENCH_SECONDS'] ?? 30);
const CLIENTS = 32;
const PRODUCTS = Number(process.env['MESH_BENCH_PRODUCTS'] ?? BENCH_SCALE.products);
const SCALE: CatalogScale = PRODUCTS === BENCH_SCALE.products ? BENCH_SCALE : scaled(PRODUCTS);
const TARGET_P95_MS = 50;
/** `MESH_BENCH_READ_MODEL=0` measures without the GraphQL read models (every query on the database). */
const READ_MODEL = process.env['MESH_BENCH_READ_MODEL'] !== '0';
/**
 * `MESH_BENCH_TSQUERY_CACHE=0` has the search index ask PostgreSQL for every search text's tsquery (one statement
 * a search) instead of remembering the last 1,000: the benchmark's 62 texts would all be remembered.
 */
const TSQUERY_CACHE = process.env['MESH_BENCH_TSQUERY_CACHE'] !== '0';
/** `MESH_BENCH_EXECUTOR=graphql-js` measures operations interpreted by graphql-js instead of compiled by graphql-jit. */
const EXECUTOR = process.env['MESH_BENCH_EXECUTOR'] === 'graphql-js' ? 'graphql-js' : 'jit';
/** `MESH_BENCH_CPU_PROFILE=<dir>` writes a CPU profile of the server's process for each kind of query there. */
const CPU_PROFILE = process.env['MESH_BENCH_CPU_PROFILE'];
const available = await postgresAvailable();

function scaled(products: number): CatalogScale {
  const f = products / BENCH_SCALE.products;
  return { ...BENCH_SCALE, products, datasets: Math.round(BENCH_SCALE.datasets * f), edges: Math.round(BENCH_SCALE.edges * f) };
}

const SEARCH = /* GraphQL */ `
query Search($query: String!) {
  products(query: $query, first: 20) {
    totalCount
    edges { node { id name domain layer qualityScore { score grade } } }
    pageInfo { hasNextPage endCursor }
    facets { domain { value count } layer { value count } owner { value count } tag { value count } status { value count } }
  }
}`;

const DETAIL = PRODUCT_DETAIL_QUERY;

const LINEAGE = /* GraphQL */ `
query Lineage($node: ID!) {
  lineage(node: $node, depth: 5) {
    nodes { id kind name distance }
    edges { source target kind via }
    truncated
  }
}`;

const IMPACT = /* GraphQL */ `
query Impact($node: ID!) {
  impact(node: $node) { distance fieldLevel fields product { id name } team { name } }
}`;

const PK_LOOKUP = /* GraphQL */ `query Lookup($id: ID!) { product(id: $id) { id name } }`;
const TYPENAME = /* GraphQL */ `{ __typename }`;

interface Figure {
  readonly query: string;
  readonly result: LoadResult;
  readonly statements: number;
  readonly load: number;
  /** The server process's garbage collection while the query ran: pauses in all (ms a second) and the longest. */
  readonly gc: { readonly msPerSecond: number; readonly longestMs: number };
}

/** Collects the process's garbage-collection pauses while `run` runs. */
async function withGcPauses<T>(run: () => Promise<T>): Promise<{ value: T; total: number; longest: number }> {
  let total = 0;
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      total += entry.duration;
      longest = Math.max(longest, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const value = await run();
    return { value, total, longest };
  } finally {
    observer.disconnect();
  }
}

/** Runs `run` under the CPU profiler when `MESH_BENCH_CPU_PROFILE` names a directory, and writes the profile there. */
async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!CPU_PROFILE) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(CPU_PROFILE, `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

describe.skipIf(!available)('GraphQL catalog benchmark (PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: CountingSqlClient;
  let store: SqlCatalogStore;
  let catalog: GeneratedCatalog;
  let server: Awaited<ReturnType<typeof startGraphQLCatalog>>;
  const figures: Figure[] = [];
  let modelReady: { seconds: number; heapMb: number } | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('mesh_bench');
    sql = countingSqlClient(await openSqlClient({ kind: 'postgres', url: db.url }));
    await migrate(sql);
    store = new SqlCatalogStore(sql);
    catalog = await generateCatalog(store, SCALE);
    server = await startGraphQLCatalog(store, { log: (line) => console.error(line), readModel: READ_MODEL && (TSQUERY_CACHE || { tsqueryCacheSize: 0 }), executor: EXECUTOR });
    // The read models build in the background when the server starts; measured once they are ready.
    const started = performance.now();
    await server.readModel?.ready();
    modelReady = { seconds: (performance.now() - started) / 1000, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await db?.drop();
  });

  const post = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(server.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  };
  const bodies = (query: string, variables: readonly Record<string, unknown>[]) => variables.map((v) => Buffer.from(JSON.stringify({ query, variables: v })));
  const measure = async (name: string, payloads: readonly Buffer[]) => {
    sql.reset();
    const { value: result, total, longest } = await withGcPauses(() =>
      profiled(name, () =>
        loadFor(server.graphqlUrl, payloads, SECONDS, {
          clients: CLIENTS,
          expected: 200,
          failOn: '"errors":[',
        }),
      ),
    );
    const figure = { query: name, result, statements: sql.statements / result.requests, load: loadavg()[0]!, gc: { msPerSecond: total / SECONDS, longestMs: longest } };
    figures.push(figure);
    console.log(`${name}: ${result.requests} requests, p95 ${result.p95.toFixed(1)} ms, ${figure.statements.toFixed(2)} statements/query; top statements:`, sql.top(5));
    expect(result.failed, result.firstFailure).toBe(0);
    return figure;
  };

  /** Products spread over the catalog, the same ones each run. */
  const sample = (n: number) => {
    const step = catalog.products.length / n;
    return Array.from({ length: n }, (_, i) => catalog.products[Math.floor(i * step + step / 2)]!);
  };

  it('generates the catalog', () => {
    const c = catalog.counts;
    report(`Generated catalog (${catalog.seconds.total.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)})`, [
      { products: c.products, domains: c.domains, teams: c.teams, ports: c.ports, datasets: c.datasets, jobs: c.jobs, fields: c.fields },
      { edges: c.edges, ...c.edgesByKind },
      { runs: c.runs, 'quality results': c.qualityResults, 'SLA rows': c.slaStatus, 'longest feed chain': catalog.longestChain.length },
      { 'plan s': catalog.seconds.plan, 'lineage (COPY) s': catalog.seconds.lineage, 'publish s': catalog.seconds.publish, 'results s': catalog.seconds.results, 'vacuum analyze s': catalog.seconds.vacuum },
    ]);
    expect(c.products).toBe(SCALE.products);
  });

  it('baselines: { __typename } and a primary-key lookup over the same path', async () => {
    await measure('baseline: { __typename } (no SQL)', bodies(TYPENAME, [{}]));
    await measure('baseline: product(id) { id name } (primary key)', bodies(PK_LOOKUP, sample(500).map((p) => ({ id: p.id }))));
  });

  it('search', async () => {
    const terms = [...catalog.searchTerms, 'orders daily', 'customer churn', '"customers enriched"', 'payments -raw', 'invoices or refunds', 'email'];
    const data = await post(SEARCH, { query: 'orders' });
    expect((data['products'] as { totalCount: number }).totalCount).toBeGreaterThan(0);
    await measure('search: products(query) with facets', bodies(SEARCH, terms.map((query) => ({ query }))));
  });

  it('product detail', async () => {
    const ids = sample(500).map((p) => ({ id: p.id }));
    const data = await post(DETAIL, ids[0]!);
    expect((data['product'] as { id: string }).id).toBe(ids[0]!.id);
    await measure('product detail: every field', bodies(DETAIL, ids));
  });

  it('lineage at depth 5', async () => {
    // Starts in every layer: products, and port datasets.
    const starts = sample(200).flatMap((p, i) => [{ node: i % 2 === 0 ? `product:${p.id}` : p.ports[0]!.key }]);
    const sizes = { nodes: [] as number[], edges: [] as number[], truncated: 0 };
    for (const start of starts.slice(0, 50)) {
      const graph = (await post(LINEAGE, start))['lineage'] as { nodes: unknown[]; edges: unknown[]; truncated: boolean };
      sizes.nodes.push(graph.nodes.length);
      sizes.edges.push(graph.edges.length);
      if (graph.truncated) sizes.truncated++;
    }
    const figure = await measure('lineage(node, depth: 5), first 100 nodes', bodies(LINEAGE, starts));
    report('Lineage walks at depth 5 (50 starts)', [
      { 'nodes mean': mean(sizes.nodes), 'nodes max': Math.max(...sizes.nodes), 'edges mean': mean(sizes.edges), 'edges max': Math.max(...sizes.edges), 'truncated (first: 100)': `${sizes.truncated}/50` },
    ]);
    expect(figure.result.requests).toBeGreaterThan(0);
  });

  it('impact', async () => {
    // Of a product, of a port (its dataset), and of a field of a port.
    const starts = sample(300).map((p, i) => {
      const port = p.ports[0]!;
      return { node: i % 3 === 0 ? `product:${p.id}` : i % 3 === 1 ? port.key : `field:${port.dataset.namespace}:${port.dataset.name}:customer_id` };
    });
    const sizes: number[] = [];
    for (const start of starts.slice(0, 30)) sizes.push(((await post(IMPACT, start))['impact'] as unknown[]).length);
    await measure('impact(node) of a product, port or field', bodies(IMPACT, starts));
    report('Impact (30 starts)', [{ 'impacted products mean': mean(sizes), max: Math.max(...sizes) }]);
  });

  it('reports', () => {
    const lookup = figures.find((f) => f.query.startsWith('baseline: product'))!;
    if (READ_MODEL) report('GraphQL read models', [{ 'ready after start s': modelReady!.seconds, 'heap after MB': modelReady!.heapMb }]);
    report(`GraphQL catalog, ${CLIENTS} clients, ${SECONDS} s each, ${SCALE.products.toLocaleString('en-US')} products, read models ${READ_MODEL ? `on${TSQUERY_CACHE ? '' : ', no tsquery cache'}` : 'off'}, executor ${EXECUTOR}, node flags: ${process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')).join(' ') || 'none'} (target p95 < ${TARGET_P95_MS} ms)`, figures.map((f) => ({
      query: f.query,
      requests: f.result.requests,
      'req/s': f.result.throughput,
      'p50 ms': f.result.p50,
      'p95 ms': f.result.p95,
      'p99 ms': f.result.p99,
      'statements/query': f.statements,
      'p95 vs lookup': `${(f.result.p95 / lookup.result.p95).toFixed(1)}x`,
      'GC ms/s': f.gc.msPerSecond,
      'longest GC ms': f.gc.longestMs,
      load: f.load,
    })));
  });
});

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

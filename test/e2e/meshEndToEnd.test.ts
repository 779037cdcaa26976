import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient, gql } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { runMesh, startServe, type ServeProcess } from '../support/meshProcess.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The products `finance.revenue` is built from, transitively (README, "Lineage"): sales and finance only. */
const UPSTREAM_PRODUCTS = [
  'finance.ecb_fx_rates',
  'finance.fx_rates',
  'finance.payments',
  'finance.psp_transactions',
  'sales.crm_customers',
  'sales.customers',
  'sales.order_items',
  'sales.orders',
  'sales.product_catalog',
  'sales.shop_orders',
];

/** The external datasets those bronze products read, as OpenLineage names them. */
const SOURCES = [
  'dataset:postgres://crm.internal:5432:crm.public.customers',
  'dataset:sftp://pim.internal:22:/exports/catalog/products.csv',
  'dataset:mysql://shop-db.internal:3306:shop.orders',
  'dataset:mysql://shop-db.internal:3306:shop.order_lines',
  'dataset:https://data-api.ecb.europa.eu:service/data/EXR/D.USD+GBP+CHF+SEK.EUR.SP00.A',
  'dataset:https://api.psp.example:v1/balance_transactions',
];

/** Product-to-product edges on the way: each input of a product on the path, as `upstream -> downstream`. */
const FEEDS = [
  'sales.orders -> finance.revenue',
  'finance.payments -> finance.revenue',
  'finance.fx_rates -> finance.revenue',
  'sales.shop_orders -> sales.orders',
  'sales.order_items -> sales.orders',
  'sales.customers -> sales.orders',
  'sales.shop_orders -> sales.order_items',
  'sales.product_catalog -> sales.order_items',
  'sales.crm_customers -> sales.customers',
  'finance.psp_transactions -> finance.payments',
  'finance.fx_rates -> finance.payments',
  'finance.ecb_fx_rates -> finance.fx_rates',
];

interface LineageGraph {
  truncated: boolean;
  nodes: { id: string; kind: string }[];
  edges: { source: string; target: string; kind: string }[];
}

const postgres = await postgresAvailable();

/**
 * Issue 8's end-to-end path, with the real binary and real databases: from empty PostgreSQL databases (one
 * for the warehouse, one for the catalog), `mesh run --all` builds the example mesh, `mesh test --all` tests
 * it, both sending their OpenLineage events to a running `mesh serve`, and `mesh publish` writes the manifests
 * into the catalog. Then GraphQL answers the lineage of finance's revenue back to the bronze sources.
 */
describe.skipIf(!postgres)('the example mesh end to end on PostgreSQL', () => {
  let repo: string;
  let warehouse: TestDatabase;
  let catalog: TestDatabase;
  let serve: ServeProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'mesh-e2e-'));
    await cp(join(ROOT, 'products'), join(repo, 'products'), { recursive: true });
    await cp(join(ROOT, 'contracts'), join(repo, 'contracts'), { recursive: true });
    warehouse = await createTestDatabase('mesh_e2e_warehouse');
    catalog = await createTestDatabase('mesh_e2e_catalog');
    const created = await runMesh(['token', 'create', '--team', 'platform', '--db', catalog.url, '--format', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    serve = await startServe(['--db', catalog.url]);
    env = { OPENLINEAGE_URL: serve.url, OPENLINEAGE_API_KEY: token, MESH_WAREHOUSE_URL: warehouse.url };
  }, 120_000);

  afterAll(async () => {
    serve?.child.kill('SIGTERM');
    await serve?.exited;
    await warehouse?.drop();
    await catalog?.drop();
    await rm(repo, { recursive: true, force: true });
  });

  it('runs, tests and publishes the mesh, then answers the lineage of finance.revenue back to its bronze sources', async () => {
    const run = await runMesh(['run', '--all', '--format', 'json'], env, repo);
    expect(run.code, run.stderr).toBe(0);
    const ran = JSON.parse(run.stdout) as { products: { product: string; status: string }[] };
    expect(ran.products.filter((p) => p.status !== 'completed')).toEqual([]);
    expect(ran.products).toHaveLength(19);

    // Planted faults make some checks fail (exit 1), but every port is tested.
    const test = await runMesh(['test', '--all', '--format', 'json'], env, repo);
    expect([0, 1], test.stderr).toContain(test.code);
    expect((JSON.parse(test.stdout) as unknown[]).length).toBe(20);

    const publish = await runMesh(['publish', '--db', catalog.url, '--format', 'json'], env, repo);
    expect(publish.code, publish.stderr).toBe(0);
    expect((JSON.parse(publish.stdout) as { products: unknown[] }).products).toHaveLength(19);

    const client = new GraphQLClient(`${serve.url}/graphql`);
    const { lineage } = await client.request<{ lineage: LineageGraph }>(
      gql`
        query RevenueUpstream($node: ID!) {
          lineage(node: $node, direction: UPSTREAM, depth: 10, first: 500) {
            truncated
            nodes { id kind }
            edges { source target kind }
          }
        }
      `,
      { node: 'product:finance.revenue' },
    );
    expect(lineage.truncated).toBe(false);
    const ids = new Set(lineage.nodes.map((n) => n.id));
    const products = [...ids].filter((id) => id.startsWith('product:')).sort();
    expect(products).toEqual(['product:finance.revenue', ...UPSTREAM_PRODUCTS.map((p) => `product:${p}`)].sort());
    for (const source of SOURCES) expect(ids, source).toContain(source);
    const edges = new Set(lineage.edges.map((e) => `${e.source} -> ${e.target}`));
    for (const feed of FEEDS) {
      const [from, to] = feed.split(' -> ');
      expect(edges, feed).toContain(`product:${from} -> product:${to}`);
    }
    // What the runs reported (OpenLineage from mesh run): the job that built revenue's table read sales.orders'.
    const table = (suffix: string) => lineage.nodes.find((n) => n.kind === 'dataset' && n.id.endsWith(suffix))?.id;
    const revenueTable = table('.gold.finance_revenue');
    const ordersTable = table('.gold.sales_orders');
    expect(revenueTable && ordersTable).toBeTruthy();
    const writer = lineage.edges.find((e) => e.kind === 'writes' && e.target === revenueTable);
    expect(writer?.source).toMatch(/^job:/);
    expect(edges).toContain(`${ordersTable} -> ${writer!.source}`);
    expect(edges).toContain(`product:finance.revenue -> ${revenueTable}`);
    // Every edge stays inside the graph returned, and nothing downstream of revenue or in marketing is in it.
    for (const edge of lineage.edges) expect(ids.has(edge.source) && ids.has(edge.target), `${edge.source} -> ${edge.target}`).toBe(true);
    expect([...ids].filter((id) => id.includes('marketing') || id.includes('monthly_revenue'))).toEqual([]);
  }, 600_000);
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GraphQLClient } from 'graphql-request';
import { describe, expect, it } from 'vitest';
import { DEMO_QUERIES } from '../../platform/cli/demo/runDemo.js';
import { BIN } from '../support/runCli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface DemoLine {
  url: string;
  graphql: string;
  demo: { seconds: number; products: number; run: { products: number; completed: number; ports: number; rejected: number }; ports: { product: string; port: string; score: number | null; grade: string | null; sla: { freshness: string } }[] };
}

// `npm start` is `mesh serve --demo`: the example mesh, published, run, tested, into a catalog that then serves.
describe('the demo (npm start)', () => {
  it('publishes, runs and tests the example mesh into a serving catalog, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--format', 'json'], { cwd: ROOT, env: { PATH: process.env['PATH'] }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const line = await new Promise<DemoLine>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as DemoLine);
      });
      void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${stderr}`)));
    });
    try {
      const { demo } = line;
      expect(demo.products).toBe(19);
      expect(demo.run).toMatchObject({ products: 19, completed: 19, ports: 20 });
      // Planted faults: rejected rows wait in dead-letter tables, and scores differ between products.
      expect(demo.run.rejected).toBeGreaterThan(0);
      expect(demo.ports).toHaveLength(20);
      expect(new Set(demo.ports.map((p) => p.grade)).size).toBeGreaterThan(1);
      expect(demo.ports.some((p) => p.sla.freshness === 'BREACHED')).toBe(true);
      expect(demo.ports.some((p) => p.sla.freshness === 'MET')).toBe(true);
      const health = await fetch(`${line.url}/healthz`);
      expect(health.status).toBe(200);
      // The queries the demo prints answer over GraphQL: revenue is found with its score, and its lineage reaches
      // the bronze products and their external sources through the observed pipeline runs.
      expect(line.graphql).toBe(`${line.url}/graphql`);
      const client = new GraphQLClient(line.graphql);
      const [search, lineage, impact] = await Promise.all(DEMO_QUERIES.map((q) => client.request<any>(q.query)));
      const revenue = search.products.edges.find((e: any) => e.node.id === 'finance.revenue');
      expect(revenue.node.qualityScore).toEqual({ score: expect.any(Number), grade: expect.stringMatching(/^[A-F]$/) });
      const ids = lineage.lineage.nodes.map((n: any) => n.id);
      expect(ids).toEqual(expect.arrayContaining(['product:sales.shop_orders', 'product:finance.psp_transactions', 'dataset:mysql://shop-db.internal:3306:shop.orders', 'job:mesh:finance.revenue']));
      expect(impact.product.impact).toContainEqual({ distance: 1, fieldLevel: true, product: { id: 'finance.revenue' }, team: { name: 'finance-analytics' } });
      // The facet schema the events' _schemaURL names is served there.
      const schema = await fetch(`${line.url}/schemas/facets/1-0-0/MeshDataProductDatasetFacet.json`);
      expect([schema.status, ((await schema.json()) as { $id: string }).$id]).toEqual([200, `${line.url}/schemas/facets/1-0-0/MeshDataProductDatasetFacet.json`]);
      // Every product's lineage reached the catalog over its own ingestion endpoint: no warning on stderr.
      expect(stderr).not.toMatch(/spool|could not|rejected/i);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

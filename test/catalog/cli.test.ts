import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogServer } from '../../catalog/server/CatalogServer.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { main } from '../../platform/cli/main.js';
import { writeFixtureRepository } from '../support/fixtureRepository.js';

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function mesh(argv: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    cwd,
    env: { USER: 'tester', ...env },
  });
  return { code, stdout, stderr };
}

describe('mesh token, mesh publish', () => {
  let dir: string;
  let repo: string;
  let dataDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesh-cli-'));
    repo = join(dir, 'repo');
    dataDir = join(dir, 'catalog');
    await writeFixtureRepository(repo, [
      { domain: 'sales', name: 'orders', team: 'sales-team' },
      { domain: 'sales', name: 'refunds', team: 'sales-team', inputs: ['sales.orders:orders'] },
      { domain: 'growth', name: 'funnel', team: 'growth-team', inputs: ['sales.orders:orders'] },
    ]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a token, prints it once on stdout, lists and revokes it without showing it again', async () => {
    const created = await mesh(['token', 'create', '--team', 'sales-team', '--data-dir', dataDir], dir);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^mesh_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/token 1 for team sales-team; it is shown this once/);
    const listed = await mesh(['token', 'list', '--data-dir', dataDir, '--format', 'json'], dir);
    const tokens = JSON.parse(listed.stdout) as { id: number; team: string; prefix: string }[];
    expect(tokens).toMatchObject([{ id: 1, team: 'sales-team', prefix: token.slice(0, 11) }]);
    expect(listed.stdout).not.toContain(token);
    const revoked = await mesh(['token', 'revoke', '1', '--data-dir', dataDir], dir);
    expect([revoked.code, revoked.stdout]).toEqual([0, 'token 1 of team sales-team is revoked\n']);
  });

  it.each([
    [['token', 'create', '--data-dir', 'x'], /--team is required/],
    [['token', 'create', '--team', 'Sales Team', '--data-dir', 'x'], /not a team slug/],
    [['token', 'revoke', 'abc', '--data-dir', 'x'], /give the id/],
    [['publish', '--catalog', 'http://127.0.0.1:1', '--db', 'postgres://x/y'], /give one/],
    [['serve', '--port', 'eighty'], /--port must be a port number/],
  ])('mesh %j is a usage error', async (argv, message) => {
    const result = await mesh(argv, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('publishes straight to the database, and republishing adds no version', async () => {
    const events = join(dir, 'publish-events.jsonl');
    const lineageEnv = { OPENLINEAGE__TRANSPORT__TYPE: 'file', OPENLINEAGE__TRANSPORT__LOG_FILE_PATH: events };
    const first = await mesh(['publish', repo, '--data-dir', dataDir], dir, lineageEnv);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('3 products: 3 created, 0 updated, 0 unchanged');
    // The static lineage of what was published: a DatasetEvent per port, then the product's JobEvent.
    const emitted = (await readFile(events, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(emitted.map((e) => (e.job ? `job ${e.job.name}` : `dataset ${e.dataset.name}`))).toEqual([
      'dataset gold.sales_orders',
      'job sales.orders',
      'dataset gold.growth_funnel',
      'job growth.funnel',
      'dataset gold.sales_refunds',
      'job sales.refunds',
    ]);
    expect(emitted[1].outputs[0].facets.schema.fields.map((f: { name: string }) => f.name)).toContain('customer_email');
    const again = await mesh(['publish', repo, '--data-dir', dataDir, '--format', 'json'], dir, lineageEnv);
    // Nothing changed, nothing announced.
    expect((await readFile(events, 'utf8')).trim().split('\n')).toHaveLength(6);
    const outcome = JSON.parse(again.stdout) as { published: boolean; products: { action: string }[] };
    expect(outcome.published).toBe(true);
    expect(outcome.products.map((p) => p.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    const store = await openCatalogStore({ kind: 'pglite', dataDir });
    try {
      expect((await store.counts()).productVersions).toBe(3);
      expect((await store.auditLog({ action: 'product.publish' })).map((a) => a.principal)).toEqual(['direct:tester', 'direct:tester', 'direct:tester']);
    } finally {
      await store.close();
    }
  });

  it('refuses to publish a repository with errors, listing them', async () => {
    const broken = join(dir, 'broken');
    await writeFixtureRepository(broken, [{ domain: 'sales', name: 'orders', team: 'sales-team' }]);
    await writeFile(join(broken, 'products/sales/orders/product.yaml'), 'apiVersion: mesh/v1\nkind: DataProduct\nid: sales.orders\n');
    const result = await mesh(['publish', broken, '--data-dir', join(dir, 'never')], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/products\/sales\/orders\/product\.yaml:\d+:\d+ {2}error {2}MANIFEST_FIELD_MISSING/);
    expect(result.stdout).toMatch(/refusing to publish/);
  });

  describe('to a catalog server over HTTP', () => {
    let store: CatalogStore;
    let server: CatalogServer;
    let url: string;
    let salesToken: string;

    beforeAll(async () => {
      store = await openCatalogStore({ kind: 'pglite', dataDir: undefined });
      server = new CatalogServer({ store });
      url = (await server.listen(0, '127.0.0.1')).url;
      salesToken = (await store.createToken('sales-team', { kind: 'direct', name: 'test' })).token;
    });
    afterAll(async () => {
      await server.close();
      await store.close();
    });

    it('needs a token', async () => {
      const result = await mesh(['publish', repo, '--catalog', url], dir);
      expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/needs a token: --token <t> or MESH_TOKEN/)]);
    });

    it('refuses, before sending anything, a repository with another team’s products', async () => {
      const result = await mesh(['publish', repo, '--catalog', url, '--token', salesToken], dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/team sales-team publishes only that team's products; 1 of 3 belong to other teams \(growth.funnel\); use --team sales-team/);
      expect((await store.counts()).products).toBe(0);
    });

    it('publishes one team’s products with --team (token from MESH_TOKEN), and again changes nothing', async () => {
      const first = await mesh(['publish', repo, '--catalog', url, '--team', 'sales-team'], dir, { MESH_TOKEN: salesToken });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('2 products: 2 created, 0 updated, 0 unchanged');
      const again = await mesh(['publish', repo, '--team', 'sales-team'], dir, { MESH_TOKEN: salesToken, MESH_CATALOG_URL: url });
      expect(again.stdout).toContain('2 products: 0 created, 0 updated, 2 unchanged');
      expect((await store.counts()).productVersions).toBe(2);
    });

    it('reports a wrong token and an unreachable catalog', async () => {
      const wrong = await mesh(['publish', repo, '--catalog', url, '--token', `mesh_${'z'.repeat(43)}`], dir);
      expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringMatching(/not valid/)]);
      const unreachable = await mesh(['publish', repo, '--catalog', 'http://127.0.0.1:1', '--token', salesToken], dir);
      expect([unreachable.code, unreachable.stderr]).toEqual([2, expect.stringMatching(/cannot reach the catalog at http:\/\/127.0.0.1:1/)]);
    });
  });
});

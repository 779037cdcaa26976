import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogClient } from '../../catalog/publish/CatalogClient.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { publishRepository } from '../../catalog/publish/publishRepository.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { Repository } from '../../platform/repo/Repository.js';
import { writeFixtureRepository, type FixtureProduct } from '../support/fixtureRepository.js';
import { runMesh, startServe } from '../support/meshProcess.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../support/postgres.js';

/**
 * Publishing 10,000 products (each with its contract, inputs forming a tree) on the real PostgreSQL server: over
 * HTTP to the real `mesh serve`, again unchanged (idempotent), and straight into the database. Target: under
 * 10 s. Baseline in the same run: one raw INSERT of the same manifests and contracts as JSONB rows. Loading and
 * validating the repository on the client (`loadRepository`) is reported on its own line.
 */
const PRODUCTS = Number(process.env['MESH_BENCH_PRODUCTS'] ?? 10_000);
const available = await postgresAvailable();

describe.skipIf(!available)('publish benchmark (PostgreSQL)', () => {
  let root: string;
  let repository: Repository;
  const databases: TestDatabase[] = [];
  const rows: { step: string; seconds: number; note?: string }[] = [];
  const timed = async <T>(step: string, work: () => Promise<T>, note?: (value: T) => string): Promise<T> => {
    const started = performance.now();
    const value = await work();
    rows.push({ step, seconds: (performance.now() - started) / 1000, ...(note ? { note: note(value) } : {}) });
    return value;
  };
  const fresh = async () => {
    const db = await createTestDatabase('mesh_bench');
    databases.push(db);
    return db;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mesh-publish-bench-'));
    const products: FixtureProduct[] = Array.from({ length: PRODUCTS }, (_, i) => {
      const up = Math.floor((i - 1) / 3);
      return {
        domain: `domain${i % 40}`,
        name: `product_${i}`,
        team: 'platform-team',
        fields: ['amount', 'quantity', 'customer_email', 'region_code', 'discount'],
        ...(i > 0 ? { inputs: [`domain${up % 40}.product_${up}:product_${up}`] } : {}),
      };
    });
    await writeFixtureRepository(root, products);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    for (const db of databases) await db.drop();
    const baseline = rows.find((r) => r.step.startsWith('baseline'))?.seconds ?? Number.NaN;
    console.log(`\npublish: ${PRODUCTS} products with their contracts`);
    console.table(rows.map((r) => ({ step: r.step, seconds: r.seconds.toFixed(2), 'vs raw INSERT': r.step.startsWith('publish') ? (r.seconds / baseline).toFixed(1) : '', note: r.note ?? '' })));
  });

  it('loads and validates the repository (client side)', async () => {
    repository = await timed('loadRepository (client validation)', () => loadRepository(root), (r) => `${r.problems.filter((p) => p.severity === 'error').length} errors`);
    expect(repository.products.size).toBe(PRODUCTS);
    expect(repository.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('baseline: one raw INSERT of the same manifests and contracts', async () => {
    const db = await fresh();
    const bundle = buildPublishBundle(repository);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('create table raw_products (id text primary key, manifest jsonb not null); create table raw_contracts (path text primary key, schema jsonb not null)');
    await timed('baseline: raw INSERT of manifests and contracts', async () => {
      await client.query('begin');
      await client.query("insert into raw_products select m ->> 'id', m from jsonb_array_elements($1::jsonb) as x(m)", [JSON.stringify(bundle.products.map((p) => p.manifest))]);
      await client.query("insert into raw_contracts select c ->> 'file', c -> 'schema' from jsonb_array_elements($1::jsonb) as x(c)", [JSON.stringify(bundle.contracts)]);
      await client.query('commit');
    });
    await client.end();
  });

  it('publishes over HTTP to mesh serve, then republishes unchanged', async () => {
    const db = await fresh();
    const { token } = JSON.parse((await runMesh(['token', 'create', '--team', 'platform-team', '--format', 'json', '--db', db.url])).stdout) as { token: string };
    const serve = await startServe(['--db', db.url], { direct: true });
    try {
      const client = new CatalogClient(serve.url, token);
      const first = await timed('publish over HTTP (all new)', () => publishRepository(repository, { kind: 'http', client }), (r) => `${r.outcome.products.filter((p) => p.action === 'created').length} created`);
      expect(first.outcome.products.every((p) => p.action === 'created')).toBe(true);
      const again = await timed('publish over HTTP (unchanged)', () => publishRepository(repository, { kind: 'http', client }), (r) => `${r.outcome.products.filter((p) => p.action === 'unchanged').length} unchanged`);
      expect(again.outcome.products.every((p) => p.action === 'unchanged')).toBe(true);
      const cli = await timed('mesh publish --catalog (CLI, end to end, unchanged)', () => runMesh(['publish', root, '--catalog', serve.url, '--token', token, '--format', 'json']));
      expect(cli.code, cli.stderr).toBe(0);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });

  it('publishes straight into the database', async () => {
    const db = await fresh();
    const store = await openCatalogStore({ kind: 'postgres', url: db.url });
    try {
      await timed('publish into the database (all new)', () => publishRepository(repository, { kind: 'store', store, principal: { kind: 'direct', name: 'bench' } }));
      expect((await store.counts()).products).toBe(PRODUCTS);
    } finally {
      await store.close();
    }
  });
});

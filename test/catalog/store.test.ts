import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidContentError } from '../../catalog/errors.js';
import { EventChecker } from '../../catalog/ingest/checkEvent.js';
import { IngestBatch } from '../../catalog/ingest/IngestBatch.js';
import { LineageWriter } from '../../catalog/ingest/LineageWriter.js';
import { mergeNodeRows } from '../../catalog/ingest/mergeRows.js';
import { DEFAULT_CONTRACT_DIFFER, type ContractChange, type ContractSnapshot } from '../../catalog/publish/ContractDiffer.js';
import { buildPublishBundle, type PublishBundle } from '../../catalog/publish/PublishBundle.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { migrate } from '../../catalog/store/migrate.js';
import { openCatalogStore, openSqlClient } from '../../catalog/store/openCatalogStore.js';
import type { Principal } from '../../catalog/store/Principal.js';
import { SqlCatalogStore } from '../../catalog/store/SqlCatalogStore.js';
import { MIGRATIONS } from '../../catalog/store/migrations/index.js';
import { ConflictError, ForbiddenError, InputError, NotFoundError, TransientError } from '../../platform/errors.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { writeFixtureRepository, type FixtureProduct } from '../support/fixtureRepository.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';
import { withRefusingTrigger } from '../support/refusingTrigger.js';

const checker = EventChecker.create();
const admin: Principal = { kind: 'direct', name: 'test' };

async function bundleOf(products: readonly FixtureProduct[], edit?: (root: string) => Promise<void>): Promise<PublishBundle> {
  const root = await mkdtemp(join(tmpdir(), 'mesh-store-'));
  try {
    await writeFixtureRepository(root, products);
    if (edit) await edit(root);
    const repository = await loadRepository(root);
    expect(repository.problems.filter((p) => p.severity === 'error')).toEqual([]);
    return buildPublishBundle(repository);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function batchOf(principal: Principal, events: readonly Record<string, unknown>[]): IngestBatch {
  const batch = new IngestBatch();
  batch.add({ principal, target: 'batch', events: events.map((e) => checker.check(e)) });
  return batch;
}

describe.each(CATALOG_ADAPTERS)('catalog store on $name', (adapter) => {
  let store: CatalogStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    if (!adapter.available) return;
    const created = await adapter.create();
    drop = created.drop;
    store = await openCatalogStore(created.config);
  });
  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  const tokenFor = async (team: string) => {
    const { token } = await store.createToken(team, admin);
    return (await store.authenticate(token))!;
  };

  describe.skipIf(!adapter.available)('', () => {
    it('applies the migrations once, records them, and applying again does nothing', async () => {
      expect((await store.sql.query('select version, name from mesh_migrations order by version', [])).rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(await migrate(store.sql)).toEqual({ applied: [], version: Math.max(...MIGRATIONS.map((m) => m.version)) });
    });

    it('refuses a database whose applied migration was edited, or that is newer than this mesh', async () => {
      await expect(migrate(store.sql, [{ ...MIGRATIONS[0]!, sql: MIGRATIONS[0]!.sql + '\n-- edited' }])).rejects.toThrow(ConflictError);
      await store.sql.query("insert into mesh_migrations (version, name, checksum) values (999, 'future', 'x')", []);
      await expect(migrate(store.sql)).rejects.toThrow(/schema version 999/);
      await store.sql.transaction(async (tx) => void ((await tx.query('delete from mesh_migrations where version = 999', [])).rows));
    });

    it('translates driver errors into the project errors in one place', async () => {
      const { record } = await store.createToken('errors-team', admin);
      await expect(store.sql.query("insert into api_tokens (team, token_hash, prefix) select team, token_hash, prefix from api_tokens where id = $1", [record.id])).rejects.toThrow(ConflictError);
      await expect(store.sql.query("insert into lineage_edges (source, target, kind) values ('x:nowhere', 'y:nowhere', 'reads')", [])).rejects.toThrow(ConflictError);
      await expect(store.sql.query('select $1::uuid', ['not-a-uuid'])).rejects.toThrow(InputError);
      await expect(store.sql.query("insert into runs (run_id) values ($1)", [uuidFor('null-job')])).rejects.toThrow(InputError);
    });

    it('keeps the audit log append-only', async () => {
      await expect(store.sql.query('delete from audit_log', [])).rejects.toThrow(/append-only/);
      await expect(store.sql.query("update audit_log set team = 'x'", [])).rejects.toThrow(/append-only/);
    });

    describe('tokens', () => {
      it('stores only a hash, authenticates the token, and audits its creation', async () => {
        const { token, record } = await store.createToken('sales-analytics', admin, 'CI');
        expect(token).toMatch(/^mesh_[A-Za-z0-9_-]{43}$/);
        expect(record).toMatchObject({ team: 'sales-analytics', prefix: token.slice(0, 11), description: 'CI', revokedAt: null });
        const stored = (await store.sql.query<{ hash: string }>("select encode(token_hash, 'hex') as hash from api_tokens where id = $1", [record.id])).rows;
        expect(stored[0]!.hash).not.toContain(token.slice(5));
        expect((await store.sql.query('select 1 from api_tokens where prefix = $1 or description = $1', [token])).rows).toEqual([]);
        expect(await store.authenticate(token)).toEqual({ kind: 'token', team: 'sales-analytics', tokenId: record.id });
        const [entry] = await store.auditLog({ action: 'token.create', target: 'team:sales-analytics' });
        expect(entry).toMatchObject({ team: null, principal: 'direct:test', detail: { token: record.id } });
      });

      it.each([['mesh_' + 'A'.repeat(43)], ['not-a-token'], [''], ['mesh_short']])('does not authenticate %j', async (token) => {
        expect(await store.authenticate(token)).toBeUndefined();
      });

      it('stops authenticating a revoked token, and refuses a team that is not a slug', async () => {
        const { token, record } = await store.createToken('revoked-team', admin);
        const revoked = await store.revokeToken(record.id, admin);
        expect(revoked.revokedAt).toBeInstanceOf(Date);
        expect(await store.authenticate(token)).toBeUndefined();
        await expect(store.revokeToken(987_654, admin)).rejects.toThrow(NotFoundError);
        await expect(store.createToken('Not A Slug', admin)).rejects.toThrow(InputError);
        expect((await store.listTokens('revoked-team')).map((t) => t.id)).toEqual([record.id]);
      });
    });

    describe('publishing', () => {
      const orders: FixtureProduct = { domain: 'shop', name: 'orders', team: 'shop-team' };
      const returns: FixtureProduct = { domain: 'shop', name: 'returns', team: 'shop-team', inputs: ['shop.orders:orders'] };

      it('creates products and contracts, and republishing unchanged content changes nothing', async () => {
        const principal = await tokenFor('shop-team');
        const bundle = await bundleOf([orders, returns]);
        const first = await store.publish(bundle, principal);
        expect(first.products.map((p) => [p.id, p.action, p.seq])).toEqual([
          ['shop.orders', 'created', 1],
          ['shop.returns', 'created', 1],
        ]);
        expect(first.contracts.map((c) => [c.id, c.action])).toEqual([
          ['contracts/shop/orders.schema.json', 'created'],
          ['contracts/shop/returns.schema.json', 'created'],
        ]);
        const before = await store.counts();
        const again = await store.publish(bundle, principal);
        expect(again.products.every((p) => p.action === 'unchanged')).toBe(true);
        expect(again.contracts.every((c) => c.action === 'unchanged')).toBe(true);
        expect(await store.counts()).toEqual(before);
        const audit = await store.auditLog({ team: 'shop-team' });
        expect(audit.map((a) => [a.action, a.target]).sort()).toEqual([
          ['contract.publish', 'contract:contracts/shop/orders.schema.json'],
          ['contract.publish', 'contract:contracts/shop/returns.schema.json'],
          ['product.publish', 'product:shop.orders'],
          ['product.publish', 'product:shop.returns'],
        ]);
        expect(audit[0]).toMatchObject({ team: 'shop-team', tokenId: principal.tokenId, principal: `token:${principal.tokenId}` });
      });

      it('stores ports, inputs, contract fields, search text and declared lineage', async () => {
        const ports = (await store.sql.query('select product_id, name, contract_path, compatibility, dataset_key from ports where product_id like $1 order by 1', ['shop.%'])).rows;
        expect(ports).toEqual([
          { product_id: 'shop.orders', name: 'orders', contract_path: 'contracts/shop/orders.schema.json', compatibility: 'forward', dataset_key: 'dataset:postgres://warehouse:gold.shop_orders' },
          { product_id: 'shop.returns', name: 'returns', contract_path: 'contracts/shop/returns.schema.json', compatibility: 'forward', dataset_key: 'dataset:postgres://warehouse:gold.shop_returns' },
        ]);
        expect((await store.sql.query('select upstream_product, upstream_port from product_inputs where product_id = $1', ['shop.returns'])).rows).toEqual([
          { upstream_product: 'shop.orders', upstream_port: 'orders' },
        ]);
        const fields = (await store.sql.query<{ name: string; pii: boolean; primary_key: boolean; type: string }>(
          'select name, type, pii, primary_key from contract_fields where contract_path = $1 order by position',
          ['contracts/shop/orders.schema.json'],
        )).rows;
        expect(fields).toEqual([
          { name: 'id', type: 'string', pii: false, primary_key: true },
          { name: 'updated_at', type: 'string', pii: false, primary_key: false },
          { name: 'amount', type: 'number', pii: false, primary_key: false },
          { name: 'customer_email', type: 'string', pii: true, primary_key: false },
        ]);
        const found = (await store.sql.query<{ id: string }>("select id from products where search @@ websearch_to_tsquery('english', $1) order by id", ['email'])).rows;
        expect(found.map((r) => r.id)).toEqual(['shop.orders', 'shop.returns']);
        const piiFields = (await store.sql.query("select contract_path from contract_fields where pii and search @@ websearch_to_tsquery('english', 'email') order by 1", [])).rows;
        expect(piiFields).toEqual([{ contract_path: 'contracts/shop/orders.schema.json' }, { contract_path: 'contracts/shop/returns.schema.json' }]);
        const edges = (await store.sql.query('select source, kind, target, via from lineage_edges where declared_by like $1 order by 1, 2', ['shop.%'])).rows;
        expect(edges).toEqual([
          { source: 'product:shop.orders', kind: 'feeds', target: 'product:shop.returns', via: 'orders' },
          { source: 'product:shop.orders', kind: 'publishes', target: 'dataset:postgres://warehouse:gold.shop_orders', via: 'orders' },
          { source: 'product:shop.returns', kind: 'publishes', target: 'dataset:postgres://warehouse:gold.shop_returns', via: 'returns' },
        ]);
      });

      it('adds a version only for what changed, and warns when the version did not move', async () => {
        const principal = await tokenFor('shop-team');
        const described = await store.publish(await bundleOf([{ ...orders, description: 'Orders, now described better.' }, returns]), principal);
        expect(described.products.map((p) => [p.id, p.action, p.seq])).toEqual([
          ['shop.orders', 'updated', 2],
          ['shop.returns', 'unchanged', 1],
        ]);
        expect(described.contracts.every((c) => c.action === 'unchanged')).toBe(true);
        expect(described.warnings).toEqual(['product shop.orders changed but its version is still 1.0.0']);

        const widened = await store.publish(
          await bundleOf([{ ...orders, version: '1.1.0', description: 'Orders, now described better.', fields: ['amount', 'customer_email', 'discount'], contractVersion: '1.1.0' }, returns]),
          principal,
        );
        expect(widened.contracts.map((c) => [c.id, c.action, c.seq, c.version])).toEqual([
          ['contracts/shop/orders.schema.json', 'updated', 2, '1.1.0'],
          ['contracts/shop/returns.schema.json', 'unchanged', 1, '1.0.0'],
        ]);
        expect(widened.warnings).toEqual([]);
        const versions = (await store.sql.query('select seq, version, changes from contract_versions where contract_path = $1 order by seq', ['contracts/shop/orders.schema.json'])).rows;
        // Without a compatibility engine the changes are "not computed" (null), never "none".
        expect(versions).toEqual([
          { seq: 1, version: '1.0.0', changes: null },
          { seq: 2, version: '1.1.0', changes: null },
        ]);
        const history = (await store.sql.query<{ seq: number; version: string; contracts: Record<string, { seq: number }> }>(
          'select seq, version, contracts from product_versions where product_id = $1 order by seq',
          ['shop.orders'],
        )).rows;
        expect(history.map((h) => [h.seq, h.version, h.contracts['orders']!.seq])).toEqual([
          [1, '1.0.0', 1],
          [2, '1.0.0', 1],
          [3, '1.1.0', 2],
        ]);
      });

      it('treats a change in a shared definition as a change of every contract that refers to it', async () => {
        const principal = await tokenFor('shop-team');
        const edited = await bundleOf([{ ...orders, version: '1.1.0', description: 'Orders, now described better.', fields: ['amount', 'customer_email', 'discount'], contractVersion: '1.1.0' }, returns], async (root) => {
          const file = join(root, 'contracts/common/types.schema.json');
          const types = JSON.parse(await readFile(file, 'utf8'));
          types.$defs.timestamp.description = 'A point in time, in UTC, to the millisecond.';
          await writeFile(file, JSON.stringify(types));
        });
        const outcome = await store.publish(edited, principal);
        expect(outcome.contracts.map((c) => c.action)).toEqual(['updated', 'updated']);
        const documents = (await store.sql.query<{ documents: Record<string, unknown> }>('select documents from contracts where path = $1', ['contracts/shop/returns.schema.json'])).rows;
        expect(Object.keys(documents[0]!.documents)).toEqual(['contracts/common/types.schema.json']);
      });

      it('refuses another team’s product, and a takeover by changing the owner, storing nothing', async () => {
        const intruder = await tokenFor('growth-team');
        const before = await store.counts();
        await expect(store.publish(await bundleOf([orders]), intruder)).rejects.toThrow(ForbiddenError);
        await expect(store.publish(await bundleOf([{ ...orders, team: 'growth-team' }]), intruder)).rejects.toThrow(/shop.orders \(published by shop-team\)/);
        expect(await store.counts()).toEqual(before);
      });

      it('refuses a dataset another product already publishes', async () => {
        const principal = await tokenFor('growth-team');
        const before = await store.counts();
        await expect(store.publish(await bundleOf([{ domain: 'growth', name: 'copycat', team: 'growth-team', dataset: 'gold.shop_orders' }]), principal)).rejects.toThrow(ConflictError);
        expect(await store.counts()).toEqual(before);
      });

      it.each([
        ['not an object', [], InputError, undefined],
        ['a manifest missing its name', { products: [{ file: 'products/a/b/product.yaml', manifest: { apiVersion: 'mesh/v1' } }], contracts: [] }, InvalidContentError, '/products/0/manifest/id'],
        ['a path that climbs out', { products: [], contracts: [{ file: 'contracts/../etc/passwd.json', schema: {} }] }, InvalidContentError, '/contracts/0/file'],
        ['an unknown field', { products: [], contracts: [], extra: 1 }, InvalidContentError, '/'],
      ])('refuses %s with a located reason', async (_name, bundle, type, pointer) => {
        const error = await store.publish(bundle, admin).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(type);
        if (pointer !== undefined) expect((error as InvalidContentError).violations.map((v) => v.pointer)).toContain(pointer);
      });

      it('refuses a product whose contract is not in the publication', async () => {
        const bundle = await bundleOf([{ domain: 'lonely', name: 'product', team: 'lonely-team' }]);
        const error = (await store.publish({ products: bundle.products, contracts: [] }, admin).catch((e: unknown) => e)) as InvalidContentError;
        expect(error.violations).toContainEqual({ pointer: '/products/0/manifest/outputs/0/contract', message: 'contract contracts/lonely/product.schema.json is not in the publication' });
      });

      it('hands the previous and the new contract to the compatibility engine and keeps its changes', async () => {
        const seen: [ContractSnapshot, ContractSnapshot][] = [];
        const differ = (previous: ContractSnapshot, next: ContractSnapshot) => {
          seen.push([previous, next]);
          return [{ code: 'PROPERTY_ADDED', pointer: '/properties', backward: true, forward: false, message: `${previous.version} -> ${next.version}` }];
        };
        const withDiffer = new SqlCatalogStore(store.sql, { contractDiffer: differ });
        const product: FixtureProduct = { domain: 'diffs', name: 'product', team: 'diff-team' };
        await withDiffer.publish(await bundleOf([product]), admin);
        expect(seen).toEqual([]);
        await withDiffer.publish(await bundleOf([{ ...product, version: '2.0.0', contractVersion: '2.0.0', fields: ['amount'] }]), admin);
        expect(seen.map(([a, b]) => [a.version, b.version, Object.keys(a.documents)])).toEqual([['1.0.0', '2.0.0', ['contracts/common/types.schema.json']]]);
        const versions = (await store.sql.query('select seq, changes from contract_versions where contract_path = $1 order by seq', ['contracts/diffs/product.schema.json'])).rows;
        expect(versions).toEqual([
          { seq: 1, changes: null },
          { seq: 2, changes: [{ code: 'PROPERTY_ADDED', pointer: '/properties', backward: true, forward: false, message: '1.0.0 -> 2.0.0' }] },
        ]);
      });
      it('classifies the changes between contract versions with the compatibility engine by default', async () => {
        const withEngine = new SqlCatalogStore(store.sql, { contractDiffer: DEFAULT_CONTRACT_DIFFER });
        const product: FixtureProduct = { domain: 'engine', name: 'product', team: 'engine-team' };
        await withEngine.publish(await bundleOf([product]), admin);
        // The contract is closed (additionalProperties: false): dropping a field breaks old data (backward) only.
        await withEngine.publish(await bundleOf([{ ...product, version: '2.0.0', contractVersion: '2.0.0', fields: ['amount'] }]), admin);
        const [latest] = (await store.sql.query<{ changes: ContractChange[] }>('select changes from contract_versions where contract_path = $1 order by seq desc limit 1', ['contracts/engine/product.schema.json'])).rows;
        const removed = latest!.changes.find((c) => c.pointer.includes('customer_email'));
        expect(removed).toMatchObject({ backward: false, forward: true });
        expect(latest!.changes.every((c) => typeof c.code === 'string' && typeof c.message === 'string')).toBe(true);
      });
    });

    describe('quality results and SLA status', () => {
      it('records results for the owner team, audited, and refuses others', async () => {
        const owner = await tokenFor('shop-team');
        const other = await tokenFor('growth-team');
        const result = { productId: 'shop.orders', port: 'orders', measuredAt: '2026-11-26T10:00:00Z', score: 92.5, grade: 'A', records: 100, valid: 99, invalid: 1, dimensions: [{ name: 'validity', score: 99, weight: 0.3, detail: '99 of 100 valid' }], checks: [{ name: 'unique_id', passed: true }] };
        const id = await store.recordQualityResult(result, owner);
        // Discovery's tie-break, kept on the product by a trigger: the port's latest score, whatever the arrival order.
        const quality = async () => (await store.sql.query<{ quality: number }>('select quality from products where id = $1', ['shop.orders'])).rows[0]!.quality;
        expect(await quality()).toBe(92.5);
        await store.recordQualityResult({ ...result, measuredAt: '2026-11-25T10:00:00Z', score: 40, grade: 'F' }, owner);
        expect(await quality()).toBe(92.5);
        await store.recordQualityResult({ ...result, measuredAt: '2026-11-27T10:00:00Z', score: 81, grade: 'B' }, owner);
        expect(await quality()).toBe(81);
        expect((await store.sql.query('select product_id, port, score, grade, valid from quality_results where id = $1', [id])).rows).toEqual([{ product_id: 'shop.orders', port: 'orders', score: 92.5, grade: 'A', valid: 99 }]);
        expect((await store.auditLog({ action: 'quality.record' }))[0]).toMatchObject({ team: 'shop-team', target: 'product:shop.orders' });
        await expect(store.recordQualityResult(result, other)).rejects.toThrow(ForbiddenError);
        await expect(store.recordQualityResult({ ...result, productId: 'nope.nope' }, owner)).rejects.toThrow(NotFoundError);
        await expect(store.recordQualityResult({ ...result, port: 'nope' }, owner)).rejects.toThrow(NotFoundError);
        const invalid = (await store.recordQualityResult({ ...result, score: 140 }, owner).catch((e: unknown) => e)) as InvalidContentError;
        expect(invalid.violations.map((v) => v.pointer)).toEqual(['/score']);
        const sla = { productId: 'shop.orders', measuredAt: '2026-11-26T10:00:00Z', freshness: { status: 'MET', lagSeconds: 3600, maxSeconds: 86400 }, availability: { status: 'AT_RISK', percent: 99.1 }, completeness: { status: 'UNKNOWN' } };
        const slaId = await store.recordSlaStatus(sla, owner);
        expect((await store.sql.query('select freshness, availability, completeness, freshness_lag_seconds from sla_status where id = $1', [slaId])).rows).toEqual([
          { freshness: 'MET', availability: 'AT_RISK', completeness: 'UNKNOWN', freshness_lag_seconds: 3600 },
        ]);
        await expect(store.recordSlaStatus({ ...sla, freshness: { status: 'GREEN' } }, owner)).rejects.toThrow(InvalidContentError);
      });
    });

    // Both write paths: one statement per batch (small batches), and COPY plus a derivation statement (large ones).
    describe.each([
      { path: 'one statement', copyThreshold: Number.POSITIVE_INFINITY },
      { path: 'COPY', copyThreshold: 0 },
    ])('lineage ingestion ($path)', ({ copyThreshold }) => {
      const principal: Principal = { kind: 'direct', name: 'ingest' };
      let store: CatalogStore;
      let dropDatabase: () => Promise<void>;
      beforeAll(async () => {
        const created = await adapter.create();
        dropDatabase = created.drop;
        store = await openCatalogStore(created.config, { copyThreshold });
      });
      afterAll(async () => {
        await store?.close();
        await dropDatabase?.();
      });
      const tokenFor = async (team: string) => {
        const { token } = await store.createToken(team, admin);
        return (await store.authenticate(token))!;
      };

      it('stores the same event once; the second time changes nothing at all', async () => {
        const event = runEvent({ runId: uuidFor('dup'), job: { namespace: 'mesh', name: 'dup.job' } });
        const first = await store.ingestLineage(batchOf(principal, [event]));
        expect(first.size).toBe(1);
        const snapshot = async () => ({
          counts: await store.counts(),
          nodes: (await store.sql.query("select key, updated_at from lineage_nodes where key like '%dup.job%' order by key", [])).rows,
          runs: (await store.sql.query('select * from runs where run_id = $1', [uuidFor('dup')])).rows,
        });
        const before = await snapshot();
        // The same event re-sent, differently spaced, is the same event.
        const second = await store.ingestLineage(batchOf(principal, [JSON.parse(JSON.stringify(event, null, 2))]));
        expect(second.size).toBe(0);
        expect(await snapshot()).toEqual(before);
        expect((await store.sql.query('select count(*)::int as n from lineage_events where run_id = $1', [uuidFor('dup')])).rows).toEqual([{ n: 1 }]);
      });

      it('derives jobs, datasets, read/write edges and field edges from columnLineage', async () => {
        const runId = uuidFor('edges');
        await store.ingestLineage(
          batchOf(principal, [
            runEvent({ runId, job: { namespace: 'mesh', name: 'edges.job' }, inputs: [{ namespace: 'pg://in', name: 'src' }], outputs: [{ namespace: 'pg://out', name: 'dst' }], fields: 2 }),
          ]),
        );
        const edges = (await store.sql.query("select source, kind, target, detail from lineage_edges where source like '%edges.job%' or target like '%edges.job%' or source like 'field:pg://in%' order by 1, 2, 3", [])).rows;
        expect(edges).toEqual([
          { source: 'dataset:pg://in:src', kind: 'reads', target: 'job:mesh:edges.job', detail: null },
          { source: 'field:pg://in:src:field_1', kind: 'derives', target: 'field:pg://out:dst:field_1', detail: { transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] } },
          { source: 'field:pg://in:src:id', kind: 'derives', target: 'field:pg://out:dst:id', detail: { transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] } },
          { source: 'job:mesh:edges.job', kind: 'writes', target: 'dataset:pg://out:dst', detail: null },
        ]);
        const dataset = (await store.sql.query<{ facets: Record<string, unknown> }>('select facets from datasets where key = $1', ['dataset:pg://out:dst'])).rows;
        expect(Object.keys(dataset[0]!.facets).sort()).toEqual(['columnLineage', 'dataSource', 'schema']);
        expect((await store.sql.query("select name, dataset_key from dataset_fields where key like 'field:pg://out:dst:%' order by field", [])).rows).toEqual([
          { name: 'dst', dataset_key: 'dataset:pg://out:dst' },
          { name: 'dst', dataset_key: 'dataset:pg://out:dst' },
        ]);
      });

      it('arrives at the same run whatever order its events come in', async () => {
        const job = { namespace: 'mesh', name: 'order.job' };
        const events = (runId: string) => [
          runEvent({ runId, job, eventType: 'START', eventTime: '2026-11-26T10:00:00.000Z' }),
          runEvent({ runId, job, eventType: 'RUNNING', eventTime: '2026-11-26T10:01:00.000Z' }),
          runEvent({ runId, job, eventType: 'FAIL', eventTime: '2026-11-26T10:02:00.000Z', errorMessage: 'boom' }),
          runEvent({ runId, job, eventType: 'OTHER', eventTime: '2026-11-26T10:03:00.000Z', runFacets: { processing_engine: { _producer: 'https://x', _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet', version: '16.1' } } }),
        ];
        const orders = [
          [0, 1, 2, 3],
          [3, 2, 1, 0],
          [2, 0, 3, 1],
          [1, 3, 0, 2],
        ];
        const rows = [];
        for (const [i, order] of orders.entries()) {
          const runId = uuidFor(`order-${i}`);
          const list = events(runId);
          // One event per statement, in this order.
          for (const k of order) await store.ingestLineage(batchOf(principal, [list[k]!]));
          const [row] = (await store.sql.query<Record<string, unknown>>(
            'select state, started_at, ended_at, state_time, error_message, first_event_at, last_event_at, nominal_start, facets from runs where run_id = $1',
            [runId],
          )).rows;
          rows.push(row);
        }
        expect(rows[0]).toMatchObject({ state: 'FAIL', error_message: 'boom', started_at: new Date('2026-11-26T10:00:00.000Z'), ended_at: new Date('2026-11-26T10:02:00.000Z') });
        expect(rows[0]!['last_event_at']).toEqual(new Date('2026-11-26T10:03:00.000Z'));
        // The OTHER event came last: its processing_engine facet wins; the START's nominalTime stays.
        expect(rows[0]!['facets']).toMatchObject({ processing_engine: { version: '16.1' }, nominalTime: { nominalStartTime: '2026-11-26T00:00:00.000Z' } });
        for (const row of rows.slice(1)) expect(row).toEqual(rows[0]);
      });

      it('merges facets key by key, the latest event winning even when it arrives first', async () => {
        const job = { namespace: 'mesh', name: 'facets.job' };
        const output = [{ namespace: 'pg://facets', name: 'out' }];
        const newer = runEvent({ runId: uuidFor('facets-2'), job, outputs: output, fields: 3, eventTime: '2026-11-27T00:00:00.000Z' });
        const older = runEvent({ runId: uuidFor('facets-1'), job, outputs: output, fields: 5, eventTime: '2026-11-26T00:00:00.000Z' });
        await store.ingestLineage(batchOf(principal, [newer]));
        await store.ingestLineage(batchOf(principal, [older]));
        const [row] = (await store.sql.query<{ facets: { schema: { fields: unknown[] } } }>('select facets from datasets where key = $1', ['dataset:pg://facets:out'])).rows;
        expect(row!.facets.schema.fields).toHaveLength(3);
      });

      it('merges facets as the per-key rule does in every arrival order, by whichever path the statement takes', async () => {
        // The dataset is an output (schema, dataSource, columnLineage) in some events and an input (schema,
        // dataSource) in others: a newer event then names all stored keys, or only some, or comes out of order.
        const eventsFor = (order: number) => {
          const dataset = { namespace: 'pg://tiers', name: `t${order}` };
          const other = { namespace: 'pg://tiers', name: `other${order}` };
          return [0, 1, 2, 3].map((i) =>
            runEvent({
              runId: uuidFor(`tiers-${order}-${i}`),
              job: { namespace: 'mesh', name: `tiers.${order}.${i}` },
              ...(i % 2 === 0 ? { inputs: [other], outputs: [dataset] } : { inputs: [dataset], outputs: [other] }),
              fields: 2 + i,
              eventTime: `2026-11-26T1${i}:00:00.000Z`,
            }),
          );
        };
        const orders = [
          [0, 1, 2, 3],
          [3, 2, 1, 0],
          [1, 3, 0, 2],
          [2, 0, 3, 1],
          [0, 2, 1, 3],
        ];
        for (const [o, order] of orders.entries()) {
          const key = `dataset:pg://tiers:t${o}`;
          const rows = eventsFor(o).map((e) => checker.check(e).nodes.find((n) => n.key === key)!);
          const expected = rows.reduce((a, b) => mergeNodeRows(a, b));
          for (const k of order) await store.ingestLineage(batchOf(principal, [eventsFor(o)[k]!]));
          const [row] = (await store.sql.query<{ facets: unknown; facet_stamps: unknown }>('select facets, facet_stamps from lineage_nodes where key = $1', [key])).rows;
          expect(row, `order ${order.join(',')}`).toEqual({ facets: expected.facets, facet_stamps: expected.stamps });
          // Replaying every event, in one statement, changes nothing.
          const before = (await store.sql.query('select updated_at from lineage_nodes where key = $1', [key])).rows;
          await store.ingestLineage(batchOf(principal, eventsFor(o)));
          expect((await store.sql.query('select updated_at from lineage_nodes where key = $1', [key])).rows).toEqual(before);
        }
        // All four in one statement: the batch merges them first, into facets from two events (sent inline).
        const key = `dataset:pg://tiers:t${orders.length}`;
        const all = eventsFor(orders.length);
        const expected = all.map((e) => checker.check(e).nodes.find((n) => n.key === key)!).reduce((a, b) => mergeNodeRows(a, b));
        expect(expected.source).toBeUndefined();
        await store.ingestLineage(batchOf(principal, all));
        expect((await store.sql.query('select facets, facet_stamps from lineage_nodes where key = $1', [key])).rows).toEqual([{ facets: expected.facets, facet_stamps: expected.stamps }]);
        // The newest event named only schema and dataSource; columnLineage stays from the newest output event.
        const [last] = (await store.sql.query<{ facets: { schema: { fields: unknown[] }; columnLineage?: unknown } }>('select facets from datasets where key = $1', ['dataset:pg://tiers:t0'])).rows;
        expect([last!.facets.schema.fields.length, Object.keys(last!.facets).sort()]).toEqual([5, ['columnLineage', 'dataSource', 'schema']]);
      });

      it('stores nothing of a batch whose write fails part-way', async () => {
        // A real fault inside the statement: a trigger that refuses one job's run.
        await withRefusingTrigger(store.sql, 'job:mesh:poison', async () => {
          const before = await store.counts();
          const good = Array.from({ length: 20 }, (_, i) => runEvent({ runId: uuidFor(`atomic-${i}`), job: { namespace: 'mesh', name: `atomic.${i}` } }));
          const poison = runEvent({ runId: uuidFor('atomic-poison'), job: { namespace: 'mesh', name: 'poison' } });
          await expect(store.ingestLineage(batchOf(principal, [...good.slice(0, 10), poison, ...good.slice(10)]))).rejects.toThrow(/refused by test trigger/);
          expect(await store.counts()).toEqual(before);

          // Through the group-commit writer: the poisoned request fails alone, the others are stored.
          const writer = new LineageWriter(store, { concurrency: 1 });
          const requests = [good.slice(0, 5), [poison], good.slice(5, 10)].map((events) => writer.write({ principal, target: 'batch', events: events.map((e) => checker.check(e)) }));
          const settled = await Promise.allSettled(requests);
          expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
          expect((await store.counts()).events).toBe(before.events + 10);
          expect((await store.sql.query('select count(*)::int as n from runs where job_key = $1', ['job:mesh:poison'])).rows).toEqual([{ n: 0 }]);
        });
      });

      it('stores an event whose names hold COPY separators (tab, newline, backslash) exactly as received', async () => {
        const name = 'copy\tsep\\arated\nname\r.x';
        const event = runEvent({ runId: uuidFor('copy-sep'), job: { namespace: 'mesh\\ns', name }, inputs: [{ namespace: 'pg://copy', name: 'in\\put\tx' }] });
        const normalized = checker.check(event);
        expect(normalized.text).toContain('\\\\');
        const stored = await store.ingestLineage(batchOf(principal, [event]));
        expect([...stored]).toEqual([normalized.hash]);
        const [row] = (await store.sql.query<{ job_key: string; payload: unknown; hash: string }>(
          "select job_key, payload, encode(event_hash, 'hex') as hash from lineage_events where run_id = $1",
          [uuidFor('copy-sep')],
        )).rows;
        expect(row).toEqual({ job_key: `job:mesh\\ns:${name}`, payload: JSON.parse(normalized.text), hash: normalized.hash });
        expect((await store.sql.query('select key from lineage_nodes where key = $1', ['dataset:pg://copy:in\\put\tx'])).rows).toHaveLength(1);
      });

      it('derives the same rows whether or not the writer remembers what it stored, and remembers nothing of a rolled-back write', async () => {
        // Two namespaces of the same shape: one written by a writer that knows nothing (a fresh one per request),
        // the other by one writer that remembers bare nodes and edges across requests and skips them.
        const eventsIn = (ns: string) =>
          [0, 1, 2, 3, 4, 5].map((i) =>
            runEvent({
              runId: uuidFor(`known-${ns}-${i}`),
              job: { namespace: ns, name: `job${i % 2}` },
              inputs: [{ namespace: ns, name: `in${i % 3}` }],
              outputs: [{ namespace: ns, name: 'out' }],
              eventType: i % 2 === 0 ? 'START' : 'COMPLETE',
              // Out of order: the last events are the oldest, so stored edges get an earlier first stamp.
              eventTime: `2026-11-2${6 - (i >> 1)}T10:00:0${i}.000Z`,
            }),
          );
        const remembering = new LineageWriter(store);
        for (const event of eventsIn('pg://known-a')) await new LineageWriter(store).write({ principal, target: 'batch', events: [checker.check(event)] });
        for (const event of eventsIn('pg://known-b')) await remembering.write({ principal, target: 'batch', events: [checker.check(event)] });
        expect(remembering.known.size.nodes).toBeGreaterThan(0);
        // Keys, facets and stamps name the namespace, and stamps their event's hash (which differs with it): compare without both.
        const snapshot = async (ns: string) => {
          const nodes = (await store.sql.query('select key, kind, field, dataset_key, facets, facet_stamps from lineage_nodes where namespace = $1 order by key', [ns])).rows;
          const edges = (await store.sql.query('select source, kind, target, detail, first_stamp from lineage_edges where source like $1 or target like $1 order by 1, 2, 3', [`%:${ns}:%`])).rows;
          return JSON.parse(JSON.stringify({ nodes, edges }).split(ns).join('NS').replace(/\|[0-9a-f]{64}/g, '')) as { nodes: unknown[]; edges: unknown[] };
        };
        const a = await snapshot('pg://known-a');
        expect(a.edges.length).toBeGreaterThan(0);
        expect(await snapshot('pg://known-b')).toEqual(a);

        // A write that fails leaves nothing remembered: its nodes are written by the next request.
        await withRefusingTrigger(store.sql, 'job:pg://known-c:job0', async () => {
          await expect(remembering.write({ principal, target: 'batch', events: [checker.check(eventsIn('pg://known-c')[0]!)] })).rejects.toThrow(/refused by test trigger/);
        });
        const fieldsBefore = remembering.known.size.nodes;
        await remembering.write({ principal, target: 'batch', events: [checker.check(eventsIn('pg://known-c')[0]!)] });
        expect(remembering.known.size.nodes).toBeGreaterThan(fieldsBefore);
        expect((await store.sql.query("select count(*)::int as n from lineage_nodes where namespace = 'pg://known-c' and kind = 'field'", [])).rows).toEqual([{ n: 8 }]);
      });

      it('stores an event once when two writers send it at the same time', async () => {
        const events = Array.from({ length: 30 }, (_, i) => runEvent({ runId: uuidFor(`race-${i}`), job: { namespace: 'mesh', name: `race.${i % 3}` } }));
        const before = (await store.counts()).events;
        const writers = [new LineageWriter(store), new LineageWriter(store), new LineageWriter(store)];
        const outcomes = await Promise.all(writers.map((w, k) => w.write({ principal, target: 'batch', events: (k === 1 ? [...events].reverse() : events).map((e) => checker.check(e)) })));
        expect((await store.counts()).events).toBe(before + events.length);
        // Each event was stored by exactly one of the writers.
        const storedBy = events.map((_, i) => outcomes.filter((o, k) => o[k === 1 ? events.length - 1 - i : i] === 'stored').length);
        expect(storedBy).toEqual(events.map(() => 1));
      });

      it('audits each request that stored something, with the team and the count', async () => {
        const team = await tokenFor('lineage-team');
        const events = [runEvent({ runId: uuidFor('audit-1') }), runEvent({ runId: uuidFor('audit-2') })];
        const batch = new IngestBatch();
        batch.add({ principal: team, target: 'batch', events: events.map((e) => checker.check(e)) });
        batch.add({ principal: team, target: 'job:mesh:sales.orders', events: [checker.check(events[0]!)] });
        const stored = await store.ingestLineage(batch);
        expect(batch.outcomes(stored)).toEqual([['stored', 'stored'], ['duplicate']]);
        const entries = await store.auditLog({ team: 'lineage-team', action: 'lineage.ingest' });
        expect(entries.map((e) => [e.target, e.detail])).toEqual([['batch', { events: 2, stored: 2 }]]);
        expect((await store.sql.query('select received_by from lineage_events where run_id = $1', [uuidFor('audit-1')])).rows).toEqual([{ received_by: 'lineage-team' }]);
      });
    });
  });
});

describe('embedded data directory', () => {
  it('keeps the catalog across restarts and refuses a second opener', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-pglite-'));
    try {
      const config = { kind: 'pglite', dataDir: join(dir, 'catalog') } as const;
      const store = await openCatalogStore(config);
      const { token } = await store.createToken('durable-team', admin);
      await expect(openSqlClient(config)).rejects.toThrow(/in use by process|already open/);
      await store.close();
      const reopened = await openCatalogStore(config);
      expect(await reopened.authenticate(token)).toMatchObject({ team: 'durable-team' });
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!CATALOG_ADAPTERS[1]!.available)('PostgreSQL adapter', () => {
  it('applies migrations once when several processes start at the same time', async () => {
    const db = await CATALOG_ADAPTERS[1]!.create();
    try {
      const clients = await Promise.all(Array.from({ length: 4 }, () => openSqlClient(db.config)));
      const reports = await Promise.all(clients.map((c) => migrate(c)));
      expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, 0, MIGRATIONS.length]);
      expect((await clients[0]!.query('select count(*)::int as n from mesh_migrations', [])).rows).toEqual([{ n: MIGRATIONS.length }]);
      await Promise.all(clients.map((c) => c.close()));
    } finally {
      await db.drop();
    }
  });

  it('reports an unreachable server as a transient error', async () => {
    const client = await openSqlClient({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(client.query('select 1', [])).rejects.toThrow(TransientError);
    await client.close();
  });
});

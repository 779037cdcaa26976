import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogServer } from '../../catalog/server/CatalogServer.js';
import type { CatalogStore } from '../../catalog/store/CatalogStore.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { buildPublishBundle } from '../../catalog/publish/PublishBundle.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { postJson, send, streamLarge } from '../support/httpRequest.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';
import { withRefusingTrigger } from '../support/refusingTrigger.js';
import { writeFixtureRepository } from '../support/fixtureRepository.js';

const admin = { kind: 'direct', name: 'test' } as const;
const FIFTY_MB = 50 * 1024 * 1024;

describe.each(CATALOG_ADAPTERS)('catalog server on $name', (adapter) => {
  let store: CatalogStore;
  let server: CatalogServer;
  let drop: () => Promise<void>;
  let base: string;
  let salesToken: string;
  let otherToken: string;
  const logged: string[] = [];

  beforeAll(async () => {
    if (!adapter.available) return;
    const created = await adapter.create();
    drop = created.drop;
    store = await openCatalogStore(created.config);
    server = new CatalogServer({ store, tokenCacheMs: 0, log: (line) => logged.push(line) });
    base = (await server.listen(0, '127.0.0.1')).url;
    salesToken = (await store.createToken('sales-analytics', admin)).token;
    otherToken = (await store.createToken('growth', admin)).token;
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await drop?.();
  });

  const events = async () => (await store.counts()).events;

  describe.skipIf(!adapter.available)('', () => {
    it('answers /healthz without a token', async () => {
      const res = await send(`${base}/healthz`);
      expect([res.status, res.json]).toEqual([200, { status: 'ok', database: adapter.name === 'PGlite' ? 'pglite' : 'postgres' }]);
    });

    it('stores an event with 201, and the same event again changes nothing', async () => {
      const event = runEvent({ runId: uuidFor('server-one') });
      const first = await postJson(`${base}/api/v1/lineage`, event, salesToken);
      expect(first.status).toBe(201);
      expect(first.json).toEqual({ event: expect.stringMatching(/^[0-9a-f]{64}$/), duplicate: false });
      const before = await store.counts();
      const second = await postJson(`${base}/api/v1/lineage`, event, salesToken);
      expect([second.status, second.json]).toEqual([201, { event: first.json.event, duplicate: true }]);
      expect(await store.counts()).toEqual(before);
    });

    it('accepts a gzip body, as the OpenLineage HTTP transport sends it', async () => {
      const body = gzipSync(JSON.stringify(runEvent({ runId: uuidFor('server-gzip') })));
      const res = await send(`${base}/api/v1/lineage`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: `Bearer ${salesToken}` }, body });
      expect(res.status).toBe(201);
    });

    it.each([
      ['malformed JSON', '{"eventType": "START"', 400, 'BAD_INPUT', /malformed JSON/],
      ['an empty body', '', 400, 'BAD_INPUT', /empty/],
      ['a JSON array', '[]', 400, 'BAD_INPUT', /JSON object, not an array/],
      ['a missing runId', JSON.stringify({ ...runEvent({ runId: uuidFor('x') }), run: {} }), 422, 'INVALID_CONTENT', /\/run must have required property 'runId'/],
      ['an unknown event type', JSON.stringify(runEvent({ runId: uuidFor('x'), eventType: 'DONE' as never })), 422, 'INVALID_CONTENT', /\/eventType/],
    ])('answers %s with %i and a reason, storing nothing', async (_name, body, status, code, message) => {
      const before = await events();
      const res = await postJson(`${base}/api/v1/lineage`, body, salesToken);
      expect(res.status).toBe(status);
      expect(res.json.error.code).toBe(code);
      expect(res.json.error.message).toMatch(message);
      expect(await events()).toBe(before);
    });

    it('locates every violation of a non-conforming event by pointer', async () => {
      const res = await postJson(`${base}/api/v1/lineage`, { ...runEvent({ runId: 'nope' }), job: { namespace: 'mesh' } }, salesToken);
      expect(res.status).toBe(422);
      expect(res.json.error.violations.map((v: { pointer: string }) => v.pointer).sort()).toEqual(['/job', '/run/runId']);
    });

    it('refuses a declared 50 MB body with 413 before reading it', async () => {
      const before = await events();
      const { result, written } = await streamLarge(`${base}/api/v1/lineage`, FIFTY_MB, { 'Content-Type': 'application/json', Authorization: `Bearer ${salesToken}` }, true);
      expect(result.status).toBe(413);
      expect(result.json.error.code).toBe('LIMIT_EXCEEDED');
      expect(written).toBeLessThan(FIFTY_MB);
      expect(await events()).toBe(before);
    });

    it('refuses a chunked 50 MB body with 413 once it passes the limit, without buffering the rest', async () => {
      const { result, written } = await streamLarge(`${base}/api/v1/lineage`, FIFTY_MB, { 'Content-Type': 'application/json', Authorization: `Bearer ${salesToken}` }, false);
      expect(result.status).toBe(413);
      expect(written).toBeLessThan(FIFTY_MB);
    });

    it('refuses a gzip body that inflates past the limit (a zip bomb) with 413', async () => {
      const bomb = gzipSync(Buffer.alloc(FIFTY_MB, 0x20));
      expect(bomb.length).toBeLessThan(1 << 20);
      const res = await send(`${base}/api/v1/lineage`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: `Bearer ${salesToken}` }, body: bomb });
      expect(res.status).toBe(413);
    });

    it.each([
      ['no token', {}, /needs a bearer token/],
      ['a wrong token', { Authorization: `Bearer mesh_${'x'.repeat(43)}` }, /not valid/],
      ['a malformed header', { Authorization: 'Basic dXNlcjpwYXNz' }, /must be "Bearer <token>"/],
    ])('answers 401 to %s, storing nothing', async (_name, headers, message) => {
      const before = await events();
      const res = await send(`${base}/api/v1/lineage`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(runEvent({ runId: uuidFor('unauthenticated') })) });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="mesh"');
      expect(res.json.error.message).toMatch(message);
      expect(await events()).toBe(before);
    });

    it('stops accepting a revoked token', async () => {
      const { token, record } = await store.createToken('short-lived', admin);
      expect((await send(`${base}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } })).json).toEqual({ team: 'short-lived', token: record.id });
      await store.revokeToken(record.id, admin);
      expect((await send(`${base}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    });

    it('answers 415 to a body that is not JSON, 404 to an unknown path and 405 to a wrong method', async () => {
      expect((await postJson(`${base}/api/v1/lineage`, '{}', salesToken, { 'Content-Type': 'text/plain' })).status).toBe(415);
      expect((await postJson(`${base}/api/v1/lineage`, '{}', salesToken, { 'Content-Encoding': 'br' })).status).toBe(415);
      expect((await send(`${base}/nope`)).status).toBe(404);
      const wrong = await send(`${base}/api/v1/lineage`);
      expect([wrong.status, wrong.headers['allow']]).toEqual([405, 'POST']);
    });

    it('reports per-event results of a batch, storing the valid events together', async () => {
      const good = [runEvent({ runId: uuidFor('batch-1') }), runEvent({ runId: uuidFor('batch-2') })];
      const before = await events();
      const res = await postJson(`${base}/api/v1/lineage/batch`, [good[0], { nope: true }, good[1], good[0], 42], salesToken);
      expect(res.status).toBe(207);
      expect(res.json).toMatchObject({ stored: 2, duplicates: 1, invalid: 2 });
      expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['stored', 'invalid', 'stored', 'duplicate', 'invalid']);
      expect(res.json.results[1].error.code).toBe('INVALID_CONTENT');
      expect(res.json.results[4].error.code).toBe('BAD_INPUT');
      expect(await events()).toBe(before + 2);
      expect((await postJson(`${base}/api/v1/lineage/batch`, good, salesToken)).status).toBe(201);
      expect((await postJson(`${base}/api/v1/lineage/batch`, [{}], salesToken)).status).toBe(422);
      expect((await postJson(`${base}/api/v1/lineage/batch`, { events: [] }, salesToken)).status).toBe(400);
    });

    it('answers a batch whose write fails part-way with an error, storing nothing of it', async () => {
      await withRefusingTrigger(store.sql, 'job:mesh:poison-http', async () => {
        const before = await store.counts();
        const batch = Array.from({ length: 50 }, (_, i) => runEvent({ runId: uuidFor(`http-atomic-${i}`), job: { namespace: 'mesh', name: i === 25 ? 'poison-http' : `fine-${i}` } }));
        const res = await postJson(`${base}/api/v1/lineage/batch`, batch, salesToken);
        expect(res.status).toBe(500);
        expect(res.json.error.code).toBe('INTERNAL');
        expect(await store.counts()).toEqual(before);
        expect(logged.some((line) => line.includes('refused by test trigger'))).toBe(true);
      });
    });

    it('publishes for the token’s team, and answers 403 to another team’s product, storing nothing', async () => {
      // A repository of its own: the example mesh may change without this test noticing.
      const root = await mkdtemp(join(tmpdir(), 'mesh-server-publish-'));
      await writeFixtureRepository(root, [{ domain: 'sales', name: 'orders', team: 'sales-analytics', version: '2.1.0' }]);
      const bundle = buildPublishBundle(await loadRepository(root));
      await rm(root, { recursive: true, force: true });
      const before = await store.counts();
      const refused = await postJson(`${base}/api/v1/publish`, bundle, otherToken);
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('sales.orders (owner sales-analytics)') });
      expect(await store.counts()).toEqual(before);
      const published = await postJson(`${base}/api/v1/publish`, bundle, salesToken);
      expect(published.status).toBe(200);
      expect(published.json.products).toEqual([{ id: 'sales.orders', action: 'created', seq: 1, version: '2.1.0' }]);
      const again = await postJson(`${base}/api/v1/publish`, bundle, salesToken);
      expect(again.json.products[0].action).toBe('unchanged');
      const invalid = await postJson(`${base}/api/v1/publish`, { products: [{ file: 'products/a/b/product.yaml', manifest: {} }], contracts: [] }, salesToken);
      expect(invalid.status).toBe(422);
      expect(invalid.json.error.violations.length).toBeGreaterThan(3);
    });

    it('records quality results for the owner team only', async () => {
      const result = { productId: 'sales.orders', port: 'orders', measuredAt: '2026-11-26T10:00:00Z', score: 88, grade: 'B' };
      expect((await postJson(`${base}/api/v1/quality-results`, result, salesToken)).status).toBe(201);
      expect((await postJson(`${base}/api/v1/quality-results`, result, otherToken)).status).toBe(403);
      expect((await postJson(`${base}/api/v1/quality-results`, { ...result, grade: 'Z' }, salesToken)).status).toBe(422);
      const sla = { productId: 'sales.orders', measuredAt: '2026-11-26T10:00:00Z', freshness: { status: 'MET' }, availability: { status: 'MET' }, completeness: { status: 'BREACHED', percent: 97 } };
      expect((await postJson(`${base}/api/v1/sla-status`, sla, salesToken)).status).toBe(201);
    });
  });
});

describe('mounted handlers, --auth-reads and graceful shutdown', () => {
  let store: CatalogStore;
  beforeAll(async () => {
    store = await openCatalogStore({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(async () => {
    await store.close();
  });

  const mountEcho = (server: CatalogServer, release?: Promise<void>) =>
    server.mount('/echo', {
      access: 'read',
      async handle(_req, res, context) {
        await release;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ team: context.principal?.team ?? null, path: context.url.pathname }));
      },
    });

  it('leaves reads open by default and closes them with authReads, while /healthz stays open', async () => {
    const { token } = await store.createToken('readers', admin);
    for (const authReads of [false, true]) {
      const server = new CatalogServer({ store, authReads });
      mountEcho(server);
      const { url } = await server.listen(0, '127.0.0.1');
      try {
        const anonymous = await send(`${url}/echo/x`);
        expect(anonymous.status).toBe(authReads ? 401 : 200);
        const withToken = await send(`${url}/echo/x`, { headers: { Authorization: `Bearer ${token}` } });
        expect(withToken.json).toEqual({ team: 'readers', path: '/echo/x' });
        expect((await send(`${url}/healthz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    }
  });

  it('says which flag to change when it cannot listen', async () => {
    const first = new CatalogServer({ store });
    const { port } = await first.listen(0, '127.0.0.1');
    const second = new CatalogServer({ store });
    try {
      await expect(second.listen(port, '127.0.0.1')).rejects.toThrow(new RegExp(`port ${port} on 127.0.0.1 is in use; choose another with --port`));
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('finishes a request in flight on close, and stops accepting new connections', async () => {
    let open!: () => void;
    const release = new Promise<void>((resolve) => (open = resolve));
    const server = new CatalogServer({ store });
    mountEcho(server, release);
    const { url } = await server.listen(0, '127.0.0.1');
    const inFlight = send(`${url}/echo/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(send(`${url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    open();
    expect((await inFlight).status).toBe(200);
    await closing;
  });
});

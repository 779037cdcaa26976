import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../../catalog/config/resolveCatalogConfig.js';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { CATALOG_ADAPTERS } from '../support/catalogAdapters.js';
import { runMesh, startServe } from '../support/meshProcess.js';
import { runEvent, uuidFor } from '../support/lineageEvents.js';
import { send } from '../support/httpRequest.js';

const CLIENTS = 8;
/** Acknowledged events before the server gets SIGTERM. */
const SIGNAL_AFTER = 200;

/** The real server, as a user would run it, on each adapter: a data directory for PGlite. */
const TARGETS = [
  {
    name: 'PGlite',
    available: true,
    async create() {
      const dir = await mkdtemp(join(tmpdir(), 'mesh-serve-'));
      const dataDir = join(dir, 'catalog');
      return { args: ['--data-dir', dataDir], config: { kind: 'pglite', dataDir } as DatabaseConfig, drop: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    available: CATALOG_ADAPTERS[1]!.available,
    async create() {
      const db = await CATALOG_ADAPTERS[1]!.create();
      const url = (db.config as { url: string }).url;
      return { args: ['--db', url], config: db.config, drop: db.drop };
    },
  },
];

/** POSTs one event over a keep-alive connection; the event's hash when acknowledged (201), else undefined. */
function post(url: string, agent: Agent, token: string, body: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/lineage`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve(res.statusCode === 201 ? (JSON.parse(text) as { event: string }).event : undefined));
      res.on('error', () => resolve(undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end(body);
  });
}

describe.each(TARGETS)('mesh serve on $name', (target) => {
  it.skipIf(!target.available)('loses no acknowledged event when stopped with SIGTERM under load, and restarts with all of them', async () => {
    const db = await target.create();
    try {
      const created = await runMesh(['token', 'create', '--team', 'load', '--format', 'json', ...db.args]);
      expect(created.code, created.stderr).toBe(0);
      const { token } = JSON.parse(created.stdout) as { token: string };

      const serve = await startServe(db.args);
      const acknowledged: string[] = [];
      let refused = 0;
      let stop = false;
      const clients = Array.from({ length: CLIENTS }, async (_, client) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; !stop; i++) {
          const hash = await post(serve.url, agent, token, JSON.stringify(runEvent({ runId: uuidFor(`load-${client}-${i}`), job: { namespace: 'load', name: `job-${client}` } })));
          if (hash) acknowledged.push(hash);
          else if (++refused > 20) break;
        }
        agent.destroy();
      });
      // Signal in the middle of the load: once enough events were acknowledged (however slow the machine is).
      const deadline = Date.now() + 60_000;
      while (acknowledged.length < SIGNAL_AFTER && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const atSignal = acknowledged.length;
      serve.child.kill('SIGTERM');
      expect(await serve.exited, serve.stderr()).toBe(0);
      stop = true;
      await Promise.all(clients);
      expect(atSignal).toBeGreaterThanOrEqual(SIGNAL_AFTER);

      // Restart on the same database: it comes up, and holds every acknowledged event.
      const again = await startServe(db.args);
      expect((await send(`${again.url}/healthz`)).status).toBe(200);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);

      const store = await openCatalogStore(db.config);
      try {
        const rows = (await store.sql.query<{ hash: string }>("select encode(event_hash, 'hex') as hash from lineage_events", [])).rows;
        const stored = new Set(rows.map((r) => r.hash));
        const lost = acknowledged.filter((h) => !stored.has(h));
        expect(lost).toEqual([]);
        expect(stored.size).toBeGreaterThanOrEqual(new Set(acknowledged).size);
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });
});

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogStore } from '../../catalog/store/openCatalogStore.js';
import { createTestDatabase, POSTGRES_ADMIN_URL, postgresAvailable, type TestDatabase } from '../support/postgres.js';
import { generateEvents } from '../support/lineageEvents.js';
import { runMesh, startServe } from '../support/meshProcess.js';
import { cpuSeconds, loadClients } from './loadClients.js';

/**
 * Ingestion throughput on the real PostgreSQL server, over HTTP, against the real `mesh serve` process: 100,000
 * generated events with realistic facets, 8 concurrent clients, one event per request and then in batches of 500.
 * Baselines measured in the same run: an HTTP server that reads the body and answers 201 (the ceiling of the
 * HTTP layer with the same clients), and raw INSERTs of the same events into a bare table (the ceiling of the
 * database). Targets: >= 3,000 events/s one by one, >= 15,000 events/s in batches.
 */
const EVENTS = Number(process.env['MESH_BENCH_EVENTS'] ?? 100_000);
const CLIENTS = 8;
const BATCH = 500;

const EMPTY_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => { JSON.parse(Buffer.concat(chunks).toString('utf8')); res.writeHead(201, { 'Content-Type': 'application/json' }); res.end('{}'); });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

const available = await postgresAvailable();

describe.skipIf(!available)('ingestion benchmark (PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  let texts: string[];
  let singles: Buffer[];
  let batches: Buffer[];
  const rows: { phase: string; events: number; seconds: number; rate: number; p50: number; p99: number; serverCpu?: number; databaseCpu?: number }[] = [];

  beforeAll(() => {
    texts = generateEvents(EVENTS).map((e) => JSON.stringify(e));
    singles = texts.map((t) => Buffer.from(t));
    batches = [];
    for (let i = 0; i < texts.length; i += BATCH) batches.push(Buffer.from(`[${texts.slice(i, i + BATCH).join(',')}]`));
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    const baseline = (phase: string) => rows.find((r) => r.phase === phase)?.rate ?? Number.NaN;
    const table = rows.map((r) => ({
      phase: r.phase,
      events: r.events,
      seconds: r.seconds.toFixed(2),
      'events/s': Math.round(r.rate),
      'p50 ms': r.p50.toFixed(2),
      'p99 ms': r.p99.toFixed(2),
      'server CPU s': r.serverCpu?.toFixed(1) ?? '',
      'database CPU s': r.databaseCpu?.toFixed(1) ?? '',
      'vs empty HTTP': r.phase.startsWith('mesh') ? (r.rate / baseline(r.phase.endsWith('batch') ? 'empty HTTP, batch' : 'empty HTTP, single')).toFixed(2) : '',
      'vs raw INSERT': r.phase.startsWith('mesh') ? (r.rate / baseline(r.phase.endsWith('batch') ? 'raw INSERT, batch' : 'raw INSERT, single')).toFixed(2) : '',
    }));
    const bytes = texts.reduce((a, t) => a + t.length, 0) / texts.length;
    console.log(`\ningestion: ${EVENTS} events, ${Math.round(bytes)} bytes each on average, ${CLIENTS} clients, batches of ${BATCH}`);
    console.table(table);
  });

  /** CPU seconds used so far by the PostgreSQL backends connected to a database (same machine, Linux). */
  const backendCpuSeconds = async (db: TestDatabase) => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      const pids = (await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [db.name])).rows.map((r) => r.pid);
      let total = 0;
      for (const pid of pids) total += await cpuSeconds(pid);
      return total;
    } finally {
      await admin.end();
    }
  };

  const fresh = async () => {
    const db = await createTestDatabase('mesh_bench');
    databases.push(db);
    return db;
  };

  it('baseline: an HTTP server that parses the body and answers 201', async () => {
    const child = spawn(process.execPath, ['-e', EMPTY_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve((JSON.parse(d.toString()) as { url: string }).url)));
    try {
      for (const [phase, bodies, per] of [['empty HTTP, single', singles, 1], ['empty HTTP, batch', batches, BATCH]] as const) {
        const cpu = await cpuSeconds(child.pid!);
        const r = await loadClients(url, bodies, CLIENTS, {});
        expect(r.failed).toBe(0);
        rows.push({ phase, events: bodies.length * per, seconds: r.seconds, rate: Math.min(EVENTS, bodies.length * per) / r.seconds, p50: r.p50, p99: r.p99, serverCpu: (await cpuSeconds(child.pid!)) - cpu });
      }
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('baseline: raw INSERTs of the same events into a bare table, 8 connections', async () => {
    const db = await fresh();
    const pool = new pg.Pool({ connectionString: db.url, max: CLIENTS });
    await pool.query('create table raw_events (id bigint generated always as identity primary key, event_hash bytea not null unique, payload jsonb not null)');
    const hashes = texts.map((t) => createHash('sha256').update(t).digest('hex'));
    // The COPY row also compresses as lineage_events does where the server can (lz4); the INSERT rows keep the default.
    await pool.query('create table raw_events_lz4 (id bigint generated always as identity primary key, event_hash bytea not null unique, payload jsonb not null)');
    await pool.query('alter table raw_events_lz4 alter column payload set compression lz4').catch(() => {});
    for (const [phase, per] of [['raw INSERT, single', 1], ['raw INSERT, batch', BATCH], ['raw COPY (lz4), batch', BATCH]] as const) {
      await pool.query('truncate raw_events');
      let next = 0;
      const latencies: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < texts.length) {
            const i = next;
            next += per;
            const t = performance.now();
            if (phase === 'raw COPY (lz4), batch') {
              // The database's own floor for these events: COPY (no per-row parameter parsing) in a transaction.
              const client = await pool.connect();
              try {
                await client.query('begin');
                const rows = hashes.slice(i, i + per).map((h, k) => `\\\\x${h}\t${texts[i + k]!.replace(/\\/g, '\\\\')}\n`);
                await pipeline(Readable.from([rows.join('')]), client.query(copyStreams.from('copy raw_events_lz4 (event_hash, payload) from stdin')));
                await client.query('commit');
              } finally {
                client.release();
              }
            } else {
              await pool.query({
                name: `raw_${per}`,
                text: 'insert into raw_events (event_hash, payload) select decode(h, \'hex\'), p::jsonb from unnest($1::text[], $2::text[]) as x(h, p)',
                values: [hashes.slice(i, i + per), texts.slice(i, i + per)],
              });
            }
            latencies.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({ phase, events: texts.length, seconds, rate: texts.length / seconds, p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! });
      const table = phase.startsWith('raw COPY') ? 'raw_events_lz4' : 'raw_events';
      expect((await pool.query(`select count(*)::int as n from ${table}`)).rows[0].n).toBe(texts.length);
    }
    await pool.end();
  });

  for (const [phase, per] of [['mesh, single', 1], ['mesh, batch', BATCH]] as const) {
    it(`${phase}: POST /api/v1/lineage${per > 1 ? '/batch' : ''}`, async () => {
      const db = await fresh();
      const created = await runMesh(['token', 'create', '--team', 'bench', '--format', 'json', '--db', db.url]);
      const { token } = JSON.parse(created.stdout) as { token: string };
      const serve = await startServe(['--db', db.url], { direct: true });
      try {
        const cpu = await cpuSeconds(serve.child.pid!);
        const bodies = per === 1 ? singles : batches;
        const r = await loadClients(`${serve.url}/api/v1/lineage${per > 1 ? '/batch' : ''}`, bodies, CLIENTS, { Authorization: `Bearer ${token}` });
        expect(r.failed, r.firstFailure).toBe(0);
        const serverCpu = (await cpuSeconds(serve.child.pid!)) - cpu;
        // The backends of the server's connections to its own database: what PostgreSQL spent on the phase.
        const databaseCpu = await backendCpuSeconds(db);
        rows.push({ phase, events: EVENTS, seconds: r.seconds, rate: EVENTS / r.seconds, p50: r.p50, p99: r.p99, serverCpu, databaseCpu });
      } finally {
        serve.child.kill('SIGTERM');
        await serve.exited;
      }
      const store = await openCatalogStore({ kind: 'postgres', url: db.url });
      try {
        expect((await store.counts()).events).toBe(EVENTS);
      } finally {
        await store.close();
      }
    });
  }
});

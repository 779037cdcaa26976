import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../platform/errors.js';
import { createLineageClient, type LineageClient } from '../../platform/lineage/createLineageClient.js';
import { resolveLineageConfig, type LineageConfigInput } from '../../platform/lineage/resolveLineageConfig.js';
import { Spool } from '../../platform/lineage/Spool.js';
import { spoolDirFor } from '../../platform/lineage/transports/createTransport.js';
import { eventKey, realisticEvents } from './events.js';
import { startSink, tempDir, type Sink } from './support.js';

interface Setup {
  readonly client: LineageClient;
  readonly spool: Spool;
  readonly warnings: string[];
}

const clients: LineageClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

async function httpClient(sink: Sink, transport: Record<string, unknown> = {}, tuning: { breakerMs?: number; spoolCheckMs?: number } = {}): Promise<Setup> {
  const dir = await tempDir();
  const input: LineageConfigInput = {
    transport: { type: 'http', url: sink.url, retry: { total: 3, backoffFactor: 0.02 }, timeout: 2, ...transport },
    spoolDir: join(dir, 'spool'),
  };
  const config = resolveLineageConfig(input, {}, { cwd: dir, homeDir: undefined, readFile: () => undefined });
  const warnings: string[] = [];
  const client = createLineageClient(config, { warn: (m) => warnings.push(m), http: { jitter: 0, breakerMs: tuning.breakerMs ?? 0, spoolCheckMs: tuning.spoolCheckMs ?? 0 } });
  clients.push(client);
  const http = config.transport as { url: string; endpoint: string };
  return { client, spool: new Spool(spoolDirFor(config.spoolDir, http)), warnings };
}

function gaps(sink: Sink): number[] {
  return sink.requests.slice(1).map((r, i) => r.at - sink.requests[i]!.at);
}

describe('http transport against a real endpoint on 127.0.0.1', () => {
  it('POSTs each event as JSON to <url>/api/v1/lineage with the bearer token', async () => {
    const sink = await startSink();
    const { client } = await httpClient(sink, { auth: { type: 'api_key', apiKey: 's3cr3t' } });
    const [event] = await realisticEvents(1);
    await client.emit(event!);
    expect(sink.requests).toHaveLength(1);
    const request = sink.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/api/v1/lineage');
    expect(request.headers['authorization']).toBe('Bearer s3cr3t');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual(JSON.parse(JSON.stringify(event)));
  });

  it('sends no Authorization header without an api key, and honours the endpoint', async () => {
    const sink = await startSink();
    const { client } = await httpClient(sink, { endpoint: '/custom/lineage' });
    await client.emit((await realisticEvents(1))[0]!);
    expect(sink.requests[0]!.headers['authorization']).toBeUndefined();
    expect(sink.requests[0]!.path).toBe('/custom/lineage');
  });

  it('gzips bodies when asked: the endpoint decompresses exactly the event', async () => {
    const sink = await startSink();
    const { client } = await httpClient(sink, { compression: 'gzip' });
    const events = await realisticEvents(3);
    for (const event of events) await client.emit(event);
    expect(sink.requests.map((r) => r.headers['content-encoding'])).toEqual(['gzip', 'gzip', 'gzip']);
    for (const [i, request] of sink.requests.entries()) {
      expect(Number(request.headers['content-length'])).toBeLessThan(Buffer.byteLength(request.body));
      expect(request.body).toBe(JSON.stringify(events[i]));
    }
  });

  it('retries 5xx with exponential backoff, then delivers once', async () => {
    const sink = await startSink((n) => ({ status: [500, 502, 503][n] ?? 201 }));
    const { client, spool } = await httpClient(sink, { retry: { total: 4, backoffFactor: 0.05 } });
    await client.emit((await realisticEvents(1))[0]!);
    expect(sink.requests).toHaveLength(4);
    expect(sink.accepted).toHaveLength(1);
    const [a, b, c] = gaps(sink);
    // 50, 100, 200 ms before retries 1, 2, 3 (no jitter here)
    expect(a).toBeGreaterThanOrEqual(49);
    expect(b).toBeGreaterThanOrEqual(99);
    expect(c).toBeGreaterThanOrEqual(199);
    expect(b! / a!).toBeGreaterThan(1.5);
    expect(c! / b!).toBeGreaterThan(1.5);
    expect(await spool.count()).toBe(0);
  });

  it('retries 429, waiting as long as Retry-After asks', async () => {
    const sink = await startSink((n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 201 }));
    const { client } = await httpClient(sink);
    await client.emit((await realisticEvents(1))[0]!);
    expect(sink.requests).toHaveLength(2);
    expect(gaps(sink)[0]).toBeGreaterThanOrEqual(999);
  });

  it('retries an attempt that times out', async () => {
    const sink = await startSink((n) => (n < 2 ? { status: 201, delayMs: 1500 } : { status: 201 }));
    const { client } = await httpClient(sink, { timeout: 0.2, retry: { total: 3, backoffFactor: 0.01 } });
    const started = performance.now();
    await client.emit((await realisticEvents(1))[0]!);
    expect(performance.now() - started).toBeGreaterThanOrEqual(400);
    expect(sink.requests).toHaveLength(3);
    // The server answered the third attempt; the first two were abandoned by the client before any answer.
    expect(sink.accepted.length).toBeGreaterThanOrEqual(1);
  });

  it('does not retry 400: the event is kept aside with the reason, and emit rejects', async () => {
    const sink = await startSink(() => ({ status: 400, body: '{"error":"eventTime is not a date-time"}' }));
    const { client, spool } = await httpClient(sink);
    const error = await client.emit((await realisticEvents(1))[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('answered 400: {"error":"eventTime is not a date-time"}');
    expect(sink.requests).toHaveLength(1);
    expect(await spool.count()).toBe(0);
    expect(await spool.rejectedCount()).toBe(1);
    const rejected = join(spool.dir, 'rejected');
    const reason = (await readdir(rejected)).find((f) => f.endsWith('.error.txt'))!;
    expect(await readFile(join(rejected, reason), 'utf8')).toContain('answered 400');
  });

  it('does not retry 401 either, but keeps the event: it is valid, the credentials are not', async () => {
    const sink = await startSink(() => ({ status: 401 }));
    const { client, spool, warnings } = await httpClient(sink);
    await client.emit((await realisticEvents(1))[0]!);
    expect(sink.requests).toHaveLength(1);
    expect(await spool.count()).toBe(1);
    expect(warnings.join('\n')).toMatch(/answered 401.*spooled/);
  });

  it('spools when retries run out, and sends nothing while the endpoint was just found down', async () => {
    let up = false;
    const sink = await startSink(() => ({ status: up ? 201 : 503 }));
    const { client, spool } = await httpClient(sink, { retry: { total: 2, backoffFactor: 0.01 } }, { breakerMs: 300 });
    const events = await realisticEvents(6);
    for (const event of events.slice(0, 5)) await client.emit(event);
    expect(sink.requests).toHaveLength(3); // the first event's attempts; the next four went straight to the spool
    expect(await spool.count()).toBe(5);
    up = true;
    await new Promise((resolve) => setTimeout(resolve, 350));
    await client.emit(events[5]!);
    expect(sink.events().map(eventKey)).toEqual(events.map(eventKey));
    expect(await spool.count()).toBe(0);
  });

  it('across a server restart: every event arrives once, in the order emitted', async () => {
    const sink = await startSink();
    const { client, spool, warnings } = await httpClient(sink, { retry: { total: 1, backoffFactor: 0.01 } }, { breakerMs: 50 });
    const events = await realisticEvents(60);
    for (const event of events.slice(0, 20)) await client.emit(event);
    await sink.stop();
    for (const event of events.slice(20, 50)) await client.emit(event);
    expect(await spool.count()).toBe(30);
    expect(warnings).toHaveLength(1);
    await sink.listen(); // same port
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (const event of events.slice(50)) await client.emit(event);
    const received = sink.events().map(eventKey);
    expect(received).toHaveLength(60);
    expect(new Set(received).size).toBe(60);
    expect(received).toEqual(events.map(eventKey));
    expect(await spool.count()).toBe(0);
  });

  it('flush sends what was spooled while the endpoint was down', async () => {
    const sink = await startSink();
    const { client, spool } = await httpClient(sink, { retry: { total: 0 } });
    const events = await realisticEvents(8);
    await sink.stop();
    for (const event of events) await client.emit(event);
    expect(await client.flush()).toEqual({ delivered: 0, rejected: 0, remaining: 8 });
    await sink.listen();
    expect(await client.flush()).toEqual({ delivered: 8, rejected: 0, remaining: 0 });
    expect(sink.events().map(eventKey)).toEqual(events.map(eventKey));
    expect(await client.flush()).toEqual({ delivered: 0, rejected: 0, remaining: 0 });
    expect(await spool.count()).toBe(0);
  });

  it('a successful emit first sends what another process spooled', async () => {
    const sink = await startSink();
    const { client, spool } = await httpClient(sink);
    const events = await realisticEvents(4);
    const other = new Spool(spool.dir); // another process writing to the same spool
    for (const event of events.slice(0, 3)) await other.put(JSON.stringify(event));
    await client.emit(events[3]!);
    expect(sink.events().map(eventKey)).toEqual(events.map(eventKey));
    expect(await spool.count()).toBe(0);
  });

  it('two clients draining one spool at once send each event exactly once', async () => {
    const sink = await startSink((n) => ({ status: 201, delayMs: n % 3 }));
    const a = await httpClient(sink);
    const dir = a.spool.dir;
    const events = await realisticEvents(120);
    const writer = new Spool(dir);
    for (const event of events) await writer.put(JSON.stringify(event));
    const b = createLineageClient(a.client.config, { http: { jitter: 0, breakerMs: 0 } });
    clients.push(b);
    const c = createLineageClient(a.client.config, { http: { jitter: 0, breakerMs: 0 } });
    clients.push(c);
    const reports = await Promise.all([a.client.flush(), b.flush(), c.flush()]);
    expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(120);
    const received = sink.events().map(eventKey);
    expect(received).toHaveLength(120);
    expect(new Set(received).size).toBe(120);
  });

  it('close waits for the emits still under way', async () => {
    const sink = await startSink(() => ({ status: 201, delayMs: 50 }));
    const { client } = await httpClient(sink);
    const events = await realisticEvents(5);
    const pending = events.map((e) => client.emit(e));
    await client.close();
    expect(sink.accepted).toHaveLength(5);
    await Promise.all(pending);
  });

  it('refuses to emit after close', async () => {
    const sink = await startSink();
    const { client } = await httpClient(sink);
    await client.close();
    await expect(client.emit((await realisticEvents(1))[0]!)).rejects.toThrow(/closed/);
  });
});

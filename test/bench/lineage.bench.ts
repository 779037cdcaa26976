/**
 * Emission throughput of the OpenLineage client: 100,000 realistic run events (START and COMPLETE of the
 * fixture mesh's products, 2-9 KB each) through the file transport and through the http transport to a local
 * sink running in its own process, each `emit` awaited as `mesh run` does. The baseline, measured in the same
 * run, is the raw cost of the same work without the client: `JSON.stringify` of each event and one
 * synchronous append of its line to a file. A second baseline for http is a bare keep-alive POST loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLineageClient } from '../../platform/lineage/createLineageClient.js';
import type { OpenLineageEvent } from '../../platform/lineage/OpenLineageEvent.js';
import { resolveLineageConfig, type LineageConfigInput } from '../../platform/lineage/resolveLineageConfig.js';
import { realisticEvents } from '../lineage/events.js';

const N = 100_000;
const DISTINCT = 1_000;

const SINK = `
  const http = require('node:http');
  const zlib = require('node:zlib');
  let events = 0, bytes = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') { res.end(JSON.stringify({ events, bytes })); return; }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      JSON.parse(body.toString('utf8'));
      events++; bytes += body.length;
      res.writeHead(201); res.end();
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

interface Sink {
  readonly url: string;
  readonly process: ChildProcess;
  count(): Promise<{ events: number; bytes: number }>;
}

async function startSink(): Promise<Sink> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    process: child,
    count: async () => (await (await fetch(url)).json()) as { events: number; bytes: number },
  };
}

interface Figure {
  readonly name: string;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

function measure(name: string, seconds: number): Figure {
  return { name, seconds, eventsPerSecond: N / seconds };
}

/** Newlines in a file too large for one string. */
function countLines(path: string): number {
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
    for (let i = buffer.indexOf(10); i !== -1 && i < n; i = buffer.indexOf(10, i + 1)) lines++;
  }
  closeSync(fd);
  return lines;
}

async function time(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) child.kill();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('OpenLineage emission, 100,000 events', () => {
  it('file and http transports against the raw cost of JSON.stringify + writing', async () => {
    const templates: OpenLineageEvent[] = await realisticEvents(DISTINCT);
    const event = (i: number) => templates[i % DISTINCT]!;
    const averageBytes = templates.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) / DISTINCT;
    const dir = await mkdtemp(join(tmpdir(), 'mesh-bench-lineage-'));
    dirs.push(dir);
    const files = { cwd: dir, homeDir: undefined, readFile: () => undefined };
    const figures: Figure[] = [];

    // Baseline: what emitting costs at the least, stringify and append each line.
    const rawPath = join(dir, 'raw.jsonl');
    const baseline = measure(
      'baseline: JSON.stringify + appendSync per event',
      await time(() => {
        const fd = openSync(rawPath, 'a');
        for (let i = 0; i < N; i++) writeSync(fd, JSON.stringify(event(i)) + '\n');
        closeSync(fd);
      }),
    );
    figures.push(baseline);
    const rawSize = statSync(rawPath).size;
    await rm(rawPath);

    // File transport, every emit awaited.
    const filePath = join(dir, 'events.jsonl');
    const fileClient = createLineageClient(resolveLineageConfig({ transport: { type: 'file', logFilePath: filePath } }, {}, files));
    figures.push(
      measure(
        'file transport (emit awaited)',
        await time(async () => {
          for (let i = 0; i < N; i++) await fileClient.emit(event(i));
          await fileClient.close();
        }),
      ),
    );
    expect(statSync(filePath).size).toBe(rawSize);
    expect(countLines(filePath)).toBe(N);
    await rm(filePath);

    // File transport, a burst of emits in flight together (batched into shared writes).
    const burstClient = createLineageClient(resolveLineageConfig({ transport: { type: 'file', logFilePath: filePath } }, {}, files));
    figures.push(
      measure(
        'file transport (1,000 emits in flight)',
        await time(async () => {
          for (let i = 0; i < N; i += 1000) await Promise.all(Array.from({ length: 1000 }, (_, j) => burstClient.emit(event(i + j))));
          await burstClient.close();
        }),
      ),
    );
    expect(statSync(filePath).size).toBe(rawSize);
    await rm(filePath);

    // Bare keep-alive POSTs of the same bodies: the floor for any http client on this machine.
    const rawSink = await startSink();
    children.push(rawSink.process);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string) =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${rawSink.url}/api/v1/lineage`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
    figures.push(
      measure(
        'bare http.request POST loop (keep-alive)',
        await time(async () => {
          for (let i = 0; i < N; i++) await post(JSON.stringify(event(i)));
        }),
      ),
    );
    agent.destroy();
    expect((await rawSink.count()).events).toBe(N);

    for (const compression of [undefined, 'gzip'] as const) {
      const sink = await startSink();
      children.push(sink.process);
      const input: LineageConfigInput = {
        transport: { type: 'http', url: sink.url, auth: { type: 'api_key', apiKey: 'bench' }, ...(compression ? { compression } : {}) },
        spoolDir: join(dir, 'spool'),
      };
      const client = createLineageClient(resolveLineageConfig(input, {}, files));
      figures.push(
        measure(
          `http transport${compression ? ' + gzip' : ''} to a local sink (emit awaited)`,
          await time(async () => {
            for (let i = 0; i < N; i++) await client.emit(event(i));
            await client.close();
          }),
        ),
      );
      const received = await sink.count();
      expect(received.events).toBe(N);
      expect(received.bytes).toBe(rawSize - N); // every body arrived whole (the file adds one newline per event)
    }

    const lines = figures.map(
      (f) =>
        `  ${f.name.padEnd(58)} ${f.seconds.toFixed(2).padStart(7)} s ${Math.round(f.eventsPerSecond).toLocaleString('en-US').padStart(9)} events/s  ${(f.seconds / baseline.seconds).toFixed(1).padStart(6)}x baseline`,
    );
    console.log(
      `\nOpenLineage emission: ${N.toLocaleString('en-US')} events, ${Math.round(averageBytes).toLocaleString('en-US')} bytes on average (${(rawSize / 1e6).toFixed(0)} MB)\n${lines.join('\n')}\n`,
    );
  });
});

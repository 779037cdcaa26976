import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach } from 'vitest';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { Repository } from '../../platform/repo/Repository.js';

export const FIXTURE_MESH = join(import.meta.dirname, 'fixtures', 'mesh');

let fixture: Promise<Repository> | undefined;

/** The fixture mesh (sales.customers -> sales.orders, marketing.clicks), loaded once per file; it has no problems. */
export function fixtureRepository(): Promise<Repository> {
  return (fixture ??= loadRepository(FIXTURE_MESH).then((repo) => {
    if (repo.problems.length > 0) throw new Error(`the fixture mesh has problems: ${JSON.stringify(repo.problems)}`);
    return repo;
  }));
}

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-lineage-'));
  temporary.push(dir);
  return dir;
}

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent, decompressed when it was gzipped. */
  readonly body: string;
  readonly at: number;
}

export interface Reply {
  readonly status: number;
  /** Wait this long before answering (to provoke client timeouts). */
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/**
 * A real OpenLineage endpoint on 127.0.0.1: records every request (body gunzipped when gzipped) and answers
 * what `reply` says for the n-th request (0-based), 201 by default. It can be stopped and started again on the
 * same port, to play an endpoint that goes down and comes back.
 */
export class Sink {
  readonly requests: Received[] = [];
  /** Requests answered with a 2xx: what the endpoint accepted. */
  readonly accepted: Received[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(public reply: (n: number, request: Received) => Reply = () => ({ status: 201 })) {}

  static async start(reply?: (n: number, request: Received) => Reply): Promise<Sink> {
    const sink = new Sink(reply);
    await sink.listen();
    return sink;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Bodies of the accepted requests, parsed. */
  events(): Record<string, unknown>[] {
    return this.accepted.map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
        const received: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: performance.now() };
        const n = this.requests.length;
        this.requests.push(received);
        const reply = this.reply(n, received);
        const answer = () => {
          if (res.destroyed) return;
          if (reply.status >= 200 && reply.status < 300) this.accepted.push(received);
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(reply.body ?? '');
        };
        if (reply.delayMs) setTimeout(answer, reply.delayMs);
        else answer();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection: the endpoint is down. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const sinks: Sink[] = [];
afterEach(async () => {
  for (const sink of sinks.splice(0)) await sink.stop();
});

/** A sink stopped after the test. */
export async function startSink(reply?: (n: number, request: Received) => Reply): Promise<Sink> {
  const sink = await Sink.start(reply);
  sinks.push(sink);
  return sink;
}

/** A port nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  const sink = await Sink.start();
  const port = sink.port;
  await sink.stop();
  return port;
}

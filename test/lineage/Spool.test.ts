import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Spool, type SendOutcome } from '../../platform/lineage/Spool.js';
import { startSink, tempDir } from './support.js';

const DIST_SPOOL = join(import.meta.dirname, '..', '..', 'dist', 'platform', 'lineage', 'Spool.js');

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

async function spoolWith(count: number): Promise<{ spool: Spool; bodies: string[] }> {
  const spool = new Spool(join(await tempDir(), 'spool'), { url: 'http://127.0.0.1:1/api/v1/lineage' });
  const bodies = Array.from({ length: count }, (_, i) => JSON.stringify({ n: i }));
  for (const body of bodies) await spool.put(body);
  return { spool, bodies };
}

describe('Spool', () => {
  it('keeps events in the order they were spooled, and records its target', async () => {
    const { spool, bodies } = await spoolWith(25);
    const names = await spool.pending();
    expect(names).toHaveLength(25);
    const read = await Promise.all(names.map((n) => readFile(join(spool.dir, 'pending', n), 'utf8')));
    expect(read).toEqual(bodies);
    expect(JSON.parse(await readFile(join(spool.dir, 'target.json'), 'utf8'))).toEqual({ url: 'http://127.0.0.1:1/api/v1/lineage' });
    expect(await Spool.list(join(spool.dir, '..'))).toEqual([{ dir: spool.dir, url: 'http://127.0.0.1:1/api/v1/lineage', pending: 25, rejected: 0 }]);
  });

  it('drains oldest first, stops at the first failure, and sets refused events aside', async () => {
    const { spool, bodies } = await spoolWith(6);
    const sent: string[] = [];
    const outcomes: SendOutcome[] = [{ kind: 'delivered' }, { kind: 'rejected', reason: 'answered 422' }, { kind: 'delivered' }, { kind: 'failed', reason: 'down' }];
    const report = await spool.drain(async (json) => {
      sent.push(json);
      return outcomes[sent.length - 1]!;
    });
    expect(sent).toEqual(bodies.slice(0, 4));
    expect(report).toEqual({ delivered: 2, rejected: 1, remaining: 3 });
    // The failed event went back, still first in line.
    const left = await Promise.all((await spool.pending()).map((n) => readFile(join(spool.dir, 'pending', n), 'utf8')));
    expect(left).toEqual(bodies.slice(3));
    expect(await spool.rejectedCount()).toBe(1);
    expect(await readdir(join(spool.dir, 'claimed'))).toEqual([]);
    const reason = (await readdir(join(spool.dir, 'rejected'))).find((f) => f.endsWith('.error.txt'))!;
    expect(await readFile(join(spool.dir, 'rejected', reason), 'utf8')).toBe('answered 422\n');
  });

  it('treats a sender that throws as a failure and keeps the event', async () => {
    const { spool } = await spoolWith(2);
    const report = await spool.drain(async () => {
      throw new Error('socket hang up');
    });
    expect(report).toEqual({ delivered: 0, rejected: 0, remaining: 2 });
  });

  it('never shows a half-written event: a crash mid-write leaves only a temporary file, cleaned up later', async () => {
    const { spool } = await spoolWith(1);
    const dead = deadPid();
    const torn = join(spool.dir, 'tmp', `000-torn.json~${dead}~abc`);
    await writeFile(torn, '{"eventType":"STA');
    expect(await spool.count()).toBe(1);
    const sent: string[] = [];
    await spool.drain(async (json) => {
      sent.push(json);
      return { kind: 'delivered' };
    });
    expect(sent).toEqual(['{"n":0}']);
    expect(existsSync(torn)).toBe(false);
  });

  it('returns the claims of a process that died to the queue, and leaves those of a live one alone', async () => {
    const { spool, bodies } = await spoolWith(3);
    const [first, second] = await spool.pending();
    const dead = deadPid();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await rename(join(spool.dir, 'pending', first!), join(spool.dir, 'claimed', `${first}~${dead}~deadbeef0000`));
      await rename(join(spool.dir, 'pending', second!), join(spool.dir, 'claimed', `${second}~${sleeper.pid}~feedface0000`));
      const sent: string[] = [];
      const report = await spool.drain(async (json) => {
        sent.push(json);
        return { kind: 'delivered' };
      });
      expect(sent).toEqual([bodies[0], bodies[2]]);
      expect(report.remaining).toBe(0);
      expect(await readdir(join(spool.dir, 'claimed'))).toEqual([`${second}~${sleeper.pid}~feedface0000`]);
    } finally {
      sleeper.kill();
    }
  });

  it('several processes draining one spool send each event exactly once', async () => {
    // The child processes run the built client (npm test builds it first).
    expect(existsSync(DIST_SPOOL), `${DIST_SPOOL} is missing: run npm run build`).toBe(true);
    const sink = await startSink((n) => ({ status: 201, delayMs: n % 4 }));
    const dir = join(await tempDir(), 'spool');
    await mkdir(dir, { recursive: true });
    const writer = new Spool(dir);
    const count = 200;
    for (let i = 0; i < count; i++) await writer.put(JSON.stringify({ n: i }));
    const script = `
      import { Spool } from ${JSON.stringify(DIST_SPOOL)};
      const spool = new Spool(${JSON.stringify(dir)});
      const report = await spool.drain(async (json) => {
        const response = await fetch(${JSON.stringify(sink.url)} + '/api/v1/lineage', { method: 'POST', body: json, headers: { 'content-type': 'application/json' } });
        return response.ok ? { kind: 'delivered' } : { kind: 'failed', reason: String(response.status) };
      });
      process.stdout.write(JSON.stringify(report));
    `;
    const runs = Array.from({ length: 4 }, () =>
      new Promise<{ delivered: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as { delivered: number }) : reject(new Error(`child failed (${code}): ${err}`))));
      }),
    );
    const reports = await Promise.all(runs);
    expect(reports.reduce((n, r) => n + r.delivered, 0)).toBe(count);
    const received = sink.accepted.map((r) => (JSON.parse(r.body) as { n: number }).n);
    expect(received).toHaveLength(count);
    expect(new Set(received).size).toBe(count);
    expect(await writer.count()).toBe(0);
    // More than one process took part, or the test proved nothing about concurrency.
    expect(reports.filter((r) => r.delivered > 0).length).toBeGreaterThan(1);
  });
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../platform/errors.js';
import { createLineageClient } from '../../platform/lineage/createLineageClient.js';
import { resolveLineageConfig, type LineageConfigInput } from '../../platform/lineage/resolveLineageConfig.js';
import { createCompositeTransport } from '../../platform/lineage/transports/createCompositeTransport.js';
import { createFileTransport } from '../../platform/lineage/transports/createFileTransport.js';
import type { Transport } from '../../platform/lineage/transports/Transport.js';
import { eventKey, realisticEvents } from './events.js';
import { tempDir } from './support.js';

function lines(text: string): Record<string, unknown>[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function client(input: LineageConfigInput, cwd: string, streams: { stdout?: string[]; stderr?: string[] } = {}) {
  const config = resolveLineageConfig(input, {}, { cwd, homeDir: undefined, readFile: () => undefined });
  return createLineageClient(config, {
    stdout: { write: (t: string) => streams.stdout?.push(t) },
    stderr: { write: (t: string) => streams.stderr?.push(t) },
  });
}

describe('file transport', () => {
  it('appends one JSON line per event, creating the folder, after what the file held', async () => {
    const dir = await tempDir();
    const path = join(dir, 'lineage', 'events.jsonl');
    await mkdir(join(dir, 'lineage'));
    await writeFile(path, '{"earlier":true}\n');
    const c = client({ transport: { type: 'file', logFilePath: 'lineage/events.jsonl' } }, dir);
    const events = await realisticEvents(10);
    for (const event of events) await c.emit(event);
    await c.close();
    const written = lines(await readFile(path, 'utf8'));
    expect(written[0]).toEqual({ earlier: true });
    expect(written.slice(1).map(eventKey)).toEqual(events.map(eventKey));
    expect(written[1]).toEqual(JSON.parse(JSON.stringify(events[0])));
  });

  it('writes a burst of unawaited emits, every line whole, in order', async () => {
    const dir = await tempDir();
    const c = client({ transport: { type: 'file', logFilePath: 'events.jsonl' } }, dir);
    const events = await realisticEvents(500);
    await Promise.all(events.map((e) => c.emit(e)));
    await c.close();
    expect(lines(await readFile(join(dir, 'events.jsonl'), 'utf8')).map(eventKey)).toEqual(events.map(eventKey));
  });

  it('two writers sharing a file (two processes) never split a line', async () => {
    const dir = await tempDir();
    const path = join(dir, 'shared.jsonl');
    const a = createFileTransport({ path });
    const b = createFileTransport({ path });
    const events = await realisticEvents(400);
    await Promise.all(events.map((e, i) => (i % 2 ? a : b).emit(e)));
    await a.close!();
    await b.close!();
    const written = lines(await readFile(path, 'utf8'));
    expect(written.map(eventKey).sort()).toEqual(events.map(eventKey).sort());
  });

  it('rejects when the file cannot be written, naming it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'taken'));
    const transport = createFileTransport({ path: join(dir, 'taken') });
    const [event] = await realisticEvents(1);
    const error = await transport.emit(event!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(join(dir, 'taken'));
    await transport.close!();
    await expect(transport.emit(event!)).rejects.toThrow(/closed/);
  });
});

describe('console, noop and composite transports', () => {
  it('console writes JSON lines to standard error by default, standard output when asked', async () => {
    const dir = await tempDir();
    const [event] = await realisticEvents(1);
    const streams = { stdout: [] as string[], stderr: [] as string[] };
    await client({}, dir, streams).emit(event!);
    expect(streams.stdout).toEqual([]);
    expect(streams.stderr).toEqual([JSON.stringify(event) + '\n']);
    const out = { stdout: [] as string[], stderr: [] as string[] };
    await client({ transport: { type: 'console', stream: 'stdout' } }, dir, out).emit(event!);
    expect(out.stdout).toEqual([JSON.stringify(event) + '\n']);
  });

  it('noop and a disabled configuration send nothing', async () => {
    const dir = await tempDir();
    const [event] = await realisticEvents(1);
    const streams = { stdout: [] as string[], stderr: [] as string[] };
    await client({ transport: { type: 'noop' } }, dir, streams).emit(event!);
    await client({ disabled: true, transport: { type: 'console' } }, dir, streams).emit(event!);
    expect(streams).toEqual({ stdout: [], stderr: [] });
  });

  it('composite gives each event to every transport, in order, from one serialization', async () => {
    const dir = await tempDir();
    const streams = { stdout: [] as string[], stderr: [] as string[] };
    const c = client(
      { transport: { type: 'composite', transports: { audit: { type: 'file', logFilePath: 'audit.jsonl' }, screen: { type: 'console', stream: 'stdout' } } } },
      dir,
      streams,
    );
    const events = await realisticEvents(3);
    for (const event of events) await c.emit(event);
    await c.close();
    expect(lines(await readFile(join(dir, 'audit.jsonl'), 'utf8')).map(eventKey)).toEqual(events.map(eventKey));
    expect(streams.stdout.map((l) => eventKey(JSON.parse(l) as Record<string, unknown>))).toEqual(events.map(eventKey));
  });

  it('composite still delivers to the others when one fails, then reports the failure', async () => {
    const got: string[] = [];
    const failing: Transport = { kind: 'broken', emit: () => Promise.reject(new InputError('disk full')) };
    const recording: Transport = { kind: 'rec', emit: async (_e, json) => void got.push(json!) };
    const [event] = await realisticEvents(1);
    const json = JSON.stringify(event);
    await expect(createCompositeTransport({ transports: [failing, recording] }).emit(event!, json)).rejects.toThrow('disk full');
    expect(got).toEqual([json]);
    await expect(createCompositeTransport({ transports: [failing, failing, recording] }).emit(event!, json)).rejects.toThrow('2 transports failed: broken: disk full; broken: disk full');
    expect(got).toHaveLength(2);
    await expect(createCompositeTransport({ transports: [failing, recording], continueOnFailure: false }).emit(event!, json)).rejects.toThrow('disk full');
    expect(got).toHaveLength(2);
  });
});

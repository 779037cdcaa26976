import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLineageClient } from '../../platform/lineage/createLineageClient.js';
import { nodeConfigFiles, resolveLineageConfig } from '../../platform/lineage/resolveLineageConfig.js';
import { runBin, runCli } from '../support/runCli.js';
import { eventKey, realisticEvents } from './events.js';
import { startSink, tempDir, type Sink } from './support.js';

function run(argv: string[], cwd: string, env: Record<string, string>) {
  return runCli(argv, { cwd, env });
}

/** A working directory and environment that point at `sink`, with no retries so a down endpoint fails fast. */
async function workspace(sink: Sink): Promise<{ cwd: string; env: Record<string, string> }> {
  const cwd = await tempDir();
  return {
    cwd,
    env: { HOME: cwd, OPENLINEAGE__TRANSPORT__TYPE: 'http', OPENLINEAGE__TRANSPORT__URL: sink.url, OPENLINEAGE__TRANSPORT__RETRY__TOTAL: '0' },
  };
}

async function spoolWhileDown(sink: Sink, cwd: string, env: Record<string, string>, count: number) {
  await sink.stop();
  const client = createLineageClient(resolveLineageConfig({}, env, nodeConfigFiles(cwd, env)), { warn: () => undefined });
  const events = await realisticEvents(count);
  for (const event of events) await client.emit(event);
  await client.close();
  return events;
}

describe('mesh lineage flush', () => {
  it('re-sends the spool in order once the endpoint is back, and says what it did', async () => {
    const sink = await startSink();
    const { cwd, env } = await workspace(sink);
    const events = await spoolWhileDown(sink, cwd, env, 7);

    const down = await run(['lineage', 'flush'], cwd, env);
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(new RegExp(`${sink.url}/api/v1/lineage: 0 events delivered, 0 rejected, 7 still waiting \\(\\.mesh/lineage-spool/127\\.0\\.0\\.1_${sink.port}-[0-9a-f]{12}\\)`));

    await sink.listen();
    const up = await run(['lineage', 'flush', '--format', 'json'], cwd, env);
    expect(up.code).toBe(0);
    const report = JSON.parse(up.stdout) as { targets: { delivered: number; remaining: number; url: string }[]; remaining: number };
    expect(report.targets).toEqual([expect.objectContaining({ transport: 'transport', url: `${sink.url}/api/v1/lineage`, delivered: 7, rejected: 0, remaining: 0 })]);
    expect(report.remaining).toBe(0);
    expect(sink.events().map(eventKey)).toEqual(events.map(eventKey));

    const again = await run(['lineage', 'flush'], cwd, env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 events delivered, 0 rejected, 0 still waiting');
    expect(sink.accepted).toHaveLength(7);
  });

  it('points out events spooled for an endpoint that is no longer configured', async () => {
    const sink = await startSink();
    const { cwd, env } = await workspace(sink);
    await spoolWhileDown(sink, cwd, env, 2);
    const other = await startSink();
    const result = await run(['lineage', 'flush'], cwd, { ...env, OPENLINEAGE__TRANSPORT__URL: other.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`2 events waiting in .mesh/lineage-spool/127.0.0.1_${sink.port}-`);
    expect(result.stdout).toContain(`for ${sink.url}/api/v1/lineage, which is not configured now`);
    expect(other.requests).toHaveLength(0);
  });

  it('sends nothing when OpenLineage is disabled, and says events wait', async () => {
    const sink = await startSink();
    const { cwd, env } = await workspace(sink);
    await spoolWhileDown(sink, cwd, env, 1);
    await sink.listen();
    const result = await run(['lineage', 'flush'], cwd, { ...env, OPENLINEAGE_DISABLED: 'true' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('OpenLineage is disabled');
    expect(sink.requests).toHaveLength(0);
  });

  it('with no http transport and an empty spool there is nothing to do', async () => {
    const cwd = await tempDir();
    const result = await run(['lineage', 'flush'], cwd, { HOME: cwd });
    expect(result).toMatchObject({ code: 0, stdout: 'No http transport is configured (transport: console, from default).\nNothing is spooled.\n' });
    // Flushing an endpoint that never had to spool leaves no folders behind.
    const up = await run(['lineage', 'flush'], cwd, { HOME: cwd, OPENLINEAGE_URL: 'http://127.0.0.1:9' });
    expect(up.code).toBe(0);
    expect(existsSync(join(cwd, '.mesh'))).toBe(false);
  });

  it('reports a broken configuration with exit code 2', async () => {
    const cwd = await tempDir();
    const result = await run(['lineage', 'flush'], cwd, { HOME: cwd, OPENLINEAGE__TRANSPORT__TYPE: 'http' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('transport.url is required for the http transport');
  });

  it('runs from the built binary', async () => {
    const sink = await startSink();
    const { cwd, env } = await workspace(sink);
    const events = await spoolWhileDown(sink, cwd, env, 3);
    await sink.listen();
    const result = await runBin(['lineage', 'flush', '--format', 'json'], { cwd, env: { ...env, PATH: process.env['PATH'] } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { targets: { delivered: number }[] }).targets[0]!.delivered).toBe(3);
    expect(sink.events().map(eventKey)).toEqual(events.map(eventKey));
  });

  it('is registered under mesh lineage', async () => {
    const cwd = await tempDir();
    expect((await run(['--help'], cwd, {})).stdout).toMatch(/lineage\s+OpenLineage/);
    expect(await run(['lineage'], cwd, {})).toMatchObject({ code: 2, stdout: expect.stringContaining('  mesh lineage flush [--format text|json]\n') });
    expect(await run(['lineage', 'nope'], cwd, {})).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "mesh lineage nope"') });
    expect(await run(['lineage', 'flush', '--help'], cwd, {})).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: mesh lineage flush \[--format text\|json\]\n/) });
    expect(await run(['lineage', 'flush', 'extra'], cwd, {})).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: mesh lineage flush') });
  });
});

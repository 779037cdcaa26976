import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeRepo } from '../support/fixtureRepo.js';
import { qualityRepoFiles, writeOrdersFile } from '../support/qualityRepo.js';
import { report } from './support.js';

const MAIN = new URL('../../dist/platform/cli/main.js', import.meta.url).href;
const LIMIT_MB = 300;

// `mesh test` as bin.js runs it, then the process's peak resident set (worker threads included), in KiB.
const MEASURED = `
import { main } from ${JSON.stringify(MAIN)};
const code = await main(process.argv.slice(1), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
process.stderr.write('\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n');
process.exitCode = code;
`;

function peakRss(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ kib: number; ms: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', MEASURED, ...args], { env, cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const match = /maxRSS (\d+)/.exec(stderr);
      if ((error && error.code !== 1) || !match) reject(new Error(`mesh test failed: ${stderr}`));
      else resolve({ kib: Number(match[1]), ms: performance.now() - started, output: stdout });
    });
  });
}

let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

it(`validating a 2 GB JSON-lines file keeps the peak RSS under ${LIMIT_MB} MB`, async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mesh-bench-memory-'));
  await writeRepo(scratch, qualityRepoFiles());
  const file = join(scratch, 'orders.jsonl');
  // 2 GiB of distinct orders: the key counter passes its budget and spills to disk.
  let bytes = 0;
  let records = 0;
  while (bytes < 2 * 2 ** 30) {
    bytes += await writeOrdersFile(file, 500_000, 1000, records, records > 0);
    records += 500_000;
  }
  const args = ['test', 'shop.orders', '--file', file, '--format', 'json'];
  const rows: Record<string, string | number>[] = [];
  for (const [label, env] of [
    ['one thread', { ...process.env, MESH_THREADS: '1' }],
    ['default threads', process.env],
  ] as const) {
    const { kib, ms, output } = await peakRss(args, env, scratch);
    const result = JSON.parse(output);
    expect({ records: result.records, distinct: result.keys[0].distinct }).toEqual({ records, distinct: records });
    rows.push({ variant: label, 'file MiB': bytes / 2 ** 20, records, 'peak RSS MiB': kib / 1024, 'limit MiB': LIMIT_MB, seconds: ms / 1000 });
    expect(kib / 1024).toBeLessThan(LIMIT_MB);
  }
  report('mesh test --file on a 2 GiB JSON-lines file: peak resident memory', rows);
});

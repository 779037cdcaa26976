import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessPortInput } from '../../platform/quality/assessPort.js';
import type { QualityReport } from '../../platform/quality/QualityReport.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { writeTempRepo } from '../support/fixtureRepo.js';
import { plantedOrders, qualityRepoFiles, writeOrdersFile } from '../support/qualityRepo.js';

// Worker threads run from the build only: this suite imports the engine from dist/ (npm test builds first).
const { assessPort } = (await import(new URL('../../dist/platform/quality/assessPort.js', import.meta.url).href)) as typeof import('../../platform/quality/assessPort.js');

const NOW = new Date('2026-11-02T12:00:00Z');

describe('a JSON-lines file read by several threads', () => {
  let repo: Awaited<ReturnType<typeof writeTempRepo>>;
  let input: Omit<AssessPortInput, 'source'>;
  beforeAll(async () => {
    repo = await writeTempRepo(qualityRepoFiles());
    input = { repository: await loadRepository(repo.root), product: 'shop.orders', port: 'orders', now: NOW, parallelFromBytes: 0 };
    // Generated orders, then the planted faults (duplicates of early keys among them), blank and broken lines.
    await writeOrdersFile(join(repo.root, 'orders.jsonl'), 20_000, 997);
    const tail = ['', ...plantedOrders().map((p) => JSON.stringify(p.record)), '{"broken', '  ', JSON.stringify({ order_id: 'SO-00000005' })];
    await writeFile(join(repo.root, 'orders.jsonl'), (await readFile(join(repo.root, 'orders.jsonl'), 'utf8')) + tail.join('\n'));
  });
  afterAll(() => repo.cleanup());

  async function run(threads: number): Promise<{ report: QualityReport; letters: string }> {
    const report = await assessPort({ ...input, source: { kind: 'file', path: join(repo.root, 'orders.jsonl'), format: 'jsonl' }, threads });
    return { report, letters: await readFile(join(repo.root, 'orders.jsonl.rejected.jsonl'), 'utf8') };
  }
  const comparable = ({ method, ...rest }: QualityReport) => {
    void method;
    return rest;
  };

  it.each([2, 3, 7])('gives the report and the dead letters of one thread with %i threads', async (threads) => {
    const one = await run(1);
    const many = await run(threads);
    expect(many.report.method.streamedFields[0]!.reason).toContain(`in ${threads} threads`);
    expect(comparable(many.report)).toEqual(comparable(one.report));
    expect(many.letters).toBe(one.letters);
    expect(one.report.records).toBe(20_000 + 22 + 2);
    expect(one.report.keys[0]!.duplicates).toBe(2); // the planted SO-000001, and SO-00000005 again at the end
  });
});

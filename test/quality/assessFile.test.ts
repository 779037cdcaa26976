import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessPort } from '../../platform/quality/assessPort.js';
import type { QualityReport } from '../../platform/quality/QualityReport.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import type { Repository } from '../../platform/repo/Repository.js';
import { writeTempRepo } from '../support/fixtureRepo.js';
import { ORDER_FIELDS, plantedOrders, qualityRepoFiles } from '../support/qualityRepo.js';

const NOW = new Date('2026-11-02T12:00:00Z');
const planted = plantedOrders();

function toCsv(records: Record<string, unknown>[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [ORDER_FIELDS.join(','), ...records.map((r) => ORDER_FIELDS.map((f) => cell(r[f])).join(','))].join('\n') + '\n';
}

describe('assessPort on files', () => {
  let repo: Awaited<ReturnType<typeof writeTempRepo>>;
  let repository: Repository;
  beforeAll(async () => {
    repo = await writeTempRepo(qualityRepoFiles());
    repository = await loadRepository(repo.root);
    expect(repository.problems.filter((p) => p.severity === 'error')).toEqual([]);
    await writeFile(join(repo.root, 'orders.jsonl'), planted.map((p) => JSON.stringify(p.record)).join('\n') + '\n');
    await writeFile(join(repo.root, 'orders.csv'), toCsv(planted.map((p) => p.record)));
  });
  afterAll(() => repo.cleanup());

  const assess = (file: string, now = NOW) =>
    assessPort({ repository, product: 'shop.orders', port: 'orders', source: { kind: 'file', path: join(repo.root, file), format: file.endsWith('.csv') ? 'csv' : 'jsonl' }, now });

  describe.each(['orders.jsonl', 'orders.csv'])('%s with planted faults', (file) => {
    let report: QualityReport;
    beforeAll(async () => {
      report = await assess(file);
    });

    it('counts records, valid and invalid exactly', () => {
      expect({ records: report.records, valid: report.valid, invalid: report.invalid }).toEqual({ records: 22, valid: 16, invalid: 6 });
    });

    it('writes one dead letter per rejected record, beside the input, with its line and errors', async () => {
      const lines = (await readFile(join(repo.root, `${file}.rejected.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const header = file.endsWith('.csv') ? 1 : 0;
      const expected = planted.flatMap((p, i) => (p.invalid ? [{ line: i + 1 + header, paths: p.errors }] : []));
      expect(lines.map((l) => ({ line: l.line, paths: [...new Set(l.errors.map((e: { instancePath: string }) => e.instancePath))].sort() }))).toEqual(expected);
      for (const letter of lines) expect(letter.record).toMatchObject({ order_id: expect.any(String) });
      expect(report.deadLetter).toEqual({ kind: 'file', path: join(repo.root, `${file}.rejected.jsonl`), count: 6 });
    });

    it('measures nulls, invalid values, distinct keys and ranges per field', () => {
      const field = (name: string) => report.fields.find((f) => f.name === name)!;
      expect(field('customer_id')).toMatchObject({ nulls: 1, count: 21, invalid: 1 });
      expect(field('customer_email')).toMatchObject({ nulls: 5, invalid: 1 });
      expect(field('discount')).toMatchObject({ nulls: 7, min: 0.25, max: 0.25 });
      expect(field('order_id')).toMatchObject({ nulls: 0, distinct: 21, invalid: 1 });
      expect(field('total')).toMatchObject({ min: -5, invalid: 2 });
      expect(field('quantity')).toMatchObject({ min: 1, max: 500, invalid: 1 });
      expect(field('updated_at')).toMatchObject({ min: '2026-11-01T01:30:00Z', max: '2026-11-01T22:30:00Z' });
      expect(report.keys).toEqual([{ fields: ['order_id'], origin: 'primary_key', count: 22, distinct: 21, duplicates: 1, examples: ['SO-000001'], enforced: false }]);
    });

    it('judges every check, the sql one skipped on a file', () => {
      const outcome = Object.fromEntries(report.checks.map((c) => [c.name, [c.status, c.observed]]));
      expect(outcome).toEqual({
        contract: ['failed', 6],
        primary_key: ['failed', 1],
        unique_order_id: ['failed', 1],
        not_null_customer_id: ['failed', 1],
        accepted_values_status: ['failed', 2],
        range_quantity: ['failed', 1],
        row_count: ['passed', 22],
        relationships_customer_id: ['skipped', null],
        no_negative_totals: ['skipped', null],
      });
      expect(report.checks.find((c) => c.name === 'range_quantity')!.severity).toBe('warn');
    });

    it('scores the six dimensions as documented', () => {
      const dims = Object.fromEntries(report.score.dimensions.map((d) => [d.name, d.score]));
      const expected = {
        validity: (100 * 16) / 22,
        completeness: (100 * (22 * 12 - 13)) / (22 * 12),
        uniqueness: (100 * 21) / 22,
        freshness: 100,
        checks: (100 * 1) / 5,
        documentation: 100,
      };
      for (const [name, value] of Object.entries(expected)) expect(dims[name]).toBeCloseTo(value, 1);
      const score = 0.3 * expected.validity + 0.15 * expected.completeness + 0.15 * expected.uniqueness + 0.2 * 100 + 0.1 * 20 + 0.1 * 100;
      expect(report.score.score).toBeCloseTo(score, 1);
      expect(report.score.score).toBe(82.4);
      expect(report.score.grade).toBe('B');
      expect(report.score.dimensions.find((d) => d.name === 'checks')!.detail).toBe('1 of 5 quality checks passed (2 skipped)');
    });

    it('reports the SLA: fresh within max, completeness breached, availability unknown without runs', () => {
      expect(report.sla.freshness).toMatchObject({ status: 'MET', lagSeconds: 13.5 * 3600, maxSeconds: 86400, measuredFrom: 'column', newest: '2026-11-01T22:30:00Z' });
      expect(report.sla.completeness).toMatchObject({ status: 'BREACHED', target: 90, percent: 72.727 });
      expect(report.sla.availability.status).toBe('UNKNOWN');
      expect(report.passed).toBe(false);
      expect(report.failures.some((f) => f.startsWith('completeness SLA breached'))).toBe(true);
      // A warn check lowers the score but never fails the test.
      expect(report.failures.some((f) => f.includes('range_quantity'))).toBe(false);
    });
  });

  it('marks stale data BREACHED and scores freshness down linearly to 0 at twice the max age', async () => {
    const stale = await assess('orders.jsonl', new Date('2026-11-03T10:30:00Z')); // 36 h after the newest record
    expect(stale.sla.freshness.status).toBe('BREACHED');
    expect(stale.score.dimensions.find((d) => d.name === 'freshness')!.score).toBe(50);
    const risky = await assess('orders.jsonl', new Date('2026-11-02T17:30:00Z')); // 19 h: past 75% of 24 h
    expect(risky.sla.freshness.status).toBe('AT_RISK');
  });

  it('rejects unreadable JSON lines and oversized values as dead letters, never crashing', async () => {
    const lines = [
      JSON.stringify(planted[0]!.record),
      '{"order_id": "SO-000002", ',
      '',
      '42',
      JSON.stringify({ ...planted[1]!.record, __proto__: { polluted: true } }).replace('{', '{"__proto__": {"x": 1}, '),
      '[' .repeat(100_000) + ']'.repeat(100_000),
    ];
    await writeFile(join(repo.root, 'hostile.jsonl'), lines.join('\n'));
    const report = await assess('hostile.jsonl');
    expect({ records: report.records, invalid: report.invalid }).toEqual({ records: 5, invalid: 4 });
    const letters = (await readFile(join(repo.root, 'hostile.jsonl.rejected.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(letters.map((l) => [l.line, l.errors[0].keyword])).toEqual([
      [2, 'json'],
      [4, 'type'],
      [5, 'additionalProperties'],
      [6, 'type'],
    ]);
    expect(letters[0].raw).toBe('{"order_id": "SO-000002", ');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('removes a stale dead-letter file when a later test rejects nothing', async () => {
    await writeFile(join(repo.root, 'clean.jsonl'), JSON.stringify(planted[0]!.record) + '\n');
    await writeFile(join(repo.root, 'clean.jsonl.rejected.jsonl'), 'old\n');
    const report = await assess('clean.jsonl');
    expect(report.invalid).toBe(0);
    expect(report.deadLetter).toBeNull();
    await expect(readFile(join(repo.root, 'clean.jsonl.rejected.jsonl'))).rejects.toThrow(/ENOENT/);
  });

  it('reads CSV rows with the wrong number of cells as dead letters', async () => {
    const csv = toCsv([planted[0]!.record, planted[1]!.record]).split('\n');
    csv.splice(2, 0, 'SO-000099,C-1,open');
    await writeFile(join(repo.root, 'ragged.csv'), csv.join('\n'));
    const report = await assess('ragged.csv');
    expect({ records: report.records, invalid: report.invalid }).toEqual({ records: 3, invalid: 1 });
    const letters = (await readFile(join(repo.root, 'ragged.csv.rejected.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(letters).toEqual([{ line: 3, raw: 'SO-000099,C-1,open', errors: [expect.objectContaining({ keyword: 'csv', message: 'unreadable CSV row: row has 3 cells, the header 12' })] }]);
  });
});

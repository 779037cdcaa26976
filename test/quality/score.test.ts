import { describe, expect, it } from 'vitest';
import type { RecordShape } from '../../platform/contract/recordFields.js';
import type { CheckResult, FieldMetrics, KeyMetrics, SlaStatus } from '../../platform/quality/QualityReport.js';
import { parseDuration } from '../../platform/quality/score/parseDuration.js';
import { grade, scoreQuality, type ScoreInputs } from '../../platform/quality/score/scoreQuality.js';
import { slaStatus } from '../../platform/quality/score/slaStatus.js';

describe('parseDuration', () => {
  it.each([
    ['PT24H', 86400],
    ['P1D', 86400],
    ['PT15M', 900],
    ['PT1.5S', 1.5],
    ['P1W', 604800],
    ['P1DT2H', 93600],
    ['P1Y', 365 * 86400],
  ])('%s is %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));
  it.each(['P', 'PT', '24H', 'PT-1H', 'P1H'])('refuses %s', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('grade', () => {
  it.each([
    [100, 'A'],
    [90, 'A'],
    [89.9, 'B'],
    [80, 'B'],
    [79.9, 'C'],
    [70, 'C'],
    [60, 'D'],
    [59.9, 'F'],
    [0, 'F'],
  ])('%d is %s', (score, letter) => expect(grade(score)).toBe(letter));
});

const field = (name: string, count: number, nulls: number, description = 'd'): { metrics: FieldMetrics; shape: RecordShape['fields'][number] } => ({
  metrics: { name, count, nulls, invalid: 0 },
  shape: { name, description, type: 'string', nullable: true, required: false, format: undefined, pii: false, classification: undefined, unique: false, primaryKey: false, enum: undefined, minimum: undefined, maximum: undefined, exclusiveMinimum: undefined, exclusiveMaximum: undefined, minLength: undefined, maxLength: undefined, pattern: undefined, schema: {} },
});
const check = (passed: boolean, status: CheckResult['status'] = passed ? 'passed' : 'failed'): CheckResult => ({ name: 'c', check: 'row_count', origin: 'manifest', severity: 'error', status, passed, observed: 0, expected: '', message: '' });
const unknownSla: SlaStatus = slaStatus({ sla: undefined, now: new Date(), newest: undefined, records: 0, valid: 0, runs: undefined });

function inputs(overrides: Partial<ScoreInputs> = {}): ScoreInputs {
  const fields = [field('a', 10, 0), field('b', 5, 5, '')];
  return {
    manifest: { owner: { team: 't', email: 't@example.com' }, sla: { completeness: 90 }, description: 'd' },
    weights: undefined,
    shape: { fields: fields.map((f) => f.shape), primaryKey: ['a'], classification: undefined, open: false },
    contractDescription: 'c',
    records: 10,
    valid: 8,
    fields: fields.map((f) => f.metrics),
    keys: [{ fields: ['a'], origin: 'primary_key', count: 10, distinct: 9, duplicates: 1, examples: [], enforced: false } satisfies KeyMetrics],
    sla: unknownSla,
    checks: [check(true), check(false), check(false, 'skipped')],
    ...overrides,
  };
}

describe('scoreQuality', () => {
  it('leaves out what it cannot measure and renormalizes the weights', () => {
    const score = scoreQuality(inputs());
    const dims = Object.fromEntries(score.dimensions.map((d) => [d.name, d]));
    expect(dims['freshness']).toMatchObject({ score: null, share: 0, detail: 'no freshness SLA' });
    // validity 80, completeness 75, uniqueness 90, checks 50, documentation (1/2 + 1 + 1 + 1)/4 = 87.5
    expect(dims['validity']!.score).toBe(80);
    expect(dims['completeness']!.score).toBe(75);
    expect(dims['uniqueness']!.score).toBe(90);
    expect(dims['checks']).toMatchObject({ score: 50, detail: '1 of 2 quality checks passed (1 skipped)' });
    expect(dims['documentation']!.score).toBe(87.5);
    const total = 0.3 + 0.15 + 0.15 + 0.1 + 0.1;
    expect(dims['validity']!.share).toBeCloseTo(0.3 / total, 4);
    expect(score.score).toBeCloseTo((0.3 * 80 + 0.15 * 75 + 0.15 * 90 + 0.1 * 50 + 0.1 * 87.5) / total, 1);
    expect(score.detail).toBe('weighted mean of 5 dimensions; not measured: freshness (weights renormalized)');
  });

  it('takes the manifest weights, dimension by dimension', () => {
    const score = scoreQuality(inputs({ weights: { validity: 1, completeness: 0, uniqueness: 0, checks: 0, documentation: 0 } }));
    expect(score.score).toBe(80);
    expect(score.grade).toBe('B');
  });

  it('has no score when no weighted dimension can be measured', () => {
    const score = scoreQuality(inputs({ weights: { validity: 0, completeness: 0, uniqueness: 0, checks: 0, documentation: 0 } }));
    expect(score).toMatchObject({ score: null, grade: null });
  });

  it('does not measure validity, completeness or uniqueness without records', () => {
    const score = scoreQuality(inputs({ records: 0, valid: 0, keys: [] }));
    expect(score.dimensions.filter((d) => d.score === null).map((d) => d.name)).toEqual(['validity', 'completeness', 'uniqueness', 'freshness']);
  });
});

describe('slaStatus', () => {
  const now = new Date('2026-11-02T00:00:00Z');
  it.each([
    ['2026-11-01T12:00:00Z', 'MET'], // 12 h of 24
    ['2026-11-01T06:00:00Z', 'MET'], // 18 h: exactly 75%
    ['2026-11-01T05:00:00Z', 'AT_RISK'], // 19 h
    ['2026-11-01T00:00:00Z', 'AT_RISK'], // 24 h: at the limit
    ['2026-10-31T23:59:59Z', 'BREACHED'],
  ])('freshness of data last changed at %s is %s', (newest, status) => {
    expect(slaStatus({ sla: { freshness: { max: 'PT24H', column: 'at' } }, now, newest, records: 1, valid: 1, runs: undefined }).freshness.status).toBe(status);
  });

  it.each([
    [100, 99, 'MET'],
    [99.75, 99, 'MET'], // 25% of the 1% allowance used
    [99.2, 99, 'AT_RISK'], // 80% used
    [99, 99, 'AT_RISK'],
    [98.99, 99, 'BREACHED'],
    [100, 100, 'MET'],
    [99.99, 100, 'BREACHED'],
  ])('completeness %d%% against %d%% is %s', (actual, target, status) => {
    expect(slaStatus({ sla: { completeness: target }, now, newest: undefined, records: 10000, valid: actual * 100, runs: undefined }).completeness.status).toBe(status);
  });

  it('measures availability and, without a freshness column, freshness from the runs', () => {
    const runs = [
      { state: 'COMPLETE' as const, endedAt: '2026-11-01T20:00:00Z' },
      { state: 'FAIL' as const, endedAt: '2026-11-01T22:00:00Z' },
      ...Array.from({ length: 98 }, () => ({ state: 'COMPLETE' as const, endedAt: '2026-10-30T00:00:00Z' })),
    ];
    const sla = slaStatus({ sla: { availability: 99, freshness: { max: 'PT24H' } }, now, newest: undefined, records: 0, valid: 0, runs });
    expect(sla.availability).toMatchObject({ status: 'AT_RISK', percent: 99, target: 99 });
    expect(sla.freshness).toMatchObject({ status: 'MET', measuredFrom: 'last_run', lagSeconds: 4 * 3600, newest: '2026-11-01T20:00:00Z' });
    expect(slaStatus({ sla: { availability: 99 }, now, newest: undefined, records: 0, valid: 0, runs: undefined }).availability.status).toBe('UNKNOWN');
  });
});

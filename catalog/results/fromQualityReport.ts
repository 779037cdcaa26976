import type { QualityReport } from '../../platform/quality/QualityReport.js';
import type { QualityResultInput, SlaStatusInput } from '../store/qualityResults.js';

/**
 * A `mesh test` report as the catalog records it: the score with each dimension's measurement, the counts, every
 * check, and the per-field metrics; `runId` ties it to the test's OpenLineage run.
 */
export function qualityResultOf(report: QualityReport, runId?: string): QualityResultInput {
  return {
    productId: report.product,
    port: report.port,
    ...(runId !== undefined ? { runId } : {}),
    measuredAt: report.measuredAt,
    score: report.score.score,
    grade: report.score.grade,
    records: report.records,
    valid: report.valid,
    invalid: report.invalid,
    dimensions: report.score.dimensions.map((d) => ({ name: d.name, score: d.score, weight: d.weight, detail: d.detail })),
    checks: report.checks.map((c) => ({ name: c.name, passed: c.passed, check: c.check, severity: c.severity, status: c.status, observed: c.observed, expected: c.expected, message: c.message })),
    metrics: { fields: report.fields, keys: report.keys, contract: report.contract, source: report.source },
  };
}

/** The SLA part of a `mesh test` report, for one port, with what each status was measured from. */
export function slaStatusOf(report: QualityReport): SlaStatusInput {
  const { freshness, completeness, availability } = report.sla;
  return {
    productId: report.product,
    port: report.port,
    measuredAt: report.measuredAt,
    freshness: { status: freshness.status, lagSeconds: freshness.lagSeconds, maxSeconds: freshness.maxSeconds },
    availability: { status: availability.status, percent: availability.percent },
    completeness: { status: completeness.status, percent: completeness.percent },
    detail: {
      freshness: { measuredFrom: freshness.measuredFrom, newest: freshness.newest, detail: freshness.detail },
      availability: { target: availability.target, detail: availability.detail },
      completeness: { target: completeness.target, detail: completeness.detail },
    },
  };
}

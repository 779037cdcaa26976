import type { QualityCheck } from '../manifest/DataProductManifest.js';
import type { QualityReport } from '../quality/QualityReport.js';
import type { PortQuality } from './ProductLineage.js';
import { qualityAssertion, qualityCheckName } from './qualityAssertion.js';
import type { Assertion, ColumnMetrics } from './StandardFacets.js';

/**
 * A `mesh test` report as the `dataQualityMetrics` and `dataQualityAssertions` input facets: the row count and
 * per-column metrics, and one assertion per check (the manifest's checks as `qualityAssertion` spells them; the
 * contract's own as `schema` for validity and `unique` for its keys).
 */
export function portQualityOf(report: QualityReport, checks: readonly QualityCheck[]): PortQuality {
  const columnMetrics: Record<string, ColumnMetrics> = {};
  for (const field of report.fields) {
    columnMetrics[field.name] = {
      nullCount: field.nulls,
      count: field.count,
      ...(field.distinct !== undefined ? { distinctCount: field.distinct } : {}),
      ...(typeof field.min === 'number' ? { min: field.min } : {}),
      ...(typeof field.max === 'number' ? { max: field.max } : {}),
    };
  }
  const byName = new Map(checks.map((c) => [qualityCheckName(c), c]));
  const assertions: Assertion[] = report.checks
    .filter((c) => c.status !== 'skipped')
    .map((c) => {
      const manifest = c.origin === 'manifest' ? byName.get(c.name) : undefined;
      const outcome = { success: c.passed, ...(c.observed !== null ? { actual: c.observed } : {}) };
      if (manifest) return qualityAssertion(manifest, outcome);
      return {
        assertion: c.check === 'contract' ? 'schema' : 'unique',
        success: c.passed,
        name: c.name,
        severity: c.severity,
        expected: c.expected,
        ...(c.observed !== null ? { actual: String(c.observed) } : {}),
        ...(c.fields?.length === 1 ? { column: c.fields[0]! } : {}),
      };
    });
  return {
    metrics: { rowCount: report.records, ...(report.source.kind === 'file' ? { bytes: report.source.bytes, fileCount: 1 } : {}), columnMetrics },
    assertions,
  };
}

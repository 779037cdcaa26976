import type { QualityCheck } from '../manifest/DataProductManifest.js';
import { UnreachableCaseError } from '../util/guards.js';
import type { Assertion } from './StandardFacets.js';

/** The outcome of one quality check, as `mesh test` measures it. */
export interface CheckOutcome {
  readonly success: boolean;
  /** What was observed: the duplicate count, the row count, the query's value... */
  readonly actual?: string | number;
}

/** The name a check is reported under: its `name`, or one built from the check and its field(s). */
export function qualityCheckName(check: QualityCheck): string {
  if (check.name !== undefined) return check.name;
  switch (check.check) {
    case 'unique':
      return `unique_${check.field ?? (check.fields ?? []).join('_')}`;
    case 'not_null':
    case 'accepted_values':
    case 'range':
    case 'relationships':
      return `${check.check}_${check.field}`;
    case 'row_count':
      return 'row_count';
    case 'sql':
      return check.name;
    default:
      throw new UnreachableCaseError(check);
  }
}

function bounds(min: number | undefined, max: number | undefined): string | undefined {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `>= ${min}`;
  if (max !== undefined) return `<= ${max}`;
  return undefined;
}

/**
 * A manifest quality check and its outcome as an entry of the `dataQualityAssertions` input facet. The
 * assertion kinds follow the spec's examples (`not_null`, `unique`, `row_count`, `custom_sql`); `expected`
 * says what the check demands, `content` holds the SQL of a `sql` check.
 */
export function qualityAssertion(check: QualityCheck, outcome: CheckOutcome): Assertion {
  const common = {
    success: outcome.success,
    name: qualityCheckName(check),
    severity: check.severity ?? 'error',
    ...(check.description !== undefined ? { description: check.description } : {}),
    ...(outcome.actual !== undefined ? { actual: String(outcome.actual) } : {}),
  };
  const expected = (text: string | undefined) => (text !== undefined ? { expected: text } : {});
  switch (check.check) {
    case 'unique': {
      const fields = check.field !== undefined ? [check.field] : (check.fields ?? []);
      return {
        assertion: 'unique',
        ...(fields.length === 1 ? { column: fields[0]! } : { params: { fields } }),
        ...common,
        ...expected('0 duplicates'),
      };
    }
    case 'not_null':
      return { assertion: 'not_null', column: check.field, ...common, ...expected('0 nulls') };
    case 'accepted_values':
      return { assertion: 'accepted_values', column: check.field, ...common, ...expected(JSON.stringify(check.values)), params: { values: check.values } };
    case 'row_count':
      return { assertion: 'row_count', ...common, ...expected(bounds(check.min, check.max)) };
    case 'range':
      return { assertion: 'range', column: check.field, ...common, ...expected(bounds(check.min, check.max)) };
    case 'relationships':
      return {
        assertion: 'relationships',
        column: check.field,
        ...common,
        ...expected('0 orphans'),
        params: { product: check.to.product, port: check.to.port, field: check.to.field },
      };
    case 'sql':
      return {
        assertion: 'custom_sql',
        ...common,
        ...expected(check.mustBe !== undefined ? `= ${check.mustBe}` : bounds(check.min, check.max)),
        content: check.query,
        contentType: 'sql',
      };
    default:
      throw new UnreachableCaseError(check);
  }
}

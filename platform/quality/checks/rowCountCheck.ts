import type { RowCountCheck } from '../../manifest/DataProductManifest.js';
import { describeBounds, withinBounds, type CheckKind } from './CheckKind.js';

/** `row_count`: the number of records lies within bounds. */
export const rowCountCheck: CheckKind<RowCountCheck> = {
  check: 'row_count',
  defaultName: () => 'row_count',
  fields: () => [],
  measure: () => ({ kind: 'rows' }),
  judge: (check, observed) => ({ passed: withinBounds(observed, check.min, check.max), expected: `${describeBounds(check.min, check.max)} records` }),
};

import type { SqlCheck } from '../../manifest/DataProductManifest.js';
import { describeBounds, withinBounds, type CheckKind } from './CheckKind.js';

/** `sql`: a query returning one number, compared with `mustBe`, or `min`/`max`. `{table}` is the port's table. */
export const sqlCheck: CheckKind<SqlCheck> = {
  check: 'sql',
  defaultName: (check) => check.name,
  fields: () => [],
  measure: (check) => ({ kind: 'sql', query: check.query }),
  judge(check, observed) {
    if (check.mustBe !== undefined) return { passed: observed === check.mustBe && withinBounds(observed, check.min, check.max), expected: `= ${check.mustBe}` };
    return { passed: withinBounds(observed, check.min, check.max), expected: describeBounds(check.min, check.max) };
  },
};

import type { AcceptedValuesCheck } from '../../manifest/DataProductManifest.js';
import { type CheckKind } from './CheckKind.js';

/** `accepted_values`: every non-null value of a field is one of `values`. */
export const acceptedValuesCheck: CheckKind<AcceptedValuesCheck> = {
  check: 'accepted_values',
  defaultName: (check) => `accepted_values_${check.field}`,
  fields: (check) => [check.field],
  measure: (check) => ({ kind: 'notAccepted', field: check.field, values: check.values }),
  judge: (check, observed) => ({ passed: observed === 0, expected: `every value in ${JSON.stringify(check.values)}` }),
};

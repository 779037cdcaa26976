import type { RangeCheck } from '../../manifest/DataProductManifest.js';
import { describeBounds, type CheckKind } from './CheckKind.js';

/** `range`: every numeric value of a field lies within `[min, max]`. */
export const rangeCheck: CheckKind<RangeCheck> = {
  check: 'range',
  defaultName: (check) => `range_${check.field}`,
  fields: (check) => [check.field],
  measure: (check) => ({ kind: 'outOfRange', field: check.field, min: check.min, max: check.max }),
  judge: (check, observed) => ({ passed: observed === 0, expected: `every value ${describeBounds(check.min, check.max)}` }),
};

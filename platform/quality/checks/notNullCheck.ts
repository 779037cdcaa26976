import type { NotNullCheck } from '../../manifest/DataProductManifest.js';
import { noneFound, type CheckKind } from './CheckKind.js';

/** `not_null`: a field is never null or absent. */
export const notNullCheck: CheckKind<NotNullCheck> = {
  check: 'not_null',
  defaultName: (check) => `not_null_${check.field}`,
  fields: (check) => [check.field],
  measure: (check) => ({ kind: 'nulls', field: check.field }),
  judge: (_check, observed) => noneFound(observed, 'nulls'),
};

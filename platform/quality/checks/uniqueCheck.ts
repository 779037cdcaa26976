import type { UniqueCheck } from '../../manifest/DataProductManifest.js';
import { noneFound, type CheckKind } from './CheckKind.js';

/** `unique`: a field, or a combination of fields, never repeats (rows with a null part are not compared). */
export const uniqueCheck: CheckKind<UniqueCheck> = {
  check: 'unique',
  defaultName: (check) => `unique_${uniqueFields(check).join('_')}`,
  fields: uniqueFields,
  measure: (check) => ({ kind: 'duplicates', fields: uniqueFields(check) }),
  judge: (_check, observed) => noneFound(observed, 'duplicates'),
};

function uniqueFields(check: UniqueCheck): string[] {
  return check.fields ? [...check.fields] : check.field !== undefined ? [check.field] : [];
}

import type { QualityCheck } from '../../manifest/DataProductManifest.js';
import { acceptedValuesCheck } from './acceptedValuesCheck.js';
import type { CheckKind } from './CheckKind.js';
import { notNullCheck } from './notNullCheck.js';
import { rangeCheck } from './rangeCheck.js';
import { relationshipsCheck } from './relationshipsCheck.js';
import { rowCountCheck } from './rowCountCheck.js';
import { sqlCheck } from './sqlCheck.js';
import { uniqueCheck } from './uniqueCheck.js';

type KindOf<K extends QualityCheck['check']> = CheckKind<Extract<QualityCheck, { check: K }>>;

/** Every check kind of the manifest, by its `check` value. */
export const CHECK_KINDS: { readonly [K in QualityCheck['check']]: KindOf<K> } = {
  unique: uniqueCheck,
  not_null: notNullCheck,
  accepted_values: acceptedValuesCheck,
  range: rangeCheck,
  row_count: rowCountCheck,
  relationships: relationshipsCheck,
  sql: sqlCheck,
};

/** The kind of a check, typed for it. */
export function checkKind(check: QualityCheck): CheckKind {
  return CHECK_KINDS[check.check] as unknown as CheckKind;
}

/** The name a check is reported under: its `name`, or one built from the kind and its field(s). */
export function checkName(check: QualityCheck): string {
  return check.name ?? checkKind(check).defaultName(check);
}

export type { CheckKind, CheckContext, Verdict } from './CheckKind.js';
export type { Measure, Observation } from './Measure.js';

import type { RelationshipsCheck } from '../../manifest/DataProductManifest.js';
import { noneFound, type CheckKind } from './CheckKind.js';

/** `relationships`: every non-null value of a field exists in a field of an upstream port (referential integrity). */
export const relationshipsCheck: CheckKind<RelationshipsCheck> = {
  check: 'relationships',
  defaultName: (check) => `relationships_${check.field}`,
  fields: (check) => [check.field],
  measure(check, context) {
    const table = context.portTable(check.to.product, check.to.port);
    if ('error' in table) return table;
    return { kind: 'orphans', field: check.field, to: { table, field: check.to.field, port: `${check.to.product}.${check.to.port}` } };
  },
  judge: (_check, observed) => noneFound(observed, 'values missing upstream'),
};

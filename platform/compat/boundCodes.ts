import type { ChangeCode } from './ChangeCode.js';

/** The keyword families that bound a value from one side. */
export type BoundFamily = 'MINIMUM' | 'MAXIMUM' | 'MIN_LENGTH' | 'MAX_LENGTH' | 'MIN_ITEMS' | 'MAX_ITEMS' | 'MIN_PROPERTIES' | 'MAX_PROPERTIES';

const LOWER: ReadonlySet<BoundFamily> = new Set(['MINIMUM', 'MIN_LENGTH', 'MIN_ITEMS', 'MIN_PROPERTIES']);

/**
 * The code of a bound that changed from old to new: `_ADDED`/`_REMOVED` when one side has none, otherwise
 * `_INCREASED`/`_DECREASED` by the value (a tighter lower bound is an increase, a tighter upper bound a decrease).
 * The checker and the structural comparison both name bounds here, so that their findings meet.
 */
export function boundCode(family: BoundFamily, oldHas: boolean, newHas: boolean, newTighter: boolean): ChangeCode {
  if (!oldHas) return `${family}_ADDED` as ChangeCode;
  if (!newHas) return `${family}_REMOVED` as ChangeCode;
  const lower = LOWER.has(family);
  return `${family}_${newTighter === lower ? 'INCREASED' : 'DECREASED'}` as ChangeCode;
}

/** The keyword a family is written with, for messages. */
export function familyKeyword(family: BoundFamily): string {
  return family.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** "maximum decreased from 100 to 50", "minLength 1 added", "maxItems 10 removed". */
export function describeBoundChange(family: BoundFamily, before: string | undefined, after: string | undefined): string {
  const keyword = familyKeyword(family);
  if (before === undefined) return `${keyword} ${after} added`;
  if (after === undefined) return `${keyword} ${before} removed`;
  return `${keyword} changed from ${before} to ${after}`;
}

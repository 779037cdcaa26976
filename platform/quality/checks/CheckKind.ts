import type { QualityCheck } from '../../manifest/DataProductManifest.js';
import type { TableName } from '../../warehouse/portTable.js';
import type { Measure } from './Measure.js';

/** What a check may ask about the port it runs on. */
export interface CheckContext {
  /** The warehouse table of another product's port, or why it cannot be named. */
  portTable(product: string, port: string): TableName | { readonly error: string };
}

/** A verdict on a measured value. */
export interface Verdict {
  readonly passed: boolean;
  /** What the check demands, in words: `0 duplicates`, `between 1 and 10`. */
  readonly expected: string;
}

/**
 * One kind of manifest quality check (`check: unique`, `not_null`...). Each lives in a file of its own and
 * does three small things: names itself, says what must be measured, and judges the measured value. The
 * engines that measure are shared, so a kind works on tables and files alike.
 */
export interface CheckKind<C extends QualityCheck = QualityCheck> {
  readonly check: C['check'];
  /** The name a check is reported under when it has none: the kind and its field(s). */
  defaultName(check: C): string;
  /** The fields the check reads (for reports). */
  fields(check: C): readonly string[];
  measure(check: C, context: CheckContext): Measure | { readonly error: string };
  judge(check: C, observed: number): Verdict;
}

/** `between 1 and 10`, `>= 1`, `<= 10`. */
export function describeBounds(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  if (min !== undefined) return `>= ${min}`;
  return `<= ${max}`;
}

export function withinBounds(value: number, min: number | undefined, max: number | undefined): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** The verdict of the checks that count offending records: clean means none. */
export function noneFound(observed: number, what: string): Verdict {
  return { passed: observed === 0, expected: `0 ${what}` };
}

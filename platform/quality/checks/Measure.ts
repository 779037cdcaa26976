import type { TableName } from '../../warehouse/portTable.js';

/**
 * Something a check needs measured on a port's data. Each source measures it its own way: a table in SQL
 * (most of it in the one aggregate scan), a file while streaming. Each is a count, 0 meaning clean, except
 * `rows` and `sql`.
 */
export type Measure =
  | { readonly kind: 'rows' }
  /** Null or absent values of a field. */
  | { readonly kind: 'nulls'; readonly field: string }
  /** Non-null values of a field that are none of `values` (compared by JSON type: 1 is not "1"). */
  | { readonly kind: 'notAccepted'; readonly field: string; readonly values: readonly (string | number | boolean)[] }
  /** Numeric values of a field outside `[min, max]`; values that are not numbers are left to the contract. */
  | { readonly kind: 'outOfRange'; readonly field: string; readonly min: number | undefined; readonly max: number | undefined }
  /** Records beyond the first for each repeated combination of the fields (all non-null). */
  | { readonly kind: 'duplicates'; readonly fields: readonly string[] }
  /** Non-null values of a field missing from a field of another port's table. */
  | { readonly kind: 'orphans'; readonly field: string; readonly to: { readonly table: TableName; readonly field: string; readonly port: string } }
  /** A query's single numeric value; `{table}` is the port's table. */
  | { readonly kind: 'sql'; readonly query: string };

/** What measuring gave: a value, or why there is none. */
export type Observation =
  | {
      readonly value: number;
      /** A few offending values. */
      readonly examples?: readonly unknown[];
      /** For `duplicates`: records with the whole key, distinct keys, and whether a unique index proves it. */
      readonly keys?: { readonly count: number; readonly distinct: number; readonly enforced: boolean };
    }
  | { readonly skipped: string }
  | { readonly error: string };

/** A stable key for a measure, so that two checks asking the same thing share one measurement. */
export function measureKey(measure: Measure): string {
  return JSON.stringify(measure);
}
